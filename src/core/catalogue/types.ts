/**
 * The shape every entity kind is described with, whatever its gateway type. Each gateway type has its own
 * catalogue (a `Catalogue`: its kinds, sections and dependency levels, as data; `index.ts` registers them
 * by connection type, Kong's being the default): Kong's kinds are one file each in `kinds/`, with facts
 * from Kong's schema files (`kong/db/schema/entities/*.lua`, `kong/plugins/<plugin>/daos.lua`) and decK's
 * engine; AWS API Gateway's are in `aws-apigateway/`. Kind and section names are unique across gateway
 * types, so one kind names one definition wherever it appears (a Change, a plan step, an artifact).
 */

import type { AwsKind, AwsSection } from './aws-apigateway/names.ts';

/** Kong's kinds, in catalogue order (`ENTITY_KINDS` is the same list under its older name). */
export const KONG_KINDS = [
  'certificates',
  'ca_certificates',
  'consumers',
  'vaults',
  'key_sets',
  'services',
  'upstreams',
  'snis',
  'keys',
  'consumer_groups',
  'keyauth_credentials',
  'basicauth_credentials',
  'jwt_secrets',
  'hmacauth_credentials',
  'acls',
  'oauth2_credentials',
  'mtls_auth_credentials',
  'routes',
  'targets',
  'consumer_group_members',
  'plugins',
  'filter_chains',
] as const;
export type KongKind = (typeof KONG_KINDS)[number];
/** Kong's kinds: what every Kong-only path (dump, Admin API paths, decK files) walks. */
export const ENTITY_KINDS: readonly EntityKind[] = KONG_KINDS;

/** Every kind of every gateway type. */
export type EntityKind = KongKind | AwsKind;

/** Sections are what a user names in `--only`: one or more kinds restored together. Kong's: */
export const SECTIONS = [
  'services',
  'routes',
  'plugins',
  'consumers',
  'credentials',
  'consumer_groups',
  'upstreams',
  'targets',
  'certificates',
  'snis',
  'ca_certificates',
  'vaults',
  'keys',
  'key_sets',
  'filter_chains',
] as const;
export type KongSection = (typeof SECTIONS)[number];
export type Section = KongSection | AwsSection;

/** Dependency level: create/update walk up from 1 (Kong: 1→4), delete walks down. */
export type Level = number;

/** Kong's behaviour when the referenced parent is deleted. */
export type OnDelete = 'restrict' | 'cascade';

export interface ForeignKey {
  /** field on this entity, holding `{ id }` (or a bare id for `array` refs). */
  field: string;
  references: EntityKind;
  onDelete: OnDelete;
  required: boolean;
  /** true when the field is an array of raw ids (services.ca_certificates), not a `{ id }` object. */
  array?: boolean;
}

/** The parent an entity lives under (credentials, targets, members, SNIs). */
export interface NestedPath {
  /** the foreign-key field naming the parent, e.g. `consumer`. */
  parentField: string;
  parentKind: KongKind;
}

export type Entity = Record<string, unknown> & { id: string };

export interface KindDef {
  kind: EntityKind;
  section: Section;
  level: Level;
  /** The parent that owns this kind (credentials → consumer, targets → upstream); where the gateway keeps
   * it (an Admin API path) is the gateway implementation's business (src/kong/admin-paths.ts). */
  nested?: NestedPath;
  /** Fields identifying the entity when ids are absent (decK files); also a unique constraint. */
  naturalKey: readonly string[];
  /** Unique constraints, each a list of fields (FK fields compare by referenced id). */
  unique: readonly (readonly string[])[];
  foreignKeys: readonly ForeignKey[];
  /** Dotted paths holding secrets: masked by `redact`. */
  secretFields: readonly string[];
  /**
   * Fields Kong stores hashed: they cannot round-trip and are never compared. `when` limits the rule
   * to entities where a flag is set (oauth2 `client_secret` only with `hash_secret: true`).
   */
  hashedFields: readonly { field: string; when?: string }[];
  /** Array fields that are sets in Kong: order is not meaningful, so they are sorted before comparing. */
  setFields: readonly string[];
  /** Schema defaults Kong fills on write (used to complete entities read from hand-written files). */
  defaults: Readonly<Record<string, unknown>>;
  /** Fields Kong returns on read that are not part of the entity's own configuration. */
  readOnlyFields: readonly string[];
  /**
   * Fields Kong generates when a write omits them (`auto = true` in the plugin's daos.lua: key-auth `key`,
   * jwt `key`/`secret`, oauth2 `client_id`/`client_secret`). A target without the field leaves whatever
   * Kong generated, so the field is compared only when the target entity has it.
   */
  autoFields?: readonly string[];
  /**
   * Write options Kong takes in the body but keeps outside the entity, reading back a derived value
   * (key-auth `ttl`: seconds left; kong/api/endpoints.lua extract_options). Kept in snapshots and sent on
   * writes, never compared.
   */
  writeOptionFields?: readonly string[];
  /**
   * Fields the gateway assigns on create and the target cannot choose (an AWS resource's `awsId`): kept in
   * snapshots so a restore can map old to new, never compared, never written.
   */
  assignedFields?: readonly string[];
  /** Enterprise-only kinds are skipped cleanly on OSS gateways. */
  enterprise: boolean;
  /** Key of this kind in decK files (top level or nested under its parent); '' for kinds decK has not. */
  deckKey: string;
  /** The entity's own short label for messages (`orders`, `api.example.com:8000`); falls back to the id. */
  label(entity: Entity): string;
}
