/**
 * The notifier's restore path against the fake Slack, fed the jobs' event sequence directly: a re-plan
 * (gateway changed after approval) redraws the card with the new plan hash and a second diff file and
 * says so in the thread; a partial apply lists the failed steps with Kong's messages and offers Undo;
 * repeated final events post once; progress moves only the card's line.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mutate, syntheticGateway } from '../../../bench/synthetic.ts';
import { readBotEnv } from '../../../src/bot/env.ts';
import { silentLogger } from '../../../src/bot/logger.ts';
import { createSlackOutput, type SlackOutput } from '../../../src/bot/slack/output.ts';
import { planBlockId } from '../../../src/bot/views/restore-card.ts';
import { planRestore } from '../../../src/core/index.ts';
import type { Restore } from '../../../src/db/index.ts';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack/index.ts';
import { textOf } from './harness.ts';

let fake: FakeSlack;
let out: SlackOutput;

beforeAll(async () => {
  fake = await startFakeSlack();
  out = createSlackOutput(
    readBotEnv({ SLACK_BOT_TOKEN: fake.token, SLACK_SIGNING_SECRET: 's', SLACK_API_URL: fake.url }),
    { logger: silentLogger(), cardIntervalMs: 50 },
  );
});
afterAll(() => fake.close());
afterEach(() => fake.assertNoProblems());

const live = syntheticGateway({ services: 20, routes: 40, consumers: 10, credentials: 10, plugins: 10 });
const planA = planRestore(live, mutate(live, 0.2, 1));
const planB = planRestore(live, mutate(live, 0.3, 2));

async function card(channel: string): Promise<Restore> {
  const r = await out.outbox.run(channel, (c) => c.chat.postMessage({ channel, text: 'restore card' }));
  return {
    id: `r-${channel}`,
    connection: 'prod',
    backupId: 'b-1',
    requestedBy: 'U0OPER',
    reason: 'incident',
    onlySections: null,
    noDeletes: false,
    breakGlass: false,
    status: 'awaiting_approval',
    planHash: planA.planHash,
    liveFingerprint: 'x',
    planSummary: null,
    expiresAt: new Date(1_800_000_000_000),
    approvedBy: null,
    preRestoreBackupId: null,
    failureReason: null,
    failureCode: null,
    slack: { channel, ts: r.ts! },
    createdAt: new Date(1_799_999_000_000),
    updatedAt: new Date(1_799_999_000_000),
    finishedAt: null,
  };
}

const actionsOf = (channel: string, ts: string) =>
  (
    fake.message(channel, ts)!.attachments![0] as { blocks: { type: string; block_id?: string }[] }
  ).blocks.find((b) => b.type === 'actions');

describe('restore events in Slack', () => {
  it('a re-plan shows the new plan (new hash on the buttons, a second diff file) and says why', async () => {
    const r = await card('CREPLAN');
    const ts = r.slack!.ts;
    const n = out.notifier;
    n.restoreChanged({ restore: r, phase: 'awaiting_approval', plan: planA });
    // each status change moves the record's updatedAt, as the repositories do (it orders the card's edits)
    const at = (s: number) => new Date(r.updatedAt.getTime() + s * 1000);
    n.restoreChanged({
      restore: { ...r, status: 'approved', approvedBy: 'U0APPROVER', updatedAt: at(1) },
      phase: 'approved',
      actor: 'U0APPROVER',
    });
    n.restoreChanged({
      restore: { ...r, status: 'running', approvedBy: 'U0APPROVER', updatedAt: at(2) },
      phase: 'started',
    });
    n.restoreChanged({
      restore: { ...r, status: 'awaiting_approval', planHash: planB.planHash, updatedAt: at(3) },
      phase: 'replan_required',
      plan: planB,
    });
    await n.idle();
    expect(actionsOf('CREPLAN', ts)?.block_id).toBe(planBlockId(planB.planHash));
    expect(fake.files.filter((f) => f.threadTs === ts && f.completed)).toHaveLength(2);
    const thread = fake.thread('CREPLAN', ts).map(textOf).join('\n');
    expect(thread).toMatch(/live gateway changed/);
    expect(textOf(fake.message('CREPLAN', ts))).toMatch(/Awaiting approval/);
  });

  it('a partial apply lists failed steps with Kong messages, offers Undo, and posts its outcome once', async () => {
    const r = await card('CPARTIAL');
    const ts = r.slack!.ts;
    const n = out.notifier;
    const running = {
      ...r,
      status: 'running' as const,
      approvedBy: 'U0APPROVER',
      preRestoreBackupId: 'b-pre',
    };
    n.restoreChanged({ restore: r, phase: 'awaiting_approval', plan: planA });
    n.restoreChanged({ restore: running, phase: 'pre_restore_backup', preRestoreBackupId: 'b-pre' });
    for (let done = 1; done <= 20; done++)
      n.restoreChanged({ restore: running, phase: 'applying', progress: { done, total: 20 } });
    const final = { ...running, status: 'partially_failed' as const };
    const result = {
      applied: 18,
      failed: 2,
      notAttempted: 0,
      drift: 2,
      failedSteps: [
        {
          seq: 3,
          op: 'update',
          kind: 'plugins',
          name: 'rate-limiting for service orders',
          error: 'HTTP 400 schema violation (config.minute: expected a number)',
        },
        {
          seq: 9,
          op: 'create',
          kind: 'routes',
          name: 'billing-api',
          error: 'HTTP 409 unique constraint violation',
        },
      ],
    };
    n.restoreChanged({ restore: final, phase: 'finished', result });
    n.restoreChanged({ restore: final, phase: 'finished', result });
    await n.idle();
    const thread = fake.thread('CPARTIAL', ts);
    const outcome = thread.filter((m) => /partially failed/.test(m.text ?? ''));
    expect(outcome).toHaveLength(1);
    expect(textOf(outcome[0])).toMatch(/schema violation[\s\S]*unique constraint/);
    expect(JSON.stringify(outcome[0])).toContain('restore_undo');
    expect(thread.filter((m) => /applying/.test(textOf(m))).length).toBeLessThanOrEqual(1);
    expect(thread.map(textOf).join('\n')).toContain('Pre-restore backup `b-pre` taken');
    expect(textOf(fake.message('CPARTIAL', ts))).toMatch(/Partially failed/);
    expect(actionsOf('CPARTIAL', ts)).toBeUndefined();
  });
});
