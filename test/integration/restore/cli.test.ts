import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { credentialSha256 } from '../../../src/app/index.ts';
import { cliActor } from '../../../src/cli/commands/backup-context.ts';
import type { Runtime as Services } from '../../../src/compose/index.ts';
import { type RunningWorkers, startWorkers } from '../../../src/jobs/index.ts';
import { kongClientFor } from '../../../src/kong/index.ts';
import { cliInProcess, runSnapgateBin } from '../../support/snapgate-cli.ts';
import { createTestEnv, type TestEnv } from '../jobs/harness.ts';
import { ADMIN, APPROVER, driftFrom, OUTSIDER, takeBackup } from './harness.ts';

let env: TestEnv;
let services: Services;
let workers: RunningWorkers;

/** An approver who is also the requester: their login is the one running these tests (cli:<login>). */
const SELF = 'U0SELFREQ';
/** each approver's credential file (mode 600); their SHA-256 goes into snapgate.yml's approvers */
const credentialOf: Record<string, string> = {};

beforeEach(async () => {
  env = await createTestEnv({
    connectionExtra: `roles:\n  approver: [${APPROVER}, ${SELF}]\n  admin: [${ADMIN}]`,
  });
  const entries: string[] = [];
  for (const user of [APPROVER, SELF, OUTSIDER]) {
    const credential = randomBytes(32).toString('base64url');
    credentialOf[user] = join(env.dir, `${user}.credential`);
    writeFileSync(credentialOf[user], `${credential}\n`, { mode: 0o600 });
    const cliUser = user === SELF ? `\n    cliUser: ${cliActor().slice('cli:'.length)}` : '';
    entries.push(`  - user: ${user}${cliUser}\n    credentialSha256: ${credentialSha256(credential)}`);
  }
  await env.reload((y) => `${y}approvers:\n${entries.join('\n')}\n`);
  Object.assign(process.env, env.env);
  services = await env.open();
  workers = await startWorkers(services, { syncSchedules: false, log: () => undefined });
});
afterEach(async () => {
  await workers.close(2000);
  await env.cleanup();
});

const runBin = (...args: string[]) => runSnapgateBin([...args, '--config', env.configPath], env.env);

const cli = (...args: string[]) => cliInProcess([...args, '--config', env.configPath]);

it('restore prints the plan and its hash; approve needs the hash reviewed, refuses a stale one showing the new plan, then restores to zero drift', async () => {
  const backup = await takeBackup(services);
  const kong = kongClientFor(services.connection('prod'));
  await kong.request('PATCH', '/services/orders', { body: { port: 9999 } });
  await kong.request('DELETE', '/routes/billing-api');
  kong.close();

  const missingReason = await cli('restore', 'prod', 'latest');
  expect(missingReason).toMatchObject({ code: 1 });
  expect(missingReason.err).toContain('--reason is required');

  const asked = await runBin('restore', 'prod', backup.id, '--reason', 'Slack is down, bad deploy');
  expect(asked.err).toBe('');
  expect(asked.code).toBe(0);
  expect(asked.out).toContain('updating service orders');
  expect(asked.out).toContain('    port: 9999 → 8080');
  expect(asked.out).toContain('creating route billing-api');
  const id = /restore (\S+) is awaiting approval until \S+ \S+/.exec(asked.out)?.[1] ?? '';
  expect(await services.repos.restores.get(id)).toMatchObject({
    requestedBy: cliActor(),
    status: 'awaiting_approval',
  });

  const busy = await cli('restore', 'prod', 'latest', '--reason', 'again');
  expect(busy.code).toBe(1);
  expect(busy.err).toContain(id);

  const planHash = /^plan ([0-9a-f]{64})$/m.exec(asked.out)?.[1] ?? '';
  expect(planHash).toBe((await services.repos.restores.get(id))?.planHash);
  expect(asked.out).toContain(`snapgate restores show ${id}`);
  expect(asked.out).toContain(`snapgate approve ${id} --plan ${planHash.slice(0, 12)} --as <approver>`);

  // the approver reviews the request: the plan and its hash, from the record
  const shown = await cli('restores', 'show', id);
  expect(shown.code).toBe(0);
  expect(shown.out).toContain(`backup        ${backup.id} (manual, taken `);
  expect(shown.out).toContain(`plan ${planHash}\n`);
  expect(shown.out).toContain('updating service orders\n    port: 9999 → 8080\n');
  expect(shown.out).toContain('creating route billing-api');

  // no hash: refused, and the plan awaiting approval is shown instead
  const as = (who: string) => ['--as', who, '--credential-file', credentialOf[who] ?? ''];
  const blind = await cli('approve', id, ...as(APPROVER));
  expect(blind.code).toBe(1);
  expect(blind.err).toContain('--plan <hash> is required');
  expect(blind.out).toContain(`plan ${planHash}\n`);
  expect(blind.out).toContain('updating service orders');
  expect((await cli('approve', id, '--plan', planHash.slice(0, 11), ...as(APPROVER))).err).toContain(
    'at least 12 hex characters',
  );

  // --as is a claim: the approver proves it with their own credential, and the requester never approves
  for (const [args, message] of [
    [['--as', APPROVER], 'prove you are U0APPROVER: pass your approver credential with --credential-file'],
    [['--as', APPROVER, '--credential-file', credentialOf[OUTSIDER]], "not U0APPROVER's approver credential"],
    [
      ['--as', ADMIN, '--credential-file', credentialOf[APPROVER]],
      'U0ADMIN has no approver credential in snapgate.yml',
    ],
    [as(SELF), 'someone else must approve it'],
    [as(OUTSIDER), 'you need the approver role on prod'],
  ] as const) {
    const refused = await cli('approve', id, '--plan', planHash, ...(args as readonly string[]));
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(message);
  }
  // a credential others may read is refused before it is used, with the fix
  chmodSync(credentialOf[APPROVER] ?? '', 0o644);
  const open = await cli('approve', id, '--plan', planHash, ...as(APPROVER));
  expect(open.code).toBe(1);
  expect(open.err).toContain(
    `approver credential ${credentialOf[APPROVER]} is accessible to its group and others (mode 644)`,
  );
  expect(open.err).toContain(`chmod 600 ${credentialOf[APPROVER]}`);
  chmodSync(credentialOf[APPROVER] ?? '', 0o600);

  // the gateway changes after the review: the run re-plans before any write and asks again
  const kong2 = kongClientFor(services.connection('prod'));
  await kong2.request('PATCH', '/services/billing', { body: { port: 7777 } });
  kong2.close();
  const writes = env.sim.state.writes;
  const stale = await runBin('approve', id, '--plan', planHash.slice(0, 12), ...as(APPROVER), '--wait');
  expect(stale.code).toBe(1);
  expect(stale.err).toContain('nothing was applied. The new plan is printed above');
  const newHash = /^plan ([0-9a-f]{64})$/m.exec(stale.out)?.[1] ?? '';
  expect(newHash).not.toBe(planHash);
  expect(stale.out).toContain('updating service billing\n    port: 7777 → 80\n');
  expect(stale.out).toContain(`snapgate approve ${id} --plan ${newHash.slice(0, 12)} --as <approver>`);
  expect(env.sim.state.writes).toBe(writes);

  // running the same command again does not approve the new plan nobody reviewed
  const again = await cli('approve', id, '--plan', planHash.slice(0, 12), ...as(APPROVER));
  expect(again.code).toBe(1);
  expect(again.err).toContain('the plan changed since the one you reviewed');
  expect(again.out).toContain(`plan ${newHash}\n`);
  expect(again.out).toContain('updating service billing');
  expect((await services.repos.restores.get(id))?.status).toBe('awaiting_approval');

  const approved = await runBin('approve', id, '--plan', newHash, ...as(APPROVER), '--wait');
  expect(approved.err).toBe('');
  expect(approved.code).toBe(0);
  expect(approved.out).toMatch(
    new RegExp(`restore ${id}: Completed \\(3 applied, drift 0\\); pre-restore backup \\S+`),
  );
  expect((await driftFrom(services, backup)).steps).toEqual([]);

  const events = (await services.audit.list({ limit: 100 })).filter((e) => e.targetId === id).reverse();
  expect(events.map((e) => [e.action, e.actor])).toEqual([
    ['restore.requested', cliActor()],
    ['restore.planned', 'system'],
    ['restore.approval_refused', cliActor()],
    ['restore.approval_refused', cliActor()],
    ['restore.approval_refused', cliActor()],
    ['restore.approval_refused', cliActor()],
    ['restore.approval_refused', cliActor()],
    ['restore.approved', cliActor()],
    ['restore.started', 'system'],
    ['restore.replan_required', 'system'],
    ['restore.approval_refused', cliActor()],
    ['restore.approved', cliActor()],
    ['restore.started', 'system'],
    ['restore.completed', 'system'],
  ]);
  // refusals name why; each approval names the plan hash it approved and the proof of the approver
  expect(events.slice(2, 7).map((e) => e.details?.refusal)).toEqual([
    'unproven_approver',
    'unproven_approver',
    'unproven_approver',
    'self_approval',
    'not_authorized',
  ]);
  const proof = {
    method: 'approver-credential',
    fingerprint: expect.stringMatching(/^sha256:[0-9a-f]{12}$/),
  };
  expect(events[7]?.details).toMatchObject({ approver: APPROVER, planHash, proof });
  expect(events[10]?.details).toMatchObject({ refusal: 'plan_changed' });
  expect(events[11]?.details).toMatchObject({ approver: APPROVER, planHash: newHash, proof });
});

it('restores list|cancel|reject, and a long plan summarised (counts + first 50; --full, --plan-file)', async () => {
  const backup = await takeBackup(services);
  const kong = kongClientFor(services.connection('prod'));
  for (let i = 0; i < 120; i++) {
    await kong.request('POST', '/services', {
      body: { name: `rogue-${String(i).padStart(3, '0')}`, host: 'r.internal' },
    });
  }
  kong.close();

  // a long plan: the first 50 changes, then the rest counted per kind, and how to see everything
  const asked = await cli('restore', 'prod', backup.id, '--reason', 'long plan');
  expect(asked.code).toBe(0);
  expect(asked.out.match(/^deleting service rogue-/gm)).toHaveLength(50);
  expect(asked.out).toContain('… and 70 more changes (all of them: --full, or --plan-file FILE)');
  expect(asked.out).toContain('Changes by kind:\n  services: 120 deleted\n');
  expect(asked.out).toContain('  Deleted: 120');
  const first = /restore (\S+) is awaiting approval/.exec(asked.out)?.[1] ?? '';

  // list: one line per request, newest first; --status filters
  const listed = await cli('restores', 'list');
  expect(listed.out).toMatch(
    new RegExp(
      `^${first}  \\S+ \\S+  prod  awaiting_approval +${cliActor()}  backup ${backup.id}  "long plan"$`,
      'm',
    ),
  );
  expect((await cli('restores', 'list', 'prod', '--status', 'cancelled')).out).toBe(
    'no restore requests of prod cancelled\n',
  );
  expect((await cli('restores', 'list', '--status', 'nope')).err).toContain('--status must be one of');

  // the requester cancels; the connection is free again
  const cancelled = await cli('restores', 'cancel', first);
  expect(cancelled).toMatchObject({
    code: 0,
    out: `restore ${first} cancelled; prod is free for a new request\n`,
  });
  expect((await services.repos.restores.get(first))?.status).toBe('cancelled');

  // --plan-file: every change in the file, the summary on the terminal; --full: every change printed
  const planFile = join(env.dir, 'plan.txt');
  const second = await cli('restore', 'prod', backup.id, '--reason', 'to a file', '--plan-file', planFile);
  expect(second.out).toContain(`… and 70 more changes (all of them in ${planFile})`);
  expect(second.out).toContain(`the whole plan is in ${planFile}`);
  expect(readFileSync(planFile, 'utf8').match(/^deleting service rogue-/gm)).toHaveLength(120);
  const secondId = /restore (\S+) is awaiting approval/.exec(second.out)?.[1] ?? '';

  // someone else's request: cancel says who can, reject needs a proven approver
  const notMine = await services.repos.restores.create({
    connection: 'staging-like',
    backupId: backup.id,
    requestedBy: 'U0SOMEONE',
    reason: 'x',
    expiresAt: new Date(Date.now() + 60_000),
  });
  const refused = await cli('restores', 'cancel', notMine.id);
  expect(refused.code).toBe(1);
  expect(refused.err).toContain(
    `was requested by U0SOMEONE; only they can cancel it (in Slack: /kong cancel ${notMine.id})`,
  );

  const unproven = await cli('restores', 'reject', secondId, '--as', APPROVER);
  expect(unproven.code).toBe(1);
  expect(unproven.err).toContain('not rejected: prove you are U0APPROVER');
  const rejected = await cli(
    'restores',
    'reject',
    secondId,
    '--as',
    APPROVER,
    '--credential-file',
    credentialOf[APPROVER] ?? '',
  );
  expect(rejected).toMatchObject({ code: 0, out: `restore ${secondId} rejected by ${APPROVER}\n` });
  const audit = (await services.audit.list({ action: 'restore.rejected' })).find(
    (e) => e.targetId === secondId,
  );
  expect(audit?.details).toMatchObject({ by: APPROVER, proof: { method: 'approver-credential' } });

  const full = await cli('restore', 'prod', backup.id, '--reason', 'all of it', '--full');
  expect(full.out.match(/^deleting service rogue-/gm)).toHaveLength(120);
  expect(full.out).not.toContain('more changes');
});
