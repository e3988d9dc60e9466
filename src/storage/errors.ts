/** The artifact errors are the artifact-store port's (src/app/ports/artifact-errors.ts); storage throws them. */
export {
  ArtifactError,
  ArtifactIntegrityError,
  ArtifactKeyError,
  BackupUnreadableError,
  KeyRingUnavailableError,
  StorageTargetError,
} from '../app/ports/artifact-errors.ts';
