/** `snapgate prune <connection> [--dry-run]`: apply retention now; every backup is listed with its reason. */
import type { Command } from 'commander';
import { pruneConnection } from '../../app/index.ts';
import { addConfigOption, type ConfigFlag, cliActor, formatTime, withServices } from './backup-context.ts';

export function registerPrune(program: Command): void {
  addConfigOption(
    program.command('prune <connection>').description('remove backups retention no longer keeps'),
  )
    .option('--dry-run', 'only list what would be kept and removed, and why')
    .action(async (connection: string, flags: ConfigFlag & { dryRun?: boolean }) => {
      await withServices(flags, async (services) => {
        const report = await pruneConnection(services, connection, {
          dryRun: flags.dryRun ?? false,
          actor: cliActor(),
        });
        const removeWord = report.dryRun ? 'would remove' : 'removed';
        for (const d of report.decisions) {
          const action = d.action === 'keep' ? 'keep  ' : report.dryRun ? 'remove' : 'pruned';
          process.stdout.write(
            `${action} ${d.backupId}  ${formatTime(d.takenAt)}  ${d.status.padEnd(9)} ${d.reasons.join('; ')}\n`,
          );
        }
        const removed = report.decisions.filter((d) => d.action === 'remove').length;
        process.stdout.write(
          `${connection}: keep ${report.decisions.length - removed}, ${removeWord} ${removed}` +
            (report.dryRun ? '' : `; deleted ${report.deletedArtifacts.length} artifact file(s)`) +
            '\n',
        );
      });
    });
}
