/**
 * Masks secrets before a diff reaches Slack: the catalogue's secret fields per kind (credential keys,
 * passwords, private keys, vault tokens, plugin secrets) and, because plugin configs carry secrets under
 * many names, any field whose own name looks secret. Over-masking a harmless field costs a little
 * readability; under-masking leaks a credential into a channel, so the name test is deliberately broad.
 */
import { CATALOGUE, type EntityKind } from '../../core/index.ts';

export const MASK = '••••••';

const SECRET_NAME =
  /(^|_)(password|passwd|secret|secrets|token|private|credential|credentials|signature|apikey|api_key|key|jwk|client_secret|secret_id|session)(_|$)/i;

/** True when the dotted `path` on an entity of `kind` holds (or is inside) a secret. */
export function isSecretPath(kind: EntityKind, path: string): boolean {
  const listed = CATALOGUE[kind].secretFields.some((f) => path === f || path.startsWith(`${f}.`));
  return listed || path.split('.').some((segment) => SECRET_NAME.test(segment));
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
