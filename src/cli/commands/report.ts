/**
 * `snapgate report [--days N] [--json]`: the weekly report the `report:` schedule posts to Slack, printed
 * here — per connection: backups taken and failed, the newest verified backup, the last rehearsal and its
 * recovery time, restores, and the storage the artifacts take and how it grew.
 */
import type { Command } from 'commander';
import { buildReport, type ConnectionReport, type WeeklyReport } from '../../app/index.ts';
import { formatDuration } from '../../core/index.ts';
import {
  addConfigOption,
  type ConfigFlag,
  formatBytes,
  formatTime,
  parsePositiveInt,
  withServices,
} from './backup-context.ts';

const growth = (n: number) => (n === 0 ? '±0 B' : `${n > 0 ? '+' : '-'}${formatBytes(Math.abs(n))}`);

export function connectionLines(c: ConnectionReport): string[] {
  const b = c.backups;
  const verified = c.newestVerified
    ? `${c.newestVerified.id} taken ${formatTime(c.newestVerified.takenAt)}, verified ${formatTime(c.newestVerified.verifiedAt)}`
    : 'none — no backup has passed verification';
  const r = c.lastRehearsal;
  const rehearsal = r
    ? `${r.status} ${formatTime(r.finishedAt)}, recovery time ${r.durationMs === null ? '-' : formatDuration(r.durationMs)}` +
      (r.failure ? ` (${r.failure.code}: ${r.failure.reason})` : ` (${r.entities ?? '?'} entities, drift 0)`)
    : 'never';
  const rs = c.restores;
  const s = c.storage;
  return [
    `${c.connection} (${c.environment})`,
    `  backups         ${b.taken} taken, ${b.completed} completed, ${b.failed} failed`,
    `  newest verified ${verified}`,
    `  last rehearsal  ${rehearsal}`,
    `  restores        ${rs.requested} requested: ${rs.completed} completed, ${rs.failed} failed, ${rs.open} open, ${rs.other} rejected/cancelled/expired`,
    `  storage         ${formatBytes(s.bytes)} in ${s.artifacts} artifact(s) × ${s.copies} place(s), ${growth(s.growthBytes)} this period`,
  ];
}

export function reportText(report: WeeklyReport): string {
  const head = `snapgate report ${formatTime(report.from)} → ${formatTime(report.to)}`;
  return [head, '', ...report.connections.flatMap((c) => [...connectionLines(c), ''])].join('\n');
}

export function registerReport(program: Command): void {
  addConfigOption(
    program
      .command('report')
      .description(
        'the weekly report: backups, verification, rehearsals, restores and storage per connection',
      ),
  )
    .option('--days <n>', 'the period, in days back from now (default 7)')
    .option('--json', 'the report as one JSON object')
    .action(async (flags: ConfigFlag & { days?: string; json?: boolean }) => {
      const days = flags.days ? parsePositiveInt(flags.days, '--days') : 7;
      await withServices(flags, async (services) => {
        const report = await buildReport(services, { days });
        process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : reportText(report));
      });
    });
}
