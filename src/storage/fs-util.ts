/** File helpers for durable writes: temp file + fsync + rename + directory fsync, and streaming sha256. */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type FileHandle, mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { ByteSink } from '../app/ports/copy-target.ts';
import { tempPath, tempSuffix } from './layout.ts';

/**
 * A suffix that keeps concurrent writers (several processes, retries) off each other's temp files and
 * names the writer (pid, host), so a crash's leftover can be told from a live write.
 */
export function uniqueSuffix(): string {
  return tempSuffix(process.pid, randomBytes(6).toString('hex'));
}

/** Makes a rename durable: the directory entry is flushed too (no-op where directories cannot be opened). */
export async function fsyncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') throw err;
  } finally {
    await fh?.close();
  }
}

export async function sha256File(path: string, range?: { start: number; end?: number }): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { ...range, highWaterMark: 1 << 20 }))
    hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Writes a file atomically: `produce` writes into a fresh temp file next to `finalPath`; the file is
 * fsynced, renamed over `finalPath` and the directory fsynced. On any failure the temp file is removed and
 * `finalPath` is untouched.
 */
export async function writeFileAtomically<T>(
  finalPath: string,
  produce: (fh: FileHandle) => Promise<T>,
): Promise<T> {
  const dir = dirname(finalPath);
  await mkdir(dir, { recursive: true });
  const temp = tempPath(dir, basename(finalPath), uniqueSuffix());
  const fh = await open(temp, 'wx', 0o600);
  try {
    const result = await produce(fh);
    await fh.sync();
    await fh.close();
    await rename(temp, finalPath);
    await fsyncDir(dir);
    return result;
  } catch (err) {
    await fh.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}

export type { ByteSink };

/** Coalesces small writes into ~1 MiB ones and hashes everything written. */
export class HashingWriter implements ByteSink {
  readonly #fh: FileHandle;
  readonly #hash = createHash('sha256');
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  bytes = 0;

  constructor(fh: FileHandle) {
    this.#fh = fh;
  }

  async write(chunk: Buffer): Promise<void> {
    this.#hash.update(chunk);
    this.bytes += chunk.length;
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    if (this.#pendingBytes >= 1 << 20) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#pendingBytes === 0) return;
    const data = this.#pending.length === 1 ? this.#pending[0]! : Buffer.concat(this.#pending);
    this.#pending = [];
    this.#pendingBytes = 0;
    await this.#fh.writeFile(data);
  }

  async finish(): Promise<string> {
    await this.flush();
    return this.#hash.digest('hex');
  }
}
