/**
 * A full two-person restore through Slack: `/kong restore` → card → plan with the diff file in the
 * thread → Approve by a second person → progress in the thread → completed with zero drift and an Undo
 * button → Undo asks for a new, awaiting-approval restore of the pre-restore backup. Run over both
 * transports: signed HTTP requests into Bolt's receiver, and Socket Mode envelopes from the fake's WebSocket.
 * Real Bolt app, fake Slack (every payload validated), real Redis, SQLite, kong-sim and workers.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RESTORE_APPROVE_ACTION, RESTORE_UNDO_ACTION } from '../../../src/bot/views/restore-card.ts';
import {
  breakGateway,
  CHANNEL,
  cardActions,
  cardShows,
  click,
  command,
  createRestoreSlackEnv,
  driftFrom,
  lastCard,
  PEOPLE,
  type RestoreSlackEnv,
  restoreOfCard,
  takeBackup,
  threadText,
  waitForRestore,
} from './restore-harness.ts';

describe.each(['http', 'socket'] as const)('two-person restore via Slack (%s)', (transport) => {
  let t: RestoreSlackEnv;

  beforeAll(async () => {
    t = await createRestoreSlackEnv({ transport });
  }, 30_000);
  afterAll(() => t.cleanup(), 30_000);
  afterEach(() => t.bot.fake.assertNoProblems());

  it('brings a broken gateway back with zero drift, then Undo asks for the pre-restore backup', async () => {
    const backup = await takeBackup(t);
    await breakGateway(t);
    expect((await driftFrom(t, backup)).changes.length).toBeGreaterThan(0);

    const answer = await command(
      t,
      PEOPLE.operator,
      `restore prod ${backup.id} --reason "bad deploy at 14:00"`,
    );
    expect(answer).toMatch(/Restore request .* posted/);
    const card = lastCard(t);
    const restore = await restoreOfCard(t, card);
    expect(restore.slack).toEqual({ channel: CHANNEL, ts: card.ts });

    // the plan: card with counts and buttons, full redacted diff uploaded into the thread
    const planned = await cardShows(t, card.ts, /Awaiting approval/);
    const shown = JSON.stringify(planned);
    for (const s of ['`prod` (prod)', backup.id, 'bad deploy at 14:00', 'Expires', ':warning:'])
      expect(shown).toContain(s);
    expect(cardActions(planned)?.elements.map((e) => e.action_id)).toEqual([
      'restore_approve',
      'restore_reject',
      'restore_cancel',
    ]);
    const file = await t.bot.fake.waitFor(() =>
      t.bot.fake.files.find((f) => f.threadTs === card.ts && f.completed),
    );
    const diff = file.content!.toString('utf8');
    expect(diff).toContain('rogue');
    expect(diff).toContain('[DESTRUCTIVE]');
    expect(diff).not.toContain('keyauth-secret-4b6e0c9d1a');

    // a second person approves; the card loses its buttons and says who approved
    const approved = await click(t, PEOPLE.approver, planned, RESTORE_APPROVE_ACTION);
    expect(approved).toMatch(/approved/);
    const done = await waitForRestore(t, restore.id, ['completed', 'partially_failed', 'failed']);
    expect(done.status).toBe('completed');
    expect(done.approvedBy).toBe(PEOPLE.approver);
    expect((await driftFrom(t, backup)).changes).toEqual([]);

    const finalCard = await cardShows(t, card.ts, /Completed/);
    expect(cardActions(finalCard)).toBeNull();
    expect(JSON.stringify(finalCard)).toContain(`<@${PEOPLE.approver}>`);
    await t.bot.bot.idle();
    const thread = threadText(t, card.ts);
    expect(thread).toContain(`Pre-restore backup \`${done.preRestoreBackupId}\` taken`);
    // the thread: the plan file, the pre-restore backup, the outcome; phases move the card only
    expect(t.bot.fake.thread(CHANNEL, card.ts)).toHaveLength(3);
    expect(thread).not.toMatch(/restore started|applying the plan/);
    expect(thread).toMatch(/Restore completed[\s\S]*zero drift/);

    // Undo: a new request of the pre-restore backup, awaiting approval like any other
    const result = t.bot.fake
      .thread(CHANNEL, card.ts)
      .find((m) => cardActions(m)?.elements[0]?.action_id === RESTORE_UNDO_ACTION)!;
    expect(result).toBeDefined();
    expect(await click(t, PEOPLE.operator, result, RESTORE_UNDO_ACTION)).toMatch(/Restore request .* posted/);
    const undoCard = lastCard(t);
    expect(undoCard.ts).not.toBe(card.ts);
    const undo = await restoreOfCard(t, undoCard);
    expect(undo).toMatchObject({
      backupId: done.preRestoreBackupId,
      requestedBy: PEOPLE.operator,
      reason: `undo of ${restore.id}`,
    });
    expect((await waitForRestore(t, undo.id, ['awaiting_approval'])).status).toBe('awaiting_approval');
    await cardShows(t, undoCard.ts, /Awaiting approval/);
    const events = await t.services.audit.list({ limit: 100 });
    expect(
      events.some(
        (e) =>
          e.action === 'slack.button' &&
          e.actor === PEOPLE.approver &&
          e.targetId === restore.id &&
          e.details.action === RESTORE_APPROVE_ACTION,
      ),
    ).toBe(true);
    await command(t, PEOPLE.operator, `cancel ${undo.id}`);
    await waitForRestore(t, undo.id, ['cancelled']);

    // `latest` is now the backup that was restored, not the pre-restore backup (the broken state)
    const pre = (await t.services.repos.backups.get(done.preRestoreBackupId!))!;
    expect(pre.type).toBe('pre-restore');
    const latest = await command(t, PEOPLE.operator, 'restore prod latest --reason "latest again"');
    expect(latest).toContain(
      `from backup \`${backup.id}\` (latest, pre-restore backups skipped: manual, taken`,
    );
    const again = await restoreOfCard(t, lastCard(t));
    expect(again.backupId).toBe(backup.id);
    expect((await waitForRestore(t, again.id, ['completed'])).planHash).toBeNull();
    const withPre = await command(
      t,
      PEOPLE.operator,
      'restore prod latest --include-pre-restore --reason "the state before"',
    );
    expect(withPre).toContain(`from backup \`${pre.id}\` (latest: pre-restore, taken`);
    const broken = await restoreOfCard(t, lastCard(t));
    expect(broken.backupId).toBe(pre.id);
    // leave the connection free for the next test
    await waitForRestore(t, broken.id, ['awaiting_approval']);
    await command(t, PEOPLE.operator, `cancel ${broken.id}`);
    await waitForRestore(t, broken.id, ['cancelled']);

    // once retention has removed the pre-restore backup, Undo says so and posts nothing
    await t.services.repos.backups.markPruned(pre.id);
    const posts = t.bot.fake.channel(CHANNEL).length;
    const gone = await click(t, PEOPLE.operator, result, RESTORE_UNDO_ACTION);
    expect(gone).toContain(`cannot be undone: its pre-restore backup ${pre.id} was removed by retention on`);
    expect(gone).toContain('the gateway as it was before that restore is gone');
    expect(t.bot.fake.channel(CHANNEL).length).toBe(posts);
  }, 60_000);
});
