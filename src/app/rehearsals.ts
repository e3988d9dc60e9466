/**
 * Restore rehearsals: a backup is restored into a throw-away gateway (a connection marked `scratch: true`)
 * through the restore engine — the backup opened after every copy's checksum is checked, the plan made
 * by the same fill → plan → preflight as a restore (`planOnLive`), applied through the gateway port —
 * and the scratch gateway is then planned against the backup again: zero steps is zero drift, the proof
 * that the backup restores. The time from opening the backup to that proof is the measured recovery time.
 *
 * No approval: a rehearsal writes only to a scratch connection, and that is checked here (and at config
 * load) every time — never a connection without `scratch: true`, never the connection itself, never
 * another gateway type. One rehearsal per scratch target at a time (the records port refuses a second).
 * A rehearsal whose process died (silent for 6 heartbeats) ends `failed` when the next one starts.
 */
import { formatDuration, type Snapshot, sumCounts } from '../core/index.ts';
import { describeJobFailure } from './failure.ts';
import type { Gateway } from './ports/gateway.ts';
import type { Backup, Failure, Rehearsal, RehearsalOutcome } from './ports/records.ts';
import { RehearsalInProgressError } from './ports/records.ts';
import { heartbeatEveryMs, staleAfterMs } from './restore/heartbeat.ts';
import { BackupIntegrityError, verifyAndOpenBackupFrom } from './restore/integrity.ts';
import { planOnLive, WorkspaceMismatchError } from './restore/live.ts';
import { describeStepError } from './restore/outcome.ts';
import { type Services, UnknownConnectionError } from './services.ts';
import { raiseAlert, resolveAlerts } from './watch/alerts.ts';

/** A rehearsal that was not started: the message says why, and nothing was written. */
export class RehearsalRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RehearsalRefusedError';
  }
}

export interface RehearseInput {
  /** the connection whose backup is rehearsed */
  connection: string;
  /** the scratch connection; default the connection's `rehearsal.target` */
  target?: string;
  /** a backup of `connection`; default the newest (or one of the newest `rehearsal.among`) */
  backupId?: string;
  /** `system` (the schedule), a Slack user id or `cli:<user>` */
  requestedBy: string;
}

export interface RehearseOptions {
  /** writes in flight at once within a dependency level (default 10) */
  parallelism?: number;
}

/** How many of a connection's newest backups are looked at when picking one. */
const PICK_WINDOW = 100;
/** failed steps named in a failure reason */
const STEPS_NAMED = 3;

function connectionOf(services: Services, name: string) {
  try {
    return services.connection(name);
  } catch (err) {
    if (err instanceof UnknownConnectionError) throw new RehearsalRefusedError(err.message);
    throw err;
  }
}

/** The scratch connection a rehearsal of `source` may write to, or why not. */
export function rehearsalTarget(services: Services, source: string, target?: string) {
  const from = connectionOf(services, source);
  const name = target ?? from.rehearsal?.target;
  if (!name) {
    throw new RehearsalRefusedError(
      `${from.name} has no rehearsal target: set rehearsal.target in snapgate.yml or name one (--target)`,
    );
  }
  const to = connectionOf(services, name);
  if (from.scratch) {
    throw new RehearsalRefusedError(
      `${from.name} is a scratch connection: rehearsals restore into it, not from it`,
    );
  }
  if (to.name === from.name) throw new RehearsalRefusedError('a connection cannot rehearse into itself');
  if (to.scratch !== true) {
    throw new RehearsalRefusedError(
      `${to.name} is not a scratch connection (scratch: true in snapgate.yml); a rehearsal never writes to it`,
    );
  }
  if (to.type !== from.type) {
    throw new RehearsalRefusedError(`${to.name} is a ${to.type} connection; ${from.name} is ${from.type}`);
  }
  return { from, to };
}

/** The backup to rehearse: the one named, else one of the newest `among` restorable backups at random. */
export async function pickRehearsalBackup(
  services: Services,
  connection: string,
  options: { backupId?: string; among?: number } = {},
): Promise<Backup> {
  if (options.backupId) {
    const backup = await services.repos.backups.get(options.backupId);
    if (!backup) throw new RehearsalRefusedError(`there is no backup ${options.backupId}`);
    if (backup.connection !== connection) {
      throw new RehearsalRefusedError(
        `backup ${backup.id} belongs to ${backup.connection}, not ${connection}`,
      );
    }
    if (backup.status !== 'completed' || backup.prunedAt) {
      throw new RehearsalRefusedError(
        `backup ${backup.id} is ${backup.prunedAt ? 'removed by retention' : backup.status}; only completed backups can be rehearsed`,
      );
    }
    return backup;
  }
  const among = Math.max(1, options.among ?? 1);
  const recent = await services.repos.backups.listByConnection(connection, { limit: PICK_WINDOW });
  const candidates = recent
    .filter((b) => b.status === 'completed' && b.type !== 'pre-restore')
    .slice(0, among);
  if (candidates.length === 0)
    throw new RehearsalRefusedError(`${connection} has no completed backup to rehearse`);
  return candidates[Math.min(candidates.length - 1, Math.floor(services.random() * candidates.length))]!;
}

/** Running rehearsals whose process went silent for 6 heartbeats end `failed` (their scratch is freed). */
export async function failSilentRehearsals(services: Services): Promise<Rehearsal[]> {
  const since = new Date(services.now().getTime() - staleAfterMs(services));
  const silent = await services.repos.rehearsals.listSilent(since);
  const failed: Rehearsal[] = [];
  for (const r of silent) {
    try {
      const done = await services.repos.rehearsals.finish(r.id, {
        status: 'failed',
        durationMs: services.now().getTime() - r.startedAt.getTime(),
        entities: r.entities,
        applied: null,
        drift: null,
        failure: {
          code: 'worker_stopped',
          reason: 'the process running the rehearsal stopped; the scratch gateway may be partly restored',
        },
      });
      await auditFinished(services, done);
      failed.push(done);
    } catch {
      // finished meanwhile by its own process
    }
  }
  return failed;
}

/**
 * Runs one rehearsal now and returns its record (passed or failed). Refusals (no target, not scratch, no
 * backup, one already running into the target) throw RehearsalRefusedError before anything is recorded.
 */
export async function rehearse(
  services: Services,
  input: RehearseInput,
  options: RehearseOptions = {},
): Promise<Rehearsal> {
  const { from, to } = rehearsalTarget(services, input.connection, input.target);
  const backup = await pickRehearsalBackup(services, from.name, {
    ...(input.backupId ? { backupId: input.backupId } : {}),
    among: from.rehearsal?.among ?? 1,
  });
  await failSilentRehearsals(services);
  let rehearsal: Rehearsal;
  try {
    rehearsal = await services.repos.rehearsals.start({
      connection: from.name,
      target: to.name,
      backupId: backup.id,
      requestedBy: input.requestedBy,
    });
  } catch (err) {
    if (err instanceof RehearsalInProgressError) throw new RehearsalRefusedError(err.message);
    throw err;
  }
  await services.audit.append({
    actor: input.requestedBy,
    action: 'rehearsal.started',
    connection: from.name,
    targetId: rehearsal.id,
    outcome: 'ok',
    details: { target: to.name, backupId: backup.id },
  });
  await services.notifier.recordChanged?.({
    kind: 'rehearsal',
    id: rehearsal.id,
    connection: from.name,
    status: 'running',
    message: `restoring backup ${backup.id} into ${to.name}`,
  });

  const beat = setInterval(() => {
    void services.repos.rehearsals.heartbeat(rehearsal.id).catch(() => undefined);
  }, heartbeatEveryMs(services));
  const started = services.now().getTime();
  let outcome: Checked;
  const gateway = services.gateway(to);
  try {
    outcome = await restoreAndCheck(services, gateway, backup, options);
  } catch (err) {
    outcome = {
      status: 'failed',
      entities: entitiesOf(backup),
      applied: null,
      drift: null,
      failure: failureOf(services, to, err),
    };
  } finally {
    clearInterval(beat);
    gateway.close();
  }
  const { badCopies: _bad, ...result } = outcome;
  const done = await services.repos.rehearsals.finish(rehearsal.id, {
    ...result,
    durationMs: services.now().getTime() - started,
  });
  await auditFinished(services, done);
  await services.notifier.recordChanged?.({
    kind: 'rehearsal',
    id: done.id,
    connection: done.connection,
    status: done.status,
    message: describeRehearsal(done),
    ...(done.durationMs !== null ? { durationMs: done.durationMs } : {}),
  });
  await alertOn(services, done, outcome.badCopies);
  return done;
}

/**
 * A failed rehearsal is an alert naming the backup (and the copies, when a copy failed its check); the
 * same failure again is not posted twice. A passing one resolves an open rehearsal alert in its thread.
 */
async function alertOn(services: Services, r: Rehearsal, badCopies: readonly string[] = []): Promise<void> {
  if (r.status === 'passed') {
    await resolveAlerts(
      services,
      r.connection,
      ['rehearsal-failed'],
      `rehearsal ${r.id} into ${r.target} passed`,
      r.backupId,
    );
    return;
  }
  await raiseAlert(services, {
    connection: r.connection,
    kind: 'rehearsal-failed',
    reason: `rehearsal of backup ${r.backupId} into ${r.target} failed: ${r.failure?.reason ?? 'unknown'}`,
    failureCode: r.failure?.code ?? null,
    backupId: r.backupId,
    copy: badCopies.length > 0 ? badCopies.join(', ') : null,
  });
}

function entitiesOf(backup: Backup): number | null {
  return backup.counts ? sumCounts(backup.counts) : null;
}

function failureOf(services: Services, to: ReturnType<typeof rehearsalTarget>['to'], err: unknown): Failure {
  if (err instanceof BackupIntegrityError) return { code: 'backup_unreadable', reason: err.message };
  if (err instanceof WorkspaceMismatchError) return { code: 'plan_refused', reason: err.message };
  const { code, reason } = describeJobFailure(services, to, err);
  return { code, reason };
}

/** How a rehearsal ended, before its duration is known; `badCopies`: copies that failed their check. */
type Checked = Omit<RehearsalOutcome, 'durationMs'> & { badCopies?: string[] };

/** open (every copy checked) → plan on the scratch → apply → plan again: zero steps = zero drift */
async function restoreAndCheck(
  services: Services,
  gateway: Gateway,
  backup: Backup,
  options: RehearseOptions,
): Promise<Checked> {
  const entities = entitiesOf(backup);
  const opened = await verifyAndOpenBackupFrom(services, backup);
  const snapshot: Snapshot = opened.snapshot;
  const { plan, live, target } = await planOnLive(services, gateway, snapshot, { noDeletes: false });
  if (plan.refusals.length > 0) {
    const reason = `the scratch gateway refuses the plan: ${plan.refusals.map((r) => r.message).join('; ')}`;
    return { status: 'failed', entities, applied: 0, drift: null, failure: { code: 'plan_refused', reason } };
  }
  const apply =
    plan.steps.length === 0
      ? null
      : await gateway.apply(plan, { current: live, parallelism: options.parallelism ?? 10 });
  const applied = apply?.counts.ok ?? 0;
  if (apply && (apply.counts.failed > 0 || apply.counts.notAttempted > 0 || apply.error)) {
    const failed = apply.steps.filter((s) => s.status === 'failed').slice(0, STEPS_NAMED);
    const named = failed.map(
      (s) => `${s.step.op} ${s.step.kind} ${s.step.name}: ${describeStepError(s.error)}`,
    );
    const reason = `${apply.counts.failed} of ${plan.steps.length} writes failed${apply.counts.notAttempted ? `, ${apply.counts.notAttempted} not attempted` : ''}${named.length ? ` (${named.join('; ')})` : apply.error ? ` (${apply.error.message})` : ''}`;
    return { status: 'failed', entities, applied, drift: null, failure: { code: 'apply_failed', reason } };
  }
  const drift = (await planOnLive(services, gateway, target, { noDeletes: false })).plan.steps.length;
  if (drift > 0) {
    const reason = `${drift} difference${drift === 1 ? '' : 's'} left on the scratch gateway after the restore: the backup does not restore exactly`;
    return { status: 'failed', entities, applied, drift, failure: { code: 'not_converged', reason } };
  }
  if (opened.problems.length > 0) {
    // restored from a good copy, but a copy the team relies on is bad: that is a finding, not a pass
    const reason = `restored with zero drift from ${opened.from.target}, but copies failed their check: ${opened.problems.join('; ')}`;
    const badCopies = opened.problems.map((p) => p.slice(0, p.indexOf(':') > 0 ? p.indexOf(':') : undefined));
    return {
      status: 'failed',
      entities,
      applied,
      drift,
      failure: { code: 'artifact_check', reason },
      badCopies,
    };
  }
  return { status: 'passed', entities, applied, drift, failure: null };
}

async function auditFinished(services: Services, r: Rehearsal): Promise<void> {
  await services.audit.append({
    actor: 'system',
    action: r.status === 'passed' ? 'rehearsal.passed' : 'rehearsal.failed',
    connection: r.connection,
    targetId: r.id,
    outcome: r.status === 'passed' ? 'ok' : 'failed',
    details: {
      target: r.target,
      backupId: r.backupId,
      durationMs: r.durationMs,
      entities: r.entities,
      applied: r.applied,
      drift: r.drift,
      ...(r.failure ? { failureCode: r.failure.code, reason: r.failure.reason } : {}),
    },
  });
}

/** One line: how the rehearsal ended. */
export function describeRehearsal(r: Rehearsal): string {
  const head = `backup ${r.backupId} → ${r.target}`;
  if (r.status === 'running') return `${head}: running since ${r.startedAt.toISOString()}`;
  const counts = `${r.entities ?? '?'} entities, ${r.applied ?? 0} writes`;
  if (r.status === 'passed') {
    return `${head}: passed in ${formatDuration(r.durationMs ?? 0)} (${counts}, drift 0)`;
  }
  return `${head}: FAILED after ${formatDuration(r.durationMs ?? 0)} (${counts}): ${r.failure?.reason ?? 'unknown'}`;
}
