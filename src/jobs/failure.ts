/**
 * Turns whatever a job threw into one line an on-call engineer can act on, and decides whether a retry
 * could help. Retrying cannot fix a rejected token, a missing key or a storage directory that is not a
 * directory (those become BullMQ `UnrecoverableError`s, bullmq patterns/stop-retrying-jobs.md); it can fix
 * a gateway that is restarting (network errors, 5xx, 429) or a full disk being cleaned up.
 */
import { KongApiError, KongAuthError, KongUnreachableError } from '../kong/index.ts';
import { ArtifactError, ArtifactKeyError } from '../storage/index.ts';
import { KeyRingUnavailableError, UnknownConnectionError } from './context.ts';

export interface JobFailure {
  /** shown in Slack, the CLI and the record; never holds a secret */
  reason: string;
  retryable: boolean;
}

const STORAGE_CODES_WORTH_RETRY = new Set(['ENOSPC', 'EBUSY', 'EIO', 'EAGAIN', 'EMFILE', 'ENFILE']);
const STORAGE_CODES = new Set([
  ...STORAGE_CODES_WORTH_RETRY,
  'EACCES',
  'EPERM',
  'EROFS',
  'ENOTDIR',
  'ENOENT',
  'EEXIST',
  'EISDIR',
  'EDQUOT',
]);

export function describeFailure(err: unknown, context: { connection: string; kongUrl?: string }): JobFailure {
  if (err instanceof KongAuthError) {
    const what =
      err.status === 401
        ? 'Kong rejected the admin token (401)'
        : `the admin token may not read the gateway (${err.status})`;
    return {
      reason: `wrong token: ${what} at ${context.kongUrl ?? 'the Admin API'}; check the token configured for connection ${context.connection} (tokenEnv/tokenFile)`,
      retryable: false,
    };
  }
  if (err instanceof KongUnreachableError) {
    return { reason: `gateway down: ${err.message}`, retryable: true };
  }
  if (err instanceof KongApiError) {
    const retryable = err.status >= 500 || err.status === 429;
    return { reason: `gateway error: ${err.message}`, retryable };
  }
  if (err instanceof KeyRingUnavailableError) return { reason: err.message, retryable: false };
  if (err instanceof ArtifactKeyError) {
    return {
      reason: `key missing: ${err.message}; add key "${err.keyId}" to the keys section of the config`,
      retryable: false,
    };
  }
  if (err instanceof ArtifactError)
    return { reason: `artifact check failed: ${err.message}`, retryable: true };
  if (err instanceof UnknownConnectionError) return { reason: err.message, retryable: false };
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && STORAGE_CODES.has(code)) {
    const path = (err as NodeJS.ErrnoException).path;
    return {
      reason: `storage not writable: ${code} on ${path ?? 'the artifact directory'} (${(err as Error).message.split('\n')[0]}); check the storage section of the config, permissions and free space`,
      retryable: STORAGE_CODES_WORTH_RETRY.has(code),
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { reason: `unexpected error: ${message.split('\n')[0]}`, retryable: true };
}
