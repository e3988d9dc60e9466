/** `/kong backups` and `/kong show`: answered only to the person who asked. */

import type { Backup, BackupCopy } from '../../app/ports/records.ts';
import { BACKUP_STATUS } from '../../core/status.ts';
import { context, escapeMrkdwn, fieldsSection, section } from '../blocks/index.ts';
import { countLines } from './backup-thread.ts';
import { explainFailure } from './failure.ts';
import {
  code,
  formatBytes,
  formatDuration,
  plural,
  shortSha,
  slackDate,
  totalEntities,
  userMention,
} from './format.ts';
import { listMessage } from './lines.ts';
import type { SlackMessage } from './message.ts';

export function backupLine(b: Backup): string {
  const info = BACKUP_STATUS.info[b.status];
  const parts = [
    `${info.emoji} ${code(b.id)}`,
    escapeMrkdwn(b.type),
    slackDate(b.createdAt),
    b.status === 'completed'
      ? plural(totalEntities(b.counts), 'entity', 'entities')
      : info.label.toLowerCase(),
  ];
  if (b.bytes !== null) parts.push(formatBytes(b.bytes));
  parts.push(`by ${userMention(b.requestedBy)}`);
  const note = b.note ? ` — _${escapeMrkdwn(b.note)}_` : '';
  return `${parts.join(' · ')}${note}${b.prunedAt ? ' (pruned)' : ''}`;
}

export function backupListMessage(
  connection: string,
  backups: readonly Backup[],
  limit: number,
): SlackMessage {
  if (backups.length === 0) {
    return {
      text: `No backups of ${connection} yet`,
      blocks: [
        section(`No backups of ${code(connection)} yet. Take one with \`/kong backup ${connection}\`.`),
      ],
    };
  }
  const head = [section(`*Newest ${plural(backups.length, 'backup')} of ${code(connection)}*`)];
  const foot = [
    context([
      `Showing up to ${limit}. Details: \`/kong show <backup-id>\`; where copies are: \`/kong show ${connection}\`.`,
    ]),
  ];
  return {
    text: `${plural(backups.length, 'backup')} of ${connection}`,
    blocks: listMessage(head, backups.map(backupLine), foot),
  };
}

export function backupDetailMessage(b: Backup, copies: readonly BackupCopy[]): SlackMessage {
  const info = BACKUP_STATUS.info[b.status];
  const took =
    b.startedAt && b.finishedAt ? formatDuration(b.finishedAt.getTime() - b.startedAt.getTime()) : '—';
  const fields = [
    `*Status*\n${info.emoji} ${info.label}`,
    `*Connection*\n${code(b.connection)}${b.environment ? ` (${escapeMrkdwn(b.environment)})` : ''}`,
    `*Type*\n${escapeMrkdwn(b.type)}`,
    `*Requested by*\n${userMention(b.requestedBy)}`,
    `*Created*\n${slackDate(b.createdAt)}`,
    `*Took*\n${took}`,
    `*Size*\n${formatBytes(b.bytes)}`,
    `*SHA-256*\n${code(shortSha(b.sha256))}`,
    `*Artifact*\n${b.artifactName ? code(b.artifactName) : '—'}`,
    `*Note*\n${b.note ? escapeMrkdwn(b.note) : '—'}`,
  ];
  const lines = countLines(b.counts);
  const copyLines = copies.map((c) => {
    const when = c.verifiedAt ? ` ${slackDate(c.verifiedAt)}` : '';
    const verified =
      c.verifyOk === null
        ? 'not verified yet'
        : c.verifyOk
          ? `verified ok${when}`
          : `verify failed${when}: ${escapeMrkdwn(c.verifyProblem ?? '')}`;
    return `• ${code(c.target)} at ${code(c.location)} ${code(shortSha(c.sha256))} — ${verified}`;
  });
  const head = [section(`*Backup ${code(b.id)}*`), fieldsSection(fields)];
  if (b.status === 'failed')
    head.push(
      section(`*Why it failed*\n${explainFailure({ code: b.failureCode, reason: b.failureReason }).reason}`),
    );
  const body = [
    ...(lines.length ? ['*Entities*', ...lines] : []),
    ...(copyLines.length ? ['*Copies*', ...copyLines] : []),
  ];
  return { text: `Backup ${b.id}: ${info.label}`, blocks: listMessage(head, body) };
}
