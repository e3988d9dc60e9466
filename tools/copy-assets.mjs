// `npm run build`, after tsc: the files the compiled code reads at run time that tsc does not emit
// (the local console's page). Migrations are found by walking up from the module (src/db), so the
// package ships drizzle/ and drizzle-postgres/ at its root instead.
import { cpSync } from 'node:fs';

const ASSETS = [['src/console/page', 'dist/src/console/page']];
for (const [from, to] of ASSETS) cpSync(from, to, { recursive: true });
