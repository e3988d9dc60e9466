/**
 * The console's gateway panel: counts the live entities of the sample gateway through its Admin API and
 * breaks it on request, the way an on-call engineer meets drift (a deleted route, a changed plugin, an
 * unknown consumer). Only the Admin API is used, so it works against kong-sim and a real Kong alike.
 */

/** Kinds counted in the panel (Kong Admin API collection paths). */
const COUNTED = [
  'services',
  'routes',
  'plugins',
  'consumers',
  'upstreams',
  'certificates',
  'ca_certificates',
  'snis',
  'vaults',
  'keys',
  'key-sets',
  'consumer_groups',
  'key-auths',
  'basic-auths',
  'hmac-auths',
  'jwts',
  'oauth2',
  'acls',
] as const;

export type Breakage = 'delete-route' | 'change-plugin' | 'add-consumer';
export const BREAKAGES: Record<Breakage, string> = {
  'delete-route': 'Delete a route',
  'change-plugin': 'Change a plugin',
  'add-consumer': 'Add a consumer',
};

export interface GatewayCounts {
  total: number;
  kinds: Record<string, number>;
}

interface Row {
  id: string;
  name?: string;
  username?: string;
  config?: Record<string, unknown>;
  enabled?: boolean;
}

export class GatewayPanel {
  private rogue = 0;

  constructor(
    readonly url: string,
    private readonly token?: string,
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url.replace(/\/$/, '')}${path}`, {
      method,
      headers: {
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(this.token ? { 'kong-admin-token': this.token } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(5000),
    });
    if (res.status >= 300) throw new Error(`${method} ${path}: the gateway answered ${res.status}`);
    return (res.status === 204 ? null : await res.json()) as T;
  }

  /** Every row of a collection, following `next` pages; null when the gateway does not serve it. */
  private async list(kind: string): Promise<Row[] | null> {
    const rows: Row[] = [];
    let path: string | null = `/${kind}?size=1000`;
    while (path) {
      let page: { data: Row[]; next: string | null };
      try {
        page = await this.call('GET', path);
      } catch (err) {
        if (/answered 404/.test((err as Error).message)) return null;
        throw err;
      }
      rows.push(...page.data);
      path = page.next ? page.next.replace(/^https?:\/\/[^/]+/, '') : null;
    }
    return rows;
  }

  async counts(): Promise<GatewayCounts> {
    const kinds: Record<string, number> = {};
    let total = 0;
    const lists = await Promise.all(COUNTED.map(async (kind) => [kind, await this.list(kind)] as const));
    for (const [kind, rows] of lists) {
      if (rows === null) continue;
      kinds[kind] = rows.length;
      total += rows.length;
      // targets are listed per upstream only (kong/api/routes/upstreams.lua)
      if (kind === 'upstreams') {
        let targets = 0;
        for (const u of rows) targets += (await this.list(`upstreams/${u.id}/targets`))?.length ?? 0;
        kinds.targets = targets;
        total += targets;
      }
    }
    return { total, kinds };
  }

  /** Breaks the gateway one way; resolves with what was done, in words. */
  async break(what: Breakage): Promise<string> {
    if (what === 'delete-route') {
      const routes = (await this.list('routes')) ?? [];
      const route = routes.filter((r) => r.name).sort((a, b) => a.name!.localeCompare(b.name!))[0];
      if (!route) throw new Error('the gateway has no named route left to delete');
      await this.call('DELETE', `/routes/${route.id}`);
      return `deleted route ${route.name}`;
    }
    if (what === 'change-plugin') {
      const plugins = (await this.list('plugins')) ?? [];
      const limiter = plugins.find((p) => p.name === 'rate-limiting');
      if (limiter) {
        const minute = Number(limiter.config?.minute ?? 0) + 1000;
        await this.call('PATCH', `/plugins/${limiter.id}`, { config: { ...limiter.config, minute } });
        return `set rate-limiting to ${minute} requests a minute`;
      }
      const plugin = plugins[0];
      if (!plugin) throw new Error('the gateway has no plugin to change');
      await this.call('PATCH', `/plugins/${plugin.id}`, { enabled: plugin.enabled === false });
      return `${plugin.enabled === false ? 'enabled' : 'disabled'} plugin ${plugin.name}`;
    }
    const username = `rogue-${Date.now().toString(36)}-${++this.rogue}`;
    await this.call('POST', '/consumers', { username });
    return `added consumer ${username}`;
  }
}
