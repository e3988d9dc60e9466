/**
 * What the bot needs from the rest of snapgate, as one small interface (restic's habit: consumers depend
 * on the narrow surface they use). `fromJobServices` in `job-services.ts` builds it from the jobs
 * module's `Services`; tests build it from the same real pieces.
 */

import type { StorageTargetView } from '../app/index.ts';
import type {
  Backup,
  BackupRepository,
  RehearsalRepository,
  RestoreRepository,
  SlackMessageRef,
} from '../app/ports/records.ts';
import type { DiffWork, DriftWork } from '../app/ports/work-queue.ts';
import type { AuditLog } from '../audit/index.ts';
import type { Config } from '../config/index.ts';
import type { RestoreRequests } from './restore-services.ts';

export interface BackupRequestInput {
  /** derived from the Slack request, so a command run again after a restart finds its first record */
  id?: string;
  connection: string;
  requestedBy: string;
  note?: string;
  /** The card that becomes the thread root of this backup. */
  slack?: SlackMessageRef;
}

export interface VerifyRequestInput {
  backupId: string;
  requestedBy: string;
  slack?: SlackMessageRef;
}

export interface BotServices {
  config: Config;
  backups: BackupRepository;
  restores: RestoreRepository;
  /** restore rehearsals into scratch connections (`/kong rehearsals`) */
  rehearsals: RehearsalRepository;
  audit: AuditLog;
  /** Creates the pending backup record and enqueues its job (job data carries ids only). */
  requestBackup(input: BackupRequestInput): Promise<Backup>;
  /** Enqueues a verify job for one backup; its result reaches Slack through the notifier. */
  requestVerify(input: VerifyRequestInput): Promise<void>;
  /**
   * Queues a diff of the connection's live gateway against a backup (the use case `requestDiff`): a
   * worker plans it as a restore would and the notifier edits the card named in `work.slack`. Returns
   * why the backup cannot be compared, in words, or null when the diff was queued.
   */
  requestDiff(work: DiffWork): Promise<string | null>;
  /**
   * Queues a drift check of the connection (src/app/watch/drift.ts): the answer — a drift card with the
   * full diff, "no drift", or why it failed — is posted in `work.channel` by the worker's notifier.
   */
  requestDrift?(work: DriftWork): Promise<void>;
  /** Why this backup cannot be compared with the connection's gateway (wrong connection, not completed,
   * pruned), in words, or null. */
  diffRefusal(connection: string, backupId: string): Promise<string | null>;
  /** `/kong show <connection>`: each storage target's place and its newest verification (src/app) */
  storageOverview(connection: string): Promise<StorageTargetView[]>;
  /** Restore requests and decisions (the jobs' restore layer); absent = this server runs no restores. */
  restoreRequests?: RestoreRequests;
  /**
   * `/kong audit verify`: the chain checked against the newest published signed checkpoint; one line for
   * people. Absent = this server cannot verify (no checkpoint keys).
   */
  verifyAudit?(): Promise<{ ok: boolean; finding: string; message: string }>;
  /** The clock: audit `--since`, ages on cards and the group cache read it (tests pin it). */
  now(): Date;
}
