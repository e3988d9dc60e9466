/**
 * The top-level card of one backup: status (emoji, label, colour from the one status table), connection,
 * type, who asked and their note. Edited in place as the status moves; details go to the thread.
 */

import type { Backup } from '../../app/ports/records.ts';
import { BACKUP_STATUS, type BackupStatus } from '../../core/status.ts';
import { type Block, context, escapeMrkdwn, fieldsSection, section } from '../blocks/index.ts';
import { code, plural, totalEntities, userMention } from './format.ts';
import { colouredCard, type SlackMessage } from './message.ts';

export interface BackupCardInput {
  id?: string;
  connection: string;
  environment: string | null;
  type: string;
  status: BackupStatus;
  requestedBy: string;
  note: string | null;
  /** one line under the fields: the phase while running, the outcome at the end */
  line?: string;
}

export function backupCardInput(backup: Backup, line?: string): BackupCardInput {
  const input: BackupCardInput = {
    id: backup.id,
    connection: backup.connection,
    environment: backup.environment,
    type: backup.type,
    status: backup.status,
    requestedBy: backup.requestedBy,
    note: backup.note,
  };
  if (line !== undefined) input.line = line;
  return input;
}

export function backupCard(b: BackupCardInput): SlackMessage {
  const info = BACKUP_STATUS.info[b.status];
  const env = b.environment ? ` (${escapeMrkdwn(b.environment)})` : '';
  const title = `${info.emoji} *${info.label}* — backup of ${code(b.connection)}${env}`;
  const fields = [
    `*Connection*\n${code(b.connection)}${env}`,
    `*Type*\n${escapeMrkdwn(b.type)}`,
    `*Requested by*\n${userMention(b.requestedBy)}`,
    `*Backup id*\n${b.id ? code(b.id) : '_assigning…_'}`,
  ];
  if (b.note) fields.push(`*Note*\n${escapeMrkdwn(b.note)}`);
  const blocks: Block[] = [section(title), fieldsSection(fields)];
  blocks.push(context([b.line ?? 'Progress and results are posted in this thread.']));
  return colouredCard(`${info.label}: backup of ${b.connection}`, info.color, blocks);
}

/** The card's foot once a backup ended: what it holds (the biggest kinds first), or where the failure is told. */
export function backupOutcomeLine(b: Backup): string {
  if (b.status !== 'completed') return 'The reason and what to do next are in this thread.';
  const counts = Object.entries(b.counts ?? {})
    .filter(([, n]) => n > 0)
    .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]));
  const top = counts
    .slice(0, 4)
    .map(([kind, n]) => `${n.toLocaleString('en-US')} ${escapeMrkdwn(kind.replace(/_/g, ' '))}`);
  const more = counts.length > 4 ? ', …' : '';
  const what = top.length ? ` (${top.join(', ')}${more})` : '';
  return `${plural(totalEntities(b.counts), 'entity', 'entities')}${what}. Size, checksum and every count in this thread.`;
}
