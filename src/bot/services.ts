/**
 * What the bot needs from the rest of snapgate, as one small interface (restic's habit: consumers depend
 * on the narrow surface they use). `fromJobServices` in `job-services.ts` builds it from the jobs
 * module's `Services`; tests build it from the same real pieces.
 */

import type { Backup, BackupRepository, RestoreRepository, SlackMessageRef } from '../app/ports/records.ts';
import type { AuditLog } from '../audit/index.ts';
import type { Config } from '../config/index.ts';
import type { Plan, Section, Snapshot } from '../core/index.ts';
import type { RestoreRequests } from './restore-services.ts';

export interface BackupRequestInput {
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
  audit: AuditLog;
  /** Creates the pending backup record and enqueues its job (job data carries ids only). */
  requestBackup(input: BackupRequestInput): Promise<Backup>;
  /** Enqueues a verify job for one backup; its result reaches Slack through the notifier. */
  requestVerify(input: VerifyRequestInput): Promise<void>;
  /** Opens a completed backup's artifact (checksum checked, decrypted) as a snapshot. */
  loadBackupSnapshot(backup: Backup): Promise<Snapshot>;
  /**
   * What restoring `target` would do to a connection's live gateway: the whole gateway dumped, the
   * target filled with the gateway's schema defaults, planned and preflighted (as the restore job plans).
   * The target may still be loading: the dump starts at once.
   */
  planAgainstLive(
    connection: string,
    target: Snapshot | Promise<Snapshot>,
    options?: { only?: Section[] },
  ): Promise<Plan>;
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
