/**
 * Every command and click lands in the audit log: `slack.command` (a `/kong` command) or `slack.button`
 * (a button click, naming its action) with how it ended, or `slack.refused`
 * when the caller lacked the role. Details name the command and its outcome, never the typed text (it
 * may hold anything). A failing audit write is logged and does not change the answer already given.
 */
import type { AuditEventInput } from '../../audit/index.ts';
import type { BotRuntime, CommandResult } from '../handlers/context.ts';

export async function recordInteraction(
  rt: BotRuntime,
  actor: string,
  what: { command?: string; action?: string },
  result: CommandResult,
): Promise<void> {
  const event: AuditEventInput = {
    actor,
    action: result.outcome === 'denied' ? 'slack.refused' : what.action ? 'slack.button' : 'slack.command',
    outcome: result.outcome === 'ok' ? 'ok' : result.outcome === 'failed' ? 'failed' : 'refused',
    connection: result.connection ?? null,
    targetId: result.targetId ?? null,
    details: { ...what, ...(result.details ?? {}) },
  };
  try {
    await rt.services.audit.append(event);
  } catch (err) {
    rt.logger.error(`audit append failed (${event.action} by ${actor}): ${(err as Error).message}`);
    // Retry with the bare facts, so an odd detail never hides who did what.
    await rt.services.audit.append({ ...event, details: what }).catch(() => undefined);
  }
}
