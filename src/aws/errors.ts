/**
 * AWS's errors in the port's words, as an on-call engineer can act on them: expired credentials, a missing
 * IAM permission named by its action (`apigateway:DELETE`), credentials that are missing or not
 * recognised, a REST API that does not exist, throttling after the SDK's retries, an endpoint that does not
 * answer. Never a credential in the text.
 */
import type { GatewayErrorClass } from '../app/ports/gateway.ts';

interface SdkError {
  name: string;
  message: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $fault?: 'client' | 'server';
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EPIPE',
]);

function isSdkError(err: unknown): err is SdkError {
  return (
    err instanceof Error && ('$metadata' in err || '$fault' in err || err.name === 'CredentialsProviderError')
  );
}

/** The error's network code (`ECONNREFUSED`), looking through `cause` and AggregateErrors. */
function networkCode(err: unknown, depth = 0): string | null {
  if (!err || typeof err !== 'object' || depth > 4) return null;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
  const inner = (err as { errors?: unknown[] }).errors;
  if (Array.isArray(inner))
    for (const e of inner) if (networkCode(e, depth + 1)) return networkCode(e, depth + 1);
  return networkCode((err as { cause?: unknown }).cause, depth + 1);
}

/** `apigateway:DELETE` from AWS's AccessDenied text, when it names one. */
function deniedAction(message: string): string | null {
  const m = /not authorized to perform: (\S+)/.exec(message);
  return m ? (m[1] as string) : null;
}

export function classifyAwsError(err: unknown): GatewayErrorClass | null {
  if (err instanceof AwsGatewayError) return err.classification;
  const net = networkCode(err);
  if (net && err instanceof Error) {
    return {
      code: 'gateway_unreachable',
      message: `the API Gateway endpoint did not answer (${net})`,
      status: null,
      retryable: true,
    };
  }
  if (!isSdkError(err)) return null;
  const status = err.$metadata?.httpStatusCode ?? null;
  switch (err.name) {
    case 'ExpiredTokenException':
    case 'ExpiredToken':
      return {
        code: 'gateway_auth',
        message:
          'the AWS credentials have expired: renew the session (aws sso login, or new STS credentials)',
        status,
        retryable: false,
      };
    case 'AccessDeniedException': {
      const action = deniedAction(err.message);
      return {
        code: 'gateway_auth',
        message: action
          ? `the AWS identity lacks the IAM permission ${action} (${err.message})`
          : `the AWS identity is not allowed to do this (${err.message})`,
        status,
        retryable: false,
      };
    }
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'IncompleteSignatureException':
    case 'MissingAuthenticationTokenException':
    case 'UnauthorizedException':
      return {
        code: 'gateway_auth',
        message: `AWS refused the credentials (${err.name}): check the access key, secret and session token`,
        status,
        retryable: false,
      };
    case 'CredentialsProviderError':
      return {
        code: 'gateway_auth',
        message: `no AWS credentials were found (${err.message}): set the connection's credentials or profile`,
        status: null,
        retryable: false,
      };
    case 'NotFoundException':
      return {
        code: 'gateway_error',
        message: `not found on API Gateway: ${err.message}`,
        status,
        retryable: false,
      };
    case 'TooManyRequestsException':
    case 'LimitExceededException':
      return {
        code: 'gateway_error',
        message: `API Gateway kept throttling the requests after retries with back-off (${err.name})`,
        status,
        retryable: true,
      };
    default: {
      const retryable = err.$fault === 'server' || (status !== null && status >= 500);
      return { code: 'gateway_error', message: `${err.name}: ${err.message}`, status, retryable };
    }
  }
}

/** An error this gateway raised itself (a selection naming an API that does not exist). */
export class AwsGatewayError extends Error {
  constructor(readonly classification: GatewayErrorClass) {
    super(classification.message);
    this.name = 'AwsGatewayError';
  }
}
