/**
 * Artifact speed on a ~146k-entity gateway: write (serialize + compress + encrypt + fsync + read-back check),
 * open (decrypt + parse) and verify (sha256 + decrypt + snapshotSchema). Prints wall and CPU milliseconds
 * per step for both compressions, then one JSON line. The snapshot is generated here (seeded, Kong-shaped
 * entities) so the bench needs nothing but this repository.
 *   npm run bench:artifact [-- --entities 146000]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Snapshot } from '../src/core/snapshot.ts';
import { KeyRing, openArtifact, verifyArtifactFile, writeArtifact } from '../src/storage/index.ts';

const arg = process.argv.indexOf('--entities');
const target = arg > 0 ? Number(process.argv[arg + 1]) : 146_000;

let seed = 42;
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed;
};
// Low LCG bits cycle quickly, so take high bits; a counter makes every id unique.
let counter = 0;
const hex = (n: number) => Array.from({ length: n }, () => ((rand() >>> 16) & 15).toString(16)).join('');
const uuid = () => `${(counter++).toString(16).padStart(8, '0')}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;

function gateway(total: number): Snapshot {
  const share = {
    services: 0.07,
    routes: 0.14,
    consumers: 0.34,
    keyauth_credentials: 0.34,
    plugins: 0.07,
    targets: 0.04,
  };
  const e: Record<string, Record<string, Record<string, unknown>>> = {};
  const add = (kind: string, entity: Record<string, unknown>) => {
    e[kind] ??= {};
    e[kind]![entity.id as string] = entity;
  };
  const services: string[] = [];
  const consumers: string[] = [];
  for (let i = 0; i < total * share.services; i++) {
    const id = uuid();
    services.push(id);
    add('services', {
      id,
      name: `svc-${i}`,
      protocol: 'http',
      host: `svc-${i}.internal`,
      port: 8080,
      path: null,
      retries: 5,
      connect_timeout: 60000,
      write_timeout: 60000,
      read_timeout: 60000,
      tags: ['team-a', `tier-${i % 3}`],
      client_certificate: null,
      tls_verify: null,
      tls_verify_depth: null,
      ca_certificates: null,
      enabled: true,
    });
  }
  for (let i = 0; i < total * share.routes; i++) {
    add('routes', {
      id: uuid(),
      name: `route-${i}`,
      protocols: ['http', 'https'],
      methods: ['GET', 'POST'],
      hosts: [`api${i % 50}.example.com`],
      paths: [`/v1/r${i}`],
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
      tags: [],
      service: { id: services[i % services.length] },
    });
  }
  for (let i = 0; i < total * share.consumers; i++) {
    const id = uuid();
    consumers.push(id);
    add('consumers', { id, username: `user-${i}@example.com`, custom_id: `cust-${i}`, tags: ['import'] });
  }
  for (let i = 0; i < total * share.keyauth_credentials; i++) {
    add('keyauth_credentials', {
      id: uuid(),
      key: uuid().replace(/-/g, ''),
      ttl: null,
      tags: null,
      consumer: { id: consumers[i % consumers.length] },
    });
  }
  for (let i = 0; i < total * share.plugins; i++) {
    add('plugins', {
      id: uuid(),
      name: 'rate-limiting',
      enabled: true,
      protocols: ['grpc', 'grpcs', 'http', 'https'],
      tags: null,
      service: { id: services[i % services.length] },
      route: null,
      consumer: null,
      config: {
        minute: 100 + (i % 50),
        hour: null,
        policy: 'local',
        fault_tolerant: true,
        hide_client_headers: false,
        redis: { host: null, port: 6379, timeout: 2000, database: 0 },
        limit_by: 'consumer',
        path: null,
      },
    });
  }
  for (let i = 0; i < total * share.targets; i++) {
    add('targets', {
      id: uuid(),
      target: `10.0.${(i >> 8) & 255}.${i & 255}:8000`,
      weight: 100,
      tags: null,
      upstream: { id: services[0] },
    });
  }
  const counts = Object.fromEntries(Object.entries(e).map(([k, m]) => [k, Object.keys(m).length]));
  return {
    meta: {
      format: 1,
      kongVersion: '3.9.1',
      edition: 'community',
      database: 'postgres',
      workspace: null,
      takenAt: '2026-11-21T10:00:00.000Z',
      counts,
    },
    entities: e,
  };
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
async function measure<T>(fn: () => Promise<T>): Promise<{ value: T; wallMs: number; cpuMs: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const [w, c] = [performance.now(), cpuMs()];
  const value = await fn();
  return { value, wallMs: Math.round(performance.now() - w), cpuMs: Math.round(cpuMs() - c) };
}

const snapshot = gateway(target);
const entities = Object.values(snapshot.entities).reduce((n, m) => n + Object.keys(m ?? {}).length, 0);
const jsonBytes = JSON.stringify(snapshot).length;
const stringify = await measure(async () => JSON.stringify(snapshot).length);
const keyRing = KeyRing.of([{ id: 'bench', key: Buffer.alloc(32, 7), current: true }]);
const dir = await mkdtemp(join(tmpdir(), 'snapgate-bench-'));
const results: Record<string, unknown> = {};
try {
  for (const compression of ['brotli', 'gzip'] as const) {
    const write = await measure(() =>
      writeArtifact({
        snapshot,
        backupId: `bench-${compression}`,
        connection: 'bench',
        environment: 'bench',
        type: 'manual',
        keyRing,
        primaryDir: dir,
        compression,
      }),
    );
    const open = await measure(() => openArtifact(write.value.path, keyRing));
    const verify = await measure(() => verifyArtifactFile(write.value.path, keyRing, write.value.sha256));
    if (!verify.value.ok) throw new Error(`verify failed: ${verify.value.problems.join('; ')}`);
    const row = {
      writeMs: write.wallMs,
      writeCpuMs: write.cpuMs,
      openMs: open.wallMs,
      verifyMs: verify.wallMs,
      artifactBytes: write.value.bytes,
    };
    console.log(compression, row);
    results[compression] = row;
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
console.log(
  JSON.stringify({
    bench: 'artifact',
    entities,
    jsonBytes,
    jsonStringifyMs: stringify.wallMs,
    ...results,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
