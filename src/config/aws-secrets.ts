/**
 * Credentials of `type: aws-apigateway` connections, from environment variables or files the config names
 * (`credentials.accessKeyIdEnv` …), never from the file itself. A connection without `credentials` uses its
 * `profile` or the AWS SDK's default chain (AWS_* variables, shared files, SSO, instance or task role).
 */
import { isRecord, readKeyCredentials } from './key-credentials.ts';
import type { ReadSourceContext } from './resolve-secrets.ts';
import type { AwsCredentials } from './types.ts';

/** Credentials per connection index, for the AWS connections that name them. */
export async function resolveAwsCredentials(
  connections: unknown,
  ctx: ReadSourceContext,
): Promise<Map<number, AwsCredentials>> {
  const out = new Map<number, AwsCredentials>();
  if (!Array.isArray(connections)) return out;
  for (const [i, c] of connections.entries()) {
    if (!isRecord(c) || c.type !== 'aws-apigateway' || !isRecord(c.credentials)) continue;
    const found = await readKeyCredentials(c.credentials, `connections[${i}].credentials`, 'AWS', ctx);
    if (found) out.set(i, found);
  }
  return out;
}
