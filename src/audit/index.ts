export * from './actions.ts';
export type * from './audit-log.ts';
export { canonicalJson, GENESIS_HASH, hashEvent } from './chain.ts';
export { ChainedAuditLog } from './chained-audit-log.ts';
export {
  type AuditCheckpoint,
  CHECKPOINT_FORMAT,
  CheckpointFormatError,
  type CheckpointKey,
  type CheckpointKeys,
  checkpointKeyFromPem,
  checkpointKeyFromRingKey,
  checkpointName,
  checkSignature,
  parseCheckpoint,
  serializeCheckpoint,
  signCheckpoint,
} from './checkpoint-format.ts';
export {
  AuditCheckpointer,
  type CheckpointEvent,
  type CheckpointReason,
  type IntegrityFinding,
  type IntegrityReport,
  newestCheckpoint,
  type PublishedCheckpoint,
  type TakeResult,
  verifyAgainstCheckpoint,
} from './checkpoints.ts';
export {
  AuditInputError,
  assertNoSecrets,
  isSecretFieldName,
  MAX_DETAILS_BYTES,
  REDACTED_TEXT,
  redactSecrets,
  redactSecretText,
} from './secret-guard.ts';

import type { AuditStore } from '../app/ports/audit-store.ts';
import type { AuditLog } from './audit-log.ts';
import { ChainedAuditLog } from './chained-audit-log.ts';

/** The audit log over a records implementation's audit rows; `now` defaults to the real clock. */
export function createAuditLog(store: AuditStore, deps: { now?: () => Date } = {}): AuditLog {
  return new ChainedAuditLog(store, { now: deps.now ?? (() => new Date()) });
}
