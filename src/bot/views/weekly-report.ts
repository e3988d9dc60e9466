/** The weekly report (`report:` in snapgate.yml), one block of lines per connection. */
import type { ConnectionReport, WeeklyReport } from '../../app/index.ts';
import { context, escapeMrkdwn, header } from '../blocks/index.ts';
import { code, formatBytes, formatDuration, plural, slackDate } from './format.ts';
import { listMessage } from './lines.ts';
import type { SlackMessage } from './message.ts';

const growth = (n: number) => (n === 0 ? '±0 B' : `${n > 0 ? '+' : '-'}${formatBytes(Math.abs(n))}`);

function rehearsalLine(c: ConnectionReport): string {
  const r = c.lastRehearsal;
  if (!r) return ':grey_question: no rehearsal yet';
  const when = r.finishedAt ? slackDate(r.finishedAt) : 'running';
  const took = r.durationMs === null ? '—' : formatDuration(r.durationMs);
  return r.status === 'passed'
    ? `:white_check_mark: last rehearsal ${when}: recovery time *${took}*, ${plural(r.entities ?? 0, 'entity', 'entities')}, drift 0`
    : `:x: last rehearsal ${when} *failed* after ${took}: ${escapeMrkdwn(r.failure?.reason ?? 'unknown')}`;
}

export function connectionReportLines(c: ConnectionReport): string {
  const b = c.backups;
  const backups = `${b.failed > 0 ? ':warning:' : ':white_check_mark:'} ${plural(b.taken, 'backup')} taken, ${b.completed} completed, ${b.failed} failed`;
  const verified = c.newestVerified
    ? `:lock: newest verified backup ${code(c.newestVerified.id)} taken ${slackDate(c.newestVerified.takenAt)}`
    : ':warning: no backup has passed verification';
  const rs = c.restores;
  const restores = `:rewind: ${plural(rs.requested, 'restore')} requested: ${rs.completed} completed, ${rs.failed} failed, ${rs.open} open`;
  const s = c.storage;
  const storage = `:floppy_disk: ${formatBytes(s.bytes)} in ${plural(s.artifacts, 'artifact')} × ${plural(s.copies, 'place')} (${growth(s.growthBytes)} this week)`;
  return [
    `*${code(c.connection)}* (${escapeMrkdwn(c.environment)})`,
    backups,
    verified,
    rehearsalLine(c),
    restores,
    storage,
  ].join('\n');
}

export function weeklyReportMessage(report: WeeklyReport): SlackMessage {
  const title = 'snapgate weekly report';
  const failing = report.connections.filter(
    (c) => c.backups.failed > 0 || !c.newestVerified || c.lastRehearsal?.status === 'failed',
  ).length;
  const head = [
    header(title),
    context([
      `${slackDate(report.from)} → ${slackDate(report.to)} · ${plural(report.connections.length, 'connection')}${failing ? ` · ${failing} need a look` : ''}`,
    ]),
  ];
  return {
    text: `${title}: ${plural(report.connections.length, 'connection')}${failing ? `, ${failing} need a look` : ''}`,
    blocks: listMessage(head, report.connections.map(connectionReportLines), [
      context(['`snapgate report` prints the same; `/kong rehearsals <connection>` lists rehearsals.']),
    ]),
  };
}
