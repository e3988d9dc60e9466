import { invalidOptions } from './errors.ts';
import type { EntitySchema } from './schema/types.ts';
import type { Clock } from './validate.ts';

/**
 * Kong's per-entity time-to-live, for schemas with `ttl = true` (kong/plugins/key-auth/daos.lua):
 * - kong/api/endpoints.lua `extract_options` takes `ttl` out of the body on insert, update and upsert,
 *   so it is an option, never a column of the entity;
 * - kong/db/dao/init.lua `validate_options_value`: an integer between 0 and DAO_MAX_TTL (kong/constants.lua,
 *   1e8), else code 11 "invalid option";
 * - kong/db/strategies/postgres/init.lua stores an expiry (0 or no ttl: none; a write without a ttl clears
 *   it) and selects `ttl` as the seconds left; kong/db/schema/init.lua keeps `ttl` in the read output,
 *   null when unset (the Admin API reads with nulls).
 * A JSON `null` ttl is taken as "no ttl", the form a dump read back from the Admin API carries.
 */

const DAO_MAX_TTL = 1e8;

/** Removes `ttl` from a write body and returns it (undefined: none); throws code 11 on a bad value. */
export function takeTtl(schema: EntitySchema, body: Record<string, unknown>): number | undefined {
  if (!schema.ttl || !('ttl' in body)) return undefined;
  const ttl = body.ttl;
  delete body.ttl;
  if (ttl === null || ttl === undefined) return undefined;
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0 || ttl > DAO_MAX_TTL) {
    throw invalidOptions({ ttl: `must be an integer between 0 and ${DAO_MAX_TTL}` });
  }
  return ttl === 0 ? undefined : ttl;
}

/** Expiry times (seconds) of the rows of ttl-enabled tables, keyed `<table>:<id>`. */
export class TtlIndex {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  /** After a successful write: set the expiry, or clear it when the write had no ttl (Kong does). */
  record(kind: string, id: string, ttl: number | undefined): void {
    if (ttl === undefined) this.expiries.delete(`${kind}:${id}`);
    else this.expiries.set(`${kind}:${id}`, this.clock.nowSeconds() + ttl);
  }

  /** The `ttl` a read shows: whole seconds left, or null without an expiry. */
  remaining(kind: string, id: string): number | null {
    const at = this.expiries.get(`${kind}:${id}`);
    return at === undefined ? null : Math.max(0, Math.floor(at - this.clock.nowSeconds()));
  }
}
