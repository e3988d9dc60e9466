/**
 * Issue 17's proof through Slack on an AWS API Gateway connection: the same commands and buttons as on Kong
 * (`/snapgate` and `/kong` alike), real Bolt HTTP receiver and fake Slack (every payload validated), real
 * Redis (random prefix), SQLite, workers reporting through the bot's Slack notifier, and the API Gateway
 * simulator over HTTP seeded with the petstore. Backup → break (a resource deleted, an integration changed,
 * a stage deleted) → diff → two-person restore → zero drift; then the whole API deleted → restore → zero
 * drift. Cards name APIs, resources, methods and stages as the AWS console does (`petstore › /pets › GET`),
 * `--only` takes AWS's sections on this connection and refuses Kong's, and the artifact is named for its type.
 */
import {
  DeleteResourceCommand,
  DeleteRestApiCommand,
  DeleteStageCommand,
  UpdateIntegrationCommand,
} from '@aws-sdk/client-api-gateway';
import { describe, expect, it } from 'vitest';
import { seedPetstore } from '../../../tools/aws-apigateway-sim/index.ts';
import { clientFor } from '../../aws-apigateway-sim/helpers.ts';
import { CHANNEL, PEOPLE, textOf } from '../bot/harness.ts';
import { useAwsSlackEnv } from './slack-support.ts';

const CONNECTION = 'payments-api-eu';

const fixture = useAwsSlackEnv({
  idSeed: 23,
  connection: CONNECTION,
  tmpName: 'snapgate-aws-slack-',
  seed: (sim) => seedPetstore(sim.state),
});

describe('Slack on an AWS API Gateway connection', () => {
  it('backs up, diffs and restores through two people, with AWS names on every card', async () => {
    const { sim, env, seeded: ids } = fixture;
    // the connection list names the gateway type; help names the command typed
    expect(await env.slash('/snapgate', PEOPLE.operator, 'connections')).toContain(
      `\`${CONNECTION}\` — AWS API Gateway, prod`,
    );
    const help = await env.slash('/snapgate', PEOPLE.operator, 'help');
    expect(help).toContain('/snapgate backup <connection>');
    expect(help).not.toMatch(/\/kong /);

    // backup: the artifact is named for its type, the thread counts AWS kinds in AWS words
    let before = env.t.fake.channel(CHANNEL).length;
    expect(
      await env.slash('/snapgate', PEOPLE.operator, `backup ${CONNECTION} --note "before the console"`),
    ).toMatch(/of `payments-api-eu` queued/);
    const backupCard = await env.newCard(before, /Completed/);
    const backup = await env.backupOfCard(backupCard.ts);
    expect(backup.artifactName).toMatch(/^aws-apigateway-payments-api-eu-\d{8}-\d{4}-manual-[a-z0-9]+\.sgb$/);
    await env.t.bot.idle();
    const thread = env.t.fake.thread(CHANNEL, backupCard.ts).map(textOf).join('\n');
    expect(thread).toContain(backup.artifactName!);
    expect(thread).toContain('*AWS API Gateway*');
    expect(thread).toContain('REST APIs: 1');
    expect(thread).not.toMatch(/\*Kong\*/);

    // break it as someone clicking in the console would
    const client = clientFor(sim);
    await client.send(new DeleteResourceCommand({ restApiId: ids.api, resourceId: ids.pet }));
    await client.send(
      new UpdateIntegrationCommand({
        restApiId: ids.api,
        resourceId: ids.pets,
        httpMethod: 'GET',
        patchOperations: [{ op: 'replace', path: '/uri', value: 'http://evil.example.com/pets' }],
      }),
    );
    await client.send(new DeleteStageCommand({ restApiId: ids.api, stageName: 'staging' }));

    // diff with /kong: the same grammar; Kong's sections are refused here, AWS's taken
    expect(await env.slash('/kong', PEOPLE.operator, `diff ${CONNECTION} latest --only plugins`)).toContain(
      'unknown section plugins for a AWS API Gateway connection; sections are: apis, stages, usage_plans, api_keys, domain_names, vpc_links, client_certificates',
    );
    before = env.t.fake.channel(CHANNEL).length;
    await env.send('/kong', PEOPLE.operator, `diff ${CONNECTION} latest --only stages`);
    const stagesOnly = env.cardText(await env.newCard(before, /\*Diff\* —/));
    expect(stagesOnly).toContain('create stage petstore › staging');
    expect(stagesOnly).not.toContain('integration');
    before = env.t.fake.channel(CHANNEL).length;
    await env.send('/kong', PEOPLE.operator, `diff ${CONNECTION} latest`);
    const diffCard = env.cardText(await env.newCard(before, /\*Diff\* —/));
    for (const line of [
      'create resource petstore › /pets/{petId}',
      'create method petstore › /pets/{petId} › GET',
      'update integration petstore › /pets › GET (`uri`)',
      'create stage petstore › staging',
      '`apis`: +',
      '`stages`: +1 create',
    ])
      expect(diffCard).toContain(line);
    expect(diffCard).not.toMatch(/Kong|restapi\b|\(id /);

    // two-person restore through the buttons: zero drift
    expect(await env.drift(backup)).toBeGreaterThan(0);
    const first = await env.restoreThroughSlack(
      `restore ${CONNECTION} ${backup.id} --reason "console edits at 14:00"`,
    );
    expect(first.planned).toContain('petstore › /pets › GET');
    expect(await env.drift(backup)).toBe(0);

    // the whole API deleted: re-created under new ids, zero drift again
    const live = [...sim.state.store.restApis.values()][0];
    await client.send(new DeleteRestApiCommand({ restApiId: live?.fields.id as string }));
    client.destroy();
    const second = await env.restoreThroughSlack(`restore ${CONNECTION} ${backup.id} --reason "API deleted"`);
    expect(second.planned).toContain('create REST API petstore');
    expect(await env.drift(backup)).toBe(0);
    const newApi = [...sim.state.store.restApis.keys()][0];
    expect(newApi).not.toBe(live?.fields.id);
    // the thread names the ids AWS assigned, so whoever pinned the old ones knows what changed
    const secondThread = await second.thread();
    expect(secondThread).toContain(`REST API petstore: \`${live?.fields.id}\` → \`${newApi}\``);
    expect(secondThread).toMatch(/\*New ids assigned\* \(\d+\)/);
    // the first restore re-created one resource (and what hangs off it): one new id
    expect(await first.thread()).toMatch(
      /\*New ids assigned\* \(1\):\nresource petstore:\/pets\/\{petId\}: `\w+` → `\w+`/,
    );
  }, 180_000);
});
