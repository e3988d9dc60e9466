/**
 * `snapgate worker` running apart from the bot (`serve --no-workers`): with SLACK_BOT_TOKEN set it drives
 * the backup's card and thread in Slack, as in-process workers do. Real worker process, real Redis and
 * SQLite, kong-sim, fake Slack.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { webApi } from '@slack/bolt';
import { afterEach, expect, it } from 'vitest';
import { requestBackup } from '../../../src/app/index.ts';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack/index.ts';
import { createTestEnv, type TestEnv, waitFor, waitForBackup } from './harness.ts';

const BIN = fileURLToPath(new URL('../../../bin/snapgate', import.meta.url));
let env: TestEnv | undefined;
let slack: FakeSlack | undefined;
let worker: ReturnType<typeof spawn> | undefined;

afterEach(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((r) => worker!.on('exit', r));
    worker.kill('SIGTERM');
    await exited;
  }
  await slack?.close();
  await env?.cleanup();
});

it('a worker process with SLACK_BOT_TOKEN edits the backup card and posts the result in its thread', async () => {
  env = await createTestEnv();
  slack = await startFakeSlack();
  const services = await env.open();
  const client = new webApi.WebClient(slack.token, { slackApiUrl: slack.url });
  const card = await client.chat.postMessage({ channel: 'C0OPS', text: 'backup of prod: pending' });

  let out = '';
  worker = spawn(BIN, ['worker', '--config', env.configPath], {
    env: { ...process.env, ...env.env, SLACK_BOT_TOKEN: slack.token, SLACK_API_URL: slack.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker.stdout!.on('data', (d) => {
    out += d;
  });
  await waitFor('the worker to start', async () => out.includes('worker started'), 30_000);
  expect(out).toContain('Slack: cards and threads are updated from this worker');

  const backup = await requestBackup(services, {
    connection: 'prod',
    type: 'manual',
    requestedBy: 'U0ALICE',
    slack: { channel: 'C0OPS', ts: card.ts! },
  });
  const done = await waitForBackup(services, backup.id);
  expect(done.status).toBe('completed');
  await waitFor('the card to be edited', async () => (slack!.message('C0OPS', card.ts!)?.edits ?? 0) > 0);
  await waitFor('the result in the thread', async () =>
    slack!.thread('C0OPS', card.ts!).some((m) => (m.text ?? '').includes(`Backup ${backup.id} completed`)),
  );
  const result = slack.thread('C0OPS', card.ts!).find((m) => (m.text ?? '').includes('completed'));
  expect(JSON.stringify(result?.blocks)).toContain(done.artifactName!);
  slack.assertNoProblems();
});
