/**
 * The simulator's hand-written entity tables (tools/kong-sim/schema/*.ts, which carry validators the
 * data cannot) against the entity schemas generated from Kong 3.9.3 (kong/db/schema/entities/*.lua,
 * kong/plugins/<p>/daos.lua): same fields, types, defaults, required, one_of and between.
 */
import { describe, expect, it } from 'vitest';
import {
  compileSchema,
  entitySchemaJson,
  fillRecord,
  type KongField,
} from '../../tools/kong-sim/kong-schema.ts';
import { buildRegistry } from '../../tools/kong-sim/schema/index.ts';
import { sim } from './helpers.ts';

const community = buildRegistry('community').list;

describe('hand-written entity schemas agree with Kong 3.9.3 (kong/db/schema/entities/*.lua)', () => {
  it.each(community.map((s) => s.name))('%s', (name) => {
    const own = community.find((s) => s.name === name)!;
    const kong = entitySchemaJson(name);
    expect(kong, `${name} has generated data`).toBeDefined();
    const kongFields = new Map(kong!.fields.map((item) => Object.entries(item)[0]! as [string, KongField]));
    // certificates.snis is a transient field in Kong's schema too
    expect(Object.keys(own.fields).sort()).toEqual([...kongFields.keys()].sort());
    for (const [field, def] of Object.entries(own.fields)) {
      const k = kongFields.get(field)!;
      const facts = (f: {
        type: string;
        required?: boolean;
        oneOf?: unknown;
        one_of?: unknown;
        between?: unknown;
      }) => ({
        type: f.type,
        required: f.required === true,
        one_of: f.oneOf ?? f.one_of ?? null,
        between: f.between ?? null,
      });
      expect(facts(def), `${name}.${field}`).toEqual(facts(k));
      // a record's default is its filled sub-fields (upstreams.healthchecks): compared on the wire below
      if (def.type !== 'record')
        expect(def.default ?? null, `${name}.${field} default`).toEqual(k.default ?? null);
    }
  });

  it('upstreams.healthchecks: a write without it stores the default of upstreams.lua', async () => {
    const k = await sim();
    const created = (await k.call('POST', '/upstreams', { name: 'u' })).body;
    const compiled = compileSchema(entitySchemaJson('upstreams')!);
    expect(created.healthchecks).toEqual(fillRecord(compiled, { name: 'u' }).healthchecks);
    expect(created.healthchecks.active.healthy.http_statuses).toEqual([200, 302]);
  });
});
