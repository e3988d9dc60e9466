/** A copy target that is a directory: another disk, or a mounted remote (NFS, SMB, a FUSE bucket). */
import { createReadStream } from 'node:fs';
import { copyFile, readdir, stat, unlink } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { CopyTarget } from './copy-target.ts';
import { HashingWriter, sha256File, writeFileAtomically } from './fs-util.ts';
import { ARTIFACT_EXTENSION, artifactPath, isTempName } from './layout.ts';
import { sweepStaleTemps } from './sweep.ts';

/** Names are single path segments: a name must never climb out of the directory. */
function checkName(name: string): void {
  if (
    name === '' ||
    name.includes('/') ||
    name.includes('\\') ||
    name === '.' ||
    name === '..' ||
    name.includes('\0')
  ) {
    throw new RangeError(`"${name}" is not a valid artifact name`);
  }
}

export class DirectoryCopyTarget implements CopyTarget {
  readonly id: string;
  readonly dir: string;

  constructor(dir: string) {
    this.dir = isAbsolute(dir) ? dir : resolve(dir);
    this.id = `directory:${this.dir}`;
  }

  localPath(name: string): string {
    checkName(name);
    return artifactPath(this.dir, name);
  }

  async put(name: string, sourcePath: string): Promise<{ location: string; sha256: string }> {
    const location = this.localPath(name);
    const sha256 = await writeFileAtomically(location, async (fh) => {
      const out = new HashingWriter(fh);
      for await (const chunk of createReadStream(sourcePath, { highWaterMark: 1 << 20 }))
        await out.write(chunk as Buffer);
      return out.finish();
    });
    return { location, sha256 };
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

  /** sha256 of a stored object, read back from the directory. */
  async sha256(name: string): Promise<string> {
    return sha256File(this.localPath(name));
  }
}
