/**
 * The core's entity model takes its catalogue as data per gateway type: AWS API Gateway's kinds flow through
 * the same Snapshot, normalize, diff, plan and redact as Kong's, chosen by the snapshot's `meta.gateway`,
 * while a snapshot without one (every Kong snapshot) keeps Kong's catalogue.
 */
import { describe, expect, it } from 'vitest';
import {
  ALL_KINDS,
  AWS_APIGATEWAY_CATALOGUE,
  AWS_KINDS,
  AWS_SECTIONS,
  awsKeys,
  buildSnapshot,
  CATALOGUE,
  catalogueOf,
  catalogueOfCounts,
  diff,
  ENTITY_KINDS,
  type Entity,
  KONG_CATALOGUE,
  planRestore,
  REDACTED,
  redact,
  type Snapshot,
  sectionsRefusal,
  snapshotSchema,
} from '../../../src/core/index.ts';

const api = awsKeys.api('petstore');
const root = awsKeys.resource(api, '/');
const pets = awsKeys.resource(api, '/pets');
const pet = awsKeys.resource(api, '/pets/{petId}');
const getPets = awsKeys.method(pets, 'GET');

function awsSnapshot(entities: Snapshot['entities']): Snapshot {
  return buildSnapshot(
    {
      format: 1,
      gateway: 'aws-apigateway',
      kongVersion: 'apigateway 2015-07-09',
      edition: 'managed',
      database: 'unknown',
      workspace: null,
      takenAt: '2026-12-06T09:00:00.000Z',
    },
    entities,
  );
}

function byId(...es: Entity[]): Record<string, Entity> {
  return Object.fromEntries(es.map((e) => [e.id, e]));
}

function petstore(awsIds: { api: string; pets: string; key: string }, uri: string): Snapshot {
  return awsSnapshot({
    restapis: byId({ id: api, awsId: awsIds.api, name: 'petstore', apiKeySource: 'HEADER' }),
    resources: byId(
      { id: root, awsId: `${awsIds.api.slice(0, 5)}root0`, restApi: api, parent: null, path: '/' },
      { id: pets, awsId: awsIds.pets, restApi: api, parent: root, pathPart: 'pets', path: '/pets' },
      { id: pet, awsId: `${awsIds.pets.slice(0, 5)}child`, restApi: api, parent: pets, pathPart: '{petId}' },
    ),
    methods: byId({ id: getPets, resource: pets, httpMethod: 'GET', authorizationType: 'NONE' }),
    integrations: byId({ id: getPets, method: getPets, type: 'HTTP', uri, cacheNamespace: awsIds.pets }),
    api_keys: byId({
      id: 'partner',
      awsId: awsIds.key,
      name: 'partner',
      value: 'k3y-v4lue-0123456789abcdef',
    }),
  });
}

describe('catalogues as data per gateway type', () => {
  it('kind names are unique across gateway types, so one kind names one definition', () => {
    expect(new Set(ALL_KINDS).size).toBe(ENTITY_KINDS.length + AWS_KINDS.length);
    for (const kind of AWS_KINDS) expect(CATALOGUE[kind].kind).toBe(kind);
  });

  it('a snapshot without a gateway type is Kong\u2019s (every snapshot written before types existed)', () => {
    expect(catalogueOf(undefined)).toBe(KONG_CATALOGUE);
    expect(catalogueOf({})).toBe(KONG_CATALOGUE);
    expect(catalogueOf({ gateway: 'kong' })).toBe(KONG_CATALOGUE);
    expect(catalogueOf({ gateway: 'aws-apigateway' })).toBe(AWS_APIGATEWAY_CATALOGUE);
    expect(KONG_CATALOGUE.topDown).not.toContain('restapis');
  });

  it.each(AWS_KINDS)(
    '%s: every reference points at a kind of its own catalogue on a lower level, or itself',
    (kind) => {
      const def = CATALOGUE[kind];
      expect(AWS_SECTIONS as readonly string[]).toContain(def.section);
      for (const fk of def.foreignKeys) {
        expect(AWS_KINDS as readonly string[]).toContain(fk.references);
        if (fk.references !== kind)
          expect(CATALOGUE[fk.references].level, `${kind}.${fk.field}`).toBeLessThan(def.level);
      }
    },
  );

  it('the AWS create order: API, resources, methods, integrations, responses, stages, usage plans, keys', () => {
    const order = AWS_APIGATEWAY_CATALOGUE.topDown;
    const precedes = (a: string, b: string) =>
      expect(order.indexOf(a as never), `${a} before ${b}`).toBeLessThan(order.indexOf(b as never));
    precedes('restapis', 'resources');
    precedes('resources', 'methods');
    precedes('authorizers', 'methods');
    precedes('request_validators', 'methods');
    precedes('methods', 'integrations');
    precedes('integrations', 'integration_responses');
    precedes('method_responses', 'integration_responses');
    precedes('integration_responses', 'stages');
    precedes('stages', 'usage_plans');
    precedes('stages', 'base_path_mappings');
    precedes('usage_plans', 'usage_plan_keys');
    precedes('api_keys', 'usage_plan_keys');
  });
});

describe('an AWS snapshot through the shared pipeline', () => {
  const backup = petstore(
    { api: 'a1b2c3d4e5', pets: 'p0p0p0p0p0', key: 'k1k1k1k1k1' },
    'https://pets.example/v1',
  );

  it('parses with the snapshot schema, gateway type kept', () => {
    const parsed = snapshotSchema.parse(JSON.parse(JSON.stringify(backup)));
    expect(parsed.meta.gateway).toBe('aws-apigateway');
    expect(Object.keys(parsed.entities)).toEqual([
      'restapis',
      'resources',
      'methods',
      'integrations',
      'api_keys',
    ]);
  });

  it('ids AWS assigned are never a difference: the same API re-created elsewhere diffs empty', () => {
    const recreated = petstore(
      { api: 'zzzzzzzzzz', pets: 'yyyyyyyyyy', key: 'xxxxxxxxxx' },
      'https://pets.example/v1',
    );
    expect(diff(recreated, backup).changes).toEqual([]);
    expect(planRestore(recreated, backup).steps).toEqual([]);
  });

  it('a deleted resource and a changed integration plan parent-first creates and a field update', () => {
    const live = petstore(
      { api: 'a1b2c3d4e5', pets: 'p0p0p0p0p0', key: 'k1k1k1k1k1' },
      'https://pets.example/v2',
    );
    delete live.entities.resources?.[pet];
    delete live.entities.resources?.[pets];
    delete live.entities.methods?.[getPets];
    const plan = planRestore(live, backup);
    expect(plan.steps.map((s) => `${s.op} ${s.kind} ${s.id}`)).toEqual([
      `create resources ${pets}`,
      `create resources ${pet}`,
      `create methods ${getPets}`,
      `update integrations ${getPets}`,
    ]);
    expect(plan.steps.at(-1)?.fields).toEqual(['uri']);
    expect(plan.steps[0]?.name).toBe('petstore › /pets');
    expect(plan.steps[2]?.name).toBe('petstore › /pets › GET');
    expect(plan.refusals).toEqual([]);
  });

  it('deletes bottom-up: a method before its resource, the resource before its API', () => {
    const empty = awsSnapshot({});
    const plan = planRestore(backup, empty);
    const kinds = plan.steps.map((s) => s.kind);
    expect(kinds.indexOf('integrations')).toBeLessThan(kinds.indexOf('methods'));
    expect(kinds.indexOf('methods')).toBeLessThan(kinds.indexOf('resources'));
    expect(kinds.indexOf('resources')).toBeLessThan(kinds.indexOf('restapis'));
  });

  it('--only takes the AWS sections and refuses Kong\u2019s on an AWS snapshot', () => {
    const live = awsSnapshot({});
    expect(planRestore(live, backup, { only: ['api_keys'] }).steps.map((s) => s.kind)).toEqual(['api_keys']);
    expect(() => planRestore(live, backup, { only: ['services'] })).toThrow(
      /unknown section "services"; sections are: apis, stages, usage_plans, api_keys, domain_names, vpc_links, client_certificates/,
    );
  });

  it('an API key value is a secret: masked in plans and snapshots shown to people', () => {
    const plan = planRestore(awsSnapshot({}), backup, { only: ['api_keys'] });
    expect(JSON.stringify(redact(plan))).not.toContain('k3y-v4lue');
    expect(redact(plan).steps[0]?.body?.value).toBe(REDACTED);
    expect(JSON.stringify(redact(backup))).not.toContain('k3y-v4lue');
  });
});

describe('sections and names per gateway type', () => {
  it.each([
    [['stages', 'apis'], 'aws-apigateway', null],
    [['plugins'], 'kong', null],
    [['plugins'], null, null],
    [
      ['plugins', 'stages'],
      'aws-apigateway',
      'unknown section plugins for a AWS API Gateway connection; sections are: apis, stages, usage_plans, api_keys, domain_names, vpc_links, client_certificates',
    ],
    [['stages'], 'kong', /^unknown section stages for a Kong connection; sections are: services, routes/],
  ] as const)('--only %j on %s', (names, gateway, refusal) => {
    const got = sectionsRefusal(names, gateway);
    if (refusal === null) expect(got).toBeNull();
    else if (typeof refusal === 'string') expect(got).toBe(refusal);
    else expect(got).toMatch(refusal);
  });

  it('a backup names its gateway by the kinds it counts', () => {
    expect(catalogueOfCounts({ restapis: 1, resources: 3 }).title).toBe('AWS API Gateway');
    expect(catalogueOfCounts({ services: 2 }).title).toBe('Kong');
    expect(catalogueOfCounts(null).title).toBe('Kong');
  });
});
