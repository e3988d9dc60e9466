/**
 * Issue 17's proof for the generated account (50 REST APIs × 200 resources, 30,100 entities) through Slack,
 * as slack-restore.test.ts does it for the petstore: `/snapgate backup` → break it in four ways (a resource
 * subtree deleted, an integration changed, a stage deleted, a whole API deleted) → `/snapgate diff` →
 * `/snapgate restore` approved by a second person's click → zero drift. The CLI twin of the same account
 * is cli-generated-account.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { generateAccount } from '../../../tools/aws-apigateway-sim/index.ts';
import { CHANNEL, PEOPLE } from '../bot/harness.ts';
import { useAwsSlackEnv } from './slack-support.ts';
import { breakGeneratedAccount } from './support.ts';

const CONNECTION = 'generated-eu';
const APIS = 50;
const RESOURCES = 200;

const fixture = useAwsSlackEnv({
  idSeed: 51,
  connection: CONNECTION,
  tmpName: 'snapgate-aws-slack-scale-',
  seed: (sim) => generateAccount(sim.state, APIS, RESOURCES),
  timeoutMs: 60_000,
});

describe('Slack on a generated AWS account', () => {
  it('backs up 30,100 entities, then restores a broken account to zero drift through two people', async () => {
    const { sim, env } = fixture;
    const started = Date.now();
    let before = env.t.fake.channel(CHANNEL).length;
    expect(await env.slash('/snapgate', PEOPLE.operator, `backup ${CONNECTION}`)).toMatch(
      /of `generated-eu` queued/,
    );
    const backupCard = await env.newCard(before, /Completed/);
    const backup = await env.backupOfCard(backupCard.ts);
    expect(backup.counts).toMatchObject({ restapis: APIS, resources: APIS * RESOURCES, stages: APIS });
    const backedUpMs = Date.now() - started;

    // break it: a resource subtree, an integration, a stage, a whole API
    const { byName, goneId: gone } = breakGeneratedAccount(sim);
    expect(await env.drift(backup)).toBeGreaterThan(RESOURCES * 3);

    // the diff card names the four breaks the way the console does
    before = env.t.fake.channel(CHANNEL).length;
    await env.send('/snapgate', PEOPLE.operator, `diff ${CONNECTION} ${backup.id}`);
    const diffCard = env.cardText(await env.newCard(before, /\*Diff\* —/));
    expect(diffCard).toContain('create REST API generated-042');
    expect(diffCard).toMatch(/`apis`: \+\d+ create/);
    expect(diffCard).toContain('`stages`: +2 create');
    expect(diffCard).toMatch(/…and \d+ more in the file below\./);

    const restoreStarted = Date.now();
    const { planned, thread } = await env.restoreThroughSlack(
      `restore ${CONNECTION} ${backup.id} --reason "console edits across the account"`,
      120_000,
    );
    const restoredMs = Date.now() - restoreStarted;
    expect(planned).toContain('create REST API generated-042');
    expect(await env.drift(backup)).toBe(0);
    const reborn = byName('generated-042').fields.id as string;
    expect(reborn).not.toBe(gone);
    // the thread names the ids AWS assigned anew, the re-created API's among them
    expect(await thread()).toContain(`REST API generated-042: \`${gone}\` → \`${reborn}\``);
    process.stdout.write(
      `${JSON.stringify({ test: 'aws-generated-account-slack', entities: 30_100, backupMs: backedUpMs, restoreMs: restoredMs, totalMs: Date.now() - started })}\n`,
    );
  }, 180_000);
});
