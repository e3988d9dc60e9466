/**
 * `snapgate worker [--config FILE]`: runs every queue's worker (backups; restores: plan, run and expiry;
 * verify; prune), syncs the schedules and recovers what a crash left behind; SIGTERM/SIGINT close it
 * gracefully (running jobs get 30 s, then are left to retry).
 */
import type { Command } from 'commander';
import { CompositeNotifier, ConsoleNotifier, type Notifier } from '../../app/index.ts';
import { createServices } from '../../compose/index.ts';
import { startWorkers } from '../../jobs/index.ts';
import { CliError } from '../errors.ts';
import { addConfigOption, type ConfigFlag, loadCliConfig } from './backup-context.ts';

export function registerWorker(program: Command): void {
  addConfigOption(
    program
      .command('worker')
      .description('run the backup, restore (plan, run, expiry), verify and prune workers and the schedules'),
  )
    .option('--shutdown-timeout <seconds>', 'how long running jobs may take to finish on SIGTERM', '30')
    .action(async (flags: ConfigFlag & { shutdownTimeout: string }) => {
      const config = await loadCliConfig(flags);
      const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
      // With SLACK_BOT_TOKEN the worker also drives the Slack cards (Bolt is loaded only then).
      const slack = process.env.SLACK_BOT_TOKEN
        ? (await import('../../bot/worker-output.ts')).workerSlackOutput(process.env)
        : null;
      const notifier: Notifier = slack
        ? new CompositeNotifier([new ConsoleNotifier(log), slack.notifier])
        : new ConsoleNotifier(log);
      const services = await createServices({ config, notifier }).catch((err: Error) => {
        throw new CliError(err.message);
      });
      await services.audit.append({
        actor: 'system',
        action: 'config.loaded',
        outcome: 'ok',
        details: {
          path: config.configPath,
          connections: config.connections.map((c) => c.name),
          by: 'worker',
        },
      });
      const running = await startWorkers(services, { log });
      const s = running.schedules;
      if (slack) log('Slack: cards and threads are updated from this worker');
      log(
        `worker started (pid ${process.pid}); schedules: ${s?.created.length ?? 0} created, ${s?.updated.length ?? 0} updated, ` +
          `${s?.removed.length ?? 0} removed, ${s?.unchanged.length ?? 0} unchanged; recovery: ` +
          `${running.recovery?.requeued.length ?? 0} re-queued, ${running.recovery?.failed.length ?? 0} failed`,
      );
      const deadline = Number(flags.shutdownTimeout) * 1000 || 30_000;
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          log(`${signal}: closing workers`);
          void running
            .close(deadline)
            .then(() => slack?.notifier.idle())
            .then(() => services.close())
            .then(resolve);
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
      log('worker stopped');
    });
}
