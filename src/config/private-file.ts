/**
 * Key files must be private to their owner. ssh refuses a private key that group or others may read
 * ("UNPROTECTED PRIVATE KEY FILE", `st_mode & 077`); snapgate did not look, so a key-encryption key, the
 * audit checkpoint key or an approver credential with mode 0644 was used silently. Now such a file is
 * refused with its path and the fix (`chmod 600 FILE`). Only checked where the platform has POSIX modes.
 */
import { readFile, stat } from 'node:fs/promises';

/** The file's mode bits, or null when it cannot be asked (missing: the read reports that). */
export type FileMode = (path: string) => Promise<number | null>;

export const fileMode: FileMode = async (path) => {
  try {
    return (await stat(path)).mode;
  } catch {
    return null;
  }
};

/** Why `path` is too open for a key, or null when only its owner may read or write it. */
export function openModeProblem(path: string, mode: number | null, what = 'key file'): string | null {
  if (mode === null || process.platform === 'win32') return null;
  const open = mode & 0o077;
  if (open === 0) return null;
  const who = [open & 0o070 ? 'its group' : '', open & 0o007 ? 'others' : ''].filter(Boolean).join(' and ');
  const octal = (mode & 0o777).toString(8).padStart(3, '0');
  return `${what} ${path} is accessible to ${who} (mode ${octal}); like ssh, snapgate uses a key only when its owner alone can read it — run: chmod 600 ${path}`;
}

/** Reads a key-like file after checking its mode; throws an Error whose message can be shown as is. */
export async function readPrivateFile(
  path: string,
  what = 'key file',
  mode: FileMode = fileMode,
): Promise<string> {
  const problem = openModeProblem(path, await mode(path), what);
  if (problem) throw new Error(problem);
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(
      `cannot read ${what} ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
}
