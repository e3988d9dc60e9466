/** What an apply reports: per-step outcomes and counts, collected instead of thrown (velero-style). */
import type { PlanStep } from '../core/index.ts';
import { KongAbortedError, KongApiError, KongUnreachableError } from './errors.ts';

export type StepStatus = 'ok' | 'failed' | 'not_attempted';

export interface StepError {
  status: number | null;
  code: number | null;
  message: string;
  fields: Record<string, unknown> | null;
}

export interface StepResult {
  step: PlanStep;
  status: StepStatus;
  error?: StepError;
}

export interface ApplyProgress {
  done: number;
  total: number;
  step: PlanStep;
  status: StepStatus;
}

export interface ApplyResult {
  ok: boolean;
  steps: StepResult[];
  counts: { ok: number; failed: number; notAttempted: number };
  /** a failure not tied to one step (DB-less config rejected as a whole, cancelled). */
  error?: StepError;
  aborted?: boolean;
}

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
