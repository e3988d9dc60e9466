/**
 * A running restore proves its worker is alive. Before, a restore whose worker died stayed `running` —
 * holding its connection — until BullMQ's job lock expired (2 minutes) and another live worker's stalled
 * check failed the job; with no other worker, until one started. Now:
 * - the run job records a heartbeat (`updatedAt`) every `restores.heartbeatEvery` (default 10 s) while the
 *   request is `running`;
 * - a running restore silent for `STALE_BEATS` heartbeats (60 s by default) is taken as stopped by whoever
 *   looks first — a new request for the connection, `restores list|show`, a worker's periodic check — and
 *   ends `failed` (the gateway may be partially restored; never applied again without a person);
 * - a worker that was only slow (an event loop blocked past that) learns it at its next heartbeat (the
 *   request is no longer `running`) and stops writing between two writes.
 * While a restore is running, the reason a connection is blocked and until when it is blocked at the
 * latest is `blockedNotice`.
 */
import type { Restore } from '../ports/records.ts';
import type { Services } from '../services.ts';
import { finishRestore } from './outcome.ts';

export const DEFAULT_HEARTBEAT_MS = 10_000;
/** heartbeats a running restore may miss before its worker is taken as stopped */
export const STALE_BEATS = 6;

export function heartbeatEveryMs(services: Pick<Services, 'config'>): number {
  return services.config.restores?.heartbeatEveryMs ?? DEFAULT_HEARTBEAT_MS;
}

export function staleAfterMs(services: Pick<Services, 'config'>): number {
  return heartbeatEveryMs(services) * STALE_BEATS;
}

/** When a running restore that stays silent from now on is taken as stopped. */
export function stoppedAfter(services: Pick<Services, 'config'>, restore: Restore): Date {
  return new Date(restore.updatedAt.getTime() + staleAfterMs(services));
}

function time(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Why the connection is blocked by `restore` and until when, in words (CLI and Slack). Null when the
 * restore is not running (a waiting request says what it waits for elsewhere).
 */
export function blockedNotice(services: Pick<Services, 'config' | 'now'>, restore: Restore): string | null {
  if (restore.status !== 'running') return null;
  const silentMs = services.now().getTime() - restore.updatedAt.getTime();
  const seconds = Math.max(0, Math.round(silentMs / 1000));
  return (
    `restore ${restore.id} is running (its worker last reported ${seconds} s ago, at ${time(restore.updatedAt)}); ` +
    `${restore.connection} stays blocked until it finishes, or — if its worker stopped — until ` +
    `${time(stoppedAfter(services, restore))} at the latest, when it is marked failed`
  );
}

export function stoppedFailure(services: Pick<Services, 'config'>, restore: Restore) {
  return {
    code: 'worker_stopped' as const,
    reason:
      `the worker running it stopped answering (no heartbeat since ${time(restore.updatedAt)}, ` +
      `${staleAfterMs(services) / 1000} s); the gateway may be partially restored — run a new diff`,
  };
}

/** Running restores whose worker has been silent too long end `failed`; returns them. Idempotent. */
export async function failSilentRestores(services: Services, connection?: string): Promise<Restore[]> {
  const due = services.now().getTime() - staleAfterMs(services);
  const running = await services.repos.restores.listByStatus('running', connection ? { connection } : {});
  const failed: Restore[] = [];
  for (const r of running) {
    if (r.updatedAt.getTime() > due) continue;
    const done = await finishRestore(services, r, 'failed', stoppedFailure(services, r), null);
    if (done.status === 'failed') failed.push(done);
  }
  return failed;
}

/**
 * Heartbeats for a running restore until `stop()`. `onLost` runs once when the request is no longer
 * running (another process failed it as stopped): the caller stops writing.
 */
export function keepAlive(services: Services, restoreId: string, onLost: () => void): { stop(): void } {
  let lost = false;
  const timer = setInterval(() => {
    void services.repos.restores.heartbeat(restoreId).then(
      (alive) => {
        if (!alive && !lost) {
          lost = true;
          onLost();
        }
      },
      () => undefined, // a database hiccup: the next beat tries again
    );
  }, heartbeatEveryMs(services));
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
