import { randomUUID } from 'node:crypto';
import { applyWriteHooks, subschemaErrors } from './entity-hooks.ts';
import {
  CODES,
  foreignKeyMissing,
  foreignKeyRestricted,
  HttpError,
  kongError,
  luaPretty,
  operationUnsupported,
  primaryKeyViolation,
  schemaViolation,
  uniqueViolation,
} from './errors.ts';
import {
  fillPluginInsert,
  mergePluginConfig,
  pluginErrors,
  pluginFor,
  presentPluginConfig,
} from './plugin-writes.ts';
import { mergeErrors } from './schema/checks.ts';
import type { Entity, EntitySchema } from './schema/types.ts';
import type { Store } from './store.ts';
import { TtlIndex, takeTtl } from './ttl.ts';
import {
  type Clock,
  completeNew,
  completeUpdate,
  isObject,
  isUuid,
  normalize,
  validateEntity,
} from './validate.ts';

/**
 * The simulator's DAO: Kong's insert / upsert / update / delete semantics (kong/db/dao/init.lua) over
 * the in-memory store, with the certificate SNI handling of kong/db/dao/certificates.lua and the CA
 * certificate reference check of kong/db/dao/ca_certificates.lua.
 */

type Row = Record<string, unknown>;

export interface DaoOptions {
  dbless: boolean;
  clock: Clock;
}

export interface WriteOptions {
  /** forced FK values from a nested path (`/consumers/{c}/key-auth` sets `consumer`). */
  fixed?: Row;
  /** false when loading `/config` with `_transform: false`: stored values are kept as given. */
  transform?: boolean;
  /** skip DB-less refusal (used by the /config loader, which writes into a fresh store). */
  loading?: boolean;
}

type Mode = 'insert' | 'upsert' | 'update';

export class Dao {
  private readonly ttls: TtlIndex;
  /** set by the server for one Konnect request whose basic-auth body carried `skip_hash: true` */
  skipHash = false;

  constructor(
    public store: Store,
    private readonly opts: DaoOptions,
  ) {
    this.ttls = new TtlIndex(opts.clock);
  }

  schema(kind: string): EntitySchema {
    return this.store.table(kind).schema;
  }

  /** Select by id (a UUID) or by the endpoint key, as query_entity in kong/api/endpoints.lua. */
  select(kind: string, key: string): Entity | undefined {
    const table = this.store.table(kind);
    if (isUuid(key)) return table.rows.get(key);
    const ek = table.schema.endpointKey;
    if (!ek || !table.schema.fields[ek]?.unique) return undefined;
    return table.findUnique(ek, key);
  }

  /**
   * The entity as the Admin API shows it: certificates carry their SNI names (select_with_name_list),
   * ttl-enabled entities the seconds they have left (ttl.ts).
   */
  present(kind: string, e: Entity): Row {
    if (kind === 'certificates') return { ...e, snis: this.sniNames(e.id) };
    if (this.schema(kind).ttl) return { ...e, ttl: this.ttls.remaining(kind, e.id) };
    return e;
  }

  sniNames(certId: string): string[] {
    const snis = this.store.table('snis');
    return [...snis.children('certificate', certId)].map((id) => String(snis.rows.get(id)!.name)).sort();
  }

  insert(kind: string, input: Row, w: WriteOptions = {}): Row {
    const body = { ...input, ...w.fixed };
    const ttl = takeTtl(this.schema(kind), body);
    const early = this.fillSubschema(kind, body);
    const candidate = completeNew(this.schema(kind), body, this.opts.clock);
    if (this.store.get(kind, String(candidate.id)) && !w.loading) {
      this.refuseDbless(`cannot create '${kind}' entities when not using a database`, w);
      throw primaryKeyViolation(String(candidate.id));
    }
    return this.commit(
      kind,
      candidate,
      body,
      'insert',
      w,
      `cannot create '${kind}' entities when not using a database`,
      ttl,
      early,
    );
  }

  /** PUT: a full replace keyed by id (UUID) or endpoint key; creates when missing. */
  upsert(kind: string, key: string, input: Row, w: WriteOptions = {}): Row {
    const schema = this.schema(kind);
    const byId = isUuid(key);
    const existing = this.select(kind, key);
    const body: Row = { ...input, ...w.fixed };
    if (byId) body.id = key;
    else {
      body[schema.endpointKey!] = key;
      body.id = existing?.id ?? (isUuid(input.id) ? input.id : randomUUID());
    }
    const ttl = takeTtl(schema, body);
    const early = this.fillSubschema(kind, body);
    const candidate = completeNew(schema, body, this.opts.clock);
    if (existing && !('created_at' in input)) candidate.created_at = existing.created_at;
    const msg = byId
      ? `cannot create or update '${kind}' entities when not using a database`
      : `cannot create or update '${kind}' entities by '${schema.endpointKey}' when not using a database`;
    return this.commit(kind, candidate, body, 'upsert', w, msg, ttl, early);
  }

  /** PATCH: partial update; 404 (code 6) when the entity does not exist. */
  update(kind: string, key: string, input: Row, w: WriteOptions = {}): Row {
    const schema = this.schema(kind);
    const existing = this.select(kind, key);
    if (!existing) {
      if (isUuid(key)) {
        throw kongError(
          CODES.NOT_FOUND,
          `could not find the entity with primary key '${luaPretty({ id: key })}'`,
          {
            id: key,
          },
        );
      }
      const filter = { [schema.endpointKey ?? 'id']: key };
      throw kongError(CODES.NOT_FOUND, `could not find the entity with '${luaPretty(filter)}'`, filter);
    }
    const body: Row = { ...input, ...w.fixed };
    delete body.id;
    const ttl = takeTtl(schema, body);
    const plugin = kind === 'plugins' ? pluginFor(this.store.registry, { ...existing, ...body }) : undefined;
    const merged = plugin ? mergePluginConfig(plugin, existing, body) : undefined;
    const candidate = completeUpdate(schema, existing, body, this.opts.clock);
    if (merged?.config) candidate.config = merged.config;
    const msg = isUuid(key)
      ? `cannot update '${kind}' entities when not using a database`
      : `cannot update '${kind}' entities by '${schema.endpointKey}' when not using a database`;
    return this.commit(
      kind,
      candidate,
      body,
      'update',
      w,
      msg,
      ttl,
      merged?.errors && { config: merged.errors },
    );
  }

  /** DELETE: no-op when missing; restrict / cascade per foreign key; CA certificates in use → code 19. */
  delete(kind: string, key: string): void {
    const existing = this.select(kind, key);
    if (!existing) return;
    if (this.opts.dbless) {
      const schema = this.schema(kind);
      throw operationUnsupported(
        isUuid(key)
          ? `cannot remove '${kind}' entities when not using a database`
          : `cannot remove '${kind}' entities by '${schema.endpointKey}' when not using a database`,
      );
    }
    if (kind === 'ca_certificates') {
      const ref = this.store.caReference(existing.id);
      if (ref) {
        throw kongError(
          CODES.REFERENCED_BY_OTHERS,
          `ca certificate ${existing.id} is still referenced by ${ref[0]} (id = ${ref[1]})`,
        );
      }
    }
    this.checkRestricted(kind, existing.id);
    this.cascadeDelete(kind, existing.id);
  }

  /** Schema validation of a would-be insert, writing nothing (`POST /schemas/{entity}/validate`). */
  validateOnly(kind: string, input: Row): Row | undefined {
    const body = { ...input };
    takeTtl(this.schema(kind), body);
    const early = this.fillSubschema(kind, body);
    return this.errorsOf(kind, completeNew(this.schema(kind), body, this.opts.clock), body, early);
  }

  private errorsOf(kind: string, candidate: Row, input: Row, early?: Row): Row | undefined {
    const plugin = kind === 'plugins' ? pluginFor(this.store.registry, candidate) : undefined;
    const allowed = kind === 'certificates' ? ['snis'] : [];
    return (
      subschemaErrors(kind, candidate, this.store.registry) ??
      early ??
      mergeErrors(
        plugin && pluginErrors(plugin, candidate),
        validateEntity(this.schema(kind), candidate, input, allowed),
      )
    );
  }

  /** Plugins: the subschema's defaults and shorthands (plugin-writes.ts); returns shorthand errors. */
  private fillSubschema(kind: string, body: Row): Row | undefined {
    if (kind !== 'plugins') return undefined;
    const plugin = pluginFor(this.store.registry, body);
    return plugin ? fillPluginInsert(plugin, body) : undefined;
  }

  private refuseDbless(message: string, w: WriteOptions): void {
    if (this.opts.dbless && !w.loading) throw operationUnsupported(message);
  }

  private commit(
    kind: string,
    candidate: Row,
    input: Row,
    mode: Mode,
    w: WriteOptions,
    dblessMsg: string,
    ttl?: number,
    early?: Row,
  ): Row {
    const schema = this.schema(kind);
    this.resolveForeignByKey(schema, candidate);
    const plugin = kind === 'plugins' ? pluginFor(this.store.registry, candidate) : undefined;
    const errors = this.errorsOf(kind, candidate, input, early);
    if (errors) throw schemaViolation(errors);
    if (plugin) presentPluginConfig(plugin, candidate);
    normalize(schema, candidate);
    // Konnect's basic-auth `skip_hash: true` stores the password as sent (an already hashed one)
    const skipHash = kind === 'basicauth_credentials' && this.skipHash;
    const transform = (w.transform ?? true) && !skipHash;
    applyWriteHooks(kind, candidate, input, mode === 'update' ? 'update' : 'insert', transform);
    const sniList = kind === 'certificates' ? this.parseSniList(input, String(candidate.id)) : undefined;
    this.refuseDbless(dblessMsg, w);
    this.checkUnique(schema, candidate);
    this.checkForeign(schema, candidate);
    if (this.store.idTakenElsewhere(String(candidate.id))) throw primaryKeyViolation(String(candidate.id));
    const entity = candidate as Entity;
    this.store.put(kind, entity);
    if (schema.ttl) this.ttls.record(kind, entity.id, ttl);
    if (sniList) this.replaceSnis(entity, sniList);
    return this.present(kind, entity);
  }

  /** resolve_foreign: `{service: {name: "x"}}` is resolved through the parent's endpoint key (code 13 if not). */
  private resolveForeignByKey(schema: EntitySchema, e: Row): void {
    for (const [field, def] of Object.entries(schema.fields)) {
      const v = e[field];
      if (def.type !== 'foreign' || !isObject(v) || v.id !== undefined) continue;
      const parent = this.schema(def.reference!);
      const ek = parent.endpointKey;
      if (!ek || v[ek] === undefined) continue;
      const found = this.select(parent.name, String(v[ek]));
      if (!found) {
        const msg = `the foreign key cannot be resolved with '${luaPretty({ [ek]: v[ek] })}' for an existing '${parent.name}' entity`;
        throw kongError(CODES.FOREIGN_KEYS_UNRESOLVED, `foreign key unresolved (${field}.${ek}: ${msg})`, {
          [field]: { [ek]: msg },
        });
      }
      e[field] = { id: found.id };
    }
  }

  private checkUnique(schema: EntitySchema, e: Row): void {
    const table = this.store.table(schema.name);
    for (const [field, def] of Object.entries(schema.fields)) {
      if (!def.unique || e[field] === null || e[field] === undefined) continue;
      const other = table.findUnique(field, e[field]);
      if (other && other.id !== e.id) throw uniqueViolation({ [field]: e[field] });
    }
    const other = table.findByCacheKey(e);
    if (other && other.id !== e.id) {
      const key: Row = {};
      for (const f of schema.cacheKey!) key[f] = e[f] ?? null;
      throw uniqueViolation(key);
    }
  }

  private checkForeign(schema: EntitySchema, e: Row): void {
    for (const [field, def] of Object.entries(schema.fields)) {
      const v = e[field];
      if (def.type !== 'foreign' || !isObject(v)) continue;
      if (!this.store.get(def.reference!, String(v.id)))
        throw foreignKeyMissing(field, { id: v.id }, def.reference!);
    }
  }

  private checkRestricted(kind: string, id: string): void {
    for (const { schema, field } of this.store.registry.children.get(kind) ?? []) {
      const def = schema.fields[field]!;
      // kong/db/dao/certificates.lua deletes a certificate's SNIs itself before deleting it
      if (def.onDelete === 'cascade' || (kind === 'certificates' && schema.name === 'snis')) continue;
      if (this.store.table(schema.name).children(field, id).size > 0)
        throw foreignKeyRestricted(kind, schema.name);
    }
  }

  private cascadeDelete(kind: string, id: string): void {
    for (const { schema, field } of this.store.registry.children.get(kind) ?? []) {
      const def = schema.fields[field]!;
      if (def.onDelete !== 'cascade' && !(kind === 'certificates' && schema.name === 'snis')) continue;
      for (const childId of [...this.store.table(schema.name).children(field, id)]) {
        this.cascadeDelete(schema.name, childId);
      }
    }
    this.store.delete(kind, id);
  }

  /** certificates.snis on write (kong/db/dao/certificates.lua parse_name_list + check_list_is_new). */
  private parseSniList(input: Row, certId: string): string[] | undefined {
    // kong/api/routes/certificates.lua PUT calls certificates:upsert with the body as given; the DAO
    // (kong/db/dao/certificates.lua) replaces the SNI list only when `snis` is present, else keeps it.
    const snis = input.snis;
    if (snis === undefined) return undefined;
    const list = snis === null ? [] : (snis as string[]);
    const seen = new Set<string>();
    for (const name of list) {
      if (seen.has(name)) throw schemaViolation({ snis: `${name} is duplicated` });
      seen.add(name);
    }
    for (const name of list) {
      const row = this.store.table('snis').findUnique('name', name);
      const owner = row && isObject(row.certificate) ? row.certificate.id : undefined;
      if (row && owner !== certId) {
        throw schemaViolation({
          snis: `${name} already associated with existing certificate '${String(owner)}'`,
        });
      }
    }
    return [...list].sort();
  }

  /** snis:update_list — insert new names, delete names no longer listed. */
  private replaceSnis(cert: Entity, names: string[]): void {
    const snis = this.store.table('snis');
    const current = new Map(
      [...snis.children('certificate', cert.id)].map((id) => [String(snis.rows.get(id)!.name), id]),
    );
    for (const name of names) {
      if (current.has(name)) continue;
      const now = Math.floor(this.opts.clock.nowSeconds());
      const sni = {
        id: randomUUID(),
        name,
        created_at: now,
        updated_at: now,
        tags: null,
        certificate: { id: cert.id },
      };
      this.store.put('snis', sni);
    }
    for (const [name, id] of current) if (!names.includes(name)) this.store.delete('snis', id);
  }
}

export { HttpError };
