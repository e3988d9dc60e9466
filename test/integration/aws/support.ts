/** An AWS connection pointed at a simulator, as snapgate.yml would describe it; the CLI twin's setup. */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateApiKeyCommand,
  CreateModelCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteModelCommand,
  UpdateMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { expect } from 'vitest';
import { credentialSha256, verifyAndOpenBackup } from '../../../src/app/index.ts';
import { createServices, type Runtime as Services } from '../../../src/compose/index.ts';
import type { AwsApiGatewayConnectionConfig } from '../../../src/config/index.ts';
import { loadConfig, Secret } from '../../../src/config/index.ts';
import { planRestore } from '../../../src/core/index.ts';
import type { Backup } from '../../../src/db/index.ts';
import type { AwsApiGatewaySim } from '../../../tools/aws-apigateway-sim/index.ts';
import { clientFor } from '../../aws-apigateway-sim/helpers.ts';
import { type CliRun, runSnapgateBin } from '../../support/snapgate-cli.ts';
import { deletePrefix, REDIS_URL, RecordingNotifier } from '../jobs/harness.ts';
import { APPROVER, startTestWorkers } from '../restore/harness.ts';

export function awsConnection(
  endpoint: string,
  over: Partial<AwsApiGatewayConnectionConfig> = {},
): AwsApiGatewayConnectionConfig {
  return {
    name: 'payments-api-eu',
    type: 'aws-apigateway',
    region: 'eu-west-1',
    endpoint,
    profile: null,
    credentials: {
      accessKeyId: new Secret('AKIDSNAPGATETEST'),
      secretAccessKey: new Secret('not-checked-by-the-sim'),
    },
    apis: { ids: [], names: [], tags: {} },
    environment: 'test',
    owner: null,
    tags: [],
    schedules: [],
    retention: { keepPreRestore: '30d' },
    roles: { viewer: [], operator: [], approver: [], admin: [] },
    ...over,
  };
}

/**
 * A snapgate.yml with one `aws-apigateway` connection on the simulator (credentials from env), two
 * directory copy targets under `dir`, SQLite and Redis under `prefix`; `connectionExtra` is YAML indented as
 * the connection's fields (roles), `topExtra` top-level YAML (approvers). Returns its path and the env it reads.
 */
export function writeAwsConfig(opts: {
  dir: string;
  sim: AwsApiGatewaySim;
  connection: string;
  prefix: string;
  connectionExtra?: string;
  topExtra?: string;
}): { configPath: string; env: Record<string, string> } {
  const { dir, sim, connection, prefix } = opts;
  const configPath = join(dir, 'snapgate.yml');
  writeFileSync(
    configPath,
    `connections:
  - name: ${connection}
    type: aws-apigateway
    region: eu-west-1
    endpoint: ${sim.url}
    credentials: { accessKeyIdEnv: AWS_ID, secretAccessKeyEnv: AWS_SECRET }
    environment: prod
${opts.connectionExtra ?? ''}${opts.topExtra ?? ''}storage:
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
  const env = {
    AWS_ID: 'AKIDSNAPGATE',
    AWS_SECRET: 'sim-does-not-check',
    SNAPGATE_KEY_1: randomBytes(32).toString('hex'),
  };
  return { configPath, env };
}

/**
 * What the CLI-twin tests run against: a snapgate.yml naming one `aws-apigateway` connection on the
 * simulator (an approver with a credential file), a worker on real Redis (random prefix) and SQLite,
 * `bin` for real `./bin/snapgate` processes, `drift` of a backup against the live account, and the second
 * person's restore (`restoreAndApprove`: `snapgate restore` then `snapgate approve --wait`).
 */
export interface AwsCliEnv {
  dir: string;
  configPath: string;
  env: Record<string, string>;
  services: Services;
  bin(...args: string[]): Promise<CliRun<number | null>>;
  drift(backup: Backup): Promise<number>;
  /** the restore as `snapgate restore` printed it; asserts the approval completed with zero drift */
  restoreAndApprove(backupId: string, reason: string, approveArgs?: string[]): Promise<string>;
  cleanup(): Promise<void>;
}

export async function startAwsCliEnv(
  sim: AwsApiGatewaySim,
  connection: string,
  tmpName: string,
): Promise<AwsCliEnv> {
  const dir = mkdtempSync(join(tmpdir(), tmpName));
  const prefix = `sgtest-${randomUUID().slice(0, 8)}`;
  const credential = randomBytes(32).toString('base64url');
  const credentialFile = join(dir, 'approver.credential');
  writeFileSync(credentialFile, `${credential}\n`, { mode: 0o600 });
  const { configPath, env } = writeAwsConfig({
    dir,
    sim,
    connection,
    prefix,
    connectionExtra: `    roles:\n      approver: [${APPROVER}]\n`,
    topExtra: `approvers:\n  - user: ${APPROVER}\n    credentialSha256: ${credentialSha256(credential)}\n`,
  });
  Object.assign(process.env, env);
  const services = await createServices({
    config: await loadConfig({ path: configPath, env }),
    notifier: new RecordingNotifier(),
    retry: { attempts: 1, backoffMs: 50 },
  });
  const workers = await startTestWorkers(services);
  const bin = (...args: string[]) => runSnapgateBin([...args, '--config', configPath], env);
  return {
    dir,
    configPath,
    env,
    services,
    bin,
    async drift(backup) {
      const target = await verifyAndOpenBackup(services, backup);
      const gateway = services.gateway(services.connection(connection));
      try {
        return planRestore(await gateway.dump(), target).steps.length;
      } finally {
        gateway.close();
      }
    },
    async restoreAndApprove(backupId, reason, approveArgs = []) {
      const asked = await bin('restore', connection, backupId, '--reason', reason);
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
        ...approveArgs,
      );
      expect(approved.err).toBe('');
      expect(approved.code).toBe(0);
      expect(approved.out).toMatch(new RegExp(`restore ${id}: Completed \\(\\d+ applied, drift 0\\)`));
      return asked.out;
    },
    async cleanup() {
      await workers.close(2000);
      await services.close();
      await deletePrefix(prefix);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A model's content type changed the way the console has to (API Gateway cannot change it in place): every
 * method that names the model as a request model is unhooked, the model deleted and created again with
 * `contentType` and the same schema, and the methods hooked back. Returns the model's new id.
 */
export async function recreateModel(
  sim: AwsApiGatewaySim,
  apiName: string,
  modelName: string,
  contentType: string,
): Promise<string> {
  const api = [...sim.state.store.restApis.values()].find((a) => a.fields.name === apiName);
  const model = api?.models.get(modelName);
  if (!api || !model) throw new Error(`no model ${modelName} in ${apiName}`);
  const restApiId = api.fields.id as string;
  const users: { resourceId: string; httpMethod: string; path: string }[] = [];
  for (const r of api.resources.values())
    for (const [verb, m] of r.methods)
      for (const [ct, name] of Object.entries((m.fields.requestModels as Record<string, string>) ?? {}))
        if (name === modelName)
          users.push({
            resourceId: r.id,
            httpMethod: verb,
            path: `/requestModels/${ct.replace(/\//g, '~1')}`,
          });
  const client = clientFor(sim);
  try {
    for (const u of users)
      await client.send(
        new UpdateMethodCommand({
          restApiId,
          resourceId: u.resourceId,
          httpMethod: u.httpMethod,
          patchOperations: [{ op: 'remove', path: u.path }],
        }),
      );
    await client.send(new DeleteModelCommand({ restApiId, modelName }));
    const made = await client.send(
      new CreateModelCommand({ restApiId, name: modelName, contentType, schema: model.schema as string }),
    );
    for (const u of users)
      await client.send(
        new UpdateMethodCommand({
          restApiId,
          resourceId: u.resourceId,
          httpMethod: u.httpMethod,
          patchOperations: [{ op: 'add', path: u.path, value: modelName }],
        }),
      );
    return made.id as string;
  } finally {
    client.destroy();
  }
}

/**
 * An API key's value changed the way the console has to (API Gateway cannot change it in place): a new key
 * of the same name, description, enabled state, customer id and tags with `value`, put in every usage plan
 * that had the old one, and the old one deleted. Returns the old key and the new key's id.
 */
export async function replaceApiKey(
  sim: AwsApiGatewaySim,
  name: string,
  value: string,
): Promise<{ old: Record<string, unknown>; id: string }> {
  const old = [...sim.state.store.apiKeys.values()].find((k) => k.name === name);
  if (!old) throw new Error(`no API key ${name}`);
  const plans = [...sim.state.store.usagePlans.values()].filter((p) => p.keys.has(old.id as string));
  const client = clientFor(sim);
  try {
    const made = await client.send(
      new CreateApiKeyCommand({
        name,
        value,
        enabled: old.enabled as boolean,
        ...(old.description ? { description: old.description as string } : {}),
        ...(old.customerId ? { customerId: old.customerId as string } : {}),
        ...(old.tags ? { tags: old.tags as Record<string, string> } : {}),
      }),
    );
    for (const p of plans)
      await client.send(
        new CreateUsagePlanKeyCommand({
          usagePlanId: p.fields.id as string,
          keyId: made.id,
          keyType: 'API_KEY',
        }),
      );
    await client.send(new DeleteApiKeyCommand({ apiKey: old.id as string }));
    return { old: { ...old }, id: made.id as string };
  } finally {
    client.destroy();
  }
}

/**
 * The generated account broken the way people break one in the console: a resource subtree of
 * `generated-007` deleted, `generated-003`'s root GET integration changed, `generated-011`'s stage `prod`
 * deleted and the whole `generated-042` deleted. Returns a lookup by API name and the deleted API's id.
 */
export function breakGeneratedAccount(sim: AwsApiGatewaySim) {
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
  const goneId = byName('generated-042').fields.id as string;
  call('DELETE', `/restapis/${goneId}`);
  return { byName, goneId };
}
