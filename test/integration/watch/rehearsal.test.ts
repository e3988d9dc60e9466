/**
 * Restore rehearsals (issue 16 §3): a backup of `prod` restored into a `scratch: true` connection through
 * the restore engine, then checked for zero drift; the measured recovery time, counts and result recorded;
 * never into a connection without `scratch: true`. Real SQLite, Redis (the worker's rehearsal queue and
 * its job scheduler), two kong-sims over HTTP, the CLI in-process.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  failSilentRehearsals,
  type RecordEvent,
  RehearsalRefusedError,
  rehearse,
  verifyAndOpenBackup,
} from '../../../src/app/index.ts';
import type { Runtime as Services } from '../../../src/compose/index.ts';
import { planRestore } from '../../../src/core/index.ts';
import { JOB_NAMES, type RunningWorkers, syncSchedules } from '../../../src/jobs/index.ts';
import { dumpGateway, kongClientFor } from '../../../src/kong/index.ts';
import { type KongSim, startKongSim } from '../../../tools/kong-sim/index.ts';
import { cliInProcess } from '../../support/snapgate-cli.ts';
import { createTestEnv, KONG_TOKEN, RecordingNotifier, type TestEnv, waitFor } from '../jobs/harness.ts';
import { movableClock, startTestWorkers, takeBackup } from '../restore/harness.ts';

class RehearsalRecorder extends RecordingNotifier {
  records: RecordEvent[] = [];
  recordChanged(e: RecordEvent) {
    this.records.push(e);
  }
}

let t: TestEnv;
let scratch: KongSim;
let services: Services;
let notifier: RehearsalRecorder;
let clock: { advance(ms: number): void };
let workers: RunningWorkers;

/** prod rehearses into `scratch` (a second kong-sim); `staging` is a production-like connection. */
async function setUp(): Promise<void> {
  t = await createTestEnv({ secondConnection: true });
  // the scratch gateway holds leftovers of an earlier rehearsal: the restore must replace them
  scratch = await startKongSim({
    token: KONG_TOKEN,
    seed: { _format_version: '3.0', services: [{ name: 'leftover', host: 'old.internal' }] },
  });
  await t.reload((yaml) =>
    yaml
      .replace(
        '    environment: prod\n',
        "    environment: prod\n    rehearsal: { cron: '0 4 * * 0', target: scratch }\n",
      )
      .replace(
        'storage:\n',
        `  - name: scratch\n    kongUrl: ${scratch.url}\n    tokenEnv: KONG_TOKEN\n    environment: scratch\n    scratch: true\nstorage:\n`,
      ),
  );
  notifier = new RehearsalRecorder();
  const movable = movableClock();
  clock = movable.clock;
  services = await t.open({ notifier, now: movable.now });
  workers = await startTestWorkers(services);
  for (const [k, v] of Object.entries(t.env)) vi.stubEnv(k, v); // for the CLI runs
}

beforeEach(setUp);
afterEach(async () => {
  vi.unstubAllEnvs();
  await workers.close(2000);
  await t.cleanup();
  await scratch.close();
});

async function scratchDump() {
  const client = kongClientFor(services.connection('scratch'));
  try {
    return await dumpGateway(client, { only: null, takenAt: '2026-01-01T00:00:00.000Z' });
  } finally {
    client.close();
  }
}

describe('restore rehearsals into a scratch connection', () => {
  it('restores the newest backup into the scratch gateway, proves zero drift and records the recovery time', async () => {
    const backup = await takeBackup(services);
    const prodWrites = t.sim.state.writes;

    const r = await rehearse(services, { connection: 'prod', requestedBy: 'cli:oncall' });

    expect(r).toMatchObject({
      status: 'passed',
      connection: 'prod',
      target: 'scratch',
      backupId: backup.id,
      drift: 0,
      failure: null,
      entities: Object.values(backup.counts ?? {}).reduce((a, b) => a + b, 0),
    });
    expect(r.durationMs).toBeGreaterThan(0);
    // every entity written, and the leftover removed
    expect(r.applied).toBe((r.entities ?? 0) + 1);
    // independently of the engine: the scratch gateway now holds exactly the backup
    const target = await verifyAndOpenBackup(services, backup);
    expect(planRestore(await scratchDump(), target).steps).toEqual([]);
    expect(scratch.state.counts()).toMatchObject({ services: 2, routes: 2, consumers: 1 });
    // production was only read
    expect(t.sim.state.writes).toBe(prodWrites);

    const audit = await services.audit.list({ limit: 50 });
    expect(audit.filter((e) => e.targetId === r.id).map((e) => [e.action, e.actor, e.outcome])).toEqual([
      ['rehearsal.passed', 'system', 'ok'],
      ['rehearsal.started', 'cli:oncall', 'ok'],
    ]);
    expect(notifier.records.map((e) => [e.kind, e.status])).toEqual([
      ['rehearsal', 'running'],
      ['rehearsal', 'passed'],
    ]);
    expect(await services.repos.rehearsals.listByConnection('prod')).toEqual([r]);
  });

  it('fails (recorded, audited, reported) when the scratch gateway cannot take the backup, writing nothing', async () => {
    await takeBackup(services);
    scratch.state.plugins.delete('rate-limiting'); // the backup's plugin is not enabled on the scratch node
    const scratchWrites = scratch.state.writes;

    const r = await rehearse(services, { connection: 'prod', requestedBy: 'system' });

    expect(r.status).toBe('failed');
    expect(r.failure?.code).toBe('plan_refused');
    expect(r.failure?.reason).toMatch(/rate-limiting/);
    expect(scratch.state.writes).toBe(scratchWrites);
    const audit = await services.audit.list({ action: 'rehearsal.*', limit: 10 });
    expect(audit[0]).toMatchObject({ action: 'rehearsal.failed', outcome: 'failed', targetId: r.id });
    expect(audit[0]?.details).toMatchObject({ failureCode: 'plan_refused', target: 'scratch' });
    expect(notifier.records.at(-1)).toMatchObject({ kind: 'rehearsal', status: 'failed' });

    // a failed rehearsal is an alert naming the backup; the same failure again is not alerted twice; the
    // next passing rehearsal resolves it
    const alerts = async () =>
      (await services.audit.list({ action: 'alert.*', limit: 20 }))
        .map((e) => [e.action, e.details.kind])
        .reverse();
    expect(await alerts()).toEqual([['alert.raised', 'rehearsal-failed']]);
    const raised = (await services.audit.list({ action: 'alert.raised', limit: 1 }))[0]!;
    expect(raised.details.reason).toContain(`rehearsal of backup ${r.backupId} into scratch failed`);
    expect((await rehearse(services, { connection: 'prod', requestedBy: 'system' })).status).toBe('failed');
    expect(await alerts()).toEqual([
      ['alert.raised', 'rehearsal-failed'],
      ['alert.suppressed', 'rehearsal-failed'],
    ]);
    scratch.state.plugins.add('rate-limiting');
    expect((await rehearse(services, { connection: 'prod', requestedBy: 'system' })).status).toBe('passed');
    expect((await alerts()).at(-1)).toEqual(['alert.resolved', 'rehearsal-failed']);
  });

  it('never rehearses into a connection without scratch: true, nor from a scratch connection, nor without a backup', async () => {
    const stagingWrites = t.sim.state.writes;
    await expect(rehearse(services, { connection: 'prod', requestedBy: 'system' })).rejects.toThrow(
      'prod has no completed backup to rehearse',
    );
    await takeBackup(services);
    const writes = t.sim.state.writes;
    const refused = await rehearse(services, {
      connection: 'prod',
      target: 'staging',
      requestedBy: 'system',
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RehearsalRefusedError);
    expect((refused as Error).message).toBe(
      'staging is not a scratch connection (scratch: true in snapgate.yml); a rehearsal never writes to it',
    );
    await expect(
      rehearse(services, { connection: 'scratch', target: 'scratch', requestedBy: 'system' }),
    ).rejects.toThrow('scratch is a scratch connection: rehearsals restore into it, not from it');
    await expect(rehearse(services, { connection: 'staging', requestedBy: 'system' })).rejects.toThrow(
      'staging has no rehearsal target',
    );
    // nothing recorded, nothing written anywhere (staging shares prod's simulator)
    expect(await services.repos.rehearsals.listByConnection('prod')).toEqual([]);
    expect(t.sim.state.writes).toBe(writes);
    expect(writes).toBeGreaterThanOrEqual(stagingWrites);
    expect(scratch.state.writesSucceeded).toBe(0);

    // the CLI says the same on stderr, exit 2
    const run = await cliInProcess(['rehearse', 'prod', '--target', 'staging', '--config', t.configPath]);
    expect(run.code).toBe(2);
    expect(run.err).toContain('staging is not a scratch connection');
    expect(run.err).toContain('nothing was written');
  });

  it('refuses a second rehearsal into a busy scratch target; a silent one is failed after 6 heartbeats', async () => {
    const backup = await takeBackup(services);
    const stuck = await services.repos.rehearsals.start({
      connection: 'prod',
      target: 'scratch',
      backupId: backup.id,
      requestedBy: 'system',
    });
    await expect(rehearse(services, { connection: 'prod', requestedBy: 'system' })).rejects.toThrow(
      `a rehearsal into scratch is already running (${stuck.id})`,
    );
    clock.advance(61_000); // 6 × the 10 s heartbeat
    const failed = await failSilentRehearsals(services);
    expect(failed.map((r) => [r.id, r.status, r.failure?.code])).toEqual([
      [stuck.id, 'failed', 'worker_stopped'],
    ]);
    expect((await rehearse(services, { connection: 'prod', requestedBy: 'system' })).status).toBe('passed');
  });

  it('runs from its job scheduler on the worker, and the CLI runs and lists them', async () => {
    await takeBackup(services);
    const sync = await syncSchedules(services);
    expect(sync.created).toContain('rehearsal-prod');
    const [scheduler] = (await services.queues.rehearsal.getJobSchedulers(0, -1)).filter(
      (s) => s.key === 'rehearsal-prod',
    );
    expect(scheduler).toMatchObject({ pattern: '0 4 * * 0', name: JOB_NAMES.rehearsal });

    // what the scheduler produces on its tick, processed by the worker
    await services.queues.rehearsal.add(JOB_NAMES.rehearsal, { connection: 'prod' });
    const done = await waitFor('the scheduled rehearsal', async () => {
      const [r] = await services.repos.rehearsals.listByConnection('prod');
      return r && r.status !== 'running' ? r : undefined;
    });
    expect(done).toMatchObject({ status: 'passed', requestedBy: 'system', drift: 0 });

    const run = await cliInProcess(['rehearse', 'prod', '--config', t.configPath]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(
      /^rehearsal \S+ \[prod\] backup \S+ → scratch: passed in .+ \(\d+ entities, \d+ writes, drift 0\)\n$/,
    );
    const list = await cliInProcess(['rehearsals', 'prod', '--config', t.configPath]);
    expect(list.code).toBe(0);
    expect(list.out.trim().split('\n')).toHaveLength(2);
    expect(list.out).toMatch(/passed .*→ scratch {2}recovery .* drift 0/);
  });
});
