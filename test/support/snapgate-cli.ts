/**
 * Running the snapgate CLI from tests: `cliInProcess` parses the same command tree as bin/snapgate in
 * this process (stdout/stderr captured, CliError and Commander exits turned into an exit code);
 * `runSnapgateBin` runs bin/snapgate as a child process with extra environment variables.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { vi } from 'vitest';
import { registerCommands } from '../../src/cli/commands/index.ts';
import { CliError } from '../../src/cli/errors.ts';

export interface CliRun<C = number> {
  out: string;
  err: string;
  code: C;
}

export const SNAPGATE_BIN = fileURLToPath(new URL('../../bin/snapgate', import.meta.url));

export async function cliInProcess(args: string[]): Promise<CliRun> {
  const program = new Command('snapgate').exitOverride();
  registerCommands(program);
  let out = '';
  let err = '';
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  let code = 0;
  try {
    await program.parseAsync(['node', 'snapgate', ...args]);
  } catch (e) {
    if (e instanceof CliError) {
      err += e.message;
      code = e.exitCode;
    } else if (e instanceof CommanderError) code = e.exitCode;
    else throw e;
  } finally {
    so.mockRestore();
    se.mockRestore();
  }
  return { out, err, code };
}

export function runSnapgateBin(args: string[], env: Record<string, string>): Promise<CliRun<number | null>> {
  return new Promise((resolve) => {
    const p = spawn(SNAPGATE_BIN, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => {
      out += d;
    });
    p.stderr.on('data', (d) => {
      err += d;
    });
    p.on('exit', (code) => resolve({ out, err, code }));
  });
}
