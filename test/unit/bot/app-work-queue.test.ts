import { describe, expect, it } from 'vitest';
import { createBotApp } from '../../../src/bot/app.ts';
import { silentLogger } from '../../../src/bot/logger.ts';
import type { BotServices } from '../../../src/bot/services.ts';
import { WorkQueue } from '../../../src/bot/work-queue.ts';

describe('WorkQueue', () => {
  it('runs at most `concurrency` tasks at once, all of them, and reports idle', async () => {
    const q = new WorkQueue(3);
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    const tasks = Array.from({ length: 12 }, (_, i) =>
      q.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        done.push(i);
      }),
    );
    await q.idle();
    await Promise.all(tasks);
    expect(peak).toBe(3);
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });

  it('a failing task does not stop the queue', async () => {
    const q = new WorkQueue(1);
    const seen: string[] = [];
    await Promise.all([
      q.run(() => Promise.reject(new Error('boom'))).catch(() => seen.push('failed')),
      q.run(async () => {
        seen.push('next');
      }),
    ]);
    expect(seen).toContain('next');
  });
});

describe('createBotApp receiver choice', () => {
  const services = { now: () => new Date(), config: { connections: [] } } as unknown as BotServices;
  it.each([
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }, 'http'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }, 'socket'],
  ])('%o → %s', (env, mode) => {
    expect(createBotApp({ services, env, logger: silentLogger() }).mode).toBe(mode);
  });
});
