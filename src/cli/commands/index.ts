import type { Command } from 'commander';
import { registerApply } from './apply.ts';
import { registerDiff } from './diff.ts';
import { registerDump } from './dump.ts';

/** Every verb registers itself here, in the order `--help` lists them. */
export function registerCommands(program: Command): void {
  registerDump(program);
  registerDiff(program);
  registerApply(program);
}
