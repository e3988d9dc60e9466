/**
 * Typed errors for talking to a Kong Admin API. Messages are one line an operator can act on; none of
 * them carries the admin token or request headers (the token lives only inside the client's axios
 * instance and never reaches an error, a log line or `toJSON`).
 */

/** Kong's error body: `{code, name, message, fields}` (kong/db/errors.lua new_err_t). */
export interface KongErrorBody {
  code?: number;
  name?: string;
  message?: string;
  /** Konnect's control-planes API (BaseError `{status, title, instance, detail}`) */
  detail?: string;
  fields?: Record<string, unknown>;
}

export interface KongApiErrorInit {
  status: number;
  method: string;
  path: string;
  body: unknown;
}

function asErrorBody(body: unknown): KongErrorBody {
  if (body && typeof body === 'object' && !Array.isArray(body)) return body as KongErrorBody;
  if (typeof body === 'string' && body.length > 0) return { message: body.slice(0, 300) };
  return {};
}

/** Kong answered with a non-success status. `code`, `name`, `fields` are Kong's own when it sent them. */
export class KongApiError extends Error {
  readonly status: number;
  readonly code: number | undefined;
  readonly kongName: string | undefined;
  readonly kongMessage: string;
  readonly fields: Record<string, unknown> | undefined;
  readonly method: string;
  readonly path: string;
  /** the parsed response body (Kong's error object, or DB-less `flattened_errors`). */
  readonly body: unknown;

  constructor(init: KongApiErrorInit) {
    const b = asErrorBody(init.body);
    const kongMessage = b.message ?? b.detail ?? b.name ?? `HTTP ${init.status}`;
    super(`Kong rejected ${init.method} ${init.path} (${init.status}): ${kongMessage}`);
    this.name = 'KongApiError';
    this.status = init.status;
    this.code = typeof b.code === 'number' ? b.code : undefined;
    this.kongName = b.name;
    this.kongMessage = kongMessage;
    this.fields = b.fields && typeof b.fields === 'object' ? b.fields : undefined;
    this.method = init.method;
    this.path = init.path;
    this.body = init.body;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      status: this.status,
      code: this.code,
      kongName: this.kongName,
      message: this.kongMessage,
      fields: this.fields,
      method: this.method,
      path: this.path,
    };
  }
}

/**
 * Kong refused the credentials: 401 (no or wrong `Kong-Admin-Token`), or 403 on the gateway root (the
 * token is valid but lacks permission to read it). A subclass so `catch (KongApiError)` still sees it.
 */
export class KongAuthError extends KongApiError {
  constructor(init: KongApiErrorInit) {
    super(init);
    this.name = 'KongAuthError';
    this.message =
      init.status === 401
        ? `Kong rejected the admin token (401) on ${init.method} ${init.path}: ${this.kongMessage}`
        : `Kong denied access (${init.status}) to ${init.method} ${init.path}: ${this.kongMessage}`;
  }
}

/** Network-level failure: no HTTP answer at all (refused, reset, DNS, TLS, timeout). */
export class KongUnreachableError extends Error {
  /** a short reason: `connection refused`, `timed out after 30000 ms`, … */
  readonly reason: string;
  readonly errno: string | undefined;
  readonly method: string;
  readonly path: string;

  constructor(init: { baseUrl: string; reason: string; errno?: string; method: string; path: string }) {
    super(`cannot reach Kong at ${init.baseUrl}: ${init.reason}`);
    this.name = 'KongUnreachableError';
    this.reason = init.reason;
    this.errno = init.errno;
    this.method = init.method;
    this.path = init.path;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      errno: this.errno,
      method: this.method,
      path: this.path,
    };
  }
}

/** The caller's AbortSignal fired. */
export class KongAbortedError extends Error {
  constructor(method: string, path: string) {
    super(`request ${method} ${path} was cancelled`);
    this.name = 'KongAbortedError';
  }
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  EPIPE: 'connection closed while sending',
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'DNS lookup failed (temporary)',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS: self-signed certificate (pass a CA file, or opt into insecure)',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS: self-signed certificate in chain (pass a CA file)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS: unable to verify the certificate (pass a CA file)',
  CERT_HAS_EXPIRED: 'TLS: certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS: certificate does not match the host name',
};

/** A human reason for a network error code. */
export function describeNetworkError(errno: string | undefined, fallback: string): string {
  return (errno && REASONS[errno]) || fallback || errno || 'network error';
}

/**
 * A plugin's schema could not be read (`GET /schemas/plugins/{name}`): without it its defaults cannot be
 * filled and a plan would never converge, so the run stops naming the plugin. A KongApiError, so the
 * callers' Kong error handling (CLI exit 1, job failure reasons) applies unchanged.
 */
export class SchemaUnavailableError extends KongApiError {
  readonly plugin: string;

  constructor(plugin: string, init: KongApiErrorInit) {
    super(init);
    this.name = 'SchemaUnavailableError';
    this.plugin = plugin;
    this.message =
      init.status === 404
        ? `the gateway has no plugin named "${plugin}" (GET ${init.path} answered 404): install and enable it on the gateway or remove it from the target; without its schema its defaults cannot be filled`
        : `cannot read the schema of plugin "${plugin}" (GET ${init.path} answered ${init.status}: ${this.kongMessage}); without it its defaults cannot be filled`;
  }
}
