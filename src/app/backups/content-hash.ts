/**
 * The content fingerprint behind "unchanged" backups and a restore's live fingerprint: SHA-256 over the
 * artifact's entities part (storage/serialize.ts: kinds and ids sorted, each entity as the dump built it)
 * plus the metadata that changes what a restore would do (edition, database mode, workspace). `takenAt`,
 * `counts` and the Kong version are left out: two dumps of the same configuration an hour apart — or
 * before and after a Kong patch upgrade — must compare equal.
 *
 * A backup already has the entities hash from serializing its artifact, so it calls `contentFingerprint`
 * with it instead of hashing 146k entities a second time. Entities keep the dump's key order (not
 * canonicalised): equal hashes still mean equal content, while the same content in another key order
 * merely hashes differently and gets its own artifact. Kong's Admin API emits a stable key order for a
 * given version, so in practice unchanged gateways are recognised.
 */
import { createHash } from 'node:crypto';
import type { Snapshot, SnapshotMeta } from '../../core/index.ts';
import type { ArtifactStore } from '../ports/artifact-store.ts';

export function contentFingerprint(
  meta: Pick<SnapshotMeta, 'edition' | 'database' | 'workspace'>,
  entitiesSha: string,
): string {
  const { edition, database, workspace } = meta;
  return createHash('sha256')
    .update(`${JSON.stringify([edition, database, workspace])}\n${entitiesSha}`)
    .digest('hex');
}

/** The fingerprint of a dump held in memory (the artifact store hashes its entities as it would store them). */
export function contentSha256(artifacts: Pick<ArtifactStore, 'entitiesSha256'>, snapshot: Snapshot): string {
  return contentFingerprint(snapshot.meta, artifacts.entitiesSha256(snapshot.entities));
}
