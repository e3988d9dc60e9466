export { ConfigError, deepFreeze, formatPath, type LoadConfigOptions, loadConfig } from './load.ts';
export { decodeKey, type ReadTextFile } from './resolve-secrets.ts';
export { configFileSchema, isTimeZone } from './schema.ts';
export { REDACTED, Secret } from './secret.ts';
export { storageWarnings } from './storage-warnings.ts';
export { type TargetPlace, targetHost, targetPlace } from './target-place.ts';
export type * from './types.ts';
