/**
 * `/kong` commands that need no worker: help, connections, parse errors, signatures, roles on reads,
 * backups/show/status over real records, and audit queries with paging. Real Bolt HTTP receiver, fake
 * Slack, real SQLite and audit log.
 */

import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { storageOverview } from '../../../src/app/index.ts';
import { signCheckpoint } from '../../../src/audit/index.ts';
import type { BotServices } from '../../../src/bot/services.ts';
import { checkpointKeys, checkpointStores, verifyAuditLog } from '../../../src/compose/audit-checkpoints.ts';
import { createCopyTarget } from '../../../src/storage/index.ts';
import {
  type BaseFixture,
  type BotFixture,
  CHANNEL,
  CONFIG_ENV,
  GROUPS,
  openBase,
  PEOPLE,
  startBot,
  textOf,
} from './harness.ts';

let base: BaseFixture;
let t: BotFixture;

const noJobs = (what: string) => () => Promise.reject(new Error(`${what}: this test file runs no jobs`));

beforeAll(async () => {
  base = await openBase();
  const services: BotServices = {
    config: base.config,
    backups: base.repos.backups,
    restores: base.repos.restores,
    rehearsals: base.repos.rehearsals,
    audit: base.audit,
    now: base.clock.now,
    requestBackup: noJobs('requestBackup'),
    requestVerify: noJobs('requestVerify'),
    verifyAudit: () => verifyAuditLog(base.config, base.audit, 'auto'),
    requestDiff: noJobs('requestDiff'),
    diffRefusal: noJobs('diffRefusal'),
    storageOverview: (connection) =>
      storageOverview(
        {
          storage: base.config.storage,
          copyTargetIds: base.config.storage.copies.map((c) => createCopyTarget(c).id),
          backups: base.repos.backups,
        },
        connection,
      ),
  };
  t = await startBot(services);
});

afterAll(async () => {
  await t.close();
  base.cleanup();
});

afterEach(() => t.fake.assertNoProblems());

/** Sends the command and returns the text of its ephemeral answer, once its audit event is written. */
async function answer(user: string, text: string): Promise<string> {
  const before = (await base.audit.head())?.seq ?? 0;
  const r = await t.kong(user, text);
  expect(r.status).toBe(200);
  expect(r.ackMs).toBeLessThan(3000);
  const [body] = await t.fake.waitFor(() => {
    const got = t.responses(r.responseId);
    return got.length ? got : undefined;
  });
  expect(body!.response_type).toBe('ephemeral');
  await waitForAudit(before);
  return textOf(body);
}

async function waitForAudit(afterSeq: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (((await base.audit.head())?.seq ?? 0) > afterSeq) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('no audit event was written');
}

async function lastAudit() {
  const [e] = await base.audit.list({ limit: 1 });
  return e!;
}

describe('help and connections', () => {
  it('help lists every command; help <command> explains one', async () => {
    const all = await answer(PEOPLE.nobody, 'help');
    expect(all).toContain('/kong backup <connection>');
    expect(all).toContain('/kong audit');
    expect(await answer(PEOPLE.nobody, 'help diff')).toContain('--only');
  });

  it('connections shows name, environment, owner and my role, never the URL or token', async () => {
    const text = await answer(PEOPLE.operator, 'connections');
    expect(text).toContain('prod');
    expect(text).toContain('production');
    expect(text).toContain('team-platform');
    expect(text).toMatch(/your role: \*operator\*/);
    expect(text).not.toContain('127.0.0.1');
    expect(text).not.toContain(CONFIG_ENV.KONG_PROD_TOKEN);
    expect(await lastAudit()).toMatchObject({
      actor: PEOPLE.operator,
      action: 'slack.command',
      outcome: 'ok',
    });
  });
});

describe('bad input: ephemeral usage, nothing posted or queued, audited as refused', () => {
  it.each([
    ['bakup prod', /Unknown command[\s\S]*backup/],
    ['backup', /Usage:\* `\/kong backup <connection>/],
    ['backups prod --limit 0', /--limit[\s\S]*Usage:\* `\/kong backups/],
    ['diff prod', /Usage:\* `\/kong diff/],
    ['diff prod latest --only plugns', /plugins/],
    ['audit --since forever', /--since/],
    ['backup prod --colour red', /Usage:\* `\/kong backup/],
    ['show', /Usage:\* `\/kong show <connection\|backup-id>`/],
    ['audit --user bob', /--user takes a mention/],
  ])('/kong %s', async (text, expected) => {
    const posts = t.fake.callsTo('chat.postMessage').length;
    const rows = (await base.repos.backups.listByConnection('prod')).length;
    expect(await answer(PEOPLE.admin, text)).toMatch(expected);
    expect(t.fake.callsTo('chat.postMessage').length).toBe(posts);
    expect((await base.repos.backups.listByConnection('prod')).length).toBe(rows);
    expect(await lastAudit()).toMatchObject({
      action: 'slack.command',
      outcome: 'refused',
      actor: PEOPLE.admin,
    });
  });
});

describe('request signing', () => {
  it.each([
    ['a forged signature', { badSignature: true }],
    ['a stale timestamp (6 minutes old)', { timestamp: Math.floor(Date.now() / 1000) - 360 }],
  ])('%s → 401, no Slack calls, no rows', async (_, opts) => {
    const calls = t.fake.calls.length;
    const head = await base.audit.head();
    const r = await t.kong(PEOPLE.admin, 'connections', opts);
    expect(r.status).toBe(401);
    await new Promise((res) => setTimeout(res, 100));
    expect(t.fake.calls.length).toBe(calls);
    expect(t.fake.responses.filter((p) => p.id === r.responseId)).toEqual([]);
    expect(await base.audit.head()).toEqual(head);
  });
});

describe('roles on reads', () => {
  it.each([
    [PEOPLE.viewerByGroup, 'backups prod', true],
    [PEOPLE.nobody, 'backups prod', false],
    [PEOPLE.operator, 'backups prod', true],
    [PEOPLE.operator, 'backups staging', true],
    [PEOPLE.viewerByGroup, 'backups staging', false],
  ])('%s: /kong %s allowed=%s', async (user, text, allowed) => {
    const body = await answer(user, text);
    if (allowed) {
      expect(body).toMatch(/No backups of|Newest/);
      expect(await lastAudit()).toMatchObject({ action: 'slack.command', outcome: 'ok' });
    } else {
      expect(body).toMatch(/needs the \*viewer\* role/);
      expect(await lastAudit()).toMatchObject({ action: 'slack.refused', outcome: 'refused', actor: user });
    }
  });

  it('a user removed from a group loses the role once the cache expires', async () => {
    expect(await answer(PEOPLE.viewerByGroup, 'backups prod')).not.toMatch(/needs/);
    t.fake.usergroups.set(GROUPS.viewers, []);
    base.clock.advance(61_000);
    expect(await answer(PEOPLE.viewerByGroup, 'backups prod')).toMatch(/needs the \*viewer\* role/);
    t.fake.usergroups.set(GROUPS.viewers, [PEOPLE.viewerByGroup]);
    base.clock.advance(61_000);
  });

  it('an unknown connection names the known ones', async () => {
    expect(await answer(PEOPLE.admin, 'backups prdo')).toMatch(
      /no connection `prdo`[\s\S]*`prod`, `staging`/,
    );
  });
});

describe('backups, show and status over real records', () => {
  it('lists, shows and reports status of a completed and a failed backup', async () => {
    const done = await base.repos.backups.create({
      connection: 'prod',
      type: 'manual',
      requestedBy: PEOPLE.operator,
      note: 'before rollout',
      environment: 'production',
    });
    await base.repos.backups.markRunning(done.id);
    await base.repos.backups.markCompleted(done.id, {
      counts: { services: 3, routes: 5 },
      bytes: 2048,
      sha256: 'ab'.repeat(32),
      keyId: 'k1',
      artifactName: 'kong-prod-20261121-1200-manual-abcd1234.sgb',
      copies: [{ target: 'primary', location: '/x', sha256: 'ab'.repeat(32) }],
    });
    const failed = await base.repos.backups.create({
      connection: 'prod',
      type: 'scheduled',
      requestedBy: 'system',
    });
    await base.repos.backups.markFailed(failed.id, {
      code: 'gateway_unreachable',
      reason: 'connect ECONNREFUSED 127.0.0.1:8001',
    });

    const list = await answer(PEOPLE.viewerByGroup, 'backups prod --limit 5');
    expect(list).toContain(done.id);
    expect(list).toContain(failed.id);
    expect(list).toContain('8 entities');

    const shown = await answer(PEOPLE.viewerByGroup, `show ${done.id}`);
    expect(shown).toContain('kong-prod-20261121-1200-manual-abcd1234.sgb');
    expect(shown).toContain('abababababab');
    expect(shown).toMatch(/services: 3/);

    const status = await answer(PEOPLE.viewerByGroup, `status ${failed.id}`);
    expect(status).toMatch(/Failed/);
    expect(status).toContain('ECONNREFUSED');

    expect(await answer(PEOPLE.nobody, `show ${done.id}`)).toMatch(/needs the \*viewer\* role/);
    expect(await answer(PEOPLE.admin, 'status nope-123')).toMatch(/no backup or restore request/);
    expect(await answer(PEOPLE.admin, 'show nope-123')).toMatch(/no connection or backup `nope-123`/);
  });

  it("show <connection> lists each storage target's place and its newest verification", async () => {
    const copyId = createCopyTarget(base.config.storage.copies[0]!).id;
    const b = await base.repos.backups.create({ connection: 'prod', type: 'manual', requestedBy: 'U0OPER' });
    await base.repos.backups.markRunning(b.id);
    await base.repos.backups.markCompleted(b.id, {
      counts: { services: 1 },
      bytes: 10,
      sha256: 'cd'.repeat(32),
      keyId: 'k1',
      artifactName: 'kong-prod-20261121-1300-manual-cdcd1234.sgb',
      copies: [
        { target: 'primary', location: `${base.dir}/primary/x.sgb`, sha256: 'cd'.repeat(32) },
        { target: copyId, location: `${base.dir}/copy/x.sgb`, sha256: 'cd'.repeat(32) },
      ],
    });
    const before = await answer(PEOPLE.viewerByGroup, 'show prod');
    expect(before).toContain(`directory \`${base.dir}/primary\``);
    expect(before).toContain(`directory \`${base.dir}/copy\``);
    expect(before.match(/not verified yet/g)).toHaveLength(2);

    await base.repos.backups.recordVerification(b.id, [
      { target: 'primary', location: `${base.dir}/primary/x.sgb`, ok: true },
      { target: copyId, location: `${base.dir}/copy/x.sgb`, ok: false, problem: 'missing: the copy is gone' },
    ]);
    const after = await answer(PEOPLE.viewerByGroup, 'show prod');
    const [primary, copy] = after.split(`directory \`${base.dir}/copy\``);
    expect(primary).toMatch(new RegExp(`verified ok — backup \`${b.id}\` <!date\\^\\d+`));
    expect(copy).toMatch(/verify failed — backup .*: missing: the copy is gone/);
    expect(after).toMatch(/1 failed their last verification/);
    expect(await lastAudit()).toMatchObject({
      action: 'slack.command',
      connection: 'prod',
      details: expect.objectContaining({ view: 'storage', targets: 2 }),
    });
    expect(await answer(PEOPLE.nobody, 'show prod')).toMatch(/needs the \*viewer\* role/);
  });
});

describe('/kong rehearsals (issue 16 §3)', () => {
  it('lists the rehearsals of a connection: result, recovery time, drift, why one failed', async () => {
    expect(await answer(PEOPLE.viewerByGroup, 'rehearsals prod')).toMatch(/No rehearsals of `prod` yet/);
    const b = await base.repos.backups.create({ connection: 'prod', type: 'manual', requestedBy: 'U0OPER' });
    const passed = await base.repos.rehearsals.start({
      connection: 'prod',
      target: 'prod-scratch',
      backupId: b.id,
      requestedBy: 'system',
    });
    await base.repos.rehearsals.finish(passed.id, {
      status: 'passed',
      durationMs: 83_000,
      entities: 1520,
      applied: 1520,
      drift: 0,
      failure: null,
    });
    const failed = await base.repos.rehearsals.start({
      connection: 'prod',
      target: 'prod-scratch',
      backupId: b.id,
      requestedBy: PEOPLE.operator,
    });
    await base.repos.rehearsals.finish(failed.id, {
      status: 'failed',
      durationMs: 4200,
      entities: 1520,
      applied: 0,
      drift: null,
      failure: {
        code: 'plan_refused',
        reason: 'the scratch gateway refuses the plan: plugin acme is not enabled',
      },
    });
    const list = await answer(PEOPLE.viewerByGroup, 'rehearsals prod --limit 5');
    expect(list).toContain(passed.id);
    expect(list).toMatch(/recovery time \*1 min 23 s\* · 1,?520 entities · drift 0/);
    expect(list).toContain('plugin acme is not enabled');
    expect(list.indexOf(failed.id)).toBeLessThan(list.indexOf(passed.id));
    expect(await lastAudit()).toMatchObject({ action: 'slack.command', connection: 'prod', outcome: 'ok' });
    expect(await answer(PEOPLE.nobody, 'rehearsals prod')).toMatch(/needs the \*viewer\* role/);
    expect(await answer(PEOPLE.viewerByGroup, 'rehearsals')).toMatch(
      /Usage:\* `\/kong rehearsals <connection>/,
    );
  });
});

describe('audit from chat', () => {
  it('filters by connection, user and action, pages with a cursor, and re-checks the role on click', async () => {
    for (let i = 0; i < 5; i++) {
      await base.audit.append({
        actor: PEOPLE.operator,
        action: 'backup.requested',
        connection: 'staging',
        targetId: `b-${i}`,
        outcome: 'ok',
      });
    }
    await base.audit.append({
      actor: PEOPLE.approver,
      action: 'backup.requested',
      connection: 'staging',
      targetId: 'b-x',
      outcome: 'ok',
    });

    const page1 = await t.kong(
      PEOPLE.operator,
      `audit --connection staging --user <@${PEOPLE.operator}|oper> --action backup --limit 2`,
    );
    const [body1] = await t.fake.waitFor(() =>
      t.responses(page1.responseId).length ? t.responses(page1.responseId) : undefined,
    );
    const text1 = textOf(body1);
    expect(text1).toContain('b-4');
    expect(text1).toContain('b-3');
    expect(text1).not.toContain('b-x');
    const next = JSON.stringify(body1).match(/"action_id":"audit_next_page","value":"([^"]+)"/);
    expect(next).not.toBeNull();

    let before = (await base.audit.head())!.seq;
    const click = await t.click({ actionId: 'audit_next_page', value: next![1]!, userId: PEOPLE.operator });
    expect(click.status).toBe(200);
    const [body2] = await t.fake.waitFor(() =>
      t.responses(click.responseId).length ? t.responses(click.responseId) : undefined,
    );
    expect(body2!.replace_original).toBe(true);
    expect(textOf(body2)).toContain('b-2');
    expect(textOf(body2)).toContain('b-1');
    expect(textOf(body2)).not.toContain('b-4');
    await waitForAudit(before);
    expect(await lastAudit()).toMatchObject({
      action: 'slack.button',
      outcome: 'ok',
      details: { action: 'audit_next_page', page: 2 },
    });

    // Someone without the role replays the button: refused and audited.
    before = (await base.audit.head())!.seq;
    const replay = await t.click({ actionId: 'audit_next_page', value: next![1]!, userId: PEOPLE.nobody });
    const [body3] = await t.fake.waitFor(() =>
      t.responses(replay.responseId).length ? t.responses(replay.responseId) : undefined,
    );
    expect(textOf(body3)).toMatch(/needs the \*viewer\* role/);
    await waitForAudit(before);
    expect(await lastAudit()).toMatchObject({ action: 'slack.refused', actor: PEOPLE.nobody });

    // A tampered cursor is refused.
    const bad = await t.click({ actionId: 'audit_next_page', value: 'eyJ4IjoxfQ', userId: PEOPLE.operator });
    const [body4] = await t.fake.waitFor(() =>
      t.responses(bad.responseId).length ? t.responses(bad.responseId) : undefined,
    );
    expect(textOf(body4)).toMatch(/not valid/);
  });

  it('the unfiltered log needs admin somewhere; admins see every connection', async () => {
    expect(await answer(PEOPLE.operator, 'audit')).toMatch(/needs the \*admin\* role/);
    const text = await answer(PEOPLE.admin, 'audit --since 1h --limit 50');
    expect(text).toContain('staging');
    expect(text).toContain('slack.refused');
  });
});

describe('/kong audit verify (issue 18 §1)', () => {
  it('admins only; answers privately whether the chain matches the newest signed checkpoint', async () => {
    expect(await answer(PEOPLE.operator, 'audit verify')).toMatch(/needs the \*admin\* role/);
    expect(await lastAudit()).toMatchObject({ action: 'slack.refused', outcome: 'refused' });
    expect(await answer(PEOPLE.admin, 'audit verify')).toMatch(
      /:white_check_mark: Audit log: ok: \d+ events, .*no signed checkpoint was published/,
    );
    // a checkpoint signed with the configured key that covers more rows than the log holds: a cut log
    const head = (await base.audit.head())!;
    const [store] = checkpointStores(createCopyTarget(base.config.storage.primary));
    const claim = { seq: head.seq + 5, hash: 'e'.repeat(64), count: head.seq + 5, time: base.clock.now() };
    const name = await store!.put(
      '20991231T000000000Z-000000000999.json',
      JSON.stringify(signCheckpoint(claim, checkpointKeys(base.config).signing)),
    );
    try {
      const text = await answer(PEOPLE.admin, 'audit verify');
      expect(text).toMatch(
        /:rotating_light: Audit log: TRUNCATED: the audit log ends at row \d+ but checkpoint/,
      );
      expect(await lastAudit()).toMatchObject({ action: 'slack.command', outcome: 'failed' });
    } finally {
      rmSync(name, { force: true });
    }
    expect(await answer(PEOPLE.admin, 'audit verify --limit 2')).toMatch(/takes no options/);
  });
});

it('acks every command in the same channel without posting there for ephemeral answers', () => {
  expect(t.fake.channel(CHANNEL)).toEqual([]);
});
