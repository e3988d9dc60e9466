/**
 * Backup records as callers see them, and the repository contract (records port). Every method is async
 * so a PostgreSQL implementation can replace the SQLite one (`src/db/sqlite-backups.ts`) without touching
 * callers. No drizzle or SQLite here.
 */
import type { BackupStatus, BackupType } from '../../core/status.ts';

/**
 * What kind of failure a backup or restore ended with, stored next to its reason: Slack advice and CLI
 * exit text are chosen by it, never by parsing the reason.
 */
export const FAILURE_CODES = [
  'gateway_auth',
  'gateway_unreachable',
  'gateway_error',
  'key_missing',
  'artifact_check',
  'unknown_connection',
  'storage',
  /** Redis refused the job: nothing ran */
  'queue_unavailable',
  /** the worker stopped (crash, shutdown) while the job ran */
  'worker_stopped',
  /** the backup a restore needs cannot be opened from any copy */
  'backup_unreadable',
  /** the plan was refused before any write (preflight, workspace, drift, edition) */
  'plan_refused',
  /** the pre-restore backup failed, so the restore did not start */
  'pre_restore_failed',
  /** some writes of a restore failed (the reason names them) */
  'apply_failed',
  /** the gateway still differs from the backup after the apply */
  'not_converged',
  'unexpected',
] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];

/** A stored code this version knows, or null (a newer version may store codes an older one does not know). */
export function toFailureCode(value: string | null | undefined): FailureCode | null {
  return (FAILURE_CODES as readonly string[]).includes(value ?? '') ? (value as FailureCode) : null;
}

/** A failure as it is recorded: its kind (for advice and exit text) and the words shown to people. */
export interface Failure {
  code: FailureCode;
  /** shown in Slack, the CLI and the record; never holds a secret */
  reason: string;
}

export interface CopyCheckResult {
  target: string;
  location: string;
  ok: boolean;
  problem?: string;
}

export interface SlackMessageRef {
  channel: string;
  ts: string;
}

export interface Backup {
  id: string;
  connection: string;
  type: BackupType;
  status: BackupStatus;
  requestedBy: string;
  note: string | null;
  environment: string | null;
  createdAt: Date;
  /** when the latest attempt started (a retried job moves it) */
  startedAt: Date | null;
  finishedAt: Date | null;
  /** how many times a job has started this backup */
  attempts: number;
  /** entities per kind */
  counts: Record<string, number> | null;
  bytes: number | null;
  sha256: string | null;
  /** fingerprint of the gateway content without its time; equal content → equal value */
  contentSha256: string | null;
  keyId: string | null;
  artifactName: string | null;
  /** set when the content equals an earlier completed backup's, whose artifact this one shares */
  unchangedFrom: string | null;
  failureReason: string | null;
  /** the kind of failure (null for records written before codes were stored) */
  failureCode: FailureCode | null;
  kongVersion: string | null;
  slack: SlackMessageRef | null;
  /** when retention removed the artifact; the record stays for history */
  prunedAt: Date | null;
  /**
   * when `gdpr erase` last rewrote the artifact without someone's personal data: the record keeps its id,
   * and its artifact name, checksums and counts are the new artifact's
   */
  rewrittenAt: Date | null;
}

export interface BackupCopy {
  backupId: string;
  /** copy target name from config, e.g. `primary`, `offsite` */
  target: string;
  /** where the target put it (path or URL) */
  location: string;
  sha256: string;
  createdAt: Date;
  verifiedAt: Date | null;
  verifyOk: boolean | null;
  verifyProblem: string | null;
}

export interface Verification {
  id: number;
  backupId: string;
  at: Date;
  ok: boolean;
  results: CopyCheckResult[];
}

export interface NewBackup {
  /** defaults to a fresh id from the repository's `newId` */
  id?: string;
  connection: string;
  type: BackupType;
  requestedBy: string;
  note?: string | null;
  environment?: string | null;
  slack?: SlackMessageRef | null;
}

export interface NewCopy {
  target: string;
  location: string;
  sha256: string;
}

export interface BackupCompletion {
  counts: Record<string, number>;
  bytes: number;
  sha256: string;
  contentSha256?: string | null;
  keyId: string;
  artifactName: string;
  unchangedFrom?: string | null;
  kongVersion?: string | null;
  /** every copy written (primary included); an unchanged backup repeats the earlier one's copies */
  copies: NewCopy[];
}

export interface BackupRewrite {
  artifactName: string;
  counts: Record<string, number>;
  bytes: number;
  sha256: string;
  contentSha256: string;
  keyId: string;
  copies: NewCopy[];
}

export interface ListOptions {
  /** default 20, at most 1000 */
  limit?: number;
  /** id of the last row already seen: returns rows older than it (newest first) */
  before?: string;
  /** include backups whose artifact retention removed; default false */
  includePruned?: boolean;
}

export interface PickOptions {
  /** leave out `pre-restore` backups (the state a restore replaced): what "latest" means to people */
  excludePreRestore?: boolean;
}

export interface BackupRepository {
  create(input: NewBackup): Promise<Backup>;
  get(id: string): Promise<Backup | null>;
  /** newest first (by creation time, then id) */
  listByConnection(connection: string, options?: ListOptions): Promise<Backup[]>;
  /** oldest first; for start-up recovery and verify-all */
  listByStatus(status: BackupStatus, options?: { connection?: string; limit?: number }): Promise<Backup[]>;
  /** newest completed, not pruned (of any type unless `options.excludePreRestore`) */
  findLatestCompleted(connection: string, options?: PickOptions): Promise<Backup | null>;
  /** newest completed, not pruned, whose content was taken (started) at or before `time` (inclusive) */
  findCompletedAtOrBefore(connection: string, time: Date, options?: PickOptions): Promise<Backup | null>;
  /** every completed, not pruned backup that points at this artifact (itself or unchanged ones) */
  listByArtifact(artifactName: string): Promise<Backup[]>;

  /** pending|running → running; counts the attempt. Throws TransitionError otherwise. */
  markRunning(id: string): Promise<Backup>;
  /** running → completed with its results and copies, in one transaction. */
  markCompleted(id: string, completion: BackupCompletion): Promise<Backup>;
  /** pending|running → failed with the failure's code and reason. */
  markFailed(id: string, failure: Failure): Promise<Backup>;
  setSlackMessage(id: string, ref: SlackMessageRef): Promise<void>;
  /** completed|failed backups only; the record stays (restores and the audit log refer to it) */
  markPruned(id: string): Promise<Backup>;

  listCopies(backupId: string): Promise<BackupCopy[]>;
  /** after `keys rotate` re-wrapped the data key: new key id and checksums, same copies */
  recordRewrap(backupId: string, rewrap: { keyId: string; sha256: string; copies: NewCopy[] }): Promise<void>;
  /**
   * after `gdpr erase` wrote the artifact anew without someone's data: its new name, checksums, counts and
   * key, the copies rewritten (copies of other targets — an Object-Locked one — keep their row), and the
   * time, which marks the record rewritten
   */
  recordRewrite(backupId: string, rewrite: BackupRewrite): Promise<Backup>;
  /** stores one verify run and the latest result on each copy it checked */
  recordVerification(backupId: string, results: CopyCheckResult[]): Promise<Verification>;
  listVerifications(backupId: string, options?: { limit?: number }): Promise<Verification[]>;
  /**
   * Per copy target, the copy of one of the connection's backups that was verified last (its result and
   * time): what `/kong show <connection>` reports per target. A target never verified has no entry.
   */
  latestCopyChecks(connection: string): Promise<BackupCopy[]>;
}
