/**
 * Kong Konnect: a control plane's configuration is the Kong Admin API under
 * `{region}.api.konghq.com/v2/control-planes/{id}/core-entities`, with a bearer token, so the Kong engine
 * (dump, plan, preflight, apply) runs on it unchanged through a client of flavour `konnect`. This file
 * holds what is Konnect's own, each as decK does it (Kong/deck cmd/common_konnect.go,
 * Kong/go-database-reconciler pkg/dump, pkg/konnect, pkg/file/builder.go):
 *
 * - the control plane is found by exact name, as decK's `fetchKonnectControlPlaneID`, else by id. decK lists
 *   every control plane and takes the first whose name matches; snapgate asks for the name
 *   (`filter[name][eq]`) and refuses when several have it, naming their ids: Konnect refuses to create a
 *   second control plane of a name (409 "Control Plane with provided name already exists.") but lists no
 *   409 for a rename (update-control-plane), and backing up or restoring whichever came first could be the
 *   wrong configuration. None is an error too;
 * - no `GET /` or `/status`: decK reports Kong `3.5.0.0` for Konnect (`fetchKonnectKongVersion`);
 *   health is the control plane's own record;
 * - Konnect offers no OAuth2 credentials (dump.go "OAuth2 credentials are not supported in Konnect");
 * - entities Konnect manages (tagged `konnect-managed`, plugins `konnect-managed-plugin`,
 *   pkg/konnect/utils.go) are left out of every dump, so no plan creates, changes or deletes them;
 * - basic-auth passwords come back hashed; writing the hash with `skip_hash: true` stores it as given
 *   (builder.go, Kong/deck#1765), so a backup's credential round-trips;
 * - a control plane group is read-only (its configuration is its members'): plans against it are refused.
 */
import type { Entity, EntityKind, SnapshotSink } from '../core/index.ts';
import { type KongClient, seg } from './client.ts';
import { KongApiError } from './errors.ts';

/** The Kong version decK assumes for every Konnect control plane (cmd/common_konnect.go). */
export const KONNECT_KONG_VERSION = '3.5.0.0';

export const CONTROL_PLANE_GROUP = 'CLUSTER_TYPE_CONTROL_PLANE_GROUP';

/** Kinds a control plane's core-entities API does not offer, and why (shown by preflight). */
export const NOT_ON_KONNECT: Readonly<Partial<Record<EntityKind, string>>> = {
  oauth2_credentials: 'Konnect offers no OAuth2 credentials',
};

export interface ControlPlane {
  id: string;
  name: string;
  clusterType: string;
}

/** The control plane named in the connection is not there, or not only once. */
export class KonnectControlPlaneError extends Error {
  override readonly name = 'KonnectControlPlaneError';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface ControlPlaneJson {
  id?: unknown;
  name?: unknown;
  config?: { cluster_type?: unknown };
}

interface ControlPlanePage {
  data?: ControlPlaneJson[];
  meta?: { page?: { total?: number } };
}

function controlPlaneOf(json: ControlPlaneJson): ControlPlane | null {
  if (typeof json.id !== 'string' || typeof json.name !== 'string') return null;
  const clusterType = json.config?.cluster_type;
  return {
    id: json.id,
    name: json.name,
    clusterType: typeof clusterType === 'string' ? clusterType : 'CLUSTER_TYPE_CONTROL_PLANE',
  };
}

/** Every control plane named exactly `name` (the filter is the server's; the exact match is ours). */
async function controlPlanesNamed(root: KongClient, name: string): Promise<ControlPlane[]> {
  const found: ControlPlane[] = [];
  const size = 100;
  for (let page = 1; ; page++) {
    const body = await root.get<ControlPlanePage>('/v2/control-planes', {
      root: true,
      query: { 'filter[name][eq]': name, 'page[size]': size, 'page[number]': page },
    });
    const rows = Array.isArray(body?.data) ? body.data : [];
    for (const row of rows) {
      const cp = controlPlaneOf(row);
      if (cp && cp.name === name) found.push(cp);
    }
    const total = body?.meta?.page?.total;
    if (rows.length < size || (typeof total === 'number' && page * size >= total)) return found;
  }
}

/**
 * The control plane a connection names, by exact name or else by id. `where` names the region or base
 * URL for the messages.
 */
export async function resolveControlPlane(
  root: KongClient,
  key: string,
  where: string,
): Promise<ControlPlane> {
  const named = await controlPlanesNamed(root, key);
  if (named.length === 1) return named[0]!;
  if (named.length > 1) {
    throw new KonnectControlPlaneError(
      `${named.length} Konnect control planes at ${where} are named "${key}" (${named.map((c) => c.id).join(', ')}); set controlPlane to the id of one of them`,
    );
  }
  if (UUID.test(key)) {
    const res = await root.request<ControlPlaneJson>('GET', `/v2/control-planes/${seg(key)}`, {
      root: true,
      allowStatus: [404],
    });
    const cp = res.status === 404 ? null : controlPlaneOf(res.data);
    if (cp) return cp;
  }
  throw new KonnectControlPlaneError(
    `no Konnect control plane at ${where} is named "${key}"${UUID.test(key) ? ' or has that id' : ''}; check controlPlane in snapgate.yml (names are matched exactly) and that the token's organization can see it`,
  );
}

/** Whether Konnect manages this row itself (never backed up, never written, never deleted). */
export function konnectManaged(kind: EntityKind, row: object): boolean {
  const tags = (row as { tags?: unknown }).tags;
  if (!Array.isArray(tags)) return false;
  const plugin = kind === 'plugins';
  for (const tag of tags) {
    if (tag === 'konnect-managed' || (plugin && tag === 'konnect-managed-plugin')) return true;
  }
  return false;
}

/** `sink` without the rows Konnect manages. */
export function withoutKonnectManaged(sink: SnapshotSink): SnapshotSink {
  // delegates method by method: a sink may be a class instance, whose methods a spread would not copy
  return {
    ...(sink.begin ? { begin: (kinds) => sink.begin?.(kinds) } : {}),
    ...(sink.skip ? { skip: (kind) => sink.skip?.(kind) } : {}),
    close: (kind) => sink.close(kind),
    add(kind, rows) {
      // nearly every page holds no managed row: it goes on as it came, without a filtered copy
      let first = 0;
      while (first < rows.length && !konnectManaged(kind, rows[first] as object)) first++;
      if (first === rows.length) return sink.add(kind, rows);
      const kept = rows.slice(0, first);
      for (let i = first + 1; i < rows.length; i++) {
        const row = rows[i] as Entity;
        if (!konnectManaged(kind, row)) kept.push(row);
      }
      if (kept.length > 0) sink.add(kind, kept);
    },
  };
}

/**
 * A basic-auth body written to Konnect: a stored SHA-1 hash (what every dump holds) goes with
 * `skip_hash: true`, so Konnect keeps it as the credential's hash instead of hashing it again; plain
 * text is hashed by Konnect as usual.
 */
export function withSkipHash(body: Record<string, unknown>): Record<string, unknown> {
  const password = body.password;
  if (typeof password === 'string' && /^[0-9a-f]{40}$/.test(password)) return { ...body, skip_hash: true };
  return body;
}

/** An answer from Konnect's control-planes API in one line (BaseError `{title, detail}`). */
export function isKonnectPath(err: unknown): boolean {
  return err instanceof KongApiError && err.path.startsWith('/v2/control-planes');
}
