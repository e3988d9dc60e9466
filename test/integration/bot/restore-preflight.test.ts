/**
 * The restore plan job preflights its plan (issue 11 §3): a backup holding a plugin the gateway no longer
 * has enabled is refused when it is planned, so the Slack card says why before anyone can approve, and
 * nothing is written. Same real stack as restore-flow (Bolt, fake Slack, Redis, SQLite, kong-sim).
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import {
  cardActions,
  cardShows,
  command,
  createRestoreSlackEnv,
  lastCard,
  PEOPLE,
  type RestoreSlackEnv,
  restoreOfCard,
  takeBackup,
  waitForRestore,
} from './restore-harness.ts';

let t: RestoreSlackEnv;

beforeAll(async () => {
  t = await createRestoreSlackEnv();
}, 30_000);
afterAll(() => t.cleanup(), 30_000);
afterEach(() => t.bot.fake.assertNoProblems());

it('a plan the gateway cannot take is refused on the card before approval, with zero writes', async () => {
  const backup = await takeBackup(t);
  // the gateway loses the plugin: its row is deleted and the plugin disabled (kong.conf `plugins`)
  const { data } = await t.kong<{ data: { id: string; name: string }[] }>('GET', '/plugins');
  for (const p of data.filter((p) => p.name === 'rate-limiting')) await t.kong('DELETE', `/plugins/${p.id}`);
  t.env.sim.state.plugins.delete('rate-limiting');
  const writes = t.env.sim.state.writes;

  await command(t, PEOPLE.operator, `restore prod ${backup.id} --reason "bring the limits back"`);
  const card = lastCard(t);
  const restore = await restoreOfCard(t, card);
  const done = await waitForRestore(t, restore.id, ['failed', 'awaiting_approval']);
  expect(done.status).toBe('failed');
  expect(done.failureReason).toContain('plugin rate-limiting (not enabled on the gateway)');
  expect(done.failureReason).toContain('community edition');
  expect(done.failureCode).toBe('plan_refused');

  const shown = await cardShows(t, card.ts, /rate-limiting \(not enabled on the gateway\)/);
  expect(cardActions(shown)?.elements.map((e) => e.action_id) ?? []).not.toContain('restore_approve');
  expect(t.env.sim.state.writes).toBe(writes);
});
