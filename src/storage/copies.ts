/**
 * Operations over an artifact and all its copies: verify each location (naming the one that is bad) and
 * delete everywhere. The primary directory is reported as target `primary`.
 */
import { unlink } from 'node:fs/promises';
import { withTargetFile } from './artifact-store.ts';
import type { CopyTarget } from './copy-target.ts';
import type { KeyRing } from './keyring.ts';
import { artifactPath } from './layout.ts';
import { type VerifyResult, verifyArtifactFile } from './read.ts';

export const PRIMARY_TARGET = 'primary';

export interface LocationVerifyResult extends VerifyResult {
  target: string;
  location: string;
}

async function verifyOnTarget(
  target: CopyTarget,
  name: string,
  keyRing: KeyRing,
  expectedSha256: string | undefined,
): Promise<LocationVerifyResult> {
  const location = target.localPath ? target.localPath(name) : `${target.id}/${name}`;
  if (!target.localPath && !(await target.exists(name)))
    return { target: target.id, location, ok: false, problems: [`missing: ${location}`] };
  const result = await withTargetFile(target, location, (path) =>
    verifyArtifactFile(path, keyRing, expectedSha256),
  );
  return { target: target.id, location, ...result };
}

/**
 * Verifies the primary file and every copy: present, sha256 (`expected.sha256` for all, or per target in
 * `expected.copies`), decrypts, parses. Problems are prefixed with nothing; `target` names the location.
 */
export async function verifyArtifactCopies(opts: {
  name: string;
  primaryDir: string;
  copyTargets: readonly CopyTarget[];
  keyRing: KeyRing;
  expected?: { sha256?: string; copies?: readonly { target: string; sha256: string }[] };
}): Promise<{ ok: boolean; results: LocationVerifyResult[] }> {
  const primary = artifactPath(opts.primaryDir, opts.name);
  const results: LocationVerifyResult[] = [
    {
      target: PRIMARY_TARGET,
      location: primary,
      ...(await verifyArtifactFile(primary, opts.keyRing, opts.expected?.sha256)),
    },
  ];
  for (const target of opts.copyTargets) {
    const recorded =
      opts.expected?.copies?.find((c) => c.target === target.id)?.sha256 ?? opts.expected?.sha256;
    results.push(await verifyOnTarget(target, opts.name, opts.keyRing, recorded));
  }
  return { ok: results.every((r) => r.ok), results };
}

/** Removes the artifact from the primary directory and every copy target; missing files are fine. */
export async function deleteArtifact(opts: {
  name: string;
  primaryDir: string;
  copyTargets: readonly CopyTarget[];
}): Promise<{ deleted: string[] }> {
  const deleted: string[] = [];
  try {
    await unlink(artifactPath(opts.primaryDir, opts.name));
    deleted.push(PRIMARY_TARGET);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  for (const target of opts.copyTargets) {
    if (await target.exists(opts.name)) {
      await target.delete(opts.name);
      deleted.push(target.id);
    }
  }
  return { deleted };
}
