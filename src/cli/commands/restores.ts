/**
 * `snapgate restores <verb>`: restore requests after they were asked for. Each verb is one function that
 * adds itself to the group:
 * - `restores list [connection] [--status S] [--limit N]`: requests, newest first, one line each;
 * - `restores show <id>`: the request, its backup (type, when taken), where it stands and the plan it
 *   awaits approval for with its hash — what the approver reviews before `approve --plan <hash>`; a
 *   running restore says until when it blocks its connection at the latest;
 * - `restores cancel <id>`: the requester (`cli:<login>`) withdraws a request not yet approved;
 * - `restores reject <id> --as U… --credential-file F`: an approver closes it, proven as for `approve`;
 * - `restores undo <id> --reason`: a new request of the pre-restore backup that restore took, planned here
 *   like `restore`; refused in words when the restore wrote nothing or that backup is gone.
 */
import type { Command } from 'commander';
import {
  blockedNotice,
  cancelRestore,
  failSilentRestores,
  proveApprover,
  type RestoreDecision,
  RestoreRefusedError,
  rejectRestore,
  requestUndo,
  undoReason,
} from '../../app/index.ts';
import type { Restore } from '../../app/ports/records.ts';
import { RESTORE_STATUS, type RestoreStatus } from '../../core/status.ts';
import { CliError } from '../errors.ts';
import { formatRestoreRequest } from '../restore-view.ts';
import { type CredentialFlags, configAuthorize, readCredential } from './approve.ts';
import {
  addConfigOption,
  type ConfigFlag,
  cliActor,
  formatTime,
  parsePositiveInt,
  withServices,
} from './backup-context.ts';
import { addPlanViewOptions, describeSelection, type PlanView, planAndReport } from './restore.ts';

function registerList(restores: Command): void {
  addConfigOption(
    restores
      .command('list [connection]')
      .description('restore requests, newest first (all connections by default)'),
  )
    .option('--status <status>', `only requests in this state (${RESTORE_STATUS.statuses.join(', ')})`)
    .option('--limit <n>', 'how many', '20')
    .action(
      async (connection: string | undefined, flags: ConfigFlag & { status?: string; limit: string }) => {
        const limit = parsePositiveInt(flags.limit, '--limit');
        const status = flags.status as RestoreStatus | undefined;
        if (status !== undefined && !RESTORE_STATUS.statuses.includes(status))
          throw new CliError(
            `--status must be one of ${RESTORE_STATUS.statuses.join(', ')} (got "${flags.status}")`,
          );
        await withServices(flags, async (services) => {
          const names = connection
            ? [services.connection(connection).name]
            : services.config.connections.map((c) => c.name);
          await failSilentRestores(services); // a dead worker's restore is not listed as running
          const rows: Restore[] = [];
          for (const name of names) {
            const found = status
              ? await services.repos.restores.listByStatus(status, { connection: name, limit })
              : await services.repos.restores.listByConnection(name, { limit });
            rows.push(...found);
          }
          rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
          if (rows.length === 0) {
            process.stdout.write(
              `no restore requests${connection ? ` of ${connection}` : ''}${status ? ` ${status}` : ''}\n`,
            );
            return;
          }
          for (const r of rows.slice(0, limit)) process.stdout.write(`${restoreLine(r)}\n`);
        });
      },
    );
}

function registerShow(restores: Command): void {
  addConfigOption(
    restores
      .command('show <request-id>')
      .description('a restore request with the plan (and its hash) it awaits approval for'),
  ).action(async (id: string, flags: ConfigFlag) => {
    await withServices(flags, async (services) => {
      const found = await services.repos.restores.get(id);
      if (!found) throw new CliError(`restore ${id} does not exist`);
      await failSilentRestores(services, found.connection);
      const restore = (await services.repos.restores.get(id)) ?? found;
      const backup = await services.repos.backups.get(restore.backupId);
      process.stdout.write(formatRestoreRequest(restore, backup));
      const blocked = blockedNotice(services, restore);
      if (blocked) process.stdout.write(`${blocked}\n`);
    });
  });
}

function decisionError(decision: RestoreDecision): CliError | null {
  return decision.ok ? null : new CliError(`${decision.message}`);
}

function registerCancel(restores: Command): void {
  addConfigOption(
    restores
      .command('cancel <request-id>')
      .description('withdraw your own restore request (before it is approved)'),
  ).action(async (id: string, flags: ConfigFlag) => {
    await withServices(flags, async (services) => {
      const restore = await services.repos.restores.get(id);
      if (!restore) throw new CliError(`not cancelled: restore ${id} does not exist`);
      const by = cliActor();
      if (restore.requestedBy !== by) {
        throw new CliError(
          `not cancelled: restore ${id} was requested by ${restore.requestedBy}; only they can cancel it` +
            (restore.requestedBy.startsWith('cli:') ? '' : ` (in Slack: /kong cancel ${id})`) +
            `, or an approver can reject it (snapgate restores reject ${id} --as <approver> --credential-file <file>)`,
        );
      }
      // a CLI login holds no Slack role (asking for a restore on the CLI needs none either); the repository
      // still lets only the requester cancel
      const anyCliUser = async () => true;
      const error = decisionError(
        await cancelRestore(services, { restoreId: id, by, actor: by, authorize: anyCliUser }),
      );
      if (error) throw new CliError(`not cancelled: ${error.message}`);
      process.stdout.write(`restore ${id} cancelled; ${restore.connection} is free for a new request\n`);
    });
  });
}

function registerReject(restores: Command): void {
  addConfigOption(
    restores
      .command('reject <request-id>')
      .description("reject someone's restore request (an approver, proven by their credential)"),
  )
    .option('--as <user>', 'the approver (a user id listed under roles.approver or roles.admin)')
    .option('--credential-file <file>', "the approver's own credential (approvers: in snapgate.yml)")
    .option('--credential-env <var>', "environment variable holding the approver's credential")
    .action(async (id: string, flags: ConfigFlag & CredentialFlags & { as?: string }) => {
      const by = flags.as?.trim();
      if (!by) throw new CliError('--as <user> is required: who rejects this restore');
      const credential = await readCredential(flags);
      await withServices(flags, async (services) => {
        const { proof } = proveApprover(services.config, by, credential);
        const decision = await rejectRestore(services, {
          restoreId: id,
          by,
          authorize: configAuthorize(services.config),
          actor: cliActor(),
          proof,
        });
        const error = decisionError(decision);
        if (error) throw new CliError(`not rejected: ${error.message}`);
        process.stdout.write(`restore ${id} rejected by ${by}\n`);
      });
    });
}

/** One request on one line: id, when asked, connection, state, who asked, the backup and why. */
function restoreLine(r: Restore): string {
  return `${r.id}  ${formatTime(r.createdAt)}  ${r.connection}  ${r.status.padEnd(17)} ${r.requestedBy}  backup ${r.backupId}  "${r.reason}"`;
}

function registerUndo(restores: Command): void {
  const command = addConfigOption(
    restores
      .command('undo <request-id>')
      .description(
        'ask to restore the pre-restore backup a finished restore took (a new request to approve)',
      ),
  ).option('--reason <text>', 'why (default: "undo of <request-id>")');
  addPlanViewOptions(command).action(
    async (id: string, flags: ConfigFlag & PlanView & { reason?: string }) => {
      await withServices(
        flags,
        async (services) => {
          let requested: Awaited<ReturnType<typeof requestUndo>>;
          try {
            requested = await requestUndo(
              services,
              { restoreId: id, requestedBy: cliActor(), reason: flags.reason?.trim() || undoReason(id) },
              { enqueuePlan: false },
            );
          } catch (err) {
            if (err instanceof RestoreRefusedError) throw new CliError(err.message);
            throw err;
          }
          const selector = { kind: 'id', id: requested.backup.id } as const;
          process.stdout.write(
            `undo of restore ${id}: ${describeSelection(requested.backup, selector, undefined)}\n`,
          );
          await planAndReport(services, requested.restore.id, flags);
        },
        { queues: true },
      );
    },
  );
}

export function registerRestores(program: Command): void {
  const restores = program
    .command('restores')
    .description('restore requests: list, show, cancel, reject, undo');
  registerList(restores);
  registerShow(restores);
  registerCancel(restores);
  registerReject(restores);
  registerUndo(restores);
}
