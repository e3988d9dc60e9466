export { COMMANDS, type CommandSpec, DEFAULT_AUDIT_LIMIT, DEFAULT_BACKUPS_LIMIT } from './commands.ts';
export { helpText, usageOf } from './help.ts';
export { GENERAL_USAGE, parseKongCommand } from './parse.ts';
export { closestMatches, editDistance } from './suggest.ts';
export { type PlacedEscape, type SlackEscape, type Token, tokenize } from './tokenize.ts';
export * from './types.ts';
export { LIMIT_MAX, LIMIT_MIN, SINCE_MAX_MS, TEXT_MAX } from './values.ts';
