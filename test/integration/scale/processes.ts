/**
 * Real snapgate processes for the many-instances test: `bin/snapgate serve --no-workers` and
 * `bin/snapgate worker` as child processes, their output kept so the test can wait on log lines
 * (pino JSON lines; the messages are matched inside them).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { SNAPGATE_BIN } from '../../support/snapgate-cli.ts';
import { waitFor } from '../jobs/harness.ts';

export interface SnapgateProcess {
  name: string;
  child: ChildProcess;
  /** everything written to stdout and stderr so far */
  output(): string;
  /** waits for a line matching `pattern` (up to `timeoutMs`), resolves with the match */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

export function startSnapgate(name: string, args: string[], env: Record<string, string>): SnapgateProcess {
  const child = spawn(SNAPGATE_BIN, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    name,
    child,
    output: () => out,
    waitForLine: (pattern, timeoutMs = 60_000) =>
      waitFor(
        `${name}: ${pattern}`,
        async () => {
          if (child.exitCode !== null)
            throw new Error(`${name} exited (${child.exitCode}):\n${out.slice(-3000)}`);
          return pattern.exec(out) ?? undefined;
        },
        timeoutMs,
      ),
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
}

export interface Serve extends SnapgateProcess {
  /** the Slack request URL of its HTTP receiver */
  url: string;
}

export async function startServe(
  name: string,
  configPath: string,
  env: Record<string, string>,
): Promise<Serve> {
  const p = startSnapgate(name, ['serve', '--no-workers', '--config', configPath], { ...env, PORT: '0' });
  const m = await p.waitForLine(/HTTP on port (\d+)/);
  return { ...p, url: `http://127.0.0.1:${m[1]}/slack/events` };
}

export async function startWorker(
  name: string,
  configPath: string,
  env: Record<string, string>,
  stalledAfterSeconds: number,
): Promise<SnapgateProcess> {
  const p = startSnapgate(
    name,
    ['worker', '--config', configPath, '--stalled-after', String(stalledAfterSeconds)],
    env,
  );
  await p.waitForLine(/worker started/);
  return p;
}
