/**
 * Audit and notify for restore requests in one shape. Restore events name the plan hash they concern
 * (src/audit ACTIONS_NAMING_A_PLAN), so a decision can always be traced to the exact writes it allowed.
 */

import type { AuditAction } from '../../audit/index.ts';
import { safeNotify } from '../notifier.ts';
import type { Restore } from '../ports/records.ts';
import type { Services } from '../services.ts';
import type { RestoreEvent } from './types.ts';

/** A person's (or the clock's) decision on a request: each one is followed by a signed audit checkpoint. */
const DECISIONS: readonly AuditAction[] = [
  'restore.approved',
  'restore.rejected',
  'restore.cancelled',
  'restore.expired',
];

export async function auditRestore(
  services: Services,
  restore: Restore,
  action: AuditAction,
  options: { actor?: string; outcome?: 'ok' | 'failed' | 'refused'; details?: Record<string, unknown> } = {},
): Promise<void> {
  const details = Object.fromEntries(
    Object.entries({ planHash: restore.planHash ?? undefined, ...options.details }).filter(
      ([, v]) => v !== undefined && v !== null,
    ),
  );
  await services.audit.append({
    actor: options.actor ?? 'system',
    action,
    connection: restore.connection,
    targetId: restore.id,
    outcome: options.outcome ?? 'ok',
    details: { ...details, backupId: restore.backupId },
  });
  if (DECISIONS.includes(action)) await services.takeAuditCheckpoint('restore-decision');
}

export async function notifyRestore(services: Services, event: RestoreEvent): Promise<void> {
  await safeNotify(() => services.notifier.restoreChanged?.(event));
}
