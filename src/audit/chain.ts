/**
 * The hash chain's format. Each row's hash is SHA-256 over the previous row's hash followed by the
 * canonical JSON of the row's own fields (seq included, so moving a row breaks it). Changing anything in
 * this file invalidates every existing chain: it is a file format, versioned by never changing.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../core/canonical.ts';

/** prev_hash of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  seq: number;
  time: Date;
  actor: string;
  action: string;
  connection: string | null;
  targetId: string | null;
  outcome: string;
  details: Record<string, unknown>;
}

/**
 * JSON with object keys sorted at every depth (UTF-16 code unit order) and no whitespace: core's one
 * canonical serializer. Only JSON values reach it (details are round-tripped through JSON before hashing,
 * exactly as they are stored and read back), for which its bytes are fixed.
 */
export { canonicalJson };

export function hashEvent(prevHash: string, fields: ChainedFields): string {
  const body = canonicalJson({
    seq: fields.seq,
    time: fields.time.toISOString(),
    actor: fields.actor,
    action: fields.action,
    connection: fields.connection,
    targetId: fields.targetId,
    outcome: fields.outcome,
    details: fields.details,
  });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}
