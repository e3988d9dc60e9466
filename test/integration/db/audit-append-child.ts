/**
 * One appender process: waits for the common start time, then appends `count` events as fast as it can.
 * argv: dbPath actor count startAtMs
 */
import { createAuditLog } from '../../../src/audit/index.ts';
import { openDatabase, SqliteAuditStore } from '../../../src/db/index.ts';

const [path, actor, count, startAt] = process.argv.slice(2) as [string, string, string, string];
const db = openDatabase(path, { migrate: false });
const audit = createAuditLog(new SqliteAuditStore(db));
while (Date.now() < Number(startAt)) {
  // busy-wait so every process starts appending in the same millisecond
}
for (let i = 0; i < Number(count); i++) {
  await audit.append({ actor, action: 'slack.command', outcome: 'ok', details: { i } });
}
db.close();
