/** `snapgate verify <backup-id> | verify --all`: checks every copy now, in this process; exit 1 if any is bad. */
import type { Command } from 'commander';
import { NotVerifiableError, type VerifyReport, verifyAll, verifyBackup } from '../../app/index.ts';
import { CliError } from '../errors.ts';
import { addConfigOption, type ConfigFlag, cliActor, withServices } from './backup-context.ts';

/** `ok`, `BAD` (the copy is damaged or missing) or `KEY` (intact, but the key ring cannot open it). */
const mark = (ok: boolean, keyProblem: boolean | undefined) => (ok ? 'ok ' : keyProblem ? 'KEY' : 'BAD');

function print(report: VerifyReport): void {
  const b = report.backup;
  process.stdout.write(
    `${mark(report.ok, report.keyCannotOpen)} ${b.id} [${b.connection}] ${b.artifactName ?? ''}\n`,
  );
  for (const c of report.copies) {
    process.stdout.write(
      `    ${mark(c.ok, c.keyProblem)} ${c.target}  ${c.location}${c.ok ? '' : `  ${c.problem}`}\n`,
    );
  }
}

/**
 * The exit message: a wrong or missing key is not a bad copy — the copies are intact and the fix is the
 * key ring (snapgate.yml `keys`), not a new backup.
 */
export function verifyFailure(reports: readonly VerifyReport[]): string | null {
  const failed = reports.filter((r) => !r.ok);
  if (failed.length === 0) return null;
  const keyOnly = failed.filter((r) => r.keyCannotOpen);
  const bad = failed.length - keyOnly.length;
  const parts: string[] = [];
  if (keyOnly.length > 0) {
    const ids = keyOnly.map((r) => `${r.backup.id} (key ${r.backup.keyId ?? '?'})`).join(', ');
    parts.push(
      `the key ring does not open ${keyOnly.length} backup(s): ${ids}; their copies are intact (checksums match) — check keys in the config (the key with that id, its env variable or file)`,
    );
  }
  if (bad > 0) parts.push(`${bad} backup(s) have bad copies`);
  return parts.join('; ');
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
        const keyOnly = reports.filter((r) => !r.ok && r.keyCannotOpen).length;
        const bad = reports.filter((r) => !r.ok).length - keyOnly;
        if (flags.all) {
          const unopened = keyOnly > 0 ? `, ${keyOnly} the key ring does not open` : '';
          process.stdout.write(`${reports.length} backups verified, ${bad} with bad copies${unopened}\n`);
        }
        const failure = verifyFailure(reports);
        if (failure) throw new CliError(failure);
      });
    });
}
