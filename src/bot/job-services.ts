/**
 * `BotServices` from the jobs module's `Services`: the records, the audit log, `requestBackup`, a verify
 * job, a backup's snapshot read from its artifact, and a plan against the live gateway through a fresh Kong
 * client.
 */

import type { Backup } from '../app/ports/records.ts';
import { verifyAuditLog } from '../compose/audit-checkpoints.ts';
import type { Snapshot } from '../core/index.ts';
import { JOB_NAMES, planConnection, requestBackup, type Services } from '../jobs/index.ts';
import { restoreRequestsFromJobs } from './restore-jobs.ts';
import type { BotServices } from './services.ts';

export function fromJobServices(services: Services): BotServices {
  return {
    config: services.config,
    backups: services.repos.backups,
    restores: services.repos.restores,
    audit: services.audit,
    now: services.now,
    verifyAudit: () => verifyAuditLog(services.config, services.audit, 'auto'),
    restoreRequests: restoreRequestsFromJobs(services),
    requestBackup: (input) =>
      requestBackup(services, {
        connection: input.connection,
        type: 'manual',
        requestedBy: input.requestedBy,
        note: input.note ?? null,
        slack: input.slack ?? null,
      }),
    async requestVerify(input) {
      // A fresh job id per request: verifying the same backup twice is a fair thing to ask.
      const jobId = `verify-${input.backupId}-${services.now().getTime()}`;
      await services.queues.verify.add(
        JOB_NAMES.verify,
        { backupId: input.backupId },
        {
          jobId,
          attempts: 1,
          removeOnComplete: { age: 86_400, count: 1000 },
          removeOnFail: { age: 7 * 86_400 },
        },
      );
    },
    loadBackupSnapshot: (backup) => loadSnapshot(services, backup),
    planAgainstLive: (connection, target, options = {}) =>
      planConnection(services, connection, target, options.only ? { only: options.only } : {}),
  };
}

/** Opens the first copy that reads back whole (GCM tag and plaintext checksum checked by openArtifact). */
async function loadSnapshot(services: Services, backup: Backup): Promise<Snapshot> {
  const copies = await services.repos.backups.listCopies(backup.id);
  return (await services.artifacts.openBackup(backup.id, copies)).snapshot;
}
