/**
 * kong-sim in a child process for the benchmarks: its CPU does not share the measured process's event
 * loop (same machine, though). `args` are the simulator's CLI flags (`--port 0`, `--seed FILE`, …).
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface SimProcess {
  url: string;
  child: ChildProcess;
}

export function startSimProcess(args: string[]): Promise<SimProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tools/kong-sim/cli.ts', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/[^\s,]+)/.exec(out);
      if (m?.[1]) resolve({ url: m[1], child });
    });
    child.on('exit', (code) => reject(new Error(`kong-sim exited with ${code}: ${out}`)));
  });
}

/** Stops the simulator; resolves once the process has exited. */
export function stopSimProcess(sim: SimProcess): Promise<void> {
  sim.child.removeAllListeners('exit');
  const gone = new Promise<void>((r) => sim.child.once('exit', () => r()));
  sim.child.kill('SIGTERM');
  return gone;
}
