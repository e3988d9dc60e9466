/**
 * What an on-call engineer should check for each kind of failure, chosen by the stored code (never by
 * parsing the reason). Slack cards and the CLI's exit text both use it; the reason, shown beside it,
 * names the detail.
 */
import type { FailureCode } from './ports/records.ts';

const ADVICE: Record<FailureCode, string> = {
  gateway_unreachable:
    "snapgate could not reach this gateway's admin API. Check that the gateway is up and that the connection's address in snapgate.yml (`kongUrl` for Kong) points at it, then run the command again.",
  gateway_auth:
    'The gateway refused the admin credentials. Check the token named by `tokenEnv`/`tokenFile` for this connection (and its workspace), then run the command again.',
  gateway_error:
    'The gateway answered with an error. Check the gateway and its database, then run the command again.',
  key_missing:
    'A key in the key ring is missing or wrong. Check `keys` in snapgate.yml and the environment variables or files they name.',
  artifact_check:
    'The artifact written did not read back intact. Check the storage (disk errors, a copy target that changes files), then take the backup again.',
  unknown_connection: 'No connection of that name is configured. Check `connections` in snapgate.yml.',
  storage:
    'The backup could not be written to storage. Check that the storage targets in snapgate.yml exist, are writable and have free space.',
  queue_unavailable:
    'Redis did not take the job, so nothing ran. Check that Redis is up and that `redis.url` in snapgate.yml points at it, then run the command again.',
  worker_stopped:
    'The worker running the job stopped (a crash or a shutdown). Check the worker log; for a restore, run a new diff: the gateway may be partially restored.',
  backup_unreadable:
    'No copy of the backup reads back intact. Run `verify` on it to see each copy, or pick another backup.',
  plan_refused:
    'The plan was refused before any write: the reason names what the gateway cannot take. Nothing was changed.',
  pre_restore_failed:
    'The backup taken before a restore failed, so the restore did not start and nothing was changed. Fix the cause shown and request the restore again.',
  apply_failed:
    'Some writes failed and the gateway may be partially restored. Run a diff against the backup, fix the cause shown, and restore again (or undo from the pre-restore backup).',
  not_converged:
    'Every write went through, but the gateway still differs from the backup (something changed it meanwhile, or it rewrites what it stores). Run a diff to see what.',
  unexpected: 'Read the reason below; if it is not clear, the worker log has the details.',
};

const UNKNOWN = 'Read the reason below; if it is not clear, the worker log has the details.';

/** Advice for a recorded failure; records written before codes were stored get the generic line. */
export function failureAdvice(code: FailureCode | null | undefined): string {
  return code ? ADVICE[code] : UNKNOWN;
}
