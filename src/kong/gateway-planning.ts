/**
 * Planning against a live gateway, the one path every caller takes (CLI diff/apply, the restore job's
 * plan, re-plan and verification, the Slack diff):
 *
 *   target ─ fill defaults (the gateway's schemas) ─┐
 *                                                   ├─ planRestore ─ preflight (edition, plugins, schemas)
 *   live dump ─ drop echoed shorthands ─────────────┘
 *
 * Filling is what Kong does to a write and decK does before it compares, so a file or an old backup that
 * leaves out a field with a default (prometheus `ai_metrics` on 3.9) is not a change forever. Preflight
 * refuses, before the first write, whatever the gateway cannot take. One `GatewayPlanning` per run: each
 * schema is fetched once however often the run plans (apply plans, applies, then plans again).
 */
import {
  fillDefaults,
  type GatewayCapabilities,
  type Plan,
  type Snapshot,
  stripShorthands,
  withPreflight,
} from '../core/index.ts';
import type { KongClient } from './client.ts';
import type { GatewayInfo } from './describe.ts';
import { loadSchemasFor, readCapabilities, SchemaRegistry } from './schemas.ts';

export interface GatewayPlanning {
  readonly capabilities: GatewayCapabilities;
  readonly registry: SchemaRegistry;
  /** the target as this gateway would store it; a plugin schema that cannot be read throws, naming it. */
  fillTarget(target: Snapshot): Promise<Snapshot>;
  /** the live dump in comparison form: without the deprecated shorthands Kong echoes on reads. */
  prepareLive(live: Snapshot): Promise<Snapshot>;
  /** the plan with what the gateway cannot take refused (the same plan when it can take everything). */
  preflight(plan: Plan): Plan;
}

export async function openGatewayPlanning(
  client: KongClient,
  gateway: GatewayInfo,
): Promise<GatewayPlanning> {
  const capabilities = await readCapabilities(client, gateway);
  const registry = new SchemaRegistry(client);
  return {
    capabilities,
    registry,
    async fillTarget(target) {
      return fillDefaults(target, await loadSchemasFor(registry, target, capabilities));
    },
    async prepareLive(live) {
      // a plugin row whose schema cannot be read is left as it is: the live side is not what we write
      return stripShorthands(
        live,
        await loadSchemasFor(registry, live, capabilities, { tolerant: true, pluginsOnly: true }),
      );
    },
    preflight(plan) {
      return withPreflight(plan, capabilities, registry.schemas);
    },
  };
}
