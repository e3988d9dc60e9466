/**
 * The application's events as Prometheus metrics (src/observe): each backup and restore counted once when
 * it ends, durations from the records (backups) or the run's start event (restores), gateway failures by
 * code, Slack 429s, and the scrape-time gauges (queue depths, newest completed backup) — which leave a
 * scrape whole when their source fails.
 */
import { describe, expect, it } from 'vitest';
import type { Backup, Restore } from '../../../src/app/ports/records.ts';
import { SnapgateMetrics } from '../../../src/observe/metrics.ts';
import { MetricsNotifier } from '../../../src/observe/metrics-notifier.ts';

const T0 = Date.parse('2026-12-06T07:00:00Z');

function backup(over: Partial<Backup>): Backup {
  return {
    id: 'b1',
    connection: 'prod',
    type: 'manual',
    status: 'running',
    requestedBy: 'U1',
    note: null,
    environment: null,
    createdAt: new Date(T0),
    startedAt: new Date(T0),
    finishedAt: null,
    attempts: 1,
    counts: null,
    bytes: null,
    sha256: null,
    contentSha256: null,
    keyId: null,
    artifactName: null,
    unchangedFrom: null,
    failureReason: null,
    failureCode: null,
    kongVersion: null,
    slack: null,
    prunedAt: null,
    rewrittenAt: null,
    ...over,
  };
}

function restore(over: Partial<Restore>): Restore {
  return {
    id: 'r1',
    connection: 'prod',
    backupId: 'b1',
    requestedBy: 'U1',
    reason: 'drill',
    onlySections: null,
    noDeletes: false,
    breakGlass: false,
    status: 'running',
    planHash: null,
    liveFingerprint: null,
    planSummary: null,
    expiresAt: new Date(T0 + 1_800_000),
    approvedBy: 'U2',
    preRestoreBackupId: null,
    failureReason: null,
    failureCode: null,
    slack: null,
    createdAt: new Date(T0),
    updatedAt: new Date(T0),
    finishedAt: null,
    ...over,
  };
}

const sample = (text: string, line: string) =>
  text
    .split('\n')
    .find((l) => l.startsWith(`${line} `))
    ?.slice(line.length + 1) ?? null;

describe('metrics from the application events', () => {
  it('counts a finished backup once, with its duration and bytes; an unchanged one writes no bytes', async () => {
    const metrics = new SnapgateMetrics();
    const n = new MetricsNotifier(metrics);
    n.backupChanged({ backup: backup({}), phase: 'dumping' });
    const done = backup({ status: 'completed', finishedAt: new Date(T0 + 2500), bytes: 4096 });
    n.backupChanged({ backup: done, phase: 'finished' });
    n.backupChanged({ backup: done, phase: 'finished' }); // a repeated final event
    n.backupChanged({
      backup: backup({
        id: 'b2',
        status: 'completed',
        finishedAt: new Date(T0 + 100),
        bytes: 4096,
        unchangedFrom: 'b1',
      }),
    });
    n.backupChanged({
      backup: backup({
        id: 'b3',
        status: 'failed',
        finishedAt: new Date(T0 + 700),
        failureCode: 'gateway_unreachable',
      }),
    });
    const text = await metrics.render();
    expect(sample(text, 'snapgate_backups_total{connection="prod",status="completed"}')).toBe('2');
    expect(sample(text, 'snapgate_backups_total{connection="prod",status="failed"}')).toBe('1');
    expect(sample(text, 'snapgate_backup_duration_seconds_sum{connection="prod",status="completed"}')).toBe(
      '2.6',
    );
    expect(
      sample(text, 'snapgate_backup_duration_seconds_bucket{le="2",connection="prod",status="completed"}'),
    ).toBe('1');
    expect(sample(text, 'snapgate_artifact_bytes_written_total{connection="prod"}')).toBe('4096');
    expect(sample(text, 'snapgate_gateway_errors_total{connection="prod",code="gateway_unreachable"}')).toBe(
      '1',
    );
  });

  it('counts restores by outcome, timing the run from its start; decisions without a run have no duration', async () => {
    const metrics = new SnapgateMetrics();
    let now = T0;
    const n = new MetricsNotifier(metrics, () => new Date(now));
    n.restoreChanged({ restore: restore({}), phase: 'started' });
    now += 5000;
    const finished = restore({ status: 'completed', finishedAt: new Date(T0 + 42_000) });
    n.restoreChanged({ restore: finished, phase: 'finished' });
    n.restoreChanged({ restore: finished, phase: 'finished' });
    n.restoreChanged({ restore: restore({ id: 'r2', status: 'rejected' }), phase: 'rejected' });
    n.restoreChanged({
      restore: restore({ id: 'r3', status: 'failed', failureCode: 'gateway_auth' }),
      phase: 'finished',
    });
    n.slackRateLimited();
    n.slackRateLimited();
    const text = await metrics.render();
    expect(sample(text, 'snapgate_restores_total{connection="prod",outcome="completed"}')).toBe('1');
    expect(sample(text, 'snapgate_restores_total{connection="prod",outcome="rejected"}')).toBe('1');
    expect(sample(text, 'snapgate_restores_total{connection="prod",outcome="failed"}')).toBe('1');
    expect(sample(text, 'snapgate_restore_duration_seconds_sum{connection="prod",outcome="completed"}')).toBe(
      '42',
    );
    expect(
      sample(text, 'snapgate_restore_duration_seconds_count{connection="prod",outcome="rejected"}'),
    ).toBeNull();
    expect(sample(text, 'snapgate_gateway_errors_total{connection="prod",code="gateway_auth"}')).toBe('1');
    expect(sample(text, 'snapgate_slack_rate_limited_total')).toBe('2');
  });

  it('counts rehearsals once by outcome and observes their recovery time', async () => {
    const metrics = new SnapgateMetrics();
    const n = new MetricsNotifier(metrics);
    n.recordChanged({ kind: 'rehearsal', id: 'h1', connection: 'prod', status: 'running' });
    const passed = { kind: 'rehearsal', id: 'h1', connection: 'prod', status: 'passed', durationMs: 83_000 };
    n.recordChanged(passed);
    n.recordChanged(passed); // a repeated final event
    n.recordChanged({ kind: 'rehearsal', id: 'h2', connection: 'prod', status: 'failed', durationMs: 4_000 });
    n.recordChanged({ kind: 'other', id: 'x', connection: 'prod', status: 'passed', durationMs: 1 });
    const text = await metrics.render();
    expect(sample(text, 'snapgate_rehearsals_total{connection="prod",outcome="passed"}')).toBe('1');
    expect(sample(text, 'snapgate_rehearsals_total{connection="prod",outcome="failed"}')).toBe('1');
    expect(sample(text, 'snapgate_rehearsal_recovery_seconds_sum{connection="prod",outcome="passed"}')).toBe(
      '83',
    );
    expect(
      sample(text, 'snapgate_rehearsal_recovery_seconds_count{connection="prod",outcome="failed"}'),
    ).toBe('1');
  });

  it('reads queue depths and the newest completed backup when scraped; a failing source leaves the scrape whole', async () => {
    let redisUp = true;
    const metrics = new SnapgateMetrics({
      queueCounts: async () => {
        if (!redisUp) throw new Error('Connection is closed.');
        return { backup: { waiting: 3, active: 1, failed: 2 }, verify: {} };
      },
      lastSuccessfulBackups: async () => ({ prod: new Date(T0), staging: null }),
    });
    const up = await metrics.render();
    expect(sample(up, 'snapgate_queue_jobs{queue="backup",state="waiting"}')).toBe('3');
    expect(sample(up, 'snapgate_queue_jobs{queue="backup",state="active"}')).toBe('1');
    expect(sample(up, 'snapgate_queue_jobs{queue="backup",state="failed"}')).toBe('2');
    expect(sample(up, 'snapgate_queue_jobs{queue="verify",state="waiting"}')).toBe('0');
    expect(sample(up, 'snapgate_last_successful_backup_timestamp_seconds{connection="prod"}')).toBe(
      String(T0 / 1000),
    );
    expect(up).not.toContain('connection="staging"');
    redisUp = false;
    const down = await metrics.render();
    expect(down).not.toContain('snapgate_queue_jobs{');
    expect(sample(down, 'snapgate_last_successful_backup_timestamp_seconds{connection="prod"}')).toBe(
      String(T0 / 1000),
    );
  });
});
