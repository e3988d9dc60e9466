/**
 * Backup profiles (`exclude: [consumers]`): what a backup leaves out never reaches the artifact, the
 * artifact's header says what was left out, and a restore from such a backup brings the rest back while
 * the live consumers, their credentials and their plugins stay exactly as they are. Real SQLite, Redis and
 * kong-sim over HTTP; the two-person restore through the use cases the Slack handlers and CLI call.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approveRestore, requestRestore } from '../../../src/app/index.ts';
import { openArtifact, readArtifactHeader } from '../../../src/storage/index.ts';
import { KNOWN_SECRETS } from '../jobs/harness.ts';
import {
  APPROVER,
  authorize,
  awaitingApproval,
  createRestoreEnv,
  FINAL,
  liveSnapshot,
  REQUESTER,
  type RestoreEnv,
  takeBackup,
  waitForRestore,
} from '../restore/harness.ts';

let t: RestoreEnv;
beforeEach(async () => {
  t = await createRestoreEnv({ connectionExtra: 'exclude: [consumers]' });
});
afterEach(async () => {
  await t.cleanup();
});

describe('a backup profile that excludes consumers', () => {
  it('leaves consumers, their credentials and their plugins out of the artifact, and says so in its header', async () => {
    await t.kong('POST', '/consumers/alice/plugins', { name: 'rate-limiting', config: { minute: 5 } });
    const backup = await takeBackup(t.services);
    expect(Object.keys(backup.counts ?? {})).not.toContain('consumers');
    expect(backup.counts).toMatchObject({ services: 2, routes: 2, plugins: 1 });

    const copies = await t.services.repos.backups.listCopies(backup.id);
    expect(copies).toHaveLength(2);
    for (const copy of copies) {
      const header = await readArtifactHeader(copy.location);
      expect(header.excluded).toEqual({
        sections: ['consumers'],
        kinds: [
          'consumers',
          'keyauth_credentials',
          'basicauth_credentials',
          'jwt_secrets',
          'hmacauth_credentials',
          'acls',
          'oauth2_credentials',
          'mtls_auth_credentials',
          'consumer_group_members',
        ],
        scoped: ['plugins'],
      });
      const { snapshot } = await openArtifact(copy.location, t.services.keyRing());
      expect(snapshot.meta.excluded?.sections).toEqual(['consumers']);
      expect(snapshot.entities.consumers).toBeUndefined();
      expect(snapshot.entities.keyauth_credentials).toBeUndefined();
      // the service's rate-limiting plugin stays; the one scoped to alice does not
      const plugins = Object.values(snapshot.entities.plugins ?? {});
      expect(plugins).toHaveLength(1);
      expect(plugins[0]?.consumer ?? null).toBeNull();
      const text = JSON.stringify(snapshot);
      for (const value of ['alice', KNOWN_SECRETS.keyauth, KNOWN_SECRETS.hmac, KNOWN_SECRETS.jwt]) {
        expect(text).not.toContain(value);
      }
    }
  });

  it('restores the rest and never deletes or changes the live consumers, credentials or their plugins', async () => {
    // after the backup: a new consumer with a key and a plugin of its own, alice's key changed, and damage
    // the restore must mend
    await t.kong('POST', '/consumers', { username: 'carol' });
    await t.kong('POST', '/consumers/carol/key-auth', { key: 'carol-key-1' });
    await t.kong('POST', '/consumers/carol/plugins', { name: 'rate-limiting', config: { minute: 7 } });
    await t.kong('PATCH', '/services/orders', { port: 9999 });
    await t.kong('DELETE', '/routes/billing-api');
    const before = await liveSnapshot(t.services);

    const { restore } = await requestRestore(t.services, {
      connection: 'prod',
      backup: { kind: 'id', id: t.backup.id },
      reason: 'bad deploy',
      requestedBy: REQUESTER,
    });
    const planned = await awaitingApproval(t.services, restore);
    expect(planned.status).toBe('awaiting_approval');
    expect(planned.planSummary).toMatchObject({ summary: { create: 1, update: 1, delete: 0 } });
    expect(
      (await approveRestore(t.services, { restoreId: restore.id, approver: APPROVER, authorize })).ok,
    ).toBe(true);
    const done = await waitForRestore(t.services, restore.id, FINAL);
    expect(done.status).toBe('completed');

    const after = await liveSnapshot(t.services);
    expect(Object.values(after.entities.services ?? {}).find((s) => s.name === 'orders')?.port).toBe(8080);
    expect(Object.values(after.entities.routes ?? {}).map((r) => r.name)).toContain('billing-api');
    // every consumer, credential and consumer-scoped plugin exactly as before the restore
    for (const kind of ['consumers', 'keyauth_credentials', 'hmacauth_credentials', 'jwt_secrets'] as const) {
      expect(after.entities[kind]).toEqual(before.entities[kind]);
    }
    const scoped = (s: typeof after) => Object.values(s.entities.plugins ?? {}).filter((p) => p.consumer);
    expect(scoped(after)).toEqual(scoped(before));
    expect(scoped(after)).toHaveLength(1);
  });
});
