import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pem, sim } from './helpers.ts';

describe('kong-sim credentials (kong/plugins/*/daos.lua)', () => {
  it.each([
    ['/key-auths', 'key-auth', { key: 'k-1' }, { key: 'k-2' }],
    ['/basic-auths', 'basic-auth', { username: 'u', password: 'p' }, { username: 'u2', password: 'p' }],
    ['/jwts', 'jwt', { key: 'iss-1' }, { key: 'iss-2' }],
    ['/hmac-auths', 'hmac-auth', { username: 'hu' }, { username: 'hu2' }],
    ['/acls', 'acls', { group: 'admins' }, { group: 'g2' }],
    [
      '/oauth2',
      'oauth2',
      { name: 'app', redirect_uris: ['https://app.example.com/cb'] },
      { name: 'app', client_id: 'cid-2' },
    ],
  ])(
    '%s is served top-level and under /consumers/{c}/%s (admin_api_name / admin_api_nested_name)',
    async (top, nested, body, replacement) => {
      const k = await sim();
      const c = (await k.call('POST', '/consumers', { username: 'ann' })).body;
      const made = await k.call('POST', `/consumers/ann/${nested}`, body);
      expect(made.status).toBe(201);
      expect(made.body.consumer).toEqual({ id: c.id });
      expect(made.body).not.toHaveProperty('updated_at');
      const list = await k.call('GET', top);
      expect(list.body.data.map((e: { id: string }) => e.id)).toEqual([made.body.id]);
      expect((await k.call('GET', `/consumers/${c.id}/${nested}/${made.body.id}`)).status).toBe(200);
      const id = '3f1f2e1d-0c0b-4a09-8877-665544332211';
      const put = await k.call('PUT', `/consumers/ann/${nested}/${id}`, replacement);
      expect(put.status).toBe(200);
      expect(put.body.id).toBe(id);
      expect((await k.call('DELETE', `/consumers/ann/${nested}/${id}`)).status).toBe(204);
    },
  );

  it('a nested DELETE of a credential that does not exist is 404, unlike top-level DELETE (delete_entity_endpoint, foreign branch)', async () => {
    const k = await sim();
    await k.call('POST', '/consumers', { username: 'ann' });
    expect(
      (await k.call('DELETE', '/consumers/ann/key-auth/3f1f2e1d-0c0b-4a09-8877-665544332211')).status,
    ).toBe(404);
    expect((await k.call('DELETE', '/key-auths/3f1f2e1d-0c0b-4a09-8877-665544332211')).status).toBe(204);
    expect((await k.call('GET', '/consumers/nobody/key-auth')).status).toBe(404);
  });

  it('a credential of another consumer is 404 under this consumer (get_entity_endpoint checks the FK)', async () => {
    const k = await sim();
    await k.call('POST', '/consumers', { username: 'a' });
    await k.call('POST', '/consumers', { username: 'b' });
    const cred = (await k.call('POST', '/consumers/a/key-auth', { key: 'secret-a' })).body;
    expect((await k.call('GET', `/consumers/b/key-auth/${cred.id}`)).status).toBe(404);
    expect((await k.call('GET', '/consumers/a/key-auth/secret-a')).body.id).toBe(cred.id);
  });

  it('key-auth key, jwt key+secret, hmac secret and oauth2 client_id+secret are generated when omitted (auto = true)', async () => {
    const k = await sim();
    await k.call('POST', '/consumers', { username: 'ann' });
    expect((await k.call('POST', '/consumers/ann/key-auth', {})).body.key).toMatch(/^[0-9a-f]{32}$/);
    const jwt = (await k.call('POST', '/consumers/ann/jwt', {})).body;
    expect(jwt).toMatchObject({ algorithm: 'HS256', rsa_public_key: null });
    expect(jwt.key).toMatch(/^[0-9a-f]{32}$/);
    expect(jwt.secret).toMatch(/^[0-9a-f]{32}$/);
    expect((await k.call('POST', '/consumers/ann/hmac-auth', { username: 'h' })).body.secret).toMatch(
      /^[0-9a-f]{32}$/,
    );
    const o = (await k.call('POST', '/consumers/ann/oauth2', { name: 'app' })).body;
    expect(o).toMatchObject({ hash_secret: false, client_type: 'confidential', redirect_uris: null });
    expect(o.client_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('basic-auth passwords are stored as SHA-1(password .. consumer id) (kong/plugins/basic-auth/crypto.lua)', async () => {
    const k = await sim();
    const c = (await k.call('POST', '/consumers', { username: 'ann' })).body;
    const cred = (await k.call('POST', '/consumers/ann/basic-auth', { username: 'ann', password: 'hunter2' }))
      .body;
    expect(cred.password).toBe(createHash('sha1').update(`hunter2${c.id}`).digest('hex'));
    const patched = (await k.call('PATCH', `/basic-auths/${cred.id}`, { password: 'new' })).body;
    expect(patched.password).toBe(createHash('sha1').update(`new${c.id}`).digest('hex'));
  });

  it('oauth2 client_secret is hashed (PBKDF2 PHC string) only with hash_secret (kong/plugins/oauth2/secret.lua)', async () => {
    const k = await sim();
    await k.call('POST', '/consumers', { username: 'ann' });
    const plain = (await k.call('POST', '/consumers/ann/oauth2', { name: 'a', client_secret: 's3cret' }))
      .body;
    expect(plain.client_secret).toBe('s3cret');
    const hashed = (
      await k.call('POST', '/consumers/ann/oauth2', { name: 'b', client_secret: 's3cret', hash_secret: true })
    ).body;
    expect(hashed.client_secret).toMatch(/^\$pbkdf2-sha512\$i=10000,l=32\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
  });

  it('jwt with an RS algorithm requires rsa_public_key (kong/plugins/jwt/daos.lua entity_checks)', async () => {
    const k = await sim();
    await k.call('POST', '/consumers', { username: 'ann' });
    const r = await k.call('POST', '/consumers/ann/jwt', { algorithm: 'RS256' });
    expect(r.status).toBe(400);
    expect(r.body.fields.rsa_public_key).toBe('required field missing');
  });

  it('acls are unique per (consumer, group) (cache_key)', async () => {
    const k = await sim();
    await k.call('POST', '/consumers', { username: 'ann' });
    await k.call('POST', '/consumers/ann/acls', { group: 'g' });
    expect((await k.call('POST', '/consumers/ann/acls', { group: 'g' })).status).toBe(409);
  });
});

describe('kong-sim certificates and SNIs (kong/db/dao/certificates.lua, kong/api/routes/certificates.lua)', () => {
  const cert = pem('CERTIFICATE', 'c1');
  const key = pem('PRIVATE KEY', 'k1');

  it('snis on write create SNI entities; reads carry the sorted snis pseudo-field', async () => {
    const k = await sim();
    const c = await k.call('POST', '/certificates', { cert, key, snis: ['b.example.com', 'a.example.com'] });
    expect(c.status).toBe(201);
    expect(c.body.snis).toEqual(['a.example.com', 'b.example.com']);
    expect((await k.call('GET', `/certificates/${c.body.id}`)).body.snis).toEqual([
      'a.example.com',
      'b.example.com',
    ]);
    const snis = await k.call('GET', `/certificates/${c.body.id}/snis`);
    expect(snis.body.data.map((s: { name: string }) => s.name).sort()).toEqual([
      'a.example.com',
      'b.example.com',
    ]);
    expect((await k.call('GET', '/snis/a.example.com')).body.certificate).toEqual({ id: c.body.id });
    // a certificate can be addressed by one of its SNI names
    expect((await k.call('GET', '/certificates/b.example.com')).body.id).toBe(c.body.id);
    expect((await k.call('GET', '/certificates/nope.example.com')).body).toEqual({
      message: 'SNI not found',
    });
  });

  it('PUT without snis keeps them; PUT with snis replaces the list (kong/db/dao/certificates.lua upsert)', async () => {
    const k = await sim();
    const c = (await k.call('POST', '/certificates', { cert, key, snis: ['a.example.com'] })).body;
    const put = await k.call('PUT', `/certificates/${c.id}`, { cert, key });
    expect(put.body.snis).toEqual(['a.example.com']);
    expect(k.state.store.table('snis').size).toBe(1);
    const replaced = await k.call('PUT', `/certificates/${c.id}`, { cert, key, snis: ['b.example.com'] });
    expect(replaced.body.snis).toEqual(['b.example.com']);
    expect(k.state.store.table('snis').size).toBe(1);
  });

  it('an SNI name held by another certificate is a schema violation (snis:check_list_is_new)', async () => {
    const k = await sim();
    const c1 = (await k.call('POST', '/certificates', { cert, key, snis: ['a.example.com'] })).body;
    const r = await k.call('POST', '/certificates', { cert, key, snis: ['a.example.com'] });
    expect(r.status).toBe(400);
    expect(r.body.fields).toEqual({
      snis: `a.example.com already associated with existing certificate '${c1.id}'`,
    });
  });

  it('deleting a certificate deletes its SNIs first — Kong source does this, it is not a restrict (kong/db/dao/certificates.lua delete)', async () => {
    // note: issue 3 lists "certificate with snis → restricted"; Kong's certificates DAO removes the SNIs
    // before deleting the certificate, so the simulator follows the source.
    const k = await sim();
    const c = (await k.call('POST', '/certificates', { cert, key })).body;
    await k.call('POST', `/certificates/${c.id}/snis`, { name: 'x.example.com' });
    await k.call('POST', '/snis', { name: 'y.example.com', certificate: { id: c.id } });
    expect((await k.call('DELETE', `/certificates/${c.id}`)).status).toBe(204);
    expect(k.state.counts()).toMatchObject({ certificates: 0, snis: 0 });
  });

  it('a service client_certificate restricts deleting the certificate (no on_delete = restrict)', async () => {
    const k = await sim();
    const c = (await k.call('POST', '/certificates', { cert, key })).body;
    await k.call('POST', '/services', {
      name: 's',
      host: 'h',
      protocol: 'https',
      client_certificate: { id: c.id },
    });
    const r = await k.call('DELETE', `/certificates/${c.id}`);
    expect(r.body).toMatchObject({ code: 4, fields: { '@referenced_by': 'services' } });
  });

  it('cert must be PEM (typedefs.certificate)', async () => {
    const k = await sim();
    const r = await k.call('POST', '/certificates', { cert: 'nope', key });
    expect(r.status).toBe(400);
    expect(Object.keys(r.body.fields)).toEqual(['cert']);
  });
});

describe('kong-sim targets (kong/api/routes/upstreams.lua, kong/api/routes/targets.lua, kong/db/dao/targets.lua)', () => {
  it('top-level /targets is disabled: 404', async () => {
    const k = await sim();
    expect((await k.call('GET', '/targets')).status).toBe(404);
    expect((await k.call('POST', '/targets', { target: 'a' })).status).toBe(404);
  });

  it('a port-less target gets :8000 appended (DEFAULT_PORT); timestamps carry milliseconds', async () => {
    const k = await sim();
    await k.call('POST', '/upstreams', { name: 'u' });
    const t = await k.call('POST', '/upstreams/u/targets', { target: 'backend.internal' });
    expect(t.body).toMatchObject({ target: 'backend.internal:8000', weight: 100, tags: null });
    expect((await k.call('POST', '/upstreams/u/targets', { target: '::1' })).body.target).toBe('[::1]:8000');
    expect((await k.call('POST', '/upstreams/u/targets', { target: '10.0.0.1:81' })).body.target).toBe(
      '10.0.0.1:81',
    );
  });

  it('PUT /upstreams/{u}/targets/{t} is update-only: 404 when missing', async () => {
    const k = await sim();
    await k.call('POST', '/upstreams', { name: 'u' });
    const missing = await k.call('PUT', '/upstreams/u/targets/3f1f2e1d-0c0b-4a09-8877-665544332211', {
      target: 'a',
      weight: 1,
    });
    expect(missing).toMatchObject({ status: 404, body: { message: 'Not found' } });
    expect(k.state.store.table('targets').size).toBe(0);
    const t = (await k.call('POST', '/upstreams/u/targets', { target: 'a' })).body;
    const put = await k.call('PUT', `/upstreams/u/targets/${t.id}`, { weight: 7 });
    expect(put.body).toMatchObject({ id: t.id, target: 'a:8000', weight: 7 });
    // by target string, which must be the stored host:port form
    expect((await k.call('GET', '/upstreams/u/targets/a:8000')).body.id).toBe(t.id);
    expect((await k.call('GET', '/upstreams/u/targets/a')).status).toBe(404);
  });

  it('one target per (upstream, target) → 409 (cache_key)', async () => {
    const k = await sim();
    await k.call('POST', '/upstreams', { name: 'u' });
    await k.call('POST', '/upstreams/u/targets', { target: 'a' });
    expect((await k.call('POST', '/upstreams/u/targets', { target: 'a:8000' })).status).toBe(409);
  });

  it('the target list is newest first with a numeric offset (page_for_upstream)', async () => {
    const k = await sim();
    await k.call('POST', '/upstreams', { name: 'u' });
    for (let i = 0; i < 5; i++) {
      await k.call('POST', '/upstreams/u/targets', { target: `t${i}` });
      await new Promise((r) => setTimeout(r, 3));
    }
    const page = await k.call('GET', '/upstreams/u/targets?size=2');
    expect(page.body.data.map((t: { target: string }) => t.target)).toEqual(['t4:8000', 't3:8000']);
    expect(page.body.offset).toBe('2');
    expect(page.body.next).toBe('/upstreams/u/targets?offset=2');
    const last = await k.call('GET', '/upstreams/u/targets?size=2&offset=4');
    expect(last.body.data).toHaveLength(1);
    expect(last.body.next).toBeNull();
  });
});
