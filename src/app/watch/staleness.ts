/**
 * The dead man's switch: a schedule that silently stopped firing (a lost scheduler, a worker that never
 * came back) shows up as a connection whose newest completed backup keeps getting older. Run every few
 * minutes by a job scheduler (`watch-staleness`); each connection with an alerts channel and a `maxAge`
 * (default 1.5 × its schedule's interval, src/config/schedule-interval.ts) is checked against the clock:
 *
 *   newest completed backup older than maxAge ── no open alert ──▶ alert (backup-missing)
 *                                            └─ open alert ─ due? ─▶ repeat in its thread
 *   a completed backup (runBackup → backupSettled) ──▶ "resolved" reply in the alert's thread
 *
 * Repeats back off: the n-th repeat comes maxAge × 2^(n-1) after the previous post (at most a week apart).
 * A connection that never completed a backup is measured from its first backup record; one with no
 * record at all from when its first backup schedule was created (the `schedule.created` audit event): a
 * schedule that never fired once is exactly what this switch is for. A connection with neither is not
 * alerted (nothing was ever meant to run).
 */
import type { Services } from '../services.ts';
import { alertsOf, raiseAlert, repeatAlert, resolveAlerts } from './alerts.ts';

const WEEK = 7 * 24 * 3600_000;

export interface StalenessResult {
  connection: string;
  /** the newest completed backup's age (or the first record's); null: nothing to measure */
  ageMs: number | null;
  maxAgeMs: number;
  action: 'ok' | 'raised' | 'repeated' | 'waiting' | 'resolved' | 'suppressed';
}

/** Human words for a duration: `2d 3h`, `1h 30m`, `45m`, `20s`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return h ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m ? `${h}h ${m}m` : `${h}h`;
  return m > 0 ? `${m}m` : `${s}s`;
}

/** When the next repeat of an open alert is due: maxAge × 2^repeats after the last post, capped. */
export function nextRepeatAt(notifiedAt: Date, repeats: number, maxAgeMs: number): Date {
  return new Date(notifiedAt.getTime() + Math.min(maxAgeMs * 2 ** repeats, Math.max(WEEK, maxAgeMs)));
}

async function newestEvidence(
  services: Services,
  connection: string,
): Promise<{ at: Date; what: string } | null> {
  const latest = await services.repos.backups.findLatestCompleted(connection);
  if (latest)
    return { at: latest.finishedAt ?? latest.createdAt, what: `newest completed backup ${latest.id}` };
  const page = await services.repos.backups.listByConnection(connection, {
    limit: 1000,
    includePruned: true,
  });
  const first = page.at(-1);
  if (first) return { at: first.createdAt, what: 'no backup has completed yet' };
  const scheduled = await firstScheduleCreated(services, connection);
  return scheduled ? { at: scheduled, what: 'no backup has run since its schedule was created' } : null;
}

/** When the connection's first backup scheduler was created (audit `schedule.created`), or null. */
async function firstScheduleCreated(services: Services, connection: string): Promise<Date | null> {
  let oldest: Date | null = null;
  let beforeSeq: number | undefined;
  for (;;) {
    const page = await services.audit.list({
      connection,
      action: 'schedule.created',
      limit: 1000,
      ...(beforeSeq !== undefined ? { beforeSeq } : {}),
    });
    for (const e of page) if (e.targetId?.startsWith(`backup-${connection}-`)) oldest = e.time;
    if (page.length < 1000) return oldest;
    beforeSeq = page.at(-1)!.seq;
  }
}

export async function checkStaleness(services: Services): Promise<StalenessResult[]> {
  const results: StalenessResult[] = [];
  for (const c of services.config.connections) {
    const alerts = alertsOf(services, c.name);
    const maxAgeMs = alerts?.maxAgeMs;
    if (!maxAgeMs) continue;
    const now = services.now();
    const evidence = await newestEvidence(services, c.name);
    const ageMs = evidence ? now.getTime() - evidence.at.getTime() : null;
    const open = await services.repos.watch.get(c.name, 'backup-missing');
    const result = (action: StalenessResult['action']) =>
      results.push({ connection: c.name, ageMs, maxAgeMs, action });
    if (!evidence || ageMs! <= maxAgeMs) {
      if (open && evidence) {
        await resolveAlerts(services, c.name, ['backup-missing'], `${evidence.what} is within maxAge again`);
        result('resolved');
      } else result('ok');
      continue;
    }
    const reason = `no completed backup of ${c.name} for ${formatDuration(ageMs!)} (maxAge ${formatDuration(maxAgeMs)}; ${evidence.what} at ${evidence.at.toISOString()})`;
    if (!open) {
      const r = await raiseAlert(services, {
        connection: c.name,
        kind: 'backup-missing',
        reason,
        fingerprint: 'stale',
        retry: true,
      });
      result(r.raised ? 'raised' : 'suppressed');
    } else if (now >= nextRepeatAt(open.notifiedAt, open.repeats, maxAgeMs)) {
      await repeatAlert(services, open, `still ${reason}`);
      result('repeated');
    } else result('waiting');
  }
  return results;
}
