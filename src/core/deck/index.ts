/**
 * decK files and Kong's declarative config: the formats a snapshot leaves and enters snapgate in.
 * Pure (no I/O, no clock). Must not import anything outside src/core.
 */

export { completeSnapshot } from './complete.ts';
export { type KongDeclarativeConfig, toKongDeclarative } from './declarative.ts';
export {
  caCertDigest,
  type DeclarativeTransformOptions,
  hashBasicAuthPassword,
  hashOauth2Secret,
  type TransformedSecret,
  transformDeclarative,
} from './declarative-transform.ts';
export { DeckFileError } from './errors.ts';
export { buildDeckDocument, type ToDeckFileOptions, toDeckFile } from './export.ts';
export { type DeckImport, type FromDeckFileOptions, fromDeckFile, importDeckFile } from './import.ts';
