/**
 * `npm run bench:audit-pg`: 2,000 audit appends from 4 processes at once on PostgreSQL (issue 14's
 * figure), each process opening the records through the registry as serve and worker do, every one
 * told to start at the same moment; then the chain is verified. A private schema on the local server
 * (`SNAPGATE_TEST_POSTGRES_URL`, default postgres://postgres@127.0.0.1:5432/test), dropped afterwards.
 * Prints one JSON line.
 */
import { createAuditLog } from '../src/audit/index.ts';
import { openRecords } from '../src/compose/records.ts';
import { appendFromProcesses } from '../test/support/appenders.ts';
import { privateSchema } from '../test/support/postgres.ts';

const PROCESSES = 4;
const TOTAL = Number(process.env.BENCH_AUDIT_APPENDS ?? 2000);

const pg = await privateSchema('bench');
const records = await openRecords(pg.database);
try {
  const actors = Array.from({ length: PROCESSES }, (_, i) => `U0BENCH${i}`);
  const { wallMs } = await appendFromProcesses(
    { url: pg.database.url, schema: pg.schema },
    actors,
    Math.ceil(TOTAL / PROCESSES),
  );
  const t = performance.now();
  const verify = await createAuditLog(records.audit).verify();
  const verifyMs = performance.now() - t;
  const appends = Math.ceil(TOTAL / PROCESSES) * PROCESSES;
  console.log(
    JSON.stringify({
      bench: 'audit-postgres',
      processes: PROCESSES,
      appends,
      wallMs: Math.round(wallMs),
      appendsPerSec: Math.round((appends / wallMs) * 1000),
      verified: verify.ok && verify.checked === appends,
      verifyMs: Math.round(verifyMs),
    }),
  );
  if (!verify.ok || verify.checked !== appends) process.exitCode = 1;
} finally {
  await records.close();
  await pg.drop();
}
