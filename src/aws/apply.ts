/**
 * A plan as API Gateway writes, in the plan's order (creates and updates top-down by level, deletes
 * bottom-up). AWS assigns ids on create: backup ids are mapped to new ones through the natural keys
 * (`IdMap`, from the live snapshot's `awsId`s plus each create's answer), every reference is written with
 * the mapped id, and the mapping is part of the result. A child whose API the plan deletes is deleted with
 * it (DeleteRestApi takes everything the API owns), and a child already gone counts as deleted.
 *
 * Deployments: a stage needs one, so the first stage created for an API gets a fresh deployment of it; and
 * after the last write every API whose content changed is deployed once more and all its stages are
 * pointed at that deployment, so what was restored is what the stages serve.
 *
 * Re-creation (an update step carrying `recreate`: an API key's value, a VPC link's target): the new entity
 * made from the target, its id mapped, what used the old one moved to it, the old one deleted (`recreate`).
 *
 * Re-import (a step carrying `reimport`, planned by not-updatable.ts, first in the plan): the API's
 * definition is built from the target's content of it (openapi.ts) and imported with PutRestApi
 * mode=overwrite, failonwarnings=true and ignore=documentation; the API is read back, the ids AWS assigned
 * to its resources, models, validators and authorizers go into the id map and the mapping, and what the
 * import did not carry (NOT_CARRIED: the API's endpoint settings, a model's description, …) is planned
 * between the read-back and the target and written entity-level — models of another content type than
 * application/json among it: left out of the definition with the references to them
 * (`importableContent`), created with their own type and hooked back into their methods after the import. The plan's own steps of that API of the
 * kinds an import writes are then made (`ok`); its stages, documentation, deployments and the account's
 * entities stay entity-level as for any API. If the import fails, those steps run entity-level as planned.
 */
import {
  type APIGatewayClient,
  CreateDeploymentCommand,
  DeleteApiKeyCommand,
  DeleteVpcLinkCommand,
  PutRestApiCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import type { ApplyOptions, ApplyResult, AssignedId, StepError, StepResult } from '../app/ports/gateway.ts';
import {
  type AwsKind,
  type Entity,
  type EntityMap,
  type Plan,
  type PlanStep,
  planRestore,
  type Snapshot,
  stripServerFields,
} from '../core/index.ts';
import { dumpOneApi } from './dump.ts';
import { classifyAwsError } from './errors.ts';
import { apiOfEntity, IdMap } from './ids.ts';
import { buildOpenApi, IMPORTED_KINDS, importableContent } from './openapi.ts';
import { create, remove, type StepContext, update } from './writes.ts';

/** The id AWS assigned anew to an entity of the backup (`from` is the backup's, when it had one). */
export interface IdMapping extends AssignedId {
  kind: AwsKind;
}

export interface AwsApplyResult extends ApplyResult {
  idMapping: IdMapping[];
  /** the deployments made, per API key */
  deployments: Record<string, string>;
}

/** Kinds whose change changes what a deployment of the API serves. */
const API_CONTENT: ReadonlySet<AwsKind> = new Set([
  'restapis',
  'resources',
  'models',
  'request_validators',
  'authorizers',
  'gateway_responses',
  'methods',
  'method_responses',
  'integrations',
  'integration_responses',
]);

function stepError(err: unknown): StepError {
  const c = classifyAwsError(err);
  return {
    status: c?.status ?? null,
    code: null,
    message: c?.message ?? (err instanceof Error ? err.message : String(err)),
    fields: null,
  };
}

/**
 * The plan's steps in the order they are written: the plan's, except that documentation parts the plan
 * deletes go before the first documentation version it creates. A version is a copy of the parts there
 * are when it is made (CreateDocumentationVersion), so a part deleted later (deletes come last, bottom-up)
 * would be kept in the re-created version. Nothing refers to a part, so deleting it early is safe.
 */
export function inWriteOrder(steps: Plan['steps']): Plan['steps'] {
  const firstVersion = steps.findIndex((s) => s.kind === 'documentation_versions' && s.op === 'create');
  if (firstVersion < 0) return steps;
  const early = (s: Plan['steps'][number], i: number) =>
    i > firstVersion && s.kind === 'documentation_parts' && s.op === 'delete';
  const moved = steps.filter(early);
  if (moved.length === 0) return steps;
  const rest = steps.filter((s, i) => !early(s, i));
  const at = rest.findIndex((s) => s.kind === 'documentation_versions' && s.op === 'create');
  return [...rest.slice(0, at), ...moved, ...rest.slice(at)];
}

function isNotFound(err: unknown): boolean {
  return err instanceof Error && err.name === 'NotFoundException';
}

const IMPORTED: ReadonlySet<string> = new Set(IMPORTED_KINDS);

/** Kinds whose AWS ids a re-import assigns anew (the rest are keyed by what names them). */
const ID_KINDS: readonly AwsKind[] = ['resources', 'models', 'request_validators', 'authorizers'];

export async function applyAwsPlan(
  client: APIGatewayClient,
  plan: Plan,
  live: Snapshot,
  options: ApplyOptions = {},
): Promise<AwsApplyResult> {
  const ids = IdMap.from(live);
  const deletedApis = new Set(
    plan.steps.filter((s) => s.kind === 'restapis' && s.op === 'delete').map((s) => s.id),
  );
  const changedApis = new Set<string>();
  const deployments: Record<string, string> = {};
  const idMapping: IdMapping[] = [];
  const steps: StepResult[] = [];
  const stagesOf = new Map<string, Set<string>>();
  for (const e of Object.values(live.entities.stages ?? {})) {
    const set = stagesOf.get(e.restApi as string) ?? new Set<string>();
    set.add(e.stageName as string);
    stagesOf.set(e.restApi as string, set);
  }

  const deploy = async (apiKey: string): Promise<string> => {
    const d = await client.send(
      new CreateDeploymentCommand({
        restApiId: ids.need('restapis', apiKey),
        description: 'snapgate restore',
      }),
    );
    deployments[apiKey] = d.id as string;
    return d.id as string;
  };

  /** A new deployment of the API, and every stage of it pointed there. */
  const deployAndPoint = async (apiKey: string): Promise<void> => {
    const deploymentId = await deploy(apiKey);
    for (const stageName of stagesOf.get(apiKey) ?? []) {
      await client.send(
        new UpdateStageCommand({
          restApiId: ids.need('restapis', apiKey),
          stageName,
          patchOperations: [{ op: 'replace', path: '/deploymentId', value: deploymentId }],
        }),
      );
    }
  };

  /** One step's write against the gateway, `before` the live entity (assigned ids go into the map). */
  const write = async (step: PlanStep, before: Entity | undefined): Promise<void> => {
    const kind = step.kind as AwsKind;
    const entity = (step.body ?? before) as Entity | undefined;
    const apiKey = entity ? apiOfEntity(kind, entity) : null;
    const ctx: StepContext = {
      client,
      ids,
      before,
      deploymentFor: async (key) => deployments[key] ?? deploy(key),
    };
    if (step.op === 'delete') {
      if (kind !== 'restapis' && apiKey && deletedApis.has(apiKey)) {
        // DeleteRestApi (later in this plan) takes it with the API
      } else if (before) {
        await remove(kind, step.id, before, ctx).catch((err: unknown) => {
          if (!isNotFound(err)) throw err;
        });
      }
    } else if (step.op === 'create') {
      const assigned = await create(kind, step.body as Entity, ctx);
      if (assigned !== null) {
        ids.set(kind, step.id, assigned);
        const from = typeof step.body?.awsId === 'string' ? step.body.awsId : null;
        if (from !== assigned) idMapping.push({ kind, key: step.id, from, to: assigned });
      }
      if (kind === 'stages') {
        const set = stagesOf.get(step.body?.restApi as string) ?? new Set<string>();
        set.add(step.body?.stageName as string);
        stagesOf.set(step.body?.restApi as string, set);
      }
    } else {
      await update(kind, step.body as Entity, ctx);
    }
    if (apiKey && API_CONTENT.has(kind) && !deletedApis.has(apiKey)) changedApis.add(apiKey);
  };

  const deletedSteps = new Set(
    plan.steps.filter((s) => s.op === 'delete').map((s) => `${s.kind}\u0000${s.id}`),
  );
  /**
   * An entity re-created (`recreate`: an API key's value, a VPC link's target): the new one made from the
   * target (its id into the map and the mapping), what referred to the old one moved to it (the key put in
   * the usage plans that had the old one and keep it; the integrations through the old link re-Put through
   * the new one and their APIs redeployed to their stages), then the old one deleted. Made first, deleted last: if the create fails, the old one stays.
   */
  const recreate = async (step: PlanStep): Promise<void> => {
    const kind = step.kind as AwsKind;
    const body = step.body as Entity;
    const oldId = ids.need(kind, step.id);
    const ctx: StepContext = {
      client,
      ids,
      before: undefined,
      deploymentFor: async (key) => deployments[key] ?? deploy(key),
    };
    const assigned = (await create(kind, body, ctx)) as string;
    ids.set(kind, step.id, assigned);
    idMapping.push({
      kind,
      key: step.id,
      from: typeof body.awsId === 'string' ? body.awsId : oldId,
      to: assigned,
    });
    const users =
      kind === 'api_keys'
        ? Object.values(live.entities.usage_plan_keys ?? {}).filter((k) => k.apiKey === step.id)
        : Object.values(live.entities.integrations ?? {}).filter((i) => i.vpcLink === step.id);
    const moved = kind === 'api_keys' ? 'usage_plan_keys' : 'integrations';
    const apis = new Set<string>();
    for (const e of users) {
      if (deletedSteps.has(`${moved}\u0000${e.id}`)) continue; // the plan deletes it
      await create(moved, e, ctx);
      const apiKey = apiOfEntity(moved, e);
      if (apiKey && !deletedApis.has(apiKey)) apis.add(apiKey);
    }
    // a stage keeps going through the link of the deployment it serves: redeploy before deleting the link
    // (AWS Knowledge Center, "How do I delete a VPC link for my API Gateway REST API?")
    for (const apiKey of apis) {
      await deployAndPoint(apiKey);
      changedApis.add(apiKey);
    }
    try {
      if (kind === 'api_keys') await client.send(new DeleteApiKeyCommand({ apiKey: oldId }));
      else await client.send(new DeleteVpcLinkCommand({ vpcLinkId: oldId }));
    } catch (err) {
      if (isNotFound(err)) return;
      throw new Error(
        `${step.name} was re-created as ${assigned} and what used it moved, but deleting the old one (${oldId}) failed: ${stepError(err).message}`,
      );
    }
  };

  /** APIs re-imported, by key: true once the import (and what it did not carry) is written. */
  const reimported = new Map<string, boolean>();
  const reimport = async (step: PlanStep): Promise<void> => {
    const apiKey = step.id;
    reimported.set(apiKey, false);
    const restApiId = ids.need('restapis', apiKey);
    const content = step.reimport?.content ?? {};
    // models of another content type than application/json are created after it, entity-level
    const definition = buildOpenApi(step.body as Entity, importableContent(content), (k) =>
      ids.get('vpc_links', k),
    );
    await client.send(
      new PutRestApiCommand({
        restApiId,
        mode: 'overwrite',
        failOnWarnings: true,
        parameters: { ignore: 'documentation' },
        body: new TextEncoder().encode(JSON.stringify(definition)),
      }),
    );
    changedApis.add(apiKey);
    reimported.set(apiKey, true);
    // read it back: the ids the import assigned, and what it did not carry
    const read = await dumpOneApi(
      client,
      restApiId,
      apiKey,
      ids.keysOf('vpc_links'),
      ids.keysOf('client_certificates'),
    );
    const side = (kinds: readonly AwsKind[], of: (k: AwsKind) => readonly Entity[]): Snapshot => {
      const entities: Snapshot['entities'] = { vpc_links: live.entities.vpc_links ?? {} };
      for (const kind of kinds) {
        const map: EntityMap = {};
        for (const e of of(kind)) map[e.id] = e;
        entities[kind] = map;
      }
      return { meta: live.meta, entities };
    };
    const kinds: AwsKind[] = ['restapis', ...IMPORTED_KINDS];
    const after = side(kinds, (k) => (read.get(k) ?? []).map((e) => stripServerFields(k, e)));
    const wanted = side(kinds, (k) => (k === 'restapis' ? [step.body as Entity] : (content[k] ?? [])));
    for (const kind of ID_KINDS) {
      for (const e of Object.values(after.entities[kind] ?? {})) {
        if (typeof e.awsId !== 'string') continue;
        ids.set(kind, e.id, e.awsId);
        const from = wanted.entities[kind]?.[e.id]?.awsId;
        if (from !== e.awsId)
          idMapping.push({ kind, key: e.id, from: typeof from === 'string' ? from : null, to: e.awsId });
      }
    }
    const failures: string[] = [];
    for (const rest of planRestore(after, wanted).steps) {
      if (rest.kind === 'vpc_links') continue;
      try {
        await write(rest, after.entities[rest.kind]?.[rest.id]);
      } catch (err) {
        failures.push(`${rest.op} ${rest.name}: ${stepError(err).message}`);
      }
    }
    if (failures.length > 0) {
      throw new Error(
        `PutRestApi overwrite of ${apiKey} applied; ${failures.length} write(s) after it failed: ${failures.slice(0, 3).join('; ')}`,
      );
    }
  };

  let aborted = false;
  for (const [i, step] of inWriteOrder(plan.steps).entries()) {
    if (options.signal?.aborted) aborted = true;
    if (aborted) {
      steps.push({ step, status: 'not_attempted' });
      continue;
    }
    const kind = step.kind as AwsKind;
    const before = live.entities[kind]?.[step.id] as Entity | undefined;
    const entity = (step.body ?? before) as Entity | undefined;
    const apiKey = entity ? apiOfEntity(kind, entity) : null;
    try {
      if (step.reimport) await reimport(step);
      else if (step.recreate) await recreate(step);
      else if (IMPORTED.has(kind) && apiKey && reimported.get(apiKey)) {
        // made by the re-import of its API
      } else await write(step, before);
      steps.push({ step, status: 'ok' });
    } catch (err) {
      steps.push({ step, status: 'failed', error: stepError(err) });
    }
    options.onProgress?.({
      done: i + 1,
      total: plan.steps.length,
      step,
      status: steps.at(-1)?.status ?? 'ok',
      seq: steps.length - 1,
    });
  }

  let error: StepError | undefined;
  if (!aborted) {
    for (const apiKey of changedApis) {
      try {
        await deployAndPoint(apiKey);
      } catch (err) {
        error = stepError(err);
        error.message = `deploying REST API ${apiKey} after the restore: ${error.message}`;
      }
    }
  }
  const counts = {
    ok: steps.filter((s) => s.status === 'ok').length,
    failed: steps.filter((s) => s.status === 'failed').length,
    notAttempted: steps.filter((s) => s.status === 'not_attempted').length,
  };
  return {
    ok: counts.failed === 0 && counts.notAttempted === 0 && !error,
    steps,
    counts,
    ...(error ? { error } : {}),
    ...(aborted ? { aborted } : {}),
    idMapping,
    deployments,
  };
}
