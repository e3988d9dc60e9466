/**
 * Audit appenders in separate processes (`test/integration/db/postgres-audit-append-child.ts`): each one
 * connects and says `ready`; once all are, every one is told `go` at the same moment. Resolves with the
 * wall time from `go` until the last one finished.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('../integration/db/postgres-audit-append-child.ts', import.meta.url));

export async function appendFromProcesses(
  target: { url: string; schema: string },
  actors: readonly string[],
  perProcess: number,
): Promise<{ wallMs: number }> {
  const children = actors.map((actor) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, target.url, target.schema, actor, String(perProcess)],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    let out = '';
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('ready\n')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`appender ${actor} exited with ${code} before ready`)));
    });
    const exited = new Promise<void>((resolve, reject) => {
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`appender ${actor} exited with ${code}: ${out}`)),
      );
    });
    exited.catch(() => {}); // awaited below; a child that dies before ready is reported by `ready`
    return { child, ready, exited };
  });
  await Promise.all(children.map((c) => c.ready));
  const go = performance.now();
  for (const c of children) c.child.stdin.write('go\n');
  await Promise.all(children.map((c) => c.exited));
  return { wallMs: performance.now() - go };
}
