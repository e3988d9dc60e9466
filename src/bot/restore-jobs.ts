/**
 * `RestoreRequests` built from the jobs module's restore service (src/jobs/restore): the same functions
 * the CLI calls, so Slack and the CLI follow one set of rules. Kept apart from `restore-services.ts`
 * (types only) so the views and tests of the bot can use those types without opening the jobs module.
 */
import {
  approveRestore,
  cancelRestore,
  rejectRestore,
  requestRestore,
  type Services,
  undoTarget,
} from '../app/index.ts';
import type { RestoreRequests } from './restore-services.ts';

export function restoreRequestsFromJobs(services: Services): RestoreRequests {
  return {
    request: (input) => requestRestore(services, input),
    approve: (input) => approveRestore(services, input),
    reject: (input) => rejectRestore(services, input),
    cancel: (input) => cancelRestore(services, input),
    undoTarget: (restoreId) => undoTarget(services, restoreId),
  };
}
