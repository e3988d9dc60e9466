import { hostname } from 'node:os';
import { ok, type SimContext, type SimReply } from './http-types.ts';

/** `GET /` (kong/api/routes/kong.lua) and `GET /status` (kong/api/routes/health.lua). */

export interface NodeInfo {
  version: string;
  nodeId: string;
  edition: 'community' | 'enterprise';
}

export function rootInfo(ctx: SimContext, node: NodeInfo): SimReply {
  // enabled_in_cluster: the distinct plugin names in use (Kong scans every plugin row for this)
  const inUse = new Set<string>();
  for (const p of ctx.dao.store.table('plugins').rows.values()) inUse.add(String(p.name));
  const available: Record<string, { version: string; priority: number }> = {};
  for (const name of ctx.registry.plugins) available[name] = { version: node.version, priority: 1000 };
  return ok({
    tagline: 'Welcome to kong',
    version: node.edition === 'enterprise' ? `${node.version}.0-enterprise-edition` : node.version,
    edition: node.edition,
    hostname: hostname(),
    node_id: node.nodeId,
    timers: { running: 0, pending: 0 },
    plugins: { available_on_server: available, enabled_in_cluster: [...inUse] },
    lua_version: 'LuaJIT 2.1.0-20231117',
    configuration: {
      database: ctx.dbless ? 'off' : 'postgres',
      role: 'traditional',
      router_flavor: 'traditional_compatible',
      admin_listen: ['127.0.0.1:8001'],
      plugins: ['bundled'],
      loaded_plugins: Object.fromEntries([...ctx.registry.plugins].map((p) => [p, true])),
    },
    pids: { master: process.pid, workers: [process.pid] },
  });
}

export function statusInfo(ctx: SimContext, requests: number): SimReply {
  const memory = process.memoryUsage();
  const body: Record<string, unknown> = {
    memory: {
      workers_lua_vms: [
        { http_allocated_gc: `${(memory.heapUsed / 1048576).toFixed(2)} MiB`, pid: process.pid },
      ],
      lua_shared_dicts: {},
    },
    server: {
      connections_accepted: requests,
      connections_active: 1,
      connections_handled: requests,
      connections_reading: 0,
      connections_waiting: 0,
      connections_writing: 1,
      total_requests: requests,
    },
  };
  // DB-less nodes report the loaded config hash and no `database` entry
  if (ctx.dbless) body.configuration_hash = ctx.configHash;
  else body.database = { reachable: true };
  return ok(body);
}
