/**
 * Artifact errors. Messages name files, key ids and copy targets, never key material or snapshot content,
 * so they are safe for logs, job failure reasons and Slack.
 */
export class ArtifactError extends Error {
  constructor(
    message: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ArtifactError';
  }
}

/** The key ring cannot open the artifact: the key id is missing, or the key under that id is a different key. */
export class ArtifactKeyError extends ArtifactError {
  constructor(
    message: string,
    path: string,
    readonly keyId: string,
  ) {
    super(message, path);
    this.name = 'ArtifactKeyError';
  }
}

/** The bytes are not what was written: truncated, tampered, corrupted, or not an artifact at all. */
export class ArtifactIntegrityError extends ArtifactError {
  constructor(message: string, path: string, options?: { cause?: unknown }) {
    super(message, path, options);
    this.name = 'ArtifactIntegrityError';
  }
}

/** A store (an S3-compatible bucket, …) refused or failed an operation; `message` says what to do. */
export class StorageTargetError extends Error {
  constructor(
    readonly kind:
      | 'unreachable'
      | 'credentials'
      | 'bucket'
      | 'permission'
      | 'throttled'
      | 'server'
      | 'request'
      | 'missing'
      | 'tls',
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StorageTargetError';
  }
}
