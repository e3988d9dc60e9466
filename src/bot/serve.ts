/**
 * Runs the bot as a process: the Slack output, the jobs' services with a notifier that writes to the log
 * and to Slack, the workers (unless disabled), then the Bolt app. Resolves when SIGTERM/SIGINT has stopped
 * everything: receiving first, then running jobs (up to the deadline), then the last card edits.
 * Loaded lazily by `snapgate serve`, so other CLI verbs do not pay for Bolt.
 */

import { CompositeNotifier, ConsoleNotifier } from '../app/index.ts';
import { createServices, type Runtime } from '../compose/index.ts';
import { processMetrics, readinessChecks } from '../compose/observe.ts';
import { type Config, configSecretValues } from '../config/index.ts';
import { startWorkers } from '../jobs/index.ts';
import { boltLogger, createLogger, lineWriter } from '../observe/log.ts';
import { createBotApp } from './app.ts';
import { redisCommandInbox } from './command-inbox.ts';
import { redisRequestLedger } from './dedup.ts';
import { readBotEnv } from './env.ts';
import { fromJobServices } from './job-services.ts';
import { redisCardOrder } from './slack/card-order.ts';
import { createSlackOutput } from './slack/output.ts';

export interface ServeOptions {
  config: Config;
  env: Record<string, string | undefined>;
  workers: boolean;
  shutdownTimeoutMs: number;
  /** where the process's lines go; default: the JSON logger (src/observe/log.ts) on stdout */
  log?: (line: string) => void;
}

export async function runServe(o: ServeOptions): Promise<void> {
  const env = readBotEnv(o.env);
  const slackSecrets = [env.botToken, env.signingSecret, env.appToken].flatMap((t) =>
    t ? [t.reveal()] : [],
  );
  const secrets = [...configSecretValues(o.config), ...slackSecrets];
  const root = createLogger({ env: o.env, base: { process: 'serve' }, secrets: () => secrets });
  const log = o.log ?? lineWriter(root);
  const logger = boltLogger(root);
  let services: Runtime | undefined;
  const observed = processMetrics(() => services);
  const output = createSlackOutput(env, {
    logger,
    onRateLimited: () => observed.notifier.slackRateLimited(),
  });
  const notifier = new CompositeNotifier([new ConsoleNotifier(log), output.notifier, observed.notifier]);
  services = await createServices({ config: o.config, notifier });
  // card edits from this serve, the other instances and the workers go forward only
  output.cards.useOrder(redisCardOrder(services.redis, { prefix: services.redisPrefix }));
  const running = o.workers ? await startWorkers(services, { log }) : null;
  const bot = createBotApp({
    services: fromJobServices(services),
    env,
    logger,
    output,
    // shared by every instance: a request redelivered to another instance is still acted on once
    requests: redisRequestLedger(services.redis, { prefix: services.redisPrefix }),
    // commands kept from their ack until done; a serve that stops mid-command is taken over by another
    inbox: redisCommandInbox(services.redis, { prefix: services.redisPrefix }),
    readiness: readinessChecks(services),
    metrics: observed.metrics,
  });
  try {
    await bot.start();
  } catch (err) {
    await running?.close(5000);
    await services.close();
    throw err;
  }
  log(
    `snapgate serve: ${bot.mode === 'http' ? `HTTP on port ${bot.port} (/slack/events)` : `Socket Mode, /readyz on port ${bot.port}`}, ` +
      `${running ? 'workers in this process' : 'no workers (--no-workers)'}`,
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log(`${signal}: stopping`);
      void (async () => {
        await bot.stop();
        await running?.close(o.shutdownTimeoutMs);
        await output.notifier.idle();
        await services?.close();
      })().then(resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  log('snapgate serve stopped');
}
