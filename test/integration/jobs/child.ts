/** Spawning worker-process.ts children and waiting for their output. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./worker-process.ts', import.meta.url));

export interface Child {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

export function spawnChild(
  args: string[],
  env: Record<string, string>,
  script = SCRIPT,
  runner = ['--import', 'tsx'],
): Child {
  const proc = spawn(process.execPath, [...runner, script, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d) => {
    out += d;
  });
  proc.stderr!.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, stdout: () => out, stderr: () => err, exited };
}

export async function waitForOutput(child: Child, text: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!child.stdout().includes(text)) {
    if (child.proc.exitCode !== null)
      throw new Error(`child exited (${child.proc.exitCode}): ${child.stderr()}`);
    if (Date.now() > until) throw new Error(`timed out waiting for "${text}"; stderr: ${child.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
