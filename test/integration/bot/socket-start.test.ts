/**
 * Socket Mode at start: Slack failing `apps.connections.open` when the bot starts does not stop it (it
 * keeps trying, `/readyz` says why, commands work once connected); an app token Slack refuses stops the
 * start with a message that says so. Real Bolt app, fake Slack's Socket Mode, real SQLite and audit log.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { BotServices } from '../../../src/bot/services.ts';
import {
  type BaseFixture,
  type BotFixture,
  openBase,
  PEOPLE,
  type StartBotOptions,
  startBot,
  textOf,
} from './harness.ts';

let base: BaseFixture;
let services: BotServices;
let t: BotFixture | undefined;
const noJobs = (what: string) => () => Promise.reject(new Error(`${what}: this test file runs no jobs`));

beforeAll(async () => {
  base = await openBase();
  services = {
    config: base.config,
    backups: base.repos.backups,
    restores: base.repos.restores,
    rehearsals: base.repos.rehearsals,
    audit: base.audit,
    now: base.clock.now,
    requestBackup: noJobs('requestBackup'),
    requestVerify: noJobs('requestVerify'),
    requestDiff: noJobs('requestDiff'),
    diffRefusal: noJobs('diffRefusal'),
    storageOverview: noJobs('storageOverview'),
  };
});
afterEach(async () => {
  await t?.close();
  t = undefined;
});
afterAll(() => base.cleanup());

const start = (o: StartBotOptions) => startBot(services, { transport: 'socket', ...o });

it('Slack failing apps.connections.open at start: the bot starts, says "Slack disconnected", and connects when Slack is back', async () => {
  t = await start({
    beforeStart: (fake) => {
      fake.injectHttpStatus('apps.connections.open', 503, 2);
      fake.inject429('apps.connections.open', 1, 1);
    },
  });
  // start() returned after the first failure; the link keeps trying in the background (the 429's
  // Retry-After keeps it disconnected for a second at least)
  expect(t.bot.socketStatus()).toMatchObject({ connected: false, failures: 1 });
  const down = await fetch(`http://127.0.0.1:${t.bot.port}/readyz`);
  expect(down.status).toBe(503);
  expect(await down.json()).toMatchObject({ status: 'Slack disconnected', checks: { slack: { ok: false } } });
  await t.fake.waitFor(() => t!.bot.socketStatus()?.connected, 10_000);
  expect(t.fake.callsTo('apps.connections.open').map((c) => c.outcome)).toEqual(['503', '503', '429', 'ok']);
  expect(t.bot.socketStatus()).toMatchObject({ connected: true, failures: 3, consecutiveFailures: 0 });

  const r = await t.kong(PEOPLE.nobody, 'help');
  expect(r.status).toBe(200);
  const [answer] = await t.fake.waitFor(() =>
    t!.responses(r.responseId).length ? t!.responses(r.responseId) : undefined,
  );
  expect(textOf(answer)).toContain('/kong backup <connection>');
});

it('an app token Slack refuses stops the start with the reason', async () => {
  await expect(start({ appToken: 'xapp-1-revoked' })).rejects.toThrow(
    'Slack did not accept the app token (apps.connections.open: invalid_auth)',
  );
});
