/**
 * Alert messages (src/app/watch): the alert itself in the alerts channel — what went wrong, the reason,
 * the advice for its failure code, the backup and copy concerned, a mention, and for a failed or missing
 * backup a Retry button (a new backup of the connection, role-checked when clicked) — then, in its
 * thread, each repeat and the "resolved" reply.
 */
import type { AlertEvent, AlertKind } from '../../app/index.ts';
import { actions, button, context, escapeMrkdwn, section } from '../blocks/index.ts';
import { code } from './format.ts';
import { colouredCard, type SlackMessage } from './message.ts';

export const ALERT_RETRY_ACTION = 'alert_retry';
const RED = '#e01e5a';

const TITLE: Record<AlertKind, string> = {
  'backup-failed': 'Scheduled backup failed',
  'backup-missing': 'No recent backup',
  'verify-failed': 'Backup verification failed',
  'rehearsal-failed': 'Restore rehearsal failed',
};

/** `U…` → <@U…>, `S…` → <!subteam^S…>, `here`/`channel` → <!here>/<!channel>. */
export function mentionOf(who: string | null): string {
  if (!who) return '';
  if (who === 'here' || who === 'channel' || who === 'everyone') return `<!${who}> `;
  if (/^S[A-Z0-9]+$/.test(who)) return `<!subteam^${who}> `;
  return `<@${who}> `;
}

export function alertMessage(e: AlertEvent): SlackMessage {
  const title = `${TITLE[e.kind]}: ${e.connection}`;
  const facts = [
    ...(e.backupId ? [`backup ${code(e.backupId)}`] : []),
    ...(e.copy ? [`copy ${code(e.copy)}`] : []),
    ...(e.failureCode ? [`failure code ${code(e.failureCode)}`] : []),
  ];
  const blocks = [
    section(`:rotating_light: ${mentionOf(e.mention)}*${escapeMrkdwn(title)}*`),
    section(`*Reason*\n${escapeMrkdwn(e.reason)}`),
    ...(e.advice ? [section(escapeMrkdwn(e.advice))] : []),
    context([
      ...(facts.length ? [facts.join(' · ')] : []),
      `Connection ${code(e.connection)} · since ${e.since.toISOString()}. Not alerted again while it stays the same.`,
    ]),
    ...(e.retry
      ? [
          actions([
            button({
              text: 'Retry backup',
              actionId: ALERT_RETRY_ACTION,
              value: e.connection,
              style: 'primary',
            }),
          ]),
        ]
      : []),
  ];
  return colouredCard(title, RED, blocks);
}

export function alertRepeatMessage(e: AlertEvent): SlackMessage {
  const what = `Still ${TITLE[e.kind].toLowerCase()} on ${e.connection} (reminder ${e.repeat}, open since ${e.since.toISOString()}): ${e.reason}`;
  return { text: `:rotating_light: ${mentionOf(e.mention)}${escapeMrkdwn(what).slice(0, 2900)}` };
}

export function alertResolvedMessage(e: AlertEvent): SlackMessage {
  return {
    text: `:white_check_mark: Resolved: ${escapeMrkdwn(e.reason)} (${TITLE[e.kind].toLowerCase()} on ${code(e.connection)} since ${e.since.toISOString()}).`,
  };
}
