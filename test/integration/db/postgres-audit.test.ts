/**
 * The audit chain on PostgreSQL, where serve and worker processes on several machines append at once:
 * appenders in separate processes never fork the chain (`audit_head` row lock), `snapgate audit verify`
 * proves it, and tampering by someone who drops the append-only triggers first is still found — an edited
 * row by its hash, a removed tail by `audit_head.highest_seq`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Records } from '../../../src/app/ports/records.ts';
import { type AuditLog, createAuditLog } from '../../../src/audit/index.ts';
import { openRecords } from '../../../src/compose/records.ts';
import { appendFromProcesses } from '../../support/appenders.ts';
import { privateSchema, type TestSchema } from '../../support/postgres.ts';
import { cliInProcess } from '../../support/snapgate-cli.ts';

const ACTORS = ['U1A', 'U2B', 'U3C', 'U4D'];

function configFile(dir: string, pg: TestSchema): string {
  const path = join(dir, 'snapgate.yml');
  writeFileSync(
    path,
    `connections:
  - { name: prod, kongUrl: http://127.0.0.1:9, tokenEnv: SG_PG_TEST_TOKEN, environment: prod }
storage: { primary: ${join(dir, 'artifacts')}, allowSingleCopy: true }
keys: [{ id: k1, env: SG_PG_TEST_KEY, current: true }]
database: { url: "${pg.database.url}", schema: ${pg.schema} }
`,
  );
  return path;
}

describe('audit log on PostgreSQL', () => {
  let pg: TestSchema;
  let records: Records;
  let audit: AuditLog;
  let dir: string;

  beforeEach(async () => {
    pg = await privateSchema('audit');
    records = await openRecords(pg.database);
    audit = createAuditLog(records.audit);
    dir = mkdtempSync(join(tmpdir(), 'snapgate-pg-audit-'));
    vi.stubEnv('SG_PG_TEST_TOKEN', 'token');
    vi.stubEnv('SG_PG_TEST_KEY', 'a'.repeat(64));
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await records.close();
    await pg.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('four processes appending at once form one unbroken chain, and `snapgate audit verify` says so', async () => {
    await appendFromProcesses({ url: pg.database.url, schema: pg.schema }, ACTORS, 40);
    expect(await audit.verify()).toMatchObject({ ok: true, checked: 160, head: { seq: 160 } });
    for (const actor of ACTORS) expect(await audit.list({ actor, limit: 1000 })).toHaveLength(40);
    // the processes really interleaved: the chain is not four runs one after the other
    const order = (await records.audit.rowsAfter(0, 1000)).map((r) => r.actor);
    const switches = order.filter((a, i) => i > 0 && a !== order[i - 1]).length;
    expect(switches).toBeGreaterThan(3);

    const run = await cliInProcess(['audit', 'verify', '--config', configFile(dir, pg)]);
    expect(run).toMatchObject({
      code: 0,
      out: expect.stringMatching(
        /^ok: 160 events, head #160 [0-9a-f]{64}; no signed checkpoint was published, so only the chain's own consistency is proven/,
      ),
    });
  });

  it('finds an edited row and a removed tail even when the triggers were dropped first', async () => {
    for (let i = 0; i < 5; i++) {
      await audit.append({ actor: 'system', action: 'backup.requested', outcome: 'ok', details: { i } });
    }
    await pg.query('DROP TRIGGER audit_events_no_update ON audit_events');
    await pg.query(`UPDATE audit_events SET details = '{"i": 99}' WHERE seq = 3`);
    expect(await audit.verify()).toMatchObject({ ok: false, firstBroken: { seq: 3 } });
    await pg.query(`UPDATE audit_events SET details = '{"i":2}' WHERE seq = 3`);
    expect(await audit.verify()).toMatchObject({ ok: true, checked: 5 });

    await pg.query('DROP TRIGGER audit_events_no_delete ON audit_events');
    await pg.query('DELETE FROM audit_events WHERE seq >= 4');
    expect(await audit.verify()).toMatchObject({
      ok: false,
      firstBroken: { seq: 4, reason: 'rows 4–5 were removed from the end' },
    });
    // the high-water mark only moves forward
    await expect(pg.query('UPDATE audit_head SET highest_seq = 3')).rejects.toThrow(/only moves forward/);
    // and the next append leaves the gap visible instead of refilling it
    expect((await audit.append({ actor: 'system', action: 'config.loaded', outcome: 'ok' })).seq).toBe(6);
  });
});
