import { afterEach, beforeEach, expect, it } from 'vitest';
import { cliActor } from '../../../src/cli/commands/backup-context.ts';
import { type RunningWorkers, type Services, startWorkers } from '../../../src/jobs/index.ts';
import { kongClientFor } from '../../../src/kong/index.ts';
import { cliInProcess, runSnapgateBin } from '../../support/snapgate-cli.ts';
import { createTestEnv, type TestEnv } from '../jobs/harness.ts';
import { ADMIN, APPROVER, driftFrom, OUTSIDER, takeBackup } from './harness.ts';

let env: TestEnv;
let services: Services;
let workers: RunningWorkers;

beforeEach(async () => {
  env = await createTestEnv({ connectionExtra: `roles:\n  approver: [${APPROVER}]\n  admin: [${ADMIN}]` });
  Object.assign(process.env, env.env);
  services = await env.open();
  workers = await startWorkers(services, { syncSchedules: false, log: () => undefined });
});
afterEach(async () => {
  await workers.close(2000);
  await env.cleanup();
});

const runBin = (...args: string[]) => runSnapgateBin([...args, '--config', env.configPath], env.env);

const cli = (...args: string[]) => cliInProcess([...args, '--config', env.configPath]);

it('restore prints the plan; approve refuses the requester and non-approvers, then restores to zero drift', async () => {
  const backup = await takeBackup(services);
  const kong = kongClientFor(services.connection('prod'));
  await kong.request('PATCH', '/services/orders', { body: { port: 9999 } });
  await kong.request('DELETE', '/routes/billing-api');
  kong.close();

  const missingReason = await cli('restore', 'prod', 'latest');
  expect(missingReason).toMatchObject({ code: 1 });
  expect(missingReason.err).toContain('--reason is required');

  const asked = await runBin('restore', 'prod', backup.id, '--reason', 'Slack is down, bad deploy');
  expect(asked.err).toBe('');
  expect(asked.code).toBe(0);
  expect(asked.out).toContain('updating service orders');
  expect(asked.out).toContain('    port: 9999 → 8080');
  expect(asked.out).toContain('creating route billing-api');
  const id = /restore (\S+) is awaiting approval until \S+ \S+/.exec(asked.out)?.[1] ?? '';
  expect(await services.repos.restores.get(id)).toMatchObject({
    requestedBy: cliActor(),
    status: 'awaiting_approval',
  });

  const busy = await cli('restore', 'prod', 'latest', '--reason', 'again');
  expect(busy.code).toBe(1);
  expect(busy.err).toContain(id);

  for (const [who, message] of [
    [cliActor(), 'someone else must approve it'],
    [OUTSIDER, 'you need the approver role on prod'],
  ] as const) {
    const refused = await cli('approve', id, '--as', who);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(message);
  }

  const approved = await runBin('approve', id, '--as', APPROVER, '--wait');
  expect(approved.err).toBe('');
  expect(approved.code).toBe(0);
  expect(approved.out).toMatch(
    new RegExp(`restore ${id}: Completed \\(2 applied, drift 0\\); pre-restore backup \\S+`),
  );
  expect((await driftFrom(services, backup)).steps).toEqual([]);

  const events = (await services.audit.list({ limit: 100 })).filter((e) => e.targetId === id).reverse();
  expect(events.map((e) => [e.action, e.actor])).toEqual([
    ['restore.requested', cliActor()],
    ['restore.planned', 'system'],
    ['restore.approval_refused', cliActor()],
    ['restore.approval_refused', cliActor()],
    ['restore.approved', cliActor()],
    ['restore.started', 'system'],
    ['restore.completed', 'system'],
  ]);
  expect(events[4]?.details).toMatchObject({ approver: APPROVER });
});
