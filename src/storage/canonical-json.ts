/**
 * Serializes a Snapshot to canonical JSON in ~1–2 MB Buffer chunks, hashing as it goes. The bytes are
 * exactly core's `canonicalJson(snapshot)` — core owns the one canonical serializer; this file only adds
 * the chunking: the writer streams the chunks through compression and encryption without one giant
 * string, and the hashes are ready before the header (which carries them) is written.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../core/canonical.ts';
import type { Snapshot } from '../core/snapshot.ts';

export interface SerializedSnapshot {
  chunks: Buffer[];
  /** sha256 (hex) of the concatenated chunks. */
  sha256: string;
  /**
   * sha256 (hex) of canonicalJson(snapshot.entities): the configuration without `meta` (whose takenAt
   * differs on every backup), so two backups of an unchanged gateway have the same value.
   */
  contentSha256: string;
  bytes: number;
}

const ENTITIES_PER_CHUNK = 2000;

export function serializeSnapshot(snapshot: Snapshot): SerializedSnapshot {
  const hash = createHash('sha256');
  const contentHash = createHash('sha256');
  const chunks: Buffer[] = [];
  let bytes = 0;
  let parts: string[] = [];
  // Chunks between the prefix and the suffix are exactly canonicalJson(snapshot.entities): content hash.
  const flush = (isContent: boolean) => {
    const buf = Buffer.from(parts.join(''), 'utf8');
    parts = [];
    hash.update(buf);
    if (isContent) contentHash.update(buf);
    chunks.push(buf);
    bytes += buf.length;
  };

  parts.push('{"entities":');
  flush(false);
  parts.push('{');
  const entities = snapshot.entities as Record<string, Record<string, unknown> | undefined>;
  let firstKind = true;
  let sinceFlush = 0;
  for (const kind of Object.keys(entities).sort()) {
    const map = entities[kind];
    if (map === undefined) continue;
    parts.push(`${firstKind ? '' : ','}${JSON.stringify(kind)}:{`);
    firstKind = false;
    let firstId = true;
    for (const id of Object.keys(map).sort()) {
      const entity = map[id];
      if (entity === undefined || typeof entity === 'function') continue;
      parts.push(`${firstId ? '' : ','}${JSON.stringify(id)}:`);
      firstId = false;
      parts.push(canonicalJson(entity));
      if (++sinceFlush >= ENTITIES_PER_CHUNK) {
        flush(true);
        sinceFlush = 0;
      }
    }
    parts.push('}');
  }
  parts.push('}');
  flush(true);
  parts.push(',"meta":');
  parts.push(canonicalJson(snapshot.meta));
  parts.push('}');
  flush(false);
  return { chunks, sha256: hash.digest('hex'), contentSha256: contentHash.digest('hex'), bytes };
}
