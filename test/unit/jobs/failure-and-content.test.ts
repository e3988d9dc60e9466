/** Pure pieces of the jobs module: failure classification, the content fingerprint, notifier fan-out. */
import { describe, expect, it } from 'vitest';
import {
  CompositeNotifier,
  ConsoleNotifier,
  contentSha256,
  describeFailure,
  KeyRingUnavailableError,
  type Notifier,
  scheduledBackupId,
} from '../../../src/app/index.ts';
import { parseSince } from '../../../src/cli/commands/audit.ts';
import { classifyGatewayError } from '../../../src/compose/gateways.ts';
import { buildSnapshot } from '../../../src/core/index.ts';
import { KongApiError, KongAuthError, KongUnreachableError } from '../../../src/kong/index.ts';
import { ArtifactKeyError, entitiesSha256 } from '../../../src/storage/index.ts';

const ctx = { connection: 'prod', address: 'http://kong:8001', classifyGatewayError };
const fsError = (code: string) =>
  Object.assign(new Error(`${code}: failed, open '/data/x'`), { code, path: '/data/x' });

/** The live fingerprint as the restore job takes it, over storage's entity hashing. */
const fingerprint = (snapshot: Parameters<typeof contentSha256>[1]) =>
  contentSha256({ entitiesSha256 }, snapshot);

describe('describeFailure', () => {
  const cases: { name: string; err: unknown; reason: RegExp; retryable: boolean; code: string }[] = [
    {
      name: 'gateway down',
      code: 'gateway_unreachable',
      err: new KongUnreachableError({
        baseUrl: 'http://kong:8001',
        reason: 'connection refused',
        method: 'GET',
        path: '/',
      }),
      reason: /^gateway down: cannot reach Kong at http:\/\/kong:8001: connection refused$/,
      retryable: true,
    },
    {
      name: 'wrong token',
      code: 'gateway_auth',
      err: new KongAuthError({
        status: 401,
        method: 'GET',
        path: '/',
        body: { message: 'Invalid authentication credentials' },
      }),
      reason:
        /^wrong token: Kong rejected the admin token \(401\) at http:\/\/kong:8001; check .* connection prod/,
      retryable: false,
    },
    {
      name: '503',
      code: 'gateway_error',
      err: new KongApiError({
        status: 503,
        method: 'GET',
        path: '/services',
        body: { message: 'unavailable' },
      }),
      reason: /^gateway error: Kong rejected GET \/services \(503\)/,
      retryable: true,
    },
    {
      name: '400',
      code: 'gateway_error',
      err: new KongApiError({ status: 400, method: 'GET', path: '/services', body: { message: 'bad' } }),
      reason: /^gateway error:/,
      retryable: false,
    },
    {
      name: 'read-only fs',
      code: 'storage',
      err: fsError('EROFS'),
      reason: /^storage not writable: EROFS on \/data\/x/,
      retryable: false,
    },
    {
      name: 'disk full',
      code: 'storage',
      err: fsError('ENOSPC'),
      reason: /^storage not writable: ENOSPC/,
      retryable: true,
    },
    {
      name: 'no key ring',
      code: 'key_missing',
      err: new KeyRingUnavailableError('a key ring needs exactly one current key (found 0)'),
      reason: /^key missing: a key ring needs exactly one current key/,
      retryable: false,
    },
    {
      name: 'artifact key',
      code: 'key_missing',
      err: new ArtifactKeyError(
        'artifact x is encrypted with key "k0", which is not in the key ring',
        'x',
        'k0',
      ),
      reason: /^key missing: .*add key "k0"/,
      retryable: false,
    },
    {
      name: 'other',
      code: 'unexpected',
      err: new Error('boom\nstack'),
      reason: /^unexpected error: boom$/,
      retryable: true,
    },
  ];
  it.each(cases)('$name', ({ err, reason, retryable, code }) => {
    const f = describeFailure(err, ctx);
    expect(f.reason).toMatch(reason);
    expect(f.retryable).toBe(retryable);
    expect(f.code).toBe(code);
  });
});

describe('contentSha256', () => {
  const meta = {
    format: 1,
    kongVersion: '3.10.0',
    edition: 'community' as const,
    database: 'postgres' as const,
    workspace: null,
    takenAt: '2026-11-20T03:00:00.000Z',
  };
  const entities = { services: { s1: { id: 's1', name: 'orders', host: 'a', tags: ['x'] } } };
  const base = buildSnapshot(meta, entities);

  it('ignores takenAt, the Kong version and the order entities arrived in', () => {
    const s2 = { id: 's2', name: 'billing' };
    const later = buildSnapshot(
      { ...meta, takenAt: '2026-11-21T03:00:00.000Z', kongVersion: '3.10.1' },
      { services: { s2, s1: entities.services.s1 } },
    );
    const withS2 = buildSnapshot(meta, { services: { s1: entities.services.s1, s2 } });
    expect(fingerprint(later)).toBe(fingerprint(withS2));
  });

  it('a different key order hashes differently: a new artifact, never a wrong "unchanged"', () => {
    const reordered = buildSnapshot(meta, {
      services: { s1: { tags: ['x'], host: 'a', name: 'orders', id: 's1' } },
    });
    expect(fingerprint(reordered)).not.toBe(fingerprint(base));
  });

  it('changes with any entity field, a new entity or the workspace', () => {
    const h = fingerprint(base);
    expect(
      fingerprint(buildSnapshot(meta, { services: { s1: { ...entities.services.s1, host: 'b' } } })),
    ).not.toBe(h);
    expect(
      fingerprint(
        buildSnapshot(meta, { services: { ...entities.services, s2: { id: 's2', name: 'billing' } } }),
      ),
    ).not.toBe(h);
    expect(fingerprint(buildSnapshot({ ...meta, workspace: 'team-a' }, entities))).not.toBe(h);
  });
});

describe('notifiers', () => {
  it('a failing notifier does not stop the others and never throws into the job', async () => {
    const lines: string[] = [];
    const broken: Notifier = {
      backupChanged: () => {
        throw new Error('slack down');
      },
      verifyFinished: () => undefined,
      pruneFinished: () => undefined,
    };
    const composite = new CompositeNotifier([broken, new ConsoleNotifier((l) => lines.push(l))]);
    const backup = { id: 'b1', connection: 'prod', status: 'running' } as never;
    await composite.backupChanged({ backup, phase: 'dumping', message: 'services 100' });
    expect(lines).toEqual(['backup b1 [prod] running (dumping): services 100']);
  });
});

describe('small parsers', () => {
  it('scheduled backup ids are stable, UUID-shaped and differ per job', () => {
    const a = scheduledBackupId('repeat:backup-prod-nightly:1763607600000');
    expect(a).toBe(scheduledBackupId('repeat:backup-prod-nightly:1763607600000'));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(scheduledBackupId('repeat:backup-prod-hourly:1763607600000').slice(0, 8)).not.toBe(a.slice(0, 8));
  });

  it.each([
    ['24h', '2026-11-19T12:00:00.000Z'],
    ['7d', '2026-11-13T12:00:00.000Z'],
    ['30m', '2026-11-20T11:30:00.000Z'],
    ['2026-11-01T00:00:00Z', '2026-11-01T00:00:00.000Z'],
  ])('--since %s', (input, expected) => {
    expect(parseSince(input, new Date('2026-11-20T12:00:00Z')).toISOString()).toBe(expected);
  });
});
