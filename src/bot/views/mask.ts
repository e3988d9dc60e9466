/**
 * Masks secrets before a diff reaches Slack: the catalogue's secret fields per kind (credential keys,
 * passwords, private keys, vault tokens, plugin secrets) and, because plugin configs carry secrets under
 * many names, any field whose own name looks secret. Over-masking a harmless field costs a little
 * readability; under-masking leaks a credential into a channel, so the name test is deliberately broad.
 */
import { CATALOGUE, type EntityKind } from '../../core/index.ts';

export const MASK = '••••••';

/** Field names that are secrets whole (`key` of a key-auth credential or certificate) … */
const SECRET_WHOLE = new Set(['key', 'key_alt', 'jwk', 'pem', 'cert_key']);
/** … and parts that mark a secret inside a longer name (`redis_password`, `api_key`, `client_secret`). */
const SECRET_PART = /password|passwd|secret|token|private|credential|signature|apikey|api_key|access_key/i;

const isSecretName = (segment: string) =>
  SECRET_WHOLE.has(segment.toLowerCase()) || SECRET_PART.test(segment);

/** True when the dotted `path` on an entity of `kind` holds (or is inside) a secret. */
export function isSecretPath(kind: EntityKind, path: string): boolean {
  const listed = CATALOGUE[kind].secretFields.some((f) => path === f || path.startsWith(`${f}.`));
  return listed || path.split('.').some(isSecretName);
}

/** A copy of `value` (an entity or part of one at `path`) with every secret replaced by `MASK`. */
export function maskSecrets(kind: EntityKind, value: unknown, path = ''): unknown {
  if (path !== '' && isSecretPath(kind, path)) return value === null || value === undefined ? value : MASK;
  if (Array.isArray(value)) return value.map((v) => maskSecrets(kind, v, path));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = maskSecrets(kind, v, path ? `${path}.${k}` : k);
    return out;
  }
  return value;
}
