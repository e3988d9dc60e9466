/**
 * Verify names the bad copy; prune applies retention on real files with a fixed clock and keeps an
 * artifact that a kept (unchanged) backup still shares.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import {
  pickScheduledVerifications,
  pruneConnection,
  requestBackup,
  verifyBackup,
} from '../../../src/app/index.ts';
import type { Runtime as Services } from '../../../src/compose/index.ts';
import { type RunningWorkers, startWorkers } from '../../../src/jobs/index.ts';
import { createTestEnv, KONG_TOKEN, type TestEnv, waitForBackup } from './harness.ts';

let env: TestEnv | undefined;
let workers: RunningWorkers | undefined;
afterEach(async () => {
  await workers?.close(2000);
  workers = undefined;
  await env?.cleanup();
  env = undefined;
});

async function backupNow(services: Services) {
  const b = await requestBackup(services, { connection: 'prod', type: 'manual', requestedBy: 'system' });
  return waitForBackup(services, b.id);
}

async function changeGateway(e: TestEnv, name: string) {
  const res = await fetch(`${e.sim.url}/services/${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'Kong-Admin-Token': KONG_TOKEN },
    body: JSON.stringify({ host: `${name}.internal` }),
  });
  expect(res.status).toBeLessThan(300);
}

it('a flipped byte in one copy: verify names that copy and records per-copy results', async () => {
  env = await createTestEnv();
  const services = await env.open();
  workers = await startWorkers(services, { syncSchedules: false, log: () => undefined });
  const b = await backupNow(services);

  const clean = await verifyBackup(services, b.id);
  expect(clean.ok).toBe(true);
  expect(clean.copies.map((c) => c.ok)).toEqual([true, true]);

  const offsite = join(env.dir, 'offsite', b.artifactName!);
  const bytes = readFileSync(offsite);
  const at = bytes.length - 40;
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  writeFileSync(offsite, bytes);

  const report = await verifyBackup(services, b.id);
  expect(report.ok).toBe(false);
  const bad = report.copies.filter((c) => !c.ok);
  expect(bad.map((c) => c.target)).toEqual([`directory:${join(env.dir, 'offsite')}`]);
  expect(bad[0]!.problem).toMatch(/^sha256 mismatch: expected [0-9a-f]{64}, found [0-9a-f]{64}/);
  const copies = await services.repos.backups.listCopies(b.id);
  expect(copies.map((c) => [c.target === 'primary', c.verifyOk])).toEqual(
    expect.arrayContaining([
      [true, true],
      [false, false],
    ]),
  );
  const runs = await services.repos.backups.listVerifications(b.id);
  expect(runs.map((r) => r.ok)).toEqual([false, true]);
  expect((await services.audit.list({ action: 'verify.*' })).map((e) => e.action)).toEqual([
    'verify.failed',
    'verify.completed',
  ]);
  expect(env.notifier.verifies.at(-1)).toMatchObject({ ok: false });
});

it('prune: golden keep/remove with a fixed clock; a shared artifact stays while a kept backup uses it', async () => {
  env = await createTestEnv({ connectionExtra: 'retention:\n  keepDaily: 1' });
  let clock = Date.parse('2026-11-17T03:00:00Z');
  const services = await env.open({ now: () => new Date(clock) });
  workers = await startWorkers(services, { syncSchedules: false, log: () => undefined });
  const day = 86_400_000;

  const old = await services.repos.backups.create({
    connection: 'prod',
    type: 'manual',
    requestedBy: 'system',
  });
  await services.repos.backups.markFailed(old.id, {
    code: 'gateway_unreachable',
    reason: 'gateway down: test',
  });
  clock += day;
  const b1 = await backupNow(services); // content A → artifact a1
  clock += day;
  const b2 = await backupNow(services); // A again → shares a1
  clock += day;
  await changeGateway(env, 'payments');
  const b3 = await backupNow(services); // content B → artifact a3
  clock += day;
  const b4 = await backupNow(services); // B again → shares a3
  expect([b2.unchangedFrom, b3.unchangedFrom, b4.unchangedFrom]).toEqual([b1.id, null, b3.id]);
  clock += 2 * 3_600_000;

  const dry = await pruneConnection(services, 'prod', { dryRun: true });
  const golden = [
    [b4.id, 'keep', ['newest', 'daily 2026-11-21']],
    [b3.id, 'remove', ['keepDaily 1 already used']],
    [b2.id, 'remove', ['keepDaily 1 already used']],
    [b1.id, 'remove', ['keepDaily 1 already used']],
    [old.id, 'remove', ['failed backup']],
  ];
  expect(dry.decisions.map((d) => [d.backupId, d.action, d.reasons])).toEqual(golden);
  expect(dry.deletedArtifacts).toEqual([]);
  expect(existsSync(join(env.dir, 'primary', b1.artifactName!))).toBe(true);
  expect((await services.repos.backups.listByConnection('prod')).length).toBe(5);

  const real = await pruneConnection(services, 'prod');
  expect(real.decisions.map((d) => [d.backupId, d.action, d.reasons])).toEqual(golden);
  expect(real.deletedArtifacts).toEqual([b1.artifactName]);
  for (const dir of ['primary', 'offsite']) {
    expect(existsSync(join(env.dir, dir, b1.artifactName!))).toBe(false);
    expect(existsSync(join(env.dir, dir, b3.artifactName!))).toBe(true); // b4 still uses it
  }
  expect((await services.repos.backups.listByConnection('prod')).map((b) => b.id)).toEqual([b4.id]);
  expect((await verifyBackup(services, b4.id)).ok).toBe(true);
  const pruned = await services.audit.list({ action: 'backup.pruned' });
  expect(pruned.map((e) => e.targetId).sort()).toEqual([b1.id, b2.id, b3.id, old.id].sort());
  expect((await services.audit.list({ action: 'prune.*' })).map((e) => e.action)).toEqual([
    'prune.completed',
    'prune.planned',
  ]);

  // Scheduled verify picks the newest (and there is no older one left).
  expect((await pickScheduledVerifications(services)).map((b) => b.id)).toEqual([b4.id]);
});
