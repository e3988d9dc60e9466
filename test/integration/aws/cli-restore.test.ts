import {
  DeleteResourceCommand,
  DeleteRestApiCommand,
  DeleteStageCommand,
  UpdateIntegrationCommand,
} from '@aws-sdk/client-api-gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime as Services } from '../../../src/compose/index.ts';
import type { Backup } from '../../../src/db/index.ts';
import {
  type AwsApiGatewaySim,
  type PetstoreIds,
  seedPetstore,
  startAwsApiGatewaySim,
} from '../../../tools/aws-apigateway-sim/index.ts';
import { clientFor } from '../../aws-apigateway-sim/helpers.ts';
import { cliInProcess } from '../../support/snapgate-cli.ts';
import { type AwsCliEnv, recreateModel, startAwsCliEnv } from './support.ts';

const CONNECTION = 'payments-api-eu';

let sim: AwsApiGatewaySim;
let ids: PetstoreIds;
let t: AwsCliEnv;
let services: Services;

beforeAll(async () => {
  sim = await startAwsApiGatewaySim({ idSeed: 31 });
  ids = seedPetstore(sim.state);
  t = await startAwsCliEnv(sim, CONNECTION, 'snapgate-aws-cli-');
  services = t.services;
}, 30_000);

afterAll(async () => {
  await t?.cleanup();
  await sim?.close();
}, 30_000);

const bin = (...args: string[]) => t.bin(...args);
const cli = (...args: string[]) => cliInProcess([...args, '--config', t.configPath]);
const drift = (backup: Backup) => t.drift(backup);
const restoreThroughCli = (backupId: string, reason: string) => t.restoreAndApprove(backupId, reason);

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

  it('says in the plan that a model re-created with another content type comes back through PutRestApi overwrite, and restores it to zero drift', async () => {
    const manual = (await services.repos.backups.listByConnection(CONNECTION, { limit: 20 })).find(
      (b) => b.type === 'manual',
    )!;
    await recreateModel(sim, 'petstore', 'Pet', 'application/xml');
    expect(await drift(manual)).toBe(1);
    const plan = await restoreThroughCli(manual.id, 'Pet was re-created as XML');
    expect(plan).toContain('updating model petstore › Pet');
    expect(plan).toContain(
      'model petstore › Pet: API Gateway cannot change `contentType` in place, so REST API petstore will be restored through PutRestApi overwrite',
    );
    expect(await drift(manual)).toBe(0);
    const api = [...sim.state.store.restApis.values()][0];
    expect(api?.models.get('Pet')?.contentType).toBe('application/json');
  }, 120_000);
});
