/**
 * One plan step → one (rarely two) Admin API calls. Paths and quirks, from Kong's routes and go-kong:
 * - upsert: `PUT /<collection>/<id>`, a full replace (kong/api/endpoints.lua put_entity_endpoint), so the
 *   body is the whole target entity with unset fields as null; credentials go under their consumer,
 *   `PUT /consumers/{c}/<segment>/{id}` as decK does (go-kong credentials_service.go);
 * - targets: `PUT /upstreams/{u}/targets/{t}` only updates (kong/api/routes/upstreams.lua), so a 404
 *   becomes `POST /upstreams/{u}/targets` with the id in the body (go-kong target_service.go);
 * - consumer-group members: `POST /consumer_groups/{g}/consumers {consumer}` (409 = already a member)
 *   and `DELETE /consumer_groups/{g}/consumers/{c}` (Kong Enterprise consumer-groups reference);
 * - delete: `DELETE`, 404 = already gone (a cascade or an earlier run removed it).
 */
import { CATALOGUE, type Entity, type EntityKind, type PlanStep, stripServerFields } from '../core/index.ts';
import { ADMIN_PATHS } from './admin-paths.ts';
import { type KongClient, seg } from './client.ts';
import { withSkipHash } from './konnect.ts';

export type EntityLookup = (kind: EntityKind, id: string) => Entity | undefined;

function fkId(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string') {
    return (value as { id: string }).id;
  }
  return undefined;
}

/**
 * The entity as Kong should store it: server fields stripped, foreign keys as `{ id }`, the plan's id.
 * One copy per step (stripServerFields makes it; the rest edits that copy).
 */
export function requestBody(kind: EntityKind, entity: Entity, id: string = entity.id): Entity {
  const body = stripServerFields(kind, entity) as Record<string, unknown>;
  body.id = id;
  for (const fk of CATALOGUE[kind].foreignKeys) {
    if (fk.array) continue;
    const id = fkId(body[fk.field]);
    if (id !== undefined) body[fk.field] = { id };
  }
  return body as Entity;
}

function parentIdOf(kind: EntityKind, entity: Entity | undefined, step: PlanStep): string {
  const nested = CATALOGUE[kind].nested;
  const id = nested && entity ? fkId(entity[nested.parentField]) : undefined;
  if (!id) throw new Error(`cannot locate the parent of ${kind} ${step.name} (${step.id})`);
  return id;
}

/** `/<collection>/<id>`, or `/<parent collection>/<parent id>/<segment>/<id>` for nested writes. */
function entityPath(
  kind: EntityKind,
  id: string,
  entity: Entity | undefined,
  step: PlanStep,
  nested: boolean,
): string {
  const path = ADMIN_PATHS[kind];
  if (nested || !path.collection) {
    const n = CATALOGUE[kind].nested;
    if (!n || !path.nested) throw new Error(`${kind} has no Admin API path`);
    const parentPath = ADMIN_PATHS[n.parentKind].collection as string;
    return `${parentPath}/${seg(parentIdOf(kind, entity, step))}/${path.nested}/${seg(id)}`;
  }
  return `${path.collection}/${seg(id)}`;
}

function memberParts(step: PlanStep, lookup: EntityLookup): { group: string; consumer: string } {
  const entity = step.body ?? lookup(step.kind, step.id);
  const group = fkId(entity?.consumer_group);
  const consumer = fkId(entity?.consumer);
  if (group && consumer) return { group, consumer };
  const [g, c] = step.id.split(':');
  if (!g || !c) throw new Error(`malformed consumer-group member id ${step.id}`);
  return { group: g, consumer: c };
}

/**
 * Targets: `PUT /upstreams/{u}/targets/{t}` only updates, `POST /upstreams/{u}/targets` creates
 * (kong/api/routes/upstreams.lua). A target the plan creates is POSTed first, one it updates PUT first;
 * each falls back to the other when Kong says the target is (not) there after all (a stale plan, or a
 * retried POST whose first answer was lost). A 409 that the PUT cannot resolve (the same target string
 * under another id) stays a failure, with Kong's message.
 */
async function upsertTarget(client: KongClient, step: PlanStep, body: Entity): Promise<void> {
  const upstream = parentIdOf('targets', body, step);
  const collection = `/upstreams/${seg(upstream)}/targets`;
  const put = async () =>
    (await client.request('PUT', `${collection}/${seg(step.id)}`, { body, allowStatus: [404] })).status !==
    404;
  const post = async (allowConflict: boolean) =>
    (await client.request('POST', collection, { body, ...(allowConflict ? { allowStatus: [409] } : {}) }))
      .status !== 409;
  if (step.op === 'create') {
    if ((await post(true)) || (await put())) return;
  } else if ((await put()) || (await post(true)) || (await put())) return;
  await post(false);
}

export async function executeStep(client: KongClient, step: PlanStep, lookup: EntityLookup): Promise<void> {
  if (step.kind === 'consumer_group_members') {
    const { group, consumer } = memberParts(step, lookup);
    if (step.op === 'delete') {
      await client.request('DELETE', `/consumer_groups/${seg(group)}/consumers/${seg(consumer)}`, {
        allowStatus: [404],
      });
    } else {
      await client.request('POST', `/consumer_groups/${seg(group)}/consumers`, {
        body: { consumer },
        allowStatus: [409],
      });
    }
    return;
  }
  if (step.op === 'delete') {
    const entity = lookup(step.kind, step.id);
    await client.request(
      'DELETE',
      entityPath(step.kind, step.id, entity, step, !ADMIN_PATHS[step.kind].collection),
      {
        allowStatus: [404],
      },
    );
    return;
  }
  if (!step.body) throw new Error(`plan step ${step.op} ${step.kind} ${step.name} has no body`);
  let body = requestBody(step.kind, step.body, step.id);
  if (step.kind === 'basicauth_credentials' && client.flavour === 'konnect') {
    body = withSkipHash(body) as Entity;
  }
  if (step.kind === 'targets') return upsertTarget(client, step, body);
  await client.request(
    'PUT',
    entityPath(step.kind, step.id, body, step, ADMIN_PATHS[step.kind].writeNested),
    { body },
  );
}
