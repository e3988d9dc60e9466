/**
 * `/kong show <connection>`: where the connection's backups are stored, target by target (the primary,
 * then each copy), with the place (a path, or `s3://bucket/prefix` and the endpoint's host) and the newest
 * verification of one of its backups there. Answered only to the person who asked; never credentials.
 */

import type { StorageTargetView } from '../../app/index.ts';
import { context, escapeMrkdwn, section } from '../blocks/index.ts';
import { code, slackDate } from './format.ts';
import { listMessage } from './lines.ts';
import type { SlackMessage } from './message.ts';

function targetTitle(t: StorageTargetView): string {
  if (t.primary) return `*primary*${t.configName ? ` (${escapeMrkdwn(t.configName)})` : ''}`;
  return `*copy* ${code(t.configName ?? t.recordName)}`;
}

function placeLine(t: StorageTargetView): string {
  if (!t.place) return `${code(t.recordName)} — _no longer in the config_`;
  const p = t.place;
  return p.type === 'directory'
    ? `directory ${code(p.location)} on ${escapeMrkdwn(p.host)}`
    : `${code(p.location)} at ${code(p.host)}`;
}

function checkLine(t: StorageTargetView): string {
  const c = t.lastCheck;
  if (!c) return 'not verified yet';
  const what = `backup ${code(c.backupId)} ${slackDate(c.at)}`;
  return c.ok
    ? `:white_check_mark: verified ok — ${what}`
    : `:x: verify failed — ${what}: ${escapeMrkdwn(c.problem ?? 'failed')}`;
}

export function storageMessage(connection: string, targets: readonly StorageTargetView[]): SlackMessage {
  const lines = targets.map((t) => `${targetTitle(t)} · ${placeLine(t)}\n      ${checkLine(t)}`);
  const failing = targets.filter((t) => t.lastCheck && !t.lastCheck.ok).length;
  const head = [
    section(
      `*Storage of ${code(connection)}*: ${targets.filter((t) => t.place).length} targets` +
        (failing ? ` · :warning: ${failing} failed their last verification` : ''),
    ),
  ];
  const foot = [
    context([
      `Last verification per target, of any backup of ${code(connection)}. Check one now: \`/kong verify <backup-id>\`.`,
    ]),
  ];
  return { text: `Storage of ${connection}`, blocks: listMessage(head, lines, foot) };
}
