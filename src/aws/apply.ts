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
 */
import {
  type APIGatewayClient,
  CreateDeploymentCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import type { ApplyOptions, ApplyResult, AssignedId, StepError, StepResult } from '../app/ports/gateway.ts';
import type { AwsKind, Entity, Plan, Snapshot } from '../core/index.ts';
import { classifyAwsError } from './errors.ts';
import { apiOfEntity, IdMap } from './ids.ts';
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
    const ctx: StepContext = {
      client,
      ids,
      before,
      deploymentFor: async (key) => deployments[key] ?? deploy(key),
    };
    try {
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
      steps.push({ step, status: 'ok' });
    } catch (err) {
      steps.push({ step, status: 'failed', error: stepError(err) });
    }
    options.onProgress?.({
      done: i + 1,
      total: plan.steps.length,
      step,
      status: steps.at(-1)?.status ?? 'ok',
    });
  }

  let error: StepError | undefined;
  if (!aborted) {
    for (const apiKey of changedApis) {
      try {
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
