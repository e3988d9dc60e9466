/**
 * The account's API Gateway state in one region: REST APIs with everything they own, and the account-level
 * API keys, usage plans and custom domain names. Entities are kept in the shape the service returns them
 * (member names of the service model); what an entity owns lives inside it, so deleting an API, a resource
 * or a method takes its children with it, as the service does.
 */
import type { IdSource } from './ids.ts';

export type Json = Record<string, unknown>;

export interface IntegrationState {
  fields: Json;
  responses: Map<string, Json>;
}

export interface MethodState {
  fields: Json;
  responses: Map<string, Json>;
  integration: IntegrationState | null;
}

export interface ResourceState {
  id: string;
  parentId: string | null;
  pathPart: string | null;
  methods: Map<string, MethodState>;
}

export interface RestApiState {
  fields: Json;
  resources: Map<string, ResourceState>;
  models: Map<string, Json>;
  validators: Map<string, Json>;
  authorizers: Map<string, Json>;
  /** customized gateway responses only; the defaults are computed */
  gatewayResponses: Map<string, Json>;
  deployments: Map<string, Json>;
  stages: Map<string, Json>;
  /** documentation parts by id */
  documentationParts: Map<string, Json>;
  /** documentation versions by version string, each with a copy of the parts when it was made */
  documentationVersions: Map<string, { fields: Json; parts: Json[] }>;
}

export interface UsagePlanState {
  fields: Json;
  /** API key ids */
  keys: Set<string>;
}

export interface DomainNameState {
  fields: Json;
  /** by base path; `(none)` for the empty one */
  mappings: Map<string, Json>;
}

export class Store {
  readonly restApis = new Map<string, RestApiState>();
  readonly apiKeys = new Map<string, Json>();
  readonly usagePlans = new Map<string, UsagePlanState>();
  readonly domainNames = new Map<string, DomainNameState>();
  /** VPC links by id */
  readonly vpcLinks = new Map<string, Json>();
  /** client certificates by id */
  readonly clientCertificates = new Map<string, Json>();
  /** PutRestApi calls received, with their query (tests read what a caller asked for) */
  readonly imports: { restApiId: string; query: Record<string, string> }[] = [];
  /** the account the simulated caller belongs to (AWS names it in some messages) */
  accountId = '123456789012';

  constructor(
    readonly ids: IdSource,
    /** seconds since the epoch, as the service's timestamps are (rest-json: epoch seconds) */
    readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  /** A resource's full path, from its ancestors' path parts. */
  pathOf(api: RestApiState, resource: ResourceState): string {
    const parts: string[] = [];
    let cur: ResourceState | undefined = resource;
    while (cur && cur.parentId !== null) {
      parts.unshift(cur.pathPart ?? '');
      cur = api.resources.get(cur.parentId);
    }
    return `/${parts.join('/')}`;
  }

  /** The resource and every resource below it (the resource first). */
  subtree(api: RestApiState, id: string): string[] {
    const out = [id];
    for (let i = 0; i < out.length; i++) {
      for (const r of api.resources.values()) if (r.parentId === out[i]) out.push(r.id);
    }
    return out;
  }

  counts(): Record<string, number> {
    let resources = 0;
    let methods = 0;
    let stages = 0;
    for (const api of this.restApis.values()) {
      resources += api.resources.size;
      stages += api.stages.size;
      for (const r of api.resources.values()) methods += r.methods.size;
    }
    return {
      restapis: this.restApis.size,
      resources,
      methods,
      stages,
      apikeys: this.apiKeys.size,
      usageplans: this.usagePlans.size,
      domainnames: this.domainNames.size,
    };
  }
}
