/**
 * What the Slack tests on an AWS connection run against: a snapgate.yml naming one `aws-apigateway`
 * connection on the simulator (operator, approver and admin roles), a real Bolt app on fake Slack, workers
 * on real Redis (random prefix) reporting through the bot's notifier, SQLite; and the moves those tests
 * make through Slack (a slash command, the card it posts, the backup or restore behind a card, the
 * two-person restore through the buttons, the drift of a backup against the live account).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { verifyAndOpenBackup } from '../../../src/app/index.ts';
import { fromJobServices } from '../../../src/bot/job-services.ts';
import { RESTORE_APPROVE_ACTION } from '../../../src/bot/views/restore-card.ts';
import { createServices, type Runtime as Services } from '../../../src/compose/index.ts';
import { loadConfig } from '../../../src/config/index.ts';
import { planRestore } from '../../../src/core/index.ts';
import type { Backup, Restore } from '../../../src/db/index.ts';
import type { RunningWorkers } from '../../../src/jobs/index.ts';
import { type AwsApiGatewaySim, startAwsApiGatewaySim } from '../../../tools/aws-apigateway-sim/index.ts';
import type { FakeMessage } from '../../support/fake-slack/index.ts';
import { type BotFixture, CHANNEL, PEOPLE, startBot, textOf } from '../bot/harness.ts';
import { cardActions } from '../bot/restore-harness.ts';
import { deletePrefix, waitFor, waitForBackup } from '../jobs/harness.ts';
import { startTestWorkers, waitForRestore } from '../restore/harness.ts';
import { writeAwsConfig } from './support.ts';

export interface AwsSlackEnv {
  t: BotFixture;
  services: Services;
  /** `<command> <text>` answered ephemerally: the answer's text */
  slash(command: string, user: string, text: string): Promise<string>;
  /** a command that answers with a card, not an ephemeral message */
  send(command: string, user: string, text: string): Promise<void>;
  /** the next message posted in the channel after `before` messages, once it shows `pattern` */
  newCard(before: number, pattern: RegExp): Promise<FakeMessage>;
  cardShows(ts: string, pattern: RegExp): Promise<FakeMessage>;
  cardText(m: FakeMessage | undefined): string;
  backupOfCard(ts: string): Promise<Backup>;
  /** steps a restore of `backup` would make on the live account now (0: no drift) */
  drift(backup: Backup): Promise<number>;
  /**
   * `/snapgate restore …` by the operator, refused to the operator's own click, approved by the
   * approver's: the restore once finished (asserted `completed`), the card's text as planned, its thread
   */
  restoreThroughSlack(
    text: string,
    timeoutMs?: number,
  ): Promise<{ restore: Restore; planned: string; thread: () => Promise<string> }>;
  close(): Promise<void>;
}

export async function startAwsSlackEnv(
  sim: AwsApiGatewaySim,
  connection: string,
  tmpName: string,
): Promise<AwsSlackEnv> {
  const dir = mkdtempSync(join(tmpdir(), tmpName));
  const prefix = `sgtest-${randomUUID().slice(0, 8)}`;
  const { configPath, env } = writeAwsConfig({
    dir,
    sim,
    connection,
    prefix,
    connectionExtra: `    roles:
      operator: [${PEOPLE.operator}]
      approver: [${PEOPLE.approver}]
      admin: [${PEOPLE.admin}]
`,
  });
  const config = await loadConfig({ path: configPath, env });
  let services: Services | undefined;
  const t = await startBot(async (output) => {
    services = await createServices({
      config,
      notifier: output.notifier,
      retry: { attempts: 2, backoffMs: 50 },
    });
    return fromJobServices(services);
  });
  const svc = services as unknown as Services;
  const workers: RunningWorkers = await startTestWorkers(svc);

  const cardText = (m: FakeMessage | undefined) =>
    textOf({ text: m?.text, attachments: m?.attachments, blocks: m?.blocks });

  async function slash(command: string, user: string, text: string): Promise<string> {
    const r = await t.slash(command, user, text);
    expect(r.status).toBe(200);
    const body = await t.fake.waitFor(() => t.responses(r.responseId)[0], 10_000);
    return textOf(body);
  }

  async function send(command: string, user: string, text: string): Promise<void> {
    const r = await t.slash(command, user, text);
    expect(r.status).toBe(200);
  }

  function cardShows(ts: string, pattern: RegExp): Promise<FakeMessage> {
    return t.fake.waitFor(() => {
      const m = t.fake.message(CHANNEL, ts);
      return m && pattern.test(cardText(m)) ? m : undefined;
    }, 60_000);
  }

  async function newCard(before: number, pattern: RegExp): Promise<FakeMessage> {
    const card = await t.fake.waitFor(() =>
      t.fake
        .channel(CHANNEL)
        .slice(before)
        .find((m) => !m.threadTs),
    );
    return cardShows(card.ts, pattern);
  }

  async function backupOfCard(ts: string): Promise<Backup> {
    const row = await waitFor('the backup of the card', async () =>
      (await svc.repos.backups.listByConnection(connection, { limit: 20 })).find((b) => b.slack?.ts === ts),
    );
    return waitForBackup(svc, row.id);
  }

  async function restoreOfCard(ts: string): Promise<Restore> {
    return waitFor('the restore of the card', async () =>
      (await svc.repos.restores.listByConnection(connection, { limit: 20 })).find((r) => r.slack?.ts === ts),
    );
  }

  async function drift(backup: Backup): Promise<number> {
    const target = await verifyAndOpenBackup(svc, backup);
    const gateway = svc.gateway(svc.connection(connection));
    try {
      return planRestore(await gateway.dump(), target).steps.length;
    } finally {
      gateway.close();
    }
  }

  async function restoreThroughSlack(text: string, timeoutMs = 60_000) {
    const before = t.fake.channel(CHANNEL).length;
    expect(await slash('/snapgate', PEOPLE.operator, text)).toMatch(/Restore request .* posted/);
    const card = await newCard(before, /Awaiting approval/);
    const restore = await restoreOfCard(card.ts);
    const planned = cardText(card);
    const blocks = cardActions(card);
    const approve = blocks?.elements.find((e) => e.action_id === RESTORE_APPROVE_ACTION);
    expect(approve).toBeDefined();
    // the requester cannot approve their own request
    const self = await t.click({
      actionId: RESTORE_APPROVE_ACTION,
      value: approve!.value,
      userId: PEOPLE.operator,
      messageTs: card.ts,
      blockId: blocks!.block_id,
    });
    expect(self.status).toBe(200);
    expect(textOf(await t.fake.waitFor(() => t.responses(self.responseId)[0]))).toMatch(
      /cannot approve it yourself/,
    );
    const r = await t.click({
      actionId: RESTORE_APPROVE_ACTION,
      value: approve!.value,
      userId: PEOPLE.approver,
      messageTs: card.ts,
      blockId: blocks!.block_id,
    });
    expect(r.status).toBe(200);
    const done = await waitForRestore(
      svc,
      restore.id,
      ['completed', 'partially_failed', 'failed'],
      timeoutMs,
    );
    expect(done.status, done.failureReason ?? '').toBe('completed');
    expect(done.approvedBy).toBe(PEOPLE.approver);
    await cardShows(card.ts, /Completed/);
    const thread = async () => {
      await t.fake.waitFor(() =>
        t.fake.thread(CHANNEL, card.ts).some((m) => /Restore completed/.test(cardText(m))),
      );
      return t.fake.thread(CHANNEL, card.ts).map(cardText).join('\n');
    };
    return { restore: done, planned, thread };
  }

  return {
    t,
    services: svc,
    slash,
    send,
    newCard,
    cardShows,
    cardText,
    backupOfCard,
    drift,
    restoreThroughSlack,
    async close() {
      await workers.close(2000);
      await t.close();
      await svc.close();
      await deletePrefix(prefix);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What `useAwsSlackEnv` gives a test once its `beforeAll` has run. */
export interface AwsSlackFixture<S> {
  sim: AwsApiGatewaySim;
  /** what `seed` returned (the seeded account's ids) */
  seeded: S;
  env: AwsSlackEnv;
}

/**
 * The lifecycle every Slack-on-AWS test file shares: a simulator with `idSeed`, seeded by `seed`, the Slack
 * env on it (`startAwsSlackEnv`), both closed after the file, fake Slack's problems asserted after each test.
 * The returned object is filled in by the `beforeAll` it registers.
 */
export function useAwsSlackEnv<S>(opts: {
  idSeed: number;
  connection: string;
  tmpName: string;
  seed: (sim: AwsApiGatewaySim) => S;
  timeoutMs?: number;
}): AwsSlackFixture<S> {
  const fixture = {} as AwsSlackFixture<S>;
  const timeout = opts.timeoutMs ?? 30_000;
  beforeAll(async () => {
    fixture.sim = await startAwsApiGatewaySim({ idSeed: opts.idSeed });
    fixture.seeded = opts.seed(fixture.sim);
    fixture.env = await startAwsSlackEnv(fixture.sim, opts.connection, opts.tmpName);
  }, timeout);
  afterAll(async () => {
    await fixture.env?.close();
    await fixture.sim?.close();
  }, timeout);
  afterEach(() => fixture.env.t.fake.assertNoProblems());
  return fixture;
}
