/**
 * requestRestore: the one way a restore request starts (Slack, CLI, Undo). Everything a person typed is
 * checked before anything is recorded; a refusal is a RestoreRefusedError whose message can be shown as
 * is. Then: settle expired requests (so a stale one does not hold the connection), create the `planned`
 * row (the database allows one active request per connection), audit, queue the plan job.
 */

import { AuditInputError, assertNoSecrets, auditActorSchema } from '../../audit/index.ts';
import {
  catalogueFor,
  KONG_CATALOGUE,
  type OnlyEntry,
  scopedOnlyEntry,
  sectionsRefusal,
} from '../../core/index.ts';
import { type Backup, type Restore, RestoreInProgressError, type SlackMessageRef } from '../ports/records.ts';
import type { Services } from '../services.ts';
import { UnknownConnectionError } from '../services.ts';
import { auditRestore, notifyRestore } from './audit.ts';
import { approvalExpiresAt, expireDueRestores } from './expiry.ts';
import { blockedNotice, failSilentRestores } from './heartbeat.ts';
import {
  type BackupSelector,
  RestoreRefusedError,
  type RestoreRequested,
  type RestoreRequestInput,
} from './types.ts';

/** `https://slack.com/archives/<channel>/p<ts without the dot>`: Slack's permalink shape. */
export function slackLink(ref: SlackMessageRef): string {
  return `https://slack.com/archives/${ref.channel}/p${ref.ts.replace('.', '')}`;
}

/**
 * `--only` checked against the connection's gateway type: an AWS connection takes AWS's sections, a Kong one
 * Kong's and, for a connection with several workspaces, `<workspace>/<section>` and `<workspace>/*`.
 * Sections come back in catalogue order, then the workspace entries as given.
 */
function checkSections(only: readonly string[] | undefined, gateway: string): OnlyEntry[] | null {
  if (!only || only.length === 0) return null;
  const refusal = sectionsRefusal(only, gateway);
  if (refusal) throw new RestoreRefusedError(refusal);
  const catalogue = catalogueFor(gateway);
  const isSection = (s: string) => (catalogue.sections as readonly string[]).includes(s);
  const scoped =
    catalogue === KONG_CATALOGUE
      ? [...new Set(only.map((s) => scopedOnlyEntry(s, isSection)).filter((s) => s !== null))]
      : [];
  return [...catalogue.sections.filter((s) => only.includes(s)), ...scoped];
}

const SECOND_MS = 1000;
const wholeSecond = (ms: number) => Math.floor(ms / SECOND_MS) * SECOND_MS;

/**
 * The newest backup taken at or before `time`, compared at whole seconds: lists (CLI and Slack) show whole
 * seconds, so `--at 23:21:50` must pick the backup listed at 23:21:50 even when it started at
 * 23:21:50.400. The gap is measured at the same precision.
 */
async function pickAt(
  services: Services,
  connection: string,
  selector: { time: Date; includePreRestore?: boolean },
): Promise<{ backup: Backup | null; gapMs?: number }> {
  const asked = wholeSecond(selector.time.getTime());
  const backup = await services.repos.backups.findCompletedAtOrBefore(
    connection,
    new Date(asked + SECOND_MS - 1),
    { excludePreRestore: selector.includePreRestore !== true },
  );
  if (!backup) return { backup: null };
  return { backup, gapMs: asked - wholeSecond((backup.startedAt ?? backup.createdAt).getTime()) };
}

/** Why nothing was picked, naming the newest pre-restore backup that was skipped and how to include it. */
function nothingPicked(connection: string, what: string, skipped: Backup | null): RestoreRefusedError {
  const hint = skipped
    ? `; only pre-restore backups are (the newest is ${skipped.id}): add --include-pre-restore to pick one`
    : '';
  return new RestoreRefusedError(`${connection} has no completed backup ${what}${hint}`);
}

/** The backup a selector names, checked: completed, not pruned, of this connection. */
export async function selectBackup(
  services: Services,
  connection: string,
  selector: BackupSelector,
): Promise<{ backup: Backup; gapMs?: number }> {
  const repo = services.repos.backups;
  const skipsPreRestore = selector.kind !== 'id' && selector.includePreRestore !== true;
  if (selector.kind === 'latest') {
    const latest = await repo.findLatestCompleted(connection, { excludePreRestore: skipsPreRestore });
    if (latest) return { backup: latest };
    const skipped = skipsPreRestore ? await repo.findLatestCompleted(connection) : null;
    throw nothingPicked(connection, 'to restore', skipped);
  }
  if (selector.kind === 'at') {
    if (Number.isNaN(selector.time.getTime()))
      throw new RestoreRefusedError('the time given is not a valid time');
    const found = await pickAt(services, connection, selector);
    if (found.backup) return { backup: found.backup, gapMs: found.gapMs ?? 0 };
    const skipped = skipsPreRestore
      ? (await pickAt(services, connection, { ...selector, includePreRestore: true })).backup
      : null;
    const asked = new Date(wholeSecond(selector.time.getTime())).toISOString().replace('.000Z', 'Z');
    throw nothingPicked(connection, `taken at or before ${asked}`, skipped);
  }
  const backup = await repo.get(selector.id);
  if (!backup) throw new RestoreRefusedError(`there is no backup ${selector.id}`);
  if (backup.connection !== connection) {
    throw new RestoreRefusedError(`backup ${backup.id} belongs to ${backup.connection}, not ${connection}`);
  }
  if (backup.status !== 'completed') {
    throw new RestoreRefusedError(
      `backup ${backup.id} is ${backup.status}; only completed backups can be restored`,
    );
  }
  if (backup.prunedAt) throw new RestoreRefusedError(`backup ${backup.id} was removed by retention`);
  return { backup };
}

function inProgressMessage(services: Services, err: RestoreInProgressError, active: Restore | null): string {
  const link = active?.slack ? ` (${slackLink(active.slack)})` : '';
  const head = `a restore of ${err.connection} is already in progress: ${err.activeRestoreId}, ${err.activeStatus}${link}`;
  // a running restore cannot be cancelled: say why the connection is blocked and until when
  const running = active ? blockedNotice(services, active) : null;
  if (running) return `${head}; ${running}`;
  return `${head}; wait for it to finish or cancel it`;
}

export interface RequestOptions {
  /**
   * false: the caller runs `runRestorePlan` itself (the CLI plans inline to print the plan); default true,
   * a worker plans it.
   */
  enqueuePlan?: boolean;
}

export async function requestRestore(
  services: Services,
  input: RestoreRequestInput,
  options: RequestOptions = {},
): Promise<RestoreRequested> {
  let connectionName: string;
  let gateway: string;
  try {
    ({ name: connectionName, type: gateway } = services.connection(input.connection));
  } catch (err) {
    if (err instanceof UnknownConnectionError) throw new RestoreRefusedError(err.message);
    throw err;
  }
  const reason = input.reason.trim();
  if (reason === '') throw new RestoreRefusedError('a reason is required for a restore (--reason "…")');
  // Checked before the row exists: an audit append refused later would leave a request holding the connection.
  if (!auditActorSchema.safeParse(input.requestedBy).success) {
    throw new RestoreRefusedError(`"${input.requestedBy}" is not a Slack user id or cli:<user>`);
  }
  try {
    assertNoSecrets({ reason });
  } catch (err) {
    if (!(err instanceof AuditInputError)) throw err;
    throw new RestoreRefusedError('the reason looks like it contains a secret; describe why without it');
  }
  const only = checkSections(input.only, gateway);
  const { backup, gapMs } = await selectBackup(services, connectionName, input.backup);

  await expireDueRestores(services);
  // a running restore whose worker went silent does not hold the connection any longer (heartbeat.ts)
  await failSilentRestores(services, connectionName);
  let restore: Awaited<ReturnType<typeof services.repos.restores.create>>;
  try {
    restore = await services.repos.restores.create({
      connection: connectionName,
      backupId: backup.id,
      requestedBy: input.requestedBy,
      reason,
      onlySections: only,
      noDeletes: input.noDeletes === true,
      breakGlass: input.breakGlass === true,
      expiresAt: approvalExpiresAt(services),
      slack: input.slack ?? null,
    });
  } catch (err) {
    if (!(err instanceof RestoreInProgressError)) throw err;
    const active = await services.repos.restores.get(err.activeRestoreId);
    throw new RestoreRefusedError(inProgressMessage(services, err, active), err.activeRestoreId);
  }
  await auditRestore(services, restore, 'restore.requested', {
    actor: input.requestedBy,
    details: {
      reason,
      only: only ?? undefined,
      noDeletes: restore.noDeletes || undefined,
      breakGlass: restore.breakGlass || undefined,
      // how the backup was chosen, so the log shows a pre-restore backup was picked on purpose
      selectedBy: input.backup.kind,
      backupType: backup.type,
      includePreRestore: (input.backup.kind !== 'id' && input.backup.includePreRestore) || undefined,
      gapMs,
    },
  });
  try {
    if (options.enqueuePlan !== false) await services.work.restorePlan(restore.id);
  } catch (err) {
    const why = `could not be queued: ${(err as Error).message}`;
    const failed = await services.repos.restores.finish(restore.id, 'failed', {
      failure: { code: 'queue_unavailable', reason: why },
    });
    await auditRestore(services, failed, 'restore.failed', { outcome: 'failed', details: { reason: why } });
    await notifyRestore(services, { restore: failed, phase: 'finished', backup, message: why });
    throw err;
  }
  await notifyRestore(services, { restore, phase: 'requested', backup });
  return gapMs === undefined ? { restore, backup } : { restore, backup, gapMs };
}
