/**
 * Applying a plan to a DB-less gateway. Entity writes answer 405 there (kong/db/strategies/off), so the
 * only write is `POST /config`, an atomic replace of the whole configuration (kong/api/routes/config.lua).
 * The body is the live config with the plan applied in memory: the live config is read again here (one
 * `GET /config`) rather than trusted from the caller, because a snapshot limited to some sections would
 * otherwise wipe every other section. `check_hash=1` answers 304 when nothing changes;
 * `flatten_errors=1` turns a rejection (400, code 14) into per-entity errors that are mapped back to
 * plan steps: those steps failed, the rest were not attempted, since nothing of an invalid config loads.
 */

import { randomBytes } from 'node:crypto';
import { toKongDeclarative, transformDeclarative } from '../core/deck/index.ts';
import { applyPlanInMemory, type EntityKind, type Plan, type Snapshot } from '../core/index.ts';
import type { ApplyOptions } from './apply.ts';
import { type ApplyResult, type StepResult, summarize, toStepError } from './apply-result.ts';
import type { KongClient } from './client.ts';
import { dumpGateway } from './dump.ts';

interface FlatError {
  entity_type?: string;
  entity_id?: string;
  entity_name?: string;
  errors?: { type?: string; field?: string; message?: string }[];
}

interface ConfigRejection {
  code?: number;
  message?: string;
  flattened_errors?: FlatError[];
}

/** Kong's DAO names where they differ from our kinds. */
const DAO_TO_KIND: Record<string, EntityKind> = { consumer_group_consumers: 'consumer_group_members' };

/**
 * `entity_type` names the entity's schema; accept the plural DAO name (`services`), the singular form
 * (`service`) and the DAO aliases above, so the mapping holds whichever Kong version answers.
 */
function kindsNamed(entityType: string | undefined): Set<string> {
  if (!entityType) return new Set();
  return new Set([entityType, `${entityType}s`, DAO_TO_KIND[entityType] ?? entityType]);
}

function describeFlat(e: FlatError): string {
  const parts = (e.errors ?? []).map((x) => (x.field ? `${x.field}: ${x.message}` : (x.message ?? '')));
  return parts.filter(Boolean).join('; ') || 'invalid entity';
}

function mapRejection(results: StepResult[], body: ConfigRejection): Partial<ApplyResult> {
  const unmatched: string[] = [];
  for (const flat of body.flattened_errors ?? []) {
    const kinds = kindsNamed(flat.entity_type);
    const hit = results.find((r) => kinds.has(r.step.kind) && r.step.id === flat.entity_id);
    const message = describeFlat(flat);
    if (hit) {
      hit.status = 'failed';
      hit.error = { status: 400, code: body.code ?? 14, message, fields: null };
    } else {
      unmatched.push(
        `${flat.entity_type ?? 'entity'} ${flat.entity_name ?? flat.entity_id ?? ''}: ${message}`,
      );
    }
  }
  if (unmatched.length === 0 && results.some((r) => r.status === 'failed')) return {};
  const detail = unmatched.length > 0 ? unmatched.join(' | ') : (body.message ?? 'configuration rejected');
  return { error: { status: 400, code: body.code ?? 14, message: detail, fields: null } };
}

export async function applyDbless(
  client: KongClient,
  plan: Plan,
  current: Snapshot,
  opts: ApplyOptions,
): Promise<ApplyResult> {
  const results: StepResult[] = plan.steps.map((step) => ({ step, status: 'not_attempted' }));
  if (plan.steps.length === 0) return summarize(results);
  if (opts.signal?.aborted) return summarize(results, { aborted: true });
  try {
    const live = await dumpGateway(client, {
      gateway: {
        version: current.meta.kongVersion,
        edition: current.meta.edition,
        database: 'off',
        role: 'traditional',
        workspace: client.workspace,
        hostname: null,
      },
      takenAt: current.meta.takenAt,
    });
    // always `_transform: false`, with Kong's transformations done here per value: hashes from a dump pass
    // through, plain-text passwords are hashed as Kong hashes them (core transformDeclarative)
    const { config } = transformDeclarative(toKongDeclarative(applyPlanInMemory(live, plan)), {
      ...(opts.transform !== undefined ? { transform: opts.transform } : {}),
      randomSalt: () => randomBytes(16),
    });
    const res = await client.request<ConfigRejection>('POST', '/config', {
      query: { check_hash: 1, flatten_errors: 1 },
      body: config,
      allowStatus: [400],
    });
    if (res.status === 400) return summarize(results, mapRejection(results, res.data ?? {}));
  } catch (err) {
    return summarize(results, { error: toStepError(err) });
  }
  // 201 loaded, 304 already the loaded config (check_hash): either way every step holds.
  results.forEach((r, i) => {
    r.status = 'ok';
    opts.onProgress?.({ done: i + 1, total: results.length, step: r.step, status: 'ok', seq: i });
  });
  return summarize(results);
}
