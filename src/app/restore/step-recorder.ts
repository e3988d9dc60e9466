/**
 * Step results written while the apply runs, instead of all of them after it.
 *
 * A restore records one row per step (146k rows for the largest benchmark gateway, ~0.6 s of CPU). Written
 * after the apply, that CPU sat on the critical path beside the verification dump; written during the
 * apply, it uses the time the apply spends waiting for the gateway, and `restore show` sees the rows
 * appear as the restore goes.
 *
 * Only steps reported `ok` are written early: their row is fixed (`ok`, no error) and depends only on
 * the step and its `seq` (its position in the apply's results, which every gateway reports with its
 * progress). `finish`, given the final results, writes every row that is not already standing as that
 * result, so the table always ends as `results.map(stepRecord)`; a failed early write is left to
 * `finish` too: it never loses a row, only the head start.
 */
import type { PlanStep } from '../../core/index.ts';
import type { ApplyProgress, StepResult } from '../ports/gateway.ts';
import type { NewRestoreStep } from '../ports/records.ts';
import { stepRecord } from './outcome.ts';

/**
 * Rows per write. A SQLite write blocks the event loop, and while it is blocked the apply sends nothing:
 * the gateway finishes the few writes in flight and waits. 250 rows hold the loop ~1 ms (2000 held it
 * ~8 ms, up to 25 ms); the 146k rows of the benchmark cost no more in total (0.51 s vs 0.61 s measured).
 */
export const STEPS_PER_WRITE = 250;

export type WriteSteps = (rows: NewRestoreStep[]) => Promise<void>;

export class StepRecorder {
  readonly #write: WriteSteps;
  readonly #chunk: number;
  /** the step whose `ok` row stands at each seq (written early) */
  readonly #standing: (PlanStep | undefined)[] = [];
  #pending: { step: PlanStep; seq: number }[] = [];
  #writes: Promise<void> = Promise.resolve();

  constructor(write: WriteSteps, chunk = STEPS_PER_WRITE) {
    this.#write = write;
    this.#chunk = chunk;
  }

  /** One step's result as the apply reports it (progress callback). */
  onStep({ step, status, seq }: Pick<ApplyProgress, 'step' | 'status' | 'seq'>): void {
    if (status !== 'ok') return;
    this.#pending.push({ step, seq });
    if (this.#pending.length >= this.#chunk) this.#flush();
  }

  #flush(): void {
    const done = this.#pending;
    this.#pending = [];
    this.#writes = this.#writes.then(async () => {
      try {
        await this.#write(done.map(({ step, seq }) => stepRecord({ step, status: 'ok' }, seq)));
        for (const { step, seq } of done) this.#standing[seq] = step;
      } catch {
        // left to finish(), which writes every row not standing
      }
    });
  }

  /** After the apply: the rows of `results` that are not already standing, in writes of `chunk` rows. */
  async finish(results: readonly StepResult[]): Promise<void> {
    await this.#writes;
    this.#pending = [];
    let rows: NewRestoreStep[] = [];
    for (let seq = 0; seq < results.length; seq++) {
      const r = results[seq] as StepResult;
      if (r.status === 'ok' && !r.error && this.#standing[seq] === r.step) continue;
      rows.push(stepRecord(r, seq));
      if (rows.length >= this.#chunk) {
        await this.#write(rows);
        rows = [];
        // between writes the event loop runs (the job's lock renewal must not miss)
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    if (rows.length > 0) await this.#write(rows);
  }
}
