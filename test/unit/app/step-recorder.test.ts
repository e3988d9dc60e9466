import { describe, expect, it } from 'vitest';
import type { StepResult } from '../../../src/app/ports/gateway.ts';
import type { NewRestoreStep } from '../../../src/app/ports/records.ts';
import { stepRecord } from '../../../src/app/restore/outcome.ts';
import { StepRecorder } from '../../../src/app/restore/step-recorder.ts';
import type { PlanStep } from '../../../src/core/index.ts';

const steps: PlanStep[] = Array.from({ length: 10 }, (_, i) => ({
  phase: 'create',
  op: 'create',
  kind: 'services',
  id: `s${i}`,
  name: `svc-${i}`,
  level: 0,
})) as unknown as PlanStep[];

/** The step table as the records port keeps it: one row per (restore, seq), written again = replaced. */
function table() {
  const rows = new Map<number, NewRestoreStep>();
  const writes: number[][] = [];
  let failNext = false;
  const write = async (batch: NewRestoreStep[]) => {
    if (failNext) {
      failNext = false;
      throw new Error('database is locked');
    }
    writes.push(batch.map((r) => r.seq));
    for (const r of batch) rows.set(r.seq, r);
  };
  return { rows, writes, write, failOnce: () => (failNext = true) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const expected = (results: StepResult[]) => new Map(results.map((r, seq) => [seq, stepRecord(r, seq)]));

describe('StepRecorder (step rows written while the apply runs)', () => {
  it('writes ok steps in chunks during the apply and only the rest at the end', async () => {
    const t = table();
    const recorder = new StepRecorder(steps, t.write, 3);
    for (const s of steps.slice(0, 7)) recorder.onStep(s, 'ok');
    await settle();
    // two chunks of three stand before the apply ends
    expect(t.writes).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    const results: StepResult[] = steps.map((step, i) =>
      i < 7
        ? { step, status: 'ok' }
        : i === 7
          ? {
              step,
              status: 'failed',
              error: { status: 400, code: 2, message: 'schema violation', fields: { password: 'hunter2' } },
            }
          : { step, status: 'not_attempted' },
    );
    await recorder.finish(results);
    // the seventh ok step (below a chunk), the failure and the two not attempted; nothing written twice
    expect(t.writes.slice(2)).toEqual([[6, 7, 8], [9]]);
    expect(t.rows).toEqual(expected(results));
    expect(JSON.stringify(t.rows.get(7))).not.toContain('hunter2');
  });

  it('a gateway reporting results in another order (AWS write order) still ends with the rows of its results', async () => {
    const t = table();
    const recorder = new StepRecorder(steps, t.write, 2);
    const order = [...steps].reverse();
    for (const s of order) recorder.onStep(s, 'ok');
    await settle();
    expect(t.writes.length).toBe(5);
    const results: StepResult[] = order.map((step) => ({ step, status: 'ok' }));
    await recorder.finish(results);
    expect(t.rows).toEqual(expected(results));
    // seq 0 holds the step written last (s9), as the results say
    expect(t.rows.get(0)?.entityId).toBe('s9');
  });

  it('a failed early write is written by finish, and a step reported ok but ending otherwise is rewritten', async () => {
    const t = table();
    const recorder = new StepRecorder(steps, t.write, 5);
    t.failOnce();
    for (const s of steps) recorder.onStep(s, 'ok');
    await settle();
    expect(t.writes).toEqual([[5, 6, 7, 8, 9]]);
    const results: StepResult[] = steps.map((step) => ({ step, status: 'ok' }));
    results[9] = {
      step: steps[9] as PlanStep,
      status: 'failed',
      error: { status: 500, code: null, message: 'boom', fields: null },
    };
    await recorder.finish(results);
    expect(t.writes.slice(1)).toEqual([[0, 1, 2, 3, 4], [9]]);
    expect(t.rows).toEqual(expected(results));
  });

  it('steps not in the plan (a gateway that made its own) are left to finish', async () => {
    const t = table();
    const recorder = new StepRecorder(steps.slice(0, 2), t.write, 1);
    const other = { ...steps[0] } as PlanStep;
    recorder.onStep(other, 'ok');
    recorder.onStep(steps[0] as PlanStep, 'failed');
    await settle();
    expect(t.writes).toEqual([]);
    const results: StepResult[] = [
      { step: other, status: 'ok' },
      { step: steps[1] as PlanStep, status: 'not_attempted' },
    ];
    await recorder.finish(results);
    expect(t.rows).toEqual(expected(results));
  });
});
