/**
 * Restore rehearsals (records port): a backup of one connection restored into a `scratch: true`
 * connection through the restore engine, then checked for zero drift. One row per rehearsal; the
 * duration is the measured recovery time. At most one rehearsal runs against a scratch target at a time
 * (the database enforces it, as it does one active restore per connection).
 */
import type { Failure } from './backups.ts';

export const REHEARSAL_STATUSES = ['running', 'passed', 'failed'] as const;
export type RehearsalStatus = (typeof REHEARSAL_STATUSES)[number];

export interface Rehearsal {
  id: string;
  /** the connection whose backup is rehearsed */
  connection: string;
  /** the scratch connection written to */
  target: string;
  backupId: string;
  /** `system` (its schedule), a Slack user id or `cli:<user>` */
  requestedBy: string;
  status: RehearsalStatus;
  startedAt: Date;
  /** last sign of life of the process running it (moved while it runs) */
  updatedAt: Date;
  finishedAt: Date | null;
  /** the measured recovery time: opening the backup → written → verified with zero drift */
  durationMs: number | null;
  /** entities in the backup (the sections restored) */
  entities: number | null;
  /** writes the restore made to the scratch gateway */
  applied: number | null;
  /** differences left after the restore (0 = the backup restores exactly); null when not measured */
  drift: number | null;
  failure: Failure | null;
}

export interface NewRehearsal {
  connection: string;
  target: string;
  backupId: string;
  requestedBy: string;
}

export interface RehearsalOutcome {
  status: Exclude<RehearsalStatus, 'running'>;
  durationMs: number;
  entities: number | null;
  applied: number | null;
  drift: number | null;
  failure: Failure | null;
}

/** A second rehearsal into a scratch target that one is running against. */
export class RehearsalInProgressError extends Error {
  constructor(
    readonly target: string,
    readonly activeId: string,
  ) {
    super(`a rehearsal into ${target} is already running (${activeId})`);
    this.name = 'RehearsalInProgressError';
  }
}

export interface RehearsalRepository {
  /** a `running` row; RehearsalInProgressError when one is running against the same target */
  start(input: NewRehearsal): Promise<Rehearsal>;
  /** running → passed | failed (conditional: TransitionError when it is no longer running) */
  finish(id: string, outcome: RehearsalOutcome): Promise<Rehearsal>;
  /** moves `updatedAt` of a running rehearsal; false when it is not running any more */
  heartbeat(id: string): Promise<boolean>;
  get(id: string): Promise<Rehearsal | null>;
  /** newest first: the rehearsals of backups of `connection` */
  listByConnection(connection: string, options?: { limit?: number }): Promise<Rehearsal[]>;
  /** running rehearsals whose last sign of life is older than `silentSince` */
  listSilent(silentSince: Date): Promise<Rehearsal[]>;
}
