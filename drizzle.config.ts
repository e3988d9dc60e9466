import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes a new SQL migration under drizzle/ from src/db/schema.ts.
// Migrations are applied at start by openDatabase() (src/db/database.ts); never edit a committed one.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './drizzle',
});
