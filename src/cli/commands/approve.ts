/**
 * `snapgate approve <request-id> --as <user> [--wait]`: approves a restore request under the same rules
 * as the Slack button — `--as` must differ from the requester and hold `approver` (or `admin`) for the
 * connection in snapgate.yml's `roles`, the request must be awaiting approval and unexpired. The audit
 * log records `cli:<os user>` as the actor and the `--as` user as the approver. `--wait` follows the
 * restore to its end (exit 1 unless it completed).
 */
import type { Command } from 'commander';
import type { Restore } from '../../app/ports/records.ts';
import type { Config } from '../../config/index.ts';
import { RESTORE_STATUS } from '../../core/status.ts';
import { type Authorize, approveRestore, type Services } from '../../jobs/index.ts';
import { CliError } from '../errors.ts';
import {
  addConfigOption,
  type ConfigFlag,
  cliActor,
  parsePositiveInt,
  withServices,
} from './backup-context.ts';

interface ApproveFlags extends ConfigFlag {
  as?: string;
  wait?: boolean;
  timeout: string;
}

/** Role lists from the config: admins hold every approver right too (src/bot/auth/roles.ts order). */
export function configAuthorize(config: Config): Authorize {
  return async (connection, user, role) => {
    const roles = config.connections.find((c) => c.name === connection)?.roles;
    if (!roles) return false;
    return role === 'admin' ? roles.admin.includes(user) : [...roles.approver, ...roles.admin].includes(user);
  };
}

export function describeRestore(r: Restore): string {
  const label = RESTORE_STATUS.info[r.status].label;
  const summary = r.planSummary as { result?: { applied?: number; drift?: number | null } } | null;
  const result = summary?.result;
  const detail = result ? ` (${result.applied ?? 0} applied, drift ${result.drift ?? 'not checked'})` : '';
  const pre = r.preRestoreBackupId ? `; pre-restore backup ${r.preRestoreBackupId}` : '';
  const why = r.failureReason ? `: ${r.failureReason}` : '';
  return `restore ${r.id}: ${label}${detail}${why}${pre}`;
}

async function waitForEnd(services: Services, id: string, timeoutMs: number): Promise<Restore> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await services.repos.restores.get(id);
    if (r && (RESTORE_STATUS.isTerminal(r.status) || r.status === 'awaiting_approval')) return r;
    if (Date.now() > until) {
      throw new CliError(
        `restore ${id} is still ${r?.status ?? 'unknown'} (is a worker running? snapgate worker)`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export function registerApprove(program: Command): void {
  addConfigOption(
    program.command('approve <request-id>').description("approve someone else's restore request"),
  )
    .option('--as <user>', 'the approver (a user id listed under roles.approver or roles.admin)')
    .option('--wait', 'wait for the restore to finish and print its result (exit 1 unless it completed)')
    .option('--timeout <seconds>', 'with --wait: give up waiting after this long', '1800')
    .action(async (id: string, flags: ApproveFlags) => {
      const approver = flags.as?.trim();
      if (!approver) throw new CliError('--as <user> is required: who approves this restore');
      const timeoutMs = parsePositiveInt(flags.timeout, '--timeout') * 1000;
      await withServices(
        flags,
        async (services) => {
          const decision = await approveRestore(services, {
            restoreId: id,
            approver,
            authorize: configAuthorize(services.config),
            actor: cliActor(),
          });
          if (!decision.ok) throw new CliError(`not approved: ${decision.message}`);
          process.stdout.write(`restore ${id} approved by ${approver}; queued\n`);
          if (!flags.wait) return;
          const end = await waitForEnd(services, id, timeoutMs);
          process.stdout.write(`${describeRestore(end)}\n`);
          if (end.status === 'awaiting_approval') {
            throw new CliError(
              `the gateway changed since the plan was approved; review the new plan and approve again`,
            );
          }
          if (end.status !== 'completed') {
            const why = end.failureReason ? `: ${end.failureReason}` : '';
            throw new CliError(`restore ${id} ended ${end.status}${why}`);
          }
        },
        { queues: true },
      );
    });
}
