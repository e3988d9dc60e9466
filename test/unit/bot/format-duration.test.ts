import { describe, expect, it } from 'vitest';
import { formatAge, formatDuration } from '../../../src/bot/views/format.ts';

describe('formatDuration rounds to its unit before splitting', () => {
  it.each([
    [0, '0 ms'],
    [-5, '0 ms'],
    [999.4, '999 ms'],
    [999.6, '1.0 s'],
    [1500, '1.5 s'],
    [9949, '9.9 s'],
    [9960, '10 s'],
    [59_600, '1 min'],
    [119_600, '2 min'],
    [3_599_600, '1 h 0 min'],
    [3_570_400, '59 min 30 s'],
    [7_199_999, '2 h 0 min'],
    [5_400_000, '1 h 30 min'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('never prints 60 s or 60 min for any duration up to 3 hours', () => {
    for (let ms = 0; ms < 3 * 3_600_000; ms += 997.3) {
      expect(formatDuration(ms)).not.toMatch(/\b60 (s|min)\b/);
    }
  });

  it('formatAge drops the seconds', () => {
    expect(formatAge(new Date(0), new Date(119_600))).toBe('2 min ago');
  });
});
