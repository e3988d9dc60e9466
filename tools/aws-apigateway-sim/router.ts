/**
 * The route table: each service operation's HTTP method and request URI from the service model
 * (apigateway 2015-07-09, `http.method` / `http.requestUri`), its success status (`http.responseCode`:
 * 201 for creates and puts, 202 for most deletes, 204 for method/integration deletes) and a handler.
 */
import type { Json, Store } from './store.ts';

export interface Reply {
  status: number;
  body?: unknown;
}

export interface Call {
  store: Store;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Json;
}

export type Handler = (call: Call) => Reply;

export interface Route {
  method: string;
  /** the model's request URI, `{label}` segments matching one path segment */
  uri: string;
  /** the IAM action an identity needs (`apigateway:GET` …), for AccessDenied faults */
  handler: Handler;
}

interface Compiled extends Route {
  segments: string[];
}

export class Router {
  private readonly routes: Compiled[] = [];

  add(method: string, uri: string, handler: Handler): this {
    this.routes.push({ method, uri, handler, segments: uri.split('/').slice(1) });
    return this;
  }

  /** The route and its labels for a request, null when no operation has that method and path. */
  match(method: string, path: string): { route: Route; params: Record<string, string> } | null {
    const parts = path.split('/').slice(1);
    for (const r of this.routes) {
      if (r.method !== method || r.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length; i++) {
        const seg = r.segments[i] as string;
        const part = parts[i] as string;
        if (seg.startsWith('{')) params[seg.slice(1, -1)] = decodeURIComponent(part);
        else if (seg !== part) ok = false;
        if (!ok) break;
      }
      if (ok) return { route: r, params };
    }
    return null;
  }
}

export const ok = (body: unknown): Reply => ({ status: 200, body });
export const created = (body: unknown): Reply => ({ status: 201, body });
export const accepted = (): Reply => ({ status: 202 });
export const noContent = (): Reply => ({ status: 204 });
