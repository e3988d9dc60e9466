/**
 * Personal data in backups (GDPR Art. 15 and 17): finding every stored artifact that holds one person's
 * consumer, and erasing that consumer from all of them.
 *
 * find: every completed, unpruned backup of every configured connection is looked at through its recorded
 * copies — copies with the same recorded SHA-256 are the same bytes, so one of them is decrypted per group —
 * and every artifact the targets hold that no record names (a crash leftover, a connection no longer
 * configured) is decrypted too. A consumer matches by id, username or custom_id.
 *
 * erase: each artifact holding the person is written anew without the consumer and everything scoped to
 * it (src/core/erasure.ts) on every copy that held it, under the next rewrite name (`…-r<n>.sgb`), read
 * back and checked like any backup; then every record pointing at the artifact (the backup and those
 * unchanged from it) takes the new name, checksums and counts and is marked rewritten; then the old
 * copies are removed. A copy under Object Lock cannot be replaced or removed before its lock date: it is
 * left as it is and reported with that date (run `gdpr erase` again after it). An old artifact left behind
 * by an interrupted erase (its record already points at the rewrite) is removed by the next run.
 *
 * Neither the person's identifiers nor the consumer ids reach the audit log, logs or notices: the audit
 * event holds the operator's reason, counts and the artifacts and backups touched.
 */
import { consumersNamed, eraseConsumers, type Snapshot } from '../core/index.ts';
import { contentSha256 } from './backups/content-hash.ts';
import type { StoredCopy } from './ports/artifact-store.ts';
import type { Backup, BackupCopy } from './ports/records.ts';
import type { Services } from './services.ts';

/** One copy of an artifact that holds the person. */
export interface HoldingCopy extends StoredCopy {
  /** the store refuses to replace or delete it before this date (Object Lock); null when it does not */
  lockedUntil: Date | null;
}

/** One artifact (as stored on one or more copies) holding the person. */
export interface Holding {
  artifactName: string;
  /** the records pointing at it (empty: no record names it) */
  backups: Pick<Backup, 'id' | 'connection' | 'type' | 'createdAt'>[];
  copies: HoldingCopy[];
  /** how many consumers it holds that the query names (a username and a custom_id may name two) */
  consumers: number;
}

export interface PersonalDataReport {
  holdings: Holding[];
  /** artifacts and copies looked at */
  scanned: { artifacts: number; copies: number };
  /** copies that could not be read (named, with why): the person may be in them */
  unreadable: { target: string; location: string; problem: string }[];
}

interface ArtifactGroup {
  name: string;
  backups: Backup[];
  /** copies with the same recorded bytes, each group opened once */
  bySha: Map<string, BackupCopy[]>;
}

async function recordedArtifacts(services: Services): Promise<Map<string, ArtifactGroup>> {
  const groups = new Map<string, ArtifactGroup>();
  for (const connection of services.config.connections) {
    let before: string | undefined;
    for (;;) {
      const page = await services.repos.backups.listByConnection(connection.name, {
        limit: 500,
        ...(before ? { before } : {}),
      });
      for (const b of page) {
        if (b.status !== 'completed' || !b.artifactName) continue;
        const group: ArtifactGroup = groups.get(b.artifactName) ?? {
          name: b.artifactName,
          backups: [],
          bySha: new Map(),
        };
        groups.set(b.artifactName, group);
        group.backups.push(b);
        for (const copy of await services.repos.backups.listCopies(b.id)) {
          const same = group.bySha.get(copy.sha256) ?? [];
          if (!same.some((c) => c.target === copy.target && c.location === copy.location)) same.push(copy);
          group.bySha.set(copy.sha256, same);
        }
      }
      if (page.length < 500) break;
      before = page[page.length - 1]!.id;
    }
  }
  return groups;
}

async function openFirst(
  services: Services,
  label: string,
  copies: readonly StoredCopy[],
  unreadable: PersonalDataReport['unreadable'],
): Promise<Snapshot | null> {
  try {
    return (await services.artifacts.openBackup(label, copies)).snapshot;
  } catch (err) {
    for (const c of copies)
      unreadable.push({ target: c.target, location: c.location, problem: (err as Error).message });
    return null;
  }
}

async function withLocks(services: Services, copies: readonly StoredCopy[]): Promise<HoldingCopy[]> {
  return Promise.all(
    copies.map(async (c) => ({
      target: c.target,
      location: c.location,
      lockedUntil: await services.artifacts.lockedUntil(c),
    })),
  );
}

/** Every stored artifact holding a consumer that `query` names (its id, username or custom_id). */
export async function findPersonalData(
  services: Services,
  query: string,
  actor: string,
): Promise<PersonalDataReport> {
  const { report } = await scan(services, query);
  await services.audit.append({
    actor,
    action: 'gdpr.searched',
    connection: null,
    targetId: null,
    outcome: report.unreadable.length === 0 ? 'ok' : 'failed',
    // what was searched for stays out: the audit log outlives any erasure
    details: {
      holdings: report.holdings.length,
      artifacts: report.scanned.artifacts,
      copies: report.scanned.copies,
      unreadable: report.unreadable.length,
    },
  });
  return report;
}

async function scan(
  services: Services,
  query: string,
): Promise<{ report: PersonalDataReport; groups: Map<string, ArtifactGroup> }> {
  if (query.trim() === '') throw new RangeError('name the person: a consumer id, username or custom_id');
  const unreadable: PersonalDataReport['unreadable'] = [];
  const holdings: Holding[] = [];
  const groups = await recordedArtifacts(services);
  let copies = 0;
  const recordedLocations = new Set<string>();
  for (const group of groups.values()) {
    for (const same of group.bySha.values()) {
      copies += same.length;
      for (const c of same) recordedLocations.add(`${c.target}\n${c.location}`);
      const snapshot = await openFirst(services, group.backups[0]!.id, same, unreadable);
      const found = snapshot ? consumersNamed(snapshot, query).length : 0;
      if (found === 0) continue;
      holdings.push({
        artifactName: group.name,
        backups: group.backups.map(({ id, connection, type, createdAt }) => ({
          id,
          connection,
          type,
          createdAt,
        })),
        copies: await withLocks(services, same),
        consumers: found,
      });
    }
  }
  // what the targets hold that no record names
  const stored = await services.artifacts.listStored();
  const unrecorded = stored.filter((s) => !recordedLocations.has(`${s.target}\n${s.location}`));
  for (const s of unrecorded) {
    copies += 1;
    const snapshot = await openFirst(services, s.name, [s], unreadable);
    const found = snapshot ? consumersNamed(snapshot, query).length : 0;
    if (found === 0) continue;
    holdings.push({
      artifactName: s.name,
      backups: [],
      copies: await withLocks(services, [s]),
      consumers: found,
    });
  }
  return {
    report: { holdings, scanned: { artifacts: groups.size + unrecorded.length, copies }, unreadable },
    groups,
  };
}

/** Holdings of one recorded artifact (copies whose bytes differ are found apart) as one. */
function mergeByArtifact(holdings: readonly Holding[]): Holding[] {
  const out = new Map<string, Holding>();
  const unrecorded: Holding[] = [];
  for (const h of holdings) {
    if (h.backups.length === 0) {
      unrecorded.push(h);
      continue;
    }
    const seen = out.get(h.artifactName);
    if (!seen) out.set(h.artifactName, { ...h, copies: [...h.copies] });
    else seen.copies.push(...h.copies);
  }
  return [...out.values(), ...unrecorded];
}

export interface ErasureReport {
  /** artifacts written anew without the person */
  rewritten: {
    from: string;
    to: string;
    backups: string[];
    copies: number;
    removed: Record<string, number>;
  }[];
  /** copies the store would not let go before their lock date: they still hold the person */
  locked: { artifactName: string; target: string; location: string; lockedUntil: Date }[];
  /** old artifacts an interrupted erase left behind (their record already points at the rewrite), removed */
  leftoversRemoved: string[];
  /** artifacts holding the person that no record names and that are not such leftovers: not touched */
  unrecorded: { target: string; location: string }[];
  /** copies that could not be read: they may hold the person */
  unreadable: PersonalDataReport['unreadable'];
  /** old copies whose removal failed after the rewrite (they still hold the person) */
  notRemoved: { target: string; location: string; problem: string }[];
}

export interface ErasureRequest {
  /** a consumer id, username or custom_id */
  query: string;
  /** why (recorded in the audit log; must not itself hold personal data) */
  reason: string;
  actor: string;
}

/** Rewrites every artifact holding the person without them (see the top of this file). */
export async function erasePersonalData(services: Services, request: ErasureRequest): Promise<ErasureReport> {
  if (request.reason.trim() === '') throw new RangeError('give the reason for the erasure (--reason)');
  const { report: found, groups } = await scan(services, request.query);
  const now = services.now();
  const report: ErasureReport = {
    rewritten: [],
    locked: [],
    leftoversRemoved: [],
    unrecorded: [],
    unreadable: found.unreadable,
    notRemoved: [],
  };
  for (const holding of mergeByArtifact(found.holdings)) {
    if (holding.backups.length === 0) {
      await eraseUnrecorded(services, holding, groups, report);
      continue;
    }
    const free = holding.copies.filter((c) => !lockedAt(c, now));
    for (const c of holding.copies) {
      if (lockedAt(c, now)) {
        report.locked.push({
          artifactName: holding.artifactName,
          target: c.target,
          location: c.location,
          lockedUntil: c.lockedUntil,
        });
      }
    }
    if (free.length === 0) continue;
    await rewriteHolding(services, holding, free, request.query, now, report);
  }

  await services.audit.append({
    actor: request.actor,
    action: 'gdpr.erased',
    connection: null,
    targetId: null,
    outcome:
      report.locked.length +
        report.notRemoved.length +
        report.unreadable.length +
        report.unrecorded.length ===
      0
        ? 'ok'
        : 'failed',
    details: {
      reason: request.reason,
      artifacts: report.rewritten.map((r) => ({
        from: r.from,
        to: r.to,
        backups: r.backups,
        copies: r.copies,
      })),
      removed: sumRemoved(report.rewritten.map((r) => r.removed)),
      locked: report.locked.map((l) => ({
        artifact: l.artifactName,
        target: l.target,
        until: l.lockedUntil.toISOString(),
      })),
      leftoversRemoved: report.leftoversRemoved,
      unrecorded: report.unrecorded.length,
      unreadable: report.unreadable.length,
      notRemoved: report.notRemoved.length,
    },
  });
  return report;
}

/** The copy's store still refuses to replace or remove it at `now` (Object Lock). */
function lockedAt(copy: HoldingCopy, now: Date): copy is HoldingCopy & { lockedUntil: Date } {
  return copy.lockedUntil !== null && copy.lockedUntil.getTime() > now.getTime();
}

function sumRemoved(list: readonly Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of list) for (const [k, n] of Object.entries(r)) out[k] = (out[k] ?? 0) + n;
  return out;
}

async function rewriteHolding(
  services: Services,
  holding: Holding,
  free: readonly HoldingCopy[],
  query: string,
  now: Date,
  report: ErasureReport,
): Promise<void> {
  const snapshot = await services.artifacts.openBackup(holding.backups[0]!.id, free).then((o) => o.snapshot);
  const ids = consumersNamed(snapshot, query).map((c) => c.id);
  const erased = eraseConsumers(snapshot, ids);
  // the record that wrote the artifact names it (the others are unchanged from it)
  const records = await Promise.all(holding.backups.map((b) => services.repos.backups.get(b.id)));
  const owner = records.find((b) => b && !b.unchangedFrom) ?? records.find((b) => b);
  if (!owner) return;
  const connection = services.config.connections.find((c) => c.name === owner.connection);
  const written = await services.artifacts.rewrite({
    ref: {
      backupId: owner.id,
      connection: owner.connection,
      environment: owner.environment ?? connection?.environment ?? owner.connection,
      type: owner.type,
      createdAt: owner.createdAt.toISOString(),
    },
    from: holding.artifactName,
    snapshot: erased.snapshot,
    copies: free,
    at: now,
  });
  const rewrite = {
    artifactName: written.name,
    counts: erased.snapshot.meta.counts as Record<string, number>,
    bytes: written.bytes,
    sha256: written.sha256,
    contentSha256: contentSha256(services.artifacts, erased.snapshot),
    keyId: written.keyId,
    copies: written.copies,
  };
  for (const b of holding.backups) await services.repos.backups.recordRewrite(b.id, rewrite);
  for (const old of free) {
    if (written.copies.some((c) => c.target === old.target && c.location === old.location)) continue;
    try {
      await services.artifacts.deleteCopy(old);
    } catch (err) {
      report.notRemoved.push({ target: old.target, location: old.location, problem: (err as Error).message });
    }
  }
  report.rewritten.push({
    from: holding.artifactName,
    to: written.name,
    backups: holding.backups.map((b) => b.id),
    copies: written.copies.length,
    removed: erased.removed as Record<string, number>,
  });
}

/**
 * An artifact no record names: if a record of the same backup already points at a later rewrite of it,
 * it is what an interrupted erase left behind and goes; anything else is reported, never deleted (it may
 * be the only copy of something).
 */
async function eraseUnrecorded(
  services: Services,
  holding: Holding,
  groups: ReadonlyMap<string, ArtifactGroup>,
  report: ErasureReport,
): Promise<void> {
  const lineage = services.artifacts.lineageOf(holding.artifactName);
  const successor =
    lineage !== null &&
    [...groups.values()].some(
      (g) =>
        g.name !== holding.artifactName &&
        services.artifacts.lineageOf(g.name) === lineage &&
        g.backups.some((b) => b.rewrittenAt !== null),
    );
  for (const copy of holding.copies) {
    if (!successor) {
      report.unrecorded.push({ target: copy.target, location: copy.location });
      continue;
    }
    if (lockedAt(copy, services.now())) {
      report.locked.push({
        artifactName: holding.artifactName,
        target: copy.target,
        location: copy.location,
        lockedUntil: copy.lockedUntil,
      });
      continue;
    }
    try {
      await services.artifacts.deleteCopy(copy);
      report.leftoversRemoved.push(copy.location);
    } catch (err) {
      report.notRemoved.push({
        target: copy.target,
        location: copy.location,
        problem: (err as Error).message,
      });
    }
  }
}
