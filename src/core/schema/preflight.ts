/**
 * Preflight: before the first write, whatever in a plan the gateway cannot take refuses the whole plan,
 * so a restore never leaves a gateway half-applied (a file with Enterprise kinds used to write 7–28
 * entities on a community gateway and then stop at `Kong 404`). Checked, for every upsert of the plan:
 * - the kind exists on this gateway: Enterprise-only kinds (catalogue `enterprise`) need the Enterprise
 *   edition; credentials need their plugin enabled (a credential DAO is loaded with its plugin,
 *   kong/plugins/<plugin>/daos.lua); filter chains need WebAssembly (`wasm = on`);
 * - every plugin written is enabled on the gateway (`GET /plugins/enabled`);
 * - every body validates against the gateway's schemas (validate.ts), each bad field by path.
 * The first two give one refusal naming every kind and plugin and the gateway's edition and version.
 */
import { CATALOGUE, type EntityKind } from '../catalogue/index.ts';
import { KIND_NOUN } from '../describe.ts';
import { hashedSecretWarnings } from '../hashed-secrets.ts';
import type { Plan, PreflightRefusal } from '../model.ts';
import type { DatabaseMode, Edition } from '../snapshot.ts';
import type { GatewaySchemas } from './types.ts';
import { validateEntity } from './validate.ts';

export interface GatewayCapabilities {
  version: string;
  edition: Edition;
  database: DatabaseMode;
  /** the plugins the gateway has loaded (`GET /plugins/enabled`); null when it would not say. */
  enabledPlugins: readonly string[] | null;
  /** `configuration.wasm` from `GET /`; null when unknown. */
  wasm: boolean | null;
  /** the product, when not a self-hosted Kong (`Kong Konnect`): named in refusals */
  product?: string;
  /** kinds this gateway does not offer at all, each with the reason (Konnect: OAuth2 credentials) */
  unsupportedKinds?: Readonly<Partial<Record<EntityKind, string>>>;
  /** why this gateway takes no writes at all (a Konnect control plane group); absent when it does */
  readOnly?: string;
  /**
   * the gateway stores a hashed secret written back as the hash it is (Konnect basic-auth `skip_hash`),
   * so a backup's hashes round-trip and no hashed-secret warning holds
   */
  keepsStoredHashes?: boolean;
}

/** The plugin each credential kind's DAO comes with. */
export const CREDENTIAL_PLUGIN: Partial<Record<EntityKind, string>> = {
  keyauth_credentials: 'key-auth',
  basicauth_credentials: 'basic-auth',
  jwt_secrets: 'jwt',
  hmacauth_credentials: 'hmac-auth',
  acls: 'acl',
  oauth2_credentials: 'oauth2',
  mtls_auth_credentials: 'mtls-auth',
};

function editionText(caps: GatewayCapabilities): string {
  if (caps.product) return caps.product;
  return `Kong ${caps.version}, ${caps.edition} edition`;
}

/** Why the gateway cannot hold `kind`, or null when it can. */
function kindProblem(
  kind: EntityKind,
  caps: GatewayCapabilities,
  enabled: ReadonlySet<string> | null,
): string | null {
  const absent = caps.unsupportedKinds?.[kind];
  if (absent) return `${kind} (${absent})`;
  if (CATALOGUE[kind].enterprise && caps.edition !== 'enterprise') return `${kind} (Kong Enterprise only)`;
  const plugin = CREDENTIAL_PLUGIN[kind];
  if (plugin && enabled && !enabled.has(plugin)) return `${kind} (the ${plugin} plugin is not enabled)`;
  if (kind === 'filter_chains' && caps.wasm === false) return `${kind} (WebAssembly is off: wasm = off)`;
  return null;
}

/** The refusals a plan gets on this gateway (empty when it can take every write). */
export function preflightRefusals(
  plan: Plan,
  caps: GatewayCapabilities,
  schemas: GatewaySchemas,
): PreflightRefusal[] {
  const enabled = caps.enabledPlugins ? new Set(caps.enabledPlugins) : null;
  const kinds = new Map<EntityKind, string>();
  const plugins = new Set<string>();
  const invalid: PreflightRefusal[] = [];
  for (const step of plan.steps) {
    if (step.phase !== 'upsert' || !step.body) continue;
    if (!kinds.has(step.kind)) kinds.set(step.kind, kindProblem(step.kind, caps, enabled) ?? '');
    if (kinds.get(step.kind)) continue;
    if (step.kind === 'plugins' && enabled) {
      const name = step.body.name;
      if (typeof name === 'string' && !enabled.has(name)) {
        plugins.add(name);
        continue;
      }
    }
    const problems = validateEntity(step.kind, step.body, schemas);
    if (problems.length > 0) {
      invalid.push({
        code: 'invalid-entity',
        kind: step.kind,
        id: step.id,
        name: step.name,
        problems,
        message: `${KIND_NOUN[step.kind]} ${step.name}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      });
    }
  }
  const out: PreflightRefusal[] = [];
  if (caps.readOnly && plan.steps.length > 0) {
    out.push({
      code: 'unsupported-by-gateway',
      message: `the gateway (${editionText(caps)}) ${caps.readOnly}`,
    });
  }
  const missing = [...kinds.values()].filter(Boolean);
  const names = [...plugins].sort();
  if (missing.length > 0 || names.length > 0) {
    const parts = [...missing];
    if (names.length > 0) {
      parts.push(`plugin${names.length === 1 ? '' : 's'} ${names.join(', ')} (not enabled on the gateway)`);
    }
    out.push({
      code: 'unsupported-by-gateway',
      message: `the gateway (${editionText(caps)}) cannot take ${parts.join('; ')}`,
    });
  }
  return [...out, ...invalid];
}

/**
 * The plan with the gateway's preflight refusals added, and its hashed-secret warnings as they hold for
 * the gateway's database mode (hashed-secrets.ts: none on DB-less, stored hashes only in DB mode).
 */
export function withPreflight(plan: Plan, caps: GatewayCapabilities, schemas: GatewaySchemas): Plan {
  const refusals = preflightRefusals(plan, caps, schemas);
  const warnings = caps.keepsStoredHashes ? [] : hashedSecretWarnings(plan.steps, caps.database);
  if (refusals.length === 0 && warnings.length === plan.warnings.length) return plan;
  return { ...plan, warnings, refusals: [...plan.refusals, ...refusals] };
}
