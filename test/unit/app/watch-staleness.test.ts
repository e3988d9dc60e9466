/** The dead man's switch's back-off and the durations its alerts show (src/app/watch/staleness.ts). */
import { describe, expect, it } from 'vitest';
import { formatDuration, nextRepeatAt } from '../../../src/app/index.ts';

const HOUR = 3600_000;

describe('staleness', () => {
  it.each([
    [0, 36],
    [1, 72],
    [2, 144],
    [3, 168], // capped at a week
    [10, 168],
  ])('after %i repeats the next comes %i h after the last post', (repeats, hours) => {
    const last = new Date('2026-12-01T00:00:00Z');
    expect(nextRepeatAt(last, repeats, 36 * HOUR).getTime() - last.getTime()).toBe(hours * HOUR);
  });

  it('a maxAge longer than a week is the cap itself', () => {
    const last = new Date(0);
    expect(nextRepeatAt(last, 3, 10 * 24 * HOUR).getTime()).toBe(10 * 24 * HOUR);
  });

  it.each([
    [20_000, '20s'],
    [45 * 60_000, '45m'],
    [90 * 60_000, '1h 30m'],
    [2 * HOUR, '2h'],
    [37 * HOUR, '1d 13h'],
    [48 * HOUR, '2d'],
  ])('%i ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
