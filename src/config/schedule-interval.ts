/**
 * How far apart a schedule's runs are, for the dead man's switch's default `maxAge` (1.5 × the interval).
 * A cron's gaps can differ (`0 2 * * 1-5` runs a day apart, then three days over a weekend), so the
 * interval is the longest gap among the next 30 runs after a fixed instant: the same config always gets the
 * same answer, whatever the clock says, and a weekday schedule does not alert every Saturday.
 */
import { CronExpressionParser } from 'cron-parser';

const FROM = new Date('2026-01-01T00:00:00Z');
const RUNS = 30;

export function scheduleIntervalMs(cron: string, timezone: string): number {
  const it = CronExpressionParser.parse(cron, { tz: timezone, currentDate: FROM });
  let previous = it.next().getTime();
  let longest = 0;
  for (let i = 0; i < RUNS; i++) {
    const next = it.next().getTime();
    longest = Math.max(longest, next - previous);
    previous = next;
  }
  return longest;
}

/** 1.5 × the interval of the connection's most frequent schedule; null without schedules. */
export function defaultMaxAgeMs(schedules: readonly { cron: string; timezone: string }[]): number | null {
  if (schedules.length === 0) return null;
  return Math.round(1.5 * Math.min(...schedules.map((s) => scheduleIntervalMs(s.cron, s.timezone))));
}
