/**
 * `npm start` as a person runs it: `node --import tsx tools/start.ts` as a child process (console on a free
 * port), ready when it prints the console's URL. `stop()` sends SIGINT, as Ctrl-C does.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');

export interface Started {
  child: ChildProcess;
  url: string;
  kongUrl: string;
  /** every line printed so far */
  output: string[];
  /** what npm start printed: from its own start to the bot answering */
  readySeconds: number;
  /** wall clock from spawning the process to the printed URL (node, tsx, kong-sim, Redis, serve) */
  spawnToReadyMs: number;
  stop(): Promise<number>;
}

export function npmStart(args: string[] = ['--port', '0']): Promise<Started> {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'tools/start.ts'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  const output: string[] = [];
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm start not ready in 60 s:\n${output.join('\n')}`)),
      60_000,
    );
    let kongUrl = '';
    const onLine = (line: string) => {
      output.push(line);
      const kong = /kong-sim .* on (http:\/\/\S+):/.exec(line);
      if (kong) kongUrl = kong[1]!;
      const ready = /snapgate console ready in ([\d.]+) s: (http:\/\/\S+)/.exec(line);
      if (ready) {
        clearTimeout(timer);
        resolve({
          child,
          url: ready[2]!,
          kongUrl,
          output,
          readySeconds: Number(ready[1]),
          spawnToReadyMs: performance.now() - spawnedAt,
          stop: async () => {
            if (child.exitCode === null) child.kill('SIGINT');
            return exited;
          },
        });
      }
    };
    for (const stream of [child.stdout!, child.stderr!]) {
      let rest = '';
      stream.on('data', (chunk: Buffer) => {
        const lines = (rest + chunk.toString()).split('\n');
        rest = lines.pop() ?? '';
        lines.forEach(onLine);
      });
    }
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code} before it was ready:\n${output.join('\n')}`));
    });
  });
}
