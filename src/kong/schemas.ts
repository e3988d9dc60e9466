/**
 * The gateway's schemas and capabilities for one run, as decK reads them before it compares
 * (go-database-reconciler pkg/schema Registry: one `GET /schemas/plugins/{name}` per plugin name, cached;
 * a 404 on `/schemas/{entity}` ignored, a failed plugin schema an error). Kong serves them in
 * kong/api/routes/kong.lua (`/schemas/:name`, `/schemas/plugins/:name`) and lists its loaded plugins at
 * `GET /plugins/enabled` (kong/api/routes/plugins.lua).
 */
import {
  type EntityKind,
  type GatewayCapabilities,
  type GatewaySchemas,
  type KongSchema,
  pluginNames,
  type Snapshot,
} from '../core/index.ts';
import { type KongClient, seg } from './client.ts';
import type { GatewayInfo } from './describe.ts';
import { KongApiError, SchemaUnavailableError } from './errors.ts';
import { CONTROL_PLANE_GROUP, NOT_ON_KONNECT } from './konnect.ts';

/** Kinds that are Kong DAOs with an entity schema (group membership is not one). */
const NOT_KONG_ENTITIES: ReadonlySet<EntityKind> = new Set(['consumer_group_members']);

function isSchema(value: unknown): value is KongSchema {
  return !!value && typeof value === 'object' && Array.isArray((value as KongSchema).fields);
}

/** Schemas fetched at most once per name for the life of the registry (one run). */
export class SchemaRegistry {
  private readonly pluginSchemas = new Map<string, Promise<KongSchema>>();
  private readonly entitySchemas = new Map<EntityKind, Promise<KongSchema | null>>();
  /** what has arrived, for the pure fill and preflight */
  readonly loaded: { plugins: Map<string, KongSchema>; entities: Map<EntityKind, KongSchema> } = {
    plugins: new Map(),
    entities: new Map(),
  };
  /** the schema paths asked for so far, in order (benchmarks and tests count them). */
  readonly requested: string[] = [];

  get requests(): number {
    return this.requested.length;
  }

  constructor(private readonly client: KongClient) {}

  plugin(name: string): Promise<KongSchema> {
    let p = this.pluginSchemas.get(name);
    if (!p) {
      p = this.fetchPlugin(name);
      this.pluginSchemas.set(name, p);
    }
    return p;
  }

  entity(kind: EntityKind): Promise<KongSchema | null> {
    let p = this.entitySchemas.get(kind);
    if (!p) {
      p = this.fetchEntity(kind);
      this.entitySchemas.set(kind, p);
    }
    return p;
  }

  get schemas(): GatewaySchemas {
    return this.loaded;
  }

  private async fetchPlugin(name: string): Promise<KongSchema> {
    const path = `/schemas/plugins/${seg(name)}`;
    this.requested.push(path);
    let res: Awaited<ReturnType<KongClient['request']>>;
    try {
      res = await this.client.request('GET', path, { allowStatus: [404] });
    } catch (err) {
      if (err instanceof KongApiError) {
        throw new SchemaUnavailableError(name, { status: err.status, method: 'GET', path, body: err.body });
      }
      throw err;
    }
    if (res.status === 404 || !isSchema(res.data)) {
      const body = res.status === 404 ? res.data : { message: 'the answer is not a schema (no fields)' };
      throw new SchemaUnavailableError(name, { status: res.status, method: 'GET', path, body });
    }
    this.loaded.plugins.set(name, res.data);
    return res.data;
  }

  private async fetchEntity(kind: EntityKind): Promise<KongSchema | null> {
    const path = `/schemas/${seg(kind)}`;
    this.requested.push(path);
    const res = await this.client.request('GET', path, { allowStatus: [404] });
    // 404: this gateway has no such entity (an Enterprise kind on community); preflight says so
    if (res.status === 404 || !isSchema(res.data)) return null;
    this.loaded.entities.set(kind, res.data);
    return res.data;
  }
}

/**
 * Edition, version and enabled plugins. `GET /plugins/enabled` is the list Kong has loaded; a gateway
 * that does not serve it falls back on `GET /`'s `plugins.available_on_server`, already read.
 */
export async function readCapabilities(
  client: KongClient,
  gateway: GatewayInfo,
): Promise<GatewayCapabilities> {
  if (client.flavour === 'konnect') return konnectCapabilities(gateway);
  const res = await client.request<{ enabled_plugins?: unknown }>('GET', '/plugins/enabled', {
    allowStatus: [404],
  });
  const listed = res.status === 404 ? undefined : res.data?.enabled_plugins;
  const enabledPlugins = Array.isArray(listed)
    ? listed.filter((n): n is string => typeof n === 'string')
    : (gateway.availablePlugins ?? null);
  return {
    version: gateway.version,
    edition: gateway.edition,
    database: gateway.database,
    enabledPlugins,
    wasm: gateway.wasm ?? null,
  };
}

/**
 * Fetch what filling `snapshot` needs: the schema of every plugin it uses (in parallel, once per name)
 * and of every kind it holds entities of (`pluginsOnly`: plugins and the plugin entity only). Plugins the
 * gateway has not enabled are skipped — preflight refuses them by name; any other plugin schema that
 * cannot be read is a SchemaUnavailableError, or skipped when `tolerant`.
 */
export async function loadSchemasFor(
  registry: SchemaRegistry,
  snapshot: Snapshot,
  caps: GatewayCapabilities,
  opts: { tolerant?: boolean; pluginsOnly?: boolean } = {},
): Promise<GatewaySchemas> {
  const enabled = caps.enabledPlugins ? new Set(caps.enabledPlugins) : null;
  const names = pluginNames(snapshot).filter((n) => !enabled || enabled.has(n));
  // only kinds the snapshot holds entities of (a dump lists every kind, most of them empty)
  const kinds = opts.pluginsOnly
    ? []
    : (Object.keys(snapshot.entities) as EntityKind[]).filter(
        (k) => !NOT_KONG_ENTITIES.has(k) && Object.keys(snapshot.entities[k] ?? {}).length > 0,
      );
  if (names.length > 0) kinds.push('plugins');
  const plugins = names.map((n) => {
    const p = registry.plugin(n);
    return opts.tolerant ? p.catch(() => null) : p;
  });
  await Promise.all([...plugins, ...[...new Set(kinds)].map((k) => registry.entity(k))]);
  return registry.schemas;
}

/**
 * A Konnect control plane: its plugin catalogue is Konnect's (no `/plugins/enabled` to ask: every plugin
 * written is checked against its schema, `/schemas/plugins/{name}`, which core-entities serves as Kong
 * does); OAuth2 credentials are not offered; a control plane group takes no writes; basic-auth hashes
 * round-trip through `skip_hash` (konnect.ts).
 */
function konnectCapabilities(gateway: GatewayInfo): GatewayCapabilities {
  const group = gateway.role === CONTROL_PLANE_GROUP;
  return {
    version: gateway.version,
    edition: gateway.edition,
    database: gateway.database,
    enabledPlugins: null,
    wasm: null,
    product: `Kong Konnect control plane${gateway.hostname ? ` ${gateway.hostname}` : ''}`,
    unsupportedKinds: NOT_ON_KONNECT,
    ...(group
      ? {
          readOnly:
            'is a control plane group, which is read-only: restore into one of its member control planes',
        }
      : {}),
    keepsStoredHashes: true,
  };
}
