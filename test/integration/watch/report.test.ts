/**
 * The weekly report (issue 16 §5): per connection, backups taken and failed, the newest verified backup,
 * the last rehearsal and its recovery time, restores, storage used and its growth — posted by the
 * `report` job (a BullMQ job scheduler) to the channel `report:` names, through the real Slack output
 * against the fake Slack, and printed by `snapgate report`. Real SQLite, Redis, kong-sim, worker.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildReport, CompositeNotifier, rehearse, verifyBackup } from '../../../src/app/index.ts';
import { readBotEnv } from '../../../src/bot/env.ts';
import { silentLogger } from '../../../src/bot/logger.ts';
import { createSlackOutput, type SlackOutput } from '../../../src/bot/slack/output.ts';
import type { Runtime as Services } from '../../../src/compose/index.ts';
import { JOB_NAMES, type RunningWorkers, syncSchedules } from '../../../src/jobs/index.ts';
import { type KongSim, startKongSim } from '../../../tools/kong-sim/index.ts';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack/index.ts';
import { cliInProcess } from '../../support/snapgate-cli.ts';
import { createTestEnv, KONG_TOKEN, RecordingNotifier, type TestEnv } from '../jobs/harness.ts';
import { kongCaller, movableClock, startTestWorkers, takeBackup } from '../restore/harness.ts';

const DAY = 24 * 3600 * 1000;
const REPORTS = 'C0REPORTS';
const ALERTS = 'C0ALERTS';

let t: TestEnv;
let scratch: KongSim;
let fake: FakeSlack;
let out: SlackOutput;
let services: Services;
let workers: RunningWorkers;
let clock: { advance(ms: number): void };

beforeEach(async () => {
  t = await createTestEnv({ secondConnection: true });
  scratch = await startKongSim({ token: KONG_TOKEN });
  await t.reload(
    (yaml) =>
      `${yaml
        .replace(
          '    environment: prod\n',
          "    environment: prod\n    rehearsal: { cron: '0 4 * * 0', target: scratch }\n",
        )
        .replace(
          'storage:\n',
          `  - name: scratch\n    kongUrl: ${scratch.url}\n    tokenEnv: KONG_TOKEN\n    environment: scratch\n    scratch: true\nstorage:\n`,
        )}report: { channel: ${REPORTS}, cron: '0 8 * * 1' }\nalerts: { channel: ${ALERTS} }\n`,
  );
  fake = await startFakeSlack();
  out = createSlackOutput(
    readBotEnv({ SLACK_BOT_TOKEN: fake.token, SLACK_SIGNING_SECRET: 's', SLACK_API_URL: fake.url }),
    { logger: silentLogger(), cardIntervalMs: 50 },
  );
  const movable = movableClock();
  clock = movable.clock;
  services = await t.open({
    notifier: new CompositeNotifier([new RecordingNotifier(), out.notifier]),
    now: movable.now,
  });
  workers = await startTestWorkers(services);
  for (const [k, v] of Object.entries(t.env)) vi.stubEnv(k, v);
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await workers.close(2000);
  await out.notifier.idle();
  fake.assertNoProblems();
  await fake.close();
  await t.cleanup();
  await scratch.close();
});

describe('the weekly report', () => {
  it('sums the week per connection, posts it to the report channel on its schedule, and the CLI prints the same', async () => {
    // before the week: one backup (its artifact is storage at the week's start)
    const old = await takeBackup(services);
    clock.advance(8 * DAY);
    // this week: a changed gateway backed up (a new artifact: the growth), the same content again (shares
    // it), a failed backup, a verification, a rehearsal and a rejected restore request
    await kongCaller(services)('POST', '/services', { name: 'payments', host: 'payments.internal' });
    const fresh = await takeBackup(services);
    const same = await takeBackup(services);
    expect(same.artifactName).toBe(fresh.artifactName);
    const failed = await services.repos.backups.create({
      connection: 'prod',
      type: 'scheduled',
      requestedBy: 'system',
    });
    await services.repos.backups.markFailed(failed.id, {
      code: 'gateway_unreachable',
      reason: 'connect ECONNREFUSED',
    });
    expect((await verifyBackup(services, fresh.id, 'cli:oncall')).ok).toBe(true);
    const rehearsal = await rehearse(services, { connection: 'prod', requestedBy: 'system' });
    expect(rehearsal.status).toBe('passed');
    const restore = await services.repos.restores.create({
      connection: 'prod',
      backupId: fresh.id,
      requestedBy: 'U0REQ',
      reason: 'test',
      expiresAt: new Date(Date.now() + 8 * DAY + 3_600_000),
    });
    await services.repos.restores.finish(restore.id, 'failed', {
      failure: { code: 'plan_refused', reason: 'x' },
    });

    const report = await buildReport(services);
    const prod = report.connections.find((c) => c.connection === 'prod')!;
    expect(prod.backups).toEqual({ taken: 3, completed: 2, failed: 1 });
    expect(prod.newestVerified).toMatchObject({ id: fresh.id });
    expect(prod.lastRehearsal).toMatchObject({ id: rehearsal.id, status: 'passed' });
    expect(prod.restores).toEqual({ requested: 1, completed: 0, failed: 1, open: 0, other: 0 });
    expect(prod.storage).toEqual({
      bytes: (old.bytes ?? 0) + (fresh.bytes ?? 0),
      artifacts: 2,
      growthBytes: fresh.bytes,
      copies: 2,
    });
    const staging = report.connections.find((c) => c.connection === 'staging')!;
    expect(staging).toMatchObject({
      backups: { taken: 0, completed: 0, failed: 0 },
      newestVerified: null,
      lastRehearsal: null,
      storage: { bytes: 0, artifacts: 0, growthBytes: 0 },
    });

    // the schedule, and the job it fires, posted to the report channel
    expect((await syncSchedules(services)).created).toContain('report-weekly');
    const [scheduler] = (await services.queues.report.getJobSchedulers(0, -1)).filter(
      (s) => s.key === 'report-weekly',
    );
    expect(scheduler).toMatchObject({ pattern: '0 8 * * 1', name: JOB_NAMES.report });
    await services.queues.report.add(JOB_NAMES.report, { scheduled: true });
    const [post] = await fake.waitFor(() => {
      const posts = fake.callsTo('chat.postMessage').filter((c) => c.body.channel === REPORTS);
      return posts.length ? posts : undefined;
    }, 10_000);
    const posted = JSON.stringify(post!.body.blocks);
    expect(post!.body.text).toBe('snapgate weekly report: 3 connections, 3 need a look');
    expect(posted).toContain('3 backups taken, 2 completed, 1 failed');
    expect(posted).toContain(`newest verified backup \`${fresh.id}\``);
    expect(posted).toMatch(/last rehearsal .*recovery time \*[\d.]+ (ms|s)\*/);
    expect(posted).toContain('1 restore requested: 0 completed, 1 failed, 0 open');
    expect(posted).toContain(':warning: no backup has passed verification'); // staging and scratch

    // the CLI reads the real clock (the services above run 8 days ahead): over 30 days it sees every backup
    const run = await cliInProcess(['report', '--days', '30', '--config', t.configPath]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toContain('prod (prod)');
    expect(run.out).toContain('backups         4 taken, 3 completed, 1 failed');
    expect(run.out).toContain(`newest verified ${fresh.id}`);
    expect(run.out).toMatch(/last rehearsal {2}passed .*, recovery time .* \(\d+ entities, drift 0\)/);
    expect(run.out).toContain('restores        1 requested: 0 completed, 1 failed, 0 open');
    // storage is measured at the CLI's now: only the artifact written before the clock moved exists by then
    expect(run.out).toMatch(/storage .* in 1 artifact\(s\) × 2 place\(s\), \+.* this period/);
    expect(run.out).toContain('staging (staging)\n  backups         0 taken');
    const json = JSON.parse((await cliInProcess(['report', '--json', '--config', t.configPath])).out);
    expect(json.connections.map((c: { connection: string }) => c.connection)).toEqual([
      'prod',
      'staging',
      'scratch',
    ]);
  });
});

describe('rehearsal alerts in Slack', () => {
  it('a failed rehearsal posts one alert naming the backup; the next passing one says resolved in its thread', async () => {
    const backup = await takeBackup(services);
    scratch.state.plugins.delete('rate-limiting');
    expect((await rehearse(services, { connection: 'prod', requestedBy: 'system' })).status).toBe('failed');
    expect((await rehearse(services, { connection: 'prod', requestedBy: 'system' })).status).toBe('failed');
    await out.notifier.idle();
    const alerts = fake.channel(ALERTS);
    expect(alerts).toHaveLength(1); // the same failure twice is one alert
    const alert = JSON.stringify(alerts[0]);
    expect(alert).toContain('Restore rehearsal failed');
    expect(alert).toContain(backup.id);
    expect(alert).toContain('rate-limiting');

    scratch.state.plugins.add('rate-limiting');
    expect((await rehearse(services, { connection: 'prod', requestedBy: 'system' })).status).toBe('passed');
    await out.notifier.idle();
    const replies = await fake.waitFor(() => {
      const r = fake.thread(ALERTS, alerts[0]!.ts);
      return r.length ? r : undefined;
    }, 5000);
    expect(JSON.stringify(replies.at(-1))).toMatch(/[Rr]esolved/);
    expect(fake.channel(ALERTS)).toHaveLength(1);
  });
});
