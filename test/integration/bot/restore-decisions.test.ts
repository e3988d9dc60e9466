/**
 * Who may decide a restore request from Slack, checked on every click and command: self-approval,
 * non-approvers, expired requests, a stale plan, Reject, Cancel (requester only), double clicks and two
 * approvers at once (one restore), break-glass by an admin (self-approval, broadcast) and by a
 * non-admin (refused), a second request while one is open, and `--at`. Same real stack as restore-flow.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { wallClockToInstant } from '../../../src/bot/handlers/restore-time.ts';
import { formatDuration } from '../../../src/bot/views/format.ts';
import {
  RESTORE_APPROVE_ACTION,
  RESTORE_CANCEL_ACTION,
  RESTORE_REJECT_ACTION,
} from '../../../src/bot/views/restore-card.ts';
import type { Backup, Restore } from '../../../src/db/index.ts';
import { JOB_NAMES } from '../../../src/jobs/index.ts';
import type { FakeMessage } from '../../support/fake-slack/index.ts';
import {
  breakGateway,
  CHANNEL,
  cardActions,
  cardShows,
  click,
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
let backup: Backup;

beforeAll(async () => {
  t = await createRestoreSlackEnv();
  backup = await takeBackup(t);
}, 30_000);
afterAll(() => t.cleanup(), 30_000);
afterEach(() => t.bot.fake.assertNoProblems());

let rogue = 0;
/** Breaks the gateway, asks for a restore as `user`, and waits for the plan card. */
async function requestPlanned(
  user: string = PEOPLE.operator,
  extra = '',
): Promise<{ card: FakeMessage; restore: Restore }> {
  await breakGateway(t, `rogue-${++rogue}`);
  const answer = await command(t, user, `restore prod ${backup.id} --reason "incident ${rogue}" ${extra}`);
  expect(answer).toMatch(/posted/);
  const card = lastCard(t);
  const restore = await restoreOfCard(t, card);
  await waitForRestore(t, restore.id, ['awaiting_approval']);
  return { card: await cardShows(t, card.ts, /Awaiting approval/), restore };
}

const runJobs = async () =>
  (await t.services.queues.restore.getJobs(['completed', 'active', 'waiting', 'delayed', 'failed'])).filter(
    (j) => j.name === JOB_NAMES.restoreRun,
  );

async function audited(actor: string, targetId: string, outcome: string) {
  const rows = await t.services.audit.list({ limit: 200 });
  return rows.filter((e) => e.actor === actor && e.targetId === targetId && e.outcome === outcome);
}

async function finish(r: Restore) {
  const now = await t.services.repos.restores.get(r.id);
  if (now && (now.status === 'awaiting_approval' || now.status === 'planned')) {
    await command(t, r.requestedBy, `cancel ${r.id}`);
  }
  await waitForRestore(t, r.id, [
    'completed',
    'partially_failed',
    'failed',
    'rejected',
    'expired',
    'cancelled',
  ]);
}

describe('refused clicks: ephemeral reason, audited, nothing runs', () => {
  it('self-approval, non-approver and an operator are refused; a stale plan is refused', async () => {
    const { card, restore } = await requestPlanned();
    expect(await click(t, PEOPLE.operator, card, RESTORE_APPROVE_ACTION)).toMatch(/approver/);
    expect(await click(t, PEOPLE.nobody, card, RESTORE_APPROVE_ACTION)).toMatch(
      /needs the \*approver\* role/,
    );
    expect(await click(t, PEOPLE.viewerByGroup, card, RESTORE_REJECT_ACTION)).toMatch(/you are a viewer/);
    // a click on a card drawn for another plan
    const stale = structuredClone(card);
    cardActions(stale)!.block_id = `restore_plan_${'0'.repeat(64)}`;
    expect(await click(t, PEOPLE.approver, stale, RESTORE_APPROVE_ACTION)).toMatch(/plan .* changed/);
    expect((await t.services.repos.restores.get(restore.id))!.status).toBe('awaiting_approval');
    expect(await runJobs()).toEqual([]);
    expect(await audited(PEOPLE.nobody, restore.id, 'refused')).not.toEqual([]);
    expect(await audited(PEOPLE.approver, restore.id, 'refused')).not.toEqual([]);
    await finish(restore);
  }, 30_000);

  it('the requester is refused self-approval as a button and as /kong approve', async () => {
    // the operator cannot approve at all; an admin requester shows the self-approval rule itself
    const { card, restore } = await requestPlanned(PEOPLE.admin);
    expect(await click(t, PEOPLE.admin, card, RESTORE_APPROVE_ACTION)).toMatch(
      /cannot approve it yourself: a second person must/,
    );
    expect(await command(t, PEOPLE.admin, `approve ${restore.id}`)).toMatch(
      /cannot approve it yourself: a second person must/,
    );
    const refusals = await t.services.audit.list({ action: 'restore.approval_refused', limit: 20 });
    expect(refusals.filter((e) => e.targetId === restore.id).length).toBeGreaterThanOrEqual(2);
    expect((await t.services.repos.restores.get(restore.id))!.status).toBe('awaiting_approval');
    await finish(restore);
  }, 30_000);

  it('an expired request is refused and its card says nothing was changed', async () => {
    const { card, restore } = await requestPlanned();
    t.clock.advance(31 * 60_000);
    try {
      expect(await click(t, PEOPLE.approver, card, RESTORE_APPROVE_ACTION)).toMatch(/expired/);
      await waitForRestore(t, restore.id, ['expired']);
      const shown = await cardShows(t, card.ts, /Expired — nothing was changed/);
      expect(cardActions(shown)).toBeNull();
      expect(await runJobs()).toEqual([]);
    } finally {
      t.clock.advance(-31 * 60_000);
    }
  }, 30_000);
});

describe('Reject and Cancel', () => {
  it('an approver rejects; the card says who and loses its buttons', async () => {
    const { card, restore } = await requestPlanned();
    expect(await click(t, PEOPLE.approver, card, RESTORE_REJECT_ACTION)).toMatch(/rejected/);
    expect((await waitForRestore(t, restore.id, ['rejected'])).status).toBe('rejected');
    const shown = await cardShows(t, card.ts, /Rejected by <@U0APPROVER> — nothing was changed/);
    expect(cardActions(shown)).toBeNull();
  }, 30_000);

  it('only the requester cancels: another operator is refused, the requester succeeds', async () => {
    const { card, restore } = await requestPlanned();
    expect(await click(t, PEOPLE.operatorByGroup, card, RESTORE_CANCEL_ACTION)).toMatch(/who requested/);
    expect((await t.services.repos.restores.get(restore.id))!.status).toBe('awaiting_approval');
    expect(await click(t, PEOPLE.operator, card, RESTORE_CANCEL_ACTION)).toMatch(/cancelled/);
    await waitForRestore(t, restore.id, ['cancelled']);
    await cardShows(t, card.ts, /Cancelled by <@U0OPER>/);
  }, 30_000);
});

describe('one restore however many clicks', () => {
  it('a double click and a second approver at the same moment start exactly one restore', async () => {
    const { card, restore } = await requestPlanned();
    const answers = await Promise.all([
      click(t, PEOPLE.approver, card, RESTORE_APPROVE_ACTION),
      click(t, PEOPLE.approver, card, RESTORE_APPROVE_ACTION),
      click(t, PEOPLE.admin, card, RESTORE_APPROVE_ACTION),
    ]);
    expect(answers.filter((a) => /You approved the restore/.test(a))).toHaveLength(1);
    const done = await waitForRestore(t, restore.id, ['completed', 'partially_failed', 'failed']);
    expect(done.status).toBe('completed');
    expect((await runJobs()).filter((j) => j.data.restoreId === restore.id)).toHaveLength(1);
    const approvals = await t.services.repos.restores.listApprovals(restore.id);
    expect(approvals.filter((a) => a.decision === 'approve')).toHaveLength(1);
  }, 40_000);
});

describe('break-glass', () => {
  it('an admin may approve their own break-glass request; request and approval are broadcast', async () => {
    const { card, restore } = await requestPlanned(PEOPLE.admin, '--break-glass');
    expect(restore.breakGlass).toBe(true);
    expect(JSON.stringify(card)).toContain('break-glass');
    expect(await click(t, PEOPLE.admin, card, RESTORE_APPROVE_ACTION)).toMatch(/approved/);
    expect((await waitForRestore(t, restore.id, ['completed', 'partially_failed', 'failed'])).status).toBe(
      'completed',
    );
    await t.bot.bot.idle();
    const broadcast = t.bot.fake.thread(CHANNEL, card.ts).filter((m) => m.replyBroadcast);
    expect(broadcast.map((m) => m.text)).toEqual([
      'Break-glass restore requested on prod',
      'Break-glass restore of prod approved',
    ]);
    const approved = await t.services.audit.list({ action: 'restore.approved', limit: 10 });
    expect(approved.find((e) => e.targetId === restore.id)?.details).toMatchObject({
      breakGlass: true,
      proof: { method: 'slack-signed-request' },
    });
  }, 40_000);

  it('a non-admin asking for break-glass is refused and nothing is posted', async () => {
    const posts = t.bot.fake.channel(CHANNEL).length;
    expect(await command(t, PEOPLE.operator, `restore prod ${backup.id} --break-glass --reason "x"`)).toMatch(
      /needs the \*admin\* role/,
    );
    expect(t.bot.fake.channel(CHANNEL).length).toBe(posts);
    expect(await t.services.repos.restores.findActive('prod')).toBeNull();
  });
});

describe('requests', () => {
  it('a second request while one is open is refused with a link to the open one', async () => {
    const { card, restore } = await requestPlanned();
    const posts = t.bot.fake.channel(CHANNEL).length;
    const answer = await command(t, PEOPLE.operator, `restore prod latest --reason "again"`);
    expect(answer).toContain(restore.id);
    expect(answer).toContain(`/archives/${CHANNEL}/p${card.ts.replace('.', '')}`);
    expect(t.bot.fake.channel(CHANNEL).length).toBe(posts);
    await finish(restore);
  }, 30_000);

  it('--at picks the newest backup at or before the time (user timezone) and says how far before', async () => {
    // the fake user's timezone is Europe/Amsterdam; ask for one hour after the backup, in local time
    const local = new Date(
      backup.createdAt.getTime() + 60 * 60_000 + 60 * 60_000 * (isSummer(backup.createdAt) ? 2 : 1),
    );
    const at = local.toISOString().slice(0, 16).replace('T', ' ');
    await command(t, PEOPLE.operator, `restore prod --at "${at}" --reason "back to before lunch"`);
    const card = lastCard(t);
    const restore = await restoreOfCard(t, card);
    const asked = wallClockToInstant(at.slice(0, 10), at.slice(11), 'Europe/Amsterdam');
    const picked = (await t.services.repos.backups.get(restore.backupId))!;
    const completed = await t.services.repos.backups.listByConnection('prod', { limit: 100 });
    // "taken" is when the (last) attempt started dumping (src/jobs takenAt), not when it was queued
    const taken = (b: { startedAt: Date | null; createdAt: Date }) => (b.startedAt ?? b.createdAt).getTime();
    // earlier tests' restores took pre-restore backups: --at skips them (the broken states they replaced)
    const eligible = completed.filter(
      (b) => b.status === 'completed' && b.type !== 'pre-restore' && taken(b) <= asked.getTime(),
    );
    expect(completed.some((b) => b.type === 'pre-restore' && taken(b) <= asked.getTime())).toBe(true);
    expect(picked.id).toBe(eligible.sort((a, b) => taken(b) - taken(a))[0]!.id);
    const shown = await cardShows(t, card.ts, /Picked with `--at`/);
    // compared and measured at whole seconds, the precision lists show
    const gap = formatDuration(asked.getTime() - Math.floor(taken(picked) / 1000) * 1000);
    expect(JSON.stringify(shown)).toContain(`taken ${gap} before it`);
    await finish(restore);
  }, 30_000);

  it('/kong status <restore-id> shows the request', async () => {
    const [r] = await t.services.repos.restores.listByConnection('prod', { limit: 1 });
    expect(await command(t, PEOPLE.viewerByGroup, `status ${r!.id}`)).toContain(
      `Restore request \`${r!.id}\``,
    );
  });
});

function isSummer(d: Date): boolean {
  const offset = new Intl.DateTimeFormat('en-US', {
    timeZone: 'Europe/Amsterdam',
    timeZoneName: 'shortOffset',
  })
    .formatToParts(d)
    .find((p) => p.type === 'timeZoneName')!.value;
  return offset === 'GMT+2';
}
