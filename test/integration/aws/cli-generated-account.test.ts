import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime as Services } from '../../../src/compose/index.ts';
import {
  type AwsApiGatewaySim,
  generateAccount,
  startAwsApiGatewaySim,
} from '../../../tools/aws-apigateway-sim/index.ts';
import { type AwsCliEnv, breakGeneratedAccount, startAwsCliEnv } from './support.ts';

const CONNECTION = 'generated-eu';
const APIS = 50;
const RESOURCES = 200;

describe('the CLI twin on a generated AWS account', () => {
  let sim: AwsApiGatewaySim;
  let t: AwsCliEnv;
  let services: Services;

  beforeAll(async () => {
    sim = await startAwsApiGatewaySim({ idSeed: 50 });
    generateAccount(sim.state, APIS, RESOURCES);
    t = await startAwsCliEnv(sim, CONNECTION, 'snapgate-aws-scale-');
    services = t.services;
  }, 60_000);

  afterAll(async () => {
    await t?.cleanup();
    await sim?.close();
  }, 60_000);

  const bin = (...args: string[]) => t.bin(...args);

  it('backs up 30,100 entities, then restores a broken account to zero drift through two people', async () => {
    const started = Date.now();
    const taken = await bin('backup', CONNECTION, '--wait', '--timeout', '300');
    expect(taken.err).toBe('');
    expect(taken.code).toBe(0);
    const backupId = new RegExp(`backup (\\S+) queued for ${CONNECTION}`).exec(taken.out)?.[1] ?? '';
    const backup = (await services.repos.backups.get(backupId))!;
    expect(backup.counts).toMatchObject({ restapis: APIS, resources: APIS * RESOURCES, stages: APIS });
    const backedUpMs = Date.now() - started;

    // break it: a resource subtree, an integration, a stage, a whole API
    const { byName, goneId: gone } = breakGeneratedAccount(sim);

    const drift = () => t.drift(backup);
    expect(await drift()).toBeGreaterThan(RESOURCES * 3);

    const asked = await t.restoreAndApprove(backupId, 'console edits across the account', [
      '--timeout',
      '600',
    ]);
    expect(asked).toContain('creating REST API generated-042');
    expect(asked).toMatch(/… and \d+ more changes/);
    expect(await drift()).toBe(0);
    expect(byName('generated-042').fields.id).not.toBe(gone);
    process.stdout.write(
      `${JSON.stringify({ test: 'aws-generated-account', entities: 30_100, backupMs: backedUpMs, totalMs: Date.now() - started })}\n`,
    );
  }, 900_000);
});
