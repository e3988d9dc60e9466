/**
 * `_workspace` in a decK file (decK's file key, written by `deck dump --workspace`): `snapgate dump
 * --workspace W` records it, `diff` / `apply` honour it, and a `--workspace` that contradicts it is refused
 * before anything is read or written. A workspace's dump applied without `--workspace` lands in that
 * workspace, never in `default`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeAll, gateway, snapgate } from './helpers.ts';

afterAll(closeAll);

const dir = mkdtempSync(join(tmpdir(), 'snapgate-ws-'));

describe('_workspace in files', () => {
  it('a dump records its workspace; applying it without --workspace writes there; a contradiction is refused', async () => {
    const { sim } = await gateway({ workspace: 'team-a' });
    const url = ['--kong-url', sim.url];
    const made = await fetch(`${sim.url}/team-a/services`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"orders","host":"orders.internal"}',
    });
    expect(made.status).toBe(201);
    const out = join(dir, 'team-a.yaml');
    expect((await snapgate(['dump', ...url, '--workspace', 'team-a', '--output', out])).code).toBe(0);
    const dumped = readFileSync(out, 'utf8');
    expect(dumped).toMatch(/^_workspace: team-a$/m);

    // the file without its ids and with another host: applied with no --workspace, it goes to team-a
    const edited = join(dir, 'edited.yaml');
    writeFileSync(
      edited,
      dumped.replace(/^( +)id: .*\n/gm, '').replace('orders.internal', 'orders.v2.internal'),
    );
    const writes = sim.state.writes;
    const refused = await snapgate(['apply', ...url, '--workspace', 'default', edited, '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `${edited} is for workspace "team-a" (_workspace) but --workspace default was given; nothing was done`,
    );
    expect((await snapgate(['diff', ...url, '--workspace', 'team-b', edited])).code).toBe(1);
    expect(sim.state.writes).toBe(writes);

    const applied = await snapgate(['apply', ...url, edited, '--yes']);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/^updating service orders/m);
    const live = (await (await fetch(`${sim.url}/team-a/services/orders`)).json()) as { host: string };
    expect(live.host).toBe('orders.v2.internal');
    expect((await snapgate(['diff', ...url, '--workspace', 'team-a', edited, '--exit-code'])).code).toBe(0);
  });
});
