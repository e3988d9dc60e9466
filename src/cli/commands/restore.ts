/**
 * `snapgate restore <connection> [backup-id|latest] [--at TIME] [--only SECTIONS] [--no-deletes] --reason
 * TEXT`: the break-glass twin of `/kong restore` for when Slack is down. It creates the same request
 * (requester `cli:<os user>`), plans it here in the CLI process — integrity check, live dump, plan — and
 * prints the plan in the diff format, its hash, the request id and when it expires. Nothing is written to
 * the gateway: a second person reviews it (`snapgate restores show <id>`) and approves exactly that plan
 * with `snapgate approve <id> --plan <hash> --as <user>`.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  type BackupSelector,
  RestoreRefusedError,
  requestRestore,
  runRestorePlan,
  type Services,
} from '../../app/index.ts';
import type { Backup } from '../../app/ports/records.ts';
import type { Plan } from '../../core/index.ts';
import { formatGap, resolveCliAt } from '../at-option.ts';
import { CliError, failedRecordError } from '../errors.ts';
import { formatPlan } from '../format-plan.ts';
import { parseOnly } from '../kong-options.ts';
import { approveHint } from '../restore-view.ts';
import { addConfigOption, type ConfigFlag, cliActor, formatTime, withServices } from './backup-context.ts';

interface RestoreFlags extends ConfigFlag, PlanView {
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

/** Changes a restore prints before it summarises the rest (a whole gateway is 146k entities). */
export const PLAN_CHANGES_SHOWN = 50;

export interface PlanView {
  /** every change, however many */
  full?: boolean;
  /** every change written to this file; the terminal gets the summary */
  planFile?: string;
}

/** Adds `--full` and `--plan-file` (restore, restores undo). */
export function addPlanViewOptions(cmd: Command): Command {
  return cmd
    .option(
      '--full',
      `print every change of the plan (default: the first ${PLAN_CHANGES_SHOWN} and counts per kind)`,
    )
    .option(
      '--plan-file <file>',
      'write every change of the plan to this file (the terminal gets the summary)',
    );
}

async function printPlan(plan: Plan, view: PlanView): Promise<void> {
  if (view.planFile) {
    await writeFile(view.planFile, formatPlan(plan), { mode: 0o600 }).catch((err: NodeJS.ErrnoException) => {
      throw new CliError(`cannot write the plan to ${view.planFile} (${err.code ?? err.message})`);
    });
  }
  const hint = view.planFile ? `all of them in ${view.planFile}` : 'all of them: --full, or --plan-file FILE';
  const format = view.full ? {} : { limit: PLAN_CHANGES_SHOWN, moreHint: hint };
  process.stdout.write(formatPlan(plan, format));
  if (view.planFile) process.stdout.write(`the whole plan is in ${view.planFile}\n`);
}

/**
 * Plans a request here in the CLI process and prints the plan, its hash, when the request expires and how
 * the approver reviews and approves exactly this plan (also `restores undo`).
 */
export async function planAndReport(
  services: Services,
  restoreId: string,
  view: PlanView = {},
): Promise<void> {
  const { restore, plan } = await runRestorePlan(services, restoreId);
  if (plan) await printPlan(plan, view);
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
  const command = addConfigOption(
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
    .option('--reason <text>', 'why (required; shown to the approver and kept in the audit log)');
  addPlanViewOptions(command).action(
    async (connection: string, backup: string | undefined, flags: RestoreFlags) => {
      const only = parseOnly(flags.only);
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
          await planAndReport(services, requested.restore.id, flags);
        },
        { queues: true },
      );
    },
  );
}
