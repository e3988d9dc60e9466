/**
 * `/kong show <connection>`: where the connection's backups are stored — the primary and every copy target,
 * each with its place (a directory's path, or `s3://bucket/prefix` on an endpoint host; never credentials)
 * and the newest verification that checked one of the connection's backups on it. A target the records
 * still name but the config no longer lists is shown too, so a removed copy does not vanish silently.
 */
import { type CopyTargetConfig, type StorageConfig, type TargetPlace, targetPlace } from '../config/index.ts';
import type { BackupCopy, BackupRepository } from './ports/records.ts';

/** How copy records name the primary (storage's PRIMARY_TARGET; any other copy by its target's id). */
const PRIMARY = 'primary';

export interface TargetCheck {
  backupId: string;
  at: Date;
  ok: boolean;
  problem: string | null;
  /** where that copy was */
  location: string;
}

export interface StorageTargetView {
  /** how copy records name it: `primary`, or the copy target's id */
  recordName: string;
  /** the name the config gives it (`name:`), if any */
  configName: string | null;
  primary: boolean;
  /** null: the records name a target the config no longer lists */
  place: TargetPlace | null;
  lastCheck: TargetCheck | null;
}

export interface StorageOverviewDeps {
  storage: Pick<StorageConfig, 'primary' | 'copies'>;
  /** the copy targets' ids, in `storage.copies` order (Services.copyTargets) */
  copyTargetIds: readonly string[];
  backups: Pick<BackupRepository, 'latestCopyChecks'>;
}

function check(copy: BackupCopy | undefined): TargetCheck | null {
  if (!copy?.verifiedAt || copy.verifyOk === null) return null;
  return {
    backupId: copy.backupId,
    at: copy.verifiedAt,
    ok: copy.verifyOk,
    problem: copy.verifyProblem,
    location: copy.location,
  };
}

export async function storageOverview(
  deps: StorageOverviewDeps,
  connection: string,
): Promise<StorageTargetView[]> {
  const checks = new Map((await deps.backups.latestCopyChecks(connection)).map((c) => [c.target, c]));
  const configured: [string, CopyTargetConfig][] = [
    [PRIMARY, deps.storage.primary],
    ...deps.storage.copies.map((t, i): [string, CopyTargetConfig] => [deps.copyTargetIds[i] ?? '', t]),
  ];
  const views = configured.map(
    ([recordName, t]): StorageTargetView => ({
      recordName,
      configName: t.name ?? null,
      primary: recordName === PRIMARY,
      place: targetPlace(t),
      lastCheck: check(checks.get(recordName)),
    }),
  );
  const known = new Set(views.map((v) => v.recordName));
  for (const [target, copy] of checks) {
    if (!known.has(target))
      views.push({
        recordName: target,
        configName: null,
        primary: false,
        place: null,
        lastCheck: check(copy),
      });
  }
  return views;
}
