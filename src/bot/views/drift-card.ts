/**
 * The drift card (src/app/watch/drift.ts): the live gateway no longer matches its newest backup. Counts
 * per section and the first changes, as a restore of that backup would make them (field names only, no
 * values); the full diff, secrets masked, goes into the card's thread as a file. Asked from Slack, the
 * card also says "no drift" or why the check failed.
 */
import type { DriftEvent } from '../../app/index.ts';
import { context, section } from '../blocks/index.ts';
import { mentionOf } from './alert.ts';
import { changeLine, FIRST_CHANGES, sectionCountLines } from './diff-card.ts';
import { code, plural } from './format.ts';
import { listMessage } from './lines.ts';
import { colouredCard, type SlackMessage } from './message.ts';

const AMBER = '#ecb22e';
const BLUE = '#1d9bd1';
const RED = '#e01e5a';

export function driftCard(e: DriftEvent): SlackMessage {
  const o = e.outcome;
  const who = e.requestedBy === 'system' ? 'scheduled check' : `asked by <@${e.requestedBy}>`;
  switch (o.status) {
    case 'no-backup':
      return colouredCard(`No backup of ${e.connection} to compare with`, BLUE, [
        section(`:grey_question: *No drift check* — ${code(e.connection)} has no completed backup yet.`),
        context([`Take one with \`/kong backup ${e.connection}\` (${who}).`]),
      ]);
    case 'unchanged':
      return colouredCard(`No drift on ${e.connection}`, BLUE, [
        section(
          `:white_check_mark: *No drift* — live ${code(e.connection)} matches backup ${code(o.backup.id)}.`,
        ),
        context([`${who} · ${e.at.toISOString()}`]),
      ]);
    case 'failed':
      return colouredCard(`Drift check of ${e.connection} failed`, RED, [
        section(`:x: ${mentionOf(e.mention)}*Drift check failed* — ${code(e.connection)}`),
        section(`*Reason* (${code(o.failure.code)})\n\`\`\`${o.failure.reason.replace(/```/g, "'''")}\`\`\``),
      ]);
    case 'drift': {
      const { create, update, delete: del } = o.plan.summary;
      const total = create + update + del;
      const head = [
        section(
          `:warning: ${mentionOf(e.mention)}*Drift on ${code(e.connection)}* — the live gateway differs from backup ${code(o.backup.id)} ` +
            `(taken ${o.backup.createdAt.toISOString()}): a restore would make ${plural(total, 'change')}: ` +
            `${create} create, ${update} update, ${del} delete.`,
        ),
        section(sectionCountLines(o.plan).join('\n')),
      ];
      const lines = o.plan.changes.slice(0, FIRST_CHANGES).map(changeLine);
      if (o.plan.changes.length > FIRST_CHANGES)
        lines.push(`…and ${o.plan.changes.length - FIRST_CHANGES} more in the file below.`);
      const notes = [
        ...(o.repeat ? ['The same drift as last reported.'] : []),
        ...(o.driftBackup ? [`Backup ${code(o.driftBackup.id)} (note \`drift\`) requested.`] : []),
        `${who} · plan ${code(o.plan.planHash.slice(0, 12))} · full diff (secrets masked) in this thread.`,
      ];
      return colouredCard(
        `Drift on ${e.connection}: ${total} changes`,
        AMBER,
        listMessage(head, ['*First changes*', ...lines], [context(notes)]),
      );
    }
  }
}
