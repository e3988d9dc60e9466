import type { CommandOf } from '../grammar/index.ts';
import { note, refusalMessage } from '../views/simple.ts';
import { actionFilter } from './audit-cursor.ts';
import { auditPage } from './audit-query.ts';
import type { CommandContext, CommandResult } from './context.ts';

/**
 * `/kong audit [--connection c] [--user @x] [--action a] [--since 7d] [--limit N]`: the newest matching
 * events, answered only to the caller, with a "Next page" button while more remain.
 */
export async function audit(cmd: CommandOf<'audit'>, ctx: CommandContext): Promise<CommandResult> {
  if (cmd.verify) return verifyAudit(ctx);
  const query = {
    limit: cmd.limit,
    page: 1,
    ...(cmd.connection ? { connection: cmd.connection } : {}),
    ...(cmd.user ? { actor: cmd.user.id } : {}),
    ...(cmd.action ? { action: actionFilter(cmd.action) } : {}),
    ...(cmd.sinceMs !== undefined ? { since: ctx.services.now().getTime() - cmd.sinceMs } : {}),
  };
  const page = await auditPage(ctx.services, ctx.auth, ctx.userId, query);
  const details = { limit: cmd.limit, ...(cmd.action ? { filterAction: query.action } : {}) };
  if (!page.ok) {
    await ctx.respond(refusalMessage(page.message));
    const base = {
      outcome: page.known ? ('denied' as const) : ('refused' as const),
      details: { ...details, needed: page.needed },
    };
    return cmd.connection ? { ...base, connection: cmd.connection } : base;
  }
  await ctx.respond(page.message);
  const result: CommandResult = { outcome: 'ok', details: { ...details, shown: page.shown } };
  if (cmd.connection) result.connection = cmd.connection;
  return result;
}

/**
 * `/kong audit verify`: the whole chain against the newest signed checkpoint, answered only to the caller.
 * It reads every row, so it needs what the unfiltered log needs: admin on some connection.
 */
async function verifyAudit(ctx: CommandContext): Promise<CommandResult> {
  const details = { verify: true };
  if (!(await ctx.auth.isAdminAnywhere(ctx.userId))) {
    await ctx.respond(refusalMessage('Verifying the audit log needs the *admin* role on a connection.'));
    return { outcome: 'denied', details: { ...details, needed: 'admin' } };
  }
  if (!ctx.services.verifyAudit) {
    await ctx.respond(note('This server cannot verify the audit log (no checkpoint keys configured).'));
    return { outcome: 'failed', details };
  }
  const r = await ctx.services.verifyAudit();
  await ctx.respond(note(`${r.ok ? ':white_check_mark:' : ':rotating_light:'} Audit log: ${r.message}`));
  return { outcome: r.ok ? 'ok' : 'failed', details: { ...details, finding: r.finding } };
}
