/**
 * Hashed secrets (basic-auth passwords; oauth2 client secrets with `hash_secret`): Kong stores only a
 * hash, so a dump — and every backup — holds the hash, never the value. Whether writing that hash back
 * restores the credential depends on how the gateway takes writes:
 * - DB mode (`PUT`): Kong hashes whatever it is given (kong/plugins/basic-auth/daos.lua, oauth2/daos.lua
 *   transformations), so a stored hash written back becomes a hash of the hash and the credential stops
 *   working: warned, the value must be set again. A plain-text value (a hand-written decK file) is
 *   hashed once, as intended: no warning.
 * - DB-less (`POST /config`, `_transform: false` with snapgate's per-value transformation,
 *   deck/declarative-transform.ts): a stored hash passes through untouched and a plain-text value is
 *   hashed as Kong would, so both round-trip: no warning.
 * `planRestore` knows no gateway and warns for every hashed secret it writes; the gateway's preflight
 * (`hashedSecretWarnings` with its database mode) keeps only the warnings that hold there.
 */
import type { EntityKind } from './catalogue/index.ts';
import { KIND_NOUN } from './describe.ts';
import type { PlanStep, PlanWarning } from './model.ts';
import { hashedFieldsOf } from './normalize.ts';
import type { DatabaseMode } from './snapshot.ts';

/** basic-auth: kong/plugins/basic-auth/crypto.lua writes SHA-1 hex. */
const SHA1_HEX = /^[0-9a-f]{40}$/;
/** PHC strings of the algorithms kong/plugins/oauth2/secret.lua reads back (pbkdf2, argon2, bcrypt, scrypt). */
const PHC = /^\$(pbkdf2-|argon2(id|i|d)?\$|2[aby]?\$|scrypt\$)/;

/** Whether `value` is a hashed secret in the form Kong stores it (what a dump holds), not plain text. */
export function isStoredSecret(kind: EntityKind, value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (kind === 'basicauth_credentials') return SHA1_HEX.test(value);
  if (kind === 'oauth2_credentials') return PHC.test(value);
  return false;
}

/**
 * The hashed secrets the plan's upserts write that will not work after the write on a gateway of
 * `database` mode (`unknown`, and no mode given: every one of them, as the gateway is not known).
 */
export function hashedSecretWarnings(
  steps: readonly PlanStep[],
  database: DatabaseMode = 'unknown',
): PlanWarning[] {
  if (database === 'off') return [];
  const warnings: PlanWarning[] = [];
  for (const s of steps) {
    if (s.phase !== 'upsert' || !s.body) continue;
    for (const field of hashedFieldsOf(s.kind, s.body)) {
      if (database === 'postgres' && !isStoredSecret(s.kind, s.body[field])) continue;
      warnings.push({
        code: 'hashed-secret',
        kind: s.kind,
        id: s.id,
        name: s.name,
        field,
        message:
          `${KIND_NOUN[s.kind]} ${s.name}: Kong stores ${field} hashed, so the backup holds only the hash ` +
          'and cannot restore the original value; set it again after the restore',
      });
    }
  }
  return warnings;
}
