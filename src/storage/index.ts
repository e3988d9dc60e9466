export {
  createArtifactStore,
  targetHolding,
  targetNamed,
  withTargetFile,
} from './artifact-store.ts';
export { CHECKPOINT_DIR, checkpointStoreIn, DirectoryCheckpointStore } from './checkpoint-directory.ts';
export { deleteArtifact, PRIMARY_TARGET } from './copies.ts';
export { type CopyTarget, createCopyTarget, type StoredObject, type TargetOptions } from './copy-target.ts';
export { DirectoryCopyTarget } from './directory-target.ts';
export type { KeyEnvelope } from './envelope.ts';
export {
  ArtifactError,
  ArtifactIntegrityError,
  ArtifactKeyError,
  BackupUnreadableError,
  KeyRingUnavailableError,
  StorageTargetError,
} from './errors.ts';
export { type ArtifactHeader, type BoundHeader, COMPRESSIONS, type Compression } from './format.ts';
export type { ByteSink } from './fs-util.ts';
export { KeyRing, type RingKey } from './keyring.ts';
export {
  ARTIFACT_EXTENSION,
  artifactName,
  artifactPath,
  BACKUP_TYPES,
  type BackupType,
  FORMAT_VERSION,
  isTempName,
  type ParsedArtifactName,
  parseArtifactName,
  shortId,
} from './layout.ts';
export { addDuration, artifactConnection, objectLockUntil } from './object-lock.ts';
export { openArtifact, readArtifactHeader, type VerifyResult, verifyArtifactFile } from './read.ts';
export { type RewrapResult, rewrapArtifact, rewrapOnTarget } from './rewrap.ts';
export { S3CopyTarget, type S3TargetOptions } from './s3-target.ts';
export {
  entitiesSha256,
  type SerializedSnapshot,
  StreamingSerializer,
  serializeSnapshot,
} from './serialize.ts';
export {
  processIsAlive,
  STALE_TEMP_AGE_MS,
  type SweepOptions,
  type SweepResult,
  sweepStaleTemps,
} from './sweep.ts';
export {
  type ArtifactCopy,
  artifactNameOf,
  DEFAULT_COMPRESSION,
  type WriteArtifactBase,
  type WriteArtifactInput,
  type WrittenArtifact,
  writeArtifact,
} from './write.ts';
