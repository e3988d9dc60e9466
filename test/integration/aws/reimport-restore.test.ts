/**
 * A change API Gateway cannot make in place, restored through PutRestApi overwrite, through Slack: the
 * petstore is backed up with model Pet of content type application/json; someone re-creates Pet as
 * application/xml in the console (the method that uses it unhooked, the model deleted and made again, the
 * method hooked back) and deletes stage `staging`. The diff and the restore card say the API will be restored
 * through PutRestApi overwrite; a second person approves; the restore imports the backup's definition of
 * the API, maps the ids the import assigned, puts the stage back entity-level, deploys, and a new dump shows
 * zero drift.
 */
import { DeleteStageCommand } from '@aws-sdk/client-api-gateway';
import { describe, expect, it } from 'vitest';
import { seedPetstore } from '../../../tools/aws-apigateway-sim/index.ts';
import { clientFor } from '../../aws-apigateway-sim/helpers.ts';
import { CHANNEL, PEOPLE } from '../bot/harness.ts';
import { useAwsSlackEnv } from './slack-support.ts';
import { recreateModel } from './support.ts';

const CONNECTION = 'payments-api-eu';

const fixture = useAwsSlackEnv({
  idSeed: 71,
  connection: CONNECTION,
  tmpName: 'snapgate-aws-reimport-',
  seed: (sim) => seedPetstore(sim.state),
});

describe('restore through PutRestApi overwrite', () => {
  it('a model whose content type changed comes back through a re-import of its API, to zero drift', async () => {
    const { sim, env, seeded: ids } = fixture;
    let before = env.t.fake.channel(CHANNEL).length;
    await env.slash('/snapgate', PEOPLE.operator, `backup ${CONNECTION}`);
    const backup = await env.backupOfCard((await env.newCard(before, /Completed/)).ts);
    const api = sim.state.store.restApis.get(ids.api)!;
    const oldModelId = api.models.get('Pet')?.id as string;
    const oldResources = new Set(api.resources.keys());

    // the console's way to change a model's content type: unhook, delete, create again, hook back
    const schema = api.models.get('Pet')?.schema as string;
    await recreateModel(sim, 'petstore', 'Pet', 'application/xml');
    const client = clientFor(sim);
    await client.send(new DeleteStageCommand({ restApiId: ids.api, stageName: 'staging' }));
    client.destroy();
    expect(await env.drift(backup)).toBe(2);

    // the diff says how: the model through the API's re-import, the stage entity-level
    before = env.t.fake.channel(CHANNEL).length;
    await env.send('/snapgate', PEOPLE.operator, `diff ${CONNECTION} ${backup.id}`);
    const diffCard = env.cardText(await env.newCard(before, /\*Diff\* —/));
    expect(diffCard).toContain('update model petstore › Pet (`contentType`)');
    expect(diffCard).toContain('create stage petstore › staging');
    expect(diffCard).toContain('will be restored through PutRestApi overwrite');
    expect(diffCard).toContain('REST API petstore will be restored through PutRestApi overwrite');
    expect(diffCard).not.toContain('would fail');

    const { restore, planned, thread } = await env.restoreThroughSlack(
      `restore ${CONNECTION} ${backup.id} --reason "Pet was re-created as XML"`,
    );
    expect(planned).toContain('*Restored through PutRestApi overwrite* (REST API petstore');
    expect(planned).toContain('model petstore › Pet: `contentType`');
    expect(restore.planSummary?.result).toMatchObject({ failed: 0, drift: 0 });
    expect(await env.drift(backup)).toBe(0);
    // one import, with the options the plan said
    expect(sim.state.byOperation['PUT /restapis/{restApiId}']).toBe(1);
    expect(sim.state.store.imports).toEqual([
      { restApiId: ids.api, query: { mode: 'overwrite', failonwarnings: 'true', ignore: 'documentation' } },
    ]);
    // documentation is left to the entity-level path: the parts are still there
    expect(sim.state.store.restApis.get(ids.api)?.documentationParts.size).toBe(4);

    const now = sim.state.store.restApis.get(ids.api)!;
    expect(now.models.get('Pet')).toMatchObject({ contentType: 'application/json', schema });
    expect(now.stages.has('staging')).toBe(true);
    // the import assigned new ids (the root kept its own); the thread names them
    const root = [...now.resources.values()].find((r) => r.parentId === null)!;
    expect(root.id).toBe(ids.root);
    const renewed = [...now.resources.keys()].filter((id) => !oldResources.has(id));
    expect(renewed).toHaveLength(2);
    const text = await thread();
    expect(text).toMatch(/\*New ids assigned\* \(\d+\)/);
    expect(text).toContain(`resource petstore:/pets: \`${ids.pets}\``);
    expect(now.models.get('Pet')?.id).not.toBe(oldModelId);
  }, 60_000);
});
