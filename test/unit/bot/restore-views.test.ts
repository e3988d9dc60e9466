/**
 * The restore card and thread messages: every status within Block Kit limits with the enum's emoji,
 * label and colour; buttons only while awaiting approval, bound to the plan hash; empty plans and
 * refusals; results with Undo; and `--at` wall-clock times read in the caller's timezone.
 */
import { describe, expect, it } from 'vitest';
import { mutate, syntheticGateway } from '../../../bench/synthetic.ts';
import { validateMessage } from '../../../src/bot/blocks/index.ts';
import { isKnownTimezone, wallClockToInstant } from '../../../src/bot/handlers/restore-time.ts';
import type { RestoreRunResult } from '../../../src/bot/restore-services.ts';
import {
  planBlockId,
  planHashOfBlock,
  RESTORE_APPROVE_ACTION,
  RESTORE_CANCEL_ACTION,
  RESTORE_REJECT_ACTION,
  RESTORE_UNDO_ACTION,
  type RestoreCardInput,
  restoreCard,
} from '../../../src/bot/views/restore-card.ts';
import {
  breakGlassApprovedMessage,
  breakGlassRequestedMessage,
  replannedMessage,
  restoreResultMessage,
} from '../../../src/bot/views/restore-thread.ts';
import { type Plan, planRestore } from '../../../src/core/index.ts';
import { RESTORE_STATUS } from '../../../src/core/status.ts';
import type { Backup, Restore } from '../../../src/db/index.ts';

const LONG = 'why & <because> '.repeat(300);
const live = syntheticGateway({ services: 40, routes: 80, consumers: 60, credentials: 60, plugins: 40 });
const bigPlan = planRestore(live, mutate(live, 0.4, 11));
const emptyPlan = planRestore(live, live);

const backup: Backup = {
  id: 'b-0001',
  connection: 'prod',
  type: 'scheduled',
  status: 'completed',
  requestedBy: 'system',
  note: null,
  environment: 'production',
  createdAt: new Date('2026-11-21T10:00:00Z'),
} as Backup;

function input(over: Partial<RestoreCardInput> = {}): RestoreCardInput {
  return {
    id: 'r-1',
    connection: 'prod',
    environment: 'production',
    status: 'awaiting_approval',
    requestedBy: 'U0OPER',
    reason: LONG,
    onlySections: null,
    noDeletes: false,
    breakGlass: false,
    requestedAt: new Date('2026-11-21T13:30:00Z'),
    expiresAt: new Date('2026-11-21T14:00:00Z'),
    backupId: backup.id,
    backup,
    plan: bigPlan,
    ...over,
  };
}

const ok = (m: object) => expect(validateMessage(m as Record<string, unknown>)).toEqual([]);
const actionIds = (m: object) => [...JSON.stringify(m).matchAll(/"action_id":"([a-z_]+)"/g)].map((x) => x[1]);

describe('restore card', () => {
  it.each(RESTORE_STATUS.statuses)(
    'status %s: emoji, label and colour from RESTORE_STATUS, within limits',
    (status) => {
      const card = restoreCard(input({ status, line: LONG }));
      ok(card);
      const info = RESTORE_STATUS.info[status];
      expect(card.attachments![0]!.color).toBe(info.color);
      expect(JSON.stringify(card)).toContain(info.emoji);
      expect(JSON.stringify(card)).toContain(info.label);
      // buttons only while the plan awaits approval
      expect(actionIds(card)).toEqual(
        status === 'awaiting_approval'
          ? [RESTORE_APPROVE_ACTION, RESTORE_REJECT_ACTION, RESTORE_CANCEL_ACTION]
          : [],
      );
    },
  );

  it('shows connection, environment, backup type/age/taker, counts, first changes with deletes marked', () => {
    const text = JSON.stringify(restoreCard(input()));
    expect(bigPlan.summary.delete).toBeGreaterThan(0);
    for (const s of [
      'production',
      'b-0001',
      'scheduled',
      '3 h 30 min before the request',
      '`system`',
      ':warning:',
    ])
      expect(text).toContain(s);
    expect(text).toContain(`${bigPlan.summary.create} create`);
    expect(text).toMatch(/more in the diff file in this thread/);
  });

  it('buttons carry only the request id; the block id names the plan hash; approve has a confirm', () => {
    const card = restoreCard(input());
    const block = card.attachments![0]!.blocks!.find((b) => b.type === 'actions') as {
      block_id: string;
      elements: { value: string; style?: string; confirm?: unknown }[];
    };
    expect(block.elements.map((e) => e.value)).toEqual(['r-1', 'r-1', 'r-1']);
    expect(block.elements[0]!.style).toBe('primary');
    expect(block.elements[0]!.confirm).toBeDefined();
    expect(block.elements[1]!.style).toBe('danger');
    expect(planHashOfBlock(block.block_id)).toBe(bigPlan.planHash);
    expect(planHashOfBlock(planBlockId('abc'))).toBe('abc');
    expect(planHashOfBlock('b')).toBeNull();
  });

  it('an empty plan says "nothing to restore" and has no buttons', () => {
    const card = restoreCard(input({ plan: emptyPlan }));
    ok(card);
    expect(JSON.stringify(card)).toContain('Nothing to restore');
    expect(actionIds(card)).toEqual([]);
  });

  it('a plan with refusals and hashed secrets shows them; it can be rejected or cancelled, never approved', () => {
    const plan: Plan = {
      ...bigPlan,
      warnings: [
        {
          code: 'hashed-secret',
          kind: 'basicauth_credentials',
          id: 'x',
          name: 'alice',
          field: 'password',
          message: 'm',
        },
      ],
      refusals: [
        {
          code: 'dangling-reference',
          kind: 'routes',
          id: 'y',
          name: 'r1',
          field: 'service',
          references: { kind: 'services', id: 'z' },
          message: 'route r1 would point at a missing service',
        },
      ],
    };
    const card = restoreCard(input({ plan }));
    ok(card);
    const text = JSON.stringify(card);
    expect(text).toContain('Cannot be restored');
    expect(text).toContain('password');
    expect(text).toContain('route r1 would point at a missing service');
    expect(actionIds(card)).toEqual([RESTORE_REJECT_ACTION, RESTORE_CANCEL_ACTION]);
  });

  it('--at says which backup was picked and how far before the asked time', () => {
    const card = restoreCard(input({ picked: { at: new Date('2026-11-21T10:45:00Z'), gapMs: 45 * 60_000 } }));
    ok(card);
    expect(JSON.stringify(card)).toMatch(/Picked with `--at`.*taken 45 min before it/);
  });

  it('break-glass is marked on the card and in the announcements', () => {
    expect(JSON.stringify(restoreCard(input({ breakGlass: true })))).toContain('break-glass');
    const r = {
      id: 'r-1',
      connection: 'prod',
      requestedBy: 'U0ADMIN',
      reason: LONG,
      backupId: 'b-1',
    } as Restore;
    ok(breakGlassRequestedMessage(r));
    expect(JSON.stringify(breakGlassApprovedMessage(r, 'U0ADMIN'))).toContain('their own request');
    ok(replannedMessage(r));
  });
});

describe('restore outcome in the thread', () => {
  const r = (over: Partial<Restore>) =>
    ({
      id: 'r-1',
      connection: 'prod',
      backupId: 'b-1',
      preRestoreBackupId: 'b-pre',
      failureReason: null,
      failureCode: null,
      ...over,
    }) as Restore;
  const steps = Array.from({ length: 400 }, (_, i) => ({
    seq: i,
    op: 'update',
    kind: 'plugins',
    name: `rate-limiting ${i} ${LONG.slice(0, 100)}`,
    error: `HTTP 400 schema violation (config.minute: expected a number) <${i}>`,
  }));
  it.each([
    ['completed', { applied: 10, failed: 0, notAttempted: 0, drift: 0, failedSteps: [] }, /zero drift/],
    [
      'partially_failed',
      { applied: 3, failed: 400, notAttempted: 2, drift: null, failedSteps: steps },
      /schema violation/,
    ],
    ['failed', undefined, /Kong down/],
  ] as [Restore['status'], RestoreRunResult | undefined, RegExp][])(
    '%s: outcome, Kong messages, Undo of the pre-restore backup',
    (status, result, expected) => {
      const m = restoreResultMessage(r({ status, failureReason: 'Kong down' }), result);
      ok(m);
      expect(JSON.stringify(m)).toMatch(expected);
      expect(actionIds(m)).toEqual([RESTORE_UNDO_ACTION]);
      expect(JSON.stringify(m)).toContain('b-pre');
    },
  );

  it('no pre-restore backup: no Undo', () => {
    const m = restoreResultMessage(r({ status: 'failed', preRestoreBackupId: null }));
    expect(actionIds(m)).toEqual([]);
  });
});

describe('--at wall-clock time in the caller timezone', () => {
  it.each([
    ['2026-11-20', '14:00', 'UTC', '2026-11-20T14:00:00.000Z'],
    ['2026-11-20', '14:00', 'Europe/Amsterdam', '2026-11-20T13:00:00.000Z'],
    ['2026-07-20', '14:00', 'Europe/Amsterdam', '2026-07-20T12:00:00.000Z'],
    ['2026-11-20', '09:30:15', 'America/New_York', '2026-11-20T14:30:15.000Z'],
    ['2026-11-20', '14:00', 'Asia/Kolkata', '2026-11-20T08:30:00.000Z'],
    ['2026-01-01', '00:15', 'Pacific/Auckland', '2025-12-31T11:15:00.000Z'],
  ])('%s %s in %s is %s', (date, time, tz, iso) => {
    expect(wallClockToInstant(date, time, tz).toISOString()).toBe(iso);
  });

  it('knows real zones and refuses made-up ones', () => {
    expect(isKnownTimezone('Europe/Amsterdam')).toBe(true);
    expect(isKnownTimezone('Mars/Olympus')).toBe(false);
  });
});
