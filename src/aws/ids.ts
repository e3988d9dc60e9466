/**
 * Natural keys ↔ the ids AWS assigned, for one apply: read from the live snapshot the plan was made
 * against (`awsId`), extended with every id a create returns. References in a target body (keys) become
 * the ids the service takes.
 */
import { type AwsKind, type Entity, parseResourceKey, type Snapshot } from '../core/index.ts';

export class IdMap {
  private readonly ids = new Map<string, string>();

  static from(live: Snapshot): IdMap {
    const map = new IdMap();
    for (const [kind, entities] of Object.entries(live.entities)) {
      for (const e of Object.values(entities ?? {})) {
        if (typeof e.awsId === 'string') map.set(kind as AwsKind, e.id, e.awsId);
      }
    }
    return map;
  }

  set(kind: AwsKind, key: string, awsId: string): void {
    this.ids.set(`${kind}\u0000${key}`, awsId);
  }

  get(kind: AwsKind, key: string): string | undefined {
    return this.ids.get(`${kind}\u0000${key}`);
  }

  /** AWS id → key, for every entity of `kind` known to this map. */
  keysOf(kind: AwsKind): Map<string, string> {
    const out = new Map<string, string>();
    const prefix = `${kind}\u0000`;
    for (const [k, id] of this.ids) if (k.startsWith(prefix)) out.set(id, k.slice(prefix.length));
    return out;
  }

  /** The id of `key`, or an error naming what is missing (a parent the plan did not create). */
  need(kind: AwsKind, key: string): string {
    const id = this.get(kind, key);
    if (id === undefined) throw new MissingParentError(kind, key);
    return id;
  }
}

export class MissingParentError extends Error {
  constructor(
    readonly kind: AwsKind,
    readonly key: string,
  ) {
    super(
      `${kind} ${key} does not exist on the gateway (it was neither live nor created earlier in this plan)`,
    );
    this.name = 'MissingParentError';
  }
}

/** `petstore:/pets GET 200` → the method key `petstore:/pets GET` and `200`. */
export function splitLast(key: string): [string, string] {
  const at = key.lastIndexOf(' ');
  return [key.slice(0, at), key.slice(at + 1)];
}

/** Where a method-or-below key lives: API key, resource key and verb. */
export function methodParts(methodKey: string): { api: string; resource: string; verb: string } {
  const [resource, verb] = splitLast(methodKey);
  return { api: parseResourceKey(resource).api, resource, verb };
}

/** `petstore:Pet` → `petstore` and `Pet`. */
export function inApiParts(key: string): { api: string; name: string } {
  const at = key.lastIndexOf(':');
  return { api: key.slice(0, at), name: key.slice(at + 1) };
}

/** The API key an entity of an API-owned kind belongs to. */
export function apiOfEntity(kind: AwsKind, e: Entity): string | null {
  if (kind === 'restapis') return e.id;
  if (typeof e.restApi === 'string' && kind !== 'base_path_mappings') return e.restApi;
  if (kind === 'methods' || kind === 'integrations') return methodParts(e.id).api;
  if (kind === 'method_responses' || kind === 'integration_responses')
    return methodParts(splitLast(e.id)[0]).api;
  return null;
}
