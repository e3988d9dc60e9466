/**
 * `snapgate serve [--config FILE] [--no-workers]`: the Slack bot (src/bot/serve.ts). Workers run in the
 * same process unless `--no-workers` (then `snapgate worker` runs them elsewhere). SIGTERM/SIGINT stop
 * receiving, let running jobs finish (up to the timeout) and deliver every queued card edit.
 */
import type { Command } from 'commander';
import { CliError } from '../errors.ts';
import { addConfigOption, type ConfigFlag, loadCliConfig } from './backup-context.ts';

interface ServeFlags extends ConfigFlag {
  workers: boolean;
  shutdownTimeout: string;
}

export function registerServe(program: Command): void {
  addConfigOption(
    program.command('serve').description('run the Slack bot (and the workers, unless --no-workers)'),
  )
    .option('--no-workers', 'do not run the workers in this process (run `snapgate worker` elsewhere)')
    .option('--shutdown-timeout <seconds>', 'how long running jobs may take to finish on SIGTERM', '30')
    .action(async (flags: ServeFlags) => {
      const config = await loadCliConfig(flags);
      // Loaded here, not at the top: the other verbs should not load Bolt.
      const { runServe } = await import('../../bot/serve.ts');
      try {
        await runServe({
          config,
          env: process.env,
          workers: flags.workers,
          shutdownTimeoutMs: Number(flags.shutdownTimeout) * 1000 || 30_000,
        });
      } catch (err) {
        // Slack settings, Redis, the token: each failure message says what to fix.
        throw new CliError((err as Error).message);
      }
    });
}
