/**
 * Restore tests' setup on top of the jobs harness: real SQLite, real Redis (random prefix), kong-sim over
 * HTTP, an in-process worker (the same `startWorkers` the CLI runs), a clock tests can move forward, a
 * notifier that records restore events, and helpers to break the gateway and measure drift.
 */

import { readFileSync, writeFileSync } from 'node:fs';
import {
  type Authorize,
  approveRestore,
  type RestoreEvent,
  requestBackup,
  requestRestore,
  verifyAndOpenBackup,
} from '../../../src/app/index.ts';
import { openGateway, type Runtime as Services } from '../../../src/compose/index.ts';
import { type Plan, planRestore, type Section, type Snapshot } from '../../../src/core/index.ts';
import type { Backup, Restore } from '../../../src/db/index.ts';
import { type RunningWorkers, startWorkers } from '../../../src/jobs/index.ts';
import { type HttpMethod, kongClientFor } from '../../../src/kong/index.ts';
import {
  createTestEnv,
  type EnvOptions,
  RecordingNotifier,
  type TestEnv,
  waitFor,
  waitForBackup,
} from '../jobs/harness.ts';

export const REQUESTER = 'U0REQUESTER';
export const APPROVER = 'U0APPROVER';
export const APPROVER_2 = 'U0APPROVER2';
export const OUTSIDER = 'U0OUTSIDER';
export const ADMIN = 'U0ADMIN';

/** Who holds what, as the bot's role check would answer (admins include approvers; everyone but the outsider operates). */
export const authorize: Authorize = async (_connection, user, role) =>
  role === 'admin'
    ? user === ADMIN
    : role === 'operator'
      ? user !== OUTSIDER
      : [APPROVER, APPROVER_2, ADMIN].includes(user);

export class RestoreRecorder extends RecordingNotifier {
  restores: RestoreEvent[] = [];
  restoreChanged(e: RestoreEvent) {
    this.restores.push(e);
  }
  phases(id: string): string[] {
    return this.restores.filter((e) => e.restore.id === id && e.phase !== 'applying').map((e) => e.phase);
  }
}

export interface RestoreEnv {
  env: TestEnv;
  services: Services;
  workers: RunningWorkers;
  notifier: RestoreRecorder;
  /** the backup taken of the seeded gateway */
  backup: Backup;
  clock: { advance(ms: number): void };
  kong<T = unknown>(method: HttpMethod, path: string, body?: unknown): Promise<T>;
  cleanup(): Promise<void>;
}

/** A clock the tests move forward: `now` for the services, `advance` for the test. */
export function movableClock(): { now: () => Date; clock: { advance(ms: number): void } } {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    clock: {
      advance(ms) {
        offsetMs += ms;
      },
    },
  };
}

/** All workers in-process, with short locks so a stalled job is noticed within seconds. */
export function startTestWorkers(services: Services): Promise<RunningWorkers> {
  return startWorkers(services, {
    syncSchedules: false,
    lockDurationMs: 5000,
    stalledIntervalMs: 1000,
    log: () => undefined,
  });
}

/** One Admin API call to the `prod` gateway through snapgate's own client; resolves with the body. */
export function kongCaller(services: Services) {
  return async <T = unknown>(method: HttpMethod, path: string, body?: unknown): Promise<T> => {
    const client = kongClientFor(services.connection('prod'));
    try {
      return (await client.request<T>(method, path, body === undefined ? {} : { body })).data;
    } finally {
      client.close();
    }
  };
}

export async function createRestoreEnv(options: EnvOptions = {}): Promise<RestoreEnv> {
  const env = await createTestEnv(options);
  const notifier = new RestoreRecorder();
  const { now, clock } = movableClock();
  const services = await env.open({ notifier, now });
  const workers = await startTestWorkers(services);
  const backup = await takeBackup(services);
  return {
    env,
    services,
    workers,
    notifier,
    backup,
    clock,
    kong: kongCaller(services),
    async cleanup() {
      await workers.close(2000);
      await env.cleanup();
    },
  };
}

export async function takeBackup(services: Services): Promise<Backup> {
  const b = await requestBackup(services, { connection: 'prod', type: 'manual', requestedBy: 'system' });
  const done = await waitForBackup(services, b.id);
  if (done.status !== 'completed') throw new Error(`backup failed: ${done.failureReason}`);
  return done;
}

/** Three kinds of damage: a changed service, a deleted route, an extra service. */
export async function breakGateway(t: RestoreEnv): Promise<void> {
  await t.kong('PATCH', '/services/orders', { port: 9999 });
  await t.kong('DELETE', '/routes/billing-api');
  await t.kong('POST', '/services', { name: 'rogue', host: 'rogue.internal' });
}

export function waitForRestore(services: Services, id: string, statuses: string[], timeoutMs = 20_000) {
  return waitFor(
    `restore ${id} to be ${statuses.join('/')}`,
    async () => {
      const r = await services.repos.restores.get(id);
      return r && statuses.includes(r.status) ? r : undefined;
    },
    timeoutMs,
  );
}

export const FINAL = ['completed', 'partially_failed', 'failed', 'rejected', 'expired', 'cancelled'];

/** The live gateway of `prod`, opened through the registry (a Kong or a Konnect connection). */
export async function liveSnapshot(services: Services, only?: Section[]): Promise<Snapshot> {
  const gateway = openGateway(services.connection('prod'));
  try {
    return await gateway.dump({ only: only ?? null, takenAt: '2026-01-01T00:00:00.000Z' });
  } finally {
    gateway.close();
  }
}

/** What restoring `backup` would still change on the live gateway (no steps = zero drift). */
export async function driftFrom(services: Services, backup: Backup, only?: Section[]): Promise<Plan> {
  const target = await verifyAndOpenBackup(services, backup);
  return planRestore(await liveSnapshot(services, only), target, only ? { only } : {});
}

/** One flipped byte near the end of a stored copy: its SHA-256 no longer matches and it does not decrypt. */
export function flipByte(location: string): void {
  const bytes = readFileSync(location);
  bytes[bytes.length - 20] = (bytes[bytes.length - 20] ?? 0) ^ 0xff;
  writeFileSync(location, bytes);
}

/**
 * A backup, 120 rogue services for the restore to delete slowly (150 ms per write), a request planned,
 * approved and applying (15 writes done): a worker can then be killed or silenced mid-restore.
 */
export async function applyingRestore(
  t: TestEnv,
  services: Services,
): Promise<{ id: string; writesBefore: number }> {
  const backup = await waitForBackup(
    services,
    (await requestBackup(services, { connection: 'prod', type: 'manual', requestedBy: 'system' })).id,
  );
  const kong = kongClientFor(services.connection('prod'));
  for (let i = 0; i < 120; i++) {
    await kong.request('POST', '/services', { body: { name: `rogue-${i}`, host: 'rogue.internal' } });
  }
  kong.close();
  const { restore } = await requestRestore(services, {
    connection: 'prod',
    backup: { kind: 'id', id: backup.id },
    reason: 'remove the rogue services',
    requestedBy: REQUESTER,
  });
  await waitForRestore(services, restore.id, ['awaiting_approval']);
  // an approver acts on the plan card, which is posted after `restore.planned` is audited (plan-job.ts);
  // approving on the status change alone could audit the approval first on a loaded machine
  await waitFor('the plan to be audited', async () =>
    (await services.audit.list({ limit: 1000 })).some(
      (e) => e.action === 'restore.planned' && e.targetId === restore.id,
    ),
  );
  t.sim.state.faults.latencyMs = 150;
  t.sim.state.faults.writesOnly = true;
  const writesBefore = t.sim.state.writes;
  const approved = await approveRestore(services, { restoreId: restore.id, approver: APPROVER, authorize });
  if (!approved.ok) throw new Error(`approval refused: ${approved.message}`);
  await waitFor('the apply to be under way', async () => t.sim.state.writes > writesBefore + 15);
  return { id: restore.id, writesBefore };
}

export async function awaitingApproval(services: Services, restore: Restore): Promise<Restore> {
  return waitForRestore(services, restore.id, ['awaiting_approval', ...FINAL]);
}
