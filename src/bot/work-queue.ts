/**
 * Runs the work that follows an ack a few at a time. A burst of commands (fifty `/kong backup` at once)
 * would otherwise have every handler's database, Redis and Slack calls competing with the next requests'
 * acks on one event loop; with a small pool the acks stay fast and the work drains behind them.
 * Each task runs in the async context it was queued in (its request's log context), not in the context
 * of whichever task finished before it.
 */
import { AsyncResource } from 'node:async_hooks';

export class WorkQueue {
  private readonly waiting: (() => Promise<void>)[] = [];
  private running = 0;
  private readonly drained = new Set<() => void>();

  constructor(private readonly concurrency = 4) {}

  /** Queues `task`; resolves when it has run (its errors are the task's to handle). */
  run(task: () => Promise<void>): Promise<void> {
    return new Promise<void>((resolve) => {
      const bound = AsyncResource.bind(task);
      this.waiting.push(() => bound().finally(resolve));
      this.pump();
    });
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.add(resolve));
  }

  private pump(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      this.running++;
      // setImmediate: let requests already waiting on the socket be read and acked first
      setImmediate(() => {
        void next()
          .catch(() => undefined)
          .finally(() => {
            this.running--;
            this.pump();
            if (this.running === 0 && this.waiting.length === 0) {
              for (const done of this.drained) done();
              this.drained.clear();
            }
          });
      });
    }
  }
}
