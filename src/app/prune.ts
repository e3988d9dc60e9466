/**
 * The prune job: per connection, `selectRetention` (restic's keep-daily/weekly/monthly/within, see
 * src/core/retention.ts for the rule) over its backups, then for each backup it removes: mark the record
 * pruned (the record stays for history) and delete its artifact from the primary and every copy
 * target — unless a kept backup still references that artifact (an unchanged backup shares the artifact of
 * the backup it repeats), or a store's Object Lock still holds it (kept, with the date; removed by the first
 * prune after it). Records are marked before files are deleted, so a crash in between leaves an
 * orphan file, never a record pointing at nothing. `dryRun` changes nothing and says why each is kept.
 */

import { type RetentionCandidate, selectRetention } from '../core/retention.ts';
import { type PruneDecision, safeNotify } from './notifier.ts';
import { PRIMARY_TARGET } from './ports/copy-target.ts';
import type { Backup } from './ports/records.ts';
import type { Services } from './services.ts';
import { sweepLeftovers } from './sweep.ts';
import { allBackups } from './verify.ts';

export interface PruneReport {
  connection: string;
  dryRun: boolean;
  decisions: PruneDecision[];
  deletedArtifacts: string[];
  /** crash leftovers (stale temp files) removed from the storage locations by this run */
  sweptTempFiles: number;
}

/** When the content was taken: the (last) attempt's start; a never-started backup counts from creation. */
export function takenAt(b: Backup): Date {
  return b.startedAt ?? b.createdAt;
}

export async function pruneConnection(
  services: Services,
  connectionName: string,
  options: { dryRun?: boolean; actor?: string } = {},
): Promise<PruneReport> {
  const connection = services.connection(connectionName);
  const dryRun = options.dryRun ?? false;
  const actor = options.actor ?? 'system';
  const backups = await allBackups(services, connection.name);
  const byId = new Map(backups.map((b) => [b.id, b]));
  const candidates: RetentionCandidate[] = backups.map((b) => ({
    id: b.id,
    takenAt: takenAt(b),
    status: b.status,
    type: b.type,
  }));
  // Calendar days are the team's days: the zone of the connection's first schedule, else UTC.
  const timeZone = connection.schedules[0]?.timezone ?? 'UTC';
  const selection = selectRetention(candidates, connection.retention, services.now(), { timeZone });

  const decisions: PruneDecision[] = [
    ...selection.keep.map((k) => ({ id: k.id, action: 'keep' as const, reasons: k.reasons })),
    ...selection.remove.map((r) => ({ id: r.id, action: 'remove' as const, reasons: [r.reason] })),
  ]
    .map((d) => {
      const b = byId.get(d.id)!;
      return { backupId: d.id, takenAt: takenAt(b), status: b.status, action: d.action, reasons: d.reasons };
    })
    .sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime() || (a.backupId < b.backupId ? 1 : -1));

  await keepLocked(services, decisions, byId);

  const deletedArtifacts: string[] = [];
  let sweptTempFiles = 0;
  if (!dryRun) {
    for (const swept of await sweepLeftovers(services)) sweptTempFiles += swept.removed.length;
    const removed = decisions.filter((d) => d.action === 'remove').map((d) => byId.get(d.backupId)!);
    for (const b of removed) {
      await services.repos.backups.markPruned(b.id);
      await services.audit.append({
        actor,
        action: 'backup.pruned',
        connection: connection.name,
        targetId: b.id,
        outcome: 'ok',
        details: { reason: decisions.find((d) => d.backupId === b.id)!.reasons.join('; '), status: b.status },
      });
    }
    const names = new Set(removed.map((b) => b.artifactName).filter((n): n is string => Boolean(n)));
    for (const name of names) {
      if ((await services.repos.backups.listByArtifact(name)).length > 0) continue; // a kept backup shares it
      await services.artifacts.deleteEverywhere(name);
      deletedArtifacts.push(name);
    }
  }

  const removedCount = decisions.filter((d) => d.action === 'remove').length;
  await services.audit.append({
    actor,
    action: dryRun ? 'prune.planned' : 'prune.completed',
    connection: connection.name,
    outcome: 'ok',
    details: {
      kept: decisions.length - removedCount,
      removed: removedCount,
      artifactsDeleted: deletedArtifacts.length,
      ...(sweptTempFiles > 0 ? { tempFilesRemoved: sweptTempFiles } : {}),
    },
  });
  const report = { connection: connection.name, dryRun, decisions, deletedArtifacts, sweptTempFiles };
  await safeNotify(() => services.notifier.pruneFinished(report));
  return report;
}

/**
 * S3 Object Lock: a backup retention would remove whose artifact a store still locks is kept, with the
 * date (and `--dry-run` shows it); the first prune after that date removes it. Stores without a lock are
 * not asked.
 */
async function keepLocked(services: Services, decisions: PruneDecision[], byId: Map<string, Backup>) {
  const targets = [
    { label: PRIMARY_TARGET, target: services.primary },
    ...services.copyTargets.map((t) => ({ label: t.id, target: t })),
  ].filter((t) => t.target.lockedUntil);
  if (targets.length === 0) return;
  const now = services.now();
  for (const d of decisions) {
    const name = byId.get(d.backupId)?.artifactName;
    if (d.action !== 'remove' || !name) continue;
    const locks: string[] = [];
    for (const { label, target } of targets) {
      const until = await target.lockedUntil!(name);
      if (until && until > now) locks.push(`object lock until ${until.toISOString()} (${label})`);
    }
    if (locks.length > 0) {
      d.action = 'keep';
      d.reasons = [...locks, `then: ${d.reasons.join('; ')}`];
    }
  }
}
