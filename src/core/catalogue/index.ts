/**
 * The catalogues, one per gateway type, as data (`Catalogue`): Kong's (the default: one row per kind, each
 * described in `kinds/<kind>.ts`) and AWS API Gateway's (`aws-apigateway/`). `CATALOGUE` looks up any kind's
 * definition: kind names are unique across gateway types. A snapshot names its gateway type in
 * `meta.gateway` (absent: Kong), and the planner walks that type's catalogue (`catalogueOf`).
 *
 * Kong's dependency levels:
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

import { scopedOnlyEntry } from '../workspace.ts';
import { AWS_CATALOGUE_DEFS } from './aws-apigateway/kinds.ts';
import { AWS_KINDS, AWS_SECTIONS } from './aws-apigateway/names.ts';
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
import {
  ENTITY_KINDS,
  type EntityKind,
  type KindDef,
  type KongKind,
  type Level,
  SECTIONS,
  type Section,
} from './types.ts';

export { awsKeys, NO_BASE_PATH, parseResourceKey } from './aws-apigateway/keys.ts';
export { AWS_KINDS, AWS_SECTIONS, type AwsKind, type AwsSection } from './aws-apigateway/names.ts';
export { memberId } from './kinds/consumer-groups.ts';
export * from './types.ts';

const KONG_DEFS: Readonly<Record<KongKind, KindDef>> = {
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
};

/** Every kind's definition, whatever its gateway type. */
export const CATALOGUE: Readonly<Record<EntityKind, KindDef>> = Object.freeze({
  ...KONG_DEFS,
  ...AWS_CATALOGUE_DEFS,
});

/** Every kind of every gateway type, Kong's first. */
export const ALL_KINDS: readonly EntityKind[] = [...ENTITY_KINDS, ...AWS_KINDS];
/** Every section of every gateway type, Kong's first. */
export const ALL_SECTIONS: readonly Section[] = [...SECTIONS, ...AWS_SECTIONS];

/** One gateway type's entity model, as data: its kinds, their create order and the sections users name. */
export interface Catalogue {
  /** the connection `type` it serves (`kong`, `aws-apigateway`) */
  readonly gateway: string;
  /** the gateway's name as its users say it (`Kong`, `AWS API Gateway`) */
  readonly title: string;
  /** in catalogue order */
  readonly kinds: readonly EntityKind[];
  /** in create order: by level, then catalogue order */
  readonly topDown: readonly EntityKind[];
  readonly sections: readonly Section[];
}

function catalogue(
  gateway: string,
  title: string,
  kinds: readonly EntityKind[],
  sections: readonly Section[],
): Catalogue {
  const topDown = [...kinds].sort(
    (a, b) => CATALOGUE[a].level - CATALOGUE[b].level || kinds.indexOf(a) - kinds.indexOf(b),
  );
  return Object.freeze({ gateway, title, kinds, topDown, sections });
}

export const KONG_CATALOGUE: Catalogue = catalogue('kong', 'Kong', ENTITY_KINDS, SECTIONS);
export const AWS_APIGATEWAY_CATALOGUE: Catalogue = catalogue(
  'aws-apigateway',
  'AWS API Gateway',
  AWS_KINDS,
  AWS_SECTIONS,
);

/** The catalogues by gateway type; a gateway type without one of its own is described by Kong's. */
export const CATALOGUES: Readonly<Record<string, Catalogue>> = Object.freeze({
  kong: KONG_CATALOGUE,
  'aws-apigateway': AWS_APIGATEWAY_CATALOGUE,
});

/** The catalogue of a gateway type (Kong's when absent, as in every snapshot written before types existed). */
export function catalogueFor(gateway: string | null | undefined): Catalogue {
  return (gateway ? CATALOGUES[gateway] : undefined) ?? KONG_CATALOGUE;
}

/** The catalogue a snapshot's entities belong to, from its metadata. */
export function catalogueOf(meta: { gateway?: string | null } | null | undefined): Catalogue {
  return catalogueFor(meta?.gateway);
}

/**
 * The catalogue whose kinds a backup's counts name (kind names are unique across types, so its first known
 * kind says); Kong's when none is known (an empty gateway, a record written before there were types).
 */
export function catalogueOfCounts(counts: Readonly<Record<string, number>> | null | undefined): Catalogue {
  for (const kind of Object.keys(counts ?? {})) {
    const found = catalogueOfKind(kind);
    if (found) return found;
  }
  return KONG_CATALOGUE;
}

/** The catalogue a kind belongs to (kind names are unique across gateway types); undefined if none. */
export function catalogueOfKind(kind: string): Catalogue | undefined {
  return Object.values(CATALOGUES).find((c) => (c.kinds as readonly string[]).includes(kind));
}

/** The product that answers writes of `kind`, as operators name it (`Kong`, `AWS API Gateway`). */
export function productOfKind(kind: string): string {
  return (catalogueOfKind(kind) ?? KONG_CATALOGUE).title;
}

export function kindDef(kind: EntityKind): KindDef {
  return CATALOGUE[kind];
}

/** A kind of any gateway type. */
export function isEntityKind(value: string): value is EntityKind {
  return Object.hasOwn(CATALOGUE, value);
}

export function isKongKind(value: string): value is KongKind {
  return (ENTITY_KINDS as readonly string[]).includes(value);
}

/**
 * Why `names` cannot be `--only` on a connection of `gateway`'s type, in words; null when they can. A Kong
 * connection also takes `<workspace>/<section>` and `<workspace>/*` (workspaces are Kong's).
 */
export function sectionsRefusal(
  names: readonly string[] | undefined,
  gateway: string | null | undefined,
): string | null {
  if (!names || names.length === 0) return null;
  const catalogue = catalogueFor(gateway);
  const isOwn = (s: string) => (catalogue.sections as readonly string[]).includes(s);
  const kong = catalogue === KONG_CATALOGUE;
  const unknown = names.filter((n) => !isOwn(n) && !(kong && scopedOnlyEntry(n, isOwn) !== null));
  if (unknown.length === 0) return null;
  const scoped = kong ? ' (for a connection with several workspaces also workspace/section)' : '';
  return `unknown section ${[...new Set(unknown)].join(', ')} for a ${catalogue.title} connection; sections are: ${catalogue.sections.join(', ')}${scoped}`;
}

/** A section of `catalogue` (Kong's by default). */
export function isSection(value: string, catalogue: Catalogue = KONG_CATALOGUE): value is Section {
  return (catalogue.sections as readonly string[]).includes(value);
}

/** Kong's kinds in create order: by level, then in ENTITY_KINDS order (deterministic). */
export const KINDS_TOP_DOWN: readonly EntityKind[] = KONG_CATALOGUE.topDown;

/** Kong's levels. */
export const LEVELS: readonly Level[] = [1, 2, 3, 4];

export function kindsAtLevel(level: Level): EntityKind[] {
  return KINDS_TOP_DOWN.filter((k) => CATALOGUE[k].level === level);
}

export function kindsOfSection(section: Section): EntityKind[] {
  return ALL_KINDS.filter((k) => CATALOGUE[k].section === section);
}

/** Every (child kind, foreign key) pair that points at `parent`: who must go before `parent` is deleted. */
export function referencesTo(parent: EntityKind): { kind: EntityKind; fk: KindDef['foreignKeys'][number] }[] {
  const out: { kind: EntityKind; fk: KindDef['foreignKeys'][number] }[] = [];
  for (const kind of ALL_KINDS) {
    for (const fk of CATALOGUE[kind].foreignKeys) if (fk.references === parent) out.push({ kind, fk });
  }
  return out;
}
