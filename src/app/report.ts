/**
 * The weekly report: per connection, over the last `days` (7) — backups taken and failed, the newest
 * backup whose latest verification passed, the last rehearsal and its recovery time, restores by
 * outcome, and the storage the connection's artifacts take now and how much that grew. Everything is read
 * from the records (nothing from the gateways or the stores), so it costs a few queries per connection.
 * `snapgate report` prints it; the `report:` schedule posts it to Slack through the notifier.
 */
import type { Backup, Rehearsal, Restore } from './ports/records.ts';
import type { Services } from './services.ts';

const DAY_MS = 24 * 3600 * 1000;
const PAGE = 1000;
/** newest backups looked at for the newest verified one */
const VERIFIED_LOOKBACK = 50;

export interface ConnectionReport {
  connection: string;
  environment: string;
  backups: { taken: number; completed: number; failed: number };
  /** the newest completed backup whose latest verification passed on every copy */
  newestVerified: { id: string; takenAt: Date; verifiedAt: Date } | null;
  /** the newest finished rehearsal of this connection's backups (ever, not only this week) */
  lastRehearsal: Rehearsal | null;
  /** restores requested in the window, by how they ended (still open ones under `open`) */
  restores: { requested: number; completed: number; failed: number; open: number; other: number };
  storage: {
    /** bytes of the artifacts kept now (each artifact once; every copy holds the same bytes) */
    bytes: number;
    artifacts: number;
    /** `bytes` now minus the same measure at the window's start */
    growthBytes: number;
    /** places each artifact is written (the primary and every copy target) */
    copies: number;
  };
}

export interface WeeklyReport {
  from: Date;
  to: Date;
  connections: ConnectionReport[];
}

/** The report, and the Slack channel `report:` names for it. */
export interface WeeklyReportEvent {
  report: WeeklyReport;
  channel: string;
}

/** Every backup record of a connection, pruned ones too (newest first). */
async function allBackups(services: Services, connection: string): Promise<Backup[]> {
  const out: Backup[] = [];
  let before: string | undefined;
  for (;;) {
    const page = await services.repos.backups.listByConnection(connection, {
      limit: PAGE,
      includePruned: true,
      ...(before ? { before } : {}),
    });
    out.push(...page);
    if (page.length < PAGE) return out;
    before = page.at(-1)!.id;
  }
}

/** Restores of a connection requested at or after `since` (newest first). */
async function restoresSince(services: Services, connection: string, since: Date): Promise<Restore[]> {
  const out: Restore[] = [];
  let before: string | undefined;
  for (;;) {
    const page = await services.repos.restores.listByConnection(connection, {
      limit: PAGE,
      ...(before ? { before } : {}),
    });
    const inWindow = page.filter((r) => r.createdAt >= since);
    out.push(...inWindow);
    if (page.length < PAGE || inWindow.length < page.length) return out;
    before = page.at(-1)!.id;
  }
}

const takenAt = (b: Backup) => b.finishedAt ?? b.startedAt ?? b.createdAt;

/** Bytes of the artifacts held at `at`: completed by then, not yet pruned; a shared artifact once. */
export function storageAt(backups: readonly Backup[], at: Date): { bytes: number; artifacts: number } {
  const held = new Map<string, number>();
  for (const b of backups) {
    if (b.status !== 'completed' || !b.artifactName || b.bytes === null) continue;
    if (takenAt(b) > at) continue;
    if (b.prunedAt && b.prunedAt <= at) continue;
    held.set(b.artifactName, b.bytes);
  }
  let bytes = 0;
  for (const n of held.values()) bytes += n;
  return { bytes, artifacts: held.size };
}

async function newestVerified(services: Services, backups: readonly Backup[]) {
  const candidates = backups
    .filter((b) => b.status === 'completed' && !b.prunedAt)
    .slice(0, VERIFIED_LOOKBACK);
  for (const b of candidates) {
    const [latest] = await services.repos.backups.listVerifications(b.id, { limit: 1 });
    if (latest?.ok) return { id: b.id, takenAt: takenAt(b), verifiedAt: latest.at };
  }
  return null;
}

async function lastRehearsal(services: Services, connection: string): Promise<Rehearsal | null> {
  const recent = await services.repos.rehearsals.listByConnection(connection, { limit: 20 });
  return recent.find((r) => r.status !== 'running') ?? null;
}

function countRestores(restores: readonly Restore[]): ConnectionReport['restores'] {
  const c = { requested: restores.length, completed: 0, failed: 0, open: 0, other: 0 };
  for (const r of restores) {
    if (r.status === 'completed') c.completed++;
    else if (r.status === 'failed' || r.status === 'partially_failed') c.failed++;
    else if (['planned', 'awaiting_approval', 'approved', 'running'].includes(r.status)) c.open++;
    else c.other++; // rejected, cancelled, expired
  }
  return c;
}

export async function buildReport(
  services: Services,
  options: { days?: number } = {},
): Promise<WeeklyReport> {
  const to = services.now();
  const from = new Date(to.getTime() - (options.days ?? 7) * DAY_MS);
  const copies = 1 + services.copyTargets.length;
  const connections: ConnectionReport[] = [];
  for (const c of services.config.connections) {
    const backups = await allBackups(services, c.name);
    const inWindow = backups.filter((b) => b.createdAt >= from && b.type !== 'pre-restore');
    const now = storageAt(backups, to);
    const then = storageAt(backups, from);
    connections.push({
      connection: c.name,
      environment: c.environment,
      backups: {
        taken: inWindow.length,
        completed: inWindow.filter((b) => b.status === 'completed').length,
        failed: inWindow.filter((b) => b.status === 'failed').length,
      },
      newestVerified: await newestVerified(services, backups),
      lastRehearsal: await lastRehearsal(services, c.name),
      restores: countRestores(await restoresSince(services, c.name, from)),
      storage: { ...now, growthBytes: now.bytes - then.bytes, copies },
    });
  }
  return { from, to, connections };
}

/** Builds the report and hands it to the notifier (the Slack notifier posts it to `report.channel`). */
export async function weeklyReport(
  services: Services,
  options: { days?: number } = {},
): Promise<WeeklyReport> {
  const report = await buildReport(services, options);
  const channel = services.config.report?.channel;
  if (channel) await services.notifier.weeklyReport?.({ report, channel });
  return report;
}
