/**
 * The content fingerprint behind "unchanged" backups: SHA-256 over the snapshot's entities (kinds and ids
 * in sorted order, each entity as canonical JSON) plus the metadata that changes what a restore would do
 * (edition, database mode, workspace). `takenAt`, `counts` and the Kong version are left out: two dumps of
 * the same configuration an hour apart — or before and after a Kong patch upgrade — must compare equal.
 * Streams entity by entity into the hash, so it never holds a second copy of the JSON.
 */
import { createHash } from 'node:crypto';
import { canonicalJson, type Snapshot } from '../core/index.ts';

export function contentSha256(snapshot: Snapshot): string {
  const hash = createHash('sha256');
  const { edition, database, workspace } = snapshot.meta;
  hash.update(canonicalJson({ edition, database, workspace }));
  const entities = snapshot.entities as Record<string, Record<string, unknown> | undefined>;
  for (const kind of Object.keys(entities).sort()) {
    const byId = entities[kind];
    if (!byId) continue;
    const ids = Object.keys(byId).sort();
    if (ids.length === 0) continue;
    hash.update(`\n#${kind}`);
    for (const id of ids) {
      hash.update('\n');
      hash.update(canonicalJson(byId[id]));
    }
  }
  return hash.digest('hex');
}
