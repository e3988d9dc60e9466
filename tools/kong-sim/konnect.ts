import { randomUUID } from 'node:crypto';
import { HttpError } from './errors.ts';
import { ok, type SimReply } from './http-types.ts';
import { pageOf, parseSize, parseTags } from './pagination.ts';
import type { Store } from './store.ts';

/**
 * Konnect mode: the simulator answers as Kong Konnect's regional API does for the control planes and
 * their configuration, instead of as a self-hosted Admin API.
 *
 * - `GET /v2/control-planes` (`page[size]`, `page[number]`, `filter[name][eq]`, `filter[id][eq]`) answers
 *   `{data, meta: {page: {number, size, total}}}`; `GET /v2/control-planes/{id}` one control plane with
 *   `config.cluster_type` (Kong/developer.konghq.com api-specs/konnect/control-planes/v2/openapi.yaml:
 *   list-control-planes, PageSize, PageNumber, ControlPlaneFilterParameters, PaginatedMeta, ControlPlane).
 * - `/v2/control-planes/{id}/core-entities/<Admin API path>` is the Kong Admin API of that control plane,
 *   with Kong's `size`/`offset`/`next` paging (api-specs/konnect/control-planes-config/v2/openapi.yaml).
 * - `Authorization: Bearer <token>` on every request (securitySchemes personalAccessToken /
 *   konnectAccessToken); 401 bodies: `{status, title, instance, detail}` on the control-planes API
 *   (BaseError) and `{message, status}` on core-entities (HTTP401Error).
 * - Konnect-only differences decK handles (Kong/go-database-reconciler@8f5e476): no OAuth2 credentials
 *   (`pkg/dump/dump.go` "OAuth2 credentials are not supported in Konnect"), a top-level `/targets` list
 *   (`GetAllTargetsFromKonnect`), basic-auth `skip_hash: true` storing the password as sent
 *   (`pkg/file/builder.go`, Kong/deck#1765), entities Konnect manages tagged `konnect-managed` /
 *   `konnect-managed-plugin` (`pkg/konnect/utils.go`).
 */

export interface ControlPlaneSpec {
  name: string;
  id?: string;
  /** `CLUSTER_TYPE_CONTROL_PLANE` (default) or `CLUSTER_TYPE_CONTROL_PLANE_GROUP` (read-only) … */
  clusterType?: string;
  description?: string;
  labels?: Record<string, string>;
  seed?: Record<string, unknown> | string;
}

export interface ControlPlane {
  id: string;
  name: string;
  description: string;
  labels: Record<string, string>;
  clusterType: string;
  createdAt: string;
}

export const CONTROL_PLANE_GROUP = 'CLUSTER_TYPE_CONTROL_PLANE_GROUP';

export function controlPlaneOf(spec: ControlPlaneSpec, now: Date): ControlPlane {
  return {
    id: spec.id ?? randomUUID(),
    name: spec.name,
    description: spec.description ?? '',
    labels: spec.labels ?? {},
    clusterType: spec.clusterType ?? 'CLUSTER_TYPE_CONTROL_PLANE',
    createdAt: now.toISOString(),
  };
}

/** The ControlPlane schema's JSON (config endpoints are read-only and made up here). */
export function controlPlaneJson(cp: ControlPlane): Record<string, unknown> {
  const host = cp.id.slice(0, 10);
  return {
    id: cp.id,
    name: cp.name,
    description: cp.description,
    labels: cp.labels,
    config: {
      control_plane_endpoint: `https://${host}.cp0.konghq.com`,
      telemetry_endpoint: `https://${host}.tp0.konghq.com`,
      cluster_type: cp.clusterType,
      auth_type: 'pinned_client_certs',
      cloud_gateway: false,
      proxy_urls: [],
    },
    created_at: cp.createdAt,
    updated_at: cp.createdAt,
  };
}

/** BaseError (control-planes API): `{status, title, instance, detail}`. */
export function konnectError(status: number, title: string, detail: string): HttpError {
  return new HttpError(status, { status, title, instance: `kong:trace:${randomUUID()}`, detail });
}

/** 401 for a missing or wrong bearer token, in the shape of the API the path belongs to. */
export function unauthorized(coreEntities: boolean): HttpError {
  if (coreEntities) return new HttpError(401, { message: 'Unauthorized', status: 401 });
  return konnectError(401, 'Unauthorized', 'Invalid credentials');
}

function positiveInt(raw: string | null, fallback: number, max: number, name: string): number {
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw konnectError(400, 'Bad Request', `${name} must be an integer between 1 and ${max}`);
  }
  return n;
}

/** `GET /v2/control-planes`: filtered, then paged by number (10 per page unless `page[size]`). */
export function listControlPlanes(cps: readonly ControlPlane[], query: URLSearchParams): SimReply {
  const size = positiveInt(query.get('page[size]'), 10, 100, 'page[size]');
  const number = positiveInt(query.get('page[number]'), 1, 1_000_000, 'page[number]');
  const byName = query.get('filter[name][eq]') ?? query.get('filter[name]');
  const byId = query.get('filter[id][eq]') ?? query.get('filter[id]');
  const matching = cps.filter(
    (cp) => (byName === null || cp.name === byName) && (byId === null || cp.id === byId),
  );
  const data = matching.slice((number - 1) * size, number * size).map(controlPlaneJson);
  return ok({ data, meta: { page: { number, size, total: matching.length } } });
}

/** Konnect's top-level `/targets`: every target of the control plane, Kong-style pages. */
export function listAllTargets(store: Store, query: URLSearchParams): SimReply {
  const table = store.table('targets');
  const tags = parseTags(query.get('tags'));
  const page = pageOf(
    table.sortedIds(),
    (id) => table.rows.get(id),
    parseSize(query.get('size')),
    query.get('offset'),
    tags,
  );
  const body: Record<string, unknown> = { data: page.rows };
  if (page.offset) body.offset = page.offset;
  body.next = page.offset ? `/targets?offset=${encodeURIComponent(page.offset)}` : null;
  return ok(body);
}

/** Paths a control plane's core-entities API does not offer (OAuth2 in any position, node endpoints). */
export function offeredOnKonnect(segments: readonly string[]): boolean {
  if (segments.length === 0) return false;
  if (['status', 'config', 'kong', 'workspaces'].includes(segments[0]!)) return false;
  if (segments[0] === 'oauth2' || segments[0] === 'oauth2_tokens') return false;
  return !(segments[0] === 'consumers' && segments[2] === 'oauth2');
}
