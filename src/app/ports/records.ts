/**
 * The records port: every record type and repository a use case may touch, with no drizzle or SQLite
 * import. `src/db` implements it for SQLite; a second database implements `Records` in its own folder and
 * registers itself in `src/compose/records.ts`; `test/contract/records.contract.ts` proves it.
 */
import type { AuditStore } from './audit-store.ts';
import type { BackupRepository } from './backups.ts';
import type { RehearsalRepository } from './rehearsals.ts';
import type { RestoreRepository } from './restores.ts';
import type { WatchStateRepository } from './watch-states.ts';

export type * from './audit-store.ts';
export { AUDIT_OUTCOMES } from './audit-store.ts';
export type * from './backups.ts';
export { FAILURE_CODES, toFailureCode } from './backups.ts';
export { NotFoundError, RestoreInProgressError, TransitionError } from './record-errors.ts';
export type * from './rehearsals.ts';
export { REHEARSAL_STATUSES, RehearsalInProgressError } from './rehearsals.ts';
export type * from './restores.ts';
export { APPROVAL_DECISIONS, STEP_STATUSES } from './restores.ts';
export type * from './watch-states.ts';

/** The clock and id source every implementation takes (injected, never global). */
export interface RecordDeps {
  now: () => Date;
  newId: () => string;
}

export interface Records {
  readonly backups: BackupRepository;
  readonly restores: RestoreRepository;
  readonly rehearsals: RehearsalRepository;
  readonly audit: AuditStore;
  /** open alerts and the drift last posted, per connection and problem (src/app/watch) */
  readonly watch: WatchStateRepository;
  /** Resolves when the database answers a query now (`/readyz`); rejects with the reason otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
