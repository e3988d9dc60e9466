import { randomUUID } from 'node:crypto';
import { CODES, HttpError, kongError, methodNotAllowed, notFound } from './errors.ts';
import { created, noContent, ok, type SimReply, type SimRequest } from './http-types.ts';
import { pageOf, parseSize } from './pagination.ts';
import type { Entity } from './schema/types.ts';

/**
 * Kong Enterprise workspaces: `/workspaces` (and `/<ws>/workspaces`) lists, reads, creates, updates and
 * deletes workspace entities; every other path is served by the workspace named in its first segment,
 * or by `default` when the first segment names none (Kong EE routes `/<ws>/...`, go-kong
 * `workspacedBaseURL`, decK `--workspace` / `--all-workspaces` in Kong/deck cmd/common.go, which lists
 * `/workspaces` and dumps each one). Each workspace has its own tables, so names are unique per workspace
 * (Kong EE unique constraints include `ws_id`), while ids are unique across all of them (store.ts).
 */

export interface WorkspaceEntity extends Entity {
  id: string;
  name: string;
  comment: string | null;
  config: Record<string, unknown>;
  meta: Record<string, unknown>;
  created_at: number;
  updated_at: number;
}

export interface WorkspaceHost {
  /** every workspace, `default` included */
  all(): WorkspaceEntity[];
  /** by id or name */
  find(key: string): WorkspaceEntity | undefined;
  /** creates the workspace and its (empty) tables */
  add(ws: WorkspaceEntity): void;
  remove(name: string): void;
  /** entities in the workspace's tables */
  entityCount(name: string): number;
}

/** Workspace names as Kong EE's workspaces schema allows them (letters, digits, `.`, `-`, `_`, `~`). */
const WS_NAME = /^[A-Za-z0-9._~-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function workspaceEntity(name: string, nowSeconds: number, id?: string): WorkspaceEntity {
  const t = Math.floor(nowSeconds);
  return {
    id: id ?? randomUUID(),
    name,
    comment: null,
    config: {},
    meta: {},
    created_at: t,
    updated_at: t,
  };
}

function checked(body: Record<string, unknown>, fallbackName?: string): { name: string; comment: unknown } {
  const name = body.name ?? fallbackName;
  if (typeof name !== 'string' || !WS_NAME.test(name)) {
    throw kongError(CODES.SCHEMA_VIOLATION, 'schema violation (name: invalid value)', {
      name: typeof name === 'string' ? 'invalid value' : 'required field missing',
    });
  }
  return { name, comment: body.comment ?? null };
}

export function workspacesRoute(host: WorkspaceHost, req: SimRequest, nowSeconds: number): SimReply {
  const key = req.segments[1];
  if (req.segments.length > 2) throw notFound();
  if (key === undefined) {
    if (req.method === 'GET') {
      const byId = new Map(host.all().map((w) => [w.id, w]));
      const page = pageOf(
        [...byId.keys()].sort(),
        (id) => byId.get(id),
        parseSize(req.query.get('size')),
        req.query.get('offset'),
      );
      const body: Record<string, unknown> = { data: page.rows };
      if (page.offset) body.offset = page.offset;
      body.next = page.offset ? `/workspaces?offset=${encodeURIComponent(page.offset)}` : null;
      return ok(body);
    }
    if (req.method !== 'POST') throw methodNotAllowed();
    const { name, comment } = checked(req.body);
    if (host.find(name)) {
      throw kongError(CODES.UNIQUE_VIOLATION, `UNIQUE violation detected on '{name="${name}"}'`, { name });
    }
    const ws = {
      ...workspaceEntity(name, nowSeconds, typeof req.body.id === 'string' ? req.body.id : undefined),
      comment: comment as string | null,
    };
    host.add(ws);
    return created(ws);
  }
  const found = host.find(key);
  if (req.method === 'GET') {
    if (!found) throw notFound();
    return ok(found);
  }
  if (req.method === 'PUT' || req.method === 'PATCH') {
    if (found) {
      const { name, comment } = checked({ ...found, ...req.body });
      if (name !== found.name) {
        // renaming would move every path of the workspace; the simulator does not offer it
        throw new HttpError(400, { message: 'renaming a workspace is not supported by kong-sim' });
      }
      Object.assign(found, { comment, updated_at: Math.floor(nowSeconds) });
      return ok(found);
    }
    if (req.method === 'PATCH') throw notFound();
    const id = UUID.test(key) ? key : undefined;
    const { name, comment } = checked(req.body, id ? undefined : key);
    if (host.find(name)) {
      throw kongError(CODES.UNIQUE_VIOLATION, `UNIQUE violation detected on '{name="${name}"}'`, { name });
    }
    const ws = { ...workspaceEntity(name, nowSeconds, id), comment: comment as string | null };
    host.add(ws);
    return ok(ws);
  }
  if (req.method === 'DELETE') {
    if (!found) return noContent();
    if (found.name === 'default') throw new HttpError(400, { message: 'Cannot delete default workspace' });
    if (host.entityCount(found.name) > 0) {
      throw new HttpError(400, { message: 'Workspace is not empty' });
    }
    host.remove(found.name);
    return noContent();
  }
  throw methodNotAllowed();
}
