import type { Command } from 'commander';

/** Every verb registers itself here, in the order `--help` lists them. */
export function registerCommands(_program: Command): void {}
