/**
 * The copy targets snapgate implements (the `CopyTarget` interface is the storage-target port,
 * src/app/ports/copy-target.ts): `createCopyTarget` picks one by the config's `type`.
 */
import type { CopyTarget } from '../app/ports/copy-target.ts';
import type { CopyTargetConfig } from '../config/types.ts';
import { DirectoryCopyTarget } from './directory-target.ts';
import { S3CopyTarget, type S3TargetOptions } from './s3-target.ts';

export {
  type ByteSink,
  type CopyTarget,
  PRIMARY_TARGET,
  type StoredObject,
} from '../app/ports/copy-target.ts';

/** What a target may need beyond its config: the Object Lock date of an object written now. */
export type TargetOptions = S3TargetOptions;

export function createCopyTarget(config: CopyTargetConfig, options: TargetOptions = {}): CopyTarget {
  switch (config.type) {
    case 'directory':
      return new DirectoryCopyTarget(config.path);
    case 's3':
      return new S3CopyTarget(config, options);
  }
}
