/**
 * `BotServices` from the use cases' `Services`: the records, the audit log, and the use cases that queue
 * work (a backup, a verify, a diff, restore requests and decisions).
 */

import { diffableBackup, requestBackup, requestDiff, type Services, storageOverview } from '../app/index.ts';
import { verifyAuditLog } from '../compose/audit-checkpoints.ts';
import { restoreRequestsFromJobs } from './restore-jobs.ts';
import type { BotServices } from './services.ts';

export function fromJobServices(services: Services): BotServices {
  return {
    config: services.config,
    backups: services.repos.backups,
    restores: services.repos.restores,
    rehearsals: services.repos.rehearsals,
    audit: services.audit,
    now: services.now,
    verifyAudit: () => verifyAuditLog(services.config, services.audit, 'auto'),
    restoreRequests: restoreRequestsFromJobs(services),
    requestBackup: (input) =>
      requestBackup(services, {
        ...(input.id ? { id: input.id } : {}),
        connection: input.connection,
        type: 'manual',
        requestedBy: input.requestedBy,
        note: input.note ?? null,
        slack: input.slack ?? null,
      }),
    storageOverview: (connection) =>
      storageOverview(
        {
          storage: services.config.storage,
          copyTargetIds: services.copyTargets.map((t) => t.id),
          backups: services.repos.backups,
        },
        connection,
      ),
    requestVerify: (input) => services.work.verify(input.backupId),
    requestDiff: (work) => requestDiff(services, work),
    requestDrift: (work) => services.work.drift(work),
    async diffRefusal(connection, backupId) {
      const backup = await diffableBackup(services, connection, backupId);
      return typeof backup === 'string' ? backup : null;
    },
  };
}
