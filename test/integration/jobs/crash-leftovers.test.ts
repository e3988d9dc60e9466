/**
 * Issue 18 §2: a process killed while writing an artifact leaves `.<artifact>.sgb.<pid>-<rand>-<host>.tmp`
 * in the primary directory. A worker started afterwards sweeps it (its writer is gone); a live write's
 * temp file is left alone; `prune` sweeps every directory target, and another host's leftovers once they
 * are older than the longest write.
 */
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { pruneConnection } from '../../../src/app/index.ts';
import { STALE_TEMP_AGE_MS } from '../../../src/storage/index.ts';
import { hostTag } from '../../../src/storage/layout.ts';
import { type Child, spawnChild, waitForOutput } from './child.ts';
import { createTestEnv, type TestEnv, waitFor } from './harness.ts';

const STALLED_WRITER = fileURLToPath(new URL('./stalled-writer.ts', import.meta.url));

let env: TestEnv | undefined;
const children: Child[] = [];
afterEach(async () => {
  for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
  children.length = 0;
  await env?.cleanup();
  env = undefined;
});

const temps = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.tmp')) : []);

it('a writer SIGKILLed mid-write: the next worker start removes its temp file, a live write keeps its own', async () => {
  env = await createTestEnv();
  const primary = join(env.dir, 'primary');
  const writer = spawnChild([env.configPath], env.env, STALLED_WRITER);
  children.push(writer);
  await waitForOutput(writer, 'writing');
  const [leftover] = await waitFor('the temp file', async () => {
    const found = temps(primary);
    return found.length > 0 ? found : undefined;
  });
  expect(leftover).toMatch(
    new RegExp(
      `^\\.kong-prod-\\d{8}-\\d{4}-manual-bstalled\\.sgb\\.${writer.proc.pid}-[0-9a-f]{12}-[a-z0-9]+\\.tmp$`,
    ),
  );
  writer.proc.kill('SIGKILL');
  await writer.exited;
  expect(temps(primary)).toEqual([leftover]); // what the crash leaves (before this fix: forever)

  // a write in progress in another live process (this one) at the same moment
  const live = `.kong-prod-20261206-0400-manual-live0001.sgb.${process.pid}-${'a'.repeat(12)}-${hostTag()}.tmp`;
  writeFileSync(join(primary, live), 'half written');

  const worker = spawnChild([env.configPath, 'worker'], env.env);
  children.push(worker);
  await waitForOutput(worker, 'ready');
  expect(temps(primary)).toEqual([live]);
  expect(worker.stderr()).toContain(
    `removed 1 temp file(s) left by a crashed writer in primary: ${leftover}`,
  );
  worker.proc.kill('SIGTERM');
  expect(await worker.exited).toBe(0);
});

it('prune sweeps the primary and every directory copy target; another host’s leftovers only when older than the longest write', async () => {
  env = await createTestEnv();
  const services = await env.open();
  const primary = join(env.dir, 'primary');
  const offsite = join(env.dir, 'offsite');
  const deadHere = `.kong-prod-20261206-0400-manual-dead0001.sgb.999999-${'b'.repeat(12)}-${hostTag()}.tmp`;
  const oldElsewhere = `.kong-prod-20261206-0400-manual-old00001.sgb.4242-${'c'.repeat(12)}-otherhost.tmp`;
  const youngElsewhere = `.kong-prod-20261206-0400-manual-young001.sgb.4242-${'d'.repeat(12)}-otherhost.tmp`;
  const legacyOld = `.kong-prod-20261206-0400-manual-legacy01.sgb.4242-${'e'.repeat(12)}.tmp`;
  for (const dir of [primary, offsite]) {
    mkdirSync(dir, { recursive: true });
    for (const name of [deadHere, oldElsewhere, youngElsewhere, legacyOld])
      writeFileSync(join(dir, name), 'x');
    const past = (Date.now() - STALE_TEMP_AGE_MS - 60_000) / 1000;
    utimesSync(join(dir, oldElsewhere), past, past);
    utimesSync(join(dir, legacyOld), past, past);
  }
  const report = await pruneConnection(services, 'prod');
  expect(report.sweptTempFiles).toBe(6);
  for (const dir of [primary, offsite]) expect(temps(dir)).toEqual([youngElsewhere]);
  const [completed] = await services.audit.list({ action: 'prune.completed' });
  expect(completed!.details).toMatchObject({ tempFilesRemoved: 6 });
  // a dry run changes nothing
  writeFileSync(join(primary, deadHere), 'x');
  expect((await pruneConnection(services, 'prod', { dryRun: true })).sweptTempFiles).toBe(0);
  expect(temps(primary)).toContain(deadHere);
});
