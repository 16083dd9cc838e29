/**
 * A digest of what the seed wrote: every row of every seeded table, in rowid order, so two
 * databases seeded with the same options can be compared (and a change to the generator that
 * alters its output is seen).
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { SEEDED_TABLES } from './rows.ts';

/** sha256 (hex) over each table's name, column names and rows (as JSON), table by table (SEEDED's order). */
export function contentHash(sqlite: Database.Database, tables: readonly string[] = SEEDED_TABLES): string {
  const h = createHash('sha256');
  for (const t of tables) {
    const stmt = sqlite.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).raw(true);
    h.update(`${t}\n${JSON.stringify(stmt.columns().map((c) => c.name))}\n`);
    for (const row of stmt.iterate()) h.update(`${JSON.stringify(row)}\n`);
  }
  return h.digest('hex');
}
