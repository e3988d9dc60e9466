/**
 * Text rendering of plans and apply results for the terminal, in decK's shape (`creating <kind> <name>`,
 * a `Summary:` block; deck cmd/utils.go printStats) so people who know decK can read it. Secret fields
 * are masked: catalogue `secretFields`/`hashedFields` by path, anything else by name (mask.ts).
 */

import type { ApplyResult, StepResult } from '../app/ports/gateway.ts';
import {
  CATALOGUE,
  type Change,
  type EntityKind,
  isKongKind,
  KIND_NOUN,
  type Plan,
  productOfKind,
} from '../core/index.ts';
import { MASK, maskSecrets } from './mask.ts';

const VERB = { create: 'creating', update: 'updating', delete: 'deleting' } as const;
const MAX_VALUE = 160;

/**
 * `services` → `service`, `ca_certificates` → `ca_certificate`: Kong's collection names are plurals (decK's
 * words). Other gateways' kinds read as their console names them: `REST API`, `method response`, `stage`.
 */
export function kindNoun(kind: EntityKind): string {
  if (!isKongKind(kind)) return KIND_NOUN[kind];
  return kind.endsWith('s') ? kind.slice(0, -1) : kind;
}

function secretPathsOf(kind: EntityKind): string[] {
  const def = CATALOGUE[kind];
  return [...def.secretFields, ...def.hashedFields.map((h) => h.field)];
}

/** The path is a secret field or lies inside one: its value is masked whole. */
function isSecretPath(kind: EntityKind, path: string): boolean {
  return secretPathsOf(kind).some((s) => path === s || path.startsWith(`${s}.`));
}

/**
 * A value at `path` that holds secret fields further down (a plugin `config` holding `password`): only
 * those fields are masked, so `config.hide_credentials` stays readable (maskSecrets also masks by name).
 */
function maskInside(kind: EntityKind, path: string, value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const prefix = `${path}.`;
  const inner = secretPathsOf(kind)
    .filter((s) => s.startsWith(prefix))
    .map((s) => s.slice(prefix.length).split('.'));
  if (inner.length === 0) return value;
  const out = structuredClone(value) as Record<string, unknown>;
  for (const segments of inner) {
    let at: Record<string, unknown> | undefined = out;
    for (let i = 0; at && i < segments.length - 1; i++) {
      const next: unknown = at[segments[i] as string];
      at =
        next && typeof next === 'object' && !Array.isArray(next)
          ? (next as Record<string, unknown>)
          : undefined;
    }
    const last = segments[segments.length - 1] as string;
    if (at && at[last] !== undefined && at[last] !== null) at[last] = MASK;
  }
  return out;
}

function show(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(maskSecrets(value));
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

export function formatChange(change: Change): string[] {
  const lines = [`${VERB[change.op]} ${kindNoun(change.kind)} ${change.name}`];
  if (change.op === 'update') {
    for (const f of change.fields ?? []) {
      const secret = isSecretPath(change.kind, f.path);
      const before = secret ? MASK : show(maskInside(change.kind, f.path, f.before));
      const after = secret ? MASK : show(maskInside(change.kind, f.path, f.after));
      lines.push(`    ${f.path}: ${before} → ${after}`);
    }
  }
  return lines;
}

/**
 * The changes the plan acts on. With `--no-deletes` the planner still reports deletions it will not
 * make; they are not shown as `deleting …` and do not count as drift.
 */
export function plannedChanges(plan: Plan): Change[] {
  const acted = new Set(plan.steps.map((s) => `${s.kind}:${s.id}`));
  return plan.changes.filter((c) => acted.has(`${c.kind}:${c.id}`));
}

export interface PlanFormat {
  /** print only the first `limit` changes, then counts per kind (a 146k-entity restore is 51k lines) */
  limit?: number;
  /** how to see the rest, after "… and N more changes" */
  moreHint?: string;
}

/** `  services: 3 created, 2 updated, 1 deleted` per kind, in plan order. */
function countsByKind(changes: readonly Change[]): string[] {
  const byKind = new Map<string, { create: number; update: number; delete: number }>();
  for (const c of changes) {
    const n = byKind.get(c.kind) ?? { create: 0, update: 0, delete: 0 };
    n[c.op] += 1;
    byKind.set(c.kind, n);
  }
  return [...byKind].map(([kind, n]) => {
    const parts = [
      n.create ? `${n.create} created` : '',
      n.update ? `${n.update} updated` : '',
      n.delete ? `${n.delete} deleted` : '',
    ].filter(Boolean);
    return `  ${kind}: ${parts.join(', ')}`;
  });
}

export function formatPlan(plan: Plan, format: PlanFormat = {}): string {
  const lines: string[] = [];
  const changes = plannedChanges(plan);
  const shown =
    format.limit !== undefined && changes.length > format.limit ? changes.slice(0, format.limit) : changes;
  for (const change of shown) lines.push(...formatChange(change));
  if (shown.length < changes.length) {
    const more = changes.length - shown.length;
    lines.push(
      `… and ${more} more change${more === 1 ? '' : 's'}${format.moreHint ? ` (${format.moreHint})` : ''}`,
      '',
      'Changes by kind:',
      ...countsByKind(changes),
    );
  }
  if (lines.length > 0) lines.push('');
  lines.push(
    'Summary:',
    `  Created: ${plan.summary.create}`,
    `  Updated: ${plan.summary.update}`,
    `  Deleted: ${plan.summary.delete}`,
  );
  if (plan.warnings.length > 0) {
    lines.push('Warnings:');
    for (const w of plan.warnings) lines.push(`  - ${w.message}`);
  }
  if (plan.refusals.length > 0) {
    lines.push('Refused (the plan would break the gateway and will not be applied):');
    for (const r of plan.refusals) lines.push(`  - ${r.message}`);
  }
  return `${lines.join('\n')}\n`;
}

function stepLine(r: StepResult): string {
  const s = r.step;
  const e = r.error;
  const where = e?.status
    ? `${productOfKind(s.kind)} ${e.status}${e.code !== null ? ` (code ${e.code})` : ''}: `
    : '';
  const fields = e?.fields ? ` ${JSON.stringify(maskSecrets(e.fields))}` : '';
  return `  failed: ${VERB[s.op]} ${kindNoun(s.kind)} ${s.name}: ${where}${e?.message ?? 'unknown error'}${fields}`;
}

/** Kong's write errors of a failed apply, on one line for stderr (secrets masked). */
export function formatApplyFailures(result: ApplyResult): string {
  const failed = result.steps.filter((r) => r.status === 'failed');
  const lines = failed.slice(0, 20).map((r) => stepLine(r).replace(/^\s*failed: /, ''));
  if (failed.length > 20) lines.push(`and ${failed.length - 20} more failures`);
  if (result.error) lines.push(result.error.message);
  const c = result.counts;
  lines.push(`${c.ok} ok, ${c.failed} failed, ${c.notAttempted} not attempted`);
  return lines.join('; ');
}

/** Why a refused plan is not applied: every refusal (the first 20), as one line for stderr. */
export function refusalMessage(plan: Plan, lead = 'refusing to apply, nothing was written'): string {
  const n = plan.refusals.length;
  const shown = plan.refusals.slice(0, 20).map((r) => r.message);
  if (n > 20) shown.push(`and ${n - 20} more`);
  return `${lead} (${n} problem${n === 1 ? '' : 's'}): ${shown.join('; ')}`;
}

export function formatApplyResult(result: ApplyResult): string {
  const lines: string[] = [];
  const failed = result.steps.filter((r) => r.status === 'failed');
  if (failed.length > 0) {
    lines.push('Failures:');
    for (const r of failed) lines.push(stepLine(r));
  }
  if (result.error) lines.push(`Error: ${result.error.message}`);
  if (result.aborted) lines.push('Cancelled: no new writes were started after the interrupt.');
  const c = result.counts;
  lines.push(`Applied: ${c.ok} ok, ${c.failed} failed, ${c.notAttempted} not attempted`);
  return `${lines.join('\n')}\n`;
}

/** Plans and results as JSON for machines: same data, secrets redacted. */
export function redactedJson(value: unknown): string {
  return `${JSON.stringify(maskSecrets(value), null, 2)}\n`;
}
