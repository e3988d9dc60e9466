/**
 * fromDeckFile: a decK 3.0 file (YAML or JSON, nested as decK writes it, with or without ids) or Kong's
 * own flat declarative format (what `GET /config` returns on a DB-less gateway) → Snapshot.
 * Pure: no clock, so `meta.takenAt` comes from the caller.
 */
import { ENTITY_KINDS, type EntityKind } from '../catalogue/index.ts';
import type { UnkeyedIds } from '../natural-keys.ts';
import { SNAPSHOT_FORMAT, type Snapshot, type SnapshotMeta } from '../snapshot.ts';
import { Collector } from './collect.ts';
import { type FileDefaults, isPlainObject } from './defaults.ts';
import type { DocPath } from './errors.ts';
import { resolveEntities } from './resolve.ts';
import { META_KEYS, TOP_LEVEL_KINDS, UNSUPPORTED_KEYS } from './shapes.ts';
import { type ParsedSource, parseSource } from './source.ts';

export interface FromDeckFileOptions {
  /** metadata for the snapshot; counts are always computed from the file. */
  meta?: Partial<Omit<SnapshotMeta, 'counts'>>;
}

/** A decK file read for a diff or apply: the snapshot, and which of its ids the file did not carry. */
export interface DeckImport {
  snapshot: Snapshot;
  unkeyed: UnkeyedIds;
  /**
   * The file's `_transform` (Kong's declarative flag, default true): false says its secrets are stored
   * values (hashes, as Kong exports them), true that they are plain text; absent, each value decides.
   */
  transform?: boolean;
}

export function fromDeckFile(text: string, opts: FromDeckFileOptions = {}): Snapshot {
  return importDeckFile(text, opts).snapshot;
}

export function importDeckFile(text: string, opts: FromDeckFileOptions = {}): DeckImport {
  const src = parseSource(text);
  const { data } = src;
  const collector = new Collector(src);
  for (const [key, value] of Object.entries(data)) {
    if (META_KEYS.includes(key)) continue;
    if (value === null) continue;
    const kind = TOP_LEVEL_KINDS[key];
    if (kind) collector.collectArray(kind, value, [key]);
    else if (UNSUPPORTED_KEYS.includes(key)) {
      src.fail(`"${key}" is not supported: snapgate backs up Kong OSS/Enterprise core entities only`, [key], {
        key: true,
      });
    } else src.fail(`unknown top-level key "${key}"`, [key], { key: true });
  }

  const info = readInfo(src);
  const { entities, unkeyed } = resolveEntities(collector.entities, src, {
    ...info,
    pluginConfigs: readPluginConfigs(src),
  });

  const counts: SnapshotMeta['counts'] = {};
  for (const kind of ENTITY_KINDS) {
    const n = Object.keys(entities[kind] ?? {}).length;
    if (n > 0) counts[kind] = n;
  }
  const workspace = typeof data._workspace === 'string' ? data._workspace : null;
  const meta: SnapshotMeta = {
    format: SNAPSHOT_FORMAT,
    kongVersion: 'unknown',
    edition: hasEnterpriseKinds(entities) ? 'enterprise' : 'community',
    database: 'unknown',
    workspace,
    takenAt: '1970-01-01T00:00:00.000Z',
    ...opts.meta,
    counts,
  };
  const transform = data._transform;
  if (transform !== undefined && transform !== null && typeof transform !== 'boolean') {
    src.fail('_transform must be true or false', ['_transform']);
  }
  return {
    snapshot: { meta, entities },
    unkeyed,
    ...(typeof transform === 'boolean' ? { transform } : {}),
  };
}

function hasEnterpriseKinds(entities: Partial<Record<EntityKind, unknown>>): boolean {
  return ['consumer_groups', 'consumer_group_members', 'mtls_auth_credentials'].some(
    (k) => entities[k as EntityKind] !== undefined,
  );
}

const INFO_KEYS = [
  'select_tags',
  'default_lookup_tags',
  'defaults',
  'consumer_group_policy_overrides',
  'skip_hash_for_basic_auth',
  'include_plugin_definitions',
];

/** decK's `_info.defaults` names kinds in the singular (pkg/file/types.go KongDefaults). */
const DEFAULT_KINDS: Record<string, keyof FileDefaults> = {
  service: 'services',
  route: 'routes',
  upstream: 'upstreams',
  target: 'targets',
};

function readInfo(src: ParsedSource): { selectTags: string[]; fileDefaults: FileDefaults } {
  const info = src.data._info;
  const out = { selectTags: [] as string[], fileDefaults: {} as FileDefaults };
  if (info === undefined || info === null) return out;
  const at: DocPath = ['_info'];
  if (!isPlainObject(info)) src.fail('_info must be a mapping', at);
  for (const key of Object.keys(info)) {
    if (!INFO_KEYS.includes(key)) src.fail(`unknown key "${key}" in _info`, [...at, key], { key: true });
  }
  if (info.select_tags !== undefined) {
    const tags = info.select_tags;
    if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string')) {
      src.fail('_info.select_tags must be a list of strings', [...at, 'select_tags']);
    }
    out.selectTags = tags;
  }
  if (info.defaults !== undefined && info.defaults !== null) {
    if (!isPlainObject(info.defaults)) src.fail('_info.defaults must be a mapping', [...at, 'defaults']);
    for (const [key, value] of Object.entries(info.defaults)) {
      const kind = DEFAULT_KINDS[key];
      if (!kind) src.fail(`unknown key "${key}" in _info.defaults`, [...at, 'defaults', key], { key: true });
      if (!isPlainObject(value))
        src.fail(`_info.defaults.${key} must be a mapping`, [...at, 'defaults', key]);
      out.fileDefaults[kind] = value;
    }
  }
  return out;
}

function readPluginConfigs(src: ParsedSource): Record<string, unknown> {
  const configs = src.data._plugin_configs;
  if (configs === undefined || configs === null) return {};
  if (!isPlainObject(configs)) src.fail('_plugin_configs must be a mapping', ['_plugin_configs']);
  return configs;
}
