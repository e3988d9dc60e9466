/**
 * Restores through Slack end to end: the real Bolt HTTP receiver and fake Slack (bot harness), the real
 * jobs services and workers on real Redis (random prefix) and SQLite, and kong-sim seeded with a known
 * gateway (jobs harness). The workers report to the bot's own SlackNotifier, as `serve` wires it. One
 * clock, movable forward, is shared by the bot and the jobs (expiry tests).
 */
import { expect } from 'vitest';
import { fromJobServices } from '../../../src/bot/job-services.ts';
import type { Runtime as Services } from '../../../src/compose/index.ts';
import type { Plan } from '../../../src/core/index.ts';
import type { Backup, Restore } from '../../../src/db/index.ts';
import type { RunningWorkers } from '../../../src/jobs/index.ts';
import type { HttpMethod } from '../../../src/kong/index.ts';
import type { FakeMessage } from '../../support/fake-slack/index.ts';
import { createTestEnv, type EnvOptions, type TestEnv, waitFor } from '../jobs/harness.ts';
import {
  driftFrom as driftOf,
  kongCaller,
  movableClock,
  startTestWorkers,
  takeBackup as takeBackupOf,
  waitForRestore as waitForRestoreOf,
} from '../restore/harness.ts';
import {
  type BotFixture,
  CHANNEL,
  GROUPS,
  PEOPLE,
  type StartBotOptions,
  startBot,
  textOf,
} from './harness.ts';

export { CHANNEL, PEOPLE, ROLES, textOf };

const ROLES = `roles:
  viewer: [${GROUPS.viewers}]
  operator: [${PEOPLE.operator}, ${GROUPS.oncall}]
  approver: [${PEOPLE.approver}]
  admin: [${PEOPLE.admin}]`;

export interface RestoreSlackEnv {
  env: TestEnv;
  services: Services;
  workers: RunningWorkers;
  bot: BotFixture;
  clock: { advance(ms: number): void };
  kong<T = unknown>(method: HttpMethod, path: string, body?: unknown): Promise<T>;
  cleanup(): Promise<void>;
}

export async function createRestoreSlackEnv(
  botOptions: StartBotOptions = {},
  envOptions: EnvOptions = {},
  /** runs before the services open (e.g. adding CLI approvers to snapgate.yml) */
  prepare?: (env: TestEnv) => Promise<void>,
): Promise<RestoreSlackEnv> {
  const env = await createTestEnv({ ...envOptions, connectionExtra: ROLES });
  await prepare?.(env);
  const { now, clock } = movableClock();
  let services!: Services;
  const bot = await startBot(async (output) => {
    services = await env.open({ notifier: output.notifier, now });
    return fromJobServices(services);
  }, botOptions);
  const workers = await startTestWorkers(services);
  return {
    env,
    services,
    workers,
    bot,
    clock,
    kong: kongCaller(services),
    async cleanup() {
      await workers.close(2000);
      await bot.close();
      await env.cleanup();
    },
  };
}

export const takeBackup = (t: RestoreSlackEnv): Promise<Backup> => takeBackupOf(t.services);

/** A changed service, a deleted route, an extra service. */
export async function breakGateway(t: RestoreSlackEnv, rogue = 'rogue'): Promise<void> {
  await t.kong('PATCH', '/services/orders', { port: 9999 });
  await t.kong('DELETE', '/routes/billing-api').catch(() => undefined);
  await t.kong('POST', '/services', { name: rogue, host: `${rogue}.internal` });
}

/** What restoring `backup` would still change on the live gateway (no changes = zero drift). */
export const driftFrom = (t: RestoreSlackEnv, backup: Backup): Promise<Plan> => driftOf(t.services, backup);

export const waitForRestore = (t: RestoreSlackEnv, id: string, statuses: string[], timeoutMs?: number) =>
  waitForRestoreOf(t.services, id, statuses, timeoutMs);

/** Sends `/kong <text>` and waits for its ephemeral answer and its audit record. */
export async function command(t: RestoreSlackEnv, user: string, text: string): Promise<string> {
  const before = (await t.services.audit.head())?.seq ?? 0;
  const r = await t.bot.kong(user, text);
  expect(r.status).toBe(200);
  expect(r.ackMs).toBeLessThan(3000);
  const body = await t.bot.fake.waitFor(() => t.bot.responses(r.responseId)[0]);
  expect(body.response_type).toBe('ephemeral');
  await waitForAudit(t, before, user);
  return textOf(body);
}

async function waitForAudit(t: RestoreSlackEnv, afterSeq: number, actor: string): Promise<void> {
  await waitFor('the command to be audited', async () => {
    const rows = await t.services.audit.list({ limit: 20 });
    return rows.some((e) => e.seq > afterSeq && e.actor === actor && e.action.startsWith('slack.'));
  });
}

/** The newest top-level restore card in the channel. */
export function lastCard(t: RestoreSlackEnv): FakeMessage {
  const cards = t.bot.fake.channel(CHANNEL).filter((m) => !m.threadTs && /restore of/.test(m.text ?? ''));
  const card = cards.at(-1);
  if (!card) throw new Error('no restore card was posted');
  return card;
}

/** The restore whose card is `card`. */
export async function restoreOfCard(t: RestoreSlackEnv, card: FakeMessage): Promise<Restore> {
  return waitFor('the request of the card', async () => {
    for (const r of await t.services.repos.restores.listByConnection('prod', { limit: 50 }))
      if (r.slack?.ts === card.ts) return r;
    return undefined;
  });
}

/** The actions block of a card as Slack shows it now (its block id names the plan hash). */
export function cardActions(
  card: FakeMessage,
): { block_id: string; elements: { action_id: string; value: string }[] } | null {
  const blocks = (card.attachments?.[0] as { blocks?: unknown[] } | undefined)?.blocks ?? card.blocks ?? [];
  return (
    (blocks.find((b) => (b as { type: string }).type === 'actions') as ReturnType<typeof cardActions>) ?? null
  );
}

/** Clicks a button of a message as `user`; resolves with the ephemeral answer's text. */
export async function click(
  t: RestoreSlackEnv,
  user: string,
  message: FakeMessage,
  actionId: string,
): Promise<string> {
  const blocks = cardActions(message);
  const button = blocks?.elements.find((e) => e.action_id === actionId);
  if (!blocks || !button) throw new Error(`the message has no ${actionId} button`);
  const before = (await t.services.audit.head())?.seq ?? 0;
  const r = await t.bot.click({
    actionId,
    value: button.value,
    userId: user,
    messageTs: message.ts,
    blockId: blocks.block_id,
  });
  expect(r.status).toBe(200);
  expect(r.ackMs).toBeLessThan(3000);
  const body = await t.bot.fake.waitFor(() => t.bot.responses(r.responseId)[0]);
  await waitForAudit(t, before, user);
  return textOf(body);
}

/** Waits until the card shows `pattern` (edits are throttled). */
export function cardShows(t: RestoreSlackEnv, ts: string, pattern: RegExp): Promise<FakeMessage> {
  return t.bot.fake.waitFor(() => {
    const m = t.bot.fake.message(CHANNEL, ts);
    return m && pattern.test(textOf(m)) ? m : undefined;
  }, 20_000);
}

export function threadText(t: RestoreSlackEnv, ts: string): string {
  return t.bot.fake.thread(CHANNEL, ts).map(textOf).join('\n---\n');
}
