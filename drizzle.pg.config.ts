import { defineConfig } from 'drizzle-kit';

/** PostgreSQL (DATABASE_URL): the DDL in db/schema-pg, held equal to db/schema by test/schema-parity.test.ts. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema-pg/index.ts',
  out: './db/migrations-pg',
});
