/**
 * Makers of realistic Kong-shaped entities, as the Admin API (Kong 3.x) returns them: every schema field
 * present, `null` for the unset ones, defaults filled, FKs as `{ id }`. Only `created_at`/`updated_at` are
 * left out, as a snapshot leaves them out. Deterministic: all randomness comes from the seeded `Rng`.
 */
import type { Entity } from '../src/core/index.ts';
import { CATALOGUE } from '../src/core/index.ts';
import { storedPluginConfig } from '../tools/kong-sim/kong-schema.ts';

/** mulberry32: a tiny, fast, seedable PRNG (no dependency, same sequence on every machine). */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  hex(length: number): string {
    let s = '';
    for (let i = 0; i < length; i++) s += '0123456789abcdef'[this.int(16)];
    return s;
  }
  uuid(): string {
    const h = this.hex(32);
    const variant = '89ab'[this.int(4)];
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
  base64(length: number): string {
    const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    let s = '';
    for (let i = 0; i < length; i++) s += abc[this.int(64)];
    return s;
  }
}

const TEAMS = ['payments', 'orders', 'search', 'identity', 'catalog', 'shipping'];
const ENVS = ['prod', 'staging'];

export function tagsFor(rng: Rng): string[] {
  return [`team:${rng.pick(TEAMS)}`, `env:${rng.pick(ENVS)}`];
}

function pem(rng: Rng, label: string, bodyLength: number): string {
  const body = rng.base64(bodyLength).replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

export function makeCertificate(rng: Rng): Entity {
  return {
    id: rng.uuid(),
    cert: pem(rng, 'CERTIFICATE', 1100),
    key: pem(rng, 'PRIVATE KEY', 1600),
    cert_alt: null,
    key_alt: null,
    tags: tagsFor(rng),
  };
}

export function makeCaCertificate(rng: Rng): Entity {
  return { id: rng.uuid(), cert: pem(rng, 'CERTIFICATE', 1100), cert_digest: rng.hex(64), tags: null };
}

export function makeSni(rng: Rng, name: string, certificateId: string): Entity {
  return { id: rng.uuid(), name, certificate: { id: certificateId }, tags: null };
}

export function makeService(rng: Rng, name: string, caCertificateIds: string[]): Entity {
  return {
    id: rng.uuid(),
    name,
    host: `${name}.internal.svc`,
    port: rng.pick([80, 8080, 443]),
    protocol: rng.pick(['http', 'https']),
    path: rng.next() < 0.5 ? null : `/${name}`,
    retries: 5,
    connect_timeout: 60000,
    write_timeout: 60000,
    read_timeout: 60000,
    tags: tagsFor(rng),
    client_certificate: null,
    tls_verify: null,
    tls_verify_depth: null,
    ca_certificates: caCertificateIds.length > 0 ? caCertificateIds : null,
    enabled: true,
  };
}

export function makeRoute(rng: Rng, name: string, serviceId: string): Entity {
  return {
    id: rng.uuid(),
    name,
    protocols: ['http', 'https'],
    methods: rng.next() < 0.5 ? null : ['GET', 'POST'],
    hosts: rng.next() < 0.3 ? [`${name}.example.com`] : null,
    paths: [`/${name}`],
    headers: null,
    https_redirect_status_code: 426,
    regex_priority: 0,
    strip_path: true,
    path_handling: 'v0',
    preserve_host: false,
    request_buffering: true,
    response_buffering: true,
    snis: null,
    sources: null,
    destinations: null,
    tags: tagsFor(rng),
    service: { id: serviceId },
  };
}

export function makeConsumer(rng: Rng, username: string): Entity {
  return { id: rng.uuid(), username, custom_id: null, tags: tagsFor(rng) };
}

export function makeUpstream(rng: Rng, name: string): Entity {
  return {
    id: rng.uuid(),
    name,
    algorithm: 'round-robin',
    hash_on: 'none',
    hash_fallback: 'none',
    hash_on_header: null,
    hash_fallback_header: null,
    hash_on_cookie: null,
    hash_on_cookie_path: '/',
    hash_on_query_arg: null,
    hash_fallback_query_arg: null,
    hash_on_uri_capture: null,
    hash_fallback_uri_capture: null,
    slots: 10000,
    healthchecks: structuredClone(CATALOGUE.upstreams.defaults.healthchecks),
    tags: tagsFor(rng),
    host_header: null,
    client_certificate: null,
    use_srv_name: false,
  };
}

export function makeTarget(rng: Rng, upstreamId: string, target: string): Entity {
  return { id: rng.uuid(), target, weight: 100, upstream: { id: upstreamId }, tags: null };
}

export const PLUGIN_NAMES = ['rate-limiting', 'key-auth', 'cors', 'request-transformer', 'acl', 'prometheus'];
/** key-auth, cors and acl take no consumer scope (their schema.lua: `consumer = typedefs.no_consumer`). */
export const CONSUMER_PLUGIN_NAMES = ['rate-limiting', 'request-transformer', 'prometheus'];

/** A plugin config as Kong 3.9 stores it: the chosen values plus the schema's defaults (kong-sim data). */
export function pluginConfig(rng: Rng, name: string): Record<string, unknown> {
  return storedPluginConfig(name, chosenConfig(rng, name));
}

function chosenConfig(rng: Rng, name: string): Record<string, unknown> {
  switch (name) {
    case 'rate-limiting':
      return {
        second: null,
        minute: 10 * (1 + rng.int(100)),
        hour: null,
        day: null,
        month: null,
        year: null,
        limit_by: 'consumer',
        header_name: null,
        path: null,
        policy: 'local',
        fault_tolerant: true,
        hide_client_headers: false,
        error_code: 429,
        error_message: 'API rate limit exceeded',
        sync_rate: -1,
        redis: {
          host: null,
          port: 6379,
          password: null,
          username: null,
          database: 0,
          timeout: 2000,
          ssl: false,
        },
      };
    case 'key-auth':
      return {
        key_names: ['apikey'],
        hide_credentials: false,
        anonymous: null,
        key_in_header: true,
        key_in_query: true,
        key_in_body: false,
        run_on_preflight: true,
        realm: null,
      };
    case 'cors':
      return {
        origins: [`https://${rng.pick(TEAMS)}.example.com`],
        methods: ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE', 'OPTIONS'],
        headers: null,
        exposed_headers: null,
        credentials: false,
        max_age: 3600,
        preflight_continue: false,
        private_network: false,
      };
    case 'request-transformer':
      return {
        http_method: null,
        remove: { body: [], headers: ['x-internal'], querystring: [] },
        rename: { body: [], headers: [], querystring: [] },
        replace: { body: [], headers: [], querystring: [], uri: null },
        add: { body: [], headers: [`x-team:${rng.pick(TEAMS)}`], querystring: [] },
        append: { body: [], headers: [], querystring: [] },
      };
    case 'acl':
      return {
        allow: [rng.pick(TEAMS)],
        deny: null,
        hide_groups_header: false,
      };
    default:
      return {
        per_consumer: false,
        status_code_metrics: true,
        latency_metrics: true,
        bandwidth_metrics: true,
      };
  }
}

export function makePlugin(
  rng: Rng,
  name: string,
  scope: { service?: string; route?: string; consumer?: string },
): Entity {
  return {
    id: rng.uuid(),
    name,
    instance_name: null,
    config: pluginConfig(rng, name),
    enabled: true,
    protocols: ['grpc', 'grpcs', 'http', 'https'],
    tags: tagsFor(rng),
    service: scope.service ? { id: scope.service } : null,
    route: scope.route ? { id: scope.route } : null,
    consumer: scope.consumer ? { id: scope.consumer } : null,
  };
}
