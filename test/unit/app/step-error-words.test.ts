/** A failed write is told in the words of the product that refused it: Kong's or AWS API Gateway's. */
import { describe, expect, it } from 'vitest';
import type { ApplyResult, StepResult } from '../../../src/app/ports/gateway.ts';
import { resultOf } from '../../../src/app/restore/outcome.ts';

const failed = (kind: string, name: string): StepResult =>
  ({
    step: { phase: 'upsert', op: 'update', kind, id: name, name },
    status: 'failed',
    error: { status: 400, code: null, message: 'refused', fields: null },
  }) as unknown as StepResult;

describe('step errors', () => {
  it('name the product that answered the write', () => {
    const steps = [failed('integrations', 'petstore › /pets › GET'), failed('services', 'orders')];
    const apply = {
      ok: false,
      steps,
      counts: { ok: 0, failed: 2, notAttempted: 0 },
    } as unknown as ApplyResult;
    expect(resultOf(apply, null).failedSteps.map((f) => f.error)).toEqual([
      'AWS API Gateway 400: refused',
      'Kong 400: refused',
    ]);
  });
});
