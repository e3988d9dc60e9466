/**
 * Slash commands survive a serve that dies between the ack and the end of their work (command-inbox.ts):
 * the inbox's own rules over real Redis (a command is left to a live owner and for a grace period, taken
 * by exactly one instance, dropped when too old), and a real Bolt app taking over a dead serve's command —
 * card, record and ephemeral answer once; the record a dead serve already created found, not doubled; a
 * stale command answered with "run it again". Fake Slack, real SQLite, Redis and the jobs' services.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { derivedBackupId } from '../../../src/app/index.ts';
import {
  type CommandInbox,
  type HeldCommandFields,
  redisCommandInbox,
} from '../../../src/bot/command-inbox.ts';
import { fromJobServices } from '../../../src/bot/job-services.ts';
import { createServices, type Runtime as Services } from '../../../src/compose/index.ts';
import { REDIS_URL } from '../jobs/harness.ts';
import { type BaseFixture, type BotFixture, CHANNEL, openBase, PEOPLE, startBot, textOf } from './harness.ts';

const prefix = `sginbox-${randomUUID().slice(0, 8)}`;
let redis: Redis;

beforeAll(() => {
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

const command = (text: string, trigger: string = randomUUID()): HeldCommandFields => ({
  command: '/kong',
  text,
  user_id: PEOPLE.operator,
  channel_id: CHANNEL,
  trigger_id: trigger,
});

describe('the command inbox (Redis)', () => {
  it('leaves a command to its live owner and to the grace period, then gives it to exactly one instance', async () => {
    const p = `${prefix}-rules`;
    let t = 1_000_000;
    const clock = () => t;
    const dead = redisCommandInbox(redis, { prefix: p, owner: 'serve-dead', now: clock });
    const live = redisCommandInbox(redis, { prefix: p, owner: 'serve-live', now: clock });
    const a = redisCommandInbox(redis, { prefix: p, owner: 'serve-a', now: clock });
    const b = redisCommandInbox(redis, { prefix: p, owner: 'serve-b', now: clock });
    await live.heartbeat();
    const orphan = await dead.hold(command('backup prod'));
    await live.hold(command('backup staging'));
    const done = await dead.hold(command('verify x'));
    await dead.release(done!);

    // within the grace period nothing is taken, not even a dead serve's command
    expect(await a.takeOrphans()).toEqual({ taken: [], expired: [] });
    t += 11_000;
    // two instances race: the dead serve's command goes to exactly one; the live serve's stays
    const [ra, rb] = await Promise.all([a.takeOrphans(), b.takeOrphans()]);
    const taken = [...ra.taken, ...rb.taken];
    expect(taken.map((h) => [h.id, h.owner, h.fields.text])).toEqual([[orphan, 'serve-dead', 'backup prod']]);
    expect(await redis.hlen(`${p}:slack-inbox`)).toBe(1);
    // the live owner stops (a clean shutdown leaves its heartbeat): its command is then taken over too
    await live.leave();
    expect((await a.takeOrphans()).taken.map((h) => h.fields.text)).toEqual(['backup staging']);
    // a command older than the dedup window is dropped, not run
    await dead.hold(command('backup prod --note old'));
    t += 16 * 60_000;
    expect(await a.takeOrphans()).toMatchObject({
      taken: [],
      expired: [{ fields: { text: 'backup prod --note old' } }],
    });
    expect(await redis.hlen(`${p}:slack-inbox`)).toBe(0);
  });
});

describe('a serve taking over the commands of one that stopped', () => {
  let base: BaseFixture;
  let services: Services;
  let t: BotFixture;
  const p = `${prefix}-bot`;
  // held a minute ago by a serve whose heartbeat is long gone
  let dead: CommandInbox;
  // this serve's inbox, with each hold and release noted as it happens
  const steps: string[] = [];

  beforeAll(async () => {
    dead = redisCommandInbox(redis, { prefix: p, owner: 'serve-killed', now: () => Date.now() - 60_000 });
    base = await openBase();
    t = await startBot(
      async (output) => {
        services = await createServices({
          config: base.config,
          notifier: output.notifier,
          redis: { prefix: `${p}-jobs` },
        });
        return fromJobServices(services);
      },
      { inbox: observed(redisCommandInbox(redis, { prefix: p })), inboxEveryMs: 100 },
    );
  });
  afterAll(async () => {
    await t.close();
    await services.close();
    base.cleanup();
  });

  function observed(inbox: CommandInbox): CommandInbox {
    return {
      ...inbox,
      async hold(fields) {
        const id = await inbox.hold(fields);
        steps.push(`hold ${fields.text} (inbox ${await redis.hlen(`${p}:slack-inbox`)})`);
        return id;
      },
      async release(id) {
        steps.push('release');
        await inbox.release(id);
      },
    };
  }

  async function recordNamed(id: string) {
    for (let i = 0; i < 500; i++) {
      const found = await base.repos.backups.get(id);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no backup ${id}`);
  }

  const ephemerals = () =>
    t.fake.calls.filter((c) => c.method === 'chat.postEphemeral' && c.outcome === 'ok');

  it('runs a backup command a dead serve acked: one card, one record with the derived id, one answer', async () => {
    const trigger = `trig-${randomUUID()}`;
    const cardsBefore = t.fake.channel(CHANNEL).length;
    await dead.hold(command('backup prod --note taken-over', trigger));
    const id = derivedBackupId(`slack:${trigger}`);
    const record = await recordNamed(id);
    expect(record).toMatchObject({ connection: 'prod', requestedBy: PEOPLE.operator, note: 'taken-over' });
    const answer = await t.fake.waitFor(() => ephemerals().find((c) => textOf(c.body).includes(id)), 10_000);
    expect(answer.body).toMatchObject({ channel: CHANNEL, user: PEOPLE.operator });
    expect(textOf(answer.body)).toMatch(
      /snapgate restarted while handling `\/kong backup prod --note taken-over`/,
    );
    const cards = t.fake.channel(CHANNEL).slice(cardsBefore);
    expect(
      cards.filter((m) => /taken-over/.test(textOf({ blocks: m.blocks, attachments: m.attachments }))),
    ).toHaveLength(1);
    expect(record.slack?.ts).toBe(cards[0]?.ts);
    await t.bot.idle();
    const audit = await base.audit.list({ action: 'slack.command', limit: 10 });
    expect(audit.find((e) => e.targetId === id)?.details).toMatchObject({
      command: 'backup',
      recovered: true,
    });
    expect(await redis.hlen(`${p}:slack-inbox`)).toBe(0);
  });

  it('finds the record a dead serve had already created instead of a second backup', async () => {
    const trigger = `trig-${randomUUID()}`;
    const id = derivedBackupId(`slack:${trigger}`);
    await base.repos.backups.create({ id, connection: 'prod', type: 'manual', requestedBy: PEOPLE.operator });
    const cardsBefore = t.fake.channel(CHANNEL).length;
    await dead.hold(command('backup prod', trigger));
    const answer = await t.fake.waitFor(
      () => ephemerals().find((c) => textOf(c.body).includes(`${id}\` of \`prod\` was already queued`)),
      10_000,
    );
    expect(answer).toBeDefined();
    expect(t.fake.channel(CHANNEL).length).toBe(cardsBefore);
    expect(
      (await base.repos.backups.listByConnection('prod', { limit: 100 })).filter((b) => b.id === id),
    ).toHaveLength(1);
  });

  it('tells the sender to run a command again when it is too old to run', async () => {
    const stale = redisCommandInbox(redis, {
      prefix: p,
      owner: 'serve-killed-long-ago',
      now: () => Date.now() - 20 * 60_000,
    });
    const before = (await base.repos.backups.listByConnection('prod', { limit: 100 })).length;
    await stale.hold(command('backup prod --note too-old'));
    const answer = await t.fake.waitFor(
      () => ephemerals().find((c) => /too old to run now/.test(textOf(c.body))),
      10_000,
    );
    expect(textOf(answer.body)).toMatch(/`\/kong backup prod --note too-old`.*Please run it again/);
    expect((await base.repos.backups.listByConnection('prod', { limit: 100 })).length).toBe(before);
  });

  it('keeps a live command in the inbox from before its ack until its work is done', async () => {
    steps.length = 0;
    const r = await t.kong(PEOPLE.operator, 'backup prod --note live');
    expect(r.status).toBe(200);
    // held before Slack got its ack: the HTTP answer came after the hold
    expect(steps).toEqual(['hold backup prod --note live (inbox 1)']);
    await t.fake.waitFor(() => (t.responses(r.responseId).length > 0 ? true : undefined), 10_000);
    await t.bot.idle();
    expect(steps).toEqual(['hold backup prod --note live (inbox 1)', 'release']);
    expect(await redis.hlen(`${p}:slack-inbox`)).toBe(0);
  });
});
