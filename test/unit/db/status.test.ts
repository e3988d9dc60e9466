import { describe, expect, it } from 'vitest';
import {
  ACTIVE_RESTORE_STATUSES,
  BACKUP_STATUS,
  BackupStatus,
  RESTORE_STATUS,
  RestoreStatus,
  type StatusMachine,
} from '../../../src/core/status.ts';

const machines: [string, StatusMachine<string>][] = [
  ['backup', BACKUP_STATUS as StatusMachine<string>],
  ['restore', RESTORE_STATUS as StatusMachine<string>],
];

describe('status machines', () => {
  it.each(machines)('%s: every status has a label, an emoji shortcode and a hex colour', (_, m) => {
    for (const s of m.statuses) {
      expect(m.info[s]?.label).toMatch(/^[A-Z]/);
      expect(m.info[s]?.emoji).toMatch(/^:[a-z_]+:$/);
      expect(m.info[s]?.color).toMatch(/^#[0-9a-f]{6}$/);
    }
  });

  it.each(machines)('%s: terminal statuses have no exits and every other status has one', (_, m) => {
    for (const s of m.statuses) expect(m.info[s]?.next.length === 0).toBe(m.isTerminal(s));
  });

  it.each(machines)('%s: sourcesOf is the inverse of canTransition', (_, m) => {
    for (const to of m.statuses) {
      expect(m.sourcesOf(to)).toEqual(m.statuses.filter((from) => m.canTransition(from, to)));
    }
  });

  it.each([
    ['pending', 'running', true],
    ['pending', 'failed', true],
    ['pending', 'completed', false],
    ['running', 'running', true],
    ['running', 'completed', true],
    ['completed', 'failed', false],
    ['failed', 'running', false],
  ] as const)('backup %s → %s allowed: %s', (from, to, allowed) => {
    expect(BACKUP_STATUS.canTransition(from, to)).toBe(allowed);
  });

  it.each([
    ['planned', 'awaiting_approval', true],
    ['planned', 'completed', true],
    ['planned', 'approved', false],
    ['awaiting_approval', 'approved', true],
    ['awaiting_approval', 'running', false],
    ['approved', 'running', true],
    ['approved', 'awaiting_approval', true],
    ['running', 'partially_failed', true],
    ['running', 'expired', false],
    ['rejected', 'approved', false],
    ['expired', 'awaiting_approval', false],
  ] as const)('restore %s → %s allowed: %s', (from, to, allowed) => {
    expect(RESTORE_STATUS.canTransition(from, to)).toBe(allowed);
  });

  it('names the statuses by constant and recognises strings', () => {
    expect(BackupStatus.Completed).toBe('completed');
    expect(RestoreStatus.AwaitingApproval).toBe('awaiting_approval');
    expect(RESTORE_STATUS.isStatus('partially_failed')).toBe(true);
    expect(RESTORE_STATUS.isStatus('toString')).toBe(false);
    expect(ACTIVE_RESTORE_STATUSES).toEqual(['planned', 'awaiting_approval', 'approved', 'running']);
  });
});
