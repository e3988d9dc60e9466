/**
 * A record and its audit event are written one after the other, not in one transaction (the audit log is
 * its own hash chain). A worker killed between `markCompleted` (or `markFailed`) and the append leaves a
 * settled backup the audit log never mentions. At start-up the worker looks at the backups settled in the
 * last day and appends the missing `backup.completed` / `backup.failed`, marked `recovered: true`, so the
 * log is complete again. Backups settled in the last minute are left to the process that settled them
 * (it may be appending right now in another process).
 */
import type { Backup } from '../ports/records.ts';
import type { Services } from '../services.ts';
import { auditOutcome } from './run-backup.ts';

const DAY_MS = 24 * 3600 * 1000;
const GRACE_MS = 60_000;
/** newest backups looked at per connection */
const PER_CONNECTION = 500;
const AUDIT_PAGE = 1000;

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
  const audited = new Set<string>();
  let beforeSeq: number | undefined;
  for (;;) {
    const page = await services.audit.list({
      action: 'backup.*',
      since: new Date(from - DAY_MS),
      limit: AUDIT_PAGE,
      ...(beforeSeq !== undefined ? { beforeSeq } : {}),
    });
    for (const e of page) {
      if ((e.action === 'backup.completed' || e.action === 'backup.failed') && e.targetId)
        audited.add(e.targetId);
    }
    if (page.length < AUDIT_PAGE) break;
    beforeSeq = page.at(-1)!.seq;
  }
  const written: string[] = [];
  for (const b of settled.filter((s) => !audited.has(s.id))) {
    await auditOutcome(services, b, undefined, { recovered: true });
    written.push(b.id);
  }
  return written;
}
