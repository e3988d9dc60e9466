/**
 * Deterministic ids for entities a decK file declares without one. decK itself gives such entities a
 * random UUIDv4 unless they match a live entity by natural key (go-database-reconciler
 * pkg/file/builder.go); a backup needs the same file to import to the same ids every time, so we derive
 * a name-based UUID (RFC 4122 version 5: SHA-1 over a namespace and a name), as Kong's DB-less loader
 * does for its own files (kong/db/schema/others/declarative_config.lua `generate_uuid`).
 */
import { createHash } from 'node:crypto';
import type { EntityKind } from '../catalogue/index.ts';

/** snapgate's own namespace, so derived ids never collide with Kong's DB-less ones for other names. */
const SNAPGATE_NAMESPACE = '6f1d3c52-8a3e-4b8e-9d55-2f0c1a7b9e40';

const NAMESPACE_BYTES = Buffer.from(SNAPGATE_NAMESPACE.replaceAll('-', ''), 'hex');

export function uuidV5(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE_BYTES).update(name, 'utf8').digest();
  const b = hash.subarray(0, 16);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x50;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The id of an entity of `kind` identified by `parts` (natural-key values, parent ids already resolved).
 * NUL separates the parts so `a` + `bc` and `ab` + `c` never meet.
 */
export function deriveId(kind: EntityKind, parts: readonly string[]): string {
  return uuidV5([kind, ...parts].join('\u0000'));
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function looksLikeUuid(value: string): boolean {
  return UUID_RE.test(value);
}
