import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actions as actionsBlock, button, header, section } from '../../src/bot/blocks/index.ts';
import { type FakeSlack, startFakeSlack } from './fake-slack/index.ts';

const { WebClient, WebClientEvent, WebAPIPlatformError, WebAPIRateLimitedError } = webApi;

let fake: FakeSlack;
let client: InstanceType<typeof WebClient>;

beforeEach(async () => {
  fake = await startFakeSlack({
    users: [
      { id: 'U0ALICE', name: 'alice', tz: 'Europe/Berlin' },
      { id: 'U0BOB', name: 'bob' },
    ],
    usergroups: { S0APPROVERS: ['U0ALICE', 'U0BOB'] },
  });
  client = new WebClient(fake.token, { slackApiUrl: fake.url, retryConfig: { retries: 0 } });
});

afterEach(async () => {
  await fake.close();
});

/** The Slack error code a rejected WebClient call carries. */
async function slackError(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof WebAPIPlatformError)) throw new Error(`expected a platform error, got ${String(err)}`);
  return String(err.data.error);
}

describe('fake Slack with a real @slack/web-api WebClient', () => {
  it('auth.test checks the bot token', async () => {
    const me = await client.auth.test();
    expect(me).toMatchObject({ ok: true, user_id: 'U0SNAPBOT', bot_id: 'B0SNAPBOT', team_id: 'T0SNAPGATE' });
    const wrong = new WebClient('xoxb-wrong', { slackApiUrl: fake.url, retryConfig: { retries: 0 } });
    expect(await slackError(wrong.auth.test())).toBe('invalid_auth');
    const none = new WebClient(undefined, { slackApiUrl: fake.url, retryConfig: { retries: 0 } });
    expect(await slackError(none.auth.test())).toBe('not_authed');
    fake.assertNoProblems();
  });

  it('posts a card, replies in its thread, and updates the card in place', async () => {
    const blocks = [header('Backup of prod'), section('*Status:* pending')];
    const card = await client.chat.postMessage({ channel: 'C0OPS', text: 'Backup of prod: pending', blocks });
    expect(card.ts).toMatch(/^\d{10}\.\d{6}$/);
    const reply = await client.chat.postMessage({
      channel: 'C0OPS',
      thread_ts: card.ts!,
      text: 'dump started',
    });
    expect(Number(reply.ts)).toBeGreaterThan(Number(card.ts));

    // only text given: Slack keeps the earlier blocks
    await client.chat.update({ channel: 'C0OPS', ts: card.ts!, text: 'Backup of prod: running' });
    const running = fake.message('C0OPS', card.ts!)!;
    expect(running).toMatchObject({ text: 'Backup of prod: running', blocks, edits: 1 });
    expect(running.history[0]).toMatchObject({ text: 'Backup of prod: pending' });

    expect(fake.channel('C0OPS').map((m) => m.ts)).toEqual([card.ts]);
    expect(fake.thread('C0OPS', card.ts!).map((m) => m.text)).toEqual(['dump started']);
    // text that looks like JSON stays text
    await client.chat.postMessage({ channel: 'C0OPS', thread_ts: card.ts!, text: '[1]' });
    expect(fake.thread('C0OPS', card.ts!).map((m) => m.text)).toEqual(['dump started', '[1]']);
    // the recorded call has blocks decoded from the form-encoded JSON string WebClient sends
    expect(fake.callsTo('chat.postMessage')[0]!.body.blocks).toEqual(blocks);
    expect(await slackError(client.chat.update({ channel: 'C0OPS', ts: '1.000001', text: 'x' }))).toBe(
      'message_not_found',
    );
    fake.assertNoProblems();
  });

  it('records ephemerals', async () => {
    const r = await client.chat.postEphemeral({
      channel: 'C0OPS',
      user: 'U0ALICE',
      text: 'Missing <connection>.',
    });
    expect(r.message_ts).toBeDefined();
    expect(fake.ephemerals).toMatchObject([
      { channel: 'C0OPS', user: 'U0ALICE', text: 'Missing <connection>.' },
    ]);
    expect(
      await slackError(client.chat.postEphemeral({ channel: 'C0OPS', user: 'U0NOBODY', text: 'x' })),
    ).toBe('user_not_in_channel');
  });

  it('filesUploadV2 stores the bytes and shares the file in the thread', async () => {
    const card = await client.chat.postMessage({ channel: 'C0OPS', text: 'diff' });
    const diff = '+ route orders\n- plugin rate-limiting ✂️\n';
    await client.filesUploadV2({
      channel_id: 'C0OPS',
      thread_ts: card.ts!,
      content: diff,
      filename: 'diff-prod.txt',
      title: 'Full diff',
      initial_comment: 'Full diff attached',
    });
    expect(fake.files).toHaveLength(1);
    const file = fake.files[0]!;
    expect(file).toMatchObject({
      filename: 'diff-prod.txt',
      title: 'Full diff',
      channel: 'C0OPS',
      threadTs: card.ts,
      completed: true,
    });
    expect(file.content?.toString('utf8')).toBe(diff);
    expect(fake.thread('C0OPS', card.ts!)).toMatchObject([
      { text: 'Full diff attached', fileIds: [file.id] },
    ]);
    expect(fake.calls.map((c) => c.method)).toEqual([
      'chat.postMessage',
      'files.getUploadURLExternal',
      'upload',
      'files.completeUploadExternal',
    ]);
    fake.assertNoProblems();
  });

  it('answers users.info and usergroups.users.list from fixtures', async () => {
    const alice = await client.users.info({ user: 'U0ALICE' });
    expect(alice.user).toMatchObject({ id: 'U0ALICE', name: 'alice', tz: 'Europe/Berlin', deleted: false });
    expect(await slackError(client.users.info({ user: 'U0GHOST' }))).toBe('user_not_found');
    const group = await client.usergroups.users.list({ usergroup: 'S0APPROVERS' });
    expect(group.users).toEqual(['U0ALICE', 'U0BOB']);
    fake.usergroups.set('S0APPROVERS', ['U0BOB']);
    expect((await client.usergroups.users.list({ usergroup: 'S0APPROVERS' })).users).toEqual(['U0BOB']);
    expect(await slackError(client.usergroups.users.list({ usergroup: 'S0NONE' }))).toBe('no_such_subteam');
  });

  it('a 429 with Retry-After is honoured by the client, which then succeeds', async () => {
    const retrying = new WebClient(fake.token, {
      slackApiUrl: fake.url,
      retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 0 },
    });
    const limited: number[] = [];
    retrying.on(WebClientEvent.RATE_LIMITED, (sec: number) => limited.push(sec));
    fake.inject429('chat.postMessage', 1, 1);
    const started = Date.now();
    const r = await retrying.chat.postMessage({ channel: 'C0OPS', text: 'after the wait' });
    expect(r.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(limited).toEqual([1]);
    expect(fake.callsTo('chat.postMessage').map((c) => c.outcome)).toEqual(['429', 'ok']);
  });

  it('rejectRateLimitedCalls surfaces the 429 with its retryAfter', async () => {
    const strict = new WebClient(fake.token, { slackApiUrl: fake.url, rejectRateLimitedCalls: true });
    fake.inject429('chat.update', 7, 1);
    const err = await strict.chat.update({ channel: 'C0OPS', ts: '1', text: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebAPIRateLimitedError);
    expect((err as InstanceType<typeof WebAPIRateLimitedError>).retryAfter).toBe(7);
  });

  it('injected errors are answered the given number of times', async () => {
    fake.injectError('chat.postMessage', 'not_in_channel', 2);
    expect(await slackError(client.chat.postMessage({ channel: 'C0X', text: 'a' }))).toBe('not_in_channel');
    expect(await slackError(client.chat.postMessage({ channel: 'C0X', text: 'b' }))).toBe('not_in_channel');
    expect((await client.chat.postMessage({ channel: 'C0X', text: 'c' })).ok).toBe(true);
  });

  it('refuses payloads Slack would refuse and records them as problems', async () => {
    const tooMany = Array.from({ length: 51 }, () => section('x'));
    expect(await slackError(client.chat.postMessage({ channel: 'C0OPS', text: 't', blocks: tooMany }))).toBe(
      'invalid_blocks',
    );
    const long = [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'y'.repeat(3001) } }];
    expect(await slackError(client.chat.postMessage({ channel: 'C0OPS', text: 't', blocks: long }))).toBe(
      'invalid_blocks',
    );
    expect(
      await slackError(client.chat.postMessage({ channel: 'C0OPS', text: 't', thread_ts: '1.000001' })),
    ).toBe('thread_not_found');
    expect(fake.messages).toHaveLength(0);
    expect(fake.problems).toHaveLength(3);
    expect(() => fake.assertNoProblems()).toThrow(
      /51 blocks \(max 50\)[\s\S]*3001 characters[\s\S]*thread_ts/,
    );
    fake.problems.length = 0;
  });

  it('serves response_url posts (up to 5 uses) and validates them', async () => {
    const url = fake.responseUrl('cmd-1');
    const post = (body: unknown) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const ok = await post({
      response_type: 'ephemeral',
      text: 'queued',
      blocks: [actionsBlock([button({ text: 'Next page', actionId: 'audit_next', value: 'c1' })])],
    });
    expect(ok.status).toBe(200);
    expect(fake.responses[0]).toMatchObject({
      id: 'cmd-1',
      body: { response_type: 'ephemeral', text: 'queued' },
    });
    for (let i = 0; i < 4; i++) expect((await post({ text: `again ${i}` })).status).toBe(200);
    expect((await post({ text: 'sixth' })).status).toBe(404);
    expect(fake.problems).toEqual(['response_url cmd-1: used more than 5 times']);
    fake.problems.length = 0;
  });

  it('waitFor resolves on the condition and times out with what it saw', async () => {
    setTimeout(() => void client.chat.postMessage({ channel: 'C0OPS', text: 'later' }), 30);
    const m = await fake.waitFor(() => fake.messages.find((x) => x.text === 'later'), 2000);
    expect(m.channel).toBe('C0OPS');
    await expect(fake.waitFor(() => fake.messages.length > 5, 50)).rejects.toThrow(
      /not met within 50 ms; last calls: \[chat.postMessage→ok\]/,
    );
  });
});
