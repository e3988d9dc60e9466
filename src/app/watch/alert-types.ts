/**
 * Alerts as the notifier sees them. An alert is posted in the connection's alerts channel
 * (`alerts.channel`, else the top-level default); repeats and the "resolved" reply go into its thread.
 */
import type { FailureCode, SlackMessageRef } from '../ports/records.ts';

/** The problems snapgate alerts on; each is remembered per connection (records port `watch`). */
export const ALERT_KINDS = ['backup-failed', 'backup-missing', 'verify-failed', 'rehearsal-failed'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/**
 * raised: first post · repeated: still there (backup-missing, with back-off) · resolved: gone ·
 * suppressed: the same problem as the open alert, not posted (counted only).
 */
export type AlertPhase = 'raised' | 'repeated' | 'resolved' | 'suppressed';

export interface AlertEvent {
  phase: AlertPhase;
  connection: string;
  kind: AlertKind;
  /** the alerts channel; null: the connection has none (counted and audited, not posted) */
  channel: string | null;
  /** `U…`, `S…`, `here` or `channel`; null: nobody is mentioned */
  mention: string | null;
  /** one line for people: what happened */
  reason: string;
  /** what to check, by failure code (src/app/failure-advice.ts), when there is one */
  advice: string | null;
  failureCode: FailureCode | null;
  /** the backup concerned (a failed scheduled backup, the backup verified or rehearsed) */
  backupId: string | null;
  /** the copy target(s) concerned (a failed verification or rehearsal) */
  copy: string | null;
  /** offer the Retry button (a failed scheduled backup: a new backup of the connection) */
  retry: boolean;
  /** when the problem was first alerted */
  since: Date;
  /** the repeat's number (1 for the first repeat); 0 otherwise */
  repeat: number;
  /** the first alert's message: repeats and the resolved reply go in its thread; null when raising */
  thread: SlackMessageRef | null;
}
