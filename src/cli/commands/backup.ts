/**
 * `snapgate backup <connection> [--note TEXT] [--wait]` and `snapgate backups list|show`.
 * `backup` enqueues (a worker does the work); `--wait` follows the record until it is completed or
 * failed and exits 1 on failure.
 */
import type { Command } from 'commander';
import { requestBackup } from '../../app/index.ts';
import type { Backup } from '../../app/ports/records.ts';
import { catalogueOfCounts, sumCounts } from '../../core/index.ts';
import { BACKUP_STATUS } from '../../core/status.ts';
import { CliError, failedRecordError } from '../errors.ts';
import {
  addConfigOption,
  type ConfigFlag,
  cliActor,
  formatBytes,
  formatTime,
  parsePositiveInt,
  withServices,
} from './backup-context.ts';

interface BackupFlags extends ConfigFlag {
  note?: string;
  wait?: boolean;
  timeout: string;
}

const total = (b: Backup) => sumCounts(b.counts);

export function describeBackup(b: Backup): string {
  const label = BACKUP_STATUS.info[b.status].label;
  if (b.status === 'failed') return `${label}: ${b.failureReason ?? 'no reason recorded'}`;
  if (b.status !== 'completed') return label;
  const unchanged = b.unchangedFrom ? `, unchanged since ${b.unchangedFrom}` : '';
  return `${label}: ${total(b)} entities, ${formatBytes(b.bytes)}, ${b.artifactName}${unchanged}`;
}

export function registerBackup(program: Command): void {
  addConfigOption(program.command('backup <connection>').description('take a backup now (runs on a worker)'))
    .option('--note <text>', 'why this backup is taken (shown in lists and Slack)')
    .option('--wait', 'wait for the backup to finish and print its final status (exit 1 if it failed)')
    .option('--timeout <seconds>', 'with --wait: give up waiting after this long', '600')
    .action(async (connection: string, flags: BackupFlags) => {
      const timeoutMs = parsePositiveInt(flags.timeout, '--timeout') * 1000;
      await withServices(
        flags,
        async (services) => {
          const backup = await requestBackup(services, {
            connection,
            type: 'manual',
            requestedBy: cliActor(),
            ...(flags.note ? { note: flags.note } : {}),
          });
          process.stdout.write(`backup ${backup.id} queued for ${connection}\n`);
          if (!flags.wait) return;
          const until = Date.now() + timeoutMs;
          let last = backup.status;
          for (;;) {
            const now = await services.repos.backups.get(backup.id);
            if (now && now.status !== last) {
              last = now.status;
              if (!BACKUP_STATUS.isTerminal(now.status))
                process.stdout.write(`${BACKUP_STATUS.info[now.status].label}\n`);
            }
            if (now && BACKUP_STATUS.isTerminal(now.status)) {
              process.stdout.write(`${describeBackup(now)}\n`);
              if (now.status === 'failed') {
                throw failedRecordError(`backup ${now.id} failed`, now);
              }
              return;
            }
            if (Date.now() > until) {
              throw new CliError(
                `backup ${backup.id} is still ${last} after ${flags.timeout} s (is a worker running? snapgate worker)`,
              );
            }
            await new Promise((r) => setTimeout(r, 250));
          }
        },
        { queues: true },
      );
    });

  const backups = program.command('backups').description('list and show backup records');
  addConfigOption(backups.command('list <connection>').description('backups of a connection, newest first'))
    .option('--limit <n>', 'how many', '20')
    .action(async (connection: string, flags: ConfigFlag & { limit: string }) => {
      const limit = parsePositiveInt(flags.limit, '--limit');
      await withServices(flags, async (services) => {
        services.connection(connection);
        const rows = await services.repos.backups.listByConnection(connection, { limit });
        if (rows.length === 0) {
          process.stdout.write(`no backups of ${connection}\n`);
          return;
        }
        // the time shown is when the dump started (queued time until then): what `restore --at` compares
        for (const b of rows) {
          const what =
            b.status === 'completed'
              ? `${total(b)} entities ${formatBytes(b.bytes)}`
              : (b.failureReason ?? '');
          const unchanged = b.unchangedFrom ? ' (unchanged)' : '';
          const note = b.note ? `  "${b.note}"` : '';
          process.stdout.write(
            `${b.id}  ${formatTime(b.startedAt ?? b.createdAt)}  ${b.type.padEnd(11)} ${b.status.padEnd(9)} ${what}${unchanged}${note}\n`,
          );
        }
      });
    });

  addConfigOption(
    backups.command('show <id>').description('one backup with its copies and last verification'),
  ).action(async (id: string, flags: ConfigFlag) => {
    await withServices(flags, async (services) => {
      const b = await services.repos.backups.get(id);
      if (!b) throw new CliError(`no backup with id ${id}`);
      const lines: [string, string][] = [
        ['id', b.id],
        ['connection', `${b.connection} (${b.environment ?? '-'})`],
        ['type', b.type],
        ['status', describeBackup(b)],
        ['requested by', b.requestedBy],
        ['note', b.note ?? '-'],
        ['created', formatTime(b.createdAt)],
        ['started', formatTime(b.startedAt)],
        ['finished', formatTime(b.finishedAt)],
        ['attempts', String(b.attempts)],
        // `kong version` on Kong, `aws api gateway version` on AWS API Gateway
        [`${catalogueOfCounts(b.counts).title.toLowerCase()} version`, b.kongVersion ?? '-'],
        ['artifact', b.artifactName ?? '-'],
        ['size', formatBytes(b.bytes)],
        ['sha256', b.sha256 ?? '-'],
        ['key id', b.keyId ?? '-'],
        ['unchanged from', b.unchangedFrom ?? '-'],
        ['pruned', formatTime(b.prunedAt)],
      ];
      for (const [k, v] of lines) process.stdout.write(`${k.padEnd(15)} ${v}\n`);
      if (b.counts) {
        const counts = Object.entries(b.counts)
          .filter(([, n]) => n > 0)
          .map(([k, n]) => `${k}=${n}`);
        process.stdout.write(`${'entities'.padEnd(15)} ${counts.join(' ') || 'none'}\n`);
      }
      for (const c of await services.repos.backups.listCopies(b.id)) {
        const verified =
          c.verifyOk === null
            ? 'not verified'
            : c.verifyOk
              ? `verified ${formatTime(c.verifiedAt)}`
              : `BAD: ${c.verifyProblem}`;
        process.stdout.write(`${'copy'.padEnd(15)} ${c.target}  ${c.location}  ${verified}\n`);
      }
    });
  });
}
