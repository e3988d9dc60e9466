/**
 * An AWS-style key pair (`accessKeyId`, `secretAccessKey`, optional `sessionToken`) read from the
 * environment variables or files a `credentials:` block names (`accessKeyIdEnv`, `accessKeyIdFile`, …),
 * never from the config file itself. Used for S3 storage targets and `aws-apigateway` connections.
 */
import { type ReadSourceContext, readSource } from './resolve-secrets.ts';
import { Secret } from './secret.ts';
import type { AwsCredentials } from './types.ts';

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const FIELDS = [
  ['accessKeyId', 'access key id', true],
  ['secretAccessKey', 'secret access key', true],
  ['sessionToken', 'session token', false],
] as const;

/**
 * The key pair a `credentials:` block at `path` names, or null when it names none or a required part is
 * missing (that problem is reported through `ctx`). `product` words the messages (`the S3 access key id`).
 */
export async function readKeyCredentials(
  creds: Record<string, unknown>,
  path: string,
  product: string,
  ctx: ReadSourceContext,
): Promise<AwsCredentials | null> {
  const found: Partial<Record<(typeof FIELDS)[number][0], Secret<string>>> = {};
  for (const [field, what, required] of FIELDS) {
    const envField = `${field}Env`;
    const fileField = `${field}File`;
    if (!required && creds[envField] === undefined && creds[fileField] === undefined) continue;
    // an inline value is refused by the schema; do not also report it as missing
    if (creds[field] !== undefined) continue;
    const source = await readSource(
      creds,
      path,
      { envField, fileField, what: `the ${product} ${what}` },
      ctx,
    );
    if (source) found[field] = new Secret(source.text);
  }
  if (!found.accessKeyId || !found.secretAccessKey) return null;
  return {
    accessKeyId: found.accessKeyId,
    secretAccessKey: found.secretAccessKey,
    ...(found.sessionToken ? { sessionToken: found.sessionToken } : {}),
  };
}
