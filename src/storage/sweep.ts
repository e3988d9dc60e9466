/**
 * Sweeping crash leftovers: the temp files (`.<artifact>.<pid>-<rand>-<host>.tmp`, layout.ts) a writer
 * killed mid-write leaves behind. A temp file is stale when
 *   - this host wrote it and its writer process is gone (its pid is not running, and is not ours), or
 *   - it is older than the longest write can take (`STALE_TEMP_AGE_MS`), whoever wrote it: another host's
 *     writer cannot be asked, and a write (artifact, copy, re-wrap, checkpoint) opens its temp file only
 *     after the dump, when every byte is at hand, so it takes seconds to minutes, never hours.
 * A live writer's file is never touched: its pid runs, and it is younger than the bound.
 */
import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { hostTag, parseTempName } from './layout.ts';

/** The longest a temp file may legitimately exist (see above). */
export const STALE_TEMP_AGE_MS = 6 * 3_600_000;

export interface SweepOptions {
  now?: () => Date;
  maxAgeMs?: number;
  /** this host's tag as temp names carry it */
  host?: string;
  /** whether a pid runs on this host */
  isAlive?: (pid: number) => boolean;
}

export interface SweepResult {
  dir: string;
  /** names removed */
  removed: string[];
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the stale temp files directly in `dir` (a missing directory has none). */
export async function sweepStaleTemps(dir: string, options: SweepOptions = {}): Promise<SweepResult> {
  const now = (options.now ?? (() => new Date()))().getTime();
  const maxAgeMs = options.maxAgeMs ?? STALE_TEMP_AGE_MS;
  const host = options.host ?? hostTag();
  const isAlive = options.isAlive ?? processIsAlive;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { dir, removed: [] };
    throw err;
  }
  const removed: string[] = [];
  for (const name of names) {
    const temp = parseTempName(name);
    if (!temp) continue;
    const path = join(dir, name);
    let mtimeMs: number;
    try {
      const s = await stat(path);
      if (!s.isFile()) continue;
      mtimeMs = s.mtimeMs;
    } catch {
      continue; // renamed or removed by its writer meanwhile
    }
    const writerGone = temp.host === host && temp.pid !== process.pid && !isAlive(temp.pid);
    if (!writerGone && now - mtimeMs <= maxAgeMs) continue;
    try {
      await unlink(path);
      removed.push(name);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return { dir, removed };
}
