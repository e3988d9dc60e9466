/**
 * Issue 17's proof through the CLI twin on an AWS API Gateway connection: real `./bin/snapgate` processes
 * (`backup --wait`, `restore`, `approve --wait`) against a worker on real Redis (random prefix), SQLite and
 * the API Gateway simulator over HTTP, seeded with the petstore. Backup → break (a resource deleted, an
 * integration changed, a stage deleted) → the restore's plan printed in AWS's words (the CLI's diff) → a
 * second person approves with their credential → zero drift; then the whole API deleted → restore → zero
 * drift. `--only` takes AWS's sections on this connection and refuses Kong's.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteResourceCommand,
  DeleteRestApiCommand,
  DeleteStageCommand,
  UpdateIntegrationCommand,
} from '@aws-sdk/client-api-gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialSha256, verifyAndOpenBackup } from '../../../src/app/index.ts';
import { createServices, type Runtime as Services } from '../../../src/compose/index.ts';
import { loadConfig } from '../../../src/config/index.ts';
import { planRestore } from '../../../src/core/index.ts';
import type { Backup } from '../../../src/db/index.ts';
import type { RunningWorkers } from '../../../src/jobs/index.ts';
import {
  type AwsApiGatewaySim,
  type PetstoreIds,
  seedPetstore,
  startAwsApiGatewaySim,
} from '../../../tools/aws-apigateway-sim/index.ts';
import { clientFor } from '../../aws-apigateway-sim/helpers.ts';
import { cliInProcess, runSnapgateBin } from '../../support/snapgate-cli.ts';
import { deletePrefix, REDIS_URL, RecordingNotifier } from '../jobs/harness.ts';
import { APPROVER, startTestWorkers } from '../restore/harness.ts';

const CONNECTION = 'payments-api-eu';

let sim: AwsApiGatewaySim;
let ids: PetstoreIds;
let dir: string;
let prefix: string;
let configPath: string;
let env: Record<string, string>;
let credentialFile: string;
let services: Services;
let workers: RunningWorkers;

beforeAll(async () => {
  sim = await startAwsApiGatewaySim({ idSeed: 31 });
  ids = seedPetstore(sim.state);
  dir = mkdtempSync(join(tmpdir(), 'snapgate-aws-cli-'));
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
    retry: { attempts: 2, backoffMs: 50 },
  });
  workers = await startTestWorkers(services);
}, 30_000);

afterAll(async () => {
  await workers?.close(2000);
  await services?.close();
  await sim?.close();
  await deletePrefix(prefix);
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

const bin = (...args: string[]) => runSnapgateBin([...args, '--config', configPath], env);
const cli = (...args: string[]) => cliInProcess([...args, '--config', configPath]);

async function drift(backup: Backup): Promise<number> {
  const target = await verifyAndOpenBackup(services, backup);
  const gateway = services.gateway(services.connection(CONNECTION));
  try {
    return planRestore(await gateway.dump(), target).steps.length;
  } finally {
    gateway.close();
  }
}

/** `snapgate restore` then `snapgate approve --wait` by a second person: the plan as printed. */
async function restoreThroughCli(backupId: string, reason: string): Promise<string> {
  const asked = await bin('restore', CONNECTION, backupId, '--reason', reason);
  expect(asked.err).toBe('');
  expect(asked.code).toBe(0);
  const id = /restore (\S+) is awaiting approval until/.exec(asked.out)?.[1] ?? '';
  const hash = /^plan ([0-9a-f]{64})$/m.exec(asked.out)?.[1] ?? '';
  expect(hash).not.toBe('');
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
  );
  expect(approved.err).toBe('');
  expect(approved.code).toBe(0);
  expect(approved.out).toMatch(new RegExp(`restore ${id}: Completed \\(\\d+ applied, drift 0\\)`));
  return asked.out;
}

describe('the CLI twin on an AWS API Gateway connection', () => {
  it('backs up, plans and restores through two people to zero drift, in AWS words', async () => {
    const taken = await bin('backup', CONNECTION, '--note', 'before the console', '--wait');
    expect(taken.err).toBe('');
    expect(taken.code).toBe(0);
    const backupId = new RegExp(`backup (\\S+) queued for ${CONNECTION}`).exec(taken.out)?.[1] ?? '';
    expect(taken.out).toMatch(
      /Completed: \d+ entities, .*aws-apigateway-payments-api-eu-\d{8}-\d{4}-manual-\w+\.sgb/,
    );
    const backup = (await services.repos.backups.get(backupId))!;
    expect(backup.status).toBe('completed');
    expect((await cli('backups', 'show', backupId)).out).toMatch(
      /aws api gateway version +apigateway 2015-07-09/,
    );

    const client = clientFor(sim);
    await client.send(new DeleteResourceCommand({ restApiId: ids.api, resourceId: ids.pet }));
    await client.send(
      new UpdateIntegrationCommand({
        restApiId: ids.api,
        resourceId: ids.pets,
        httpMethod: 'GET',
        patchOperations: [{ op: 'replace', path: '/uri', value: 'http://evil.example.com/pets' }],
      }),
    );
    await client.send(new DeleteStageCommand({ restApiId: ids.api, stageName: 'staging' }));

    // --only: Kong's sections are refused on this connection, before anything is recorded
    const kongSection = await cli('restore', CONNECTION, backupId, '--only', 'plugins', '--reason', 'x');
    expect(kongSection.code).toBe(1);
    expect(kongSection.err).toContain('unknown section plugins for a AWS API Gateway connection');
    expect(await services.repos.restores.listByConnection(CONNECTION, { limit: 5 })).toEqual([]);
    const typo = await cli('restore', CONNECTION, backupId, '--only', 'stagez', '--reason', 'x');
    expect(typo.err).toContain(
      'apis, stages, usage_plans, api_keys, domain_names, vpc_links, client_certificates (AWS API Gateway)',
    );

    // the plan is the CLI's diff: console names, AWS nouns
    expect(await drift(backup)).toBeGreaterThan(0);
    const plan = await restoreThroughCli(backupId, 'console edits, Slack is down');
    for (const line of [
      'creating resource petstore › /pets/{petId}',
      'creating method petstore › /pets/{petId} › GET',
      'updating integration petstore › /pets › GET\n    uri: "http://evil.example.com/pets" → ',
      'creating stage petstore › staging',
    ])
      expect(plan).toContain(line);
    expect(await drift(backup)).toBe(0);

    const live = [...sim.state.store.restApis.values()][0];
    await client.send(new DeleteRestApiCommand({ restApiId: live?.fields.id as string }));
    client.destroy();
    const again = await restoreThroughCli(backupId, 'the API was deleted');
    expect(again).toContain('creating REST API petstore');
    expect(await drift(backup)).toBe(0);
  }, 180_000);
});
