/**
 * Drift detection (issue 16): has someone changed the live gateway since its newest backup? One dump and
 * one plan through the restore pipeline (`planConnection` → `planOnGateway`), no writes. The plan is
 * what a restore of the newest backup would do, so an empty plan means no drift.
 *
 *   newest backup ─┐
 *                  ├─ plan ─ empty ──────────────▶ nothing posted (state forgotten)
 *   live dump ─────┘      └ steps ─ same planHash as the drift last posted ─▶ nothing posted
 *                                └ new ─▶ drift card (alerts channel) ─ action: backup ─▶ backup `drift`
 *
 * The plan hash is the drift's fingerprint (records port `watch`, problem `drift`): a gateway that keeps
 * the same drift is posted about once; a further change, or a drift that went away and came back, is new.
 * Asked from Slack (`/kong drift <connection>`, `channel` given), the answer always goes to that channel.
 */
import type { Plan } from '../../core/index.ts';
import { requestBackup } from '../backups/request-backup.ts';
import { describeJobFailure } from '../failure.ts';
import type { Backup, Failure } from '../ports/records.ts';
import { BackupIntegrityError, verifyAndOpenBackupFrom } from '../restore/integrity.ts';
import { planConnection } from '../restore/live.ts';
import type { Services } from '../services.ts';

export const DRIFT_PROBLEM = 'drift';
/** the note a backup taken because of drift carries (`action: backup`) */
export const DRIFT_BACKUP_NOTE = 'drift';

export interface DriftCheckRequest {
  connection: string;
  /** Slack user id, `system` (the scheduler) or `cli:<user>` */
  requestedBy: string;
  /** asked from Slack: always answer in this channel (even "no drift"); absent: the alerts channel */
  channel?: string | null;
}

export type DriftOutcome =
  | { status: 'no-backup' }
  | { status: 'unchanged'; backup: Backup }
  | {
      status: 'drift';
      backup: Backup;
      plan: Plan;
      /** the same drift as last posted */
      repeat: boolean;
      /** the backup taken because of it (`action: backup`), null otherwise */
      driftBackup: Backup | null;
    }
  | { status: 'failed'; backup: Backup | null; failure: Failure };

export interface DriftEvent {
  connection: string;
  requestedBy: string;
  /** where to post; null: nowhere (counted only) */
  channel: string | null;
  mention: string | null;
  /** false: counted only (nothing changed, or the same drift again) */
  post: boolean;
  outcome: DriftOutcome;
  at: Date;
}

export async function checkDrift(services: Services, request: DriftCheckRequest): Promise<DriftOutcome> {
  const connection = services.connection(request.connection);
  const outcome = await compare(services, request, connection.drift?.action ?? 'notify');
  const asked = Boolean(request.channel);
  const post = asked || (outcome.status === 'drift' && !outcome.repeat) || outcome.status === 'failed';
  await services.audit.append({
    actor: request.requestedBy,
    action:
      outcome.status === 'drift'
        ? 'drift.detected'
        : outcome.status === 'failed'
          ? 'drift.failed'
          : 'drift.checked',
    connection: connection.name,
    targetId: 'backup' in outcome ? (outcome.backup?.id ?? null) : null,
    outcome: outcome.status === 'failed' ? 'failed' : 'ok',
    details: details(outcome),
  });
  const event: DriftEvent = {
    connection: connection.name,
    requestedBy: request.requestedBy,
    channel: request.channel ?? connection.alerts?.channel ?? null,
    mention: asked ? null : (connection.alerts?.mention ?? null),
    post,
    outcome,
    at: services.now(),
  };
  try {
    await services.notifier.driftChecked?.(event);
  } catch (err) {
    process.stderr.write(`snapgate: notifier failed: ${(err as Error).message}\n`);
  }
  return outcome;
}

function details(outcome: DriftOutcome): Record<string, unknown> {
  switch (outcome.status) {
    case 'drift':
      return {
        drift: true,
        planHash: outcome.plan.planHash,
        ...outcome.plan.summary,
        repeat: outcome.repeat,
        ...(outcome.driftBackup ? { driftBackup: outcome.driftBackup.id } : {}),
      };
    case 'failed':
      return { code: outcome.failure.code, reason: outcome.failure.reason };
    default:
      return { drift: false, status: outcome.status };
  }
}

async function compare(
  services: Services,
  request: DriftCheckRequest,
  action: 'notify' | 'backup',
): Promise<DriftOutcome> {
  const name = request.connection;
  const backup = await services.repos.backups.findLatestCompleted(name, { excludePreRestore: true });
  if (!backup) return { status: 'no-backup' };
  let plan: Plan;
  try {
    plan = await planConnection(
      services,
      name,
      verifyAndOpenBackupFrom(services, backup).then((o) => o.snapshot),
    );
  } catch (err) {
    if (err instanceof BackupIntegrityError)
      return { status: 'failed', backup, failure: { code: 'backup_unreadable', reason: err.message } };
    const { code, reason } = describeJobFailure(services, services.connection(name), err);
    return { status: 'failed', backup, failure: { code, reason } };
  }
  const { create, update, delete: del } = plan.summary;
  if (create + update + del === 0) {
    await services.repos.watch.remove(name, DRIFT_PROBLEM);
    return { status: 'unchanged', backup };
  }
  const last = await services.repos.watch.get(name, DRIFT_PROBLEM);
  const repeat = last?.fingerprint === plan.planHash;
  if (!repeat) {
    const now = services.now();
    await services.repos.watch.put({
      connection: name,
      problem: DRIFT_PROBLEM,
      fingerprint: plan.planHash,
      raisedAt: now,
      notifiedAt: now,
      repeats: 0,
      slack: null,
    });
  }
  const driftBackup =
    action === 'backup' && !repeat
      ? await requestBackup(services, {
          connection: name,
          type: 'manual',
          requestedBy: 'system',
          note: DRIFT_BACKUP_NOTE,
        })
      : null;
  return { status: 'drift', backup, plan, repeat, driftBackup };
}
