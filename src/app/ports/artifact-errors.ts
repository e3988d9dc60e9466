/**
 * The artifact-store port's errors: what a store, an artifact or the key ring can fail with, so the use
 * cases classify failures (src/app/failure.ts) without knowing the implementation. `src/storage` throws
 * them. Messages name files, key ids and copy targets, never key material or snapshot content, so they are
 * safe for logs, job failure reasons and Slack.
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

/** The key ring could not be built from the config: no current key, or a key of the wrong size. */
export class KeyRingUnavailableError extends Error {
  constructor(reason: string) {
    super(`key missing: ${reason}; check the keys section of the config and the key's env variable or file`);
    this.name = 'KeyRingUnavailableError';
  }
}

/** No copy of the backup could be read. */
export class BackupUnreadableError extends Error {
  constructor(
    readonly backupId: string,
    readonly problems: string[],
  ) {
    super(
      `backup ${backupId} could not be read from any copy (${problems.join('; ') || 'no copies recorded'})`,
    );
    this.name = 'BackupUnreadableError';
  }
}
