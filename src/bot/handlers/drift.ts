import { derivedBackupId } from '../../app/index.ts';
import type { CommandOf } from '../grammar/index.ts';
import { code } from '../views/format.ts';
import { note } from '../views/simple.ts';
import { type CommandContext, type CommandResult, requireRole } from './context.ts';

/**
 * `/kong drift <connection>` (operator): queues a drift check now; a worker compares the live gateway with
 * the newest backup (one dump and one plan, no writes) and posts the answer in this channel — the drift
 * card with the full diff in its thread, "no drift", or why it failed. The check's id derives from the
 * command's `trigger_id`, so a command taken over after a restart queues it once.
 */
export async function drift(cmd: CommandOf<'drift'>, ctx: CommandContext): Promise<CommandResult> {
  const denied = await requireRole(ctx, cmd.connection, 'operator');
  if (denied) return denied;
  const connection = ctx.auth.connection(cmd.connection)!;
  if (!ctx.services.requestDrift) {
    await ctx.respond(note('This server runs no drift checks.'));
    return { outcome: 'refused', connection: connection.name, details: { reason: 'no_drift_service' } };
  }
  const id = derivedBackupId(`drift:${ctx.triggerId ?? `${ctx.userId}:${ctx.services.now().getTime()}`}`);
  await ctx.services.requestDrift({
    id,
    connection: connection.name,
    requestedBy: ctx.userId,
    channel: ctx.channelId,
  });
  await ctx.respond(
    note(`Checking ${code(connection.name)} for drift from its newest backup; the answer is posted here.`),
  );
  return { outcome: 'ok', connection: connection.name, targetId: id };
}
