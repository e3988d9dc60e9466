/**
 * The CLI verbs over the real services: one real `./bin/snapgate` process (backup --wait against a
 * running worker), the rest through the same command tree in-process (faster, same code).
 */
import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { SqliteDatabaseConfig } from '../../../src/config/index.ts';
import { fromDeckFile } from '../../../src/core/deck/index.ts';
import { openDatabase } from '../../../src/db/index.ts';
import { type RunningWorkers, startWorkers } from '../../../src/jobs/index.ts';
import { cliInProcess, runSnapgateBin, SNAPGATE_BIN } from '../../support/snapgate-cli.ts';
import { createTestEnv, KNOWN_SECRETS, type TestEnv } from './harness.ts';

let env: TestEnv;
let workers: RunningWorkers | undefined;

beforeEach(async () => {
  env = await createTestEnv();
  Object.assign(process.env, env.env);
});
afterEach(async () => {
  await workers?.close(2000);
  workers = undefined;
  await env.cleanup();
});

const cli = (...args: string[]) => cliInProcess(args);

const runBin = (args: string[]) => runSnapgateBin(args, env.env);

it('backup --wait, backups list/show, verify, artifact inspect/export, keys rotate, audit list/verify', async () => {
  const services = await env.open();
  workers = await startWorkers(services, { syncSchedules: false, log: () => undefined });
  const c = ['--config', env.configPath];

  const bin = await runBin(['backup', 'prod', '--note', 'before the change', '--wait', ...c]);
  expect(bin.err).toBe('');
  expect(bin.code).toBe(0);
  const id = /backup (\S+) queued for prod/.exec(bin.out)![1]!;
  expect(bin.out).toMatch(/Completed: 11 entities, [\d.]+ KiB, kong-prod-\d{8}-\d{4}-manual-\w{8}\.sgb/);

  const list = await cli('backups', 'list', 'prod', ...c);
  expect(list.out).toContain(`${id}  `);
  expect(list.out).toContain('"before the change"');
  const show = await cli('backups', 'show', id, ...c);
  expect(show.out).toMatch(/requested by +cli:/);
  expect(show.out).toMatch(/copy +primary/);

  const verify = await cli('verify', id, ...c);
  expect(verify).toMatchObject({ code: 0 });
  expect(verify.out.split('\n')[0]).toBe(
    `ok  ${id} [prod] ${(await services.repos.backups.get(id))!.artifactName}`,
  );

  const b = (await services.repos.backups.get(id))!;
  const file = join(env.dir, 'primary', b.artifactName!);
  const inspect = await cli('artifact', 'inspect', file);
  expect(inspect.out).toMatch(new RegExp(`backupId +${id}`));
  expect(inspect.out).toMatch(/keyId +k1/);
  expect(inspect.out).toContain('services=2');

  // Disaster recovery: no config, no database — the key alone.
  const keyFile = join(env.dir, 'k1.key');
  // a key others may read is refused as ssh refuses one; private to its owner it opens the artifact
  writeFileSync(keyFile, env.env.SNAPGATE_KEY_1!, { mode: 0o644 });
  chmodSync(keyFile, 0o644);
  const open = await cli(
    'artifact',
    'export',
    file,
    '--output',
    join(env.dir, 'x.yaml'),
    '--key-file',
    keyFile,
  );
  expect(open.code).toBe(1);
  expect(open.err).toContain(`key file ${keyFile} is accessible to its group and others (mode 644)`);
  expect(open.err).toContain(`chmod 600 ${keyFile}`);
  chmodSync(keyFile, 0o600);
  const out = join(env.dir, 'restore.yaml');
  const exported = await cli(
    'artifact',
    'export',
    file,
    '--output',
    out,
    '--key-file',
    keyFile,
    '--config',
    '/nonexistent',
  );
  expect(exported).toMatchObject({ code: 0 });
  const deck = fromDeckFile(readFileSync(out, 'utf8'));
  expect(Object.keys(deck.entities.services ?? {})).toHaveLength(2);
  expect(readFileSync(out, 'utf8')).toContain(KNOWN_SECRETS.keyauth);
  const wrongKey = join(env.dir, 'other.key');
  writeFileSync(wrongKey, 'ab'.repeat(32), { mode: 0o600 });
  const refused = await cli('artifact', 'export', file, '--output', out, '--key-file', wrongKey);
  expect(refused.code).toBe(1);
  expect(refused.err).toContain('key "k1"');

  // Rotation to a new current key: every copy re-wrapped, still verifies, recorded and audited.
  env.env.SNAPGATE_KEY_2 = 'cd'.repeat(32);
  process.env.SNAPGATE_KEY_2 = env.env.SNAPGATE_KEY_2;
  await env.reload((y) =>
    y.replace(
      '  - id: k1\n    env: SNAPGATE_KEY_1\n    current: true\n',
      '  - id: k1\n    env: SNAPGATE_KEY_1\n  - id: k2\n    env: SNAPGATE_KEY_2\n    current: true\n',
    ),
  );
  const rotate = await cli('keys', 'rotate', ...c);
  expect(rotate).toMatchObject({ code: 0, out: '1 of 1 artifact(s) re-wrapped under key k2\n' });
  expect((await cli('artifact', 'inspect', file)).out).toMatch(/keyId +k2/);
  expect((await cli('verify', '--all', ...c)).out).toContain('1 backups verified, 0 with bad copies');
  expect((await services.repos.backups.get(id))!.keyId).toBe('k2');

  const audit = await cli('audit', 'list', '--action', 'keys.*', ...c);
  expect(audit.out).toMatch(/keys\.rotated/);
  const all = await cli('audit', 'list', '--connection', 'prod', '--since', '1h', ...c);
  expect(all.out).toMatch(/backup\.requested/);
  expect(all.out).toMatch(/verify\.completed/);
  expect(await cli('audit', 'verify', ...c)).toMatchObject({ code: 0 });

  // Someone with database access drops the append-only triggers and edits the completion event.
  const completed = (await services.audit.list({ action: 'backup.completed' }))[0]!;
  const raw = openDatabase((env.config.database as SqliteDatabaseConfig).path);
  raw.sqlite.exec('DROP TRIGGER audit_events_no_update;');
  raw.sqlite
    .prepare('UPDATE audit_events SET details = ? WHERE seq = ?')
    .run(JSON.stringify({ ...completed.details, bytes: 1 }), completed.seq);
  raw.close();
  const broken = await cli('audit', 'verify', ...c);
  expect(broken.code).toBe(1);
  expect(broken.err).toMatch(new RegExp(`^audit chain broken at row ${completed.seq}: `));
});

it('config check lists every problem; unknown connection and bad flags are clear errors', async () => {
  const ok = await cli('config', 'check', '--config', env.configPath);
  expect(ok.out).toMatch(/^ok: /);
  // both targets are directories: the 3-2-1 warning follows the ok (issue 15)
  expect(ok.out).toMatch(/\nwarning: storage: every copy is a directory on this machine/);
  expect(ok.code).toBe(0);
  const bad = join(env.dir, 'bad.yml');
  writeFileSync(
    bad,
    readFileSync(env.configPath, 'utf8')
      .replace('tokenEnv: KONG_TOKEN', 'tokenEnv: MISSING_TOKEN_VAR')
      .replace('keepDaily', 'x'),
  );
  writeFileSync(bad, `${readFileSync(bad, 'utf8')}unknownTop: 1\n`);
  const check = await cli('config', 'check', '--config', bad);
  expect(check.code).toBe(1);
  expect(check.out).toContain('MISSING_TOKEN_VAR');
  expect(check.out).toContain('unknown field "unknownTop"');
  expect(check.err).toContain('2 problem(s)');

  const unknown = await cli('backups', 'list', 'nope', '--config', env.configPath);
  expect(unknown).toMatchObject({ code: 1, err: 'unknown connection "nope" (configured: prod)' });
  expect((await cli('backups', 'list', 'prod', '--limit', 'x', '--config', env.configPath)).err).toContain(
    '--limit must be a whole number',
  );
  expect((await cli('verify', '--config', env.configPath)).err).toBe('give either a backup id or --all');
  expect((await cli('audit', 'list', '--since', 'yesterday', '--config', env.configPath)).err).toContain(
    '--since must be',
  );
});

it('snapgate worker starts, syncs schedules, recovers, and stops cleanly on SIGTERM', async () => {
  const p = spawn(SNAPGATE_BIN, ['worker', '--config', env.configPath], {
    env: { ...process.env, ...env.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  p.stdout.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => p.on('exit', (code) => resolve(code)));
  const until = Date.now() + 20_000;
  while (!out.includes('worker started') && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  expect(out).toMatch(/worker started \(pid \d+\); schedules: 1 created, 0 updated, 0 removed, 0 unchanged/);
  p.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(out).toContain('SIGTERM: closing workers');
  expect(out).toContain('worker stopped');
  const services = await env.open();
  expect((await services.audit.list({ action: 'config.loaded' })).length).toBe(1);
});
