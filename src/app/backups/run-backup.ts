/**
 * The backup job: dump the gateway, write the encrypted artifact and its copies, record the result.
 *
 *   pending ──markRunning──▶ running ──▶ completed (new artifact, or unchanged → the previous artifact)
 *                               └──────▶ failed (reason; re-thrown so BullMQ's failed set has it too)
 *
 * Idempotent under retries and crashes (delivery is at-least-once, bullmq patterns/idempotent-jobs.md):
 * - a completed record is returned as is; status changes are conditional updates (src/db);
 * - the artifact name is derived from the backup id and the record's creation time, so every attempt
 *   writes the same name (each target writes atomically), and an attempt after the first removes what an
 *   earlier, crashed attempt left on the primary and the copies before it writes;
 * - an unchanged backup writes no file and removes any leftover of its own.
 * A retryable failure (gateway restarting, 5xx, network) leaves the record `running` for the next attempt;
 * the last attempt, or a failure retrying cannot fix, marks it `failed`.
 */
import {
  type Exclusion,
  excludingSink,
  exclusionOf,
  kindsOfSection,
  SECTIONS,
  type SnapshotMeta,
  sumCounts,
  withExclusion,
} from '../../core/index.ts';
import { describeJobFailure } from '../failure.ts';
import { type BackupPhase, safeNotify } from '../notifier.ts';
import type { ArtifactRef, ArtifactSerializer } from '../ports/artifact-store.ts';
import { PRIMARY_TARGET } from '../ports/copy-target.ts';
import type { DumpProgress } from '../ports/gateway.ts';
import type { Backup, Failure, NewCopy } from '../ports/records.ts';
import { TransitionError } from '../ports/records.ts';
import type { Services } from '../services.ts';
import { backupSettled } from '../watch/alerts.ts';
import { contentFingerprint } from './content-hash.ts';

export interface BackupAttempt {
  /** 1 for the first try */
  attempt: number;
  maxAttempts: number;
  /** BullMQ progress (job.updateProgress); ids and counts only */
  onProgress?: (progress: { phase: BackupPhase; kind?: string; fetched?: number }) => void;
  /**
   * The worker is shutting down past its deadline: the dump stops at once and the attempt ends without
   * recording anything (the job is left to BullMQ's stalled check to retry, as the worker announced).
   */
  signal?: AbortSignal;
}

/** The attempt was stopped by the worker's shutdown: not a failure of the backup; it will be retried. */
export class BackupInterruptedError extends Error {
  constructor(backupId: string) {
    super(`backup ${backupId} was interrupted by the worker shutting down; it will be retried`);
    this.name = 'BackupInterruptedError';
  }
}

/** Thrown for failures; `retryable` tells the BullMQ wrapper whether to use UnrecoverableError. */
export class BackupFailedError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'BackupFailedError';
  }
}

const PROGRESS_EVERY_MS = 2000;

export async function runBackup(
  services: Services,
  backupId: string,
  attempt: BackupAttempt,
): Promise<Backup> {
  const repo = services.repos.backups;
  const existing = await repo.get(backupId);
  if (!existing) throw new BackupFailedError(`backup ${backupId} does not exist`, false);
  if (existing.status === 'completed' || existing.status === 'failed') {
    await finishSettled(services, existing);
    if (existing.status === 'completed') return existing;
    throw new BackupFailedError(`backup ${backupId} already failed: ${existing.failureReason ?? ''}`, false);
  }
  const connection = services.connection(existing.connection);

  let running: Backup;
  try {
    running = await repo.markRunning(backupId);
  } catch (err) {
    if (err instanceof TransitionError) return settledElsewhere(services, backupId);
    throw err;
  }
  await audit(services, running, 'backup.started', 'ok', { attempt: running.attempts });
  await notify(services, running, 'started', attempt.attempt > 1 ? `attempt ${attempt.attempt}` : undefined);

  const ref: ArtifactRef = {
    backupId,
    gateway: connection.type,
    connection: running.connection,
    environment: connection.environment,
    type: running.type,
    createdAt: running.createdAt.toISOString(),
  };
  try {
    // An earlier attempt may have written the file (or some copies) and died before recording it.
    if (running.attempts > 1) await services.artifacts.deleteEverywhere(services.artifacts.nameOf(ref));

    // Serialized page by page as the dump lists them, never held as entity objects: its entities hash
    // is the content fingerprint, its chunks the artifact's plaintext.
    const serializer = services.artifacts.serializer();
    const serialized = serializer.finish(await dump(services, running, attempt, serializer));
    if (attempt.signal?.aborted) throw new BackupInterruptedError(backupId);
    const { meta } = serialized;
    const content = contentFingerprint(meta, serialized.contentSha256);
    const counts = meta.counts as Record<string, number>;
    const kongVersion = meta.kongVersion;

    const previous = await repo.findLatestCompleted(running.connection);
    if (previous && previous.id !== backupId && previous.contentSha256 === content && previous.artifactName) {
      const reusable = await reusableCopies(services, previous);
      if (reusable) {
        return await complete(services, running, {
          counts,
          bytes: previous.bytes ?? 0,
          sha256: previous.sha256 ?? '',
          contentSha256: content,
          keyId: previous.keyId ?? '',
          artifactName: previous.artifactName,
          unchangedFrom: previous.unchangedFrom ?? previous.id,
          kongVersion,
          copies: reusable,
        });
      }
    }

    await notify(services, running, 'writing');
    attempt.onProgress?.({ phase: 'writing' });
    const written = await services.artifacts.write(ref, serialized);
    if (attempt.signal?.aborted) throw new BackupInterruptedError(backupId);
    const copies: NewCopy[] = [
      { target: PRIMARY_TARGET, location: written.path, sha256: written.sha256 },
      ...written.copies.map((c) => ({ target: c.target, location: c.path, sha256: c.sha256 })),
    ];
    return await complete(services, running, {
      counts,
      bytes: written.bytes,
      sha256: written.sha256,
      contentSha256: content,
      keyId: written.keyId,
      artifactName: written.name,
      kongVersion,
      copies,
    });
  } catch (err) {
    if (err instanceof TransitionError) return settledElsewhere(services, backupId);
    if (attempt.signal?.aborted) throw new BackupInterruptedError(backupId);
    const failure = describeJobFailure(services, connection, err);
    const final = !failure.retryable || attempt.attempt >= attempt.maxAttempts;
    if (final) {
      await fail(services, running, failure);
    } else {
      await notify(services, running, 'retrying', `attempt ${attempt.attempt} failed: ${failure.reason}`);
    }
    throw new BackupFailedError(failure.reason, failure.retryable);
  }
}

async function dump(
  services: Services,
  backup: Backup,
  attempt: BackupAttempt,
  serializer: ArtifactSerializer,
): Promise<SnapshotMeta> {
  const connection = services.connection(backup.connection);
  const gw = services.gateway(connection);
  const exclusion = exclusionOf(connection.exclude);
  // progress is reported only while the dump runs: never after it failed (or finished)
  let dumping = true;
  try {
    const gateway = await gw.describe();
    await notify(services, backup, 'dumping', `${gw.product} ${gateway.version} (${gateway.database})`);
    let lastReport = services.now().getTime();
    const onProgress = (p: DumpProgress) => {
      if (!dumping) return;
      const at = services.now().getTime();
      if (at - lastReport < PROGRESS_EVERY_MS) return;
      lastReport = at;
      attempt.onProgress?.({ phase: 'dumping', kind: p.kind, fetched: p.fetched });
      void safeNotify(() =>
        services.notifier.backupChanged({ backup, phase: 'dumping', message: `${p.kind} ${p.fetched}` }),
      );
    };
    const meta = await gw.dumpInto(exclusion ? excludingSink(serializer, exclusion) : serializer, {
      gateway,
      takenAt: services.now().toISOString(),
      onProgress,
      ...(exclusion ? { only: sectionsKept(exclusion) } : {}),
      ...(attempt.signal ? { signal: attempt.signal } : {}),
    });
    return exclusion ? withExclusion(meta, exclusion) : meta;
  } finally {
    dumping = false;
    gw.close();
  }
}

/**
 * The sections a backup with this exclusion lists at all: a section left out whole is never read from the
 * gateway (its personal data never enters the process); what is left out within a listed section (a
 * consumer's plugins, group members) is dropped page by page by the excluding sink.
 */
function sectionsKept(exclusion: Exclusion) {
  const out = new Set(exclusion.kinds);
  return SECTIONS.filter((s) => !kindsOfSection(s).every((k) => out.has(k)));
}

/**
 * The previous artifact can be shared only if its files are still where the record says and its key is
 * in the key ring (otherwise the new backup would point at something nobody can restore): then its copies
 * are this backup's copies too.
 */
async function reusableCopies(services: Services, previous: Backup): Promise<NewCopy[] | null> {
  if (!previous.keyId || !services.artifacts.hasKey(previous.keyId)) return null;
  const copies = await services.repos.backups.listCopies(previous.id);
  const name = previous.artifactName ?? '';
  const primary = copies.find((c) => c.target === PRIMARY_TARGET);
  if (!primary || primary.location !== services.primary.location(name)) return null;
  for (const target of services.copyTargets) {
    if (!copies.some((c) => c.target === target.id)) return null;
  }
  const present = await Promise.all([services.primary, ...services.copyTargets].map((t) => t.exists(name)));
  if (!present.every(Boolean)) return null;
  return copies.map((c) => ({ target: c.target, location: c.location, sha256: c.sha256 }));
}

async function complete(
  services: Services,
  running: Backup,
  completion: Parameters<Services['repos']['backups']['markCompleted']>[1],
): Promise<Backup> {
  const done = await services.repos.backups.markCompleted(running.id, completion);
  await auditOutcome(services, done, completion.copies.length);
  await notify(services, done, 'finished', finalMessage(done));
  await backupSettled(services, done);
  return done;
}

/** The message of a settled backup's final notification. */
function finalMessage(backup: Backup): string | undefined {
  if (backup.status === 'failed') return backup.failureReason ?? undefined;
  return backup.unchangedFrom ? `unchanged since ${backup.unchangedFrom}` : undefined;
}

async function fail(services: Services, running: Backup, failure: Failure): Promise<void> {
  const { reason } = failure;
  try {
    const failed = await services.repos.backups.markFailed(running.id, failure);
    await auditOutcome(services, failed);
    await notify(services, failed, 'finished', reason);
    await backupSettled(services, failed);
  } catch (err) {
    if (!(err instanceof TransitionError)) throw err;
  }
}

/** Another run (a stalled-then-revived worker, start-up recovery) already settled the record. */
async function settledElsewhere(services: Services, backupId: string): Promise<Backup> {
  const now = await services.repos.backups.get(backupId);
  if (now?.status === 'completed') return now;
  throw new BackupFailedError(
    `backup ${backupId} is ${now?.status ?? 'gone'}: ${now?.failureReason ?? 'settled by another run'}`,
    false,
  );
}

async function notify(
  services: Services,
  backup: Backup,
  phase: BackupPhase,
  message?: string,
): Promise<void> {
  await safeNotify(() =>
    services.notifier.backupChanged({ backup, phase, ...(message === undefined ? {} : { message }) }),
  );
}

/**
 * `backup.completed` / `backup.failed` for a settled record. `copies`: how many copies were written (read
 * from the records when not given); `extra` joins the details (`recovered: true` when start-up recovery
 * writes an event a stopped worker could not).
 */
export async function auditOutcome(
  services: Services,
  b: Backup,
  copies?: number,
  extra: Record<string, unknown> = {},
): Promise<void> {
  if (b.status === 'completed') {
    await audit(services, b, 'backup.completed', 'ok', {
      artifact: b.artifactName,
      bytes: b.bytes,
      sha256: b.sha256,
      keyId: b.keyId,
      unchangedFrom: b.unchangedFrom,
      entities: sumCounts(b.counts),
      copies: copies ?? (await services.repos.backups.listCopies(b.id)).length,
      ...extra,
    });
  } else if (b.status === 'failed') {
    await audit(services, b, 'backup.failed', 'failed', {
      reason: b.failureReason,
      attempts: b.attempts,
      ...extra,
    });
  }
}

async function audit(
  services: Services,
  backup: Backup,
  action: 'backup.started' | 'backup.completed' | 'backup.failed',
  outcome: 'ok' | 'failed',
  details: Record<string, unknown>,
): Promise<void> {
  const clean = Object.fromEntries(Object.entries(details).filter(([, v]) => v !== null && v !== undefined));
  await services.audit.append({
    // The worker acts; who asked is recorded by `backup.requested` and repeated here for queries.
    actor: 'system',
    action,
    connection: backup.connection,
    targetId: backup.id,
    outcome,
    details: { ...clean, requestedBy: backup.requestedBy },
  });
}

const AUDIT_PAGE = 1000;

/**
 * A job delivered again for a backup already settled: its worker was killed after `markCompleted` or
 * `markFailed`, and BullMQ gave the stalled job to another worker — only after the first worker's lock
 * expired, long after it would have finished had it lived. What that worker did after the record may be
 * missing, and is done here: the outcome event (appended, marked `recovered`, unless the log has it), the
 * final card and its result in the thread (a card left at "Running" otherwise; the card's final state set
 * again changes nothing), and the alerts the outcome settles — when the event was missing, the killed
 * worker stopped before them.
 */
async function finishSettled(services: Services, backup: Backup): Promise<void> {
  const audited = await auditedOutcomes(services, { since: backup.createdAt, connection: backup.connection });
  const missing = !audited.has(backup.id);
  if (missing) await auditOutcome(services, backup, undefined, { recovered: true });
  await notify(services, backup, 'finished', finalMessage(backup));
  if (missing) await backupSettled(services, backup);
}

/** The backup ids with a `backup.completed` or `backup.failed` event since `since`. */
export async function auditedOutcomes(
  services: Services,
  query: { since: Date; connection?: string },
): Promise<Set<string>> {
  const audited = new Set<string>();
  let beforeSeq: number | undefined;
  for (;;) {
    const page = await services.audit.list({
      ...query,
      action: 'backup.*',
      limit: AUDIT_PAGE,
      ...(beforeSeq !== undefined ? { beforeSeq } : {}),
    });
    for (const e of page) {
      if ((e.action === 'backup.completed' || e.action === 'backup.failed') && e.targetId)
        audited.add(e.targetId);
    }
    if (page.length < AUDIT_PAGE) return audited;
    beforeSeq = page.at(-1)!.seq;
  }
}
