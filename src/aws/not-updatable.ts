/**
 * Changes API Gateway cannot make in place, found when the plan is made (the AWS planner's preflight) so the
 * diff and the restore card say so before anyone approves: an update step whose changed member has no PATCH
 * path for its kind (an API key's value, a model's content type, tags, a VPC link's target).
 *
 * Where the member belongs to what an import writes (a model's content type, …: `IMPORTED_KINDS` in
 * openapi.ts) and the import can carry it, the REST API is restored through PutRestApi mode=overwrite
 * instead (`reimportPlan`): the plan's update step of that API carries the target's content of it
 * (`reimport`), goes first (after the VPC links the plan creates), and the warning (`reimport`) says so. Otherwise such a step fails with
 * `NotUpdatableError` when applied and the rest of the restore goes on (`not-updatable`).
 */
import {
  type AwsKind,
  CATALOGUE,
  type Entity,
  type EntityKind,
  isEntityKind,
  isKongKind,
  KIND_NOUN,
  type Plan,
  type PlanStep,
  type PlanWarning,
  planHash,
  type Snapshot,
} from '../core/index.ts';
import { apiOfEntity } from './ids.ts';
import { IMPORTED_KINDS, IMPORTED_MODEL_CONTENT_TYPE, NOT_CARRIED } from './openapi.ts';
import { PATCHABLE } from './patch-ops.ts';

/** Kinds written whole by their Put operation: any member can change. */
const WRITTEN_WHOLE: ReadonlySet<AwsKind> = new Set([
  'integrations',
  'integration_responses',
  'gateway_responses',
]);

/** Snapshot members that are references, by the service member their PATCH path names. */
const AS_MEMBER: Readonly<Record<string, string>> = {
  authorizer: 'authorizerId',
  requestValidator: 'requestValidatorId',
  clientCertificate: 'clientCertificateId',
  restApi: 'restapiId',
};

/** The members of a change that its kind's PATCH cannot write. */
export function notUpdatableFields(kind: AwsKind, paths: readonly string[]): string[] {
  if (WRITTEN_WHOLE.has(kind)) return [];
  const patchable = PATCHABLE[kind] ?? {};
  const out = new Set<string>();
  for (const path of paths) {
    const top = path.split('.')[0] ?? path;
    if (!Object.hasOwn(patchable, AS_MEMBER[top] ?? top)) out.add(top);
  }
  return [...out];
}

export function notUpdatableWarnings(plan: Plan): PlanWarning[] {
  const out: PlanWarning[] = [];
  for (const c of plan.changes) {
    if (c.op !== 'update' || !isEntityKind(c.kind) || isKongKind(c.kind)) continue;
    for (const field of notUpdatableFields(
      c.kind as AwsKind,
      (c.fields ?? []).map((f) => f.path),
    )) {
      out.push({
        code: 'not-updatable',
        kind: c.kind,
        id: c.id,
        name: c.name,
        field,
        message: `${KIND_NOUN[c.kind]} ${c.name}: API Gateway cannot change \`${field}\` in place, so this step will fail; delete it on the gateway and restore again (snapgate does not re-import the API with PutRestApi mode=overwrite)`,
      });
    }
  }
  return out;
}

const IMPORTED: ReadonlySet<string> = new Set(IMPORTED_KINDS);

/** Why importing the API would not make this change (null: it would). */
function notImportable(kind: AwsKind, field: string, target: Entity | undefined): string | null {
  if (!IMPORTED.has(kind) || !target) return 'an import of the API does not write it';
  if (kind === 'models' && field === 'contentType')
    return target.contentType === IMPORTED_MODEL_CONTENT_TYPE
      ? null
      : `an import makes every model ${IMPORTED_MODEL_CONTENT_TYPE}`;
  return (NOT_CARRIED[kind] ?? []).includes(field) ? 'an import of the API does not carry it' : null;
}

/** The target's entities of one API, of the kinds an import writes. */
function contentOf(target: Snapshot, api: string): Partial<Record<EntityKind, Entity[]>> {
  const out: Partial<Record<EntityKind, Entity[]>> = {};
  for (const kind of IMPORTED_KINDS) {
    const list = Object.values(target.entities[kind] ?? {}).filter((e) => apiOfEntity(kind, e) === api);
    if (list.length > 0) out[kind] = list;
  }
  return out;
}

/**
 * The plan with its not-updatable changes planned: those an import of their REST API makes become one
 * `reimport` update step of that API, first in the plan, and a `reimport` warning each; the others stay
 * `not-updatable` warnings. Without the target (a caller that has none) every one stays a warning.
 */
export function reimportPlan(plan: Plan, target?: Snapshot): Plan {
  const warnings = notUpdatableWarnings(plan);
  if (warnings.length === 0) return plan;
  // an overwrite deletes what the definition does not name: not for a plan that must not delete
  if (!target || plan.options.noDeletes) return { ...plan, warnings: [...plan.warnings, ...warnings] };
  const created = new Set(
    plan.steps.filter((s) => s.kind === 'restapis' && s.op !== 'update').map((s) => s.id),
  );
  const out: PlanWarning[] = [];
  const apis = new Map<string, PlanWarning[]>();
  for (const w of warnings) {
    const kind = w.kind as AwsKind;
    const entity = target.entities[kind]?.[w.id];
    const api = entity ? apiOfEntity(kind, entity) : null;
    const why =
      api === null || created.has(api) || !target.entities.restapis?.[api]
        ? 'an import of the API does not write it'
        : notImportable(kind, w.field, entity);
    if (why !== null || api === null) {
      out.push(w);
      continue;
    }
    apis.set(api, [...(apis.get(api) ?? []), w]);
  }
  let steps = plan.steps;
  for (const [api, ws] of apis) {
    const content = contentOf(target, api);
    // every model of the API is imported application/json: one of another type would be changed by it
    const other = (content.models ?? []).find((m) => m.contentType !== IMPORTED_MODEL_CONTENT_TYPE);
    if (other) {
      out.push(...ws);
      continue;
    }
    const body = target.entities.restapis?.[api] as Entity;
    const existing = steps.find((s) => s.kind === 'restapis' && s.id === api);
    const step: PlanStep = existing
      ? { ...existing, reimport: { content } }
      : {
          phase: 'upsert',
          op: 'update',
          kind: 'restapis',
          id: api,
          name: api,
          level: CATALOGUE.restapis.level,
          body,
          fields: [],
          reimport: { content },
        };
    // first, but after the VPC links the plan creates (the definition names a link by its id)
    const rest = steps.filter((s) => s !== existing);
    let at = 0;
    rest.forEach((s, i) => {
      if (s.phase === 'upsert' && s.kind === 'vpc_links') at = i + 1;
    });
    steps = [...rest.slice(0, at), step, ...rest.slice(at)];
    for (const w of ws)
      out.push({
        ...w,
        code: 'reimport',
        message: `${KIND_NOUN[w.kind]} ${w.name}: API Gateway cannot change \`${w.field}\` in place, so REST API ${api} will be restored through PutRestApi overwrite (its resources, methods, models, validators, authorizers and gateway responses imported from the backup; ids of those re-assigned and mapped)`,
      });
  }
  if (steps === plan.steps) return { ...plan, warnings: [...plan.warnings, ...out] };
  return {
    ...plan,
    steps,
    warnings: [...plan.warnings, ...out],
    planHash: planHash(plan.options, steps),
  };
}
