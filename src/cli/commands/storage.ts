/**
 * `snapgate storage sync [--target NAME]`: copies every live artifact a target lacks (a newly added copy
 * target, or a primary replaced), one line per artifact; run it again to resume. Exit 1 if any failed.
 */
import type { Command } from 'commander';
import { syncStorage, UnknownTargetError } from '../../app/index.ts';
import { CliError } from '../errors.ts';
import { addConfigOption, type ConfigFlag, cliActor, withServices } from './backup-context.ts';

export function registerStorage(program: Command): void {
  const storage = program.command('storage').description('artifact storage targets');
  addConfigOption(
    storage
      .command('sync')
      .description('copy every live artifact a target lacks (idempotent; run again to resume)')
      .option('--target <name>', 'one target, by its name or id (default: every copy target)'),
  ).action(async (flags: ConfigFlag & { target?: string }) => {
    await withServices(flags, async (services) => {
      let reports: Awaited<ReturnType<typeof syncStorage>>;
      try {
        reports = await syncStorage(services, {
          ...(flags.target ? { target: flags.target } : {}),
          actor: cliActor(),
          onProgress: (p) =>
            process.stdout.write(
              `[${p.index}/${p.total}] ${p.target}: ${p.artifact} ${p.outcome}${p.problem ? ` — ${p.problem}` : ''}\n`,
            ),
        });
      } catch (err) {
        if (err instanceof UnknownTargetError) throw new CliError(err.message);
        throw err;
      }
      for (const r of reports) {
        process.stdout.write(
          `${r.target}: ${r.copied} copied, ${r.recorded} recorded, ${r.present} already there, ${r.failed.length} failed\n`,
        );
      }
      const failed = reports.reduce((n, r) => n + r.failed.length, 0);
      if (failed > 0) throw new CliError(`${failed} artifact(s) could not be copied; run storage sync again`);
    });
  });
}
