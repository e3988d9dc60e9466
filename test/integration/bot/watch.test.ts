/**
 * Issue 16, parts 1 and 2, end to end through the real pieces: the Bolt app receiving signed requests,
 * fake Slack, real Redis (random BullMQ prefix), real SQLite, two kong-sims, the workers reporting
 * through the Slack and metrics notifiers, and a controllable clock (an offset on the real one: the
 * services, the records and the audit log read it; nothing sleeps to let time pass).
 *
 * Alerts: a failed scheduled backup → alert with the reason, advice by code and a Retry button; the same
 * failure again is not posted; Retry is role-checked, audited, and runs a backup whose completion posts
 * "resolved" in the alert's thread. The dead man's switch: an old newest backup → alert; repeats in the
 * thread with back-off; resolved when a backup completes. A failed verification → alert naming backup
 * and copy, once. `raiseAlert` for a failed rehearsal. Drift: nothing posted while nothing changed, one
 * card (counts, first changes, masked full diff as a file) on change, no repeat of the same drift,
 * `/kong drift`, and `action: backup` taking a backup labelled `drift`.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CompositeNotifier, raiseAlert, requestBackup } from '../../../src/app/index.ts';
import { fromJobServices } from '../../../src/bot/job-services.ts';
import { ALERT_RETRY_ACTION } from '../../../src/bot/views/alert.ts';
import { createServices, type Runtime as Services } from '../../../src/compose/index.ts';
import { loadConfig } from '../../../src/config/index.ts';
import type { Backup } from '../../../src/db/index.ts';
import { JOB_NAMES, type RunningWorkers, startWorkers, type WatchJobData } from '../../../src/jobs/index.ts';
import { SnapgateMetrics } from '../../../src/observe/metrics.ts';
import { MetricsNotifier } from '../../../src/observe/metrics-notifier.ts';
import { type KongSim, startKongSim } from '../../../tools/kong-sim/index.ts';
import type { FakeMessage } from '../../support/fake-slack/index.ts';
import {
  type BaseFixture,
  type BotFixture,
  CHANNEL,
  CONFIG_ENV,
  configYaml,
  openBase,
  PEOPLE,
  startBot,
  textOf,
} from './harness.ts';

const ALERTS = 'C0ALERTS';
const HOUR = 3600_000;
/** prod's schedule runs daily: maxAge defaults to 1.5 × 24 h */
const MAX_AGE = 36 * HOUR;
const KEYAUTH_SECRET = 'keyauth-secret-do-not-leak-51c9';
const LIVE_SECRET = 'live-keyauth-secret-do-not-leak-88e1';
const SEED = {
  _format_version: '3.0',
  services: [
    { name: 'orders', host: 'orders.internal', routes: [{ name: 'orders-api', paths: ['/orders'] }] },
    { name: 'billing', host: 'billing.internal', routes: [{ name: 'billing-api', paths: ['/billing'] }] },
  ],
  consumers: [{ username: 'alice', keyauth_credentials: [{ key: KEYAUTH_SECRET }] }],
};

let sim: KongSim;
let sim2: KongSim;
let base: BaseFixture;
let services: Services;
let workers: RunningWorkers;
let t: BotFixture;
let idle: () => Promise<void>;
const metrics = new SnapgateMetrics();
const prefix = `sgwatch-${randomUUID().slice(0, 8)}`;

/** The harness's snapgate.yml plus alerts (top-level default), a daily schedule and drift checks. */
function watchYaml(dir: string): string {
  const yaml = configYaml(dir, sim.url, sim2.url)
    .replace(
      '    owner: team-platform\n',
      `    owner: team-platform
    schedules: [{ name: nightly, cron: "0 3 * * *" }]
    drift: { cron: "*/10 * * * *" }
`,
    )
    .replace(
      '    environment: staging\n',
      `    environment: staging
    drift: { cron: "*/10 * * * *", action: backup }
`,
    );
  return `${yaml}alerts:\n  channel: ${ALERTS}\n  mention: S0ONCALL\n`;
}

beforeAll(async () => {
  sim = await startKongSim({ token: CONFIG_ENV.KONG_PROD_TOKEN, seed: SEED });
  sim2 = await startKongSim({ token: CONFIG_ENV.KONG_PROD_TOKEN, seed: SEED });
  base = await openBase(sim.url, sim2.url);
  writeFileSync(join(base.dir, 'snapgate.yml'), watchYaml(base.dir));
  base.config = await loadConfig({ path: join(base.dir, 'snapgate.yml'), env: CONFIG_ENV });
  t = await startBot(async (output) => {
    services = await createServices({
      config: base.config,
      notifier: new CompositeNotifier([output.notifier, new MetricsNotifier(metrics)]),
      redis: { prefix },
      retry: { attempts: 1, backoffMs: 50 },
      now: base.clock.now,
    });
    workers = await startWorkers(services, {
      syncSchedules: false,
      recover: false,
      auditCheckpoints: false,
      log: () => undefined,
    });
    idle = () => output.notifier.idle();
    return fromJobServices(services);
  });
});

afterAll(async () => {
  await t.close();
  await workers.close(2000);
  await services.close();
  await sim.close();
  await sim2.close();
  await deletePrefix(prefix);
  base.cleanup();
});

afterEach(() => t.fake.assertNoProblems());

const textOfMessage = (m: FakeMessage | undefined) =>
  textOf({ text: m?.text, attachments: m?.attachments, blocks: m?.blocks });
const alerts = () => t.fake.channel(ALERTS);
const threadOf = (m: FakeMessage) => t.fake.thread(ALERTS, m.ts);

let jobs = 0;
async function settled(job: Job): Promise<string> {
  for (let i = 0; i < 1500; i++) {
    const state = await job.getState();
    if (state === 'completed' || state === 'failed') {
      await idle();
      return state;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`job ${job.id} did not finish`);
}

/** Runs one watch job (what the job schedulers produce) and waits until it and its Slack posts are done. */
async function watchJob(data: WatchJobData): Promise<void> {
  const name = 'staleness' in data ? JOB_NAMES.stalenessCheck : JOB_NAMES.driftCheck;
  const job = await services.queues.watch.add(name, data, { jobId: `test-watch-${++jobs}` });
  expect(await settled(job)).toBe('completed');
}

/** A run of prod's `nightly` job scheduler, as BullMQ would add it. */
async function scheduledBackup(): Promise<Backup> {
  const job = await services.queues.backup.add(
    JOB_NAMES.scheduledBackup,
    { connection: 'prod', schedule: 'nightly' },
    { jobId: `test-sched-${++jobs}`, attempts: 1 },
  );
  await settled(job);
  const [newest] = await services.repos.backups.listByConnection('prod', { limit: 1 });
  return newest!;
}

async function waitForBackup(connection: string, predicate: (b: Backup) => boolean): Promise<Backup> {
  for (let i = 0; i < 1500; i++) {
    const found = (await services.repos.backups.listByConnection(connection, { limit: 50 })).find(predicate);
    if (found && (found.status === 'completed' || found.status === 'failed')) {
      await idle();
      return found;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no finished backup of ${connection} matched`);
}

async function auditActions(action: string, connection = 'prod'): Promise<Record<string, unknown>[]> {
  return (await base.audit.list({ action, connection, limit: 100 })).map((e) => e.details);
}

async function kongWrite(target: KongSim, method: string, path: string, body?: unknown): Promise<void> {
  const r = await fetch(`${target.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'kong-admin-token': CONFIG_ENV.KONG_PROD_TOKEN },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  expect(r.status).toBeLessThan(300);
}

describe('alerts: a failed scheduled backup', () => {
  let alert: FakeMessage;

  it('posts one alert with the reason, advice by code, a mention and a Retry button', async () => {
    sim.state.faults.failRate = 1;
    const failed = await scheduledBackup();
    expect(failed).toMatchObject({ type: 'scheduled', status: 'failed', failureCode: 'gateway_error' });
    alert = await t.fake.waitFor(() => alerts()[0]);
    const text = textOfMessage(alert);
    expect(text).toContain('Scheduled backup failed: prod');
    expect(text).toContain(failed.id);
    expect(text).toContain('gateway_error');
    expect(text).toMatch(/The gateway answered with an error/); // failure-advice.ts by code
    expect(text).toContain('<!subteam^S0ONCALL>');
    expect(JSON.stringify(alert)).toContain(ALERT_RETRY_ACTION);
    expect(await auditActions('alert.raised')).toMatchObject([{ kind: 'backup-failed', channel: ALERTS }]);
  });

  it('does not post the same failure twice in a row (audited as suppressed)', async () => {
    const again = await scheduledBackup();
    expect(again.status).toBe('failed');
    expect(alerts()).toHaveLength(1);
    expect(await auditActions('alert.suppressed')).toMatchObject([{ kind: 'backup-failed' }]);
    sim.state.faults.reset();
  });

  it('refuses Retry to someone without the operator role on the connection (audited)', async () => {
    const before = alerts().length;
    const r = await t.click({
      userId: PEOPLE.nobody,
      actionId: ALERT_RETRY_ACTION,
      value: 'prod',
      channelId: ALERTS,
      messageTs: alert.ts,
    });
    expect(r.status).toBe(200);
    const answer = await t.fake.waitFor(() => t.responses(r.responseId)[0]);
    expect(textOf(answer)).toMatch(/operator/);
    expect(alerts()).toHaveLength(before);
    // the refusal is audited beside the answer, not before it: wait for the entry
    await expect
      .poll(async () => (await base.audit.list({ actor: PEOPLE.nobody, limit: 1 }))[0], { timeout: 10_000 })
      .toMatchObject({ action: 'slack.refused', connection: 'prod' });
  });

  it('Retry by an operator runs a backup; its completion posts "resolved" in the alert thread', async () => {
    const r = await t.click({
      userId: PEOPLE.operator,
      actionId: ALERT_RETRY_ACTION,
      value: 'prod',
      channelId: ALERTS,
      messageTs: alert.ts,
    });
    expect(r.status).toBe(200);
    expect(r.ackMs).toBeLessThan(3000);
    const backup = await waitForBackup('prod', (b) => b.requestedBy === PEOPLE.operator);
    expect(backup).toMatchObject({ status: 'completed', type: 'manual', note: 'retry from alert' });
    expect(backup.slack?.channel).toBe(ALERTS); // its card went to the alert's channel
    const resolved = await t.fake.waitFor(() => threadOf(alert).find((m) => /Resolved/.test(m.text ?? '')));
    expect(resolved.text).toContain(`backup ${backup.id} completed`);
    expect(await services.repos.watch.get('prod', 'backup-failed')).toBeNull();
    const [click] = await base.audit.list({ actor: PEOPLE.operator, action: 'slack.button', limit: 1 });
    expect(click).toMatchObject({ outcome: 'ok', connection: 'prod', targetId: backup.id });
    expect(click!.details).toMatchObject({ action: ALERT_RETRY_ACTION, retry: true });
    expect(await auditActions('alert.resolved')).toMatchObject([{ kind: 'backup-failed' }]);
  });
});

describe("alerts: the dead man's switch", () => {
  let alert: FakeMessage;
  const reminders = () => threadOf(alert).filter((m) => /Still/.test(m.text ?? ''));

  it('stays quiet while the newest backup is younger than maxAge', async () => {
    const before = alerts().length;
    base.clock.advance(MAX_AGE - HOUR);
    await watchJob({ staleness: true });
    expect(alerts()).toHaveLength(before);
    expect(await services.repos.watch.get('prod', 'backup-missing')).toBeNull();
  });

  it('alerts once the newest completed backup is older than maxAge (1.5 × the daily schedule)', async () => {
    const before = alerts().length;
    base.clock.advance(2 * HOUR);
    await watchJob({ staleness: true });
    expect(alerts()).toHaveLength(before + 1);
    alert = alerts().at(-1)!;
    const text = textOfMessage(alert);
    expect(text).toContain('No recent backup: prod');
    expect(text).toMatch(/no completed backup of prod for 1d 13h \(maxAge 1d 12h/);
    expect(JSON.stringify(alert)).toContain(ALERT_RETRY_ACTION);
  });

  it('repeats in the thread with back-off (maxAge, then 2 × maxAge), never as a new alert', async () => {
    const top = alerts().length;
    await watchJob({ staleness: true }); // at once: not due
    expect(reminders()).toHaveLength(0);
    base.clock.advance(MAX_AGE + 60_000);
    await watchJob({ staleness: true });
    expect(reminders()).toHaveLength(1);
    expect(reminders()[0]!.text).toContain('reminder 1');
    expect(reminders()[0]!.replyBroadcast).toBe(true);
    base.clock.advance(MAX_AGE + 60_000); // the second repeat waits 2 × maxAge
    await watchJob({ staleness: true });
    expect(reminders()).toHaveLength(1);
    base.clock.advance(MAX_AGE);
    await watchJob({ staleness: true });
    expect(reminders()).toHaveLength(2);
    expect(reminders()[1]!.text).toContain('reminder 2');
    expect(alerts()).toHaveLength(top);
    expect(await auditActions('alert.repeated')).toHaveLength(2);
  });

  it('posts "resolved" in the alert thread when the next backup completes', async () => {
    const next = await scheduledBackup();
    expect(next.status).toBe('completed');
    const resolved = await t.fake.waitFor(() => threadOf(alert).find((m) => /Resolved/.test(m.text ?? '')));
    expect(resolved.text).toContain(next.id);
    expect(await services.repos.watch.get('prod', 'backup-missing')).toBeNull();
    await watchJob({ staleness: true });
    expect(threadOf(alert).filter((m) => /Still/.test(m.text ?? ''))).toHaveLength(2);
  });
});

describe('alerts: a failed verification, and raiseAlert for a failed rehearsal', () => {
  it('alerts naming the backup and the bad copy, once for the same problem', async () => {
    const backup = (await services.repos.backups.findLatestCompleted('prod'))!;
    const copyDir = join(base.dir, 'copy');
    const file = readdirSync(copyDir).find((f) => f === backup.artifactName)!;
    writeFileSync(join(copyDir, file), 'not an artifact any more');
    const before = alerts().length;
    await services.work.verify(backup.id);
    const alert = await t.fake.waitFor(() => alerts()[before], 20_000);
    const text = textOfMessage(alert);
    expect(text).toContain('Backup verification failed: prod');
    expect(text).toContain(backup.id);
    expect(text).toContain(`directory:${copyDir}`);
    expect(JSON.stringify(alert)).not.toContain(ALERT_RETRY_ACTION);

    await services.work.verify(backup.id);
    for (let i = 0; i < 1000 && (await auditActions('alert.suppressed')).length < 2; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(await auditActions('alert.suppressed')).toMatchObject([{ kind: 'verify-failed' }, {}]);
    await idle();
    expect(alerts()).toHaveLength(before + 1);
  });

  it('raiseAlert posts a rehearsal failure once and reports a repeat as the same problem', async () => {
    const before = alerts().length;
    const input = {
      connection: 'prod',
      kind: 'rehearsal-failed' as const,
      reason: 'rehearsal into scratch left 2 differences',
      backupId: 'b-rehearsed',
      copy: 'primary',
    };
    const first = await raiseAlert(services, input);
    expect(first).toMatchObject({ raised: true, posted: true, thread: { channel: ALERTS } });
    expect(await raiseAlert(services, input)).toEqual({ raised: false, why: 'same-problem' });
    await idle();
    expect(alerts()).toHaveLength(before + 1);
    expect(textOfMessage(alerts().at(-1))).toMatch(/Restore rehearsal failed: prod[\s\S]*b-rehearsed/);
  });

  it('counts every alert event in snapgate_alerts_total', async () => {
    const text = await metrics.render();
    const line = (kind: string, event: string) =>
      `snapgate_alerts_total{connection="prod",kind="${kind}",event="${event}"}`;
    expect(text).toContain(`${line('backup-failed', 'raised')} 1`);
    expect(text).toContain(`${line('backup-failed', 'suppressed')} 1`);
    expect(text).toContain(`${line('backup-failed', 'resolved')} 1`);
    expect(text).toContain(`${line('backup-missing', 'raised')} 1`);
    expect(text).toContain(`${line('backup-missing', 'repeated')} 2`);
    expect(text).toContain(`${line('verify-failed', 'raised')} 1`);
    expect(text).toContain(`${line('rehearsal-failed', 'suppressed')} 1`);
  });
});

describe('drift detection', () => {
  it('posts nothing while the gateway matches its newest backup', async () => {
    const before = alerts().length;
    await watchJob({ connection: 'prod' });
    expect(alerts()).toHaveLength(before);
    expect((await auditActions('drift.checked'))[0]).toMatchObject({ drift: false, status: 'unchanged' });
  });

  it('posts one drift card on change: counts, first changes, the masked full diff as a file', async () => {
    await kongWrite(sim, 'POST', '/services', { name: 'rogue', host: 'rogue.internal' });
    await kongWrite(sim, 'POST', '/consumers/alice/key-auth', { key: LIVE_SECRET });
    const before = alerts().length;
    await watchJob({ connection: 'prod' });
    expect(alerts()).toHaveLength(before + 1);
    const card = alerts().at(-1)!;
    const text = textOfMessage(card);
    expect(text).toMatch(/Drift on `prod`/);
    expect(text).toMatch(/0 create, 0 update, 2 delete/);
    expect(text).toMatch(/`services`: \+0 create, ~0 update, −1 delete/);
    expect(text).toMatch(/delete service rogue/);
    expect(text).not.toContain(LIVE_SECRET);
    const file = await t.fake.waitFor(() => t.fake.files.find((f) => f.threadTs === card.ts && f.completed));
    const content = file.content!.toString('utf8');
    expect(content).toContain('rogue');
    expect(content).toContain('keyauth_credentials');
    expect(content).not.toContain(LIVE_SECRET);
    expect(content).not.toContain(KEYAUTH_SECRET);
  });

  it('does not post the same drift again', async () => {
    const before = alerts().length;
    await watchJob({ connection: 'prod' });
    await watchJob({ connection: 'prod' });
    expect(alerts()).toHaveLength(before);
    const detected = await auditActions('drift.detected');
    expect(detected.slice(0, 3).map((d) => d.repeat)).toEqual([true, true, false]);
  });

  it('/kong drift answers in the channel it was asked in, even for a drift already posted', async () => {
    const before = t.fake.channel(CHANNEL).length;
    const r = await t.kong(PEOPLE.operator, 'drift prod');
    expect(r.status).toBe(200);
    expect(r.ackMs).toBeLessThan(3000);
    const card = await t.fake.waitFor(() => t.fake.channel(CHANNEL)[before], 20_000);
    expect(textOfMessage(card)).toMatch(/Drift on `prod`/);
    expect(textOfMessage(card)).toMatch(/asked by <@U0OPER>/);
    const ack = await t.fake.waitFor(() => t.responses(r.responseId)[0]);
    expect(textOf(ack)).toMatch(/Checking `prod` for drift/);
    const denied = await t.kong(PEOPLE.nobody, 'drift prod');
    const refusal = await t.fake.waitFor(() => t.responses(denied.responseId)[0]);
    expect(textOf(refusal)).toMatch(/operator/);
    await t.bot.idle();
    expect(t.fake.channel(CHANNEL)).toHaveLength(before + 1);
  });

  it('a further change is a new drift, posted once more', async () => {
    await kongWrite(sim, 'DELETE', '/routes/billing-api');
    const before = alerts().length;
    await watchJob({ connection: 'prod' });
    expect(alerts()).toHaveLength(before + 1);
    expect(textOfMessage(alerts().at(-1))).toMatch(/create route billing-api/);
  });

  it('with action: backup, takes a backup labelled drift; the next check finds nothing to post', async () => {
    const initial = await requestBackup(services, {
      connection: 'staging',
      type: 'manual',
      requestedBy: PEOPLE.operator,
    });
    await waitForBackup('staging', (b) => b.id === initial.id);
    await kongWrite(sim2, 'POST', '/services', { name: 'hotfix', host: 'hotfix.internal' });
    const before = alerts().length;
    await watchJob({ connection: 'staging' });
    expect(alerts()).toHaveLength(before + 1);
    const card = textOfMessage(alerts().at(-1));
    expect(card).toMatch(/Drift on `staging`/);
    const taken = await waitForBackup('staging', (b) => b.note === 'drift');
    expect(taken).toMatchObject({ status: 'completed', requestedBy: 'system', note: 'drift' });
    expect(card).toContain(taken.id);
    expect(taken.counts?.services).toBe(3);
    await watchJob({ connection: 'staging' });
    expect(alerts()).toHaveLength(before + 1);
    expect((await auditActions('drift.checked', 'staging'))[0]).toMatchObject({ status: 'unchanged' });
  });
});

async function deletePrefix(p: string): Promise<void> {
  const redis = new Redis('redis://127.0.0.1:6379');
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${p}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
