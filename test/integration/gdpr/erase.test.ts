/**
 * `gdpr find` and `gdpr erase`: one person's consumer found in every stored artifact (recorded or not) and
 * erased from all of them — the consumer's values are in no copy afterwards (a search of every decrypted
 * artifact), the records keep their ids and are marked rewritten, the old copies are gone, a copy under
 * Object Lock is reported with its date and left alone, an interrupted erase's leftover is removed by the
 * next run, and the audit log never holds the person's identifiers. Real SQLite, Redis, kong-sim, a
 * directory primary and copy, and s3rver for the Object Lock case; the CLI verbs in-process.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { erasePersonalData, findPersonalData, verifyBackup } from '../../../src/app/index.ts';
import type { Entity } from '../../../src/core/index.ts';
import type { Backup } from '../../../src/db/index.ts';
import { openArtifact } from '../../../src/storage/index.ts';
import { S3_ACCESS_KEY, S3_SECRET_KEY, type S3Server, startS3Server } from '../../support/s3-server.ts';
import { cliInProcess } from '../../support/snapgate-cli.ts';
import { KNOWN_SECRETS } from '../jobs/harness.ts';
import { createRestoreEnv, type RestoreEnv, takeBackup } from '../restore/harness.ts';

let t: RestoreEnv;
afterEach(async () => {
  await t?.cleanup();
});

/** The decrypted text of every recorded copy of every backup (the plaintext a byte search looks at). */
async function everyCopyText(backups: readonly Backup[]): Promise<string[]> {
  const texts: string[] = [];
  for (const b of backups) {
    for (const copy of await t.services.repos.backups.listCopies(b.id)) {
      await t.services.artifacts.withLocalCopy(copy, async (path) => {
        texts.push(JSON.stringify((await openArtifact(path, t.services.keyRing())).snapshot));
      });
    }
  }
  return texts;
}

async function alice(): Promise<Entity> {
  return t.kong<Entity>('GET', '/consumers/alice');
}

describe('gdpr find and erase on directory targets', () => {
  it('finds the person in every backup, erases them from every copy, keeps everyone else', async () => {
    t = await createRestoreEnv();
    const person = await alice();
    await t.kong('POST', '/consumers/alice/plugins', { name: 'rate-limiting', config: { minute: 5 } });
    await t.kong('POST', '/consumers', { username: 'bob', custom_id: 'bob-77' });
    await t.kong('POST', '/consumers/bob/key-auth', { key: 'bob-key-kept' });
    const b1 = await takeBackup(t.services);
    const b2 = await takeBackup(t.services); // unchanged: shares b1's artifact
    expect(b2.unchangedFrom).toBe(b1.id);
    const first = t.backup; // taken at start: alice without her plugin
    const all = [first, b1, b2];

    const found = await findPersonalData(t.services, 'alice', 'cli:dpo');
    expect(found.unreadable).toEqual([]);
    expect(found.holdings.map((h) => h.artifactName).sort()).toEqual(
      [first.artifactName, b1.artifactName].sort(),
    );
    const shared = found.holdings.find((h) => h.artifactName === b1.artifactName);
    expect(shared?.backups.map((b) => b.id).sort()).toEqual([b1.id, b2.id].sort());
    expect(shared?.copies.map((c) => c.target).sort()).toEqual(
      ['directory:' + `${t.env.dir}/offsite`, 'primary'].sort(),
    );
    // by id and by custom_id too
    expect((await findPersonalData(t.services, person.id, 'cli:dpo')).holdings).toHaveLength(2);
    expect((await findPersonalData(t.services, 'bob-77', 'cli:dpo')).holdings).toHaveLength(1);

    const oldLocations = (await t.services.repos.backups.listCopies(b1.id)).map((c) => c.location);
    const leftoverBytes = readFileSync(oldLocations[0]!);

    Object.assign(process.env, t.env.env);
    const erase = await cliInProcess([
      'gdpr',
      'erase',
      person.id,
      '--reason',
      'Art. 17 request #4411',
      '--config',
      t.env.configPath,
    ]);
    expect(erase.err).toBe('');
    expect(erase.code).toBe(0);
    expect(erase.out).toMatch(/rewritten .*-r1\.sgb on 2 copies/);

    // the records keep their ids, point at the rewritten artifact and say so
    for (const b of all) {
      const now = await t.services.repos.backups.get(b.id);
      expect(now?.rewrittenAt).toBeInstanceOf(Date);
      expect(now?.artifactName).toMatch(/-r1\.sgb$/);
      expect(now?.counts?.consumers).toBe(b.id === first.id ? 0 : 1);
      expect((await verifyBackup(t.services, b.id)).ok).toBe(true);
    }
    for (const location of oldLocations) expect(existsSync(location)).toBe(false);

    // a byte search of every decrypted copy finds none of the person's values; bob is still there
    const texts = await everyCopyText(all);
    expect(texts).toHaveLength(6);
    for (const text of texts) {
      for (const value of [
        person.id,
        'alice',
        KNOWN_SECRETS.keyauth,
        KNOWN_SECRETS.hmac,
        KNOWN_SECRETS.jwt,
      ]) {
        expect(text).not.toContain(value);
      }
    }
    expect(texts.filter((x) => x.includes('bob-key-kept'))).toHaveLength(4);

    const after = await cliInProcess(['gdpr', 'find', 'alice', '--config', t.env.configPath]);
    expect(after.code).toBe(0);
    expect(after.out).toMatch(/^0 artifact\(s\) hold this person/m);

    // the audit log says what was done and why, never who
    const events = await t.services.audit.list({ action: 'gdpr.*', limit: 20 });
    const erased = events.find((e) => e.action === 'gdpr.erased');
    expect(erased?.details).toMatchObject({ reason: 'Art. 17 request #4411', unrecorded: 0 });
    for (const e of events) {
      const text = JSON.stringify(e);
      expect(text).not.toContain('alice');
      expect(text).not.toContain(person.id);
      expect(text).not.toContain('bob-77');
    }

    // an interrupted erase (old copy not yet removed) is found as unrecorded and removed by the next run
    writeFileSync(oldLocations[0]!, leftoverBytes);
    const again = await findPersonalData(t.services, 'alice', 'cli:dpo');
    expect(again.holdings).toHaveLength(1);
    expect(again.holdings[0]?.backups).toEqual([]);
    const second = await erasePersonalData(t.services, {
      query: 'alice',
      reason: 'Art. 17 #4411, resumed',
      actor: 'cli:dpo',
    });
    expect(second.leftoversRemoved).toEqual([oldLocations[0]]);
    expect(second.unrecorded).toEqual([]);
    expect(existsSync(oldLocations[0]!)).toBe(false);
    expect((await findPersonalData(t.services, 'alice', 'cli:dpo')).holdings).toEqual([]);
  });

  it('refuses an erase without a reason and changes nothing', async () => {
    t = await createRestoreEnv();
    Object.assign(process.env, t.env.env);
    const run = await cliInProcess(['gdpr', 'erase', 'alice', '--reason', ' ', '--config', t.env.configPath]);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/--reason must say why/);
    expect((await t.services.repos.backups.get(t.backup.id))?.rewrittenAt).toBeNull();
    expect((await findPersonalData(t.services, 'alice', 'cli:dpo')).holdings).toHaveLength(1);
  });
});

describe('gdpr erase with an Object-Locked copy', () => {
  let server: S3Server;
  beforeAll(async () => {
    server = await startS3Server();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('rewrites the copies it may, reports the locked one with its date and leaves it as it was', async () => {
    const bucket = `gdpr-${randomBytes(4).toString('hex')}`;
    await server.createBucket(bucket);
    t = await createRestoreEnv({
      primary: `{ type: s3, endpoint: "${server.endpoint}", region: us-east-1, bucket: ${bucket}, forcePathStyle: true, objectLock: { mode: compliance, retain: 30d }, credentials: { accessKeyIdEnv: S3_KEY_ID, secretAccessKeyEnv: S3_SECRET } }`,
      env: { S3_KEY_ID: S3_ACCESS_KEY, S3_SECRET: S3_SECRET_KEY },
    });
    const copiesBefore = await t.services.repos.backups.listCopies(t.backup.id);
    const primary = copiesBefore.find((c) => c.target === 'primary')!;

    Object.assign(process.env, t.env.env);
    const run = await cliInProcess([
      'gdpr',
      'erase',
      'alice',
      '--reason',
      'Art. 17 request #5',
      '--config',
      t.env.configPath,
    ]);
    expect(run.code).toBe(2);
    expect(run.out).toMatch(/LOCKED primary {2}s3:\/\/.* until 20\d\d-/);
    expect(run.err).toMatch(/1 copies may still hold this person/);

    const copiesAfter = await t.services.repos.backups.listCopies(t.backup.id);
    const lockedCopy = copiesAfter.find((c) => c.target === 'primary');
    expect(lockedCopy).toMatchObject({ location: primary.location, sha256: primary.sha256 });
    const offsite = copiesAfter.find((c) => c.target !== 'primary')!;
    expect(offsite.location).toMatch(/-r1\.sgb$/);

    // find still names the locked copy (it holds the person until its date), and only it
    const found = await findPersonalData(t.services, 'alice', 'cli:dpo');
    expect(found.holdings).toHaveLength(1);
    expect(found.holdings[0]?.copies).toEqual([
      expect.objectContaining({
        target: 'primary',
        location: primary.location,
        lockedUntil: expect.any(Date),
      }),
    ]);
    const event = (await t.services.audit.list({ action: 'gdpr.erased', limit: 1 }))[0];
    expect(event?.outcome).toBe('failed');
    expect(event?.details).toMatchObject({ locked: [expect.objectContaining({ target: 'primary' })] });
  });
});
