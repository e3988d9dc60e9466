/** What an apply reports: per-step outcomes and counts, collected instead of thrown (velero-style). */
import type { ApplyProgress, ApplyResult, StepError, StepResult, StepStatus } from '../app/ports/gateway.ts';
import { KongAbortedError, KongApiError, KongUnreachableError } from './errors.ts';

export type { ApplyProgress, ApplyResult, StepError, StepResult, StepStatus };

export function toStepError(err: unknown): StepError {
  if (err instanceof KongApiError) {
    return {
      status: err.status,
      code: err.code ?? null,
      message: err.kongMessage,
      fields: err.fields ?? null,
    };
  }
  if (err instanceof KongUnreachableError || err instanceof KongAbortedError) {
    return { status: null, code: null, message: err.message, fields: null };
  }
  return {
    status: null,
    code: null,
    message: err instanceof Error ? err.message : String(err),
    fields: null,
  };
}

export function summarize(steps: StepResult[], extra: Partial<ApplyResult> = {}): ApplyResult {
  const counts = { ok: 0, failed: 0, notAttempted: 0 };
  for (const s of steps) {
    if (s.status === 'ok') counts.ok++;
    else if (s.status === 'failed') counts.failed++;
    else counts.notAttempted++;
  }
  const ok = counts.failed === 0 && counts.notAttempted === 0 && !extra.error && !extra.aborted;
  return { ok, steps, counts, ...extra };
}
