/**
 * Changes API Gateway cannot make in place, found when the plan is made (the AWS planner's preflight) so the
 * diff and the restore card say so before anyone approves: an update step whose changed member has no PATCH
 * path for its kind (an API key's value, a model's content type, a VPC link's target; tags are
 * written by TagResource / UntagResource, writes.ts).
 *
 * An API key's value and a VPC link's target (`RECREATED`): the update step is marked `recreate` and the
 * applier re-creates the entity (apply.ts), with a `recreate` warning saying so — not in a plan that must
 * not delete (the old entity is deleted).
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
import { PATCHABLE, TAGGABLE } from './patch-ops.ts';

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
    if (top === 'tags' && TAGGABLE.has(kind)) continue; // TagResource / UntagResource
    if (!Object.hasOwn(patchable, AS_MEMBER[top] ?? top)) out.add(top);
  }
  return [...out];
}

/** The `not-updatable` warning's message: the step will fail, and why no other path makes the change. */
function failing(kind: EntityKind, name: string, field: string, why: string): string {
  return `${KIND_NOUN[kind]} ${name}: API Gateway cannot change \`${field}\` in place, so this step will fail (${why}); delete it on the gateway and restore again`;
}

/** Members whose change re-creates the entity (no PATCH path, no import makes it; a new one is made). */
const RECREATED: Partial<Record<AwsKind, readonly string[]>> = {
  api_keys: ['value'],
  vpc_links: ['targetArns'],
};

/** What the re-creation of an entity does, in the plan's words (never a secret's value). */
function recreateMessage(w: PlanWarning, target: Snapshot | undefined): string {
  const head = `${KIND_NOUN[w.kind]} ${w.name}: API Gateway cannot change \`${w.field}\` in place, so it will be re-created`;
  if (w.kind === 'api_keys') {
    const plans = Object.values(target?.entities.usage_plan_keys ?? {})
      .filter((k) => k.apiKey === w.id)
      .map((k) => String(k.usagePlan));
    const into =
      plans.length > 0 ? `, put back in usage plan${plans.length > 1 ? 's' : ''} ${plans.join(', ')}` : '';
    return `${head} (CreateApiKey with the backup's value, name, description, enabled state, customer id and tags${into}, then the old key deleted): its id changes`;
  }
  return `${head} (CreateVpcLink with the backup's target, every integration through the old link moved to the new one, then the old link deleted): its id changes`;
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
        message: failing(c.kind, c.name, field, 'no other write makes it'),
      });
    }
  }
  return out;
}

const IMPORTED: ReadonlySet<string> = new Set(IMPORTED_KINDS);

/** Why importing the API would not make this change (null: it would). */
function notImportable(kind: AwsKind, field: string, target: Entity | undefined): string | null {
  if (!IMPORTED.has(kind) || !target) return 'an import of the API does not write it';
  // an import makes application/json models; one of another type is created after it (importableContent)
  if (kind === 'models' && field === 'contentType') return null;
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
  let warnings = notUpdatableWarnings(plan);
  if (warnings.length === 0) return plan;
  const out: PlanWarning[] = [];
  let steps = plan.steps;
  const done = (): Plan =>
    steps === plan.steps
      ? { ...plan, warnings: [...plan.warnings, ...out] }
      : { ...plan, steps, warnings: [...plan.warnings, ...out], planHash: planHash(plan.options, steps) };
  // an API key's value, a VPC link's target: the entity re-created (it deletes the old one: not for a plan
  // that must not delete)
  const entityOf = (w: PlanWarning) => `${w.kind}\u0000${w.id}`;
  const recreated = new Set(
    warnings.filter((w) => RECREATED[w.kind as AwsKind]?.includes(w.field)).map(entityOf),
  );
  if (plan.options.noDeletes) {
    // re-creating deletes the old entity, and an overwrite deletes what the definition does not name
    for (const w of warnings) {
      const why = recreated.has(entityOf(w))
        ? 'it would be re-created, which deletes the old one, and this plan must not delete'
        : IMPORTED.has(w.kind)
          ? 'a re-import of its REST API deletes what the backup does not name, and this plan must not delete'
          : 'no other write makes it';
      out.push({ ...w, message: failing(w.kind, w.name, w.field, why) });
    }
    return done();
  }
  if (recreated.size > 0) {
    steps = steps.map((s) =>
      s.op === 'update' && recreated.has(`${s.kind}\u0000${s.id}`) ? { ...s, recreate: true } : s,
    );
    for (const w of warnings)
      if (recreated.has(entityOf(w)))
        out.push({ ...w, code: 'recreate', message: recreateMessage(w, target) });
    warnings = warnings.filter((w) => !recreated.has(entityOf(w)));
  }
  if (!target) {
    for (const w of warnings)
      out.push({ ...w, message: failing(w.kind, w.name, w.field, 'the plan was made without its target') });
    return done();
  }
  const created = new Set(
    plan.steps.filter((s) => s.kind === 'restapis' && s.op !== 'update').map((s) => s.id),
  );
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
      out.push({ ...w, message: failing(w.kind, w.name, w.field, why ?? 'it belongs to no REST API') });
      continue;
    }
    apis.set(api, [...(apis.get(api) ?? []), w]);
  }
  for (const [api, ws] of apis) {
    const content = contentOf(target, api);
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
    // an import makes every model application/json: the others are created after it, entity-level
    const others = (content.models ?? []).filter((m) => m.contentType !== IMPORTED_MODEL_CONTENT_TYPE);
    const after =
      others.length > 0
        ? `; ${others.map((m) => `model ${String(m.name)} (${String(m.contentType)})`).join(', ')} created after the import with ${others.length > 1 ? 'their' : 'its'} content type and hooked back into ${others.length > 1 ? 'their' : 'its'} methods`
        : '';
    for (const w of ws)
      out.push({
        ...w,
        code: 'reimport',
        message: `${KIND_NOUN[w.kind]} ${w.name}: API Gateway cannot change \`${w.field}\` in place, so REST API ${api} will be restored through PutRestApi overwrite (its resources, methods, models, validators, authorizers and gateway responses imported from the backup; ids of those re-assigned and mapped${after})`,
      });
  }
  return done();
}
