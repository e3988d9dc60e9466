import { describe, expect, it } from 'vitest';
import { sim } from './helpers.ts';

async function seedConsumers(n: number, tag = (i: number) => [`t${i % 3}`]) {
  const k = await sim();
  const consumers = Array.from({ length: n }, (_, i) => ({ username: `user-${i}`, tags: tag(i) }));
  const loaded = await k.call('POST', '/consumers', consumers[0]);
  expect(loaded.status).toBe(201);
  for (const c of consumers.slice(1)) await k.call('POST', '/consumers', c);
  return k;
}

describe('kong-sim pagination and tags (kong/api/endpoints.lua, kong/db/dao/init.lua)', () => {
  it('size defaults to 100; pages follow primary-key order with an opaque offset; next is null on the last page', async () => {
    const k = await seedConsumers(250);
    const first = await k.call('GET', '/consumers');
    expect(first.body.data).toHaveLength(100);
    expect(typeof first.body.offset).toBe('string');
    expect(first.body.next).toBe(`/consumers?offset=${encodeURIComponent(first.body.offset)}`);
    const ids: string[] = first.body.data.map((c: { id: string }) => c.id);
    let next: string | null = first.body.next;
    while (next) {
      const page = await k.call('GET', next);
      ids.push(...page.body.data.map((c: { id: string }) => c.id));
      next = page.body.next;
      if (!next) expect(page.body.offset).toBeUndefined();
    }
    expect(ids).toHaveLength(250);
    expect(new Set(ids).size).toBe(250);
    expect([...ids].sort()).toEqual(ids);
  });

  it('next keeps tags and size for top-level collections (get_collection_endpoint)', async () => {
    const k = await seedConsumers(30);
    const r = await k.call('GET', '/consumers?size=4&tags=t1');
    expect(r.body.data).toHaveLength(4);
    expect(r.body.next).toBe(`/consumers?offset=${encodeURIComponent(r.body.offset)}&tags=t1&size=4`);
  });

  it.each(['0', '1001', '-1', '2.5'])(
    'size=%s → 400 code 9 "size must be an integer between 1 and 1000"',
    async (size) => {
      const k = await sim();
      const r = await k.call('GET', `/services?size=${size}`);
      expect(r.status).toBe(400);
      expect(r.body).toEqual({
        code: 9,
        name: 'invalid size',
        message: 'size must be an integer between 1 and 1000',
      });
    },
  );

  it('size=abc → 400 code 9 "size must be a number" (get_page_size)', async () => {
    const k = await sim();
    expect((await k.call('GET', '/services?size=abc')).body).toMatchObject({
      code: 9,
      message: 'size must be a number',
    });
  });

  it.each([
    ['!!!', 'bad base64 encoding'],
    ['bm90IGpzb24', 'bad json encoding'],
  ])('a bad offset %s → 400 code 7 (postgres strategy page)', async (offset, why) => {
    const k = await sim();
    const r = await k.call('GET', `/services?offset=${encodeURIComponent(offset)}`);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      code: 7,
      name: 'invalid offset',
      message: `'${offset}' is not a valid offset: ${why}`,
    });
  });

  it('tags a,b is AND; a/b is OR (TAGS_AND_REGEX / TAGS_OR_REGEX)', async () => {
    const k = await seedConsumers(12, (i) => (i % 2 === 0 ? ['even', `m${i % 3}`] : ['odd', `m${i % 3}`]));
    const and = await k.call('GET', '/consumers?tags=even,m0');
    expect(and.body.data.map((c: { username: string }) => c.username).sort()).toEqual(['user-0', 'user-6']);
    const or = await k.call('GET', '/consumers?tags=m1/m2');
    expect(or.body.data).toHaveLength(8);
  });

  it('mixing , and / is refused; more than 5 tags is refused (code 11 invalid options)', async () => {
    const k = await sim();
    const mixed = await k.call('GET', '/services?tags=a,b/c');
    expect(mixed.status).toBe(400);
    expect(mixed.body).toEqual({
      code: 11,
      name: 'invalid options',
      message: 'invalid option (tags: invalid filter syntax)',
      options: { tags: 'invalid filter syntax' },
    });
    const six = await k.call('GET', '/services?tags=a,b,c,d,e,f');
    expect(six.body).toMatchObject({ code: 11, options: { tags: 'cannot query more than 5 tags' } });
  });

  it('nested collections page too, and their next drops size and tags (get_collection_endpoint, foreign branch)', async () => {
    const k = await sim();
    await k.call('POST', '/services', { name: 's', host: 'h' });
    for (let i = 0; i < 5; i++) await k.call('POST', '/services/s/routes', { paths: [`/${i}`], tags: ['x'] });
    const r = await k.call('GET', '/services/s/routes?size=2&tags=x');
    expect(r.body.data).toHaveLength(2);
    expect(r.body.next).toBe(`/services/s/routes?offset=${encodeURIComponent(r.body.offset)}`);
    const rest = await k.call('GET', `${r.body.next}&size=3`);
    expect(rest.body.data).toHaveLength(3);
    expect(rest.body.next).toBeNull();
  });

  it('GET /consumers?custom_id= searches by custom_id (kong/api/routes/consumers.lua)', async () => {
    const k = await sim();
    await k.call('POST', '/consumers', { custom_id: 'ext-1' });
    const r = await k.call('GET', '/consumers?custom_id=ext-1');
    expect(r.body.data).toHaveLength(1);
    expect(r.body.next).toBeNull();
    expect((await k.call('GET', '/consumers?custom_id=none')).body.data).toEqual([]);
  });
});
