/**
 * The OpenAPI builder (src/aws/openapi.ts) against the simulator's PutRestApi: a snapshot's API built into a
 * definition and imported with `mode=overwrite` into a fresh API (another account), dumped again, equals the
 * snapshot except for the ids AWS assigned and the members NOT_CARRIED names (those the apply writes
 * entity-level after an import).
 */
import { CreateRestApiCommand, PutRestApiCommand } from '@aws-sdk/client-api-gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApi, IMPORTED_KINDS, NOT_CARRIED } from '../../../src/aws/openapi.ts';
import { openGateway } from '../../../src/compose/gateways.ts';
import { type AwsKind, diff, type Entity, type Snapshot } from '../../../src/core/index.ts';
import {
  type AwsApiGatewaySim,
  generateAccount,
  seedPetstore,
  startAwsApiGatewaySim,
} from '../../../tools/aws-apigateway-sim/index.ts';
import { clientFor } from '../../aws-apigateway-sim/helpers.ts';
import { awsConnection } from './support.ts';

async function dumpOf(sim: AwsApiGatewaySim): Promise<Snapshot> {
  const gateway = openGateway(awsConnection(sim.url));
  try {
    return await gateway.dump();
  } finally {
    gateway.close();
  }
}

/** The API `name` of a snapshot and what an import writes of it. */
function apiPart(s: Snapshot, name: string): Snapshot {
  const entities: Snapshot['entities'] = {};
  for (const kind of ['restapis', ...IMPORTED_KINDS] as AwsKind[]) {
    const map: Record<string, Entity> = {};
    for (const [id, e] of Object.entries(s.entities[kind] ?? {}))
      if (id === name || id.startsWith(`${name}:`)) map[id] = e;
    entities[kind] = map;
  }
  return { meta: s.meta, entities };
}

function contentOf(s: Snapshot, name: string) {
  const part = apiPart(s, name);
  const api = part.entities.restapis?.[name] as Entity;
  const content = Object.fromEntries(
    IMPORTED_KINDS.map((k) => [k, Object.values(part.entities[k] ?? {})]),
  ) as Partial<Record<AwsKind, Entity[]>>;
  return { api, content };
}

describe('OpenAPI 2.0 definition of a snapshot, imported by PutRestApi overwrite', () => {
  let source: AwsApiGatewaySim;
  let target: AwsApiGatewaySim;

  beforeAll(async () => {
    source = await startAwsApiGatewaySim({ idSeed: 61 });
    target = await startAwsApiGatewaySim({ idSeed: 62 });
    seedPetstore(source.state);
    generateAccount(source.state, 1, 40);
  });
  afterAll(async () => {
    await source?.close();
    await target?.close();
  });

  for (const name of ['petstore', 'generated-000']) {
    it(`round trip of ${name}: equal but for ids and the members an import cannot carry`, async () => {
      const before = await dumpOf(source);
      const { api, content } = contentOf(before, name);
      const definition = buildOpenApi(api, content);
      expect(definition).toMatchObject({ swagger: '2.0', info: { title: name } });
      const client = clientFor(target);
      try {
        const made = await client.send(new CreateRestApiCommand({ name }));
        const answer = await client.send(
          new PutRestApiCommand({
            restApiId: made.id,
            mode: 'overwrite',
            failOnWarnings: true,
            body: new TextEncoder().encode(JSON.stringify(definition)),
          }),
        );
        expect(answer.warnings).toBeUndefined();
      } finally {
        client.destroy();
      }
      const after = await dumpOf(target);
      const changes = diff(apiPart(after, name), apiPart(before, name)).changes;
      // nothing missing, nothing extra: only updates, and only of members an import does not carry
      expect(changes.filter((c) => c.op !== 'update')).toEqual([]);
      for (const c of changes) {
        const carried = (c.fields ?? []).map((f) => f.path.split('.')[0]);
        for (const field of carried) expect(NOT_CARRIED[c.kind as AwsKind] ?? []).toContain(field);
      }
      // the ids are the target account's own
      const resources = Object.values(apiPart(after, name).entities.resources ?? {});
      expect(resources.length).toBe(Object.keys(content.resources ?? []).length);
      const sourceIds = new Set((content.resources ?? []).map((r) => r.awsId));
      expect(resources.filter((r) => sourceIds.has(r.awsId))).toEqual([]);
    });
  }
});
