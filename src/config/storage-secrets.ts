/**
 * Credentials of S3 targets (`storage.primary` and `storage.copies[]` with `type: s3`), from environment
 * variables or files named in the config, never from the file itself. A target without `credentials` uses
 * the AWS SDK's default chain (AWS_* variables, shared profile, instance or task role).
 */
import { isRecord, readKeyCredentials } from './key-credentials.ts';
import type { ReadSourceContext } from './resolve-secrets.ts';
import type { S3Credentials } from './types.ts';

async function credentialsOf(
  target: unknown,
  path: string,
  ctx: ReadSourceContext,
): Promise<S3Credentials | null> {
  if (!isRecord(target) || target.type !== 's3' || !isRecord(target.credentials)) return null;
  return readKeyCredentials(target.credentials, `${path}.credentials`, 'S3', ctx);
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
