/**
 * `snapgate restore <connection> [backup-id|latest] [--at TIME] [--only SECTIONS] [--no-deletes] --reason
 * TEXT`: the break-glass twin of `/kong restore` for when Slack is down. It creates the same request
 * (requester `cli:<os user>`), plans it here in the CLI process — integrity check, live dump, plan — and
 * prints the plan in the diff format, the request id and when it expires. Nothing is written to the
 * gateway: a second person approves it with `snapgate approve <id> --as <user>`.
 */
import type { Command } from 'commander';
import {
  type BackupSelector,
  RestoreRefusedError,
  requestRestore,
  runRestorePlan,
} from '../../jobs/index.ts';
import { CliError } from '../errors.ts';
import { formatPlan } from '../format-plan.ts';
import { parseSections } from '../kong-options.ts';
import { addConfigOption, type ConfigFlag, cliActor, formatTime, withServices } from './backup-context.ts';

interface RestoreFlags extends ConfigFlag {
  at?: string;
  only?: string;
  deletes: boolean;
  reason?: string;
}

function selector(backup: string | undefined, at: string | undefined): BackupSelector {
  if (at !== undefined) {
    if (backup !== undefined) throw new CliError('give either a backup id or --at TIME, not both');
    const time = new Date(at);
    if (Number.isNaN(time.getTime())) {
      throw new CliError(`--at "${at}" is not a time (use ISO 8601, e.g. 2026-11-20T14:00:00Z)`);
    }
    return { kind: 'at', time };
  }
  if (backup === undefined)
    throw new CliError('name the backup to restore (an id or "latest"), or give --at TIME');
  return backup === 'latest' ? { kind: 'latest' } : { kind: 'id', id: backup };
}

function formatGap(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function registerRestore(program: Command): void {
  addConfigOption(
    program
      .command('restore <connection> [backup]')
      .description(
        'ask for a restore of a backup (id or "latest"): plans it and prints the plan for approval',
      ),
  )
    .option('--at <time>', 'restore the newest completed backup taken at or before this time')
    .option('--only <sections>', 'comma list of sections to restore')
    .option('--no-deletes', 'keep entities that exist only on the gateway')
    .option('--reason <text>', 'why (required; shown to the approver and kept in the audit log)')
    .action(async (connection: string, backup: string | undefined, flags: RestoreFlags) => {
      const only = parseSections(flags.only);
      const backupSelector = selector(backup, flags.at);
      if (!flags.reason?.trim()) throw new CliError('--reason is required: say why this restore is needed');
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
          const { backup: chosen, gapMs } = requested;
          const gap = gapMs === undefined ? '' : ` (${formatGap(gapMs)} before the time asked for)`;
          process.stdout.write(
            `backup ${chosen.id} taken ${formatTime(chosen.startedAt ?? chosen.createdAt)}${gap}\n`,
          );
          const { restore, plan } = await runRestorePlan(services, requested.restore.id);
          if (plan) process.stdout.write(formatPlan(plan));
          if (restore.status === 'failed') {
            throw new CliError(
              `restore ${restore.id} failed: ${restore.failureReason ?? 'no reason recorded'}`,
            );
          }
          if (restore.status === 'completed') {
            process.stdout.write(`restore ${restore.id}: nothing to restore, the gateway already matches\n`);
            return;
          }
          process.stdout.write(
            `restore ${restore.id} is awaiting approval until ${formatTime(restore.expiresAt)}\n` +
              `plan ${restore.planHash}\n` +
              `approve with: snapgate approve ${restore.id} --as <approver>\n`,
          );
        },
        { queues: true },
      );
    });
}
