/**
 * Messages as a person reads them (issue 13's read-through): counts agree in number, usage wraps by option,
 * decision refusals say what the request is now and who moved it (no bare ids or internal states), a
 * finished backup card carries its counts, and a finished restore card says what it did, not "would".
 */
import { describe, expect, it } from 'vitest';
import { mutate, syntheticGateway } from '../../../bench/synthetic.ts';
import { COMMANDS, parseKongCommand } from '../../../src/bot/grammar/index.ts';
import { backupCard, backupCardInput, backupOutcomeLine } from '../../../src/bot/views/backup-card.ts';
import { backupListMessage } from '../../../src/bot/views/backup-list.ts';
import { decisionRefusalText } from '../../../src/bot/views/decision-refusal.ts';
import { type RestoreCardInput, restoreCard } from '../../../src/bot/views/restore-card.ts';
import { preRestoreBackupMessage, replannedMessage } from '../../../src/bot/views/restore-thread.ts';
import { usageLines, usageMessage } from '../../../src/bot/views/simple.ts';
import { planRestore } from '../../../src/core/index.ts';
import type { Backup, Restore } from '../../../src/db/index.ts';

const backup = {
  id: '0f0e0d0c-aaaa-bbbb-cccc-000000000001',
  connection: 'prod',
  type: 'manual',
  status: 'completed',
  requestedBy: 'U0OPER',
  note: null,
  environment: 'production',
  counts: { services: 3, routes: 5, plugins: 7, consumers: 4, targets: 2, acls: 0 },
  createdAt: new Date('2026-11-21T10:00:00Z'),
} as unknown as Backup;

const restore = {
  id: 'ecae9d3c-1111-2222-3333-444455556666',
  connection: 'prod',
  backupId: backup.id,
  requestedBy: 'U0OPER',
  status: 'awaiting_approval',
  approvedBy: null,
  expiresAt: new Date('2026-11-21T14:00:00Z'),
} as unknown as Restore;

describe('messages read by a person', () => {
  it('"1 backup of prod", not "1 backups"', () => {
    expect(backupListMessage('prod', [backup], 10).text).toBe('1 backup of prod');
    expect(backupListMessage('prod', [backup, backup], 10).text).toBe('2 backups of prod');
  });

  it('usage: the command in one code span, each option in its own', () => {
    const restoreUsage = COMMANDS.find((c) => c.name === 'restore')!.usage;
    expect(usageLines(restoreUsage)).toEqual([
      '*Usage:* `/kong restore <connection> <backup-id|latest> --reason "text"`',
      '*Options:* `--at "2026-11-20 14:00"` · `--include-pre-restore` · `--only sections` · `--no-deletes` · `--break-glass`',
    ]);
    const parsed = parseKongCommand('backup');
    if (parsed.ok) throw new Error('expected a usage error');
    const text = JSON.stringify(usageMessage(parsed).blocks);
    expect(text).toContain('*Usage:* `/kong backup <connection>`');
    expect(text).toContain('*Options:* `--note \\"text\\"`');
  });

  it('refusals say what the request is now and who moved it, without ids or status names', () => {
    const self = decisionRefusalText('approve', 'self_approval', restore, 'x');
    expect(self).toBe(
      'You asked for the restore of `prod`, so you cannot approve it yourself: a second person must. Ask another approver on `prod`.',
    );
    const approved = decisionRefusalText(
      'approve',
      'not_awaiting_approval',
      { ...restore, status: 'running', approvedBy: 'U0ADAM' },
      'restore ecae… is running, not awaiting approval',
    );
    expect(approved).toBe(
      'You cannot approve the restore of `prod` now. It was already approved by <@U0ADAM> and is running; the card shows how it goes.',
    );
    const rejected = decisionRefusalText(
      'reject',
      'not_awaiting_approval',
      { ...restore, status: 'rejected' },
      'x',
    );
    expect(rejected).toMatch(/already rejected; nothing was changed/);
    for (const text of [self, approved, rejected]) {
      expect(text).not.toContain(restore.id);
      expect(text).not.toMatch(/awaiting_approval|not awaiting|running,/);
    }
    // unknown codes keep the jobs' own sentence
    expect(decisionRefusalText('approve', 'not_authorized', restore, 'you need the approver role')).toBe(
      'you need the approver role',
    );
  });

  it('a finished backup card carries what the backup holds', () => {
    expect(backupOutcomeLine(backup)).toBe(
      '21 entities (7 plugins, 5 routes, 4 consumers, 3 services, …). Size, checksum and every count in this thread.',
    );
    const card = JSON.stringify(backupCard(backupCardInput(backup, backupOutcomeLine(backup))));
    expect(card).toContain('21 entities');
    expect(card).not.toContain('Progress and results are posted');
  });

  it('a restore card says "would make" while it waits and "made" once completed', () => {
    const live = syntheticGateway({ services: 4, routes: 6, consumers: 3, credentials: 2, plugins: 3 });
    const plan = planRestore(live, mutate(live, 0.3, 5));
    const n = (plan.summary.create + plan.summary.update + plan.summary.delete).toLocaleString('en-US');
    const input = (status: RestoreCardInput['status']): RestoreCardInput => ({
      id: restore.id,
      connection: 'prod',
      environment: 'production',
      status,
      requestedBy: 'U0OPER',
      reason: 'drill',
      onlySections: null,
      noDeletes: false,
      breakGlass: false,
      requestedAt: new Date('2026-11-21T13:30:00Z'),
      expiresAt: new Date('2026-11-21T14:00:00Z'),
      backupId: backup.id,
      backup,
      plan,
    });
    expect(JSON.stringify(restoreCard(input('awaiting_approval')))).toContain(
      `The restore would make ${n} change`,
    );
    const done = JSON.stringify(restoreCard(input('completed')));
    expect(done).toContain(`The restore made ${n} change`);
    expect(done).not.toContain('would make');
    expect(JSON.stringify(restoreCard(input('rejected')))).toContain('would have made');
  });

  it('the thread: the pre-restore backup reads as a sentence; a drift re-plan says the restore did not start', () => {
    expect(preRestoreBackupMessage(restore, 'b-pre').text).toBe(
      'Pre-restore backup b-pre taken: prod as it was just before this restore',
    );
    const replanned = JSON.stringify(replannedMessage({ ...restore, approvedBy: 'U0ADAM' }));
    expect(replanned).toContain('The restore did not start');
    expect(replanned).toContain('after <@U0ADAM> approved it');
  });
});
