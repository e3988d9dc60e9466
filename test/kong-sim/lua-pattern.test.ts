/**
 * The `match*` validators of kong/db/schema/init.lua run Lua's `string.match`: the patterns Kong's
 * schemas carry, translated (tools/kong-sim/lua-pattern.ts), accept and refuse what Lua would.
 */
import { describe, expect, it } from 'vitest';
import { luaPatternToRegExp } from '../../tools/kong-sim/lua-pattern.ts';
import { sim } from './helpers.ts';

describe('Lua patterns (Lua 5.1 manual §5.4.1) as Kong schemas use them', () => {
  it.each([
    // kong/db/schema/entities/vaults.lua prefix
    ['^[a-z][a-z%d-]-[a-z%d]+$', 'env-secrets', true],
    ['^[a-z][a-z%d-]-[a-z%d]+$', 'Env', false],
    ['^[a-z][a-z%d-]-[a-z%d]+$', 'env-', false],
    // kong/db/schema/entities/upstreams.lua conditionals
    ['^header$', 'header', true],
    ['^header$', 'headers', false],
    // typedefs.lua path: match_none "//"
    ['//', '/a//b', true],
    ['//', '/a/b', false],
    ['^%.%d+$', '.5', true],
    ['^%.%d+$', 'x5', false],
    ['^[^%s]+$', 'no-space', true],
    ['^[^%s]+$', 'a space', false],
  ] as const)('%s ~ %j → %s', (pattern, value, matches) => {
    expect(luaPatternToRegExp(pattern)?.test(value)).toBe(matches);
  });

  it.each(['(%w+)', '%b()', '%f[%w]'])('%s is beyond the translated subset (validator skipped)', (p) => {
    expect(luaPatternToRegExp(p)).toBeNull();
  });

  it('a vault prefix Kong refuses (vaults.lua match) is a 400 with its message', async () => {
    const k = await sim();
    const r = await k.call('POST', '/vaults', { name: 'env', prefix: 'Env_Secrets' });
    expect(r.status).toBe(400);
    expect(r.body.fields).toEqual({ prefix: 'invalid value: Env_Secrets' });
  });
});
