/**
 * Every view stays within Slack's limits whatever it is fed (long notes, hundreds of backups, thousands
 * of changes), shows the status from the one status table, and never shows a secret value.
 */
import { describe, expect, it } from 'vitest';
import { mutate, syntheticGateway } from '../../../bench/synthetic.ts';
import type { AuditEvent } from '../../../src/audit/index.ts';
import { validateMessage } from '../../../src/bot/blocks/index.ts';
import { auditPageMessage } from '../../../src/bot/views/audit-page.ts';
import { backupCard, backupCardInput } from '../../../src/bot/views/backup-card.ts';
import { backupDetailMessage, backupListMessage } from '../../../src/bot/views/backup-list.ts';
import { failureMessage, phaseMessage, resultMessage } from '../../../src/bot/views/backup-thread.ts';
import { diffResultCard } from '../../../src/bot/views/diff-card.ts';
import { diffText } from '../../../src/bot/views/diff-text.ts';
import { connectionsMessage } from '../../../src/bot/views/simple.ts';
import { pruneMessage, verifyResultCard } from '../../../src/bot/views/verify-prune.ts';
import { CATALOGUE, ENTITY_KINDS, planRestore } from '../../../src/core/index.ts';
import { BACKUP_STATUS, BACKUP_TYPES } from '../../../src/core/status.ts';
import type { Backup } from '../../../src/db/index.ts';

const LONG = 'x&<>'.repeat(2000);

function backup(i: number, over: Partial<Backup> = {}): Backup {
  return {
    id: `b-${String(i).padStart(4, '0')}-${'f'.repeat(28)}`,
    connection: 'prod',
    type: BACKUP_TYPES[i % 3]!,
    status: 'completed',
    requestedBy: 'U0OPER',
    note: i % 2 ? LONG : null,
    environment: 'production',
    createdAt: new Date(1_700_000_000_000 + i * 60_000),
    startedAt: new Date(1_700_000_000_000 + i * 60_000),
    finishedAt: new Date(1_700_000_004_000 + i * 60_000),
    attempts: 1,
    counts: { services: 10_000, routes: 20_000, plugins: 10_000, consumers: 50_000, keyauth_credentials: 9 },
    bytes: 12_345_678,
    sha256: 'c0ffee'.repeat(10) + 'abcd',
    keyId: 'k1',
    artifactName: `kong-prod-20261121-1200-manual-${i}.sgb`,
    unchangedFrom: null,
    failureReason: null,
    failureCode: null,
    kongVersion: '3.9.1',
    slack: null,
    prunedAt: null,
    ...over,
  } as Backup;
}

const ok = (m: object) => expect(validateMessage(m as Record<string, unknown>)).toEqual([]);

describe('views stay within Block Kit limits', () => {
  it.each(BACKUP_STATUS.statuses)('backup card in status %s shows its emoji and label', (status) => {
    const card = backupCard(backupCardInput(backup(1, { status }), LONG));
    ok(card);
    expect(card.attachments![0]!.color).toBe(BACKUP_STATUS.info[status].color);
    expect(JSON.stringify(card)).toContain(BACKUP_STATUS.info[status].label);
    expect(JSON.stringify(card)).toContain(BACKUP_STATUS.info[status].emoji);
  });

  it('thread messages', () => {
    ok(phaseMessage('dumping', LONG));
    ok(resultMessage(backup(2, { unchangedFrom: 'b-1' })));
    ok(failureMessage(backup(3, { status: 'failed', failureReason: LONG })));
  });

  it('a list of 100 backups and a detail view with many copies', () => {
    const list = backupListMessage(
      'prod',
      Array.from({ length: 100 }, (_, i) => backup(i)),
      100,
    );
    ok(list);
    expect(JSON.stringify(list)).toContain('more not shown');
    const copies = Array.from({ length: 60 }, (_, i) => ({
      backupId: 'b',
      target: `t${i}`,
      location: '/x',
      sha256: 'ab'.repeat(32),
      createdAt: new Date(0),
      verifiedAt: null,
      verifyOk: i % 2 === 0 ? false : null,
      verifyProblem: LONG,
    }));
    ok(backupDetailMessage(backup(1, { status: 'failed', failureReason: LONG }), copies));
  });

  it('an audit page of 100 events with a next-page button', () => {
    const events: AuditEvent[] = Array.from({ length: 100 }, (_, i) => ({
      seq: i + 1,
      time: new Date(1_700_000_000_000),
      actor: i % 2 ? 'U0ADMIN' : 'system',
      action: 'slack.command',
      connection: 'prod',
      targetId: LONG.slice(0, 200),
      outcome: 'ok',
      details: {},
      prevHash: '',
      hash: '',
    }));
    const page = auditPageMessage({ events, filters: LONG, page: 2, nextCursor: 'abc' });
    ok(page);
    expect(JSON.stringify(page)).toContain('audit_next_page');
  });

  it('connections, verify and prune', () => {
    ok(
      connectionsMessage(
        Array.from({ length: 40 }, (_, i) => ({
          name: `c${i}`,
          gateway: i % 2 ? 'Kong' : 'AWS API Gateway',
          environment: 'prod',
          owner: LONG.slice(0, 50),
          role: null,
        })),
      ),
    );
    const copies = Array.from({ length: 80 }, (_, i) => ({
      target: `t${i}`,
      location: '/x',
      ok: i > 0,
      problem: LONG,
    }));
    ok(verifyResultCard({ backup: backup(1), ok: false, copies }));
    const decisions = Array.from({ length: 500 }, (_, i) => ({
      backupId: `b${i}`,
      action: 'remove' as const,
      reasons: [LONG.slice(0, 100)],
    }));
    ok(pruneMessage({ connection: 'prod', dryRun: true, decisions, deletedArtifacts: [] }));
  });
});

describe('diff card and file', () => {
  const live = syntheticGateway({
    services: 60,
    routes: 120,
    consumers: 80,
    credentials: 80,
    plugins: 60,
    upstreams: 5,
    certificates: 4,
    caCertificates: 2,
  });
  const target = mutate(live, 0.3, 7);
  const plan = planRestore(live, target);
  const input = {
    connection: 'prod',
    backup: backup(1),
    requestedBy: 'U0OPER',
    now: new Date(1_700_000_600_000),
  };

  it('shows counts per section, the first changes, deletes marked, within limits', () => {
    expect(plan.changes.length).toBeGreaterThan(50);
    const card = diffResultCard(input, plan);
    ok(card);
    const text = JSON.stringify(card);
    expect(text).toMatch(/more in the file below/);
    if (plan.summary.delete > 0) expect(text).toContain(':warning:');
  });

  it('the full text lists every change and masks every secret value', () => {
    const text = diffText(['header'], plan);
    for (const c of plan.changes) expect(text).toContain(`(id ${c.id})`);
    // every value of a catalogue secret field, on either side, is absent from the file
    let checked = 0;
    for (const snap of [live, target]) {
      for (const kind of ENTITY_KINDS) {
        for (const e of Object.values(snap.entities[kind] ?? {})) {
          for (const field of CATALOGUE[kind].secretFields.filter((f) => !f.includes('.'))) {
            const v = (e as Record<string, unknown>)[field];
            if (typeof v !== 'string' || v.length < 8) continue;
            checked++;
            expect(text).not.toContain(v.length > 80 ? v.slice(40, 80) : v);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('an empty plan says there is nothing to change', () => {
    const card = diffResultCard(input, planRestore(live, live));
    ok(card);
    expect(JSON.stringify(card)).toContain('No differences');
  });
});
