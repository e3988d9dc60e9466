/**
 * `snapgate restores <verb>`: restore requests after they were asked for. Each verb is one function that
 * adds itself to the group (`list`, `cancel` and `reject` join the same way):
 * - `restores show <id>`: the request, its backup (type, when taken), where it stands and the plan it
 *   awaits approval for with its hash — what the approver reviews before `approve --plan <hash>`;
 * - `restores undo <id> --reason`: a new request of the pre-restore backup that restore took, planned here
 *   like `restore`; refused in words when the restore wrote nothing or that backup is gone.
 */
import type { Command } from 'commander';
import { RestoreRefusedError, requestUndo, undoReason } from '../../app/index.ts';
import { CliError } from '../errors.ts';
import { formatRestoreRequest } from '../restore-view.ts';
import { addConfigOption, type ConfigFlag, cliActor, withServices } from './backup-context.ts';
import { describeSelection, planAndReport } from './restore.ts';

function registerShow(restores: Command): void {
  addConfigOption(
    restores
      .command('show <request-id>')
      .description('a restore request with the plan (and its hash) it awaits approval for'),
  ).action(async (id: string, flags: ConfigFlag) => {
    await withServices(flags, async (services) => {
      const restore = await services.repos.restores.get(id);
      if (!restore) throw new CliError(`restore ${id} does not exist`);
      const backup = await services.repos.backups.get(restore.backupId);
      process.stdout.write(formatRestoreRequest(restore, backup));
    });
  });
}

function registerUndo(restores: Command): void {
  addConfigOption(
    restores
      .command('undo <request-id>')
      .description(
        'ask to restore the pre-restore backup a finished restore took (a new request to approve)',
      ),
  )
    .option('--reason <text>', 'why (default: "undo of <request-id>")')
    .action(async (id: string, flags: ConfigFlag & { reason?: string }) => {
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
          await planAndReport(services, requested.restore.id);
        },
        { queues: true },
      );
    });
}

export function registerRestores(program: Command): void {
  const restores = program.command('restores').description('restore requests: show, undo');
  registerShow(restores);
  registerUndo(restores);
}
