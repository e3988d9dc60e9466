/**
 * Issue 17's proof through Slack on an AWS API Gateway connection: the same commands and buttons as on Kong
 * (`/snapgate` and `/kong` alike), real Bolt HTTP receiver and fake Slack (every payload validated), real
 * Redis (random prefix), SQLite, workers reporting through the bot's Slack notifier, and the API Gateway
 * simulator over HTTP seeded with the petstore. Backup → break (a resource deleted, an integration changed,
 * a stage deleted) → diff → two-person restore → zero drift; then the whole API deleted → restore → zero
 * drift. Cards name APIs, resources, methods and stages as the AWS console does (`petstore › /pets › GET`),
 * `--only` takes AWS's sections on this connection and refuses Kong's, and the artifact is named for its type.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteResourceCommand,
  DeleteRestApiCommand,
  DeleteStageCommand,
  UpdateIntegrationCommand,
} from '@aws-sdk/client-api-gateway';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyAndOpenBackup } from '../../../src/app/index.ts';
import { fromJobServices } from '../../../src/bot/job-services.ts';
import { RESTORE_APPROVE_ACTION } from '../../../src/bot/views/restore-card.ts';
import { createServices, type Runtime as Services } from '../../../src/compose/index.ts';
import { loadConfig } from '../../../src/config/index.ts';
import { planRestore } from '../../../src/core/index.ts';
import type { Backup, Restore } from '../../../src/db/index.ts';
import type { RunningWorkers } from '../../../src/jobs/index.ts';
import {
  type AwsApiGatewaySim,
  type PetstoreIds,
  seedPetstore,
  startAwsApiGatewaySim,
} from '../../../tools/aws-apigateway-sim/index.ts';
import { clientFor } from '../../aws-apigateway-sim/helpers.ts';
import type { FakeMessage } from '../../support/fake-slack/index.ts';
import { type BotFixture, CHANNEL, PEOPLE, startBot, textOf } from '../bot/harness.ts';
import { cardActions } from '../bot/restore-harness.ts';
import { deletePrefix, REDIS_URL, waitFor, waitForBackup } from '../jobs/harness.ts';
import { startTestWorkers, waitForRestore } from '../restore/harness.ts';

const CONNECTION = 'payments-api-eu';

let sim: AwsApiGatewaySim;
let ids: PetstoreIds;
let dir: string;
let prefix: string;
let services: Services;
let workers: RunningWorkers;
let t: BotFixture;

beforeAll(async () => {
  sim = await startAwsApiGatewaySim({ idSeed: 23 });
  ids = seedPetstore(sim.state);
  dir = mkdtempSync(join(tmpdir(), 'snapgate-aws-slack-'));
  prefix = `sgtest-${randomUUID().slice(0, 8)}`;
  const configPath = join(dir, 'snapgate.yml');
  writeFileSync(
    configPath,
    `connections:
  - name: ${CONNECTION}
    type: aws-apigateway
    region: eu-west-1
    endpoint: ${sim.url}
    credentials: { accessKeyIdEnv: AWS_ID, secretAccessKeyEnv: AWS_SECRET }
    environment: prod
    roles:
      operator: [${PEOPLE.operator}]
      approver: [${PEOPLE.approver}]
      admin: [${PEOPLE.admin}]
storage:
  primary: ${join(dir, 'primary')}
  copies:
    - type: directory
      path: ${join(dir, 'offsite')}
keys:
  - id: k1
    env: SNAPGATE_KEY_1
    current: true
database:
  path: ${join(dir, 'snapgate.db')}
redis:
  url: ${REDIS_URL}
  prefix: ${prefix}
`,
  );
  const config = await loadConfig({
    path: configPath,
    env: {
      AWS_ID: 'AKIDSNAPGATE',
      AWS_SECRET: 'sim-does-not-check',
      SNAPGATE_KEY_1: randomBytes(32).toString('hex'),
    },
  });
  t = await startBot(async (output) => {
    services = await createServices({
      config,
      notifier: output.notifier,
      retry: { attempts: 2, backoffMs: 50 },
    });
    return fromJobServices(services);
  });
  workers = await startTestWorkers(services);
}, 30_000);

afterAll(async () => {
  await workers?.close(2000);
  await t?.close();
  await services?.close();
  await sim?.close();
  await deletePrefix(prefix);
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

afterEach(() => t.fake.assertNoProblems());

const cardText = (m: FakeMessage | undefined) =>
  textOf({ text: m?.text, attachments: m?.attachments, blocks: m?.blocks });

/** Sends `<command> <text>` and resolves with the ephemeral answer's text. */
async function slash(command: string, user: string, text: string): Promise<string> {
  const r = await t.slash(command, user, text);
  expect(r.status).toBe(200);
  const body = await t.fake.waitFor(() => t.responses(r.responseId)[0], 10_000);
  return textOf(body);
}

/** Sends a command that answers with a card, not an ephemeral message. */
async function send(command: string, user: string, text: string): Promise<void> {
  const r = await t.slash(command, user, text);
  expect(r.status).toBe(200);
}

/** The next message posted in the channel after `before` messages, once it shows `pattern`. */
async function newCard(before: number, pattern: RegExp): Promise<FakeMessage> {
  const card = await t.fake.waitFor(() =>
    t.fake
      .channel(CHANNEL)
      .slice(before)
      .find((m) => !m.threadTs),
  );
  return cardShows(card.ts, pattern);
}

function cardShows(ts: string, pattern: RegExp): Promise<FakeMessage> {
  return t.fake.waitFor(() => {
    const m = t.fake.message(CHANNEL, ts);
    return m && pattern.test(cardText(m)) ? m : undefined;
  }, 30_000);
}

async function backupOfCard(ts: string): Promise<Backup> {
  const row = await waitFor('the backup of the card', async () =>
    (await services.repos.backups.listByConnection(CONNECTION, { limit: 20 })).find(
      (b) => b.slack?.ts === ts,
    ),
  );
  return waitForBackup(services, row.id);
}

async function restoreOfCard(ts: string): Promise<Restore> {
  return waitFor('the restore of the card', async () =>
    (await services.repos.restores.listByConnection(CONNECTION, { limit: 20 })).find(
      (r) => r.slack?.ts === ts,
    ),
  );
}

async function drift(backup: Backup): Promise<number> {
  const target = await verifyAndOpenBackup(services, backup);
  const gateway = services.gateway(services.connection(CONNECTION));
  try {
    return planRestore(await gateway.dump(), target).steps.length;
  } finally {
    gateway.close();
  }
}

/** `/snapgate restore …` by the operator, approved by the approver's click: the restore once finished. */
async function restoreThroughSlack(
  text: string,
): Promise<{ restore: Restore; planned: string; thread: () => Promise<string> }> {
  const before = t.fake.channel(CHANNEL).length;
  expect(await slash('/snapgate', PEOPLE.operator, text)).toMatch(/Restore request .* posted/);
  const card = await newCard(before, /Awaiting approval/);
  const restore = await restoreOfCard(card.ts);
  const planned = cardText(card);
  const blocks = cardActions(card);
  const approve = blocks?.elements.find((e) => e.action_id === RESTORE_APPROVE_ACTION);
  expect(approve).toBeDefined();
  // the requester cannot approve their own request
  const self = await t.click({
    actionId: RESTORE_APPROVE_ACTION,
    value: approve!.value,
    userId: PEOPLE.operator,
    messageTs: card.ts,
    blockId: blocks!.block_id,
  });
  expect(self.status).toBe(200);
  expect(textOf(await t.fake.waitFor(() => t.responses(self.responseId)[0]))).toMatch(
    /cannot approve it yourself/,
  );
  const r = await t.click({
    actionId: RESTORE_APPROVE_ACTION,
    value: approve!.value,
    userId: PEOPLE.approver,
    messageTs: card.ts,
    blockId: blocks!.block_id,
  });
  expect(r.status).toBe(200);
  const done = await waitForRestore(
    services,
    restore.id,
    ['completed', 'partially_failed', 'failed'],
    60_000,
  );
  expect(done.status, done.failureReason ?? '').toBe('completed');
  expect(done.approvedBy).toBe(PEOPLE.approver);
  await cardShows(card.ts, /Completed/);
  const thread = async () => {
    await t.fake.waitFor(() =>
      t.fake.thread(CHANNEL, card.ts).some((m) => /Restore completed/.test(cardText(m))),
    );
    return t.fake.thread(CHANNEL, card.ts).map(cardText).join('\n');
  };
  return { restore: done, planned, thread };
}

describe('Slack on an AWS API Gateway connection', () => {
  it('backs up, diffs and restores through two people, with AWS names on every card', async () => {
    // the connection list names the gateway type; help names the command typed
    expect(await slash('/snapgate', PEOPLE.operator, 'connections')).toContain(
      `\`${CONNECTION}\` — AWS API Gateway, prod`,
    );
    const help = await slash('/snapgate', PEOPLE.operator, 'help');
    expect(help).toContain('/snapgate backup <connection>');
    expect(help).not.toMatch(/\/kong /);

    // backup: the artifact is named for its type, the thread counts AWS kinds in AWS words
    let before = t.fake.channel(CHANNEL).length;
    expect(
      await slash('/snapgate', PEOPLE.operator, `backup ${CONNECTION} --note "before the console"`),
    ).toMatch(/of `payments-api-eu` queued/);
    const backupCard = await newCard(before, /Completed/);
    const backup = await backupOfCard(backupCard.ts);
    expect(backup.artifactName).toMatch(/^aws-apigateway-payments-api-eu-\d{8}-\d{4}-manual-[a-z0-9]+\.sgb$/);
    await t.bot.idle();
    const thread = t.fake.thread(CHANNEL, backupCard.ts).map(textOf).join('\n');
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
    expect(await slash('/kong', PEOPLE.operator, `diff ${CONNECTION} latest --only plugins`)).toContain(
      'unknown section plugins for a AWS API Gateway connection; sections are: apis, stages, usage_plans, api_keys, domain_names, vpc_links, client_certificates',
    );
    before = t.fake.channel(CHANNEL).length;
    await send('/kong', PEOPLE.operator, `diff ${CONNECTION} latest --only stages`);
    const stagesOnly = cardText(await newCard(before, /\*Diff\* —/));
    expect(stagesOnly).toContain('create stage petstore › staging');
    expect(stagesOnly).not.toContain('integration');
    before = t.fake.channel(CHANNEL).length;
    await send('/kong', PEOPLE.operator, `diff ${CONNECTION} latest`);
    const diffCard = cardText(await newCard(before, /\*Diff\* —/));
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
    expect(await drift(backup)).toBeGreaterThan(0);
    const first = await restoreThroughSlack(
      `restore ${CONNECTION} ${backup.id} --reason "console edits at 14:00"`,
    );
    expect(first.planned).toContain('petstore › /pets › GET');
    expect(await drift(backup)).toBe(0);

    // the whole API deleted: re-created under new ids, zero drift again
    const live = [...sim.state.store.restApis.values()][0];
    await client.send(new DeleteRestApiCommand({ restApiId: live?.fields.id as string }));
    client.destroy();
    const second = await restoreThroughSlack(`restore ${CONNECTION} ${backup.id} --reason "API deleted"`);
    expect(second.planned).toContain('create REST API petstore');
    expect(await drift(backup)).toBe(0);
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
