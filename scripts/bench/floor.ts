/** 2a. The SQL floor: the recompute's GROUP BY alone, and the recompute's own query, on the bench thread. */
import Database from 'better-sqlite3';
import { DEFAULT_POLICY } from '../../src/policy.ts';
import { INVOICE_AGGREGATES_SQL } from '../../src/repos/analytics.ts';
import { abcPeriod } from '../../src/services/analytics.ts';
import { TZ } from './config.ts';
import { line, median, ms } from './report.ts';

export interface Floor {
  /** The faster of SQLite's plan and a table scan, ms. */
  floor: number;
  /** The table scan, ms. */
  scanned: number;
}

export function sqlFloor(dbPath: string, now: number): Floor {
  const period = abcPeriod(DEFAULT_POLICY, now, TZ);
  const floorSql = (hint: string) =>
    `SELECT client_id, currency, sum(amount_minor) AS revenue FROM invoices ${hint} WHERE issue_date >= ? AND issue_date <= ? GROUP BY client_id, currency`;
  const timeQuery = (sql: string, runs: number, args: unknown[] = [period.from, period.to]): number => {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const db = new Database(dbPath, { readonly: true });
      const t = performance.now();
      const rows = db.prepare(sql).all(...args);
      times.push(performance.now() - t);
      db.close();
      if (rows.length === 0) throw new Error(`no rows from ${sql}`);
    }
    return median(times);
  };
  const planOf = (sql: string, args: unknown[] = [period.from, period.to]): string => {
    const db = new Database(dbPath, { readonly: true });
    try {
      return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join('; ');
    } finally {
      db.close();
    }
  };
  // The floor is the faster of SQLite's own plan (any index it likes, e.g. the recompute's
  // covering invoices_abc_idx) and a plain table scan, so an index only ever lowers it.
  const planned = timeQuery(floorSql(''), 3);
  const scanned = timeQuery(floorSql('NOT INDEXED'), 3);
  // The recompute's covering index too, whatever the planner prefers (invoices_issue_idx looks rows up one by one).
  const covering = timeQuery(floorSql('INDEXED BY invoices_abc_idx'), 3);
  const floor = Math.min(planned, scanned, covering);
  line(
    'sql floor',
    `${ms(floor)} (GROUP BY client_id, currency over ${period.from} … ${period.to}, fresh connection each run; as SQLite plans it [${planOf(floorSql(''))}]: ${ms(planned)}; as a table scan (NOT INDEXED): ${ms(scanned)}; on invoices_abc_idx: ${ms(covering)})`,
  );
  // Where the recompute's time goes: its one query, as src/repos/analytics.ts runs it.
  const args = [{ from: period.from, to: period.to, today: period.to }];
  const agg = timeQuery(INVOICE_AGGREGATES_SQL, 3, args);
  line('abc recompute query (on the bench thread)', `invoiceAggregates ${ms(agg)} [${planOf(INVOICE_AGGREGATES_SQL, args)}]`);
  return { floor, scanned };
}
