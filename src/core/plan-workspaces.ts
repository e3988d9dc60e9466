/**
 * Planning a multi-workspace backup (Kong Enterprise, a connection with `workspaces`): each workspace the
 * backup holds is planned on its own against the same workspace of the live gateway, with the one planner
 * (`planRestore` for one workspace), and the plans are put one after the other. Every step and change
 * names its workspace (`workspace`, and `<workspace>: ` before its label, so every card, CLI line and
 * diff file says where a change lands). Live workspaces the backup does not hold are left alone.
 *
 * A restore never moves an entity between workspaces: Kong Enterprise ids are unique across workspaces,
 * so an entity the backup holds in `team-a` that lives in `team-b` would be a delete in one workspace
 * and a create in the other; that plan is refused, naming the entity and both workspaces.
 *
 * `only` takes `<workspace>/<section>` (that section of that workspace), `<workspace>/*` (the whole
 * workspace) and bare sections (in every workspace); a workspace named nowhere in a scoped `only` is not
 * planned at all.
 */

import { planHash } from './canonical.ts';
import type { EntityKind, Section } from './catalogue/index.ts';
import { ALL_KINDS } from './catalogue/index.ts';
import type { Change, OnlyEntry, Plan, PlanOptions, PlanStep, Refusal } from './model.ts';
import type { Snapshot } from './snapshot.ts';
import { splitWorkspaces } from './workspace.ts';

type PlanOne = (current: Snapshot, target: Snapshot, options: PlanOptions) => Plan;

/** Which workspaces to plan, each with its sections (null: every section). */
function scopeOf(
  only: readonly OnlyEntry[] | undefined,
  workspaces: readonly string[],
): Map<string, Section[] | null> {
  const out = new Map<string, Section[] | null>();
  if (!only || only.length === 0) {
    for (const ws of workspaces) out.set(ws, null);
    return out;
  }
  const bare = only.filter((o) => !o.includes('/')) as Section[];
  const scoped = only.filter((o) => o.includes('/'));
  const named = new Set(scoped.map((o) => o.slice(0, o.indexOf('/'))));
  for (const ws of named) {
    if (!workspaces.includes(ws)) {
      throw new TypeError(
        `--only names workspace "${ws}", which the backup does not hold (it holds ${workspaces.join(', ')})`,
      );
    }
  }
  for (const ws of workspaces) {
    if (scoped.length > 0 && !named.has(ws) && bare.length === 0) continue;
    const mine = scoped.filter((o) => o.startsWith(`${ws}/`)).map((o) => o.slice(ws.length + 1));
    if (mine.includes('*')) {
      out.set(ws, null);
      continue;
    }
    const sections = [...new Set([...bare, ...(mine as Section[])])];
    out.set(ws, sections.length > 0 ? sections : null);
  }
  return out;
}

function scopeRefusal(message: string): Plan {
  const options = { only: null, noDeletes: false };
  return {
    options,
    steps: [],
    changes: [],
    summary: { create: 0, update: 0, delete: 0 },
    perSection: {},
    warnings: [],
    refusals: [{ code: 'workspace-scope', message }],
    planHash: planHash(options, []),
  };
}

/** Entities of the target that live in another workspace of the gateway (by id). */
function moves(
  target: Map<string, Snapshot>,
  current: Map<string, Snapshot>,
  planned: Set<string>,
): Refusal[] {
  const where = new Map<string, string>();
  for (const [ws, snap] of current) {
    for (const kind of ALL_KINDS) for (const id in snap.entities[kind] ?? {}) where.set(`${kind}:${id}`, ws);
  }
  const out: Refusal[] = [];
  for (const [ws, snap] of target) {
    if (!planned.has(ws)) continue;
    for (const kind of Object.keys(snap.entities) as EntityKind[]) {
      for (const [id, e] of Object.entries(snap.entities[kind] ?? {})) {
        const live = where.get(`${kind}:${id}`);
        if (live === undefined || live === ws) continue;
        const name = String(e.name ?? e.username ?? id);
        out.push({
          code: 'workspace-move',
          kind,
          id,
          name,
          message: `${kind} ${name} (${id}) is in workspace "${ws}" in the backup but in "${live}" on the gateway; a restore never moves an entity between workspaces (delete it from "${live}" first, or restore "${live}" too)`,
        });
      }
    }
  }
  return out;
}

function tagged<T extends PlanStep | Change>(item: T, ws: string): T {
  return { ...item, workspace: ws, name: `${ws}: ${item.name}` };
}

export function planAcrossWorkspaces(
  current: Snapshot,
  target: Snapshot,
  options: PlanOptions,
  planOne: PlanOne,
): Plan {
  if (!target.meta.workspaces) {
    return scopeRefusal(
      `the backup holds workspace "${target.meta.workspace ?? 'default'}" only, but the connection reaches every workspace (workspaces:); restore it through a connection of that one workspace`,
    );
  }
  if (!current.meta.workspaces) {
    return scopeRefusal(
      `the backup holds workspaces ${Object.keys(target.meta.workspaces).join(', ')}, but the connection reaches one workspace; restore it through a connection with workspaces: all (or a list)`,
    );
  }
  const targets = splitWorkspaces(target);
  const currents = splitWorkspaces(current);
  const scope = scopeOf(options.only, [...targets.keys()]);
  const steps: PlanStep[] = [];
  const changes: Change[] = [];
  const summary = { create: 0, update: 0, delete: 0 };
  const perSection: Plan['perSection'] = {};
  const warnings: Plan['warnings'] = [];
  const refusals: Refusal[] = moves(targets, currents, new Set(scope.keys()));
  for (const [ws, sections] of scope) {
    const mine = targets.get(ws) as Snapshot;
    const live = currents.get(ws) ?? { meta: { ...mine.meta, counts: {} }, entities: {} };
    const plan = planOne(live, mine, {
      ...(sections ? { only: sections } : {}),
      ...(options.noDeletes ? { noDeletes: true } : {}),
    });
    for (const s of plan.steps) steps.push(tagged(s, ws));
    for (const c of plan.changes) changes.push(tagged(c, ws));
    for (const w of plan.warnings) warnings.push({ ...w, name: `${ws}: ${w.name}` });
    for (const r of plan.refusals)
      refusals.push({ ...r, message: `workspace ${ws}: ${r.message}` } as Refusal);
    for (const op of ['create', 'update', 'delete'] as const) summary[op] += plan.summary[op];
    for (const [section, n] of Object.entries(plan.perSection) as [Section, typeof summary][]) {
      const entry = perSection[section] ?? { create: 0, update: 0, delete: 0 };
      for (const op of ['create', 'update', 'delete'] as const) entry[op] += n[op];
      perSection[section] = entry;
    }
  }
  const planOptions = {
    only: options.only && options.only.length > 0 ? [...options.only] : null,
    noDeletes: options.noDeletes === true,
  };
  return {
    options: planOptions,
    steps,
    changes,
    summary,
    perSection,
    warnings,
    refusals,
    planHash: planHash(planOptions, steps),
  };
}
