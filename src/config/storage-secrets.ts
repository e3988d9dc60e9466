/**
 * Credentials of S3 targets (`storage.primary` and `storage.copies[]` with `type: s3`), from environment
 * variables or files named in the config, never from the file itself. A target without `credentials` uses
 * the AWS SDK's default chain (AWS_* variables, shared profile, instance or task role).
 */
import { type ReadSourceContext, readSource } from './resolve-secrets.ts';
import { Secret } from './secret.ts';
import type { S3Credentials } from './types.ts';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const FIELDS = [
  ['accessKeyId', 'the S3 access key id', true],
  ['secretAccessKey', 'the S3 secret access key', true],
  ['sessionToken', 'the S3 session token', false],
] as const;

async function credentialsOf(
  target: unknown,
  path: string,
  ctx: ReadSourceContext,
): Promise<S3Credentials | null> {
  if (!isRecord(target) || target.type !== 's3' || !isRecord(target.credentials)) return null;
  const creds = target.credentials;
  const found: Partial<Record<(typeof FIELDS)[number][0], Secret<string>>> = {};
  for (const [field, what, required] of FIELDS) {
    const envField = `${field}Env`;
    const fileField = `${field}File`;
    if (!required && creds[envField] === undefined && creds[fileField] === undefined) continue;
    // an inline value is refused by the schema; do not also report it as missing
    if (creds[field] !== undefined) continue;
    const source = await readSource(creds, `${path}.credentials`, { envField, fileField, what }, ctx);
    if (source) found[field] = new Secret(source.text);
  }
  if (!found.accessKeyId || !found.secretAccessKey) return null;
  return {
    accessKeyId: found.accessKeyId,
    secretAccessKey: found.secretAccessKey,
    ...(found.sessionToken ? { sessionToken: found.sessionToken } : {}),
  };
}

/** Credentials per target: key `primary` or `copies[i]`. */
export async function resolveStorageSecrets(
  storage: unknown,
  ctx: ReadSourceContext,
): Promise<Map<string, S3Credentials>> {
  const out = new Map<string, S3Credentials>();
  if (!isRecord(storage)) return out;
  const primary = await credentialsOf(storage.primary, 'storage.primary', ctx);
  if (primary) out.set('primary', primary);
  const copies = Array.isArray(storage.copies) ? storage.copies : [];
  for (const [i, c] of copies.entries()) {
    const found = await credentialsOf(c, `storage.copies[${i}]`, ctx);
    if (found) out.set(`copies[${i}]`, found);
  }
  return out;
}
