/**
 * How a restore ends, decided from what actually happened (velero-style per-item results):
 * - every step ok and a fresh plan against the gateway is empty → `completed` (zero drift);
 * - nothing was written (no step ok) → `failed`;
 * - some steps failed or were not attempted, or drift remains, or the verification dump failed →
 *   `partially_failed`, naming the failed steps with Kong's messages.
 * Each final status is audited with the plan hash and announced with the pre-restore backup id (Undo).
 */

import type { PlanStep } from '../../core/index.ts';
import { productOfKind, redact } from '../../core/index.ts';
import type { ApplyResult, StepError, StepResult } from '../ports/gateway.ts';
import { type Failure, type NewRestoreStep, type Restore, TransitionError } from '../ports/records.ts';
import type { Services } from '../services.ts';
import { auditRestore, notifyRestore } from './audit.ts';
import type { FailedStep, RestoreResult } from './types.ts';

const FAILED_STEPS_KEPT = 20;

/** A write's error in the words of the product that answered it (`Kong 409 …`, `AWS API Gateway 400 …`). */
export function describeStepError(e: StepError | undefined, product = 'Kong'): string {
  if (!e) return 'not attempted';
  const where = e.status ? `${product} ${e.status}${e.code !== null ? ` (code ${e.code})` : ''}: ` : '';
  const fields = e.fields ? ` ${JSON.stringify(redact(e.fields))}` : '';
  return `${where}${e.message}${fields}`;
}

/** The row of one step result at position `seq` of the apply's results (secrets in error fields redacted). */
export function stepRecord(r: StepResult, seq: number): NewRestoreStep {
  return {
    seq,
    phase: r.step.phase,
    op: r.step.op,
    kind: r.step.kind,
    entityId: r.step.id,
    name: r.step.name,
    status: r.status,
    error: r.error
      ? {
          status: r.error.status,
          code: r.error.code,
          message: r.error.message,
          fields: redact(r.error.fields),
        }
      : null,
  };
}

function failedStep(step: PlanStep, seq: number, error: StepError | undefined): FailedStep {
  return {
    seq,
    op: step.op,
    kind: step.kind,
    name: step.name,
    error: describeStepError(error, productOfKind(step.kind)),
  };
}

export function resultOf(apply: ApplyResult, drift: number | null): RestoreResult {
  const failedSteps = apply.steps
    .map((r, seq) => (r.status === 'failed' ? failedStep(r.step, seq, r.error) : null))
    .filter((f): f is FailedStep => f !== null);
  return {
    applied: apply.counts.ok,
    failed: apply.counts.failed,
    notAttempted: apply.counts.notAttempted,
    drift,
    failedSteps,
    ...(apply.idMapping && apply.idMapping.length > 0
      ? { idMapping: apply.idMapping.slice(0, ID_MAPPING_KEPT), idsAssigned: apply.idMapping.length }
      : {}),
  };
}

/** How many assigned ids a restore's record keeps (a re-created account can have tens of thousands). */
const ID_MAPPING_KEPT = 1000;

export function decide(
  apply: ApplyResult,
  result: RestoreResult,
  verifyError: string | null,
): { status: 'completed' | 'partially_failed' | 'failed'; failure: Failure | null } {
  if (apply.ok && result.drift === 0) return { status: 'completed', failure: null };
  const problems: string[] = [];
  if (result.failed > 0) {
    const shown = result.failedSteps.slice(0, 5).map((f) => `${f.op} ${f.kind} ${f.name}: ${f.error}`);
    const more = result.failed > shown.length ? ` and ${result.failed - shown.length} more` : '';
    problems.push(
      `${result.failed} step${result.failed === 1 ? '' : 's'} failed (${shown.join('; ')}${more})`,
    );
  }
  if (result.notAttempted > 0) problems.push(`${result.notAttempted} not attempted after the failure`);
  if (apply.error) {
    const product = productOfKind(apply.steps[0]?.step.kind ?? '');
    problems.push(`${product}: ${describeStepError(apply.error, product)}`);
  }
  if (verifyError) problems.push(`the verification dump failed: ${verifyError}`);
  else if (result.drift !== null && result.drift > 0)
    problems.push(`the gateway still differs from the backup in ${result.drift} places after applying`);
  const status = apply.counts.ok === 0 && apply.steps.length > 0 ? 'failed' : 'partially_failed';
  const prefix = status === 'failed' ? 'nothing was applied: ' : '';
  // writes that failed (or a verification that could not run) vs. writes that all went through and
  // still left a difference
  const code = apply.ok && !verifyError ? 'not_converged' : 'apply_failed';
  return { status, failure: { code, reason: `${prefix}${problems.join('; ')}` } };
}

/** running → final status with the result in the summary; audit and notify. */
export async function finishRestore(
  services: Services,
  restore: Restore,
  status: 'completed' | 'partially_failed' | 'failed',
  failure: Failure | null,
  result: RestoreResult | null,
  message?: string,
): Promise<Restore> {
  let done: Restore;
  try {
    const planSummary = result
      ? {
          ...(restore.planSummary ?? {}),
          result: { ...result, failedSteps: result.failedSteps.slice(0, FAILED_STEPS_KEPT) },
        }
      : undefined;
    done = await services.repos.restores.finish(restore.id, status, {
      failure,
      ...(planSummary ? { planSummary } : {}),
    });
  } catch (err) {
    if (!(err instanceof TransitionError)) throw err;
    return (await services.repos.restores.get(restore.id)) ?? restore;
  }
  const reason = failure?.reason ?? null;
  const action =
    status === 'completed'
      ? 'restore.completed'
      : status === 'failed'
        ? 'restore.failed'
        : 'restore.partially_failed';
  await auditRestore(services, done, action, {
    outcome: status === 'completed' ? 'ok' : 'failed',
    details: {
      preRestoreBackupId: done.preRestoreBackupId,
      reason: reason ?? undefined,
      ...(result
        ? {
            applied: result.applied,
            failed: result.failed,
            notAttempted: result.notAttempted,
            drift: result.drift,
            failedSteps: result.failedSteps.slice(0, FAILED_STEPS_KEPT),
          }
        : {}),
    },
  });
  await notifyRestore(services, {
    restore: done,
    phase: 'finished',
    preRestoreBackupId: done.preRestoreBackupId,
    ...(result ? { result } : {}),
    ...(message || reason ? { message: message ?? reason ?? '' } : {}),
  });
  return done;
}
