/**
 * Snapshot: the canonical backup content. Flat: for each kind, entities keyed by Kong id, exactly as the
 * Admin API returns them minus `created_at`/`updated_at`. Ids are always kept: plugin configs hold raw
 * UUIDs of other entities, so ids must survive a restore.
 */
import { z } from 'zod';
import { ALL_KINDS, ENTITY_KINDS, type Entity, type EntityKind } from './catalogue/index.ts';
import { EXCLUDABLE_SECTIONS, type Exclusion } from './profile.ts';

export const SNAPSHOT_FORMAT = 1;

export type DatabaseMode = 'postgres' | 'off' | 'unknown';
/** Kong's editions; `managed` for a gateway sold as one cloud service (AWS API Gateway). */
export type Edition = 'community' | 'enterprise' | 'managed';

export interface SnapshotMeta {
  format: number;
  /** the gateway type whose catalogue the entities follow; absent for Kong (every older snapshot) */
  gateway?: string;
  kongVersion: string;
  edition: Edition;
  database: DatabaseMode;
  workspace: string | null;
  /** ISO-8601, supplied by the caller (core has no clock). */
  takenAt: string;
  counts: Partial<Record<EntityKind, number>>;
  /** what the connection's backup profile left out (`exclude:`); absent when nothing was */
  excluded?: Exclusion;
  /**
   * Kong Enterprise, a connection with `workspaces`: every workspace the backup holds, by name, as the
   * workspace entity Kong returned (minus timestamps); each entity then carries its workspace in
   * `_workspace` (src/core/workspace.ts). Absent: one workspace, `workspace` (every older snapshot).
   */
  workspaces?: Record<string, Entity>;
}

export type EntityMap = Record<string, Entity>;

export interface Snapshot {
  meta: SnapshotMeta;
  entities: Partial<Record<EntityKind, EntityMap>>;
}

/**
 * Where a dump delivers entities: each kind page by page, in the order the gateway listed them, then
 * `close` once the kind is complete. Rows come as the Admin API returned them, server-managed fields
 * included: the sink strips them (`stripServerFields`, or see `serverFieldsOf`) and owns the rows, so it
 * may change them. A later entity with an id already seen replaces the earlier one, as in an EntityMap;
 * `close` returns the number of distinct ids. A kind that is never closed (the gateway does not offer
 * it, or the dump failed) is not part of the result.
 */
export interface SnapshotSink {
  /** Before anything else: every kind the dump will either close or skip. */
  begin?(kinds: readonly EntityKind[]): void;
  add(kind: EntityKind, entities: readonly Entity[]): void;
  close(kind: EntityKind): number;
  /** The kind will not be closed (the gateway does not offer it). */
  skip?(kind: EntityKind): void;
}

const entitySchema = z.looseObject({ id: z.string().min(1) });

export const snapshotMetaSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  gateway: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,63}$/)
    .optional(),
  kongVersion: z.string(),
  edition: z.enum(['community', 'enterprise', 'managed']),
  database: z.enum(['postgres', 'off', 'unknown']),
  workspace: z.string().nullable(),
  takenAt: z.string(),
  counts: z.partialRecord(z.enum(ALL_KINDS as [EntityKind, ...EntityKind[]]), z.number().int().nonnegative()),
  excluded: z
    .object({
      sections: z.array(z.enum(EXCLUDABLE_SECTIONS)),
      kinds: z.array(z.enum(ENTITY_KINDS)),
      scoped: z.array(z.enum(ENTITY_KINDS)),
    })
    .optional(),
  workspaces: z.record(z.string(), entitySchema).optional(),
});

export const snapshotSchema = z.object({
  meta: snapshotMetaSchema,
  entities: z.partialRecord(
    z.enum(ALL_KINDS as [EntityKind, ...EntityKind[]]),
    z.record(z.string(), entitySchema),
  ),
});

/** Fields the server manages; never part of a snapshot. */
export const SERVER_MANAGED_FIELDS = ['created_at', 'updated_at'] as const;
