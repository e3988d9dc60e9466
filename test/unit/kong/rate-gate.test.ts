/**
 * Issue 18 §5: after a Retry-After the client's requests share one pause and come back paced and
 * jittered, instead of each sleeping on its own and all retrying at the same instant.
 */
import { describe, expect, it } from 'vitest';
import { RateGate, UNPACED_RATE } from '../../../src/kong/rate-gate.ts';

function fakeClock(randoms: number[] = [0.5]) {
  let t = 1_000_000;
  let r = 0;
  const waits: number[] = [];
  const gate = new RateGate({
    now: () => t,
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => randoms[r++ % randoms.length]!,
  });
  return {
    gate,
    waits,
    advance(ms: number) {
      t += ms;
    },
  };
}

describe('RateGate', () => {
  it('costs nothing without a rate limit', async () => {
    const { gate, waits } = fakeClock();
    for (let i = 0; i < 100; i++) {
      expect(await gate.admit()).toBe(0);
      gate.answered();
    }
    expect(waits).toEqual([]);
  });

  it('a 429 pauses requests that never met it, and each comes back at its own jittered time', async () => {
    const { gate, waits, advance } = fakeClock([0.1, 0.9, 0.5, 0.3]);
    for (let i = 0; i < 20; i++) gate.answered(); // 20 answers in the last second
    gate.throttled(1000);
    advance(200);
    // four requests that were never throttled themselves
    await Promise.all([gate.admit(), gate.admit(), gate.admit(), gate.admit()]);
    // paced at 0.8 × 20 = 16 req/s: slots 62.5 ms apart from the end of the pause, each jittered within its slot
    expect(gate.rate).toBe(16);
    expect(waits).toEqual([
      Math.ceil(800 + 0 * 62.5 + 0.1 * 62.5),
      Math.ceil(800 + 1 * 62.5 + 0.9 * 62.5),
      Math.ceil(800 + 2 * 62.5 + 0.5 * 62.5),
      Math.ceil(800 + 3 * 62.5 + 0.3 * 62.5),
    ]);
    expect(new Set(waits).size).toBe(4);
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(800);
  });

  it('a burst of 429s sets the pace once; a later Retry-After extends the pause for everyone', async () => {
    const { gate, advance } = fakeClock();
    for (let i = 0; i < 10; i++) gate.answered();
    for (let i = 0; i < 30; i++) gate.throttled(1000);
    expect(gate.rate).toBe(8);
    const first = gate.pausedUntil;
    advance(100);
    gate.throttled(2000);
    expect(gate.pausedUntil).toBe(first + 1100);
  });

  it('with nothing through before the 429 it pauses without pacing and spreads the return over a second', async () => {
    const { gate, waits } = fakeClock([0, 0.99]);
    gate.throttled(3000);
    expect(gate.rate).toBe(0);
    await gate.admit();
    await gate.admit();
    expect(waits).toEqual([3000, 3990]);
  });

  it('speeds up by a quarter every second without a 429 and ends up unpaced', async () => {
    const { gate, advance } = fakeClock();
    for (let i = 0; i < 100; i++) gate.answered();
    gate.throttled(1000);
    expect(gate.rate).toBe(80);
    const rates: number[] = [];
    for (let s = 0; s < 40 && gate.rate > 0; s++) {
      advance(1000);
      gate.answered();
      rates.push(gate.rate);
    }
    // the first second after the pause runs at the pace set, then each second a quarter faster
    expect(rates.slice(0, 3)).toEqual([80, 100, 125]);
    expect(gate.rate).toBe(0);
    expect(rates.length).toBeLessThan(40);
    expect(Math.max(...rates)).toBeLessThanOrEqual(UNPACED_RATE);
  });
});
