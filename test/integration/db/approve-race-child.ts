/**
 * One would-be approver in its own process: opens the shared database file, waits for the common start
 * time so every process clicks at once, approves, and prints the outcome as one JSON line.
 * argv: dbPath restoreId approver planHash nowIso startAtMs
 */
import { createRepositories, openDatabase } from '../../../src/db/index.ts';

const [path, restoreId, approver, planHash, nowIso, startAt] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
];
const db = openDatabase(path, { migrate: false });
const { restores } = createRepositories(db, { now: () => new Date(nowIso) });
while (Date.now() < Number(startAt)) {
  // busy-wait: a timer would add up to a few ms of skew between the racers
}
const result = await restores.approve({ restoreId, approver, planHash });
process.stdout.write(
  `${JSON.stringify({ approver, ok: result.ok, refusal: result.ok ? null : result.refusal })}\n`,
);
db.close();
