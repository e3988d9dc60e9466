/**
 * The `/kong` listener called directly with a fake `ack` and `respond` (the bolt-ts-starter-template
 * habit): it acks before anything else, answers through `respond`, and audits how the command ended.
 * Records are real (SQLite, audit log); Slack writes go to the fake Slack.
 */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authorizer, UsergroupDirectory } from '../../../src/bot/auth/index.ts';
import { readBotEnv } from '../../../src/bot/env.ts';
import type { BotRuntime } from '../../../src/bot/handlers/context.ts';
import { kongCommand } from '../../../src/bot/listeners/commands/kong.ts';
import { silentLogger } from '../../../src/bot/logger.ts';
import type { BotServices } from '../../../src/bot/services.ts';
import { createSlackOutput } from '../../../src/bot/slack/output.ts';
import { WorkQueue } from '../../../src/bot/work-queue.ts';
import { type BaseFixture, openBase, PEOPLE, textOf } from '../../integration/bot/harness.ts';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack/index.ts';

let base: BaseFixture;
let fake: FakeSlack;
let rt: BotRuntime;
let queueDown = false;

beforeAll(async () => {
  base = await openBase();
  fake = await startFakeSlack();
  const output = createSlackOutput(
    readBotEnv({ SLACK_BOT_TOKEN: fake.token, SLACK_SIGNING_SECRET: 's', SLACK_API_URL: fake.url }),
    { logger: silentLogger() },
  );
  const services: BotServices = {
    config: base.config,
    backups: base.repos.backups,
    restores: base.repos.restores,
    rehearsals: base.repos.rehearsals,
    audit: base.audit,
    now: base.clock.now,
    requestBackup: async (input) => {
      if (queueDown) throw new Error('cannot reach Redis at redis://127.0.0.1:6379/: connect ECONNREFUSED');
      return base.repos.backups.create({ ...input, type: 'manual', environment: 'production' });
    },
    requestVerify: async () => undefined,
    requestDiff: () => Promise.reject(new Error('not used')),
    diffRefusal: () => Promise.reject(new Error('not used')),
    storageOverview: () => Promise.reject(new Error('not used')),
  };
  rt = {
    services,
    auth: new Authorizer(base.config, new UsergroupDirectory({ listMembers: async () => [], now: () => 0 })),
    outbox: output.outbox,
    cards: output.cards,
    notifier: output.notifier,
    logger: silentLogger(),
    background: new Set(),
    inbox: null,
    work: new WorkQueue(2),
  };
});

afterAll(async () => {
  await rt.notifier.idle();
  await fake.close();
  base.cleanup();
});

async function run(user: string, text: string) {
  const order: string[] = [];
  const answers: unknown[] = [];
  const auditBefore = (await base.audit.head())?.seq ?? 0;
  let auditAtAck = -1;
  const args = {
    ack: async () => {
      order.push('ack');
      auditAtAck = (await base.audit.head())?.seq ?? 0;
    },
    respond: async (m: unknown) => {
      order.push('respond');
      answers.push(m);
    },
    command: { user_id: user, channel_id: 'C0UNIT', text, command: '/kong' },
  } as unknown as SlackCommandMiddlewareArgs & AllMiddlewareArgs;
  await kongCommand(rt)(args);
  const [event] = await base.audit.list({ limit: 1 });
  return { order, answers, auditBefore, auditAtAck, event: event! };
}

describe('kong listener', () => {
  it.each(['help', 'backups prod', 'bakup prod', 'backup prod --note x'])(
    'acks first: /kong %s',
    async (text) => {
      const r = await run(PEOPLE.operator, text);
      expect(r.order[0]).toBe('ack');
      expect(r.order.filter((o) => o === 'ack')).toHaveLength(1);
      expect(r.auditAtAck).toBe(r.auditBefore);
      expect(r.event.seq).toBeGreaterThan(r.auditBefore);
      expect(r.answers.length).toBeGreaterThan(0);
      for (const a of r.answers) expect(a).toMatchObject({ response_type: 'ephemeral' });
    },
  );

  it('a failure on our side is answered in plain words and audited as failed', async () => {
    queueDown = true;
    const r = await run(PEOPLE.operator, 'backup prod');
    queueDown = false;
    expect(textOf(r.answers.at(-1))).toMatch(/failed on the snapgate side/);
    expect(r.event).toMatchObject({
      action: 'slack.command',
      outcome: 'failed',
      details: { command: 'backup' },
    });
  });

  it('restore commands are answered as not run by this build and audited as refused', async () => {
    const r = await run(PEOPLE.operator, 'approve r-123');
    expect(textOf(r.answers.at(-1))).toMatch(/does not run `approve`/);
    expect(r.event).toMatchObject({
      outcome: 'refused',
      details: { command: 'approve', reason: 'unsupported' },
    });
  });
});
