/**
 * Audit checkpoints as small files in a directory (by default `audit-checkpoints/` in the primary
 * storage directory, next to the artifacts): the directory implementation of the checkpoint-store port.
 * Each file is written atomically (temp + fsync + rename) and made read-only; a name is written once.
 */
import { chmod, readdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { CheckpointStore } from '../app/ports/audit-checkpoints.ts';
import { writeFileAtomically } from './fs-util.ts';
import { isTempName } from './layout.ts';
import { sweepStaleTemps } from './sweep.ts';

/** The checkpoints' folder inside a storage directory. */
export const CHECKPOINT_DIR = 'audit-checkpoints';

function checkName(name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name))
    throw new RangeError(`"${name}" is not a valid checkpoint name`);
}

export class DirectoryCheckpointStore implements CheckpointStore {
  readonly id: string;
  readonly dir: string;

  constructor(dir: string) {
    this.dir = isAbsolute(dir) ? dir : resolve(dir);
    this.id = `directory:${this.dir}`;
  }

  async put(name: string, body: string): Promise<string> {
    checkName(name);
    const path = join(this.dir, name);
    await writeFileAtomically(path, async (fh) => {
      await fh.writeFile(body, 'utf8');
    });
    await chmod(path, 0o444);
    return path;
  }

  async list(): Promise<string[]> {
    try {
      return (await readdir(this.dir, { withFileTypes: true }))
        .filter((e) => e.isFile() && !isTempName(e.name))
        .map((e) => e.name);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  async get(name: string): Promise<string> {
    checkName(name);
    return readFile(join(this.dir, name), 'utf8');
  }

  /** the stale temp files of checkpoint writers that died mid-write (src/storage/sweep.ts) */
  async sweepLeftovers(): Promise<string[]> {
    return (await sweepStaleTemps(this.dir)).removed;
  }
}

/** The checkpoint store next to the artifacts of a storage directory. */
export function checkpointStoreIn(storageDir: string): DirectoryCheckpointStore {
  return new DirectoryCheckpointStore(join(storageDir, CHECKPOINT_DIR));
}
