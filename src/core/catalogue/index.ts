/**
 * The registry of Kong entity kinds: one row per kind, each described in `kinds/<kind>.ts`.
 *
 * Dependency levels (decK's order, go-database-reconciler pkg/diff/order.go), created/updated top-down
 * so a parent exists before its children point at it, deleted bottom-up so no child is left dangling:
 *
 *   L1  certificates  ca_certificates  consumers  vaults  key_sets
 *        │               │               │
 *   L2  services upstreams snis keys consumer_groups credentials(keyauth basicauth jwt hmac acl oauth2 mtls)
 *        │          │                       │
 *   L3  routes    targets            consumer_group_members
 *        │
 *   L4  plugins  filter_chains
 */
import { caCertificates } from './kinds/ca-certificates.ts';
import { certificates } from './kinds/certificates.ts';
import { consumerGroupMembers, consumerGroups } from './kinds/consumer-groups.ts';
import { consumers } from './kinds/consumers.ts';
import {
  acls,
  basicauthCredentials,
  hmacauthCredentials,
  jwtSecrets,
  keyauthCredentials,
  mtlsAuthCredentials,
  oauth2Credentials,
} from './kinds/credentials.ts';
import { filterChains } from './kinds/filter-chains.ts';
import { keySets } from './kinds/key-sets.ts';
import { keys } from './kinds/keys.ts';
import { plugins } from './kinds/plugins.ts';
import { routes } from './kinds/routes.ts';
import { services } from './kinds/services.ts';
import { snis } from './kinds/snis.ts';
import { targets } from './kinds/targets.ts';
import { upstreams } from './kinds/upstreams.ts';
import { vaults } from './kinds/vaults.ts';
import { ENTITY_KINDS, type EntityKind, type KindDef, type Level, SECTIONS, type Section } from './types.ts';

export { memberId } from './kinds/consumer-groups.ts';
export * from './types.ts';

export const CATALOGUE: Readonly<Record<EntityKind, KindDef>> = Object.freeze({
  certificates,
  ca_certificates: caCertificates,
  consumers,
  vaults,
  key_sets: keySets,
  services,
  upstreams,
  snis,
  keys,
  consumer_groups: consumerGroups,
  keyauth_credentials: keyauthCredentials,
  basicauth_credentials: basicauthCredentials,
  jwt_secrets: jwtSecrets,
  hmacauth_credentials: hmacauthCredentials,
  acls,
  oauth2_credentials: oauth2Credentials,
  mtls_auth_credentials: mtlsAuthCredentials,
  routes,
  targets,
  consumer_group_members: consumerGroupMembers,
  plugins,
  filter_chains: filterChains,
});

export function kindDef(kind: EntityKind): KindDef {
  return CATALOGUE[kind];
}

export function isEntityKind(value: string): value is EntityKind {
  return (ENTITY_KINDS as readonly string[]).includes(value);
}

export function isSection(value: string): value is Section {
  return (SECTIONS as readonly string[]).includes(value);
}

/** Kinds in create order: by level, then in ENTITY_KINDS order (deterministic). */
export const KINDS_TOP_DOWN: readonly EntityKind[] = [...ENTITY_KINDS].sort(
  (a, b) => CATALOGUE[a].level - CATALOGUE[b].level || ENTITY_KINDS.indexOf(a) - ENTITY_KINDS.indexOf(b),
);

export const LEVELS: readonly Level[] = [1, 2, 3, 4];

export function kindsAtLevel(level: Level): EntityKind[] {
  return KINDS_TOP_DOWN.filter((k) => CATALOGUE[k].level === level);
}

export function kindsOfSection(section: Section): EntityKind[] {
  return ENTITY_KINDS.filter((k) => CATALOGUE[k].section === section);
}

/** Every (child kind, foreign key) pair that points at `parent`: who must go before `parent` is deleted. */
export function referencesTo(parent: EntityKind): { kind: EntityKind; fk: KindDef['foreignKeys'][number] }[] {
  const out: { kind: EntityKind; fk: KindDef['foreignKeys'][number] }[] = [];
  for (const kind of ENTITY_KINDS) {
    for (const fk of CATALOGUE[kind].foreignKeys) if (fk.references === parent) out.push({ kind, fk });
  }
  return out;
}
