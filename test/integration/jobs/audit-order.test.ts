/**
 * `backup.requested` is in the audit log before the job exists (request-backup.ts), so however slow the
 * log, a worker's `backup.started` never comes first (the crash test once saw them reversed on a loaded
 * machine).
 */
import { afterEach, expect, it } from 'vitest';
import { requestBackup } from '../../../src/app/index.ts';
import { startTestWorkers } from '../restore/harness.ts';
import { createTestEnv, type TestEnv, waitFor, waitForBackup } from './harness.ts';

let env: TestEnv | undefined;
afterEach(async () => {
  await env?.cleanup();
  env = undefined;
});

it('backup.requested precedes backup.started even when its append is slow', async () => {
  env = await createTestEnv();
  const services = await env.open();
  const workers = await startTestWorkers(services);
  try {
    // the request's append is slow (a loaded database): it used to land after the worker's
    const append = services.audit.append.bind(services.audit);
    services.audit.append = async (event) => {
      if (event.action === 'backup.requested') await new Promise((r) => setTimeout(r, 1500));
      return append(event);
    };
    const backup = await requestBackup(services, {
      connection: 'prod',
      type: 'manual',
      requestedBy: 'cli:ops',
    });
    expect((await waitForBackup(services, backup.id)).status).toBe('completed');
    const actions = async () =>
      (await services.audit.list())
        .filter((e) => e.targetId === backup.id)
        .map((e) => e.action)
        .reverse();
    await waitFor('the completion to be audited', async () => (await actions()).includes('backup.completed'));
    expect(await actions()).toEqual(['backup.requested', 'backup.started', 'backup.completed']);
  } finally {
    await workers.close(2000);
  }
});
