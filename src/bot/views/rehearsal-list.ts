/** `/kong rehearsals`: the restore rehearsals of a connection's backups, answered only to the caller. */
import type { Rehearsal } from '../../app/ports/records.ts';
import { context, escapeMrkdwn, section } from '../blocks/index.ts';
import { code, formatDuration, plural, slackDate, userMention } from './format.ts';
import { listMessage } from './lines.ts';
import type { SlackMessage } from './message.ts';

const MARK: Record<Rehearsal['status'], string> = {
  running: ':hourglass_flowing_sand:',
  passed: ':white_check_mark:',
  failed: ':x:',
};

export function rehearsalLine(r: Rehearsal): string {
  const parts = [
    `${MARK[r.status]} ${code(r.id)}`,
    slackDate(r.startedAt),
    `backup ${code(r.backupId)} → ${code(r.target)}`,
  ];
  if (r.status === 'running') parts.push('running');
  else {
    parts.push(`recovery time *${r.durationMs === null ? '—' : formatDuration(r.durationMs)}*`);
    parts.push(plural(r.entities ?? 0, 'entity', 'entities'));
    parts.push(`drift ${r.drift ?? '—'}`);
  }
  parts.push(`by ${userMention(r.requestedBy)}`);
  const why = r.failure ? `\n>${escapeMrkdwn(r.failure.reason)}` : '';
  return `${parts.join(' · ')}${why}`;
}

export function rehearsalListMessage(
  connection: string,
  rehearsals: readonly Rehearsal[],
  target: string | null,
): SlackMessage {
  if (rehearsals.length === 0) {
    const how = target
      ? `Its schedule restores into ${code(target)}; none has run yet.`
      : 'Set `rehearsal: {cron, target}` in snapgate.yml, with a connection marked `scratch: true` as the target.';
    return {
      text: `No rehearsals of ${connection} yet`,
      blocks: [section(`No rehearsals of ${code(connection)} yet. ${how}`)],
    };
  }
  const head = [section(`*Newest ${plural(rehearsals.length, 'rehearsal')} of ${code(connection)}*`)];
  const foot = [
    context([
      'A rehearsal restores a backup into a scratch gateway and checks zero drift; its duration is the measured recovery time.',
    ]),
  ];
  return {
    text: `${plural(rehearsals.length, 'rehearsal')} of ${connection}`,
    blocks: listMessage(head, rehearsals.map(rehearsalLine), foot),
  };
}
