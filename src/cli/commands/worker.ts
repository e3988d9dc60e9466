/**
 * `snapgate worker [--config FILE]`: runs every queue's worker (backups; restores: plan, run and expiry;
 * verify; prune), syncs the schedules and recovers what a crash left behind; SIGTERM/SIGINT close it
 * gracefully (running jobs get 30 s, then are left to retry). `--metrics-port` serves `/healthz`, `/readyz`
 * (the database, Redis, every copy target) and `/metrics` (src/observe) for this worker.
 */
import type { Command } from 'commander';
import { CompositeNotifier, ConsoleNotifier, type Notifier } from '../../app/index.ts';
import { createServices, type Runtime } from '../../compose/index.ts';
import { processMetrics, readinessChecks } from '../../compose/observe.ts';
import { configSecretValues } from '../../config/index.ts';
import { startWorkers } from '../../jobs/index.ts';
import { type OpsServer, opsRoutes, startOpsServer } from '../../observe/http.ts';
import { boltLogger, createLogger, lineWriter } from '../../observe/log.ts';
import { CliError } from '../errors.ts';
import { addConfigOption, type ConfigFlag, loadCliConfig } from './backup-context.ts';

export function registerWorker(program: Command): void {
  addConfigOption(
    program
      .command('worker')
      .description('run the backup, restore (plan, run, expiry), verify and prune workers and the schedules'),
  )
    .option('--shutdown-timeout <seconds>', 'how long running jobs may take to finish on SIGTERM', '30')
    .option(
      '--metrics-port <port>',
      'serve /healthz, /readyz and /metrics on this port (0: any free port, printed at start)',
    )
    .action(async (flags: ConfigFlag & { shutdownTimeout: string; metricsPort?: string }) => {
      const metricsPort = flags.metricsPort === undefined ? undefined : Number(flags.metricsPort);
      if (
        metricsPort !== undefined &&
        !(Number.isInteger(metricsPort) && metricsPort >= 0 && metricsPort < 65536)
      )
        throw new CliError(`--metrics-port takes a port number from 0 to 65535, not "${flags.metricsPort}"`);
      const config = await loadCliConfig(flags);
      const secrets = [
        ...configSecretValues(config),
        ...[process.env.SLACK_BOT_TOKEN ?? ''].filter((t) => t.trim() !== ''),
      ];
      const logger = createLogger({ base: { process: 'worker' }, secrets: () => secrets });
      const log = lineWriter(logger);
      // With SLACK_BOT_TOKEN the worker also drives the Slack cards (Bolt is loaded only then).
      let runtime: Runtime | undefined;
      const observed = processMetrics(() => runtime);
      const slack = process.env.SLACK_BOT_TOKEN
        ? (await import('../../bot/worker-output.ts')).workerSlackOutput(
            process.env,
            () => observed.notifier.slackRateLimited(),
            boltLogger(logger),
          )
        : null;
      const notifier: Notifier = new CompositeNotifier([
        new ConsoleNotifier(log),
        ...(slack ? [slack.notifier] : []),
        observed.notifier,
      ]);
      const services = await createServices({ config, notifier }).catch((err: Error) => {
        throw new CliError(err.message);
      });
      runtime = services;
      let ops: OpsServer | undefined;
      if (metricsPort !== undefined) {
        ops = await startOpsServer(metricsPort, opsRoutes(readinessChecks(services), observed.metrics)).catch(
          async (err: Error) => {
            await services.close();
            throw new CliError(`--metrics-port ${metricsPort}: ${err.message}`);
          },
        );
        log(`metrics: /healthz, /readyz and /metrics on port ${ops.port}`);
      }
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
            .then(() => ops?.close())
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
