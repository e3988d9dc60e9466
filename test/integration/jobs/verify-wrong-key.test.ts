/**
 * Issue 18 §5: `verify` with a key ring that does not open the backup (same key id, other key material)
 * said "1 backup(s) have bad copies" — sending people to replace intact copies. It now says the key does
 * not open the backup and that the copies are intact; a really damaged copy is still "bad copies".
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { verifyResultCard } from '../../../src/bot/views/verify-prune.ts';
import { type RunningWorkers, startWorkers } from '../../../src/jobs/index.ts';
import { cliInProcess } from '../../support/snapgate-cli.ts';
import { takeBackup } from '../restore/harness.ts';
import { createTestEnv, type TestEnv } from './harness.ts';

let env: TestEnv | undefined;
let workers: RunningWorkers | undefined;
const saved = process.env.SNAPGATE_KEY_1;
afterEach(async () => {
  process.env.SNAPGATE_KEY_1 = saved;
  await workers?.close(2000);
  workers = undefined;
  await env?.cleanup();
  env = undefined;
});

it('a wrong key: "the key ring does not open" the backup, copies intact; a damaged copy: "bad copies"', async () => {
  env = await createTestEnv();
  Object.assign(process.env, env.env); // the CLI reads the config's variables from the environment
  const services = await env.open();
  workers = await startWorkers(services, { syncSchedules: false, log: () => undefined });
  const backup = await takeBackup(services);
  const c = ['--config', env.configPath];

  process.env.SNAPGATE_KEY_1 = randomBytes(32).toString('hex'); // k1, but other key material
  const wrong = await cliInProcess(['verify', backup.id, ...c]);
  expect(wrong.code).toBe(1);
  expect(wrong.out.split('\n')[0]).toBe(`KEY ${backup.id} [prod] ${backup.artifactName}`);
  expect(wrong.out).toMatch(
    /^ {4}KEY primary .*not the key artifact .* was encrypted with \(different key material\)$/m,
  );
  expect(wrong.err).toBe(
    `the key ring does not open 1 backup(s): ${backup.id} (key k1); their copies are intact (checksums match) — check keys in the config (the key with that id, its env variable or file)`,
  );
  expect(wrong.err).not.toContain('bad copies');
  const audited = (await services.audit.list({ action: 'verify.failed' }))[0];
  expect(audited?.details).toMatchObject({ keyCannotOpen: true });

  // Slack says the same
  const card = JSON.stringify(
    verifyResultCard({
      backup,
      ok: false,
      copies: [{ target: 'primary', location: 'x', ok: false, problem: 'p', keyProblem: true }],
    }),
  );
  expect(card).toContain('the key ring does not open them');
  expect(card).not.toContain('A bad copy can be replaced');

  // the right key, one damaged copy: that is a bad copy
  process.env.SNAPGATE_KEY_1 = env.env.SNAPGATE_KEY_1;
  const offsite = (await services.repos.backups.listCopies(backup.id)).find((x) => x.target !== 'primary');
  appendFileSync(offsite?.location ?? join(env.dir, 'missing'), 'damage');
  const damaged = await cliInProcess(['verify', backup.id, ...c]);
  expect(damaged.code).toBe(1);
  expect(damaged.out.split('\n')[0]).toBe(`BAD ${backup.id} [prod] ${backup.artifactName}`);
  expect(damaged.err).toBe('1 backup(s) have bad copies');
});
