/**
 * One appender process on PostgreSQL: opens the records through the registry (as serve and worker do),
 * prints `ready`, waits for `go` on stdin so every process starts appending together, appends `count`
 * events as fast as it can, prints `done <ms>`.
 * argv: url schema actor count
 */
import { createInterface } from 'node:readline';
import { createAuditLog } from '../../../src/audit/index.ts';
import { openRecords } from '../../../src/compose/records.ts';

const [url, schema, actor, count] = process.argv.slice(2) as [string, string, string, string];
const records = await openRecords({ url, schema, password: null, ssl: { mode: 'disable' }, poolSize: 2 });
const audit = createAuditLog(records.audit);
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of lines) if (line === 'go') break;
const started = performance.now();
for (let i = 0; i < Number(count); i++) {
  await audit.append({ actor, action: 'slack.command', outcome: 'ok', details: { i } });
}
process.stdout.write(`done ${Math.round(performance.now() - started)}\n`);
lines.close();
await records.close();
