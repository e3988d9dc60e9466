/**
 * A record and its audit event are written one after the other, not in one transaction (the audit log is
 * its own hash chain). A worker killed between `markCompleted` (or `markFailed`) and the append leaves a
 * settled backup the audit log never mentions. At start-up the worker looks at the backups settled in the
 * last day and appends the missing `backup.completed` / `backup.failed`, marked `recovered: true`, so the
 * log is complete again. Backups settled in the last minute are left to the process that settled them
 * (it may be appending right now in another process). A job delivered again for such a backup (BullMQ
 * gave the killed worker's stalled job to another) appends it at once, and finishes its card:
 * `finishSettled` (run-backup.ts).
 */
import type { Backup } from '../ports/records.ts';
import type { Services } from '../services.ts';
import { auditedOutcomes, auditOutcome } from './run-backup.ts';

const DAY_MS = 24 * 3600 * 1000;
const GRACE_MS = 60_000;
/** newest backups looked at per connection */
const PER_CONNECTION = 500;

export interface AuditGapOptions {
  windowMs?: number;
  graceMs?: number;
}

/** Appends the missing outcome events; returns the backup ids it wrote one for. */
export async function auditMissingOutcomes(
  services: Services,
  options: AuditGapOptions = {},
): Promise<string[]> {
  const now = services.now().getTime();
  const from = now - (options.windowMs ?? DAY_MS);
  const to = now - (options.graceMs ?? GRACE_MS);
  const settled: Backup[] = [];
  for (const c of services.config.connections) {
    const recent = await services.repos.backups.listByConnection(c.name, {
      limit: PER_CONNECTION,
      includePruned: true,
    });
    for (const b of recent) {
      const at = b.finishedAt?.getTime();
      if ((b.status === 'completed' || b.status === 'failed') && at !== undefined && at >= from && at <= to) {
        settled.push(b);
      }
    }
  }
  if (settled.length === 0) return [];
  const audited = await auditedOutcomes(services, { since: new Date(from - DAY_MS) });
  const written: string[] = [];
  for (const b of settled.filter((s) => !audited.has(s.id))) {
    await auditOutcome(services, b, undefined, { recovered: true });
    written.push(b.id);
  }
  return written;
}
