import { randomUUID } from 'node:crypto';
import { failureAdvice } from '../../app/failure-advice.ts';
import type { Backup } from '../../app/ports/records.ts';
import { sectionsRefusal } from '../../core/index.ts';
import type { CommandOf } from '../grammar/index.ts';
import { type DiffCardInput, diffFailedCard, diffPendingCard } from '../views/diff-card.ts';
import { explainFailure, scrubReason } from '../views/failure.ts';
import { code } from '../views/format.ts';
import { note } from '../views/simple.ts';
import { type CommandContext, type CommandResult, requireRole } from './context.ts';

/**
 * `/kong diff <connection> <backup-id|latest> [--only sections]` (operator): what a restore from that
 * backup would change on the live gateway. The card is posted at once and the diff is queued as a job
 * (it survives a restart of this process); a worker plans it as a restore would, then the notifier edits
 * the card with the counts and first changes and uploads the full diff, secrets masked, into its thread.
 */
export async function diff(cmd: CommandOf<'diff'>, ctx: CommandContext): Promise<CommandResult> {
  const denied = await requireRole(ctx, cmd.connection, 'operator');
  if (denied) return denied;
  const connection = ctx.services.config.connections.find((c) => c.name === cmd.connection);
  const wrongSections = sectionsRefusal(cmd.only, connection?.type);
  if (wrongSections) return refused(cmd, ctx, `${wrongSections}.`);
  const target = await latestOrNamed(cmd, ctx);
  if (typeof target === 'string') return refused(cmd, ctx, target);
  const unusable = await ctx.services.diffRefusal(cmd.connection, target.id);
  if (unusable) return refused(cmd, ctx, unusable);
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
  let why: string | null;
  try {
    why = await ctx.services.requestDiff({
      id: randomUUID(),
      connection: cmd.connection,
      backupId: target.id,
      ...(cmd.only ? { only: cmd.only } : {}),
      requestedBy: ctx.userId,
      slack: ref,
    });
  } catch (err) {
    // Redis did not take the job: the card must not say "computing" forever
    const reason = `could not be queued: ${(err as Error).message}`;
    const { advice } = explainFailure({ code: 'queue_unavailable', reason });
    ctx.cards.update(ref, diffFailedCard(input, advice, scrubReason(reason)));
    throw err;
  }
  if (why) {
    ctx.cards.update(ref, diffFailedCard(input, failureAdvice('backup_unreadable'), why));
    return refused(cmd, ctx, why);
  }
  return {
    outcome: 'ok',
    connection: cmd.connection,
    targetId: target.id,
    details: cmd.only ? { only: cmd.only } : {},
  };
}

async function refused(cmd: CommandOf<'diff'>, ctx: CommandContext, why: string): Promise<CommandResult> {
  await ctx.respond(note(why));
  return { outcome: 'refused', connection: cmd.connection, details: { reason: why.slice(0, 200) } };
}

/** The backup to compare against (the latest completed one, or the one named), or why there is none. */
async function latestOrNamed(cmd: CommandOf<'diff'>, ctx: CommandContext): Promise<Backup | string> {
  if (cmd.backup.kind === 'latest') {
    const latest = await ctx.services.backups.findLatestCompleted(cmd.connection);
    return (
      latest ??
      `There is no completed backup of ${code(cmd.connection)} yet. Take one: \`/kong backup ${cmd.connection}\`.`
    );
  }
  const b = await ctx.services.backups.get(cmd.backup.id);
  return b ?? `There is no backup ${code(cmd.backup.id)}.`;
}
