/**
 * Masking for terminal and JSON output of plans and apply results. Works on any value: object keys that
 * name secrets (credential keys, passwords, client secrets, tokens, private keys, JWKs) get `[masked]`,
 * and field changes (`{path, before, after}`) are masked by the last segment of their path, so
 * `updating keyauth_credential … key` never shows the key. The catalogue's `secretFields` are the
 * source of these names (src/core/catalogue/kinds/*.ts).
 */
import { ALL_KINDS, CATALOGUE } from '../core/index.ts';

export const MASK = '[masked]';

const CATALOGUE_SECRET_NAMES = new Set(
  ALL_KINDS.flatMap((k) => [
    ...CATALOGUE[k].secretFields,
    ...CATALOGUE[k].hashedFields.map((h) => h.field),
  ]).map((path) => path.split('.').pop() as string),
);

const SECRET_PATTERN = /(^|_)(password|passwd|secret|token|private_key|api_key|apikey|jwk|passphrase)($|_)/i;

export function isSecretName(name: string): boolean {
  return CATALOGUE_SECRET_NAMES.has(name) || SECRET_PATTERN.test(name);
}

function isFieldChange(v: Record<string, unknown>): boolean {
  return typeof v.path === 'string' && ('before' in v || 'after' in v);
}

export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (!value || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const secretChange = isFieldChange(obj) && isSecretName((obj.path as string).split('.').pop() as string);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    const hide =
      (secretChange && (k === 'before' || k === 'after')) ||
      (isSecretName(k) && v !== null && v !== undefined);
    out[k] = hide ? MASK : maskSecrets(v);
  }
  return out;
}
