/**
 * Key rotation for one artifact: unwrap the data key with the key it was written under, wrap it under the
 * key ring's current key, and replace only the key block. The header bytes (the data's authenticated data),
 * the ciphertext and the tag are copied byte for byte — the data is never decrypted or re-encrypted.
 * The new object is written through its target's atomic `write` (a directory: beside the old file, then
 * renamed over it), so a crash leaves either version whole.
 */
import { createReadStream } from 'node:fs';
import { basename, dirname } from 'node:path';
import { withTargetFile } from './artifact-store.ts';
import type { CopyTarget } from './copy-target.ts';
import { DirectoryCopyTarget } from './directory-target.ts';
import { wrapDataKey } from './envelope.ts';
import { encodeKeyBlock, readFrame } from './format.ts';
import { sha256File } from './fs-util.ts';
import type { KeyRing } from './keyring.ts';
import { unlockDataKey } from './read.ts';

export interface RewrapResult {
  path: string;
  previousKeyId: string;
  keyId: string;
  /** false when the artifact already used the current key (the file is left untouched). */
  changed: boolean;
  /** sha256 of the file after the call. */
  sha256: string;
  bytes: number;
}

/** Re-wraps the artifact file at `path` in place. */
export function rewrapArtifact(path: string, keyRing: KeyRing): Promise<RewrapResult> {
  return rewrapOnTarget(new DirectoryCopyTarget(dirname(path)), path, keyRing);
}

/** Re-wraps the artifact stored at `location` on `target` (read back into a temp file when remote). */
export function rewrapOnTarget(
  target: CopyTarget,
  location: string,
  keyRing: KeyRing,
): Promise<RewrapResult> {
  return withTargetFile(target, location, async (path) => {
    const frame = await readFrame(path);
    const current = keyRing.current();
    const previousKeyId = frame.header.keyId;
    if (previousKeyId === current.id) {
      return {
        path: location,
        previousKeyId,
        keyId: current.id,
        changed: false,
        sha256: await sha256File(path),
        bytes: frame.fileBytes,
      };
    }
    const dataKey = unlockDataKey(path, frame, keyRing);
    const keyBlock = encodeKeyBlock(wrapDataKey(dataKey, current, frame.bound));
    const { sha256, bytes } = await target.write(basename(location), async (out) => {
      await out.write(frame.bound);
      await out.write(keyBlock);
      for await (const chunk of createReadStream(path, { start: frame.dataStart, highWaterMark: 1 << 20 }))
        await out.write(chunk as Buffer);
    });
    return { path: location, previousKeyId, keyId: current.id, changed: true, sha256, bytes };
  });
}
