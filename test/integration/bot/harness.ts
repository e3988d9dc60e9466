/**
 * One bot under test: a real Bolt app — the HTTP receiver on a random port receiving signed requests, or
 * Socket Mode connected to the fake's WebSocket (`transport: 'socket'`) — a fake Slack Web API, a real SQLite
 * file (migrations applied), the real audit log and config loaded from a real snapgate.yml. The job
 * side (`requestBackup`, verify, artifacts, live dumps) comes in through `jobs`, built by the caller
 * from the real jobs module and kong-sim.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@slack/bolt';
import { type AuditLog, createAuditLog } from '../../../src/audit/index.ts';
import { type BotApp, createBotApp } from '../../../src/bot/app.ts';
import type { CommandInbox } from '../../../src/bot/command-inbox.ts';
import type { RequestLedger } from '../../../src/bot/dedup.ts';
import { readBotEnv } from '../../../src/bot/env.ts';
import { silentLogger } from '../../../src/bot/logger.ts';
import type { BotServices } from '../../../src/bot/services.ts';
import { createSlackOutput, type SlackOutput } from '../../../src/bot/slack/output.ts';
import { type Config, loadConfig, type SqliteDatabaseConfig } from '../../../src/config/index.ts';
import {
  createRepositories,
  type Db,
  openDatabase,
  type Repositories,
  SqliteAuditStore,
} from '../../../src/db/index.ts';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack/index.ts';
import {
  type BlockActionFields,
  blockActionPayload,
  type SignOptions,
  type SlackDelivery,
  sendBlockAction,
  sendSlashCommand,
  slashCommandPayload,
} from '../../support/slack-requests.ts';

export const SECRET = 'bot-test-signing-secret-0123456789';
export const CHANNEL = 'C0OPS';

/** People and groups of the test workspace, and their roles on `prod` (see `configYaml`). */
export const PEOPLE = {
  admin: 'U0ADMIN',
  operator: 'U0OPER',
  approver: 'U0APPROVER',
  viewerByGroup: 'U0VIEWER',
  operatorByGroup: 'U0GROUPOP',
  nobody: 'U0NOBODY',
} as const;
export const GROUPS = { viewers: 'S0VIEWERS', oncall: 'S0ONCALL' };

export function configYaml(dir: string, kongUrl: string, stagingUrl = kongUrl): string {
  return `connections:
  - name: prod
    kongUrl: ${kongUrl}
    tokenEnv: KONG_PROD_TOKEN
    environment: production
    owner: team-platform
    roles:
      viewer: [${GROUPS.viewers}]
      operator: [${PEOPLE.operator}, ${GROUPS.oncall}]
      approver: [${PEOPLE.approver}]
      admin: [${PEOPLE.admin}]
  - name: staging
    kongUrl: ${stagingUrl}
    tokenEnv: KONG_PROD_TOKEN
    environment: staging
    roles:
      operator: [${PEOPLE.operator}]
storage:
  primary: ${join(dir, 'primary')}
  copies:
    - type: directory
      path: ${join(dir, 'copy')}
keys:
  - id: k1
    env: SNAPGATE_TEST_KEY
    current: true
database:
  path: ${join(dir, 'snapgate.db')}
redis:
  url: redis://127.0.0.1:6379
  prefix: sgtest-${Math.random().toString(36).slice(2, 10)}
`;
}

export const CONFIG_ENV = {
  KONG_PROD_TOKEN: 'kong-admin-token-do-not-leak-7f3a',
  SNAPGATE_TEST_KEY: Buffer.alloc(32, 7).toString('hex'),
};

export interface Clock {
  now(): Date;
  advance(ms: number): void;
}

export function realClockWithOffset(): Clock {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance: (ms) => {
      offset += ms;
    },
  };
}

export interface BaseFixture {
  dir: string;
  config: Config;
  db: Db;
  repos: Repositories;
  audit: AuditLog;
  clock: Clock;
  cleanup(): void;
}

export async function openBase(kongUrl = 'http://127.0.0.1:9/', stagingUrl = kongUrl): Promise<BaseFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'snapgate-bot-'));
  writeFileSync(join(dir, 'snapgate.yml'), configYaml(dir, kongUrl, stagingUrl));
  const config = await loadConfig({ path: join(dir, 'snapgate.yml'), env: CONFIG_ENV });
  const db = openDatabase((config.database as SqliteDatabaseConfig).path);
  const clock = realClockWithOffset();
  return {
    dir,
    config,
    db,
    repos: createRepositories(db, { now: clock.now }),
    audit: createAuditLog(new SqliteAuditStore(db), { now: clock.now }),
    clock,
    cleanup: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface BotFixture {
  fake: FakeSlack;
  bot: BotApp;
  url: string;
  /** Sends `/kong <text>` as `user`; resolves with the HTTP answer and the response_url id used. */
  kong(user: string, text: string, opts?: SignOptions): Promise<SlackDelivery & { responseId: string }>;
  /** Sends `<command> <text>` (`/snapgate …`) as `user`, like `kong`. */
  slash(command: string, user: string, text: string): Promise<SlackDelivery & { responseId: string }>;
  click(
    fields: Omit<BlockActionFields, 'responseUrl' | 'channelId' | 'messageTs' | 'blockId'> &
      Partial<BlockActionFields>,
  ): Promise<SlackDelivery & { responseId: string }>;
  /** The bodies posted to one response_url. */
  responses(id: string): Record<string, unknown>[];
  close(): Promise<void>;
}

let seq = 0;

export type Transport = 'http' | 'socket';

export interface StartBotOptions {
  cardIntervalMs?: number;
  /** How Slack reaches the bot: signed HTTP requests (default) or Socket Mode envelopes. */
  transport?: Transport;
  /** Socket Mode: how long the fake waits for an ack before delivering again (default 3000 ms). */
  socketAckTimeoutMs?: number;
  /** Where the bot remembers requests (default: in this process). */
  requests?: RequestLedger;
  /** Where commands are kept until done, and how often it looks for those of stopped serves. */
  inbox?: CommandInbox;
  inboxEveryMs?: number;
  /** Runs once fake Slack is up, before the bot starts (fault injection at start). */
  beforeStart?: (fake: FakeSlack) => void;
  /** Overrides the app token the bot presents (Socket Mode). */
  appToken?: string;
  /** The bot's logger (default: silent). */
  logger?: Logger;
}

/**
 * Starts fake Slack, the Slack output (the notifier workers report to) and the bot. `services` may be a
 * function of the output, so the jobs' services can be built with the bot's notifier.
 */
export async function startBot(
  services: BotServices | ((output: SlackOutput) => Promise<BotServices>),
  opts: StartBotOptions = {},
): Promise<BotFixture> {
  const socket = opts.transport === 'socket';
  const fake = await startFakeSlack({
    users: Object.values(PEOPLE).map((id) => ({ id, name: id.toLowerCase() })),
    usergroups: { [GROUPS.viewers]: [PEOPLE.viewerByGroup], [GROUPS.oncall]: [PEOPLE.operatorByGroup] },
    ...(opts.socketAckTimeoutMs !== undefined ? { socketAckTimeoutMs: opts.socketAckTimeoutMs } : {}),
  });
  const env = readBotEnv({
    SLACK_BOT_TOKEN: fake.token,
    ...(socket
      ? { SLACK_APP_TOKEN: opts.appToken ?? fake.socket.appToken }
      : { SLACK_SIGNING_SECRET: SECRET }),
    SLACK_API_URL: fake.url,
    SLACK_RECONNECT_MIN_MS: '20',
    SLACK_RECONNECT_MAX_MS: '200',
  });
  const logger = opts.logger ?? silentLogger();
  const output = createSlackOutput(env, { logger, cardIntervalMs: opts.cardIntervalMs ?? 200 });
  const resolved = typeof services === 'function' ? await services(output) : services;
  const bot = createBotApp({
    services: resolved,
    env,
    port: 0,
    logger,
    output,
    ...(opts.requests ? { requests: opts.requests } : {}),
    ...(opts.inbox ? { inbox: opts.inbox, inboxEveryMs: opts.inboxEveryMs ?? 100 } : {}),
  });
  opts.beforeStart?.(fake);
  try {
    await bot.start();
  } catch (err) {
    await fake.close();
    throw err;
  }
  const url = `http://127.0.0.1:${bot.port}/slack/events`;
  const slashAs = async (command: string, user: string, text: string, signOpts: SignOptions) => {
    const responseId = `cmd-${++seq}`;
    const fields = {
      command,
      text,
      userId: user,
      channelId: CHANNEL,
      responseUrl: fake.responseUrl(responseId),
    };
    const r = socket
      ? await overSocket(fake, 'slash_commands', slashCommandPayload(fields))
      : await sendSlashCommand(url, SECRET, fields, signOpts);
    return { ...r, responseId };
  };
  return {
    fake,
    bot,
    url,
    kong: (user, text, signOpts = {}) => slashAs('/kong', user, text, signOpts),
    slash: (command, user, text) => slashAs(command, user, text, {}),
    async click(fields) {
      const responseId = `click-${++seq}`;
      const all = {
        channelId: CHANNEL,
        messageTs: '1700000000.000001',
        blockId: 'b',
        responseUrl: fake.responseUrl(responseId),
        ...fields,
      };
      const r = socket
        ? await overSocket(fake, 'interactive', blockActionPayload(all))
        : await sendBlockAction(url, SECRET, all);
      return { ...r, responseId };
    },
    responses: (id) => fake.responses.filter((r) => r.id === id).map((r) => r.body),
    async close() {
      await bot.stop();
      await fake.close();
    },
  };
}

/**
 * Delivers an envelope over Socket Mode and waits for its ack, answered like an HTTP delivery: 200 with
 * the ack's payload, or 504 when no ack came within Slack's 3 seconds (plus slack for a loaded machine).
 */
export async function overSocket(
  fake: FakeSlack,
  type: 'slash_commands' | 'interactive',
  payload: Record<string, unknown>,
): Promise<SlackDelivery> {
  const d = fake.socket.deliver(type, payload);
  let timer: NodeJS.Timeout | undefined;
  const ack = await Promise.race([
    d.acked,
    new Promise<null>((r) => {
      timer = setTimeout(() => r(null), 10_000);
    }),
  ]);
  clearTimeout(timer);
  if (!ack) return { status: 504, body: '', ackMs: Date.now() - d.sentAt };
  const body = JSON.stringify(ack.payload ?? {});
  return { status: 200, body, json: ack.payload, ackMs: ack.at - d.sentAt };
}

/** All the text of a message body (text, blocks, attachments' blocks), for loose assertions. */
export function textOf(body: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (k !== 'type') walk(x);
  };
  walk(body);
  return out.join('\n');
}
