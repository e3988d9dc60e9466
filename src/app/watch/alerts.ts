/**
 * Alerts (issue 16): a failed scheduled backup, a connection whose newest completed backup is older than
 * `alerts.maxAge` (the dead man's switch, `staleness.ts`), a failed verification or rehearsal. Each is
 * posted once in the connection's alerts channel, audited (`alert.*`) and counted (the metrics notifier);
 * the state per connection and problem (records port `watch`) keeps the same problem from being posted
 * twice in a row and names the thread a "resolved" reply goes to.
 *
 * `raiseAlert` is the one entry: backups, verification and the dead man's switch call it, and so can any
 * other use case (a restore rehearsal: `raiseAlert(services, { connection, kind: 'rehearsal-failed',
 * reason, backupId, copy })`). It never throws into its caller: reporting never fails a job.
 */
import type { AlertsConfig } from '../../config/index.ts';
import { failureAdvice } from '../failure-advice.ts';
import type { Backup, FailureCode, SlackMessageRef, WatchState } from '../ports/records.ts';
import type { Services } from '../services.ts';
import type { AlertEvent, AlertKind } from './alert-types.ts';

export interface AlertInput {
  connection: string;
  kind: AlertKind;
  /** one line for people; never a secret */
  reason: string;
  /**
   * what makes two occurrences "the same problem": the same fingerprint as the open alert is not posted
   * again. Default: the failure code, else the backup id and copy, else the reason.
   */
  fingerprint?: string;
  failureCode?: FailureCode | null;
  backupId?: string | null;
  /** the copy target(s) concerned, e.g. `offsite` */
  copy?: string | null;
  /** offer a Retry button (a new backup of the connection); default: only for `backup-failed` */
  retry?: boolean;
  /** the audit actor; default `system` */
  actor?: string;
}

export type AlertOutcome =
  /** posted (or, without an alerts channel, recorded and audited only: `posted` false) */
  | { raised: true; posted: boolean; thread: SlackMessageRef | null }
  /** the same problem is already alerted and not resolved */
  | { raised: false; why: 'same-problem' };

/** The connection's resolved `alerts:` (its own over the top-level default), or null: alerts go nowhere. */
export function alertsOf(services: Services, connection: string): AlertsConfig | null {
  return services.config.connections.find((c) => c.name === connection)?.alerts ?? null;
}

function fingerprintOf(input: AlertInput): string {
  if (input.fingerprint) return input.fingerprint;
  if (input.failureCode) return input.failureCode;
  if (input.backupId) return `${input.backupId}${input.copy ? `@${input.copy}` : ''}`;
  return input.reason;
}

/** The notifier's answer: the first message posted (its thread takes repeats and the resolved reply). */
async function notifyAlert(services: Services, event: AlertEvent): Promise<SlackMessageRef | null> {
  try {
    return (await services.notifier.alertChanged?.(event)) ?? null;
  } catch (err) {
    process.stderr.write(`snapgate: notifier failed: ${(err as Error).message}\n`);
    return null;
  }
}

/** Posts (once) an alert for a problem; the same problem as the open alert is audited as suppressed. */
export async function raiseAlert(services: Services, input: AlertInput): Promise<AlertOutcome> {
  const fingerprint = fingerprintOf(input);
  const open = await services.repos.watch.get(input.connection, input.kind);
  const actor = input.actor ?? 'system';
  const details = {
    kind: input.kind,
    reason: input.reason.slice(0, 500),
    ...(input.failureCode ? { code: input.failureCode } : {}),
    ...(input.copy ? { copy: input.copy } : {}),
  };
  const alerts = alertsOf(services, input.connection);
  const event: Omit<AlertEvent, 'phase' | 'since'> = {
    connection: input.connection,
    kind: input.kind,
    channel: alerts?.channel ?? null,
    mention: alerts?.mention ?? null,
    reason: input.reason,
    advice: input.failureCode ? failureAdvice(input.failureCode) : null,
    failureCode: input.failureCode ?? null,
    backupId: input.backupId ?? null,
    copy: input.copy ?? null,
    retry: input.retry ?? input.kind === 'backup-failed',
    repeat: 0,
    thread: null,
  };
  if (open && open.fingerprint === fingerprint) {
    await notifyAlert(services, { ...event, phase: 'suppressed', since: open.raisedAt, thread: open.slack });
    await services.audit.append({
      actor,
      action: 'alert.suppressed',
      connection: input.connection,
      targetId: input.backupId ?? null,
      outcome: 'ok',
      details: { ...details, since: open.raisedAt.toISOString() },
    });
    return { raised: false, why: 'same-problem' };
  }
  const now = services.now();
  const thread = await notifyAlert(services, { ...event, phase: 'raised', since: now });
  await services.repos.watch.put({
    connection: input.connection,
    problem: input.kind,
    fingerprint,
    raisedAt: now,
    notifiedAt: now,
    repeats: 0,
    slack: thread,
  });
  await services.audit.append({
    actor,
    action: 'alert.raised',
    connection: input.connection,
    targetId: input.backupId ?? null,
    outcome: 'ok',
    details: { ...details, channel: alerts?.channel ?? null, replaces: open?.fingerprint ?? null },
  });
  return { raised: true, posted: alerts !== null, thread };
}

/** Posts a repeat of an open alert into its thread and counts it (the dead man's switch's back-off). */
export async function repeatAlert(services: Services, state: WatchState, reason: string): Promise<void> {
  const repeat = state.repeats + 1;
  await notifyAlert(services, {
    ...baseEvent(state, alertsOf(services, state.connection)),
    phase: 'repeated',
    reason,
    repeat,
  });
  await services.repos.watch.put({ ...state, notifiedAt: services.now(), repeats: repeat });
  await services.audit.append({
    actor: 'system',
    action: 'alert.repeated',
    connection: state.connection,
    outcome: 'ok',
    details: {
      kind: state.problem,
      repeat,
      since: state.raisedAt.toISOString(),
      reason: reason.slice(0, 500),
    },
  });
}

/** Closes open alerts of these kinds: a "resolved" reply in each one's thread, audited, state forgotten. */
export async function resolveAlerts(
  services: Services,
  connection: string,
  kinds: readonly AlertKind[],
  reason: string,
  backupId: string | null = null,
): Promise<AlertKind[]> {
  const resolved: AlertKind[] = [];
  for (const kind of kinds) {
    const state = await services.repos.watch.get(connection, kind);
    if (!state) continue;
    await notifyAlert(services, {
      ...baseEvent(state, alertsOf(services, connection)),
      phase: 'resolved',
      reason,
      backupId,
    });
    await services.repos.watch.remove(connection, kind);
    await services.audit.append({
      actor: 'system',
      action: 'alert.resolved',
      connection,
      targetId: backupId,
      outcome: 'ok',
      details: { kind, since: state.raisedAt.toISOString(), repeats: state.repeats, reason },
    });
    resolved.push(kind);
  }
  return resolved;
}

function baseEvent(state: WatchState, alerts: AlertsConfig | null): Omit<AlertEvent, 'phase' | 'reason'> {
  return {
    connection: state.connection,
    kind: state.problem as AlertKind,
    channel: state.slack?.channel ?? alerts?.channel ?? null,
    mention: alerts?.mention ?? null,
    advice: null,
    failureCode: null,
    backupId: null,
    copy: null,
    retry: false,
    since: state.raisedAt,
    repeat: state.repeats,
    thread: state.slack,
  };
}

/**
 * A backup reached a final status: a completed one resolves the connection's failed-backup and
 * missing-backup alerts; a failed scheduled one raises `backup-failed` with its reason and a Retry
 * button (the same failure code as the open alert is not posted again). Never throws.
 */
export async function backupSettled(services: Services, backup: Backup): Promise<void> {
  try {
    if (backup.status === 'completed') {
      await resolveAlerts(
        services,
        backup.connection,
        ['backup-failed', 'backup-missing'],
        `backup ${backup.id} completed`,
        backup.id,
      );
    } else if (backup.status === 'failed' && backup.type === 'scheduled') {
      await raiseAlert(services, {
        connection: backup.connection,
        kind: 'backup-failed',
        reason: `scheduled backup ${backup.id} failed: ${backup.failureReason ?? 'no reason recorded'}`,
        failureCode: backup.failureCode,
        fingerprint: backup.failureCode ?? 'unexpected',
        backupId: backup.id,
        retry: true,
      });
    }
  } catch (err) {
    process.stderr.write(`snapgate: alert for backup ${backup.id} failed: ${(err as Error).message}\n`);
  }
}
