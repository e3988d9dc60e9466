/**
 * What a restore card shows, stored on the request (`planSummary`): counts per operation and section,
 * warnings, refusals, and the first changes — redacted with core `redact` and with long values cut, since
 * the summary is kept in SQLite and shown in Slack. The full plan never leaves the process.
 */
import type { Change, Plan } from '../../core/index.ts';
import { redact } from '../../core/index.ts';

export const SUMMARY_CHANGES = 50;
const MAX_VALUE_CHARS = 200;

function cut(value: unknown): unknown {
  if (value === undefined) return null;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined || text.length <= MAX_VALUE_CHARS) return value;
  return `${text.slice(0, MAX_VALUE_CHARS - 1)}…`;
}

/** The changes the plan writes (with `noDeletes`, deletions it skips are reported separately). */
export function actedChanges(plan: Plan): Change[] {
  const acted = new Set(plan.steps.map((s) => `${s.kind}:${s.id}`));
  return plan.changes.filter((c) => acted.has(`${c.kind}:${c.id}`));
}

export interface SummaryChange {
  op: string;
  kind: string;
  id: string;
  name: string;
  fields?: { path: string; before: unknown; after: unknown }[];
}

export function summarizeChange(change: Change): SummaryChange {
  const c = redact(change);
  const out: SummaryChange = { op: c.op, kind: c.kind, id: c.id, name: c.name };
  if (c.op === 'update' && c.fields) {
    out.fields = c.fields.map((f) => ({ path: f.path, before: cut(f.before), after: cut(f.after) }));
  }
  return out;
}

/** What `buildPlanSummary` stores on the request (`Restore.planSummary`; the run adds `result`). */
export interface PlanSummary {
  summary: Plan['summary'];
  perSection: Plan['perSection'];
  counts: { steps: number; changes: number; skippedDeletes: number };
  changes: SummaryChange[];
  warnings: { code: string; kind: string; name: string; field?: string | undefined; message: string }[];
  refusals: string[];
}

export function buildPlanSummary(plan: Plan): PlanSummary & Record<string, unknown> {
  const acted = actedChanges(plan);
  return {
    summary: plan.summary,
    perSection: plan.perSection,
    counts: {
      steps: plan.steps.length,
      changes: acted.length,
      skippedDeletes:
        plan.changes.filter((c) => c.op === 'delete').length - acted.filter((c) => c.op === 'delete').length,
    },
    changes: acted.slice(0, SUMMARY_CHANGES).map(summarizeChange),
    warnings: plan.warnings.map((w) => ({
      code: w.code,
      kind: w.kind,
      name: w.name,
      field: w.field,
      message: w.message,
    })),
    refusals: plan.refusals.map((r) => r.message),
  };
}
