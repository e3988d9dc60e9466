/**
 * Account-level entities that name APIs: API keys, usage plans and their keys, custom domain names and
 * their base path mappings. Rules that decide a restore's order: a usage plan's API stages must exist; a
 * usage plan key needs the plan and the key; a base path mapping needs its domain name, its API and (when
 * named) the stage. Deleting an API key removes it from every usage plan.
 */
import { badRequest, conflict, notFound } from './errors.ts';
import { page } from './pagination.ts';
import { applyPatch } from './patch.ts';
import { accepted, type Call, created, ok, type Router } from './router.ts';
import { API_KEY, BASE_PATH_MAPPING, DOMAIN_NAME, USAGE_PLAN } from './schemas.ts';
import type { DomainNameState, Json, UsagePlanState } from './store.ts';

const NO_BASE_PATH = '(none)';

function pick(body: Json, fields: readonly string[]): Json {
  const out: Json = {};
  for (const f of fields) if (body[f] !== undefined && body[f] !== null) out[f] = body[f];
  return out;
}

// --- API keys -------------------------------------------------------------------------------------------

function apiKeyOf(call: Call, id = call.params.apiKey as string): Json {
  const k = call.store.apiKeys.get(id);
  if (!k) throw notFound('Invalid API Key identifier specified');
  return k;
}

function keyView(k: Json, withValue: boolean): Json {
  if (withValue) return k;
  const { value: _value, ...rest } = k;
  return rest;
}

function createApiKey(call: Call) {
  const { store, body } = call;
  const value = body.value ?? store.ids.apiKeyValue();
  if (typeof value !== 'string' || value.length < 20)
    throw badRequest('API Key value should be at least 20 characters');
  for (const k of store.apiKeys.values())
    if (k.value === value) throw conflict('API Key value already exists');
  const now = store.now();
  const key = {
    id: store.ids.id(),
    value,
    enabled: false,
    createdDate: now,
    lastUpdatedDate: now,
    stageKeys: [],
    ...pick(body, ['name', 'description', 'enabled', 'customerId', 'tags']),
  };
  store.apiKeys.set(key.id, key);
  return created(key);
}

// --- usage plans ----------------------------------------------------------------------------------------

function planOf(call: Call): UsagePlanState {
  const p = call.store.usagePlans.get(call.params.usagePlanId as string);
  if (!p) throw notFound('Invalid Usage Plan ID specified');
  return p;
}

function checkApiStages(call: Call, stages: unknown): void {
  if (stages === undefined) return;
  if (!Array.isArray(stages)) throw badRequest('apiStages must be a list');
  for (const s of stages as Json[]) {
    const api = call.store.restApis.get(s.apiId as string);
    if (!api) throw notFound(`Invalid API identifier specified ${call.store.accountId}:${String(s.apiId)}`);
    if (!api.stages.has(s.stage as string)) throw notFound(`Invalid stage identifier specified`);
  }
}

function patchApiStages(call: Call) {
  return (target: Json, op: string, segments: string[], value: string | undefined): boolean => {
    if (segments[0] !== 'apiStages') return false;
    const stages = [...((target.apiStages as Json[] | undefined) ?? [])];
    if (segments.length !== 1 || typeof value !== 'string' || !value.includes(':')) {
      throw badRequest(`Invalid patch value '${String(value)}' for /apiStages: expected <apiId>:<stage>`);
    }
    const [apiId, stage] = value.split(':');
    if (op === 'add') {
      checkApiStages(call, [{ apiId, stage }]);
      if (!stages.some((s) => s.apiId === apiId && s.stage === stage)) stages.push({ apiId, stage });
    } else if (op === 'remove') {
      const at = stages.findIndex((s) => s.apiId === apiId && s.stage === stage);
      if (at < 0) throw notFound(`Invalid API stage specified: ${value}`);
      stages.splice(at, 1);
    } else {
      throw badRequest(`Invalid patch operation specified for /apiStages. Must be one of: [add, remove]`);
    }
    target.apiStages = stages;
    return true;
  };
}

function planKeyView(call: Call, keyId: string): Json {
  const k = apiKeyOf(call, keyId);
  return { id: keyId, type: 'API_KEY', value: k.value, name: k.name };
}

// --- domain names ---------------------------------------------------------------------------------------

function domainOf(call: Call): DomainNameState {
  const d = call.store.domainNames.get(call.params.domainName as string);
  if (!d) throw notFound('Invalid domain name identifier specified');
  return d;
}

function createDomainName(call: Call) {
  const { store, body } = call;
  const name = body.domainName;
  if (typeof name !== 'string' || !/^[a-z0-9*]([a-z0-9.-]*[a-z0-9])?$/i.test(name)) {
    throw badRequest('Invalid domain name specified');
  }
  if (store.domainNames.has(name)) throw conflict('The domain name you provided already exists.');
  const types = ((body.endpointConfiguration as Json | undefined)?.types as string[] | undefined) ?? ['EDGE'];
  const regional = types.includes('REGIONAL');
  if (regional ? !body.regionalCertificateArn : !body.certificateArn) {
    throw badRequest(
      regional
        ? 'A regional certificate ARN is required for a REGIONAL domain name'
        : 'A certificate ARN is required for an EDGE domain name',
    );
  }
  const suffix = store.ids.id();
  const fields: Json = {
    domainName: name,
    endpointConfiguration: { types },
    securityPolicy: 'TLS_1_2',
    domainNameStatus: 'AVAILABLE',
    ...(regional
      ? {
          regionalDomainName: `d-${suffix}.execute-api.${'eu-west-1'}.amazonaws.com`,
          regionalHostedZoneId: 'ZLY8HYME6SFDD',
        }
      : {
          distributionDomainName: `d${suffix}.cloudfront.net`,
          distributionHostedZoneId: 'Z2FDTNDATAQYW2',
          certificateUploadDate: store.now(),
        }),
    ...pick(body, [
      'certificateName',
      'certificateArn',
      'regionalCertificateName',
      'regionalCertificateArn',
      'securityPolicy',
      'mutualTlsAuthentication',
      'tags',
    ]),
  };
  store.domainNames.set(name, { fields, mappings: new Map() });
  return created(fields);
}

function checkMapping(call: Call, m: Json): void {
  const api = call.store.restApis.get(m.restApiId as string);
  if (!api) throw badRequest('Invalid REST API identifier specified');
  if (m.stage !== undefined && m.stage !== null && !api.stages.has(m.stage as string)) {
    throw badRequest('Invalid stage identifier specified');
  }
}

function mappingOf(call: Call, d = domainOf(call)): Json {
  const m = d.mappings.get(call.params.basePath as string);
  if (!m) throw notFound('Invalid base path mapping identifier specified');
  return m;
}

export function registerAccount(router: Router): void {
  router
    .add('POST', '/apikeys', createApiKey)
    .add('GET', '/apikeys', (call) => {
      const withValues = call.query.get('includeValues') === 'true';
      const name = call.query.get('name');
      const customerId = call.query.get('customerId');
      const keys = [...call.store.apiKeys.values()].filter(
        (k) =>
          (!name || String(k.name ?? '').startsWith(name)) && (!customerId || k.customerId === customerId),
      );
      return ok(
        page(
          keys.map((k) => keyView(k, withValues)),
          call.query,
        ),
      );
    })
    .add('GET', '/apikeys/{apiKey}', (call) =>
      ok(keyView(apiKeyOf(call), call.query.get('includeValue') === 'true')),
    )
    .add('PATCH', '/apikeys/{apiKey}', (call) => {
      const next = applyPatch(apiKeyOf(call), call.body.patchOperations, API_KEY);
      next.lastUpdatedDate = call.store.now();
      call.store.apiKeys.set(next.id as string, next);
      return ok(keyView(next, false));
    })
    .add('DELETE', '/apikeys/{apiKey}', (call) => {
      const k = apiKeyOf(call);
      call.store.apiKeys.delete(k.id as string);
      for (const p of call.store.usagePlans.values()) p.keys.delete(k.id as string);
      return accepted();
    })
    .add('POST', '/usageplans', (call) => {
      const { store, body } = call;
      if (typeof body.name !== 'string' || body.name.length === 0)
        throw badRequest('Usage plan name must be specified');
      checkApiStages(call, body.apiStages);
      const fields = {
        id: store.ids.id(),
        apiStages: [],
        ...pick(body, ['name', 'description', 'apiStages', 'throttle', 'quota', 'tags']),
      };
      store.usagePlans.set(fields.id, { fields, keys: new Set() });
      return created(fields);
    })
    .add('GET', '/usageplans', (call) => {
      const keyId = call.query.get('keyId');
      const plans = [...call.store.usagePlans.values()].filter((p) => !keyId || p.keys.has(keyId));
      return ok(
        page(
          plans.map((p) => p.fields),
          call.query,
        ),
      );
    })
    .add('GET', '/usageplans/{usagePlanId}', (call) => ok(planOf(call).fields))
    .add('PATCH', '/usageplans/{usagePlanId}', (call) => {
      const p = planOf(call);
      p.fields = applyPatch(p.fields, call.body.patchOperations, USAGE_PLAN, patchApiStages(call));
      return ok(p.fields);
    })
    .add('DELETE', '/usageplans/{usagePlanId}', (call) => {
      planOf(call);
      call.store.usagePlans.delete(call.params.usagePlanId as string);
      return accepted();
    })
    .add('POST', '/usageplans/{usagePlanId}/keys', (call) => {
      const p = planOf(call);
      const keyId = call.body.keyId as string;
      if (call.body.keyType !== 'API_KEY') throw badRequest('Invalid key type specified. Must be API_KEY');
      apiKeyOf(call, keyId);
      if (p.keys.has(keyId))
        throw conflict(`Usage Plan ${String(p.fields.id)} already contains API Key ${keyId}`);
      p.keys.add(keyId);
      return created(planKeyView(call, keyId));
    })
    .add('GET', '/usageplans/{usagePlanId}/keys', (call) => {
      const name = call.query.get('name');
      const keys = [...planOf(call).keys].map((id) => planKeyView(call, id));
      return ok(
        page(
          keys.filter((k) => !name || String(k.name ?? '').startsWith(name)),
          call.query,
        ),
      );
    })
    .add('GET', '/usageplans/{usagePlanId}/keys/{keyId}', (call) => {
      const p = planOf(call);
      const keyId = call.params.keyId as string;
      if (!p.keys.has(keyId)) throw notFound('Invalid Usage Plan Key identifier specified');
      return ok(planKeyView(call, keyId));
    })
    .add('DELETE', '/usageplans/{usagePlanId}/keys/{keyId}', (call) => {
      const p = planOf(call);
      if (!p.keys.delete(call.params.keyId as string))
        throw notFound('Invalid Usage Plan Key identifier specified');
      return accepted();
    })
    .add('POST', '/domainnames', createDomainName)
    .add('GET', '/domainnames', (call) =>
      ok(
        page(
          [...call.store.domainNames.values()].map((d) => d.fields),
          call.query,
        ),
      ),
    )
    .add('GET', '/domainnames/{domainName}', (call) => ok(domainOf(call).fields))
    .add('PATCH', '/domainnames/{domainName}', (call) => {
      const d = domainOf(call);
      d.fields = applyPatch(d.fields, call.body.patchOperations, DOMAIN_NAME);
      return ok(d.fields);
    })
    .add('DELETE', '/domainnames/{domainName}', (call) => {
      domainOf(call);
      call.store.domainNames.delete(call.params.domainName as string);
      return accepted();
    })
    .add('POST', '/domainnames/{domainName}/basepathmappings', (call) => {
      const d = domainOf(call);
      const basePath = (call.body.basePath as string | undefined) || NO_BASE_PATH;
      const m: Json = { basePath, ...pick(call.body, ['restApiId', 'stage']) };
      checkMapping(call, m);
      if (d.mappings.has(basePath)) throw conflict('Base path already exists for this domain name');
      d.mappings.set(basePath, m);
      return created(m);
    })
    .add('GET', '/domainnames/{domainName}/basepathmappings', (call) =>
      ok(page([...domainOf(call).mappings.values()], call.query)),
    )
    .add('GET', '/domainnames/{domainName}/basepathmappings/{basePath}', (call) => ok(mappingOf(call)))
    .add('PATCH', '/domainnames/{domainName}/basepathmappings/{basePath}', (call) => {
      const d = domainOf(call);
      const current = mappingOf(call, d);
      const patched = applyPatch(
        { basePath: current.basePath, restapiId: current.restApiId, stage: current.stage },
        call.body.patchOperations,
        BASE_PATH_MAPPING,
      );
      const next: Json = { basePath: patched.basePath || NO_BASE_PATH, restApiId: patched.restapiId };
      if (patched.stage !== undefined) next.stage = patched.stage;
      checkMapping(call, next);
      d.mappings.delete(current.basePath as string);
      d.mappings.set(next.basePath as string, next);
      return ok(next);
    })
    .add('DELETE', '/domainnames/{domainName}/basepathmappings/{basePath}', (call) => {
      const d = domainOf(call);
      mappingOf(call, d);
      d.mappings.delete(call.params.basePath as string);
      return accepted();
    });
}
