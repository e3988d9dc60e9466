/** `snapgate verify <backup-id> | verify --all`: checks every copy now, in this process; exit 1 if any is bad. */
import type { Command } from 'commander';
import { NotVerifiableError, type VerifyReport, verifyAll, verifyBackup } from '../../app/index.ts';
import { CliError } from '../errors.ts';
import { addConfigOption, type ConfigFlag, cliActor, withServices } from './backup-context.ts';

function print(report: VerifyReport): void {
  const b = report.backup;
  process.stdout.write(`${report.ok ? 'ok ' : 'BAD'} ${b.id} [${b.connection}] ${b.artifactName ?? ''}\n`);
  for (const c of report.copies) {
    process.stdout.write(
      `    ${c.ok ? 'ok ' : 'BAD'} ${c.target}  ${c.location}${c.ok ? '' : `  ${c.problem}`}\n`,
    );
  }
}

export function registerVerify(program: Command): void {
  addConfigOption(
    program
      .command('verify [backup-id]')
      .description('check every copy of a backup: present, sha256, decrypts, parses'),
  )
    .option('--all', 'verify every completed backup that retention has not removed')
    .action(async (backupId: string | undefined, flags: ConfigFlag & { all?: boolean }) => {
      if (Boolean(backupId) === Boolean(flags.all)) throw new CliError('give either a backup id or --all');
      await withServices(flags, async (services) => {
        let reports: VerifyReport[];
        try {
          reports = backupId
            ? [await verifyBackup(services, backupId, cliActor())]
            : await verifyAll(services, cliActor());
        } catch (err) {
          if (err instanceof NotVerifiableError) throw new CliError(err.message);
          throw err;
        }
        reports.forEach(print);
        const bad = reports.filter((r) => !r.ok).length;
        if (flags.all) process.stdout.write(`${reports.length} backups verified, ${bad} with bad copies\n`);
        if (bad > 0) throw new CliError(`${bad} backup(s) have bad copies`);
      });
    });
}
