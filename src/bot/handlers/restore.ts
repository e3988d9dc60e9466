import type { CommandOf } from '../grammar/index.ts';
import type { RestoreBackupChoice } from '../restore-services.ts';
import { lookupUserTimezone } from '../slack/lookups.ts';
import { type CommandContext, type CommandResult, requireRole } from './context.ts';
import { startRestoreRequest } from './restore-request.ts';
import { resolveAt } from './restore-time.ts';

/**
 * `/kong restore <connection> <backup-id|latest> [--at TIME] [--include-pre-restore] [--only s]
 * [--no-deletes] [--break-glass] --reason "…"` (operator; `--break-glass` needs admin). A local `--at` is
 * read in the caller's Slack timezone; `latest` and `--at` skip pre-restore backups unless asked. The card, the request and every refusal are handled by `startRestoreRequest`.
 */
export async function restore(cmd: CommandOf<'restore'>, ctx: CommandContext): Promise<CommandResult> {
  const denied = await requireRole(ctx, cmd.connection, cmd.breakGlass ? 'admin' : 'operator');
  if (denied) return { ...denied, details: { ...denied.details, breakGlass: cmd.breakGlass } };
  const include = cmd.includePreRestore ? { includePreRestore: true } : {};
  let backup: RestoreBackupChoice = cmd.backup.kind === 'latest' ? { ...cmd.backup, ...include } : cmd.backup;
  if (cmd.at) {
    const at = await resolveAt(cmd.at, () => lookupUserTimezone(ctx.outbox, ctx.userId));
    backup = { kind: 'at', time: at.time, ...include };
  }
  return startRestoreRequest(ctx, ctx, {
    connection: cmd.connection,
    backup,
    reason: cmd.reason,
    ...(cmd.only ? { only: cmd.only } : {}),
    ...(cmd.noDeletes ? { noDeletes: true } : {}),
    ...(cmd.breakGlass ? { breakGlass: true } : {}),
  });
}
