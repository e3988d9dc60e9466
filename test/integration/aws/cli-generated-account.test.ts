/**
 * Issue 17's proof at account scale through the CLI twin: a generated account (50 REST APIs × 200
 * resources, a GET method with a MOCK integration on each, stage `prod` each: 30,100 entities) behind real
 * `./bin/snapgate` processes, a worker on real Redis (random prefix), SQLite and the simulator over HTTP.
 * Backup → break (a resource subtree deleted, an integration changed, a stage deleted, a whole API deleted)
 * → the restore's plan → a second person approves → zero drift.
 * About 7 s here (backup 1.6 s) with the machine shared: part of the default run.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialSha256, verifyAndOpenBackup } from '../../../src/app/index.ts';
import { createServices, type Runtime as Services } from '../../../src/compose/index.ts';
import { loadConfig } from '../../../src/config/index.ts';
import { planRestore } from '../../../src/core/index.ts';
import type { RunningWorkers } from '../../../src/jobs/index.ts';
import {
  type AwsApiGatewaySim,
  generateAccount,
  startAwsApiGatewaySim,
} from '../../../tools/aws-apigateway-sim/index.ts';
import { runSnapgateBin } from '../../support/snapgate-cli.ts';
import { deletePrefix, REDIS_URL, RecordingNotifier } from '../jobs/harness.ts';
import { APPROVER, startTestWorkers } from '../restore/harness.ts';

const CONNECTION = 'generated-eu';
const APIS = 50;
const RESOURCES = 200;

describe('the CLI twin on a generated AWS account', () => {
  let sim: AwsApiGatewaySim;
  let dir: string;
  let prefix: string;
  let configPath: string;
  let env: Record<string, string>;
  let credentialFile: string;
  let services: Services;
  let workers: RunningWorkers;

  beforeAll(async () => {
    sim = await startAwsApiGatewaySim({ idSeed: 50 });
    generateAccount(sim.state, APIS, RESOURCES);
    dir = mkdtempSync(join(tmpdir(), 'snapgate-aws-scale-'));
    prefix = `sgtest-${randomUUID().slice(0, 8)}`;
    const credential = randomBytes(32).toString('base64url');
    credentialFile = join(dir, 'approver.credential');
    writeFileSync(credentialFile, `${credential}\n`, { mode: 0o600 });
    configPath = join(dir, 'snapgate.yml');
    writeFileSync(
      configPath,
      `connections:
  - name: ${CONNECTION}
    type: aws-apigateway
    region: eu-west-1
    endpoint: ${sim.url}
    credentials: { accessKeyIdEnv: AWS_ID, secretAccessKeyEnv: AWS_SECRET }
    environment: prod
    roles:
      approver: [${APPROVER}]
approvers:
  - user: ${APPROVER}
    credentialSha256: ${credentialSha256(credential)}
storage:
  primary: ${join(dir, 'primary')}
  copies:
    - type: directory
      path: ${join(dir, 'offsite')}
keys:
  - id: k1
    env: SNAPGATE_KEY_1
    current: true
database:
  path: ${join(dir, 'snapgate.db')}
redis:
  url: ${REDIS_URL}
  prefix: ${prefix}
`,
    );
    env = {
      AWS_ID: 'AKIDSNAPGATE',
      AWS_SECRET: 'sim-does-not-check',
      SNAPGATE_KEY_1: randomBytes(32).toString('hex'),
    };
    Object.assign(process.env, env);
    services = await createServices({
      config: await loadConfig({ path: configPath, env }),
      notifier: new RecordingNotifier(),
      retry: { attempts: 1, backoffMs: 50 },
    });
    workers = await startTestWorkers(services);
  }, 60_000);

  afterAll(async () => {
    await workers?.close(2000);
    await services?.close();
    await sim?.close();
    await deletePrefix(prefix);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const bin = (...args: string[]) => runSnapgateBin([...args, '--config', configPath], env);

  it('backs up 30,100 entities, then restores a broken account to zero drift through two people', async () => {
    const started = Date.now();
    const taken = await bin('backup', CONNECTION, '--wait', '--timeout', '300');
    expect(taken.err).toBe('');
    expect(taken.code).toBe(0);
    const backupId = new RegExp(`backup (\\S+) queued for ${CONNECTION}`).exec(taken.out)?.[1] ?? '';
    const backup = (await services.repos.backups.get(backupId))!;
    expect(backup.counts).toMatchObject({ restapis: APIS, resources: APIS * RESOURCES, stages: APIS });
    const backedUpMs = Date.now() - started;

    // break it: a resource subtree, an integration, a stage, a whole API
    const store = sim.state.store;
    const byName = (name: string) => [...store.restApis.values()].find((a) => a.fields.name === name)!;
    const call = (verb: string, path: string, body?: Record<string, unknown>) =>
      expect(sim.state.call(verb, path, body).status, `${verb} ${path}`).toBeLessThan(300);
    const a7 = byName('generated-007');
    const r1 = [...a7.resources.values()].find((r) => r.pathPart === 'r1')!;
    call('DELETE', `/restapis/${a7.fields.id}/resources/${r1.id}`);
    const a3 = byName('generated-003');
    const root3 = [...a3.resources.values()].find((r) => r.parentId === null)!;
    call('PATCH', `/restapis/${a3.fields.id}/resources/${root3.id}/methods/GET/integration`, {
      patchOperations: [
        { op: 'replace', path: '/requestTemplates/application~1json', value: '{"statusCode": 500}' },
      ],
    });
    call('DELETE', `/restapis/${byName('generated-011').fields.id}/stages/prod`);
    const gone = byName('generated-042').fields.id as string;
    call('DELETE', `/restapis/${gone}`);

    const drift = async () => {
      const gateway = services.gateway(services.connection(CONNECTION));
      try {
        return planRestore(await gateway.dump(), await verifyAndOpenBackup(services, backup)).steps.length;
      } finally {
        gateway.close();
      }
    };
    expect(await drift()).toBeGreaterThan(RESOURCES * 3);

    const asked = await bin('restore', CONNECTION, backupId, '--reason', 'console edits across the account');
    expect(asked.err).toBe('');
    expect(asked.code).toBe(0);
    expect(asked.out).toContain('creating REST API generated-042');
    expect(asked.out).toMatch(/… and \d+ more changes/);
    const id = /restore (\S+) is awaiting approval until/.exec(asked.out)?.[1] ?? '';
    const hash = /^plan ([0-9a-f]{64})$/m.exec(asked.out)?.[1] ?? '';
    const approved = await bin(
      'approve',
      id,
      '--plan',
      hash.slice(0, 12),
      '--as',
      APPROVER,
      '--credential-file',
      credentialFile,
      '--wait',
      '--timeout',
      '600',
    );
    expect(approved.err).toBe('');
    expect(approved.code).toBe(0);
    expect(approved.out).toMatch(new RegExp(`restore ${id}: Completed \\(\\d+ applied, drift 0\\)`));
    expect(await drift()).toBe(0);
    expect(byName('generated-042').fields.id).not.toBe(gone);
    process.stdout.write(
      `${JSON.stringify({ test: 'aws-generated-account', entities: 30_100, backupMs: backedUpMs, totalMs: Date.now() - started })}\n`,
    );
  }, 900_000);
});
