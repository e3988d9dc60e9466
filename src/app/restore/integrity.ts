/**
 * Before a restore reads a backup it proves the backup is the one that was written: every recorded copy
 * still has its recorded SHA-256, and the primary decrypts (AES-GCM authenticates every byte and the
 * plaintext hash is re-checked, src/storage read.ts). A backup that fails either check is not restored —
 * and nothing is written to the gateway — even if another copy is fine: a bad copy is a finding to fix first.
 */

import type { Snapshot } from '../../core/index.ts';
import { BackupUnreadableError, PRIMARY_TARGET } from '../../storage/index.ts';
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

/** Checks every copy and decrypts the primary: the snapshot to restore, or BackupIntegrityError. */
export async function verifyAndOpenBackup(services: Services, backup: Backup): Promise<Snapshot> {
  if (backup.status !== 'completed' || !backup.artifactName) {
    throw new BackupIntegrityError(backup.id, [`it is ${backup.status} and has no artifact`]);
  }
  if (backup.prunedAt) throw new BackupIntegrityError(backup.id, ['retention removed its artifact']);
  const copies = await services.repos.backups.listCopies(backup.id);
  const primary = copies.find((c) => c.target === PRIMARY_TARGET);
  const problems: string[] = [];
  if (!primary) problems.push('no primary copy is recorded');
  for (const copy of copies) {
    const problem = await checkCopy(services, copy);
    if (problem) problems.push(problem);
  }
  if (problems.length > 0 || !primary) throw new BackupIntegrityError(backup.id, problems);
  return openPrimary(services, backup.id, primary);
}

/** The restore job's read of an already verified backup: decryption alone authenticates the bytes. */
export async function openBackup(services: Services, backup: Backup): Promise<Snapshot> {
  const copies = await services.repos.backups.listCopies(backup.id);
  const primary = copies.find((c) => c.target === PRIMARY_TARGET);
  if (!primary) throw new BackupIntegrityError(backup.id, ['no primary copy is recorded']);
  return openPrimary(services, backup.id, primary);
}

async function openPrimary(services: Services, backupId: string, primary: BackupCopy): Promise<Snapshot> {
  try {
    return (await services.artifacts.openBackup(backupId, [primary])).snapshot;
  } catch (err) {
    const why = err instanceof BackupUnreadableError ? err.problems.join('; ') : (err as Error).message;
    throw new BackupIntegrityError(backupId, [`primary does not decrypt: ${why.replace(/^primary: /, '')}`]);
  }
}
