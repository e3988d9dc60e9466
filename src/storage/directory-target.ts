/**
 * A target that is a directory: the primary's disk, another disk, or a mounted remote (NFS, SMB, a FUSE
 * bucket). Writes go to a temp file next to the name, fsynced and renamed (fs-util.ts).
 */
import { constants, createReadStream } from 'node:fs';
import { access, copyFile, mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { CheckpointStore } from '../app/ports/audit-checkpoints.ts';
import { checkpointStoreIn } from './checkpoint-directory.ts';
import type { CopyTarget, StoredObject } from './copy-target.ts';
import { type ByteSink, HashingWriter, sha256File, writeFileAtomically } from './fs-util.ts';
import { ARTIFACT_EXTENSION, artifactPath, checkArtifactName, isTempName } from './layout.ts';
import { sweepStaleTemps } from './sweep.ts';

export class DirectoryCopyTarget implements CopyTarget {
  readonly id: string;
  readonly dir: string;

  constructor(dir: string) {
    this.dir = isAbsolute(dir) ? dir : resolve(dir);
    this.id = `directory:${this.dir}`;
  }

  localPath(name: string): string {
    checkArtifactName(name);
    return artifactPath(this.dir, name);
  }

  location(name: string): string {
    return this.localPath(name);
  }

  async write<T>(
    name: string,
    produce: (out: ByteSink) => Promise<T>,
  ): Promise<StoredObject & { produced: T }> {
    const location = this.localPath(name);
    return writeFileAtomically(location, async (fh) => {
      const out = new HashingWriter(fh);
      const produced = await produce(out);
      const sha256 = await out.finish();
      return { location, sha256, bytes: out.bytes, produced };
    });
  }

  async put(name: string, sourcePath: string): Promise<StoredObject> {
    const { location, sha256, bytes } = await this.write(name, async (out) => {
      for await (const chunk of createReadStream(sourcePath, { highWaterMark: 1 << 20 }))
        await out.write(chunk as Buffer);
    });
    return { location, sha256, bytes };
  }

  async get(name: string, destPath: string): Promise<void> {
    await copyFile(this.localPath(name), destPath);
  }

  async exists(name: string): Promise<boolean> {
    try {
      return (await stat(this.localPath(name))).isFile();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  async delete(name: string): Promise<void> {
    try {
      await unlink(this.localPath(name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  /** `<dir>/audit-checkpoints/`, next to the artifacts */
  checkpointStore(): CheckpointStore {
    return checkpointStoreIn(this.dir);
  }

  async sweepLeftovers(): Promise<string[]> {
    return (await sweepStaleTemps(this.dir)).removed;
  }

  async list(): Promise<string[]> {
    try {
      const entries = await readdir(this.dir, { withFileTypes: true });
      return entries
        .filter((e) => e.isFile() && e.name.endsWith(ARTIFACT_EXTENSION) && !isTempName(e.name))
        .map((e) => e.name)
        .sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  async probe(): Promise<void> {
    const info = await stat(this.dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw new Error(`cannot read directory ${this.dir} (${err.code ?? err.message})`);
    });
    if (info && !info.isDirectory()) throw new Error(`${this.dir} is not a directory`);
    try {
      if (!info) await mkdir(this.dir, { recursive: true });
      await access(this.dir, constants.R_OK | constants.W_OK | constants.X_OK);
      await readdir(this.dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new Error(`directory ${this.dir} is not readable and writable (${code})`);
    }
  }

  /** sha256 of a stored object, read back from the directory. */
  async sha256(name: string): Promise<string> {
    return sha256File(this.localPath(name));
  }
}
