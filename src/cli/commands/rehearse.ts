/**
 * `snapgate rehearse <connection> [--target T] [--backup ID]`: restores a backup into a scratch
 * connection now, in this process, and checks zero drift (exit 1 when the rehearsal fails, 2 when it is
 * refused — nothing written). `snapgate rehearsals <connection>`: the rehearsals of its backups.
 */
import type { Command } from 'commander';
import { describeRehearsal, RehearsalRefusedError, rehearse } from '../../app/index.ts';
import type { Rehearsal } from '../../app/ports/records.ts';
import { formatDuration } from '../../core/index.ts';
import { CliError } from '../errors.ts';
import {
  addConfigOption,
  type ConfigFlag,
  cliActor,
  formatTime,
  parsePositiveInt,
  withServices,
} from './backup-context.ts';

export function rehearsalRow(r: Rehearsal): string {
  const cells = [
    r.id,
    formatTime(r.startedAt),
    r.status.padEnd(7),
    `${r.backupId} → ${r.target}`,
    `recovery ${r.durationMs === null ? '-' : formatDuration(r.durationMs)}`,
    `${r.entities ?? '?'} entities`,
    `${r.applied ?? 0} writes`,
    `drift ${r.drift ?? '-'}`,
  ];
  const line = cells.join('  ');
  return r.failure ? `${line}\n    ${r.failure.code}: ${r.failure.reason}` : line;
}

export function registerRehearse(program: Command): void {
  addConfigOption(
    program
      .command('rehearse <connection>')
      .description('restore a backup into a scratch connection now and check that it converges (zero drift)'),
  )
    .option('--target <connection>', 'the scratch connection (default: rehearsal.target of the connection)')
    .option('--backup <id>', 'the backup to rehearse (default: the newest, or one of rehearsal.among)')
    .action(async (connection: string, flags: ConfigFlag & { target?: string; backup?: string }) => {
      await withServices(flags, async (services) => {
        let r: Rehearsal;
        try {
          r = await rehearse(services, {
            connection,
            requestedBy: cliActor(),
            ...(flags.target ? { target: flags.target } : {}),
            ...(flags.backup ? { backupId: flags.backup } : {}),
          });
        } catch (err) {
          if (err instanceof RehearsalRefusedError)
            throw new CliError(`${err.message}; nothing was written`, 2);
          throw err;
        }
        process.stdout.write(`rehearsal ${r.id} [${r.connection}] ${describeRehearsal(r)}\n`);
        if (r.status !== 'passed')
          throw new CliError(`rehearsal ${r.id} failed (${r.failure?.code ?? 'unknown'})`);
      });
    });

  addConfigOption(
    program
      .command('rehearsals <connection>')
      .description("list the rehearsals of a connection's backups, newest first"),
  )
    .option('--limit <n>', 'how many (default 20)')
    .option('--json', 'one JSON object per line')
    .action(async (connection: string, flags: ConfigFlag & { limit?: string; json?: boolean }) => {
      const limit = flags.limit ? parsePositiveInt(flags.limit, '--limit') : 20;
      await withServices(flags, async (services) => {
        const name = services.connection(connection).name;
        const list = await services.repos.rehearsals.listByConnection(name, { limit });
        if (flags.json) {
          for (const r of list) process.stdout.write(`${JSON.stringify(r)}\n`);
          return;
        }
        if (list.length === 0) {
          process.stdout.write(
            `no rehearsals of ${name} yet (snapgate rehearse ${name} --target <scratch>)\n`,
          );
          return;
        }
        for (const r of list) process.stdout.write(`${rehearsalRow(r)}\n`);
      });
    });
}
