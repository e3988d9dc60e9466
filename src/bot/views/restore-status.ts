/** `/kong status <restore-id>`: where a restore request stands (the restore issue adds its own card). */

import type { Restore } from '../../app/ports/records.ts';
import { RESTORE_STATUS } from '../../core/status.ts';
import { escapeMrkdwn, fieldsSection, section } from '../blocks/index.ts';
import { explainFailure } from './failure.ts';
import { code, slackDate, userMention } from './format.ts';
import type { SlackMessage } from './message.ts';

export function restoreStatusMessage(r: Restore): SlackMessage {
  const info = RESTORE_STATUS.info[r.status];
  const fields = [
    `*Status*\n${info.emoji} ${info.label}`,
    `*Connection*\n${code(r.connection)}`,
    `*Backup*\n${code(r.backupId)}`,
    `*Requested by*\n${userMention(r.requestedBy)}`,
    `*Reason*\n${escapeMrkdwn(r.reason)}`,
    `*Sections*\n${r.onlySections?.length ? r.onlySections.map(code).join(', ') : 'all'}`,
    `*Created*\n${slackDate(r.createdAt)}`,
    `*Expires*\n${slackDate(r.expiresAt)}`,
  ];
  if (r.approvedBy) fields.push(`*Approved by*\n${userMention(r.approvedBy)}`);
  const blocks = [section(`*Restore request ${code(r.id)}*`), fieldsSection(fields)];
  if (r.failureReason) {
    const { advice, reason } = explainFailure({ code: r.failureCode, reason: r.failureReason });
    blocks.push(section(`*Why it failed*\n${escapeMrkdwn(reason)}\n${advice}`));
  }
  return { text: `Restore ${r.id}: ${info.label}`, blocks };
}
