import type { Dao } from './dao.ts';
import type { SchemaRegistry } from './schema/index.ts';

/** What a route handler receives and returns; the server turns replies into HTTP responses. */

export interface SimRequest {
  method: string;
  /** decoded path segments after the workspace prefix. */
  segments: string[];
  /** raw (still-encoded) segments, for echoing keys into `next` links. */
  rawSegments: string[];
  query: URLSearchParams;
  /** parsed JSON body (object), `{}` when empty. */
  body: Record<string, unknown>;
  rawBody: string;
  contentType: string;
}

export interface SimReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface SimContext {
  dao: Dao;
  registry: SchemaRegistry;
  dbless: boolean;
  /** hash of the loaded declarative config (DB-less); Kong's empty-config hash is 32 zeros. */
  configHash: string;
}

export const ok = (body: unknown): SimReply => ({ status: 200, body });
export const created = (body: unknown): SimReply => ({ status: 201, body });
export const noContent = (): SimReply => ({ status: 204 });
