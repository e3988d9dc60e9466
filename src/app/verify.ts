/**
 * The verify job: every recorded copy of a backup's artifact is checked — present, SHA-256 as recorded,
 * decrypts with the key ring, parses as a snapshot — and the result is stored per copy, so a bad copy is
 * named (`offsite: sha256 mismatch …`) rather than the backup being called "bad". A scheduled run checks
 * the newest and one random older backup of each connection (the random source is injected).
 */

import { type CopyVerifyOutcome, safeNotify } from './notifier.ts';
import type { Backup, BackupCopy, CopyCheckResult } from './ports/records.ts';
import type { Services } from './services.ts';
import { raiseAlert, resolveAlerts } from './watch/alerts.ts';

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

async function checkCopy(services: Services, copy: BackupCopy): Promise<CopyVerifyOutcome> {
  const result = await services.artifacts.checkCopy(copy);
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
  const copies: CopyVerifyOutcome[] = [];
  for (const copy of recorded) copies.push(await checkCopy(services, copy));
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
  await verifyAlert(services, backup, ok, copies);
  return { backup, ok, copies, keyCannotOpen: !ok && onlyKeyProblems(copies) };
}

/**
 * A failed verification is alerted naming the backup and the bad copies (the same backup with the same
 * bad copies is not alerted twice in a row); a later clean verification of that backup resolves it.
 * Never throws: the verification's own result stands.
 */
async function verifyAlert(
  services: Services,
  backup: Backup,
  ok: boolean,
  copies: readonly CopyVerifyOutcome[],
): Promise<void> {
  try {
    if (ok) {
      const open = await services.repos.watch.get(backup.connection, 'verify-failed');
      if (open?.fingerprint.startsWith(`${backup.id}@`))
        await resolveAlerts(
          services,
          backup.connection,
          ['verify-failed'],
          `backup ${backup.id} verified clean`,
          backup.id,
        );
      return;
    }
    const bad = copies.filter((c) => !c.ok);
    const copy = bad.map((c) => c.target).join(', ');
    await raiseAlert(services, {
      connection: backup.connection,
      kind: 'verify-failed',
      reason: `verification of backup ${backup.id} failed: ${bad.map((c) => `${c.target}: ${c.problem ?? 'failed'}`).join('; ')}`,
      backupId: backup.id,
      copy,
      fingerprint: `${backup.id}@${copy}`,
      retry: false,
    });
  } catch (err) {
    process.stderr.write(
      `snapgate: alert for verification of ${backup.id} failed: ${(err as Error).message}\n`,
    );
  }
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
