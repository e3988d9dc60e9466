/**
 * What an S3-compatible store's failure means, in words an on-call engineer can act on, and whether a
 * later attempt could succeed. The SDK has already retried throttling (503 SlowDown) and network errors
 * with backoff by the time an error gets here.
 */
import { StorageTargetError } from './errors.ts';

interface SdkError {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  $fault?: string;
}

const CREDENTIAL_CODES = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'TokenRefreshRequired',
  'CredentialsProviderError',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'TimeoutError',
  'RequestTimeout',
  'UND_ERR_SOCKET',
]);

/** Node's codes for a server certificate the client does not trust (node:tls, OpenSSL's verify errors). */
const UNTRUSTED_CERT_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function codeOf(err: SdkError): string {
  return err.Code ?? err.name ?? err.code ?? 'Error';
}

/** A network failure anywhere in the error's cause chain (the SDK wraps socket errors). */
function networkCode(err: unknown): string | null {
  for (
    let e = err as (SdkError & { cause?: unknown }) | undefined, i = 0;
    e && i < 5;
    e = e.cause as typeof e, i++
  ) {
    for (const c of [e.code, e.name]) if (c && NETWORK_CODES.has(c)) return c;
  }
  return null;
}

/** A TLS verification failure anywhere in the error's cause chain. */
export function untrustedCertCode(err: unknown): string | null {
  for (
    let e = err as (SdkError & { cause?: unknown }) | undefined, i = 0;
    e && i < 5;
    e = e.cause as typeof e, i++
  ) {
    if (e.code && UNTRUSTED_CERT_CODES.has(e.code)) return e.code;
  }
  return null;
}

export interface S3Place {
  /** the target's id (secret-free) */
  target: string;
  bucket: string;
  endpoint: string;
  objectLock: boolean;
  /** the PEM bundle trusted for the endpoint's certificate (`caFile`), when configured */
  caFile?: string;
}

/** `err` from the SDK as a StorageTargetError; what was being done (`doing`) is part of the message. */
export function describeS3Error(err: unknown, place: S3Place, doing: string): StorageTargetError {
  if (err instanceof StorageTargetError) return err;
  const e = (err ?? {}) as SdkError;
  const code = codeOf(e);
  const status = e.$metadata?.httpStatusCode;
  const attempts = e.$metadata?.attempts;
  const where = `S3 target ${place.target}`;
  const detail = (e.message ?? '').split('\n')[0] ?? '';
  const make = (kind: StorageTargetError['kind'], message: string, retryable: boolean) =>
    new StorageTargetError(kind, `${where}: ${message}`, retryable, { cause: err });

  const tls = untrustedCertCode(err);
  if (tls) {
    const why =
      tls === 'ERR_TLS_CERT_ALTNAME_INVALID'
        ? `its certificate does not name the host ${place.endpoint}; use the name the certificate was issued for`
        : tls === 'CERT_HAS_EXPIRED' || tls === 'CERT_NOT_YET_VALID'
          ? 'its certificate is outside its validity dates; renew it (or check the clock here)'
          : place.caFile
            ? `its certificate is not signed by a CA in caFile ${place.caFile}; point caFile at the CA that signed the store's certificate`
            : "its certificate is not signed by a CA this machine trusts; set the target's caFile to the PEM bundle of the CA that signed it";
    return make(
      'tls',
      `the endpoint ${place.endpoint} was not trusted while ${doing} (${tls}): ${why}`,
      false,
    );
  }
  const net = networkCode(err);
  if (net) {
    return make(
      'unreachable',
      `cannot reach the endpoint ${place.endpoint} while ${doing} (${net}); check storage endpoint/region, DNS and the network path to it`,
      true,
    );
  }
  if (CREDENTIAL_CODES.has(code)) {
    return make(
      'credentials',
      `the credentials were refused while ${doing} (${code}); check the target's credentials (accessKeyIdEnv/secretAccessKeyEnv or their files, else the SDK's default chain: AWS_* variables, profile, instance role)`,
      false,
    );
  }
  if (code === 'NoSuchBucket') {
    return make(
      'bucket',
      `bucket "${place.bucket}" does not exist at ${place.endpoint}; create it (with Object Lock if the config asks for it) or fix storage bucket/region/endpoint`,
      false,
    );
  }
  if (
    place.objectLock &&
    (code === 'InvalidRequest' || code === 'AccessDenied') &&
    /lock|retention/i.test(detail)
  ) {
    return make(
      'permission',
      `Object Lock retention was refused while ${doing} (${code}: ${detail}); the bucket needs Object Lock enabled and the credentials s3:PutObjectRetention`,
      false,
    );
  }
  if (code === 'AccessDenied' || status === 403) {
    return make(
      'permission',
      `no permission while ${doing} (${code}${detail ? `: ${detail}` : ''}); the credentials need s3:PutObject, s3:GetObject, s3:DeleteObject, s3:ListBucket, s3:AbortMultipartUpload${place.objectLock ? ' and s3:PutObjectRetention' : ''} on bucket "${place.bucket}"`,
      false,
    );
  }
  if (code === 'SlowDown' || status === 503 || code === 'ServiceUnavailable') {
    return make(
      'throttled',
      `the store kept answering 503 ${code === 'SlowDown' ? 'SlowDown' : 'Service Unavailable'} while ${doing}${attempts ? ` (${attempts} attempts with backoff)` : ''}; it is overloaded or rate-limiting, the job retries later`,
      true,
    );
  }
  if (status !== undefined && status >= 500) {
    return make(
      'server',
      `the store failed while ${doing} (HTTP ${status} ${code}${detail ? `: ${detail}` : ''})`,
      true,
    );
  }
  return make(
    'request',
    `${doing} failed (${code}${status ? `, HTTP ${status}` : ''}${detail ? `: ${detail}` : ''})`,
    false,
  );
}
