/**
 * Before a restore reads a backup it proves the copy it reads is the one that was written: the copy still
 * has its recorded SHA-256 and decrypts (AES-GCM authenticates every byte and the plaintext hash is
 * re-checked, src/storage read.ts). Every copy is checked and the first whole one is used, the primary
 * first (issue 15: a missing or corrupt primary falls back to the next copy, and the restore says which
 * copy it read and what was wrong with the others). When no copy is whole nothing is written to the gateway.
 */

import type { Snapshot } from '../../core/index.ts';
import { BackupUnreadableError } from '../ports/artifact-errors.ts';
import { PRIMARY_TARGET } from '../ports/copy-target.ts';
import type { Backup, BackupCopy } from '../ports/records.ts';
import type { Services } from '../services.ts';

export class BackupIntegrityError extends Error {
  constructor(
    readonly backupId: string,
    readonly problems: string[],
  ) {
    super(`backup ${backupId} failed its integrity check (${problems.join('; ')}); nothing was changed`);
    this.name = 'BackupIntegrityError';
  }
}

async function checkCopy(services: Services, copy: BackupCopy): Promise<string | null> {
  try {
    const found = await services.artifacts.sha256(copy);
    return found === copy.sha256
      ? null
      : `${copy.target}: sha256 mismatch (recorded ${copy.sha256.slice(0, 12)}…, found ${found.slice(0, 12)}…)`;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return `${copy.target}: ${code === 'ENOENT' ? 'missing' : 'unreadable'} (${copy.location})`;
  }
}

/** The backup to restore, which copy it was read from, and what was wrong with the copies that were not used. */
export interface OpenedBackup {
  snapshot: Snapshot;
  from: BackupCopy;
  problems: string[];
}

/** The primary first, then the other copies in the order they were recorded. */
function primaryFirst(copies: readonly BackupCopy[]): BackupCopy[] {
  return [
    ...copies.filter((c) => c.target === PRIMARY_TARGET),
    ...copies.filter((c) => c.target !== PRIMARY_TARGET),
  ];
}

/**
 * Checks every copy's SHA-256 and decrypts the first good one (the primary when it is good): a missing or
 * corrupt primary falls back to the next copy. Only when no copy is whole is the restore refused
 * (BackupIntegrityError naming every copy's problem) — nothing is ever read from a copy that failed.
 */
export async function verifyAndOpenBackupFrom(services: Services, backup: Backup): Promise<OpenedBackup> {
  if (backup.status !== 'completed' || !backup.artifactName) {
    throw new BackupIntegrityError(backup.id, [`it is ${backup.status} and has no artifact`]);
  }
  if (backup.prunedAt) throw new BackupIntegrityError(backup.id, ['retention removed its artifact']);
  const copies = primaryFirst(await services.repos.backups.listCopies(backup.id));
  if (copies.length === 0) throw new BackupIntegrityError(backup.id, ['no copy is recorded']);
  const problems: string[] = [];
  const good: BackupCopy[] = [];
  // every copy read at once (each is a whole file, local or remote); reported in the order above
  const checked = await Promise.all(copies.map((copy) => checkCopy(services, copy)));
  copies.forEach((copy, i) => {
    const problem = checked[i];
    if (problem) problems.push(problem);
    else good.push(copy);
  });
  try {
    if (good.length === 0) throw new BackupUnreadableError(backup.id, []);
    const opened = await services.artifacts.openBackup(backup.id, good);
    const from = good.find((c) => c.target === opened.from.target && c.location === opened.from.location)!;
    const unread = good.slice(0, good.indexOf(from)).map((c) => `${c.target}: does not decrypt`);
    return { snapshot: opened.snapshot, from, problems: [...problems, ...unread] };
  } catch (err) {
    if (!(err instanceof BackupUnreadableError)) throw err;
    throw new BackupIntegrityError(backup.id, [
      ...problems,
      ...err.problems.map((p) => p.replace(/^(\S+): /, '$1: does not decrypt: ')),
    ]);
  }
}

/** `verifyAndOpenBackupFrom`, the snapshot only. */
export async function verifyAndOpenBackup(services: Services, backup: Backup): Promise<Snapshot> {
  return (await verifyAndOpenBackupFrom(services, backup)).snapshot;
}

/** The restore job's read of an already verified backup: the first copy that decrypts (primary first). */
export async function openBackup(services: Services, backup: Backup): Promise<Snapshot> {
  const copies = primaryFirst(await services.repos.backups.listCopies(backup.id));
  if (copies.length === 0) throw new BackupIntegrityError(backup.id, ['no copy is recorded']);
  try {
    return (await services.artifacts.openBackup(backup.id, copies)).snapshot;
  } catch (err) {
    if (!(err instanceof BackupUnreadableError)) throw err;
    throw new BackupIntegrityError(
      backup.id,
      err.problems.map((p) => p.replace(/^(\S+): /, '$1: does not decrypt: ')),
    );
  }
}
