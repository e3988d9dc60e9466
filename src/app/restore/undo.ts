/**
 * Undo of a finished restore: a NEW restore request of the pre-restore backup that restore took, reason
 * "undo of <id>", through the same plan and approval as any request (Slack's Undo button and
 * `snapgate restores undo`). Before asking, `undoTarget` says in words why an undo is impossible: the
 * restore has not finished or wrote nothing, or its pre-restore backup is gone — removed by retention
 * (after `retention.keepPreRestore`), failed, or its artifact file is missing.
 */
import { RESTORE_STATUS } from '../../core/status.ts';
import { PRIMARY_TARGET } from '../ports/copy-target.ts';
import type { Backup, Restore } from '../ports/records.ts';
import type { Services } from '../services.ts';
import type { RequestOptions } from './request.ts';
import { requestRestore } from './request.ts';
import type { RestoreRequested, RestoreRequestInput } from './types.ts';
import { RestoreRefusedError } from './types.ts';

/** `message` says why, about the restore ("it has not finished", "its pre-restore backup … was removed …"). */
export type UndoTarget = { ok: true; restore: Restore; backup: Backup } | { ok: false; message: string };

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

async function artifactGone(services: Services, backup: Backup): Promise<string | null> {
  const primary = (await services.repos.backups.listCopies(backup.id)).find(
    (c) => c.target === PRIMARY_TARGET,
  );
  if (!primary) return 'no primary copy is recorded';
  return (await services.artifacts.exists(primary))
    ? null
    : `its artifact is missing from ${primary.location}`;
}

/** The pre-restore backup an undo of `restoreId` would restore, or why there is none. */
export async function undoTarget(services: Services, restoreId: string): Promise<UndoTarget> {
  const restore = await services.repos.restores.get(restoreId);
  if (!restore) return { ok: false, message: `restore ${restoreId} does not exist` };
  const status = restore.status.replace(/_/g, ' ');
  if (!RESTORE_STATUS.isTerminal(restore.status)) {
    return {
      ok: false,
      message: `restore ${restore.id} has not finished (${status}); there is nothing to undo yet`,
    };
  }
  const preId = restore.preRestoreBackupId;
  if (!preId) {
    return {
      ok: false,
      message: `it ended ${status} without writing to the gateway (no pre-restore backup was taken), so there is nothing to undo`,
    };
  }
  const cannot = `its pre-restore backup ${preId}`;
  const backup = await services.repos.backups.get(preId);
  if (!backup) return { ok: false, message: `${cannot} no longer exists` };
  if (backup.prunedAt) {
    const keep = services.connection(restore.connection).retention.keepPreRestore;
    const rule = keep ? ` (retention.keepPreRestore keeps them ${keep})` : '';
    return {
      ok: false,
      message: `${cannot} was removed by retention on ${day(backup.prunedAt)}${rule}; the gateway as it was before that restore is gone`,
    };
  }
  if (backup.status !== 'completed') {
    const why = backup.failureReason ? `: ${backup.failureReason}` : '';
    return { ok: false, message: `${cannot} is ${backup.status}${why}; there is no state to go back to` };
  }
  const gone = await artifactGone(services, backup);
  if (gone) return { ok: false, message: `${cannot} is gone: ${gone}` };
  return { ok: true, restore, backup };
}

/** `restores undo`: the undo request, refused with `undoTarget`'s words when it is impossible. */
export async function requestUndo(
  services: Services,
  input: { restoreId: string; reason?: string } & Pick<RestoreRequestInput, 'requestedBy' | 'slack'>,
  options: RequestOptions = {},
): Promise<RestoreRequested & { undoOf: Restore }> {
  const target = await undoTarget(services, input.restoreId);
  if (!target.ok) throw new RestoreRefusedError(`cannot undo restore ${input.restoreId}: ${target.message}`);
  const requested = await requestRestore(
    services,
    {
      connection: target.restore.connection,
      backup: { kind: 'id', id: target.backup.id },
      reason: input.reason ?? undoReason(target.restore.id),
      requestedBy: input.requestedBy,
      ...(input.slack ? { slack: input.slack } : {}),
    },
    options,
  );
  return { ...requested, undoOf: target.restore };
}

export function undoReason(restoreId: string): string {
  return `undo of ${restoreId}`;
}
