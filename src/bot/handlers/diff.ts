import type { Backup } from '../../app/ports/records.ts';
import type { CommandOf } from '../grammar/index.ts';
import { type DiffCardInput, diffFailedCard, diffPendingCard, diffResultCard } from '../views/diff-card.ts';
import { diffText } from '../views/diff-text.ts';
import { explainFailure } from '../views/failure.ts';
import { code } from '../views/format.ts';
import { note } from '../views/simple.ts';
import { type CommandContext, type CommandResult, inBackground, requireRole } from './context.ts';

/**
 * `/kong diff <connection> <backup-id|latest> [--only sections]` (operator): what a restore from that
 * backup would change on the live gateway. The card is posted at once; reading the artifact and dumping
 * the gateway happen in the background (they can take longer than Slack waits), then the card shows the
 * counts and first changes and the full diff, secrets masked, is uploaded into its thread.
 */
export async function diff(cmd: CommandOf<'diff'>, ctx: CommandContext): Promise<CommandResult> {
  const denied = await requireRole(ctx, cmd.connection, 'operator');
  if (denied) return denied;
  const target = await findBackup(cmd, ctx);
  if (typeof target === 'string') {
    await ctx.respond(note(target));
    return { outcome: 'refused', connection: cmd.connection, details: { reason: target.slice(0, 200) } };
  }
  const input: DiffCardInput = {
    connection: cmd.connection,
    backup: target,
    requestedBy: ctx.userId,
    now: ctx.services.now(),
  };
  if (cmd.only) input.only = cmd.only;
  const posted = await ctx.outbox.run(ctx.channelId, (c) =>
    c.chat.postMessage({ channel: ctx.channelId, ...diffPendingCard(input) }),
  );
  const ref = { channel: ctx.channelId, ts: posted.ts! };
  ctx.cards.posted(ref);
  inBackground(ctx, `diff of ${cmd.connection}`, async () => {
    try {
      const options = cmd.only ? { only: cmd.only } : {};
      // the whole live gateway (parents outside --only still decide whether a reference dangles), the
      // backup filled with the gateway's defaults and preflighted: the card shows what a restore would do
      const plan = await ctx.services.planAgainstLive(
        cmd.connection,
        ctx.services.loadBackupSnapshot(target),
        options,
      );
      ctx.cards.update(ref, diffResultCard(input, plan));
      const header = [
        `snapgate diff: live gateway ${cmd.connection} -> backup ${target.id}`,
        `backup taken ${target.createdAt.toISOString()}; diff computed ${ctx.services.now().toISOString()}`,
        `sections: ${cmd.only?.join(', ') ?? 'all'}; plan hash ${plan.planHash}`,
        'Secret values are masked.',
      ];
      await ctx.outbox.run(ctx.channelId, (c) =>
        c.filesUploadV2({
          channel_id: ctx.channelId,
          thread_ts: ref.ts,
          content: diffText(header, plan),
          filename: `diff-${cmd.connection}-${target.id}.txt`,
          title: `Diff of ${cmd.connection} against backup ${target.id}`,
        }),
      );
    } catch (err) {
      const { advice, reason } = explainFailure({ code: null, reason: (err as Error).message });
      ctx.cards.update(ref, diffFailedCard(input, advice, reason));
      throw err;
    }
  });
  return {
    outcome: 'ok',
    connection: cmd.connection,
    targetId: target.id,
    details: cmd.only ? { only: cmd.only } : {},
  };
}

/** The backup to compare against, or why there is none. */
async function findBackup(cmd: CommandOf<'diff'>, ctx: CommandContext): Promise<Backup | string> {
  if (cmd.backup.kind === 'latest') {
    const latest = await ctx.services.backups.findLatestCompleted(cmd.connection);
    return (
      latest ??
      `There is no completed backup of ${code(cmd.connection)} yet. Take one: \`/kong backup ${cmd.connection}\`.`
    );
  }
  const b = await ctx.services.backups.get(cmd.backup.id);
  if (!b) return `There is no backup ${code(cmd.backup.id)}.`;
  if (b.connection !== cmd.connection)
    return `Backup ${code(b.id)} belongs to ${code(b.connection)}, not ${code(cmd.connection)}.`;
  if (b.status !== 'completed')
    return `Backup ${code(b.id)} is ${b.status}; only completed backups can be compared.`;
  if (b.prunedAt) return `Backup ${code(b.id)} was removed by retention; its artifact is gone.`;
  return b;
}
