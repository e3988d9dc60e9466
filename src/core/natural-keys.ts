/**
 * Natural-key matching: the step between "target snapshot" and "diff" that gives every entity a file
 * declared WITHOUT an id the id of the live entity it names, as decK does (go-database-reconciler
 * pkg/file/builder.go: `if utils.Empty(x.ID) { current := b.currentState.X.Get(<key>); x.ID = current.ID }`,
 * keys indexed in pkg/state/*.go). Without it a file written by hand (or by `deck gateway dump`, which
 * drops ids) deletes and re-creates every entity of a gateway it was not applied to by snapgate.
 *
 * The keys are the catalogue's `naturalKey`s (services, routes, upstreams, consumer groups, key sets, keys,
 * SNIs: name; vaults: prefix; consumers: username, else custom_id; certificates: cert + key; CA certificates:
 * the certificate's SHA-256 digest, Kong's unique `cert_digest`; plugins: name + service + route + consumer +
 * consumer group; targets: target within upstream; key-auth / jwt: key; basic-auth / hmac-auth: username;
 * oauth2: client_id; ACLs: group within consumer). Foreign keys in a key compare by the parent's id AFTER
 * the parent was matched, so kinds are walked top-down and every reference to a matched entity (children's
 * foreign keys, plugin scopes) follows it to the live id.
 *
 * Rules: an entity the file gave an id keeps it (a backup's ids must survive a restore); an id-less entity
 * whose derived id is already live keeps it (snapgate created it); a key matching more than one live
 * entity, or a live entity already claimed (by another file entity or by an explicit id in the file),
 * is no match, and the entity keeps its derived id. A second pass (services, routes, upstreams; not under
 * `--no-deletes`) pairs what is left by content: the one live entity equal in all but its key fields is
 * the same entity renamed (or an unnamed route), so the diff shows one update, not a delete and a create.
 * Linear: each live kind is indexed once (by key, and by content form for the second pass).
 */
import { X509Certificate } from 'node:crypto';
import { canonicalJson } from './canonical.ts';
import {
  CATALOGUE,
  type Entity,
  type EntityKind,
  KINDS_TOP_DOWN,
  type KindDef,
  memberId,
} from './catalogue/index.ts';
import { normalizeEntity, normalizeTarget } from './normalize.ts';
import type { EntityMap, Snapshot } from './snapshot.ts';

/** Per kind, the ids a file did not carry (snapgate derived them): the only ones matching may replace. */
export type UnkeyedIds = Partial<Record<EntityKind, ReadonlySet<string>>>;

export interface NaturalKeyMatch {
  /** the target with matched entities (and every reference to them) on live ids. */
  target: Snapshot;
  /** how many id-less entities were matched to a live entity, per kind. */
  matched: Partial<Record<EntityKind, number>>;
}

export interface MatchOptions {
  /** the natural-key definitions (default: Kong's catalogue). */
  catalogue?: Readonly<Record<EntityKind, KindDef>>;
  /**
   * Second pass for id-less entities no key matched (default true): one unclaimed live entity equal in
   * everything but its own key fields (a route renamed live, an unnamed route) is the same entity, so the
   * diff shows the one changed field instead of a delete and a create. Off under `--no-deletes`, where
   * turning a live entity into the file's would remove the live one.
   */
  byContent?: boolean;
}

/**
 * Kinds whose content identifies them well enough to match without the key (a service's upstream URL, a
 * route's paths and hosts): a consumer or a credential without its key is little more than its tags.
 */
const CONTENT_KINDS: ReadonlySet<EntityKind> = new Set(['services', 'routes', 'upstreams']);

export function matchNaturalKeys(
  target: Snapshot,
  live: Snapshot,
  unkeyed: UnkeyedIds,
  opts: MatchOptions = {},
): NaturalKeyMatch {
  const catalogue = opts.catalogue ?? CATALOGUE;
  /** old id → live id, per kind: what references to that kind are rewritten with. */
  const moved = new Map<EntityKind, Map<string, string>>();
  const entities: Snapshot['entities'] = { ...target.entities };
  const matched: NaturalKeyMatch['matched'] = {};

  for (const kind of KINDS_TOP_DOWN) {
    const map = target.entities[kind];
    if (!map) continue;
    const def = catalogue[kind];
    const movedParents = def.foreignKeys.filter((fk) => moved.has(fk.references));
    const candidates = unkeyed[kind];
    const liveMap = live.entities[kind] ?? {};
    const needsMatching = candidates !== undefined && candidates.size > 0;
    if (movedParents.length === 0 && !needsMatching) continue;

    const index = needsMatching ? indexByKey(def, liveMap) : undefined;
    // a live id the file names explicitly belongs to that entry: never hand it to another one
    const claimed = new Set<string>();
    for (const id of Object.keys(map)) if (!candidates?.has(id) && liveMap[id]) claimed.add(id);
    const kindMoves = new Map<string, string>();
    const out: EntityMap = {};

    const ids = new Map<string, string>(); // file id → final id
    const followed = new Map<string, Entity>();
    const unmatched: string[] = [];
    for (const [id, original] of Object.entries(map)) {
      const entity = movedParents.length > 0 ? followParents(original, movedParents, moved) : original;
      followed.set(id, entity);
      let newId = id;
      if (kind === 'consumer_group_members' && entity !== original) {
        newId = memberId(refId(entity.consumer_group), refId(entity.consumer));
      } else if (index && candidates?.has(id) && !liveMap[id]) {
        const liveId = lookUp(def, entity, index);
        if (liveId !== undefined && !claimed.has(liveId) && !map[liveId]) {
          claimed.add(liveId);
          newId = liveId;
          matched[kind] = (matched[kind] ?? 0) + 1;
        } else unmatched.push(id);
      }
      ids.set(id, newId);
    }
    if (opts.byContent !== false && CONTENT_KINDS.has(kind) && unmatched.length > 0) {
      for (const [id, liveId] of matchByContent(def, unmatched, followed, liveMap, map, claimed)) {
        ids.set(id, liveId);
        matched[kind] = (matched[kind] ?? 0) + 1;
      }
    }
    for (const [id, entity] of followed) {
      const newId = ids.get(id) ?? id;
      if (newId !== id) kindMoves.set(id, newId);
      out[newId] = newId === entity.id ? entity : { ...entity, id: newId };
    }
    entities[kind] = out;
    if (kindMoves.size > 0) moved.set(kind, kindMoves);
  }
  return { target: { meta: target.meta, entities }, matched };
}

function refId(ref: unknown): string {
  return ref && typeof ref === 'object' ? String((ref as { id?: unknown }).id ?? '') : '';
}

/** A copy of `e` whose foreign keys name the parents' new ids (the entity itself when none moved). */
function followParents(
  e: Entity,
  fks: KindDef['foreignKeys'],
  moved: ReadonlyMap<EntityKind, ReadonlyMap<string, string>>,
): Entity {
  let copy: Entity | undefined;
  for (const fk of fks) {
    const ids = moved.get(fk.references);
    const value = e[fk.field];
    if (!ids || value === null || value === undefined) continue;
    if (fk.array) {
      if (!Array.isArray(value) || !value.some((v) => ids.has(String(v)))) continue;
      copy ??= { ...e };
      copy[fk.field] = value.map((v) => ids.get(String(v)) ?? v);
    } else {
      const to = ids.get(refId(value));
      if (to === undefined) continue;
      copy ??= { ...e };
      copy[fk.field] = { ...(value as object), id: to };
    }
  }
  return copy ?? e;
}

/** key → live id, or null when two live entities share the key (ambiguous: never matched). */
type KeyIndex = Map<string, string | null>;

function indexByKey(def: KindDef, liveMap: EntityMap): KeyIndex {
  const index: KeyIndex = new Map();
  for (const [id, e] of Object.entries(liveMap)) {
    for (const key of keysOf(def, e)) index.set(key, index.has(key) ? null : id);
  }
  return index;
}

function lookUp(def: KindDef, e: Entity, index: KeyIndex): string | undefined {
  // consumers: username first, then custom_id (pkg/file/builder.go ingestConsumer, deck#707)
  for (const key of keysOf(def, e)) {
    const hit = index.get(key);
    if (hit) return hit;
  }
  return undefined;
}

/**
 * The keys an entity can be found by. Empty when its own key fields are unset (an unnamed route: decK
 * gives it a new id every run; snapgate's derived id still makes a second apply a no-op).
 */
export function keysOf(def: KindDef, e: Entity): string[] {
  if (def.kind === 'consumers') {
    const keys: string[] = [];
    if (isKeyValue(e.username)) keys.push(`username\u0000${e.username}`);
    if (isKeyValue(e.custom_id)) keys.push(`custom_id\u0000${e.custom_id}`);
    return keys;
  }
  if (def.kind === 'mtls_auth_credentials') return []; // no unique field but the id (decK requires one)
  const fks = new Set(def.foreignKeys.map((fk) => fk.field));
  const parts: string[] = [];
  for (const field of def.naturalKey) {
    const value = e[field];
    if (fks.has(field)) parts.push(refId(value));
    else if (isKeyValue(value)) parts.push(keyValue(def.kind, field, value));
    else return [];
  }
  return [parts.join('\u0000')];
}

function isKeyValue(v: unknown): v is string | number {
  return (typeof v === 'string' && v !== '') || typeof v === 'number';
}

function keyValue(kind: EntityKind, field: string, value: string | number): string {
  if (kind === 'targets' && field === 'target') return normalizeTarget(String(value));
  if (kind === 'ca_certificates' && field === 'cert') return certDigest(String(value));
  return String(value);
}

/**
 * Kong's `cert_digest` (kong/db/schema/entities/ca_certificates.lua: `openssl_x509.new(cert):digest("sha256")`,
 * hex): the SHA-256 of the certificate's DER, so two PEM spellings of one certificate are one CA certificate.
 * Text that does not parse as a certificate is compared as written.
 */
function certDigest(pem: string): string {
  try {
    return `sha256:${new X509Certificate(pem).fingerprint256.replaceAll(':', '').toLowerCase()}`;
  } catch {
    return `text:${pem}`;
  }
}

/**
 * Pairs of (file id, live id) whose comparison forms are equal once the id, the kind's own key fields and
 * the fields Kong generates are left out, and whose form occurs exactly once on each side (anything
 * ambiguous stays unmatched). Live entities already claimed or named by the file take no part.
 */
function matchByContent(
  def: KindDef,
  unmatched: readonly string[],
  followed: ReadonlyMap<string, Entity>,
  liveMap: EntityMap,
  map: EntityMap,
  claimed: Set<string>,
): [string, string][] {
  const fileForms = new Map<string, string | null>();
  for (const id of unmatched) {
    const form = contentForm(def, followed.get(id) as Entity);
    fileForms.set(form, fileForms.has(form) ? null : id);
  }
  const liveForms = new Map<string, string | null>();
  for (const [id, e] of Object.entries(liveMap)) {
    if (claimed.has(id) || map[id]) continue;
    const form = contentForm(def, e);
    if (fileForms.has(form)) liveForms.set(form, liveForms.has(form) ? null : id);
  }
  const pairs: [string, string][] = [];
  for (const [form, liveId] of liveForms) {
    const fileId = fileForms.get(form);
    if (!liveId || !fileId) continue;
    claimed.add(liveId);
    pairs.push([fileId, liveId]);
  }
  return pairs;
}

function contentForm(def: KindDef, e: Entity): string {
  const n: Record<string, unknown> = { ...normalizeEntity(def.kind, e) };
  delete n.id;
  const fks = new Set(def.foreignKeys.map((fk) => fk.field));
  for (const field of def.naturalKey) if (!fks.has(field)) delete n[field];
  for (const field of def.autoFields ?? []) delete n[field];
  for (const field of def.writeOptionFields ?? []) delete n[field];
  return canonicalJson(n);
}
