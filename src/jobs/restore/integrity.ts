/**
 * Before a restore reads a backup it proves the backup is the one that was written: every recorded copy
 * still has its recorded SHA-256, and the primary decrypts (AES-GCM authenticates every byte and the
 * plaintext hash is re-checked, src/storage read.ts). A backup that fails either check is not restored —
 * and nothing is written to the gateway — even if another copy is fine: a bad copy is a finding to fix first.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Backup, BackupCopy } from '../../app/ports/records.ts';
import type { Snapshot } from '../../core/index.ts';
import { openArtifact, PRIMARY_TARGET } from '../../storage/index.ts';
import type { Services } from '../context.ts';

export class BackupIntegrityError extends Error {
  constructor(
    readonly backupId: string,
    readonly problems: string[],
  ) {
    super(`backup ${backupId} failed its integrity check (${problems.join('; ')}); nothing was changed`);
    this.name = 'BackupIntegrityError';
  }
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The copy's SHA-256 as stored now; remote targets are fetched into a private temp dir first. */
async function currentSha256(services: Services, copy: BackupCopy): Promise<string> {
  const target = services.copyTargets.find((t) => t.id === copy.target);
  if (!target || target.localPath) return sha256Of(copy.location);
  const dir = await mkdtemp(join(tmpdir(), 'snapgate-restore-'));
  try {
    const local = join(dir, basename(copy.location));
    await target.get(basename(copy.location), local);
    return await sha256Of(local);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function checkCopy(services: Services, copy: BackupCopy): Promise<string | null> {
  try {
    const found = await currentSha256(services, copy);
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
  try {
    return (await openArtifact(primary.location, services.keyRing())).snapshot;
  } catch (err) {
    throw new BackupIntegrityError(backup.id, [`primary does not decrypt: ${(err as Error).message}`]);
  }
}

/** The restore job's read of an already verified backup: decryption alone authenticates the bytes. */
export async function openBackup(services: Services, backup: Backup): Promise<Snapshot> {
  const copies = await services.repos.backups.listCopies(backup.id);
  const primary = copies.find((c) => c.target === PRIMARY_TARGET);
  if (!primary) throw new BackupIntegrityError(backup.id, ['no primary copy is recorded']);
  try {
    return (await openArtifact(primary.location, services.keyRing())).snapshot;
  } catch (err) {
    throw new BackupIntegrityError(backup.id, [`primary does not decrypt: ${(err as Error).message}`]);
  }
}
