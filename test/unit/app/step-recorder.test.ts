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
const step = (i: number) => steps[i] as PlanStep;

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
    const recorder = new StepRecorder(t.write, 3);
    for (let i = 0; i < 7; i++) recorder.onStep({ step: step(i), status: 'ok', seq: i });
    recorder.onStep({ step: step(7), status: 'failed', seq: 7 });
    await settle();
    // two chunks of three stand before the apply ends; the failure is not written early
    expect(t.writes).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    const results: StepResult[] = steps.map((s, i) =>
      i < 7
        ? { step: s, status: 'ok' }
        : i === 7
          ? {
              step: s,
              status: 'failed',
              error: { status: 400, code: 2, message: 'schema violation', fields: { password: 'hunter2' } },
            }
          : { step: s, status: 'not_attempted' },
    );
    await recorder.finish(results);
    // the seventh ok step (below a chunk), the failure and the two not attempted; nothing written twice
    expect(t.writes.slice(2)).toEqual([[6, 7, 8], [9]]);
    expect(t.rows).toEqual(expected(results));
    expect(JSON.stringify(t.rows.get(7))).not.toContain('hunter2');
  });

  it('rows stand at the seq the gateway reports (AWS: write order), not at the plan position', async () => {
    const t = table();
    const recorder = new StepRecorder(t.write, 2);
    const order = [...steps].reverse();
    for (const [seq, s] of order.entries()) recorder.onStep({ step: s, status: 'ok', seq });
    await settle();
    expect(t.writes.length).toBe(5);
    const results: StepResult[] = order.map((s) => ({ step: s, status: 'ok' }));
    await recorder.finish(results);
    // nothing left to write, and seq 0 holds the step written first (s9), as the results say
    expect(t.writes.length).toBe(5);
    expect(t.rows).toEqual(expected(results));
    expect(t.rows.get(0)?.entityId).toBe('s9');
  });

  it('a failed early write is written by finish, and a result other than the reported one is rewritten', async () => {
    const t = table();
    const recorder = new StepRecorder(t.write, 5);
    t.failOnce();
    for (const [seq, s] of steps.entries()) recorder.onStep({ step: s, status: 'ok', seq });
    await settle();
    expect(t.writes).toEqual([[5, 6, 7, 8, 9]]);
    const results: StepResult[] = steps.map((s) => ({ step: s, status: 'ok' }));
    results[9] = {
      step: step(9),
      status: 'failed',
      error: { status: 500, code: null, message: 'boom', fields: null },
    };
    results[8] = { step: step(0), status: 'ok' };
    await recorder.finish(results);
    expect(t.writes.slice(1)).toEqual([
      [0, 1, 2, 3, 4],
      [8, 9],
    ]);
    expect(t.rows).toEqual(expected(results));
  });
});
