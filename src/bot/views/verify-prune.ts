/** Verify results (per copy) and prune summaries, as the jobs report them. */
import type { Backup } from '../../app/ports/records.ts';
import { type Block, context, escapeMrkdwn, section } from '../blocks/index.ts';
import { code, plural } from './format.ts';
import { listMessage } from './lines.ts';
import { colouredCard, type SlackMessage } from './message.ts';

export interface VerifySummary {
  backup: Backup;
  ok: boolean;
  copies: { target: string; location: string; ok: boolean; problem?: string; keyProblem?: boolean }[];
}

export interface PruneSummary {
  connection: string;
  dryRun: boolean;
  decisions: { backupId: string; action: 'keep' | 'remove'; reasons: string[] }[];
  deletedArtifacts: string[];
}

const GREEN = '#2eb67d';
const RED = '#e01e5a';
const GREY = '#9e9e9e';

function copyLines(v: VerifySummary): string[] {
  return v.copies.map(
    (c) =>
      `${c.ok ? ':white_check_mark:' : ':x:'} copy ${code(c.target)}` +
      `${c.ok ? ' — checksum ok, decrypts' : ` — ${escapeMrkdwn(c.problem ?? 'failed')}`}`,
  );
}

export function verifyPendingCard(backupId: string, connection: string, requestedBy: string): SlackMessage {
  return colouredCard(`Verifying backup ${backupId}`, GREY, [
    section(`:hourglass_flowing_sand: *Verifying* backup ${code(backupId)} of ${code(connection)}`),
    context([`Requested by <@${requestedBy}>. Every copy is checked: present, checksum, decrypts, parses.`]),
  ]);
}

export function verifyResultCard(v: VerifySummary): SlackMessage {
  const headline = v.ok
    ? `:white_check_mark: *Verified* backup ${code(v.backup.id)} of ${code(v.backup.connection)}: ${plural(v.copies.length, 'copy', 'copies')} ok`
    : `:x: *Verify failed* for backup ${code(v.backup.id)} of ${code(v.backup.connection)}`;
  const keyOnly = !v.ok && v.copies.some((c) => !c.ok) && v.copies.every((c) => c.ok || c.keyProblem);
  const foot: Block[] = v.ok
    ? []
    : keyOnly
      ? [
          context([
            'The copies are intact (checksums match), but the key ring does not open them: check `keys` in snapgate.yml (the key with this id, its variable or file).',
          ]),
        ]
      : [context(['A bad copy can be replaced from a good one; take a fresh backup if none is good.'])];
  const blocks = listMessage([section(headline)], copyLines(v), foot);
  return colouredCard(v.ok ? 'Backup verified' : 'Backup verify failed', v.ok ? GREEN : RED, blocks);
}

export function verifyThreadMessage(v: VerifySummary): SlackMessage {
  const card = verifyResultCard(v);
  return { text: card.text, blocks: card.attachments?.[0]?.blocks as Block[] };
}

export function pruneMessage(p: PruneSummary): SlackMessage {
  const removed = p.decisions.filter((d) => d.action === 'remove');
  const verb = p.dryRun ? 'would remove' : 'removed';
  const lines = removed.map(
    (d) => `• ${code(d.backupId)} — ${escapeMrkdwn(d.reasons.join('; ') || 'not kept by any rule')}`,
  );
  return {
    text: `Retention of ${p.connection}: ${verb} ${removed.length} backups`,
    blocks: listMessage(
      [
        section(
          `:broom: Retention of ${code(p.connection)} ${verb} ${plural(removed.length, 'backup')} of ${p.decisions.length}.`,
        ),
      ],
      lines,
    ),
  };
}
