/**
 * Which backup `snapgate restore` picks, and that it says so: `latest` and `--at` skip pre-restore
 * backups (the broken state a restore replaced) unless `--include-pre-restore`; `--at` compares at whole
 * seconds, as lists show them, echoes the resolved instant and the gap in seconds; a time without a zone
 * is read in TZ, a bare date is midnight there. Real SQLite, Redis, kong-sim and an in-process worker.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { approveRestore, requestRestore, runBackup } from '../../../src/app/index.ts';
import { formatTime } from '../../../src/cli/commands/backup-context.ts';
import type { Runtime as Services } from '../../../src/compose/index.ts';
import type { Backup } from '../../../src/db/index.ts';
import { type RunningWorkers, startWorkers } from '../../../src/jobs/index.ts';
import { kongClientFor } from '../../../src/kong/index.ts';
import { cliInProcess } from '../../support/snapgate-cli.ts';
import { createTestEnv, type TestEnv } from '../jobs/harness.ts';
import { APPROVER, authorize, FINAL, REQUESTER, takeBackup, waitForRestore } from './harness.ts';

let env: TestEnv;
let services: Services;
let workers: RunningWorkers | undefined;
const savedTz = process.env.TZ;

beforeEach(async () => {
  env = await createTestEnv();
  Object.assign(process.env, env.env);
});
afterEach(async () => {
  await workers?.close(2000);
  workers = undefined;
  await env.cleanup();
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

const cli = (...args: string[]) => cliInProcess([...args, '--config', env.configPath]);

/** A backup whose dump starts at exactly `at` (the services' clock), taken inline. */
async function backupAt(at: string): Promise<Backup> {
  const clocked = await env.open({ now: () => new Date(at) });
  const b = await clocked.repos.backups.create({ connection: 'prod', type: 'manual', requestedBy: 'system' });
  return runBackup(clocked, b.id, { attempt: 1, maxAttempts: 1 });
}

it('latest after a restore is the newest backup that is not pre-restore, unless --include-pre-restore', async () => {
  services = await env.open();
  workers = await startWorkers(services, { syncSchedules: false, log: () => undefined });
  const good = await takeBackup(services);
  const kong = kongClientFor(services.connection('prod'));
  await kong.request('PATCH', '/services/orders', { body: { port: 9999 } });
  kong.close();
  const { restore } = await requestRestore(services, {
    connection: 'prod',
    backup: { kind: 'id', id: good.id },
    reason: 'bad port',
    requestedBy: REQUESTER,
  });
  await waitForRestore(services, restore.id, ['awaiting_approval']);
  expect((await approveRestore(services, { restoreId: restore.id, approver: APPROVER, authorize })).ok).toBe(
    true,
  );
  const done = await waitForRestore(services, restore.id, FINAL);
  expect(done.status).toBe('completed');
  const pre = (await services.repos.backups.get(done.preRestoreBackupId!))!;
  expect(pre.type).toBe('pre-restore');

  const latest = await cli('restore', 'prod', 'latest', '--reason', 'check latest');
  expect(latest.err).toBe('');
  expect(latest.out).toContain(
    `backup ${good.id} (latest, pre-restore backups skipped): manual, taken ${formatTime(good.startedAt)}\n`,
  );
  // the gateway already matches the good backup: nothing to do
  expect(latest.out).toContain('nothing to restore, the gateway already matches');

  const withPre = await cli(
    'restore',
    'prod',
    'latest',
    '--include-pre-restore',
    '--reason',
    'the broken one',
  );
  expect(withPre.out).toContain(
    `backup ${pre.id} (latest): pre-restore, taken ${formatTime(pre.startedAt)}\n`,
  );
  expect(withPre.out).toContain('updating service orders');
  const requested = (await services.audit.list({ action: 'restore.requested', limit: 10 }))[0];
  expect(requested?.details).toMatchObject({
    selectedBy: 'latest',
    backupType: 'pre-restore',
    includePreRestore: true,
    backupId: pre.id,
  });
  expect(withPre.out).toContain('    port: 8080 → 9999');
}, 60_000);

it('--at at the second a backup is listed picks that backup and echoes the instant and the gap', async () => {
  const early = await backupAt('2026-12-05T23:21:13.700Z');
  const listed = await backupAt('2026-12-05T23:21:50.400Z');
  expect((await cli('backups', 'list', 'prod')).out).toContain(`${listed.id}  2026-12-05 23:21:50Z  manual`);

  const exact = await cli('restore', 'prod', '--at', '2026-12-05T23:21:50Z', '--reason', 'as listed');
  expect(exact.err).toBe('');
  expect(exact.out).toContain('--at 2026-12-05T23:21:50Z = 2026-12-05 23:21:50Z, compared to the second\n');
  expect(exact.out).toContain(
    `backup ${listed.id} (newest at or before --at, pre-restore backups skipped): manual, taken 2026-12-05 23:21:50Z, 0 s before the time asked for\n`,
  );

  const before = await cli('restore', 'prod', '--at', '2026-12-05T23:21:49Z', '--reason', 'a second earlier');
  expect(before.out).toContain(`backup ${early.id} (newest at or before --at`);
  expect(before.out).toContain('taken 2026-12-05 23:21:13Z, 36 s before the time asked for\n');

  // no zone: read in TZ; a bare date: midnight in TZ (New York, 5 h behind UTC in December)
  process.env.TZ = 'America/New_York';
  const local = await cli('restore', 'prod', '--at', '2026-12-05 18:21:50', '--reason', 'local time');
  expect(local.out).toContain(
    '--at 2026-12-05 18:21:50 (read in America/New_York) = 2026-12-05 23:21:50Z, compared to the second\n',
  );
  expect(local.out).toContain(`backup ${listed.id} (newest at or before --at`);
  const day = await cli('restore', 'prod', '--at', '2026-12-06', '--reason', 'start of the day');
  expect(day.out).toContain(
    '--at 2026-12-06 00:00 (read in America/New_York) = 2026-12-06 05:00:00Z, compared to the second\n',
  );
  expect(day.out).toContain('taken 2026-12-05 23:21:50Z, 5 h 38 min before the time asked for\n');

  const tooEarly = await cli('restore', 'prod', '--at', '2026-12-05T23:21:13+00:00', '--reason', 'x');
  expect(tooEarly.out).toContain(`backup ${early.id}`);
  const none = await cli('restore', 'prod', '--at', '2026-12-05T23:21:12Z', '--reason', 'x');
  expect(none.code).toBe(1);
  expect(none.err).toContain('prod has no completed backup taken at or before 2026-12-05T23:21:12Z');
}, 60_000);
