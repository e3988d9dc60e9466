/**
 * Kong Enterprise, every workspace in one backup (a connection with `workspaces: all` or a list), as decK's
 * `--all-workspaces` reads them (Kong/deck cmd/common.go: list `/workspaces`, dump each one through the
 * `/<workspace>/` prefix, go-kong `workspacedBaseURL`):
 *
 * - dump: the workspaces are listed, then each selected one is dumped in turn into the one sink, every
 *   entity tagged with its workspace (`_workspace`, src/core/workspace.ts); each kind is closed once, after
 *   the last workspace. `meta.workspaces` holds the workspace entities themselves.
 * - plan: the core plans workspace by workspace (src/core/plan-workspaces.ts); every step names its
 *   workspace.
 * - apply: the steps go to their workspace, one workspace after the other; a workspace the backup holds
 *   and the gateway lacks is created first (`PUT /workspaces/{name}`, with its comment).
 */
import type { ApplyOptions, ApplyResult, Gateway } from '../app/ports/gateway.ts';
import type { KongConnectionConfig } from '../config/types.ts';
import {
  type Entity,
  type EntityKind,
  type Plan,
  type SnapshotMeta,
  type SnapshotSink,
  splitWorkspaces,
  stripServerFields,
  WORKSPACE_FIELD,
} from '../core/index.ts';
import { applyPlan } from './apply.ts';
import { createKongClient, type KongClient, type KongClientOptions, seg } from './client.ts';
import { checkHealth, describeGateway, type GatewayInfo } from './describe.ts';
import { collectSnapshot, type DumpOptions, dumpInto, kindsFor } from './dump.ts';
import { KongApiError } from './errors.ts';
import { classifyKongError } from './gateway.ts';
import { openGatewayPlanning } from './gateway-planning.ts';

/** A workspace the connection names is not on the gateway. */
export class UnknownWorkspaceError extends KongApiError {
  constructor(names: string[], found: string[]) {
    super({
      status: 404,
      method: 'GET',
      path: '/workspaces',
      body: {
        message: `workspace${names.length === 1 ? '' : 's'} ${names.join(', ')} not found on the gateway (it has ${found.join(', ')}); check workspaces: in snapgate.yml`,
      },
    });
  }
}

interface WorkspaceRow extends Entity {
  name: string;
}

async function selectedWorkspaces(
  root: KongClient,
  selection: 'all' | readonly string[],
  signal?: AbortSignal,
): Promise<WorkspaceRow[]> {
  const all = await root.listAll<WorkspaceRow>('/workspaces', signal ? { signal } : {});
  if (selection === 'all') return all.sort((a, b) => a.name.localeCompare(b.name));
  const missing = selection.filter((n) => !all.some((w) => w.name === n));
  if (missing.length > 0) throw new UnknownWorkspaceError(missing, all.map((w) => w.name).sort());
  return selection.map((n) => all.find((w) => w.name === n) as WorkspaceRow);
}

/**
 * Every selected workspace into `sink`. The sink sees each kind's pages from every workspace, each row
 * tagged, and one `close` per kind once all workspaces are read.
 */
async function dumpWorkspaces(
  root: KongClient,
  clientOf: (ws: string) => KongClient,
  selection: 'all' | readonly string[],
  sink: SnapshotSink,
  opts: DumpOptions,
): Promise<SnapshotMeta> {
  const gateway = opts.gateway ?? (await describeGateway(root));
  const workspaces = await selectedWorkspaces(root, selection, opts.signal);
  const kinds = kindsFor(opts.only);
  sink.begin?.(kinds);
  const closed = new Set<EntityKind>();
  let meta: SnapshotMeta | undefined;
  for (const ws of workspaces) {
    const tagging: SnapshotSink = {
      add(kind, rows) {
        for (const row of rows) (row as Record<string, unknown>)[WORKSPACE_FIELD] = ws.name;
        sink.add(kind, rows);
      },
      close(kind) {
        closed.add(kind);
        return 0;
      },
    };
    meta = await dumpInto(clientOf(ws.name), tagging, { ...opts, gateway });
  }
  const counts: SnapshotMeta['counts'] = {};
  for (const kind of kinds) {
    if (closed.has(kind)) counts[kind] = sink.close(kind);
    else sink.skip?.(kind);
  }
  return {
    ...(meta as SnapshotMeta),
    workspace: null,
    counts,
    workspaces: Object.fromEntries(
      workspaces.map((w) => [w.name, stripServerFields('services', w) as Entity]),
    ),
  };
}

/** The plan's steps for one workspace, as a plan of its own (apply walks its steps only). */
function stepsOf(plan: Plan, ws: string): Plan {
  const steps = plan.steps.filter((s) => (s.workspace ?? 'default') === ws);
  const changes = plan.changes.filter((c) => (c.workspace ?? 'default') === ws);
  return { ...plan, steps, changes };
}

async function applyWorkspaces(
  root: KongClient,
  clientOf: (ws: string) => KongClient,
  plan: Plan,
  opts: ApplyOptions,
  target: Record<string, Entity> | undefined,
): Promise<ApplyResult> {
  const order = [...new Set(plan.steps.map((s) => s.workspace ?? 'default'))];
  const live = new Set(Object.keys(opts.current?.meta.workspaces ?? {}));
  const currents = opts.current ? splitWorkspaces(opts.current) : new Map();
  const results: ApplyResult[] = [];
  let done = 0;
  const total = plan.steps.length;
  for (const ws of order) {
    if (!live.has(ws) && opts.current) {
      const comment = target?.[ws]?.comment;
      await root.request('PUT', `/workspaces/${seg(ws)}`, {
        body: { name: ws, ...(typeof comment === 'string' ? { comment } : {}) },
      });
    }
    const part = stepsOf(plan, ws);
    const result = await applyPlan(clientOf(ws), part, {
      ...opts,
      ...(currents.get(ws) ? { current: currents.get(ws) } : {}),
      ...(opts.onProgress
        ? { onProgress: (p) => opts.onProgress?.({ ...p, done: done + p.done, seq: done + p.seq, total }) }
        : {}),
    });
    done += part.steps.length;
    results.push(result);
    if (!result.ok) break;
  }
  const applied = new Set(results.flatMap((r) => r.steps.map((s) => s.step)));
  const notAttempted = plan.steps
    .filter((s) => !applied.has(s))
    .map((step) => ({ step, status: 'not_attempted' as const }));
  const steps = [...results.flatMap((r) => r.steps), ...notAttempted];
  const counts = { ok: 0, failed: 0, notAttempted: 0 };
  for (const s of steps) {
    if (s.status === 'ok') counts.ok++;
    else if (s.status === 'failed') counts.failed++;
    else counts.notAttempted++;
  }
  const error = results.find((r) => r.error)?.error;
  return {
    ok: counts.failed === 0 && counts.notAttempted === 0 && !error,
    steps,
    counts,
    ...(error ? { error } : {}),
    ...(results.some((r) => r.aborted) ? { aborted: true } : {}),
  };
}

/** The gateway port over every selected workspace of one Kong Enterprise gateway. */
export function openWorkspacesGateway(connection: KongConnectionConfig, options: KongClientOptions): Gateway {
  const selection = connection.workspaces as 'all' | readonly string[];
  const root = createKongClient(options);
  const clients = new Map<string, KongClient>();
  const clientOf = (ws: string): KongClient => {
    let c = clients.get(ws);
    if (!c) {
      c = createKongClient({ ...options, workspace: ws });
      clients.set(ws, c);
    }
    return c;
  };
  const dumpInto = (sink: SnapshotSink, opts: DumpOptions = {}) =>
    dumpWorkspaces(root, clientOf, selection, sink, opts);
  // The workspace entities of the target this gateway's planner last filled: the plan being applied was
  // made from it (planOnGateway fills, then the same gateway applies), so a workspace the gateway lost is
  // re-created with its comment. Without it (a plan from elsewhere) the workspace is created by name.
  let lastTarget: Record<string, Entity> | undefined;
  return {
    type: 'kong',
    product: 'Kong',
    address: `${root.baseUrl} (workspaces: ${selection === 'all' ? 'all' : selection.join(', ')})`,
    describe: () => describeGateway(root),
    health: () => checkHealth(root),
    dumpInto,
    dump: (opts) => collectSnapshot((sink) => dumpInto(sink, opts)),
    planner: async (info?: GatewayInfo) => {
      const planning = await openGatewayPlanning(root, info ?? (await describeGateway(root)));
      return {
        ...planning,
        fillTarget: async (target) => {
          lastTarget = target.meta.workspaces;
          return planning.fillTarget(target);
        },
      };
    },
    apply: (plan, opts = {}) => applyWorkspaces(root, clientOf, plan, opts, lastTarget),
    classifyError: classifyKongError,
    close() {
      root.close();
      for (const c of clients.values()) c.close();
    },
  };
}
