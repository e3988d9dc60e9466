export * from './actions.ts';
export type * from './audit-log.ts';
export { canonicalJson, GENESIS_HASH, hashEvent } from './chain.ts';
export { AuditInputError, assertNoSecrets, isSecretFieldName, MAX_DETAILS_BYTES } from './secret-guard.ts';
export { SqliteAuditLog } from './sqlite-audit-log.ts';

import type { Db } from '../db/database.ts';
import type { AuditLog } from './audit-log.ts';
import { SqliteAuditLog } from './sqlite-audit-log.ts';

/** The audit log over an open database; `now` defaults to the real clock. */
export function createAuditLog(db: Db, deps: { now?: () => Date } = {}): AuditLog {
  return new SqliteAuditLog(db, { now: deps.now ?? (() => new Date()) });
}
