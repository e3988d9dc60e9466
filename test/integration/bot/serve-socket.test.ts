/**
 * `snapgate serve` in Socket Mode as a real child process: Slack asks for a refresh, then answers
 * `apps.connections.open` with three HTTP 500s and two 429s (Retry-After) while the bot reconnects. The
 * process stays up, logs each failed attempt, `/readyz` answers 503 "Slack disconnected" while it lasts,
 * and the next `/kong backup` over the new connection works. SIGTERM still stops it cleanly.
 * Real bin/snapgate, fake Slack (Web API + Socket Mode), real Redis and SQLite, kong-sim.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack/index.ts';
import { slashCommandPayload } from '../../support/slack-requests.ts';
import { SNAPGATE_BIN } from '../../support/snapgate-cli.ts';
import { createTestEnv, type TestEnv, waitFor } from '../jobs/harness.ts';
import { overSocket, textOf } from './harness.ts';

const OPERATOR = 'U0OPER';
let env: TestEnv | undefined;
let slack: FakeSlack | undefined;
let serve: ChildProcess | undefined;

afterEach(async () => {
  if (serve && serve.exitCode === null) {
    const exited = new Promise((r) => serve!.on('exit', r));
    serve.kill('SIGKILL');
    await exited;
  }
  await slack?.close();
  await env?.cleanup();
});

interface Readyz {
  status: string;
  checks: Record<string, Record<string, unknown>>;
}

async function readyz(port: number): Promise<{ status: number; body: Readyz }> {
  const res = await fetch(`http://127.0.0.1:${port}/readyz`);
  return { status: res.status, body: (await res.json()) as Readyz };
}

it('stays up through five failed apps.connections.open calls during a reconnect, then takes the next command', async () => {
  env = await createTestEnv({ connectionExtra: `roles:\n  operator: [${OPERATOR}]` });
  slack = await startFakeSlack({ users: [{ id: OPERATOR, name: 'oper' }] });
  let out = '';
  let err = '';
  serve = spawn(SNAPGATE_BIN, ['serve', '--config', env.configPath], {
    env: {
      ...process.env,
      ...env.env,
      SLACK_BOT_TOKEN: slack.token,
      SLACK_APP_TOKEN: slack.socket.appToken,
      SLACK_API_URL: slack.url,
      PORT: '0',
      SLACK_RECONNECT_MIN_MS: '100',
      SLACK_RECONNECT_MAX_MS: '400',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  serve.stdout!.on('data', (d) => {
    out += d;
  });
  serve.stderr!.on('data', (d) => {
    err += d;
  });
  const started = await waitFor('serve to connect', async () => /readyz on port (\d+)/.exec(out), 30_000);
  const port = Number(started[1]);
  await slack.socket.waitForConnections(1);
  const ready = await waitFor('ready', async () => {
    const r = await readyz(port);
    return r.status === 200 ? r : undefined;
  });
  expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  // serve checks what it needs besides Slack (issue 14 §4), and serves its metrics on the same port
  expect(Object.keys(ready.body.checks)).toEqual([
    'slack',
    'database',
    'redis',
    'storage:primary',
    expect.stringMatching(/^storage:directory:/),
  ]);
  const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(metrics.status).toBe(200);
  expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  expect(await metrics.text()).toContain('snapgate_queue_jobs{queue="backup",state="waiting"} 0');

  // Slack refreshes the connection, then has a bad minute on apps.connections.open
  slack.injectHttpStatus('apps.connections.open', 500, 3);
  slack.inject429('apps.connections.open', 1, 2);
  slack.socket.disconnect('refresh_requested');

  const down = await waitFor('/readyz to say Slack is disconnected', async () => {
    const r = await readyz(port);
    return r.status === 503 ? r : undefined;
  });
  expect(down.body.status).toBe('Slack disconnected');
  expect(down.body.checks.slack).toMatchObject({ ok: false, connected: false });

  await slack.socket.waitForConnections(2, 30_000);
  expect(serve.exitCode).toBeNull();
  const opens = slack.callsTo('apps.connections.open');
  expect(opens.map((c) => c.outcome)).toEqual(['ok', '500', '500', '500', '429', '429', 'ok']);
  // after each 429 the bot waited at least its Retry-After (1 s) before asking again
  for (const i of [4, 5]) expect(opens[i + 1]!.at - opens[i]!.at).toBeGreaterThanOrEqual(1000);
  const up = await waitFor('/readyz to be ready again', async () => {
    const r = await readyz(port);
    return r.status === 200 ? r : undefined;
  });
  expect(up.body.checks.slack).toMatchObject({ ok: true, connected: true, failures: 5, reconnects: 1 });
  // each failure logged once, saying what failed, and no token in the log
  // the log is JSON lines on stdout (src/observe/log.ts)
  const failures = out.split('\n').filter((l) => l.includes('connection attempt failed'));
  expect(failures.every((l) => (JSON.parse(l) as { component?: string }).component === 'slack')).toBe(true);
  expect(failures).toHaveLength(5);
  expect(failures.filter((l) => l.includes('HTTP 500'))).toHaveLength(3);
  expect(failures.filter((l) => l.includes('Retry-After 1 s'))).toHaveLength(2);
  expect(err + out).not.toContain(slack.socket.appToken);
  expect(err + out).not.toContain(slack.token);

  // the next command works over the new connection
  const r = await overSocket(
    slack,
    'slash_commands',
    slashCommandPayload({
      text: 'backup prod',
      userId: OPERATOR,
      channelId: 'C0OPS',
      responseUrl: slack.responseUrl('after'),
    }),
  );
  expect(r.status).toBe(200);
  const card = await slack.waitFor(() => slack!.channel('C0OPS')[0], 10_000);
  await slack.waitFor(() => /Completed/.test(textOf(slack!.message('C0OPS', card.ts))), 30_000);
  slack.assertNoProblems();

  const exited = new Promise<number | null>((res) => serve!.on('exit', res));
  serve.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(out).toContain('snapgate serve stopped');
}, 90_000);
