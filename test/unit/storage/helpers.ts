/** Shared fixtures for storage tests: a small snapshot holding known secret values, key rings, temp dirs. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Snapshot } from '../../../src/core/snapshot.ts';
import {
  DirectoryCopyTarget,
  KeyRing,
  type WriteArtifactBase,
  writeArtifact,
} from '../../../src/storage/index.ts';

export const KNOWN_KEY_AUTH_KEY = 'kk-8f2b1c9e-known-key-auth-value-0001';
export const KNOWN_PRIVATE_KEY =
  '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC-known\n-----END PRIVATE KEY-----';

export function sampleSnapshot(): Snapshot {
  return {
    meta: {
      format: 1,
      kongVersion: '3.9.1',
      edition: 'community',
      database: 'postgres',
      workspace: null,
      takenAt: '2026-11-21T10:00:00.000Z',
      counts: { services: 1, consumers: 1, keyauth_credentials: 1, certificates: 1 },
    },
    entities: {
      services: {
        's-1': {
          id: 's-1',
          name: 'orders',
          host: 'orders.internal',
          port: 8080,
          protocol: 'http',
          tags: ['b', 'a'],
        },
      },
      consumers: { 'c-1': { id: 'c-1', username: 'alice', custom_id: null } },
      keyauth_credentials: {
        'k-1': { id: 'k-1', consumer: { id: 'c-1' }, key: KNOWN_KEY_AUTH_KEY, ttl: null },
      },
      certificates: {
        'cert-1': { id: 'cert-1', cert: 'CERT', key: KNOWN_PRIVATE_KEY, snis: ['orders.example'] },
      },
    },
  };
}

export const KEY_A = Buffer.alloc(32, 0xa1);
export const KEY_B = Buffer.alloc(32, 0xb2);

export function ringA(): KeyRing {
  return KeyRing.of([{ id: 'key-a', key: KEY_A, current: true }]);
}

/** Both keys, B current (after a rotation from A to B). */
export function ringAB(): KeyRing {
  return KeyRing.of([
    { id: 'key-a', key: KEY_A },
    { id: 'key-b', key: KEY_B, current: true },
  ]);
}

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'snapgate-storage-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

type WriteBase = Pick<WriteArtifactBase, 'backupId' | 'connection' | 'environment' | 'type' | 'createdAt'>;

/**
 * `write(dir, extra?)`: writeArtifact of the sample snapshot (or `extra.snapshot`) under key A into `dir`,
 * on top of `base`.
 */
export function sampleWriter(base: WriteBase) {
  return (
    primaryDir: string,
    { snapshot, ...extra }: Partial<WriteArtifactBase> & { snapshot?: Snapshot } = {},
  ) =>
    writeArtifact({
      ...base,
      snapshot: snapshot ?? sampleSnapshot(),
      keyRing: ringA(),
      primary: new DirectoryCopyTarget(primaryDir),
      ...extra,
    });
}
