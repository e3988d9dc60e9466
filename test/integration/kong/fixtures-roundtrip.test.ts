/**
 * Every decK fixture as written (plugin configs without Kong's defaults), over real HTTP against kong-sim:
 * planned as snapgate plans against a gateway (defaults filled from its schemas, preflight), applied to an
 * empty gateway → the re-diff is empty → dump it → the dump, read back as a decK file, diffs empty.
 */
import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { fromDeckFile, toDeckFile } from '../../../src/core/index.ts';
import { applyPlan, dumpGateway } from '../../../src/kong/index.ts';
import { closeAll, FIXTURES, fixture, gateway, planOn, remaining } from './helpers.ts';

afterEach(closeAll);

const files = readdirSync(FIXTURES).filter((f) => /\.(ya?ml|json)$/.test(f));

describe('decK fixtures round-trip through a live gateway', () => {
  it('has at least 10 fixtures', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  async function roundTrip(file: string): Promise<void> {
    const target = fixture(file);
    const { client } = await gateway();
    const { plan, current } = await planOn(client, target);
    expect(plan.refusals).toEqual([]);
    expect(plan.steps.length).toBeGreaterThan(0);

    const result = await applyPlan(client, plan, { current });
    expect(
      result.steps.filter((s) => s.status !== 'ok').map((s) => [s.step.kind, s.step.name, s.error?.message]),
    ).toEqual([]);
    expect(result.ok).toBe(true);
    expect((await remaining(client, target)).map((c) => `${c.op} ${c.kind} ${c.name}`)).toEqual([]);

    const dumped = await dumpGateway(client);
    const reread = fromDeckFile(toDeckFile(dumped));
    expect((await remaining(client, reread)).map((c) => `${c.op} ${c.kind} ${c.name}`)).toEqual([]);
  }

  // 002 carries a key-auth `ttl` (kong/plugins/key-auth/daos.lua `ttl = true`); 005 omits ca_certificates'
  // `cert_digest`, which Kong derives from `cert` (kong/db/schema/entities/ca_certificates.lua).
  it.each(files)('%s: apply to empty → re-diff empty → dump → diff of dump empty', roundTrip);

  it('002 on a community gateway is refused before any write: mtls_auth_credentials are Kong Enterprise only', async () => {
    const { client, sim } = await gateway({ edition: 'community' });
    const { plan } = await planOn(client, fixture('002-consumers-credentials.yaml'));
    expect(plan.refusals.map((r) => r.message)).toEqual([
      expect.stringMatching(
        /^the gateway \(Kong [\d.]+, community edition\) cannot take mtls_auth_credentials \(Kong Enterprise only\)$/,
      ),
    ]);
    const current = await dumpGateway(client);
    await expect(applyPlan(client, plan, { current })).rejects.toThrow(/refused/);
    expect(sim.state.writes).toBe(0);
  });
});
