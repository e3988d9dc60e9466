/**
 * npm run bench:bot — 50 concurrent signed `/kong backup prod` requests into the real Bolt HTTP receiver,
 * with the real workers (Redis, SQLite, kong-sim) and fake Slack behind it. Measures how fast each request
 * is acked (Slack's clock: the 3-second window) and how long until every card shows the final state.
 * The requests are sent from a worker thread (bench/bot-load.ts) so the client's own CPU does not share
 * the bot's event loop. Prints one JSON line last: {"bench":"bot","requests":N,"ackP50Ms":..,"ackP99Ms":..,"allCompletedMs":..}
 * Goal: ackP99Ms < 300.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Redis } from 'ioredis';
import { createBotApp } from '../src/bot/app.ts';
import { readBotEnv } from '../src/bot/env.ts';
import { fromJobServices } from '../src/bot/job-services.ts';
import { silentLogger } from '../src/bot/logger.ts';
import { createSlackOutput } from '../src/bot/slack/output.ts';
import { createServices } from '../src/compose/index.ts';
import { loadConfig } from '../src/config/index.ts';
import { startWorkers } from '../src/jobs/index.ts';
import { startFakeSlack } from '../test/support/fake-slack/index.ts';
import { startKongSim } from '../tools/kong-sim/index.ts';
import { writeBenchConfig } from './bench-config.ts';

const REQUESTS = Number(process.env.BENCH_BOT_REQUESTS ?? 50);
const SECRET = 'bench-signing-secret';
const TOKEN = 'bench-kong-token';
const USER = 'U0BENCH';
const CHANNEL = 'C0BENCH';

const SEED = {
  _format_version: '3.0',
  services: Array.from({ length: 20 }, (_, i) => ({
    name: `svc-${i}`,
    host: `svc-${i}.internal`,
    routes: [{ name: `route-${i}`, paths: [`/svc-${i}`] }],
    plugins: [{ name: 'rate-limiting', config: { minute: 100 + i, policy: 'local' } }],
  })),
  consumers: Array.from({ length: 20 }, (_, i) => ({ username: `user-${i}` })),
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const dir = mkdtempSync(join(tmpdir(), 'snapgate-bench-bot-'));
const prefix = `sgbench-${randomUUID().slice(0, 8)}`;
const sim = await startKongSim({ token: TOKEN, seed: SEED });
const configPath = writeBenchConfig({
  dir,
  kongUrl: sim.url,
  prefix,
  environment: 'production',
  connectionExtra: `roles:\n  operator: [${USER}]`,
});
const config = await loadConfig({
  path: configPath,
  env: { KONG_TOKEN: TOKEN, SNAPGATE_KEY: randomBytes(32).toString('hex') },
});
const fake = await startFakeSlack({ users: [{ id: USER, name: 'bench' }] });
const env = readBotEnv({
  SLACK_BOT_TOKEN: fake.token,
  SLACK_SIGNING_SECRET: SECRET,
  SLACK_API_URL: fake.url,
});
const logger = silentLogger();
const output = createSlackOutput(env, { logger });
const services = await createServices({ config, notifier: output.notifier });
const workers = await startWorkers(services, {
  syncSchedules: false,
  recover: false,
  backupConcurrency: 4,
  log: () => undefined,
});
const bot = createBotApp({ services: fromJobServices(services), env, port: 0, logger, output });
await bot.start();
const url = `http://127.0.0.1:${bot.port}/slack/events`;

const started = performance.now();
const acks = await sendFromWorker({
  url,
  secret: SECRET,
  requests: REQUESTS,
  userId: USER,
  channelId: CHANNEL,
  responseUrl: fake.responseUrl('bench-'),
});
const refused = acks.filter((a) => a.status !== 200).length;
if (refused > 0) throw new Error(`${refused} requests were not acked with 200`);

/** Runs bench/bot-load.ts in a worker thread (through tsx, as bin/snapgate loads TypeScript). */
function sendFromWorker(workerInput: Record<string, unknown>): Promise<{ status: number; ackMs: number }[]> {
  const entry = new URL('./bot-load.ts', import.meta.url).href;
  const code = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  const worker = new Worker(code, { eval: true, workerData: workerInput });
  return new Promise((resolve, reject) => {
    worker.once('message', (m) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

const finalCards = () =>
  fake.channel(CHANNEL).filter((m) => /Completed|Failed/.test(JSON.stringify(m.attachments ?? ''))).length;
await fake.waitFor(() => finalCards() >= REQUESTS || undefined, 180_000);
const allCompletedMs = performance.now() - started;
const failed = fake.channel(CHANNEL).filter((m) => /Failed/.test(JSON.stringify(m.attachments ?? ''))).length;

await bot.stop();
await workers.close(5000);
await services.close();
await sim.close();
await fake.close();
const redis = new Redis('redis://127.0.0.1:6379');
for (let cursor = '0'; ; ) {
  const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
  if (keys.length) await redis.del(...keys);
  cursor = next;
  if (cursor === '0') break;
}
redis.disconnect();
rmSync(dir, { recursive: true, force: true });

const ackMs = acks.map((a) => a.ackMs).sort((a, b) => a - b);
process.stderr.write(
  `bot bench: ${REQUESTS} requests, ${failed} failed backups, cards ${fake.channel(CHANNEL).length}, ` +
    `card edits ${fake.callsTo('chat.update').length}, thread replies ${fake.messages.filter((m) => m.threadTs).length}\n`,
);
console.log(
  JSON.stringify({
    bench: 'bot',
    requests: REQUESTS,
    ackP50Ms: Math.round(percentile(ackMs, 50)),
    ackP99Ms: Math.round(percentile(ackMs, 99)),
    allCompletedMs: Math.round(allCompletedMs),
  }),
);
