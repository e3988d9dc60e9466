import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes new SQL migrations for both dialects: drizzle/ from src/db/schema.ts
// (SQLite, drizzle.config.ts) and drizzle-postgres/ from src/db/postgres/schema.ts (this file).
// test/integration/db/schema-agreement.test.ts fails when the two schemas drift apart.
// Applied at start by openPostgres() (src/db/postgres/database.ts); never edit a committed one.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/postgres/schema.ts',
  out: './drizzle-postgres',
});
