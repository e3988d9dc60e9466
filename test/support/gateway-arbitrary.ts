/**
 * fast-check arbitraries of small Kong gateways with valid foreign keys and unique constraints, for
 * property tests across snapgate (core engine, kong-sim, apply). Ids and names come from small shared
 * pools, so two generated gateways overlap: same id with other content (updates), same name with another
 * id (renames), ids only on one side (creates and deletes).
 *
 * Candidates are generated freely, then `sanitizeGateway` drops whatever Kong would refuse: duplicate
 * ids, unique-constraint clashes and references to missing parents (in level order, so children of a
 * dropped parent go too).
 */
import fc from 'fast-check';
import {
  buildSnapshot,
  CATALOGUE,
  ENTITY_KINDS,
  type Entity,
  type EntityKind,
  type EntityMap,
  KINDS_TOP_DOWN,
  memberId,
  normalizeEntity,
  type Snapshot,
} from '../../src/core/index.ts';

const POOL = 4;

/** A UUID-shaped id from a per-kind pool: stable, readable in failures, accepted where Kong wants a UUID. */
export function poolId(kind: EntityKind, i: number): string {
  const k = ENTITY_KINDS.indexOf(kind).toString(16).padStart(2, '0');
  return `00000000-0000-4000-8000-${k}${i.toString(16).padStart(10, '0')}`;
}

const idOf = (kind: EntityKind) => fc.nat(POOL - 1).map((i) => poolId(kind, i));
const ref = (kind: EntityKind) => idOf(kind).map((id) => ({ id }));
const optRef = (kind: EntityKind) => fc.option(ref(kind), { nil: null });
const name = (prefix: string) => fc.nat(3).map((i) => `${prefix}${i}`);
const tags = fc.option(fc.shuffledSubarray(['a', 'b', 'c']), { nil: null });
const pemOf = (label: string) =>
  fc.nat(3).map((i) => `-----BEGIN ${label}-----\nMII${i}\n-----END ${label}-----\n`);

const ARBS: Partial<Record<EntityKind, fc.Arbitrary<Entity>>> = {
  certificates: fc.record({
    id: idOf('certificates'),
    cert: pemOf('CERTIFICATE'),
    key: pemOf('PRIVATE KEY'),
    cert_alt: fc.constant(null),
    key_alt: fc.constant(null),
    tags,
  }),
  ca_certificates: fc
    .record({ id: idOf('ca_certificates'), cert: pemOf('CERTIFICATE'), tags })
    .map((e) => ({ ...e, cert_digest: `digest-of-${e.cert.length}-${e.cert.slice(20, 24)}` })),
  consumers: fc.record({
    id: idOf('consumers'),
    username: name('user'),
    custom_id: fc.option(name('cust'), { nil: null }),
    tags,
  }),
  key_sets: fc.record({ id: idOf('key_sets'), name: name('set'), tags }),
  vaults: fc.record({
    id: idOf('vaults'),
    prefix: name('vault'),
    name: fc.constant('env'),
    description: fc.constant(null),
    config: fc.record({ prefix: fc.constantFrom('SG_', 'KONG_') }),
    tags,
  }),
  services: fc.record({
    id: idOf('services'),
    name: name('svc'),
    host: fc.constantFrom('a.internal', 'b.internal'),
    port: fc.constantFrom(80, 443),
    protocol: fc.constantFrom('http', 'https'),
    path: fc.option(fc.constantFrom('/v1', '/v2'), { nil: null }),
    retries: fc.constant(5),
    connect_timeout: fc.constant(60000),
    read_timeout: fc.constantFrom(60000, 1000),
    write_timeout: fc.constant(60000),
    client_certificate: optRef('certificates'),
    ca_certificates: fc.option(fc.uniqueArray(idOf('ca_certificates'), { maxLength: 2 }), { nil: null }),
    tls_verify: fc.constant(null),
    enabled: fc.boolean(),
    tags,
  }),
  upstreams: fc.record({
    id: idOf('upstreams'),
    name: name('up'),
    algorithm: fc.constantFrom('round-robin', 'least-connections'),
    slots: fc.constant(10000),
    client_certificate: optRef('certificates'),
    tags,
  }),
  snis: fc.record({
    id: idOf('snis'),
    name: name('host').map((n) => `${n}.example.com`),
    certificate: ref('certificates'),
    tags,
  }),
  keys: fc.record({
    id: idOf('keys'),
    name: name('key'),
    kid: name('kid'),
    set: optRef('key_sets'),
    jwk: fc.constant(null),
    pem: fc.record({ public_key: pemOf('PUBLIC KEY'), private_key: pemOf('PRIVATE KEY') }),
    tags,
  }),
  consumer_groups: fc.record({ id: idOf('consumer_groups'), name: name('group'), tags }),
  keyauth_credentials: fc.record({
    id: idOf('keyauth_credentials'),
    consumer: ref('consumers'),
    key: name('secret-key-'),
    ttl: fc.constant(null),
    tags,
  }),
  basicauth_credentials: fc.record({
    id: idOf('basicauth_credentials'),
    consumer: ref('consumers'),
    username: name('basic'),
    password: fc.constantFrom('5baa61e4c9b93f3f', 'a94a8fe5ccb19ba6'),
    tags,
  }),
  acls: fc.record({ id: idOf('acls'), consumer: ref('consumers'), group: name('acl'), tags }),
  oauth2_credentials: fc.record({
    id: idOf('oauth2_credentials'),
    consumer: ref('consumers'),
    name: name('app'),
    client_id: name('client'),
    client_secret: fc.constantFrom('s3cret', 'hunter2'),
    hash_secret: fc.boolean(),
    redirect_uris: fc.option(fc.constant(['https://app.example.com/cb']), { nil: null }),
    client_type: fc.constant('confidential'),
    tags,
  }),
  mtls_auth_credentials: fc.record({
    id: idOf('mtls_auth_credentials'),
    consumer: ref('consumers'),
    subject_name: name('CN=client'),
    ca_certificate: optRef('ca_certificates'),
    tags,
  }),
  routes: fc
    .record({
      id: idOf('routes'),
      name: fc.option(name('route'), { nil: null }),
      service: optRef('services'),
      protocols: fc.shuffledSubarray(['http', 'https'], { minLength: 1 }),
      methods: fc.option(fc.shuffledSubarray(['GET', 'POST', 'PUT'], { minLength: 1 }), { nil: null }),
      hosts: fc.option(fc.shuffledSubarray(['x.com', 'y.com'], { minLength: 1 }), { nil: null }),
      paths: fc.option(fc.constantFrom(['/a'], ['/b'], ['/a', '/b']), { nil: null }),
      strip_path: fc.boolean(),
      tags,
    })
    .filter((r) => r.paths !== null || r.hosts !== null || r.methods !== null),
  targets: fc.record({
    id: idOf('targets'),
    upstream: ref('upstreams'),
    target: fc.constantFrom('10.0.0.1', '10.0.0.1:8000', '10.0.0.2:9000', '[::1]', 'api.example.com'),
    weight: fc.constantFrom(100, 50),
    tags,
  }),
  consumer_group_members: fc
    .record({ consumer_group: ref('consumer_groups'), consumer: ref('consumers') })
    .map((m) => ({ id: memberId(m.consumer_group.id, m.consumer.id), ...m })),
  plugins: fc.record({
    id: idOf('plugins'),
    name: fc.constantFrom('rate-limiting', 'key-auth', 'cors'),
    instance_name: fc.constant(null),
    enabled: fc.boolean(),
    config: fc.record({
      minute: fc.option(fc.constantFrom(5, 10), { nil: null }),
      policy: fc.constant('local'),
    }),
    protocols: fc.shuffledSubarray(['grpc', 'grpcs', 'http', 'https'], { minLength: 1 }),
    service: optRef('services'),
    route: optRef('routes'),
    consumer: optRef('consumers'),
    consumer_group: optRef('consumer_groups'),
    tags,
  }),
};

function refIds(e: Entity, field: string, array: boolean | undefined): string[] {
  const v = e[field];
  if (array) return Array.isArray(v) ? (v as string[]) : [];
  return v && typeof v === 'object' ? [String((v as { id: unknown }).id)] : [];
}

/** Unique-constraint key over normalized values; null when a single-field constraint is unset (no clash). */
function uniqueKey(kind: EntityKind, n: Entity, fields: readonly string[]): string | null {
  const parts = fields.map((f) => {
    const v = n[f];
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as { id: unknown }).id : v;
  });
  if (fields.length === 1 && parts[0] === undefined) return null;
  return `${kind}|${fields.join(',')}|${JSON.stringify(parts)}`;
}

/** Drops what Kong would refuse: duplicate ids, unique clashes, dangling references. */
export function sanitizeGateway(candidates: Partial<Record<EntityKind, Entity[]>>): Snapshot {
  const entities: Partial<Record<EntityKind, EntityMap>> = {};
  for (const kind of KINDS_TOP_DOWN) {
    const list = candidates[kind];
    if (!list) continue;
    const def = CATALOGUE[kind];
    const map: EntityMap = {};
    const seen = new Set<string>();
    for (const candidate of list) {
      if (map[candidate.id]) continue;
      const e: Entity = { ...candidate };
      let ok = true;
      for (const fk of def.foreignKeys) {
        const present = refIds(e, fk.field, fk.array).filter((id) => entities[fk.references]?.[id]);
        if (fk.array) {
          if (Array.isArray(e[fk.field])) e[fk.field] = present.length > 0 ? present : null;
        } else if (refIds(e, fk.field, false).length > present.length) {
          if (fk.required) ok = false;
          else e[fk.field] = null;
        }
      }
      if (!ok) continue;
      const n = normalizeEntity(kind, e);
      const keys = def.unique.map((u) => uniqueKey(kind, n, u)).filter((k): k is string => k !== null);
      if (keys.some((k) => seen.has(k))) continue;
      for (const k of keys) seen.add(k);
      map[e.id] = e;
    }
    entities[kind] = map;
  }
  return buildSnapshot(
    {
      format: 1,
      kongVersion: '3.9.1',
      edition: 'enterprise',
      database: 'postgres',
      workspace: null,
      takenAt: '2025-01-01T00:00:00.000Z',
    },
    entities,
  );
}

const candidatesArbitrary = fc.record(
  Object.fromEntries(
    Object.entries(ARBS).map(([kind, arb]) => [kind, fc.array(arb, { maxLength: 5 })]),
  ) as Record<EntityKind, fc.Arbitrary<Entity[]>>,
);

/** One small gateway with valid foreign keys and unique constraints. */
export const gatewayArbitrary: fc.Arbitrary<Snapshot> = candidatesArbitrary.map(sanitizeGateway);

/** Two gateways drawn from the same id and name pools: [current, target]. */
export const snapshotPairArbitrary: fc.Arbitrary<[Snapshot, Snapshot]> = fc.tuple(
  gatewayArbitrary,
  gatewayArbitrary,
);
