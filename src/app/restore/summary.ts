/**
 * What a restore card shows, stored on the request (`planSummary`): counts per operation and section,
 * the first warnings and refusals with their totals, and the first changes — redacted with core `redact`
 * and with long values cut, since the summary is kept in the records and read on every status check. The
 * full plan never leaves the process (the diff file carries every change and warning). Bounded: a
 * 146k-entity restore with 10k hashed-secret warnings stored all of them (3.4 MB of JSON parsed on every
 * read of the request) before the lists were cut.
 */
import type { Change, Plan } from '../../core/index.ts';
import { redact } from '../../core/index.ts';

export const SUMMARY_CHANGES = 50;
/** warnings and refusals kept on the request; `counts` has the totals */
export const SUMMARY_NOTES = 50;
const MAX_VALUE_CHARS = 200;

function cut(value: unknown): unknown {
  if (value === undefined) return null;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined || text.length <= MAX_VALUE_CHARS) return value;
  return `${text.slice(0, MAX_VALUE_CHARS - 1)}…`;
}

/** The changes the plan writes (with `noDeletes`, deletions it skips are reported separately). */
export function actedChanges(plan: Plan): Change[] {
  // ids per kind, no `kind:id` string per step (146k of them on a full restore)
  const acted = new Map<string, Set<string>>();
  for (const s of plan.steps) {
    const ids = acted.get(s.kind);
    if (ids) ids.add(s.id);
    else acted.set(s.kind, new Set([s.id]));
  }
  return plan.changes.filter((c) => acted.get(c.kind)?.has(c.id) === true);
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
  counts: { steps: number; changes: number; skippedDeletes: number; warnings: number; refusals: number };
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
      warnings: plan.warnings.length,
      refusals: plan.refusals.length,
    },
    changes: acted.slice(0, SUMMARY_CHANGES).map(summarizeChange),
    warnings: plan.warnings.slice(0, SUMMARY_NOTES).map((w) => ({
      code: w.code,
      kind: w.kind,
      name: w.name,
      field: w.field,
      message: w.message,
    })),
    refusals: plan.refusals.slice(0, SUMMARY_NOTES).map((r) => r.message),
  };
}
