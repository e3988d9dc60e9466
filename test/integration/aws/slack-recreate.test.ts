/**
 * An API key whose value was changed in the console (a new key of that name, the old one deleted), restored
 * through Slack by two people: the diff card and the restore card say the key will be re-created (its id
 * changes), the restore re-creates it with the backup's value and puts it back in its usage plan, the thread
 * names the new id, a new dump shows zero drift — and neither value appears in any Slack call or file.
 */
import { describe, expect, it } from 'vitest';
import { seedPetstore } from '../../../tools/aws-apigateway-sim/index.ts';
import { CHANNEL, PEOPLE } from '../bot/harness.ts';
import { useAwsSlackEnv } from './slack-support.ts';
import { replaceApiKey } from './support.ts';

const CONNECTION = 'payments-api-eu';
const KEY = 'petstore-partner-a';
const CONSOLE_VALUE = 'console-made-value-0123456789';

const fixture = useAwsSlackEnv({
  idSeed: 73,
  connection: CONNECTION,
  tmpName: 'snapgate-aws-recreate-slack-',
  seed: (sim) => seedPetstore(sim.state),
});

describe('an API key re-created through Slack', () => {
  it('is said before approval, re-created with the backup value, mapped, back in its usage plan, to zero drift', async () => {
    const { sim, env, seeded: ids } = fixture;
    let before = env.t.fake.channel(CHANNEL).length;
    await env.slash('/snapgate', PEOPLE.operator, `backup ${CONNECTION}`);
    const backup = await env.backupOfCard((await env.newCard(before, /Completed/)).ts);
    const { old, id: consoleId } = await replaceApiKey(sim, KEY, CONSOLE_VALUE);
    const value = old.value as string;
    expect(await env.drift(backup)).toBe(1);

    before = env.t.fake.channel(CHANNEL).length;
    await env.send('/snapgate', PEOPLE.operator, `diff ${CONNECTION} ${backup.id}`);
    const diffCard = env.cardText(await env.newCard(before, /\*Diff\* —/));
    expect(diffCard).toContain(
      `:recycle: 1 change API Gateway cannot make in place will be made by re-creating the entity (a new id): API key ${KEY}: API Gateway cannot change \`value\` in place, so it will be re-created`,
    );
    expect(diffCard).not.toContain('would fail');

    const { restore, planned, thread } = await env.restoreThroughSlack(
      `restore ${CONNECTION} ${backup.id} --reason "partner-a got a new key in the console"`,
    );
    expect(planned).toContain('*Re-created* (API Gateway cannot change these in place: each gets a new id)');
    expect(planned).toContain(`:recycle: API key ${KEY}: \`value\``);
    expect(planned).not.toContain('Will fail');
    expect(restore.planSummary?.result).toMatchObject({ failed: 0, drift: 0 });
    expect(await env.drift(backup)).toBe(0);

    const now = [...sim.state.store.apiKeys.values()].find((k) => k.name === KEY)!;
    expect(now.value).toBe(value);
    expect(now.id).not.toBe(consoleId);
    expect(sim.state.store.usagePlans.get(ids.plan)?.keys.has(now.id as string)).toBe(true);
    expect(await thread()).toContain(`API key ${KEY}: \`${old.id as string}\` → \`${now.id as string}\``);

    // neither value in any Slack call (messages, card updates, thread replies) nor any uploaded file
    const slack = JSON.stringify([env.t.fake.calls, env.t.fake.files]);
    expect(slack).toContain(KEY);
    expect(slack).not.toContain(value);
    expect(slack).not.toContain(CONSOLE_VALUE);
  }, 90_000);
});
