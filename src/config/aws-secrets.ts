/**
 * Credentials of `type: aws-apigateway` connections, from environment variables or files the config names
 * (`credentials.accessKeyIdEnv` …), never from the file itself. A connection without `credentials` uses its
 * `profile` or the AWS SDK's default chain (AWS_* variables, shared files, SSO, instance or task role).
 */
import { type ReadSourceContext, readSource } from './resolve-secrets.ts';
import { Secret } from './secret.ts';
import type { AwsCredentials } from './types.ts';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const FIELDS = [
  ['accessKeyId', 'the AWS access key id', true],
  ['secretAccessKey', 'the AWS secret access key', true],
  ['sessionToken', 'the AWS session token', false],
] as const;

/** Credentials per connection index, for the AWS connections that name them. */
export async function resolveAwsCredentials(
  connections: unknown,
  ctx: ReadSourceContext,
): Promise<Map<number, AwsCredentials>> {
  const out = new Map<number, AwsCredentials>();
  if (!Array.isArray(connections)) return out;
  for (const [i, c] of connections.entries()) {
    if (!isRecord(c) || c.type !== 'aws-apigateway' || !isRecord(c.credentials)) continue;
    const creds = c.credentials;
    const found: Partial<Record<(typeof FIELDS)[number][0], Secret<string>>> = {};
    for (const [field, what, required] of FIELDS) {
      const envField = `${field}Env`;
      const fileField = `${field}File`;
      if (!required && creds[envField] === undefined && creds[fileField] === undefined) continue;
      // an inline value is refused by the schema; do not also report it as missing
      if (creds[field] !== undefined) continue;
      const source = await readSource(
        creds,
        `connections[${i}].credentials`,
        { envField, fileField, what },
        ctx,
      );
      if (source) found[field] = new Secret(source.text);
    }
    if (found.accessKeyId && found.secretAccessKey) {
      out.set(i, {
        accessKeyId: found.accessKeyId,
        secretAccessKey: found.secretAccessKey,
        ...(found.sessionToken ? { sessionToken: found.sessionToken } : {}),
      });
    }
  }
  return out;
}
