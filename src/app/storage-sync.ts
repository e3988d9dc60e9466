/**
 * `snapgate storage sync [--target NAME]`: copies every live artifact (completed, not pruned) that a target
 * lacks — typically a copy target just added to the config — and records the new copy on every backup that
 * shares the artifact. Idempotent and resumable: what a target already holds (listed once per run) is only
 * recorded if the records lack it, each artifact is recorded as soon as it is copied, and an interrupted
 * run starts again where the target's listing says it stopped. The source is the first copy (primary
 * first) whose SHA-256 is the recorded one; the new copy must have it too.
 */
import { basename } from 'node:path';
import { type CopyTarget, PRIMARY_TARGET } from './ports/copy-target.ts';
import type { Backup, BackupCopy, NewCopy } from './ports/records.ts';
import type { Services } from './services.ts';
import { liveCompleted } from './verify.ts';

export interface SyncProgress {
  target: string;
  artifact: string;
  /** 1-based position among the artifacts this target lacks */
  index: number;
  total: number;
  outcome: 'copied' | 'recorded' | 'failed';
  problem?: string;
}

export interface SyncReport {
  target: string;
  copied: number;
  recorded: number;
  present: number;
  failed: string[];
}

export class UnknownTargetError extends Error {
  constructor(name: string, known: string[]) {
    super(`no storage target is called "${name}" (configured: ${known.join(', ')})`);
    this.name = 'UnknownTargetError';
  }
}

/** The copy targets a sync covers: the one named (by `name` or id), else every copy target. */
export function syncTargets(services: Services, name?: string): { label: string; target: CopyTarget }[] {
  const all = [
    { label: PRIMARY_TARGET, target: services.primary, name: services.config.storage.primary.name },
    ...services.copyTargets.map((t, i) => ({
      label: t.id,
      target: t,
      name: services.config.storage.copies[i]?.name,
    })),
  ];
  if (name === undefined) return all.slice(1);
  const found = all.find((t) => t.name === name || t.target.id === name || t.label === name);
  if (!found)
    throw new UnknownTargetError(
      name,
      all.map((t) => t.name ?? t.target.id),
    );
  return [found];
}

async function liveArtifacts(services: Services): Promise<Map<string, Backup[]>> {
  const byArtifact = new Map<string, Backup[]>();
  for (const c of services.config.connections) {
    for (const b of await liveCompleted(services, c.name)) {
      if (b.artifactName) byArtifact.set(b.artifactName, [...(byArtifact.get(b.artifactName) ?? []), b]);
    }
  }
  return byArtifact;
}

/** Copies `name` from the first good recorded copy; resolves with the new copy. */
async function copyArtifact(
  services: Services,
  target: CopyTarget,
  name: string,
  copies: BackupCopy[],
  sha256: string,
): Promise<{ location: string; sha256: string }> {
  const sources = [
    ...copies.filter((c) => c.target === PRIMARY_TARGET),
    ...copies.filter((c) => c.target !== PRIMARY_TARGET),
  ];
  const problems: string[] = [];
  for (const source of sources) {
    try {
      const stored = await services.artifacts.withLocalCopy(source, (path) => target.put(name, path));
      if (stored.sha256 === sha256) return stored;
      await target.delete(name);
      problems.push(`${source.target}: sha256 ${stored.sha256.slice(0, 12)}… is not the recorded one`);
    } catch (err) {
      problems.push(`${source.target}: ${(err as Error).message}`);
    }
  }
  throw new Error(`no good copy to copy from (${problems.join('; ') || 'no copies recorded'})`);
}

export async function syncStorage(
  services: Services,
  options: { target?: string; onProgress?: (p: SyncProgress) => void; actor?: string } = {},
): Promise<SyncReport[]> {
  const reports: SyncReport[] = [];
  const artifacts = await liveArtifacts(services);
  for (const { label, target } of syncTargets(services, options.target)) {
    const present = new Set(await target.list());
    const report: SyncReport = { target: label, copied: 0, recorded: 0, present: 0, failed: [] };
    const work: [string, Backup[], BackupCopy[]][] = [];
    for (const [name, backups] of artifacts) {
      const copies = await services.repos.backups.listCopies(backups[0]!.id);
      if (present.has(name) && copies.some((c) => c.target === label)) report.present++;
      else work.push([name, backups, copies]);
    }
    let index = 0;
    for (const [name, backups, copies] of work) {
      index++;
      const first = backups[0]!;
      const sha256 = first.sha256 ?? '';
      let outcome: SyncProgress['outcome'] = 'copied';
      let problem: string | undefined;
      try {
        let stored: { location: string; sha256: string };
        if (present.has(name)) {
          // already there but not recorded (an earlier run stopped in between): recorded if it is whole
          const location = target.location(name);
          const found = await services.artifacts.sha256({ target: label, location });
          if (found !== sha256)
            throw new Error(`the object there has sha256 ${found.slice(0, 12)}…, not the recorded one`);
          stored = { location, sha256: found };
          outcome = 'recorded';
        } else {
          stored = await copyArtifact(services, target, name, copies, sha256);
        }
        for (const b of backups) {
          const own = await services.repos.backups.listCopies(b.id);
          const next: NewCopy[] = [
            ...own
              .filter((c) => c.target !== label)
              .map((c) => ({ target: c.target, location: c.location, sha256: c.sha256 })),
            { target: label, location: stored.location, sha256: stored.sha256 },
          ];
          // the same records `keys rotate` writes: key id and checksum unchanged, one more copy
          await services.repos.backups.recordRewrap(b.id, {
            keyId: b.keyId ?? '',
            sha256: b.sha256 ?? '',
            copies: next,
          });
        }
        if (outcome === 'copied') report.copied++;
        else report.recorded++;
      } catch (err) {
        outcome = 'failed';
        problem = (err as Error).message;
        report.failed.push(`${basename(name)}: ${problem}`);
      }
      options.onProgress?.({
        target: label,
        artifact: name,
        index,
        total: work.length,
        outcome,
        ...(problem ? { problem } : {}),
      });
    }
    await services.audit.append({
      actor: options.actor ?? 'system',
      action: 'storage.synced',
      outcome: report.failed.length === 0 ? 'ok' : 'failed',
      details: {
        target: label,
        copied: report.copied,
        recorded: report.recorded,
        present: report.present,
        failed: report.failed.length,
      },
    });
    reports.push(report);
  }
  return reports;
}
