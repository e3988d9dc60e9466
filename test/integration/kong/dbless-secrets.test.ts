/**
 * DB-less secrets: a DB-less gateway never ends up holding a plain-text password. snapgate sends
 * `_transform: false` and does Kong's transformations per value (core transformDeclarative, mirroring
 * kong/db/declarative/import.lua and kong/plugins/basic-auth/crypto.lua): plain text from a hand-written file
 * is hashed as SHA-1(password .. consumer_id), a hash from a dump passes through untouched, a file mixing
 * both gets each right.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importDeckFile, matchNaturalKeys, planRestore, toDeckFile } from '../../../src/core/index.ts';
import { applyPlan, dumpGateway, type KongClient } from '../../../src/kong/index.ts';
import { closeAll, gateway, snapgate } from './helpers.ts';

afterAll(closeAll);

const dir = mkdtempSync(join(tmpdir(), 'snapgate-dbless-secrets-'));
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
const FILE = `_format_version: "3.0"
consumers:
  - username: ann
    basicauth_credentials:
      - username: ann
        password: open-sesame
`;

/** What `snapgate apply` does with a file: dump, match natural keys, plan, apply. */
async function applyText(client: KongClient, text: string) {
  const file = importDeckFile(text);
  const current = await dumpGateway(client, { takenAt: 'now' });
  const target = matchNaturalKeys(file.snapshot, current, file.unkeyed).target;
  const plan = planRestore(current, target);
  return applyPlan(client, plan, {
    current,
    ...(file.transform !== undefined ? { transform: file.transform } : {}),
  });
}

async function basicAuths(
  url: string,
): Promise<Record<string, { password: string; consumer: { id: string } }>> {
  const body = (await (await fetch(`${url}/basic-auths`)).json()) as {
    data: { username: string; password: string; consumer: { id: string } }[];
  };
  return Object.fromEntries(body.data.map((c) => [c.username, c]));
}

describe('DB-less secrets', () => {
  it('a plain-text password from a file is stored hashed as Kong hashes it, never in plain text', async () => {
    const { sim } = await gateway({ dbless: true });
    const path = join(dir, 'plain.yaml');
    writeFileSync(path, FILE);
    const applied = await snapgate(['apply', '--kong-url', sim.url, path, '--yes']);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    const { ann } = await basicAuths(sim.url);
    expect(ann?.password).toBe(sha1(`open-sesame${ann?.consumer.id}`));
    const exported = (await (await fetch(`${sim.url}/config`)).json()) as { config: string };
    expect(exported.config).not.toContain('open-sesame');
  });

  it('a dump restored passes its hashes through; a file mixing a dumped hash and plain text gets both right', async () => {
    const { sim, client } = await gateway({ dbless: true });
    expect((await applyText(client, FILE)).ok).toBe(true);
    const stored = (await basicAuths(sim.url)).ann?.password as string;
    const dump = toDeckFile(await dumpGateway(client, { takenAt: 'now' }));
    expect(dump).toContain(stored);

    // the gateway is wiped, then the dump is restored: the stored hash is not hashed a second time
    await fetch(`${sim.url}/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"_format_version":"3.0"}',
    });
    expect((await applyText(client, dump)).ok).toBe(true);
    expect((await basicAuths(sim.url)).ann?.password).toBe(stored);

    // the dump plus a hand-written credential with a plain password, in one POST /config
    const mixed = dump.replace(
      /(basicauth_credentials:\n)/,
      '$1      - username: bob\n        password: hunter2\n',
    );
    expect(mixed).toContain('hunter2');
    expect((await applyText(client, mixed)).ok).toBe(true);
    const after = await basicAuths(sim.url);
    expect(after.ann?.password).toBe(stored);
    expect(after.bob?.password).toBe(sha1(`hunter2${after.bob?.consumer.id}`));
  });
});

describe('the plan warns about hashed secrets only where they cannot round-trip', () => {
  it.each([
    { mode: 'DB mode', dbless: false, warns: true },
    { mode: 'DB-less', dbless: true, warns: false },
  ])('$mode: a dumped hash warns=$warns, a plain-text password never warns', async ({ dbless, warns }) => {
    const source = await gateway({ dbless });
    expect((await applyText(source.client, FILE)).ok).toBe(true);
    const backup = join(dir, `backup-${dbless ? 'dbless' : 'db'}.yaml`);
    writeFileSync(backup, toDeckFile(await dumpGateway(source.client, { takenAt: 'now' })));
    const plain = join(dir, `plain-${dbless ? 'dbless' : 'db'}.yaml`);
    writeFileSync(plain, FILE);

    const fresh = await gateway({ dbless });
    const fromBackup = await snapgate(['diff', '--kong-url', fresh.sim.url, backup]);
    expect(fromBackup.code).toBe(0);
    expect(fromBackup.stdout).toMatch(/creating basicauth_credential ann/);
    if (warns) expect(fromBackup.stdout).toMatch(/ann: Kong stores password hashed/);
    else expect(fromBackup.stdout).not.toMatch(/stores password hashed/);

    const fromFile = await snapgate(['diff', '--kong-url', fresh.sim.url, plain]);
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout).not.toMatch(/stores password hashed/);

    // and the warning is true: on DB-less the dumped hash restores a working credential
    const applied = await snapgate(['apply', '--kong-url', fresh.sim.url, backup, '--yes']);
    expect(applied.code).toBe(0);
    const [before, after] = [await basicAuths(source.sim.url), await basicAuths(fresh.sim.url)];
    const consumer = after.ann?.consumer.id;
    if (warns) expect(after.ann?.password).not.toBe(before.ann?.password);
    else expect(after.ann?.password).toBe(sha1(`open-sesame${consumer}`));
  });
});
