/**
 * Turns whatever a job threw into one line an on-call engineer can act on, and decides whether a retry
 * could help. Retrying cannot fix a rejected token, a missing key or a storage directory that is not a
 * directory (those become BullMQ `UnrecoverableError`s, bullmq patterns/stop-retrying-jobs.md); it can fix
 * a gateway that is restarting (network errors, 5xx, 429) or a full disk being cleaned up.
 */

import type { ConnectionConfig } from '../config/index.ts';
import {
  ArtifactError,
  ArtifactKeyError,
  KeyRingUnavailableError,
  StorageTargetError,
} from './ports/artifact-errors.ts';
import type { GatewayErrorClass } from './ports/gateway.ts';
import type { FailureCode } from './ports/records.ts';
import { type Services, UnknownConnectionError } from './services.ts';

export interface JobFailure {
  /** what kind of failure, stored next to the reason: Slack advice and CLI exit text are chosen by it */
  code: FailureCode;
  /** shown in Slack, the CLI and the record; never holds a secret */
  reason: string;
  retryable: boolean;
}

export interface FailureContext {
  connection: string;
  /** the gateway's address, shown when the token was refused */
  address?: string;
  /** the gateway registry's reading of an error (Services.classifyGatewayError) */
  classifyGatewayError?: (err: unknown) => GatewayErrorClass | null;
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

export function describeFailure(err: unknown, context: FailureContext): JobFailure {
  const gateway = context.classifyGatewayError?.(err);
  if (gateway) return gatewayFailure(gateway, context);
  if (err instanceof KeyRingUnavailableError)
    return { code: 'key_missing', reason: err.message, retryable: false };
  if (err instanceof ArtifactKeyError) {
    return {
      code: 'key_missing',
      reason: `key missing: ${err.message}; add key "${err.keyId}" to the keys section of the config`,
      retryable: false,
    };
  }
  // a store's own words (s3-errors.ts): wrong credentials, missing bucket, no permission, unreachable, 503
  if (err instanceof StorageTargetError)
    return { code: 'storage', reason: `storage: ${err.message}`, retryable: err.retryable };
  if (err instanceof ArtifactError)
    return { code: 'artifact_check', reason: `artifact check failed: ${err.message}`, retryable: true };
  if (err instanceof UnknownConnectionError)
    return { code: 'unknown_connection', reason: err.message, retryable: false };
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && STORAGE_CODES.has(code)) {
    const path = (err as NodeJS.ErrnoException).path;
    return {
      code: 'storage',
      reason: `storage not writable: ${code} on ${path ?? 'the artifact directory'} (${(err as Error).message.split('\n')[0]}); check the storage section of the config, permissions and free space`,
      retryable: STORAGE_CODES_WORTH_RETRY.has(code),
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'unexpected', reason: `unexpected error: ${message.split('\n')[0]}`, retryable: true };
}

/** `describeFailure` for a job on `connection`, with the gateway registry's reading of errors. */
export function describeJobFailure(
  services: Services,
  connection: ConnectionConfig,
  err: unknown,
): JobFailure {
  return describeFailure(err, {
    connection: connection.name,
    address:
      connection.type === 'kong'
        ? connection.kongUrl
        : connection.type === 'konnect'
          ? `${connection.baseUrl} (control plane ${connection.controlPlane})`
          : (connection.endpoint ?? `https://apigateway.${connection.region}.amazonaws.com`),
    classifyGatewayError: services.classifyGatewayError,
  });
}

function gatewayFailure(g: GatewayErrorClass, context: FailureContext): JobFailure {
  switch (g.code) {
    case 'gateway_auth':
      return {
        code: g.code,
        reason: `wrong token: ${g.message} at ${context.address ?? 'the Admin API'}; check the token configured for connection ${context.connection} (tokenEnv/tokenFile)`,
        retryable: false,
      };
    case 'gateway_unreachable':
      return { code: g.code, reason: `gateway down: ${g.message}`, retryable: g.retryable };
    case 'gateway_error':
      return { code: g.code, reason: `gateway error: ${g.message}`, retryable: g.retryable };
  }
}
