/**
 * The hash chain's format. Each row's hash is SHA-256 over the previous row's hash followed by the
 * canonical JSON of the row's own fields (seq included, so moving a row breaks it). Changing anything in
 * this file invalidates every existing chain: it is a file format, versioned by never changing.
 */
import { createHash } from 'node:crypto';

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
 * JSON with object keys sorted at every depth and no whitespace. Only JSON values reach it (details are
 * round-tripped through JSON before hashing, exactly as they are stored and read back).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`not a JSON value: ${String(value)}`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

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
