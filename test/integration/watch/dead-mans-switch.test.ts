/**
 * The dead man's switch on a connection whose schedule never fired once (issue 16 §1): no backup record
 * at all, so the age is measured from when its backup scheduler was created (audit `schedule.created`).
 * Real SQLite, Redis (the scheduler sync), kong-sim; a clock the test moves.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkStaleness } from '../../../src/app/index.ts';
import type { Runtime as Services } from '../../../src/compose/index.ts';
import { syncSchedules } from '../../../src/jobs/index.ts';
import { createTestEnv, type TestEnv } from '../jobs/harness.ts';
import { movableClock } from '../restore/harness.ts';

const HOUR = 3_600_000;
let t: TestEnv;
let services: Services;
let clock: { advance(ms: number): void };

beforeEach(async () => {
  t = await createTestEnv({
    connectionExtra: 'schedules: [{ name: nightly, cron: "0 3 * * *" }]\nalerts: { maxAge: 6h }',
  });
  await t.reload((yaml) => `${yaml}alerts:\n  channel: C0ALERTS\n`);
  const movable = movableClock();
  clock = movable.clock;
  services = await t.open({ now: movable.now });
});
afterEach(() => t.cleanup());

describe("the dead man's switch on a schedule that never fired", () => {
  it('alerts maxAge after the backup scheduler was created when no backup ever ran', async () => {
    // before any scheduler exists there is nothing to measure
    expect((await checkStaleness(services)).find((r) => r.connection === 'prod')).toMatchObject({
      ageMs: null,
      action: 'ok',
    });
    expect((await syncSchedules(services)).created).toContain('backup-prod-nightly');
    clock.advance(5 * HOUR);
    expect((await checkStaleness(services)).find((r) => r.connection === 'prod')?.action).toBe('ok');
    clock.advance(2 * HOUR);
    const [prod] = (await checkStaleness(services)).filter((r) => r.connection === 'prod');
    expect(prod).toMatchObject({ action: 'raised', maxAgeMs: 6 * HOUR });
    expect(prod!.ageMs).toBeGreaterThan(7 * HOUR - 60_000);
    const [raised] = await services.audit.list({ action: 'alert.raised', limit: 1 });
    expect(raised).toMatchObject({
      connection: 'prod',
      details: expect.objectContaining({ kind: 'backup-missing' }),
    });
    expect(String(raised!.details.reason)).toContain('no backup has run since its schedule was created');
  });
});
