/**
 * Many instances (issue 14 §2): two `snapgate serve --no-workers` and three `snapgate worker` processes
 * (real bin/snapgate children) share one Redis (random key prefix), one PostgreSQL schema and one artifact
 * directory, as replicas behind a load balancer do. Signed Slack requests alternate between the two serves:
 * 20 backups over 5 connections and 3 two-person restores. One worker is SIGKILLed mid-backup (kong-sim's
 * latency keeps backups running for seconds) and one serve mid-command (its card post held by a Slack 429);
 * a replacement serve takes its place, as an orchestrator would start one, and the command the dead serve
 * had acked is taken over from the shared inbox by a live serve. A 6-field cron fires every
 * 3 seconds on one connection while all of this runs.
 *
 * Then: every backup and restore finished exactly once (records, one `backup.completed` per backup, one
 * artifact file each), the backup the killed worker held was finished by another worker, each card's
 * edits went forward in status order only, the schedule fired once per tick, and `snapgate audit verify`
 * proves the chain that five processes appended to.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { scheduledBackupId } from '../../../src/app/backups/scheduled-backup.ts';
import type { Records } from '../../../src/app/ports/records.ts';
import { openRecords } from '../../../src/compose/index.ts';
import { type KongSim, startKongSim } from '../../../tools/kong-sim/index.ts';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack/index.ts';
import { privateSchema, type TestSchema } from '../../support/postgres.ts';
import { sendBlockAction, sendSlashCommand } from '../../support/slack-requests.ts';
import { runSnapgateBin } from '../../support/snapgate-cli.ts';
import { textOf } from '../bot/harness.ts';
import { cardActions } from '../bot/restore-harness.ts';
import { deletePrefix, KONG_TOKEN, REDIS_URL, SEED, waitFor } from '../jobs/harness.ts';
import { type Serve, type SnapgateProcess, startServe, startWorker } from './processes.ts';

const SECRET = 'scale-test-signing-secret-0123456789';
const CHANNEL = 'C0OPS';
const OPERATOR = 'U0OPER';
const APPROVER = 'U0APPROVER';
const CONNECTIONS = ['c1', 'c2', 'c3', 'c4', 'c5'];
const SCHEDULED = 'c5';
const TICK_MS = 3000;
const SCHEDULER = `backup-${SCHEDULED}-every-3s`;
/** per Admin API request: a backup of the seed takes a few seconds */
const LATENCY_MS = 250;
const STALLED_AFTER_S = 4;

const BACKUP_ORDER = ['Pending', 'Running', 'Completed'];
const RESTORE_ORDER = ['Planning', 'Awaiting approval', 'Approved', 'Restoring', 'Completed'];

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
}, 60_000);

function configYaml(dir: string, sims: KongSim[], pg: TestSchema, prefix: string): string {
  const connections = CONNECTIONS.map(
    (name, i) => `  - name: ${name}
    kongUrl: ${sims[i]!.url}
    tokenEnv: KONG_TOKEN
    environment: env-${name}
    roles:
      operator: [${OPERATOR}]
      approver: [${APPROVER}]
${name === SCHEDULED ? `    schedules:\n      - name: every-3s\n        cron: '*/3 * * * * *'\n` : ''}`,
  ).join('');
  return `connections:
${connections}storage:
  primary: ${join(dir, 'artifacts')}
  copies:
    - type: directory
      path: ${join(dir, 'offsite')}
keys:
  - id: k1
    env: SNAPGATE_KEY_1
    current: true
database: { url: "${pg.database.url}", schema: ${pg.schema} }
redis:
  url: ${REDIS_URL}
  prefix: ${prefix}
`;
}

/** The status label a card version shows (its first `*Label*`), as an index into `order`. */
function rank(message: { text?: unknown; blocks?: unknown; attachments?: unknown }, order: string[]): number {
  // the content only: a recorded call or a message also holds its channel, ts and earlier versions
  const text = textOf({ text: message.text, blocks: message.blocks, attachments: message.attachments });
  const label = /\*([A-Z][a-z ]+)\*/.exec(text)?.[1];
  return label ? order.indexOf(label) : -1;
}

it('two serves and three workers share Redis, PostgreSQL and one artifact store; kills lose nothing', async () => {
  const testStart = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'snapgate-scale-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const prefix = `sgtest-${randomUUID().slice(0, 8)}`;
  cleanups.push(() => deletePrefix(prefix));
  const pg = await privateSchema('scale');
  cleanups.push(() => pg.drop());
  const sims = await Promise.all(
    CONNECTIONS.map(() => startKongSim({ token: KONG_TOKEN, seed: SEED, latencyMs: LATENCY_MS })),
  );
  cleanups.push(() => Promise.all(sims.map((s) => s.close())));
  const slack: FakeSlack = await startFakeSlack({
    users: [
      { id: OPERATOR, name: 'oper' },
      { id: APPROVER, name: 'approver' },
    ],
  });
  cleanups.push(() => slack.close());
  const configPath = join(dir, 'snapgate.yml');
  writeFileSync(configPath, configYaml(dir, sims, pg, prefix));
  const env = {
    KONG_TOKEN,
    SNAPGATE_KEY_1: randomBytes(32).toString('hex'),
    SLACK_BOT_TOKEN: slack.token,
    SLACK_API_URL: slack.url,
    SLACK_SIGNING_SECRET: SECRET,
  };
  const processes: SnapgateProcess[] = [];
  cleanups.push(() => Promise.all(processes.map((p) => p.kill('SIGKILL'))));
  const track = <P extends SnapgateProcess>(p: P): P => {
    processes.push(p);
    return p;
  };

  // Migrations run under an advisory lock, so the five processes may all start at once.
  const [serveA, serveB, ...workers] = await Promise.all([
    startServe('serve-a', configPath, env).then(track),
    startServe('serve-b', configPath, env).then(track),
    ...[1, 2, 3].map((n) => startWorker(`worker-${n}`, configPath, env, STALLED_AFTER_S).then(track)),
  ]);
  const records: Records = await openRecords({ ...pg.database });
  /** every backup record of the test's connections */
  const allBackups = async () =>
    (await Promise.all(CONNECTIONS.map((c) => records.backups.listByConnection(c, { limit: 1000 })))).flat();
  cleanups.push(() => records.close());

  const serves: Serve[] = [serveA!, serveB!];
  let turn = 0;
  let seq = 0;
  /** `/kong <text>` through the next serve in turn, as a load balancer spreads requests; the ephemeral answer */
  const command = async (text: string, user = OPERATOR, via = serves[turn++ % 2]!) => {
    const id = `cmd-${++seq}`;
    const r = await sendSlashCommand(via.url, SECRET, {
      text,
      userId: user,
      channelId: CHANNEL,
      responseUrl: slack.responseUrl(id),
    });
    expect(r.status).toBe(200);
    return textOf(await slack.waitFor(() => slack.responses.find((x) => x.id === id)?.body, 60_000));
  };

  // --- one serve killed mid-command: its card post is held by a 429, then the process dies ----------
  slack.inject429('chat.postMessage', 60);
  const heldId = `cmd-${++seq}`;
  const held = sendSlashCommand(serveA!.url, SECRET, {
    text: 'backup c1 --note held-by-a-dead-serve',
    userId: OPERATOR,
    channelId: CHANNEL,
    responseUrl: slack.responseUrl(heldId),
  }).catch((err: Error) => err);
  await slack.waitFor(
    () => slack.calls.find((c) => c.method === 'chat.postMessage' && c.outcome === '429'),
    30_000,
  );
  await serveA!.kill('SIGKILL');
  await held;
  serves[0] = track(await startServe('serve-a2', configPath, env));

  // --- 20 backups over 5 connections, alternating between the serves ---------------------------------
  const asked = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      command(`backup ${CONNECTIONS[i % 5]} --note load-${i}`).then((answer) => {
        const id = /Backup `([^`]+)`/.exec(answer)?.[1];
        if (!id) throw new Error(`backup ${i} was not queued: ${answer}`);
        return id;
      }),
    ),
  );

  // --- one worker killed mid-backup ------------------------------------------------------------------
  const running = await waitFor(
    'a worker running a requested backup',
    async () => {
      for (const w of workers)
        for (const id of asked) {
          if (!new RegExp(`backup ${id} \\[\\w+\\] running`).test(w.output())) continue;
          if ((await records.backups.get(id))?.status === 'running') return { worker: w, id };
        }
      return undefined;
    },
    60_000,
  );
  await running.worker.kill('SIGKILL');
  expect(running.worker.output()).not.toMatch(new RegExp(`backup ${running.id} \\[\\w+\\] completed`));

  const finalBackup = (id: string) =>
    waitFor(
      `backup ${id} to finish`,
      async () => {
        const b = await records.backups.get(id);
        return b && (b.status === 'completed' || b.status === 'failed') ? b : undefined;
      },
      75_000,
    );
  const backups = await Promise.all(asked.map(finalBackup));
  expect(backups.map((b) => b.status)).toEqual(asked.map(() => 'completed'));
  const taken = backups.find((b) => b.id === running.id)!;
  expect(taken.attempts).toBeGreaterThanOrEqual(2);
  expect(new Set(backups.map((b) => b.note))).toEqual(new Set(asked.map((_, i) => `load-${i}`)));

  // --- 3 restores, each asked through one serve and approved through the other ----------------------
  const restoreIds: string[] = [];
  for (const [i, connection] of ['c1', 'c2', 'c3'].entries()) {
    const target = backups.find((b) => b.connection === connection)!;
    const res = await fetch(`${sims[i]!.url}/services`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'kong-admin-token': KONG_TOKEN },
      body: JSON.stringify({ name: `rogue-${i}`, host: 'rogue.internal' }),
    });
    expect(res.status).toBe(201);
    const answer = await command(`restore ${connection} ${target.id} --reason "scale test ${i}"`);
    const id = /Restore request `([^`]+)`/.exec(answer)?.[1];
    if (!id) throw new Error(`restore of ${connection} was not asked: ${answer}`);
    restoreIds.push(id);
  }
  for (const id of restoreIds) {
    const ts = (await waitFor(
      `restore ${id}'s card`,
      async () => (await records.restores.get(id))?.slack?.ts,
    ))!;
    const card = await slack.waitFor(() => {
      const m = slack.message(CHANNEL, ts);
      return m && /Awaiting approval/.test(textOf(m)) ? m : undefined;
    }, 60_000);
    const actions = cardActions(card);
    const approve = actions!.elements.find((e) => e.action_id === 'restore_approve')!;
    const clickId = `click-${++seq}`;
    const r = await sendBlockAction(serves[turn++ % 2]!.url, SECRET, {
      actionId: approve.action_id,
      value: approve.value,
      userId: APPROVER,
      channelId: CHANNEL,
      messageTs: ts,
      blockId: actions!.block_id,
      responseUrl: slack.responseUrl(clickId),
    });
    expect(r.status).toBe(200);
    expect(
      textOf(await slack.waitFor(() => slack.responses.find((x) => x.id === clickId)?.body, 60_000)),
    ).toMatch(/approved/);
  }
  const restores = await Promise.all(
    restoreIds.map((id) =>
      waitFor(
        `restore ${id} to finish`,
        async () => {
          const r = await records.restores.get(id);
          return r && ['completed', 'partially_failed', 'failed'].includes(r.status) ? r : undefined;
        },
        60_000,
      ),
    ),
  );
  expect(restores.map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
  // With every worker slot busy a tick's job can wait past the next tick, and BullMQ then schedules the
  // tick after that: a tick may be skipped under load, never run twice. Once the load is over, every
  // tick fires, once.
  const quietFrom = Date.now();
  const quietTicks = [1, 2, 3, 4].map((n) => (Math.floor(quietFrom / TICK_MS) + n) * TICK_MS);
  await waitFor(
    'four quiet ticks of the schedule',
    async () => {
      const ids = quietTicks.map((t) => scheduledBackupId(`repeat:${SCHEDULER}:${t}`));
      const got = await Promise.all(ids.map((id) => records.backups.get(id)));
      return got.every((b) => b?.status === 'completed');
    },
    5 * TICK_MS + 30_000,
  );

  // --- the serve killed mid-command: its command was taken over by another serve, once ----------------
  // It was kept in the inbox from before its ack (command-inbox.ts); when the dead serve's heartbeat ran
  // out, one of the live serves ran it: one record, one card, and an ephemeral answer saying so.
  const takenOver = await waitFor(
    'the held command to be taken over',
    async () => {
      const all = await allBackups();
      const found = all.filter((b) => b.note === 'held-by-a-dead-serve');
      return found.length > 0 ? found : undefined;
    },
    60_000,
  );
  expect(takenOver).toHaveLength(1);
  expect((await finalBackup(takenOver[0]!.id)).status).toBe('completed');
  expect(
    slack
      .channel(CHANNEL)
      .filter((m) => /held-by-a-dead-serve/.test(textOf([m.text, m.blocks, m.attachments]))),
  ).toHaveLength(1);
  expect(
    slack.calls.filter(
      (c) =>
        c.method === 'chat.postEphemeral' &&
        c.outcome === 'ok' &&
        /snapgate restarted while handling `\/kong backup c1 --note held-by-a-dead-serve`/.test(
          textOf(c.body),
        ),
    ),
  ).toHaveLength(1);
  // the dead serve never answered through the command's response_url
  expect(slack.responses.some((x) => x.id === heldId)).toBe(false);

  // --- exactly once: records, audit, artifacts -------------------------------------------------------
  await waitFor(
    'every backup to finish',
    async () => {
      const list = await allBackups();
      return list.every((b) => b.status === 'completed' || b.status === 'failed') ? list : undefined;
    },
    60_000,
  );
  // a worker killed between a backup's record and its audit append leaves the event to the worker its
  // stalled job goes to next (after STALLED_AFTER_S): wait for every outcome event before stopping them
  await waitFor(
    "every finished backup's outcome event",
    async () => {
      const list = await allBackups();
      const events = await records.audit.list({ action: 'backup.*', limit: 1000 });
      const audited = new Set(
        events
          .filter((e) => e.action === 'backup.completed' || e.action === 'backup.failed')
          .map((e) => e.targetId),
      );
      return list.every((b) => audited.has(b.id)) ? true : undefined;
    },
    30_000,
  );
  // …and for every backup card's final state: a worker killed between the record and the card leaves the
  // card to the worker its stalled job goes to (runBackup sets a settled backup's final state again)
  await waitFor(
    'every backup card to show its outcome',
    async () =>
      backups.every(
        (b) => rank(slack.message(CHANNEL, b.slack!.ts)!, BACKUP_ORDER) === BACKUP_ORDER.length - 1,
      )
        ? true
        : undefined,
    30_000,
  ).catch(() => undefined); // the card assertions below say which card did not
  for (const w of processes) await w.kill('SIGTERM');
  const finished = await allBackups();
  expect(finished.filter((b) => b.status !== 'completed')).toEqual([]);
  const audit = await records.audit.list({ limit: 1000 });
  const count = (action: string, target: string) =>
    audit.filter((e) => e.action === action && e.targetId === target).length;
  for (const b of finished) {
    expect(count('backup.requested', b.id) + (b.type === 'pre-restore' ? 1 : 0), b.id).toBeGreaterThanOrEqual(
      1,
    );
    expect(count('backup.completed', b.id), `${b.id} completed once`).toBe(1);
  }
  for (const r of restores) expect(count('restore.completed', r.id), `${r.id} completed once`).toBe(1);
  const artifacts = readdirSync(join(dir, 'artifacts'), { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile() && !f.name.startsWith('.') && !f.parentPath.includes('audit-checkpoints'))
    .map((f) => f.name);
  for (const b of finished)
    expect(
      artifacts.filter((a) => a.startsWith(b.artifactName!)),
      b.artifactName!,
    ).toHaveLength(1);
  // backups of unchanged content share one artifact (listByArtifact); no file is written twice
  expect(artifacts).toHaveLength(new Set(finished.map((b) => b.artifactName)).size);

  // --- each card went forward only ------------------------------------------------------------------
  const edits = (ts: string, order: string[]) =>
    slack
      .callsTo('chat.update')
      .filter((c) => c.body.ts === ts && c.outcome === 'ok')
      .map((c) => rank(c.body, order));
  for (const b of backups) {
    const card = slack.message(CHANNEL, b.slack!.ts)!;
    expect(rank(card, BACKUP_ORDER), `backup card ${b.id}`).toBe(BACKUP_ORDER.indexOf('Completed'));
    const ranks = edits(b.slack!.ts, BACKUP_ORDER);
    expect(ranks, `backup card ${b.id}`).toEqual([...ranks].sort((x, y) => x - y));
  }
  for (const r of restores) {
    const updates = edits(r.slack!.ts, RESTORE_ORDER);
    expect(updates, `restore card ${r.id}`).toEqual([...updates].sort((x, y) => x - y));
    expect(updates.at(-1)).toBe(RESTORE_ORDER.indexOf('Completed'));
  }

  // --- the schedule fired once per tick, whichever worker ran it ------------------------------------
  const scheduled = finished.filter((b) => b.type === 'scheduled');
  const ticks: number[] = [];
  for (let t = Math.ceil(testStart / TICK_MS) * TICK_MS; t <= Date.now(); t += TICK_MS) ticks.push(t);
  const byTick = new Map(ticks.map((t) => [scheduledBackupId(`repeat:${SCHEDULER}:${t}`), t]));
  // every scheduled backup belongs to one tick of the cron (ids derive from the tick; a second scheduler
  // or a drifting one would make others), was requested once, and the quiet ticks all fired
  for (const b of scheduled)
    expect(byTick.has(b.id), `scheduled backup ${b.id} at ${b.createdAt.toISOString()}`).toBe(true);
  const fired = new Set(scheduled.map((b) => byTick.get(b.id)));
  expect(quietTicks.filter((t) => !fired.has(t))).toEqual([]);
  expect(fired.size).toBe(scheduled.length);
  for (const b of scheduled) expect(count('backup.requested', b.id), `${b.id} requested once`).toBe(1);

  // --- the chain five processes appended to verifies --------------------------------------------------
  const verify = await runSnapgateBin(['audit', 'verify', '--config', configPath], env);
  expect(verify.err).toBe('');
  expect(verify.code).toBe(0);
  expect(verify.out).toMatch(/verified|intact|ok/i);
  slack.assertNoProblems();
}, 180_000);
