/**
 * Artifact speed on the ~146k-entity synthetic gateway (bench/synthetic.ts): write (serialize + compress +
 * encrypt + fsync + read-back check), open (decrypt + parse) and verify (sha256 + decrypt + snapshotSchema).
 * Prints wall and CPU milliseconds per step for both compressions, then one JSON line. CPU time is printed
 * because wall time on a shared machine mostly measures the neighbours.
 *   npm run bench:artifact
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DirectoryCopyTarget,
  KeyRing,
  openArtifact,
  verifyArtifactFile,
  writeArtifact,
} from '../src/storage/index.ts';
import { syntheticGateway } from './synthetic.ts';

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
async function measure<T>(fn: () => Promise<T>): Promise<{ value: T; wallMs: number; cpuMs: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const [w, c] = [performance.now(), cpuMs()];
  const value = await fn();
  return { value, wallMs: Math.round(performance.now() - w), cpuMs: Math.round(cpuMs() - c) };
}

const snapshot = syntheticGateway();
const entities = Object.values(snapshot.entities).reduce((n, m) => n + Object.keys(m ?? {}).length, 0);
const jsonBytes = JSON.stringify(snapshot).length;
const stringify = await measure(async () => JSON.stringify(snapshot).length);
const keyRing = KeyRing.of([{ id: 'bench', key: Buffer.alloc(32, 7), current: true }]);
const dir = await mkdtemp(join(tmpdir(), 'snapgate-bench-'));
const results: Record<string, unknown> = {};
try {
  for (const compression of ['brotli-blocks', 'brotli', 'gzip'] as const) {
    const write = await measure(() =>
      writeArtifact({
        snapshot,
        backupId: `bench-${compression}`,
        connection: 'bench',
        environment: 'bench',
        type: 'manual',
        keyRing,
        primary: new DirectoryCopyTarget(dir),
        compression,
      }),
    );
    const open = await measure(() => openArtifact(write.value.path, keyRing));
    const verify = await measure(() => verifyArtifactFile(write.value.path, keyRing, write.value.sha256));
    if (!verify.value.ok) throw new Error(`verify failed: ${verify.value.problems.join('; ')}`);
    const row = {
      writeMs: write.wallMs,
      writeCpuMs: write.cpuMs,
      openMs: open.wallMs,
      verifyMs: verify.wallMs,
      artifactBytes: write.value.bytes,
    };
    console.log(compression, row);
    results[compression] = row;
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
console.log(
  JSON.stringify({
    bench: 'artifact',
    entities,
    jsonBytes,
    jsonStringifyMs: stringify.wallMs,
    ...results,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
