/**
 * `snapgate restore <connection> [backup-id|latest] [--at TIME] [--only SECTIONS] [--no-deletes] --reason
 * TEXT`: the break-glass twin of `/kong restore` for when Slack is down. It creates the same request
 * (requester `cli:<os user>`), plans it here in the CLI process — integrity check, live dump, plan — and
 * prints the plan in the diff format, its hash, the request id and when it expires. Nothing is written to
 * the gateway: a second person reviews it (`snapgate restores show <id>`) and approves exactly that plan
 * with `snapgate approve <id> --plan <hash> --as <user>`.
 */
import type { Command } from 'commander';
import {
  type BackupSelector,
  RestoreRefusedError,
  requestRestore,
  runRestorePlan,
  type Services,
} from '../../app/index.ts';
import type { Backup } from '../../app/ports/records.ts';
import { formatGap, resolveCliAt } from '../at-option.ts';
import { CliError, failedRecordError } from '../errors.ts';
import { formatPlan } from '../format-plan.ts';
import { parseSections } from '../kong-options.ts';
import { approveHint } from '../restore-view.ts';
import { addConfigOption, type ConfigFlag, cliActor, formatTime, withServices } from './backup-context.ts';

interface RestoreFlags extends ConfigFlag {
  at?: string;
  includePreRestore?: boolean;
  only?: string;
  deletes: boolean;
  reason?: string;
}

function selector(backup: string | undefined, flags: RestoreFlags): BackupSelector {
  const include = flags.includePreRestore ? { includePreRestore: true } : {};
  if (flags.at !== undefined) {
    if (backup !== undefined && backup !== 'latest')
      throw new CliError('give either a backup id or --at TIME, not both');
    const at = resolveCliAt(flags.at);
    const how = at.zone === 'as typed' ? '' : ` (read in ${at.zone})`;
    process.stdout.write(`--at ${at.typed.text}${how} = ${formatTime(at.time)}, compared to the second\n`);
    return { kind: 'at', time: at.time, ...include };
  }
  if (backup === undefined)
    throw new CliError('name the backup to restore (an id or "latest"), or give --at TIME');
  return backup === 'latest' ? { kind: 'latest', ...include } : { kind: 'id', id: backup };
}

/** Which backup was chosen, its type and when it was taken (and, for --at, how long before the time). */
export function describeSelection(chosen: Backup, how: BackupSelector, gapMs: number | undefined): string {
  const skipped = how.kind !== 'id' && !how.includePreRestore ? ', pre-restore backups skipped' : '';
  const picked =
    how.kind === 'id' ? '' : ` (${how.kind === 'latest' ? 'latest' : 'newest at or before --at'}${skipped})`;
  const gap = gapMs === undefined ? '' : `, ${formatGap(gapMs)} before the time asked for`;
  return `backup ${chosen.id}${picked}: ${chosen.type}, taken ${formatTime(chosen.startedAt ?? chosen.createdAt)}${gap}`;
}

/**
 * Plans a request here in the CLI process and prints the plan, its hash, when the request expires and how
 * the approver reviews and approves exactly this plan (also `restores undo`).
 */
export async function planAndReport(services: Services, restoreId: string): Promise<void> {
  const { restore, plan } = await runRestorePlan(services, restoreId);
  if (plan) process.stdout.write(formatPlan(plan));
  if (restore.status === 'failed') {
    throw failedRecordError(`restore ${restore.id} failed`, restore);
  }
  if (restore.status === 'completed') {
    process.stdout.write(`restore ${restore.id}: nothing to restore, the gateway already matches\n`);
    return;
  }
  process.stdout.write(
    `plan ${restore.planHash}\n` +
      `restore ${restore.id} is awaiting approval until ${formatTime(restore.expiresAt)}\n` +
      `the approver reviews it with: snapgate restores show ${restore.id}\n` +
      approveHint(restore),
  );
}

export function registerRestore(program: Command): void {
  addConfigOption(
    program
      .command('restore <connection> [backup]')
      .description(
        'ask for a restore of a backup (id or "latest"): plans it and prints the plan for approval',
      ),
  )
    .option(
      '--at <time>',
      'restore the newest completed backup taken at or before this time, to the second (no zone: read in TZ; a bare date: midnight in TZ)',
    )
    .option('--include-pre-restore', 'let latest and --at pick pre-restore backups too (skipped by default)')
    .option('--only <sections>', 'comma list of sections to restore')
    .option('--no-deletes', 'keep entities that exist only on the gateway')
    .option('--reason <text>', 'why (required; shown to the approver and kept in the audit log)')
    .action(async (connection: string, backup: string | undefined, flags: RestoreFlags) => {
      const only = parseSections(flags.only);
      if (!flags.reason?.trim()) throw new CliError('--reason is required: say why this restore is needed');
      const backupSelector = selector(backup, flags);
      await withServices(
        flags,
        async (services) => {
          let requested: Awaited<ReturnType<typeof requestRestore>>;
          try {
            requested = await requestRestore(
              services,
              {
                connection,
                backup: backupSelector,
                ...(only ? { only } : {}),
                noDeletes: !flags.deletes,
                reason: flags.reason ?? '',
                requestedBy: cliActor(),
              },
              { enqueuePlan: false },
            );
          } catch (err) {
            if (err instanceof RestoreRefusedError) throw new CliError(err.message);
            throw err;
          }
          process.stdout.write(`${describeSelection(requested.backup, backupSelector, requested.gapMs)}\n`);
          await planAndReport(services, requested.restore.id);
        },
        { queues: true },
      );
    });
}
