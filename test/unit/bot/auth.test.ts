import { describe, expect, it } from 'vitest';
import { Authorizer, COMMAND_ROLES, roleIncludes, UsergroupDirectory } from '../../../src/bot/auth/index.ts';
import { COMMAND_NAMES } from '../../../src/bot/grammar/index.ts';
import type { Config, ConnectionConfig, Role } from '../../../src/config/index.ts';

function directory(groups: Record<string, string[]>, clock: { t: number }, failing = new Set<string>()) {
  const calls: string[] = [];
  const dir = new UsergroupDirectory({
    listMembers: async (id) => {
      calls.push(id);
      if (failing.has(id) || !groups[id]) throw new Error('no_such_subteam');
      return groups[id]!;
    },
    now: () => clock.t,
    ttlMs: 60_000,
  });
  return { dir, calls };
}

const connection = (roles: Partial<Record<Role, string[]>>): ConnectionConfig =>
  ({
    name: 'prod',
    environment: 'production',
    owner: null,
    roles: { viewer: [], operator: [], approver: [], admin: [], ...roles },
  }) as unknown as ConnectionConfig;

const configOf = (...connections: ConnectionConfig[]) => ({ connections }) as unknown as Config;

describe('role ladder', () => {
  it.each([
    ['viewer', 'viewer', true],
    ['viewer', 'operator', false],
    ['operator', 'viewer', true],
    ['approver', 'operator', true],
    ['admin', 'approver', true],
    ['operator', 'approver', false],
    [null, 'viewer', false],
  ] as const)('%s holds %s: %s', (held, needed, ok) => {
    expect(roleIncludes(held, needed)).toBe(ok);
  });

  it('names a role (or none) for every command', () => {
    for (const name of COMMAND_NAMES) expect(name in COMMAND_ROLES).toBe(true);
    expect(COMMAND_ROLES.help).toBeNull();
    expect(COMMAND_ROLES.connections).toBeNull();
    expect(COMMAND_ROLES.backup).toBe('operator');
    expect(COMMAND_ROLES.approve).toBe('approver');
  });
});

describe('UsergroupDirectory', () => {
  it('caches members for the TTL, shares concurrent lookups, then asks again', async () => {
    const clock = { t: 0 };
    const { dir, calls } = directory({ S1: ['U1'] }, clock);
    expect(await Promise.all([dir.isMember('S1', 'U1'), dir.isMember('S1', 'U2')])).toEqual([true, false]);
    clock.t = 59_999;
    await dir.isMember('S1', 'U1');
    expect(calls).toEqual(['S1']);
    clock.t = 60_000;
    await dir.isMember('S1', 'U1');
    expect(calls).toEqual(['S1', 'S1']);
  });

  it('a group that cannot be read grants nothing and is not cached', async () => {
    const clock = { t: 0 };
    const { dir, calls } = directory({}, clock);
    expect(await dir.isMember('S404', 'U1')).toBe(false);
    expect(await dir.isMember('S404', 'U1')).toBe(false);
    expect(calls).toEqual(['S404', 'S404']);
  });
});

describe('Authorizer', () => {
  const clock = { t: 0 };
  const { dir } = directory({ SOPS: ['U2'], SADM: ['U3'] }, clock);
  const prod = connection({ viewer: ['U1'], operator: ['SOPS'], admin: ['SADM'] });
  const auth = new Authorizer(configOf(prod), dir);

  it.each([
    ['U1', 'viewer'],
    ['U2', 'operator'],
    ['U3', 'admin'],
    ['U9', null],
  ] as const)('%s holds %s on prod', async (user, role) => {
    expect(await auth.roleOn(user, prod)).toBe(role);
  });

  it('explains a refusal with the role needed and held', async () => {
    const d = await auth.check('U1', 'prod', 'operator');
    expect(d).toMatchObject({ ok: false, held: 'viewer', needed: 'operator' });
    if (!d.ok) expect(d.message).toMatch(/needs the \*operator\* role on `prod`; you are a viewer/);
    expect(await auth.check('U2', 'prod', 'viewer')).toEqual({ ok: true, role: 'operator' });
  });

  it('refuses unknown connections and default-denies connections without roles', async () => {
    const d = await auth.check('U3', 'nope', 'viewer');
    expect(d.ok).toBe(false);
    const bare = new Authorizer(configOf(connection({})), dir);
    expect((await bare.check('U3', 'prod', 'viewer')).ok).toBe(false);
  });

  it('admin anywhere', async () => {
    expect(await auth.isAdminAnywhere('U3')).toBe(true);
    expect(await auth.isAdminAnywhere('U2')).toBe(false);
  });
});
