/**
 * The Bolt 5 app: the HTTP receiver on `PORT` at `/slack/events` (signature-checked with the signing
 * secret) by default, Socket Mode when `SLACK_APP_TOKEN` is set (`socket-link.ts`: reconnects forever).
 * `SLACK_API_URL` points the Web API elsewhere (tests). `/healthz`, `/readyz` and `/metrics`
 * (`src/observe/http.ts`) answer on `PORT` in both modes. Every request passes `actOnce` (`dedup.ts`) before a listener sees it.
 * Listeners live in `listeners/`, one per file; this file only wires them.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, type Logger } from '@slack/bolt';
import { type MetricsSource, type OpsServer, opsRoutes, startOpsServer } from '../observe/http.ts';
import type { ReadinessCheck } from '../observe/readiness.ts';
import { Authorizer, UsergroupDirectory } from './auth/index.ts';
import type { CommandInbox } from './command-inbox.ts';
import { actOnce, memoryRequestLedger, type RequestLedger } from './dedup.ts';
import { type BotEnv, readBotEnv } from './env.ts';
import type { BotRuntime } from './handlers/context.ts';
import { dropStaleCommand, recoverCommand } from './listeners/commands/kong.ts';
import { registerListeners } from './listeners/index.ts';
import { stderrLogger } from './logger.ts';
import { inRequestContext } from './request-context.ts';
import type { BotServices } from './services.ts';
import { createSlackOutput, type SlackOutput } from './slack/output.ts';
import type { SlackNotifier } from './slack-notifier.ts';
import { type ReconnectPolicy, SocketLink, type SocketLinkStatus } from './socket-link.ts';
import { WorkQueue } from './work-queue.ts';

/**
 * This serve's heartbeat in the command inbox, and the commands of serves that stopped taken over: run
 * as if they had just arrived (or, too old, dropped with a word to their sender).
 */
function inboxRecovery(rt: BotRuntime, inbox: CommandInbox, everyMs: number) {
  let timer: NodeJS.Timeout | undefined;
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      await inbox.heartbeat();
      const { taken, expired } = await inbox.takeOrphans();
      for (const held of taken) {
        rt.logger.warn('taking over a /kong command acked by a serve that stopped');
        void rt.work.run(() =>
          recoverCommand(rt, held).catch((err: unknown) =>
            rt.logger.error(`a taken-over /kong command failed: ${(err as Error).message}`),
          ),
        );
      }
      for (const held of expired) void rt.work.run(() => dropStaleCommand(rt, held));
    } catch (err) {
      rt.logger.warn(`the command inbox could not be checked: ${(err as Error).message}`);
    } finally {
      busy = false;
    }
  };
  return {
    async start() {
      await tick();
      timer = setInterval(() => void tick(), everyMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
  };
}

export interface CreateBotAppOptions {
  services: BotServices;
  /** `process.env` or an already-read BotEnv */
  env: Record<string, string | undefined> | BotEnv;
  /** overrides `PORT`; 0 picks a free port (tests) */
  port?: number;
  logger?: Logger;
  /** reuse the output the workers' notifier was built with (serve); default: a new one */
  output?: SlackOutput;
  cardIntervalMs?: number;
  usergroupTtlMs?: number;
  /** commands processed at once after their ack; default 4 */
  workConcurrency?: number;
  /**
   * Where request identities are remembered (`dedup.ts`). `serve` passes the Redis ledger so every
   * instance sees every request; the default remembers them in this process only.
   */
  requests?: RequestLedger;
  /** Socket Mode reconnect back-off; overrides `SLACK_RECONNECT_MIN_MS` / `SLACK_RECONNECT_MAX_MS`. */
  reconnect?: Partial<ReconnectPolicy>;
  /**
   * Where commands are kept from their ack until done, shared by every serve (`serve` passes the Redis
   * inbox); this app also takes over the commands of serves that stopped. Absent = this process only.
   */
  inbox?: CommandInbox;
  /** how often the inbox is checked for commands of stopped serves (default 5 s) */
  inboxEveryMs?: number;
  /** what else `/readyz` checks (serve: the database, Redis, every copy target); Slack's link is added here */
  readiness?: readonly ReadinessCheck[];
  /** `/metrics` (serve: the process's registry); absent = no such route */
  metrics?: MetricsSource;
}

export interface BotApp {
  app: App;
  notifier: SlackNotifier;
  mode: 'http' | 'socket';
  start(): Promise<void>;
  /** Stops receiving, then delivers every queued card edit and reply. */
  stop(): Promise<void>;
  /** The HTTP port after `start()`: the receiver's, or the health listener's in Socket Mode. */
  readonly port: number;
  /** Socket Mode's connection state and failure counts (null in HTTP mode). */
  socketStatus(): SocketLinkStatus | null;
  /** Resolves when background work (diffs), replies and card edits have all been sent. */
  idle(): Promise<void>;
}

export function createBotApp(options: CreateBotAppOptions): BotApp {
  const env = 'botToken' in options.env ? (options.env as BotEnv) : readBotEnv(options.env);
  const logger = options.logger ?? stderrLogger();
  const output =
    options.output ??
    createSlackOutput(env, {
      logger,
      ...(options.cardIntervalMs !== undefined ? { cardIntervalMs: options.cardIntervalMs } : {}),
    });
  // The bot's Web API client answers people who are waiting: a short retry policy, then a clear error.
  // It is this client's only: the Socket Mode connection has its own (socket-link.ts).
  const clientOptions = {
    ...(env.apiUrl ? { slackApiUrl: env.apiUrl } : {}),
    retryConfig: { retries: 2, minTimeout: 200, maxTimeout: 2000 },
  };
  const socket = env.appToken
    ? new SocketLink({
        appToken: env.appToken.reveal(),
        apiUrl: env.apiUrl,
        logger,
        policy: { ...env.reconnect, ...options.reconnect },
      })
    : null;
  const checks: ReadinessCheck[] = [
    ...(socket
      ? [
          {
            name: 'slack',
            check: () => {
              const s = socket.status();
              return { ok: s.connected, reason: 'Slack disconnected', details: { ...s } };
            },
          },
        ]
      : []),
    ...(options.readiness ?? []),
  ];
  const routes = opsRoutes(checks, options.metrics);
  const receiver =
    socket ??
    new HTTPReceiver({
      signingSecret: env.signingSecret!.reveal(),
      endpoints: '/slack/events',
      customRoutes: routes,
      logger,
    });
  // Deferred: Bolt otherwise calls auth.test from the constructor and an unreachable Slack or a revoked
  // token becomes an unhandled rejection; start() runs it and reports it as an error instead.
  const app = new App({
    deferInitialization: true,
    token: env.botToken.reveal(),
    receiver,
    clientOptions,
    logger,
  });
  app.use(inRequestContext());
  app.use(actOnce(options.requests ?? memoryRequestLedger(), logger));
  const groups = new UsergroupDirectory({
    listMembers: async (usergroup) => (await app.client.usergroups.users.list({ usergroup })).users ?? [],
    now: () => options.services.now().getTime(),
    ...(options.usergroupTtlMs !== undefined ? { ttlMs: options.usergroupTtlMs } : {}),
    onError: (id, err) => app.logger.warn(`user group ${id} could not be read: ${(err as Error).message}`),
  });
  const rt: BotRuntime = {
    services: options.services,
    auth: new Authorizer(options.services.config, groups),
    outbox: output.outbox,
    cards: output.cards,
    notifier: output.notifier,
    logger: app.logger,
    background: new Set(),
    work: new WorkQueue(options.workConcurrency ?? 4),
    inbox: options.inbox ?? null,
  };
  registerListeners(app, rt);

  let port = 0;
  let health: OpsServer | null = null;
  const recovery = options.inbox ? inboxRecovery(rt, options.inbox, options.inboxEveryMs ?? 5000) : null;
  const idle = async () => {
    await rt.work.idle();
    while (rt.background.size > 0) await Promise.allSettled([...rt.background]);
    await output.notifier.idle();
  };
  return {
    app,
    notifier: output.notifier,
    mode: socket ? 'socket' : 'http',
    get port() {
      return port;
    },
    socketStatus: () => socket?.status() ?? null,
    async start() {
      try {
        await app.init();
      } catch (err) {
        throw new Error(`Slack did not accept the bot token (auth.test): ${(err as Error).message}`);
      }
      await recovery?.start();
      if (socket) {
        // the health listener first: /readyz says "Slack disconnected" while the first connection is made
        health = await startOpsServer(options.port ?? env.port, routes);
        port = health.port;
        try {
          await app.start();
        } catch (err) {
          await health.close();
          throw err;
        }
        return;
      }
      const server = (await app.start(options.port ?? env.port)) as Server;
      port = (server.address() as AddressInfo).port;
    },
    async stop() {
      await app.stop();
      await health?.close();
      recovery?.stop();
      await idle();
      // every command this serve acked is done: nothing of it is left for another to take over
      await options.inbox?.leave().catch(() => undefined);
    },
    idle,
  };
}
