/**
 * Backup profiles: what a connection's backups leave out (`exclude:` in snapgate.yml), and the rules for
 * everything scoped to what is left out. Personal data in a Kong configuration lives in consumers, their
 * credentials and their consumer-group memberships, so those are the sections a profile may exclude:
 *
 *   exclude: [consumers]        consumers, every credential kind, consumer-group members, and every
 *                               plugin scoped to a consumer (`plugin.consumer` set)
 *   exclude: [credentials]      the credential kinds only (keys, passwords, secrets)
 *   exclude: [consumer_groups]  consumer groups, their members, and plugins scoped to a group
 *
 * An entity is left out with its kind when the kind is excluded, or when it points at an excluded kind
 * through a foreign key that is set: a kind whose key to an excluded kind is required (credentials and
 * members need their consumer) is left out whole; a kind where it is optional (plugins) loses only the
 * entities that use it. One hop is all these sections need: nothing else points at a plugin, a credential
 * or a member.
 *
 * A restore from such a backup never touches what was left out: `keepExcluded` carries the live
 * gateway's entities of those kinds (and the live plugins scoped to them) into the target, so the plan
 * neither deletes nor changes them.
 */
import {
  CATALOGUE,
  ENTITY_KINDS,
  type Entity,
  type EntityKind,
  kindsOfSection,
  type Section,
} from './catalogue/index.ts';
import type { EntityMap, Snapshot, SnapshotMeta, SnapshotSink } from './snapshot.ts';

/** The sections a profile may exclude: the ones that hold people's data. */
export const EXCLUDABLE_SECTIONS = ['consumers', 'credentials', 'consumer_groups'] as const;
export type ExcludableSection = (typeof EXCLUDABLE_SECTIONS)[number];

export function isExcludableSection(value: string): value is ExcludableSection {
  return (EXCLUDABLE_SECTIONS as readonly string[]).includes(value);
}

/** What a backup left out, as recorded in its snapshot's meta and its artifact's header. */
export interface Exclusion {
  /** the sections the profile named */
  sections: ExcludableSection[];
  /** every kind left out whole (the sections' kinds and the kinds that cannot exist without them) */
  kinds: EntityKind[];
  /** kinds that lost the entities scoped to an excluded kind (plugins scoped to a consumer) */
  scoped: EntityKind[];
}

function refsToExcluded(kind: EntityKind, excluded: ReadonlySet<EntityKind>) {
  return CATALOGUE[kind].foreignKeys.filter((fk) => excluded.has(fk.references));
}

/** The exclusion a profile's sections mean; null when the profile excludes nothing. */
export function exclusionOf(sections: readonly ExcludableSection[] | undefined): Exclusion | null {
  if (!sections || sections.length === 0) return null;
  const kinds = new Set<EntityKind>(sections.flatMap((s) => kindsOfSection(s as Section)));
  // a kind that needs an excluded parent cannot be kept: repeat until nothing more joins
  let grew = true;
  while (grew) {
    grew = false;
    for (const kind of ENTITY_KINDS) {
      if (kinds.has(kind)) continue;
      if (refsToExcluded(kind, kinds).some((fk) => fk.required)) {
        kinds.add(kind);
        grew = true;
      }
    }
  }
  const scoped = ENTITY_KINDS.filter((k) => !kinds.has(k) && refsToExcluded(k, kinds).length > 0);
  return {
    sections: EXCLUDABLE_SECTIONS.filter((s) => sections.includes(s)),
    kinds: ENTITY_KINDS.filter((k) => kinds.has(k)),
    scoped,
  };
}

/**
 * The id a foreign key holds (`{ id }` or a bare id). The same as deck/entity-shape.ts `refId`, which
 * cannot be imported here: it imports snapshot.ts, which imports this file.
 */
export function refId(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string') {
    return (value as { id: string }).id;
  }
  return null;
}

/** Whether `entity` (of a kind the exclusion keeps) points at an excluded kind. */
export function isScopedToExcluded(kind: EntityKind, entity: Entity, exclusion: Exclusion): boolean {
  const excluded = new Set(exclusion.kinds);
  return refsToExcluded(kind, excluded).some((fk) => refId(entity[fk.field]) !== null);
}

/** Whether the exclusion leaves `entity` of `kind` out of a backup. */
export function isExcluded(kind: EntityKind, entity: Entity, exclusion: Exclusion): boolean {
  return exclusion.kinds.includes(kind) || isScopedToExcluded(kind, entity, exclusion);
}

/**
 * A sink that passes a dump on without what the exclusion leaves out: excluded kinds are reported as
 * skipped (they never reach the inner sink) and scoped entities are dropped page by page.
 */
export function excludingSink<S extends SnapshotSink>(inner: S, exclusion: Exclusion): SnapshotSink {
  const out = new Set(exclusion.kinds);
  const scoped = new Set(exclusion.scoped);
  return {
    begin(kinds) {
      inner.begin?.(kinds.filter((k) => !out.has(k)));
    },
    add(kind, entities) {
      if (out.has(kind)) return;
      inner.add(
        kind,
        scoped.has(kind) ? entities.filter((e) => !isScopedToExcluded(kind, e, exclusion)) : entities,
      );
    },
    close(kind) {
      if (out.has(kind)) return 0;
      return inner.close(kind);
    },
    skip(kind) {
      if (!out.has(kind)) inner.skip?.(kind);
    },
  };
}

/** A dump's metadata as the backup records it: the exclusion said, no count for a kind left out. */
export function withExclusion(meta: SnapshotMeta, exclusion: Exclusion): SnapshotMeta {
  const out = new Set<string>(exclusion.kinds);
  const counts = Object.fromEntries(Object.entries(meta.counts).filter(([k]) => !out.has(k)));
  return { ...meta, counts, excluded: exclusion };
}

/**
 * The target a restore plans towards when its backup left things out: the backup's entities plus the
 * live gateway's entities of the excluded kinds and its entities scoped to them, so none of those is
 * deleted or changed. A backup without an exclusion is returned as it is.
 */
export function keepExcluded(target: Snapshot, live: Snapshot): Snapshot {
  const exclusion = target.meta.excluded;
  if (!exclusion) return target;
  const entities: Snapshot['entities'] = { ...target.entities };
  for (const kind of exclusion.kinds) {
    const liveMap = live.entities[kind];
    if (liveMap) entities[kind] = { ...liveMap };
  }
  for (const kind of exclusion.scoped) {
    const liveMap = live.entities[kind];
    if (!liveMap) continue;
    let merged: EntityMap | undefined;
    for (const [id, e] of Object.entries(liveMap)) {
      if (!isScopedToExcluded(kind, e, exclusion)) continue;
      merged ??= { ...(entities[kind] ?? {}) };
      merged[id] = e;
    }
    if (merged) entities[kind] = merged;
  }
  return { meta: target.meta, entities };
}
