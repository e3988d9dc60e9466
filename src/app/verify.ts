/**
 * The verify job: every recorded copy of a backup's artifact is checked — present, SHA-256 as recorded,
 * decrypts with the key ring, parses as a snapshot — and the result is stored per copy, so a bad copy is
 * named (`offsite: sha256 mismatch …`) rather than the backup being called "bad". A scheduled run checks
 * the newest and one random older backup of each connection (the random source is injected).
 */

import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { type CopyTarget, type KeyRing, targetNamed, verifyArtifactFile } from '../storage/index.ts';
import { type CopyVerifyOutcome, safeNotify } from './notifier.ts';
import type { Backup, BackupCopy, CopyCheckResult } from './ports/records.ts';
import type { Services } from './services.ts';

export interface VerifyReport {
  backup: Backup;
  ok: boolean;
  copies: CopyVerifyOutcome[];
  /** not ok only because the key ring cannot open the (intact) copies: say so, not "bad copies" */
  keyCannotOpen: boolean;
}

/** Every failed copy failed only because no key of the ring opens it. */
export function onlyKeyProblems(copies: readonly CopyVerifyOutcome[]): boolean {
  const bad = copies.filter((c) => !c.ok);
  return bad.length > 0 && bad.every((c) => c.keyProblem === true);
}

export class NotVerifiableError extends Error {
  constructor(backupId: string, why: string) {
    super(`backup ${backupId} cannot be verified: ${why}`);
    this.name = 'NotVerifiableError';
  }
}

/**
 * A remote copy is checked as a directory's is, after a HEAD: its size as the store reports it, then a full
 * read into a private temp file whose size must match, SHA-256 and decryption. A store that cannot be asked
 * (unreachable, refused) is this copy's problem, recorded like any other.
 */
async function verifyRemote(target: CopyTarget, services: Services, copy: BackupCopy, ring: KeyRing) {
  const name = basename(copy.location);
  const size = target.size ? await target.size(name) : (await target.exists(name)) ? -1 : null;
  if (size === null) return { ok: false, problems: [`missing: ${copy.location}`] };
  return services.artifacts.withLocalCopy(copy, async (path) => {
    const result = await verifyArtifactFile(path, ring, copy.sha256);
    const read = (await stat(path)).size;
    if (size < 0 || read === size) return result;
    return {
      ...result,
      ok: false,
      problems: [`read ${read} bytes where the store reports ${size}`, ...result.problems],
    };
  });
}

async function checkCopy(services: Services, copy: BackupCopy, ring: KeyRing): Promise<CopyVerifyOutcome> {
  const target = targetNamed(copy.target, services);
  let result: { ok: boolean; problems: string[]; keyProblem?: boolean };
  try {
    result =
      target && !target.localPath
        ? await verifyRemote(target, services, copy, ring)
        : await services.artifacts.withLocalCopy(copy, (path) => verifyArtifactFile(path, ring, copy.sha256));
  } catch (err) {
    result = { ok: false, problems: [(err as Error).message] };
  }
  return {
    target: copy.target,
    location: copy.location,
    ok: result.ok,
    ...(result.ok ? {} : { problem: result.problems.join('; ') }),
    ...(result.keyProblem ? { keyProblem: true } : {}),
  };
}

export async function verifyBackup(
  services: Services,
  backupId: string,
  actor = 'system',
): Promise<VerifyReport> {
  const backup = await services.repos.backups.get(backupId);
  if (!backup) throw new NotVerifiableError(backupId, 'no such backup');
  if (backup.status !== 'completed') throw new NotVerifiableError(backupId, `it is ${backup.status}`);
  if (backup.prunedAt) throw new NotVerifiableError(backupId, 'retention removed its artifact');
  const recorded = await services.repos.backups.listCopies(backupId);
  const ring = services.keyRing();
  const copies: CopyVerifyOutcome[] = [];
  for (const copy of recorded) copies.push(await checkCopy(services, copy, ring));
  if (copies.length === 0)
    copies.push({ target: '-', location: '-', ok: false, problem: 'no copies recorded' });
  const ok = copies.every((c) => c.ok);

  const results: CopyCheckResult[] = copies.map((c) => ({
    target: c.target,
    location: c.location,
    ok: c.ok,
    ...(c.problem ? { problem: c.problem } : {}),
  }));
  await services.repos.backups.recordVerification(backupId, results);
  await services.audit.append({
    actor,
    action: ok ? 'verify.completed' : 'verify.failed',
    connection: backup.connection,
    targetId: backupId,
    outcome: ok ? 'ok' : 'failed',
    details: {
      copies: copies.length,
      bad: copies.filter((c) => !c.ok).map((c) => ({ target: c.target, problem: c.problem })),
      ...(!ok && onlyKeyProblems(copies) ? { keyCannotOpen: true } : {}),
    },
  });
  await safeNotify(() => services.notifier.verifyFinished({ backup, ok, copies }));
  return { backup, ok, copies, keyCannotOpen: !ok && onlyKeyProblems(copies) };
}

/** Completed, not pruned backups of a connection, newest first. */
export async function liveCompleted(services: Services, connection: string): Promise<Backup[]> {
  return (await allBackups(services, connection)).filter((b) => b.status === 'completed');
}

/** Every backup record of a connection, newest first, read 1000 at a time. */
export async function allBackups(services: Services, connection: string): Promise<Backup[]> {
  const out: Backup[] = [];
  let before: string | undefined;
  for (;;) {
    const page = await services.repos.backups.listByConnection(connection, {
      limit: 1000,
      ...(before ? { before } : {}),
    });
    out.push(...page);
    if (page.length < 1000) return out;
    before = page[page.length - 1]!.id;
  }
}

/** The scheduled pick: newest + one random older backup per connection. */
export async function pickScheduledVerifications(services: Services, connection?: string): Promise<Backup[]> {
  const names = connection ? [connection] : services.config.connections.map((c) => c.name);
  const picked: Backup[] = [];
  for (const name of names) {
    const [newest, ...older] = await liveCompleted(services, name);
    if (!newest) continue;
    picked.push(newest);
    if (older.length > 0)
      picked.push(older[Math.min(older.length - 1, Math.floor(services.random() * older.length))]!);
  }
  return picked;
}

export async function verifyScheduled(services: Services, connection?: string): Promise<VerifyReport[]> {
  const reports: VerifyReport[] = [];
  for (const b of await pickScheduledVerifications(services, connection)) {
    reports.push(await verifyBackup(services, b.id));
  }
  return reports;
}

/** Every completed, not pruned backup (CLI `verify --all`). */
export async function verifyAll(services: Services, actor = 'system'): Promise<VerifyReport[]> {
  const reports: VerifyReport[] = [];
  for (const c of services.config.connections) {
    for (const b of await liveCompleted(services, c.name))
      reports.push(await verifyBackup(services, b.id, actor));
  }
  return reports;
}
