/**
 * What gateway is this? `GET /` once per job for version, edition and database mode, and `/status` as
 * the health probe. `GET /` scans every plugin row to build `enabled_in_cluster` and takes seconds on
 * large installs (kong#9117), so it is never used as a health check (kong/api/routes/kong.lua,
 * kong/api/routes/health.lua).
 */
import type { HealthStatus, GatewayInfo as PortGatewayInfo } from '../app/ports/gateway.ts';
import type { DatabaseMode } from '../core/index.ts';
import type { KongClient } from './client.ts';
import { KongApiError, KongUnreachableError } from './errors.ts';
import { KONNECT_KONG_VERSION } from './konnect.ts';

/** The port's description plus what Kong's preflight needs. */
export interface GatewayInfo extends PortGatewayInfo {
  /** `plugins.available_on_server` of `GET /`: the plugins Kong has loaded. */
  availablePlugins?: string[] | null;
  /** `configuration.wasm` of `GET /` (filter chains need it); null when not reported. */
  wasm?: boolean | null;
}

export type { HealthStatus };

interface RootInfo {
  version?: string;
  edition?: string;
  hostname?: string;
  configuration?: { database?: string; role?: string; wasm?: unknown };
  plugins?: { available_on_server?: unknown };
}

function availablePlugins(info: RootInfo): string[] | null {
  const available = info.plugins?.available_on_server;
  if (Array.isArray(available)) return available.filter((n): n is string => typeof n === 'string');
  if (available && typeof available === 'object') return Object.keys(available);
  return null;
}

function databaseMode(value: unknown): DatabaseMode {
  if (value === 'off') return 'off';
  if (value === 'postgres') return 'postgres';
  return 'unknown';
}

/**
 * A Konnect control plane as a gateway: no `GET /` to ask, so the version is the one decK assumes
 * (konnect.ts), the edition Enterprise (Konnect offers the Enterprise entities), writes per entity as in
 * DB mode; `role` is the control plane's cluster type and `hostname` its name.
 */
export function konnectGatewayInfo(controlPlane: { name: string; clusterType: string } | null): GatewayInfo {
  return {
    version: KONNECT_KONG_VERSION,
    edition: 'enterprise',
    database: 'postgres',
    role: controlPlane?.clusterType ?? 'CLUSTER_TYPE_CONTROL_PLANE',
    workspace: null,
    hostname: controlPlane?.name ?? null,
    availablePlugins: null,
    wasm: null,
  };
}

export async function describeGateway(client: KongClient): Promise<GatewayInfo> {
  if (client.flavour === 'konnect') return konnectGatewayInfo(null);
  // With a workspace, root info lives at `/<ws>/kong` (go-kong workspacedBaseURL, deck fetchKongVersion);
  // older gateways and OSS only know `/`.
  let info: RootInfo | undefined;
  if (client.workspace) {
    const res = await client.request<RootInfo>('GET', '/kong', { allowStatus: [404] });
    if (res.status !== 404) info = res.data;
  }
  info ??= await client.get<RootInfo>('/', { root: true });
  if (!info || typeof info.version !== 'string') {
    throw new KongApiError({
      status: 200,
      method: 'GET',
      path: '/',
      body: { message: 'the answer does not look like a Kong Admin API (no version)' },
    });
  }
  const enterprise = info.edition === 'enterprise' || /enterprise/i.test(info.version);
  return {
    version: info.version,
    edition: enterprise ? 'enterprise' : 'community',
    database: databaseMode(info.configuration?.database),
    role: info.configuration?.role ?? 'traditional',
    workspace: client.workspace,
    hostname: info.hostname ?? null,
    availablePlugins: availablePlugins(info),
    wasm: typeof info.configuration?.wasm === 'boolean' ? info.configuration.wasm : null,
  };
}

interface StatusBody {
  database?: { reachable?: boolean };
  configuration_hash?: string;
}

/** Never throws for an unhealthy gateway: the answer says what is wrong. */
export async function checkHealth(client: KongClient): Promise<HealthStatus> {
  try {
    const status = await client.get<StatusBody>('/status', { root: true });
    const reachable = typeof status.database?.reachable === 'boolean' ? status.database.reachable : null;
    return {
      ok: reachable !== false,
      databaseReachable: reachable,
      configurationHash: status.configuration_hash ?? null,
      message: reachable === false ? 'Kong answers but reports its database unreachable' : null,
    };
  } catch (err) {
    if (err instanceof KongUnreachableError || err instanceof KongApiError) {
      return { ok: false, databaseReachable: null, configurationHash: null, message: err.message };
    }
    throw err;
  }
}
