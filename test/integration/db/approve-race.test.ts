import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from './fixture.ts';

const run = promisify(execFile);
const child = fileURLToPath(new URL('./approve-race-child.ts', import.meta.url));

describe('concurrent approvals across processes', () => {
  let t: TestDb | undefined;
  afterEach(() => t?.cleanup());

  it('six approvers clicking at the same moment in six processes: exactly one wins', async () => {
    t = openTestDb();
    const b = await t.repos.backups.create({ connection: 'prod', type: 'manual', requestedBy: 'U1' });
    const r = await t.repos.restores.create({
      connection: 'prod',
      backupId: b.id,
      requestedBy: 'UREQ',
      reason: 'incident',
      expiresAt: new Date(t.clock.now().getTime() + 30 * 60_000),
    });
    const planHash = 'p'.repeat(64);
    await t.repos.restores.markAwaitingApproval(r.id, { planHash, liveFingerprint: 'f', planSummary: {} });
    // start far enough ahead that every child has loaded tsx and opened the database
    const startAt = String(Date.now() + 2500);
    const approvers = ['UA', 'UB', 'UC', 'UD', 'UE', 'UF'];
    const outputs = await Promise.all(
      approvers.map((approver) =>
        run(process.execPath, [
          '--import',
          'tsx',
          child,
          t!.path,
          r.id,
          approver,
          planHash,
          t!.clock.now().toISOString(),
          startAt,
        ]),
      ),
    );
    const results = outputs.map(
      (o) => JSON.parse(o.stdout.trim()) as { approver: string; ok: boolean; refusal: string | null },
    );
    const winners = results.filter((x) => x.ok);
    expect(winners).toHaveLength(1);
    expect(results.filter((x) => !x.ok).every((x) => x.refusal === 'not_awaiting_approval')).toBe(true);
    const approvals = await t.repos.restores.listApprovals(r.id);
    expect(approvals.map((a) => a.approver)).toEqual([winners[0]!.approver]);
    expect((await t.repos.restores.get(r.id))?.approvedBy).toBe(winners[0]!.approver);
  });
});
