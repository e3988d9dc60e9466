/**
 * Issue 18 §1 end to end: a restore decision signs and publishes a checkpoint (a file in the primary
 * storage directory's `audit-checkpoints/`, and the notifier's audit-channel event); `snapgate audit
 * verify` checks the real database file against it and names an emptied or truncated log.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { rejectRestore, requestRestore } from '../../../src/app/index.ts';
import type { CheckpointEvent } from '../../../src/audit/index.ts';
import type { SqliteDatabaseConfig } from '../../../src/config/index.ts';
import { openDatabase } from '../../../src/db/index.ts';
import { cliInProcess } from '../../support/snapgate-cli.ts';
import {
  APPROVER,
  authorize,
  awaitingApproval,
  breakGateway,
  createRestoreEnv,
  REQUESTER,
  type RestoreEnv,
  RestoreRecorder,
} from '../restore/harness.ts';

class CheckpointRecorder extends RestoreRecorder {
  checkpoints: CheckpointEvent[] = [];
  auditCheckpoint(e: CheckpointEvent) {
    this.checkpoints.push(e);
  }
}

let t: RestoreEnv;
let recorder: CheckpointRecorder;
beforeEach(async () => {
  t = await createRestoreEnv();
  recorder = new CheckpointRecorder();
  Object.assign(process.env, t.env.env);
});
afterEach(async () => {
  await t.cleanup();
});

it('a restore decision publishes a signed checkpoint; audit verify names an emptied and a truncated log', async () => {
  const services = await t.env.open({ notifier: recorder });
  await breakGateway(t);
  const { restore } = await requestRestore(services, {
    connection: 'prod',
    backup: { kind: 'id', id: t.backup.id },
    reason: 'bad deploy',
    requestedBy: REQUESTER,
  });
  await awaitingApproval(services, restore);
  const rejected = await rejectRestore(services, { restoreId: restore.id, by: APPROVER, authorize });
  expect(rejected.ok).toBe(true);

  const head = (await services.audit.head())!;
  const published = recorder.checkpoints.filter((e) => e.kind === 'published');
  expect(published.at(-1)).toMatchObject({
    reason: 'restore-decision',
    checkpoint: { seq: head.seq, hash: head.hash, keyId: 'ring:k1' },
  });
  const dir = join(t.env.dir, 'primary', 'audit-checkpoints');
  const files = readdirSync(dir).sort();
  expect(JSON.parse(readFileSync(join(dir, files.at(-1)!), 'utf8'))).toMatchObject({ seq: head.seq });

  const c = ['--config', t.env.configPath];
  const ok = await cliInProcess(['audit', 'verify', '--from-store', ...c]);
  expect(ok.code).toBe(0);
  expect(ok.out).toMatch(
    new RegExp(`^ok: \\d+ events, head #\\d+ [0-9a-f]{64}; matches checkpoint #${head.seq} `),
  );

  // a copy of the checkpoint as posted in Slack, kept elsewhere
  const kept = join(t.env.dir, 'kept-checkpoint.json');
  writeFileSync(kept, readFileSync(join(dir, files.at(-1)!)));

  // Truncation: the newest rows cut and the sequence counter reset
  const raw = openDatabase((t.env.config.database as SqliteDatabaseConfig).path);
  raw.sqlite.exec('DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;');
  raw.sqlite.prepare('DELETE FROM audit_events WHERE seq > ?').run(head.seq - 2);
  raw.sqlite.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_events'").run(head.seq - 2);
  const truncated = await cliInProcess(['audit', 'verify', '--checkpoint', kept, ...c]);
  expect(truncated.code).toBe(1);
  expect(truncated.err).toMatch(/^TRUNCATED: the audit log ends at row \d+ but checkpoint #\d+ .* are gone/);

  // Emptying: every row deleted, the sequence reset (today `audit verify` says "ok: 0 events")
  raw.sqlite.exec("DELETE FROM audit_events; DELETE FROM sqlite_sequence WHERE name = 'audit_events'");
  raw.close();
  const emptied = await cliInProcess(['audit', 'verify', ...c]);
  expect(emptied.code).toBe(1);
  expect(emptied.err).toMatch(
    /^EMPTIED: the audit log has no rows, but checkpoint #\d+ \(\d+ events, signed /,
  );
  expect(emptied.err).toContain('audit-checkpoints/');
});

it('audit verify --from-store with nothing published fails; --checkpoint with a forged file is refused', async () => {
  const c = ['--config', t.env.configPath];
  // (the worker signs one at start when the log has rows: remove what it published)
  rmSync(join(t.env.dir, 'primary', 'audit-checkpoints'), { recursive: true, force: true });
  const none = await cliInProcess(['audit', 'verify', '--from-store', ...c]);
  expect(none.code).toBe(1);
  expect(none.err).toMatch(/^no audit checkpoint is published in directory:.*audit-checkpoints; ok: /);

  const services = await t.env.open({ notifier: recorder });
  const { checkpoint } = await services.takeAuditCheckpoint('manual');
  const forged = join(t.env.dir, 'forged.json');
  writeFileSync(forged, JSON.stringify({ ...checkpoint, count: checkpoint!.count + 1 }));
  const bad = await cliInProcess(['audit', 'verify', '--checkpoint', forged, ...c]);
  expect(bad.code).toBe(1);
  expect(bad.err).toMatch(/^the checkpoint cannot be trusted: its signature does not verify with ring:k1/);
});
