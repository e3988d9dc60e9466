/**
 * Undo stays possible: retention keeps a restore's pre-restore backup for `retention.keepPreRestore`
 * (default 30 days, shown with that reason by `prune --dry-run`), `snapgate restores undo` asks for it like
 * any restore, and once retention has removed it, undo says so in words instead of failing later.
 * Real SQLite, Redis, kong-sim, in-process workers and the CLI's own command tree.
 */
import { renameSync } from 'node:fs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { approveRestore, cancelRestore, pruneConnection, requestRestore } from '../../../src/app/index.ts';
import { cliActor } from '../../../src/cli/commands/backup-context.ts';
import { cliInProcess } from '../../support/snapgate-cli.ts';
import {
  APPROVER,
  authorize,
  breakGateway,
  createRestoreEnv,
  FINAL,
  REQUESTER,
  type RestoreEnv,
  takeBackup,
  waitForRestore,
} from './harness.ts';

let t: RestoreEnv;
beforeEach(async () => {
  t = await createRestoreEnv({ connectionExtra: 'retention:\n  keepDaily: 1' });
  Object.assign(process.env, t.env.env);
});
afterEach(() => t.cleanup());

const cli = (...args: string[]) => cliInProcess([...args, '--config', t.env.configPath]);

it('prune keeps the pre-restore backup for keepPreRestore; after that, undo says the backup is gone', async () => {
  await breakGateway(t);
  const { restore } = await requestRestore(t.services, {
    connection: 'prod',
    backup: { kind: 'id', id: t.backup.id },
    reason: 'bad deploy',
    requestedBy: REQUESTER,
  });
  await waitForRestore(t.services, restore.id, ['awaiting_approval']);
  expect(
    (await approveRestore(t.services, { restoreId: restore.id, approver: APPROVER, authorize })).ok,
  ).toBe(true);
  const done = await waitForRestore(t.services, restore.id, FINAL);
  expect(done.status).toBe('completed');
  const preId = done.preRestoreBackupId!;
  const newest = await takeBackup(t.services);

  // keepDaily 1 would remove every older backup of today; the pre-restore one stays for its undo
  const dry = await cli('prune', 'prod', '--dry-run');
  expect(dry.code).toBe(0);
  expect(dry.out).toMatch(
    new RegExp(`^keep +${preId} .* pre-restore, undo possible for 30d \\(keepPreRestore\\)$`, 'm'),
  );
  expect(dry.out).toMatch(new RegExp(`^keep +${newest.id} .* newest`, 'm'));
  expect(dry.out).toMatch(new RegExp(`^remove ${t.backup.id} .* keepDaily 1 already used$`, 'm'));

  // within the window, undo is a new request of the pre-restore backup, planned and shown like restore
  const undo = await cli('restores', 'undo', restore.id);
  expect(undo.err).toBe('');
  expect(undo.out).toContain(`undo of restore ${restore.id}: backup ${preId}: pre-restore, taken `);
  expect(undo.out).toContain('updating service orders\n    port: 8080 → 9999');
  const undoId = /restore (\S+) is awaiting approval/.exec(undo.out)?.[1] ?? '';
  expect(await t.services.repos.restores.get(undoId)).toMatchObject({
    backupId: preId,
    reason: `undo of ${restore.id}`,
    requestedBy: cliActor(),
  });
  expect((await cancelRestore(t.services, { restoreId: undoId, by: cliActor(), authorize })).ok).toBe(true);

  // its artifact file lost from disk: undo names the missing file instead of failing later
  const primary = (await t.services.repos.backups.listCopies(preId)).find((c) => c.target === 'primary')!;
  renameSync(primary.location, `${primary.location}.moved`);
  const missing = await cli('restores', 'undo', restore.id);
  expect(missing.code).toBe(1);
  expect(missing.err).toContain(
    `its pre-restore backup ${preId} is gone: its artifact is missing from ${primary.location}`,
  );
  renameSync(`${primary.location}.moved`, primary.location);

  // 31 days later retention removes it, and undo says so before asking anyone to approve anything
  t.clock.advance(31 * 86_400_000);
  await takeBackup(t.services);
  const report = await pruneConnection(t.services, 'prod');
  expect(report.decisions.find((d) => d.backupId === preId)).toMatchObject({ action: 'remove' });
  const gone = await cli('restores', 'undo', restore.id);
  expect(gone.code).toBe(1);
  expect(gone.err).toContain(
    `cannot undo restore ${restore.id}: its pre-restore backup ${preId} was removed by retention on `,
  );
  expect(gone.err).toContain(
    '(retention.keepPreRestore keeps them 30d); the gateway as it was before that restore is gone',
  );
  expect(await t.services.repos.restores.findActive('prod')).toBeNull();

  // a restore that wrote nothing has nothing to undo
  const nothing = await cli('restores', 'undo', undoId);
  expect(nothing.err).toContain(
    `cannot undo restore ${undoId}: it ended cancelled without writing to the gateway`,
  );
}, 60_000);
