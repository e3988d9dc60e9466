/**
 * The two record lifecycles (backups and restore requests) as data: every status with its label, emoji,
 * Slack attachment colour, whether it is terminal, and the statuses it may move to. The database enforces
 * the same table with conditional updates (`UPDATE … WHERE status IN (sourcesOf(to))`, see `src/db`), so
 * what the bot shows and what the records allow cannot drift apart. Pure: no I/O, no clock.
 */

export interface StatusInfo<S extends string> {
  label: string;
  /** Slack emoji shortcode. */
  emoji: string;
  /** Slack attachment colour (hex). */
  color: string;
  terminal: boolean;
  next: readonly S[];
}

export interface StatusMachine<S extends string> {
  name: string;
  statuses: readonly S[];
  info: Readonly<Record<S, StatusInfo<S>>>;
  canTransition(from: S, to: S): boolean;
  /** Every status from which `to` may be reached: the `IN (…)` list of a conditional update. */
  sourcesOf(to: S): S[];
  isTerminal(status: S): boolean;
  isStatus(value: string): value is S;
}

function defineMachine<S extends string>(name: string, info: Record<S, StatusInfo<S>>): StatusMachine<S> {
  const statuses = Object.keys(info) as S[];
  for (const s of statuses) {
    for (const n of info[s].next) {
      if (!(n in info)) throw new Error(`${name}: ${s} → unknown status ${n}`);
    }
    if (info[s].terminal && info[s].next.length > 0) throw new Error(`${name}: terminal ${s} has exits`);
  }
  return Object.freeze({
    name,
    statuses: Object.freeze(statuses),
    info: Object.freeze(info),
    canTransition: (from: S, to: S) => info[from].next.includes(to),
    sourcesOf: (to: S) => statuses.filter((s) => info[s].next.includes(to)),
    isTerminal: (status: S) => info[status].terminal,
    isStatus: (value: string): value is S => Object.hasOwn(info, value),
  });
}

// Slack's own palette, so cards match the client's good/warning/danger look.
const GREY = '#9e9e9e';
const BLUE = '#1d9bd1';
const GREEN = '#2eb67d';
const AMBER = '#ecb22e';
const RED = '#e01e5a';

export const BackupStatus = {
  Pending: 'pending',
  Running: 'running',
  Completed: 'completed',
  Failed: 'failed',
} as const;
export type BackupStatus = (typeof BackupStatus)[keyof typeof BackupStatus];

/**
 * `running → running` is a retried job re-entering after a crash (the worker died mid-backup); the job
 * is idempotent, so the record just counts another attempt. `pending → failed` covers start-up recovery
 * and jobs that never started.
 */
export const BACKUP_STATUS: StatusMachine<BackupStatus> = defineMachine<BackupStatus>('backup', {
  pending: {
    label: 'Pending',
    emoji: ':hourglass_flowing_sand:',
    color: GREY,
    terminal: false,
    next: ['running', 'failed'],
  },
  running: {
    label: 'Running',
    emoji: ':arrows_counterclockwise:',
    color: BLUE,
    terminal: false,
    next: ['running', 'completed', 'failed'],
  },
  completed: { label: 'Completed', emoji: ':white_check_mark:', color: GREEN, terminal: true, next: [] },
  failed: { label: 'Failed', emoji: ':x:', color: RED, terminal: true, next: [] },
});

export const BackupType = { Manual: 'manual', Scheduled: 'scheduled', PreRestore: 'pre-restore' } as const;
export type BackupType = (typeof BackupType)[keyof typeof BackupType];
export const BACKUP_TYPES: readonly BackupType[] = Object.freeze(Object.values(BackupType));

export const RestoreStatus = {
  Planned: 'planned',
  AwaitingApproval: 'awaiting_approval',
  Approved: 'approved',
  Running: 'running',
  Completed: 'completed',
  PartiallyFailed: 'partially_failed',
  Failed: 'failed',
  Rejected: 'rejected',
  Expired: 'expired',
  Cancelled: 'cancelled',
} as const;
export type RestoreStatus = (typeof RestoreStatus)[keyof typeof RestoreStatus];

/**
 * - `planned → completed`: the plan was empty ("nothing to restore"), so there is nothing to approve.
 * - `approved|running → awaiting_approval`: the gateway changed after the diff was shown; the new plan
 *   needs a new approval (approvals bind to a plan hash, not to a request). From `running` this is only
 *   legal before any write, which the restore job guarantees by re-planning before applying.
 * - `planned → failed`: the plan job could not verify the backup or reach the gateway.
 */
export const RESTORE_STATUS: StatusMachine<RestoreStatus> = defineMachine<RestoreStatus>('restore', {
  planned: {
    label: 'Planning',
    emoji: ':mag:',
    color: GREY,
    terminal: false,
    next: ['awaiting_approval', 'completed', 'failed', 'expired', 'cancelled'],
  },
  awaiting_approval: {
    label: 'Awaiting approval',
    emoji: ':raised_hand:',
    color: AMBER,
    terminal: false,
    next: ['approved', 'rejected', 'expired', 'cancelled', 'failed'],
  },
  approved: {
    label: 'Approved',
    emoji: ':ballot_box_with_check:',
    color: BLUE,
    terminal: false,
    next: ['running', 'awaiting_approval', 'failed'],
  },
  running: {
    label: 'Restoring',
    emoji: ':arrows_counterclockwise:',
    color: BLUE,
    terminal: false,
    next: ['completed', 'partially_failed', 'failed', 'awaiting_approval'],
  },
  completed: { label: 'Completed', emoji: ':white_check_mark:', color: GREEN, terminal: true, next: [] },
  partially_failed: {
    label: 'Partially failed',
    emoji: ':warning:',
    color: AMBER,
    terminal: true,
    next: [],
  },
  failed: { label: 'Failed', emoji: ':x:', color: RED, terminal: true, next: [] },
  rejected: { label: 'Rejected', emoji: ':no_entry_sign:', color: RED, terminal: true, next: [] },
  expired: { label: 'Expired', emoji: ':alarm_clock:', color: GREY, terminal: true, next: [] },
  cancelled: { label: 'Cancelled', emoji: ':heavy_multiplication_x:', color: GREY, terminal: true, next: [] },
});

/** Restore statuses that hold the connection: at most one request per connection may be in one. */
export const ACTIVE_RESTORE_STATUSES: readonly RestoreStatus[] = Object.freeze(
  RESTORE_STATUS.statuses.filter((s) => !RESTORE_STATUS.isTerminal(s)),
);
