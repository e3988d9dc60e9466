export { ConfigError, deepFreeze, formatPath, type LoadConfigOptions, loadConfig } from './load.ts';
export { type FileMode, fileMode, openModeProblem, readPrivateFile } from './private-file.ts';
export { decodeKey, type ReadTextFile } from './resolve-secrets.ts';
export {
  CONFIG_NAME_PATTERN,
  CONFIG_NAME_RULE,
  configFileSchema,
  isTimeZone,
  KEY_ID_PATTERN,
  KEY_ID_RULE,
} from './schema.ts';
export { REDACTED, Secret } from './secret.ts';
export { configSecretValues } from './secret-values.ts';
export { storageWarnings } from './storage-warnings.ts';
export { type TargetPlace, targetHost, targetPlace } from './target-place.ts';
export type * from './types.ts';
