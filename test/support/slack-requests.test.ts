import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, type Logger, LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseKongCommand } from '../../src/bot/grammar/index.ts';
import { type FakeSlack, startFakeSlack } from './fake-slack/index.ts';
import { sendBlockAction, sendSlashCommand, slackSignature } from './slack-requests.ts';

const SECRET = 'test-signing-secret-0123456789abcdef';

/** Bolt logs every refused signature at error level; the assertions below say what happened instead. */
const quiet: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

let fake: FakeSlack;
let app: App;
let url: string;
const seen: { commands: string[]; clicks: { actionId: string; value: string | undefined; user: string }[] } =
  {
    commands: [],
    clicks: [],
  };

beforeAll(async () => {
  fake = await startFakeSlack();
  const receiver = new HTTPReceiver({ signingSecret: SECRET, logger: quiet });
  app = new App({
    token: fake.token,
    receiver,
    logger: quiet,
    clientOptions: { slackApiUrl: fake.url, retryConfig: { retries: 0 } },
  });
  app.command('/kong', async ({ ack, command, respond, client }) => {
    seen.commands.push(command.text);
    const parsed = parseKongCommand(command.text);
    if (!parsed.ok)
      return ack({ response_type: 'ephemeral', text: `${parsed.message}\nUsage: ${parsed.usage}` });
    await ack({ response_type: 'ephemeral', text: `Queued ${parsed.command.name}` });
    await respond({ response_type: 'ephemeral', text: 'working on it' });
    await client.chat.postMessage({ channel: command.channel_id, text: `card for ${parsed.command.name}` });
  });
  app.action('approve_restore', async ({ ack, body, action }) => {
    await ack();
    seen.clicks.push({
      actionId: 'approve_restore',
      value: action.type === 'button' ? action.value : undefined,
      user: body.user.id,
    });
  });
  const server = await app.start(0);
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
});

afterAll(async () => {
  await app.stop();
  await fake.close();
});

beforeEach(() => {
  seen.commands.length = 0;
  seen.clicks.length = 0;
});

const command = (text: string) => ({
  text,
  userId: 'U0ALICE',
  channelId: 'C0OPS',
  responseUrl: fake.responseUrl(`cmd-${text.length}-${Date.now()}`),
});

describe('signed requests into a real Bolt HTTPReceiver', () => {
  it('signs as Slack does: v0=HMAC-SHA256(secret, "v0:ts:body")', () => {
    // Slack's documented example (docs.slack.dev "Verifying requests from Slack")
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(slackSignature('8f742231b10e8888abcd99yyyzzz85a5', 1531420618, body)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });

  it('accepts a correctly signed slash command and acks within the window', async () => {
    const cmd = command('backup prod --note “before rollout”');
    const r = await sendSlashCommand(url, SECRET, cmd);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ response_type: 'ephemeral', text: 'Queued backup' });
    expect(r.ackMs).toBeLessThan(3000);
    expect(seen.commands).toEqual(['backup prod --note “before rollout”']);
    await fake.waitFor(() => fake.channel('C0OPS').find((m) => m.text === 'card for backup'));
    await fake.waitFor(() => fake.responses.find((p) => cmd.responseUrl.endsWith(p.id)));
    fake.assertNoProblems();
  });

  it('a parse error is acked with the usage line', async () => {
    const r = await sendSlashCommand(url, SECRET, command('backups prod --limit 0'));
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      text: expect.stringMatching(/--limit must be from 1 to 100[\s\S]*Usage: \/kong backups/),
    });
  });

  it.each([
    ['a forged signature', { badSignature: true }],
    ['a stale timestamp (6 minutes old)', { timestamp: Math.floor(Date.now() / 1000) - 360 }],
  ])('rejects %s with 401 and runs nothing', async (_, opts) => {
    const before = fake.calls.length;
    const r = await sendSlashCommand(url, SECRET, command('backup prod'), opts);
    expect(r.status).toBe(401);
    expect(seen.commands).toEqual([]);
    await new Promise((res) => setTimeout(res, 50));
    expect(fake.calls.length).toBe(before);
  });

  it('accepts a signed block_actions click and rejects a forged one', async () => {
    const click = {
      actionId: 'approve_restore',
      value: 'rq-42',
      userId: 'U0BOB',
      channelId: 'C0OPS',
      messageTs: '1700000000.000100',
      responseUrl: fake.responseUrl('click-1'),
      blockId: 'restore_actions',
    };
    const ok = await sendBlockAction(url, SECRET, click);
    expect(ok.status).toBe(200);
    expect(seen.clicks).toEqual([{ actionId: 'approve_restore', value: 'rq-42', user: 'U0BOB' }]);
    const forged = await sendBlockAction(
      url,
      SECRET,
      { ...click, userId: 'U0MALLORY' },
      { badSignature: true },
    );
    expect(forged.status).toBe(401);
    expect(seen.clicks).toHaveLength(1);
  });
});
