/**
 * AWS API Gateway (REST APIs) as the gateway port (`src/app/ports/gateway.ts`): one SDK client per
 * connection, the dump (`dump.ts`), the applier (`apply.ts`) and the error classification
 * (`errors.ts`) behind the port's methods. Built by the registry in `src/compose/gateways.ts`.
 */
import { GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import type { Gateway, GatewayInfo, GatewayPlanner } from '../app/ports/gateway.ts';
import type { AwsApiGatewayConnectionConfig } from '../config/types.ts';
import {
  CATALOGUE,
  type Entity,
  type EntityKind,
  type EntityMap,
  type Snapshot,
  stripServerFields,
} from '../core/index.ts';
import { applyAwsPlan } from './apply.ts';
import { addressOf, apiGatewayClientFor } from './client.ts';
import { AWS_VERSION, dumpInto } from './dump.ts';
import { classifyAwsError } from './errors.ts';
import { reimportPlan } from './not-updatable.ts';

export { classifyAwsError };

/**
 * A target as the service would store it: members a write leaves out get the value AWS fills on create
 * (the catalogue's `defaults`: an API's `apiKeySource` HEADER, an integration's 29000 ms timeout, …), so a
 * hand-made target compares with what a dump reads back. Backups are dumps and already have them.
 */
function fillDefaults(target: Snapshot): Snapshot {
  const entities: Snapshot['entities'] = {};
  for (const [kind, map] of Object.entries(target.entities) as [EntityKind, EntityMap][]) {
    const defaults = CATALOGUE[kind].defaults;
    const names = Object.keys(defaults);
    if (names.length === 0) {
      entities[kind] = map;
      continue;
    }
    const out: EntityMap = {};
    for (const [id, e] of Object.entries(map)) {
      const filled: Entity = { ...e };
      for (const f of names)
        if (filled[f] === undefined || filled[f] === null) filled[f] = structuredClone(defaults[f]);
      out[id] = filled;
    }
    entities[kind] = out;
  }
  return { meta: target.meta, entities };
}

/**
 * Live dumps need no reshaping. What the service cannot change in place is planned before approval: through
 * a re-import of its REST API where an import makes it (`reimport`), else said as a warning
 * (`not-updatable`) and refused by the applier when it comes to it.
 */
const PLANNER: GatewayPlanner = {
  fillTarget: async (target) => fillDefaults(target),
  prepareLive: async (live) => live,
  preflight: (plan, target) => reimportPlan(plan, target),
};

export function openAwsGateway(connection: AwsApiGatewayConnectionConfig): Gateway {
  const client = apiGatewayClientFor(connection);
  const describe = async (): Promise<GatewayInfo> => {
    await client.send(new GetRestApisCommand({ limit: 1 }));
    return {
      version: AWS_VERSION,
      edition: 'managed',
      database: 'unknown',
      role: connection.region,
      workspace: null,
      hostname: connection.endpoint
        ? new URL(connection.endpoint).host
        : `apigateway.${connection.region}.amazonaws.com`,
    };
  };
  const dump: Gateway['dump'] = async (options = {}) => {
    const entities: Partial<Record<EntityKind, EntityMap>> = {};
    const pending = new Map<EntityKind, EntityMap>();
    const meta = await dumpInto(
      client,
      connection.apis,
      {
        add(kind, list) {
          const map = pending.get(kind) ?? {};
          for (const e of list) map[e.id] = stripServerFields(kind, e);
          pending.set(kind, map);
        },
        close(kind) {
          const map = pending.get(kind) ?? {};
          entities[kind] = map;
          return Object.keys(map).length;
        },
      },
      options,
    );
    return { meta, entities } satisfies Snapshot;
  };
  return {
    type: 'aws-apigateway',
    product: 'AWS API Gateway',
    address: addressOf(connection),
    describe,
    health: async () => {
      try {
        await describe();
        return { ok: true, databaseReachable: null, configurationHash: null, message: null };
      } catch (err) {
        const c = classifyAwsError(err);
        return {
          ok: false,
          databaseReachable: null,
          configurationHash: null,
          message: c?.message ?? String(err),
        };
      }
    },
    dumpInto: (sink, options) => dumpInto(client, connection.apis, sink, options),
    dump,
    planner: async () => PLANNER,
    apply: async (plan, options = {}) =>
      applyAwsPlan(client, plan, options.current ?? (await dump()), options),
    classifyError: classifyAwsError,
    close: () => client.destroy(),
  };
}
