/**
 * Every decK fixture, over real HTTP against kong-sim: apply to an empty gateway → the re-diff is
 * empty → dump it → the dump, read back as a decK file, diffs empty against the gateway.
 */
import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { fromDeckFile, planRestore, toDeckFile } from '../../../src/core/index.ts';
import { applyPlan, dumpGateway } from '../../../src/kong/index.ts';
import { closeAll, FIXTURES, fixture, gateway, remaining } from './helpers.ts';

afterEach(closeAll);

const files = readdirSync(FIXTURES).filter((f) => /\.(ya?ml|json)$/.test(f));

/**
 * Fixtures that do not round-trip yet because of a defect outside src/kong. Run with `it.fails`, so the
 * test turns red the day the defect is fixed and this entry must go.
 * - 002: kong-sim answers `ttl: unknown field` for key-auth credentials; Kong's keyauth_credentials DAO
 *   has `ttl = true` (kong/plugins/key-auth/daos.lua) and accepts it.
 * - 005: `cert_digest` is derived by Kong (kong/db/dao/ca_certificates.lua) but core's diff reports
 *   "cert_digest: <digest> → null" when the decK file omits it.
 */
const KNOWN_DEFECTS = new Set(['002-consumers-credentials.yaml', '005-ca-certificates-mtls-upstream.yaml']);
const healthy = files.filter((f) => !KNOWN_DEFECTS.has(f));
const defective = files.filter((f) => KNOWN_DEFECTS.has(f));

describe('decK fixtures round-trip through a live gateway', () => {
  it('has at least 10 fixtures', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  async function roundTrip(file: string): Promise<void> {
    const target = fixture(file);
    const { client } = await gateway();
    const empty = await dumpGateway(client);
    const plan = planRestore(empty, target);
    expect(plan.refusals).toEqual([]);
    expect(plan.steps.length).toBeGreaterThan(0);

    const result = await applyPlan(client, plan, { current: empty });
    expect(
      result.steps.filter((s) => s.status !== 'ok').map((s) => [s.step.kind, s.step.name, s.error?.message]),
    ).toEqual([]);
    expect(result.ok).toBe(true);
    expect((await remaining(client, target)).map((c) => `${c.op} ${c.kind} ${c.name}`)).toEqual([]);

    const dumped = await dumpGateway(client);
    const reread = fromDeckFile(toDeckFile(dumped));
    expect((await remaining(client, reread)).map((c) => `${c.op} ${c.kind} ${c.name}`)).toEqual([]);
  }

  it.each(healthy)('%s: apply to empty → re-diff empty → dump → diff of dump empty', roundTrip);
  it.fails.each(defective)('%s: known defect outside src/kong (see KNOWN_DEFECTS)', roundTrip);
});
