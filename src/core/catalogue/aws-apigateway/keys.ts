/**
 * Snapshot ids of AWS API Gateway entities. AWS assigns every id on create (10 lowercase letters and digits),
 * so a re-created API, resource or key comes back under another id: keying the snapshot by AWS id would make
 * every restore of a deleted entity a delete-and-create that never converges. Entities are keyed instead by
 * their natural key (the API's name, a resource's path, a method's verb, a stage's name, …), references
 * between them hold those keys, and the id AWS assigned is kept in `awsId` (an assigned field: never
 * compared, never written). The restore maps backup ids to new ones through these keys.
 *
 * Forms: API `petstore`; resource `petstore:/pets/{petId}` (the root `petstore:/`); method and integration
 * `petstore:/pets GET`; method and integration response `petstore:/pets GET 200`; model, request validator,
 * authorizer, gateway response and stage `petstore:<name>`; API key and usage plan `<name>`; usage plan key
 * `<plan>:<key name>`; domain name `<domain>`; base path mapping `<domain>:<base path>` (`(none)` for the
 * empty base path). A parent's key is a prefix of its children's, so sorting by id lists parents first.
 */

export const NO_BASE_PATH = '(none)';

/** Where a documentation part applies (DocumentationPartLocation): its type and the members valid for it. */
export interface DocumentationLocation {
  type?: string;
  path?: string;
  method?: string;
  statusCode?: string;
  name?: string;
}

/** `METHOD /pets GET`, `RESPONSE /pets GET 200`, `MODEL Pet`, `API`: the location's members in order. */
export function locationText(l: DocumentationLocation): string {
  return [l.type, l.path, l.method, l.statusCode, l.name]
    .filter((v) => v !== undefined && v !== '')
    .join(' ');
}

export const awsKeys = {
  api: (name: string): string => name,
  resource: (api: string, path: string): string => `${api}:${path}`,
  method: (resource: string, httpMethod: string): string => `${resource} ${httpMethod}`,
  response: (method: string, statusCode: string): string => `${method} ${statusCode}`,
  inApi: (api: string, name: string): string => `${api}:${name}`,
  usagePlanKey: (plan: string, keyName: string): string => `${plan}:${keyName}`,
  /** `petstore:doc METHOD /pets GET`: a documentation part by its location (unique per API) */
  documentationPart: (api: string, location: DocumentationLocation): string =>
    `${api}:doc ${locationText(location)}`,
  /** `petstore:doc v1`: a documentation version by its version string */
  documentationVersion: (api: string, version: string): string => `${api}:doc ${version}`,
  basePathMapping: (domain: string, basePath: string): string => `${domain}:${basePath || NO_BASE_PATH}`,
};

/** `petstore:/pets GET 200` → `{ api: 'petstore', path: '/pets', rest: ['GET', '200'] }` */
export function parseResourceKey(key: string): { api: string; path: string; rest: string[] } {
  const at = key.indexOf(':/');
  if (at < 0) return { api: key, path: '', rest: [] };
  const [path = '', ...rest] = key.slice(at + 1).split(' ');
  return { api: key.slice(0, at), path, rest };
}
