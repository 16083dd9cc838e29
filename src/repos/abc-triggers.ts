/**
 * The SQL of the running ABC totals (src/repos/abc-totals.ts): one invoice's part of each total,
 * and the triggers on invoices that add and take out those parts, per dialect. Installed after
 * the migrations by openDb and openPgDb (triggers are not drizzle's model).
 */
import { installSqliteTriggerSet } from './triggers.ts';

type Dialect = 'sqlite' | 'postgres';

export type Totals = 'revenue_minor' | 'margin_minor' | 'late_paid' | 'late_weight' | 'invoices' | 'overdue_minor' | 'overdue_due';
export const TOTALS: readonly Totals[] = ['revenue_minor', 'margin_minor', 'late_paid', 'late_weight', 'invoices', 'overdue_minor', 'overdue_due'];
/** The invoice columns the totals depend on: an update of any other one changes nothing here. */
const TRACKED = ['client_id', 'currency', 'amount_minor', 'margin_minor', 'product_line', 'issue_date', 'due_date', 'paid_date'] as const;

const dayOf = (d: Dialect, x: string) => (d === 'sqlite' ? `CAST(julianday(${x}) - 2440587.5 AS INTEGER)` : `(${x}::date - DATE '1970-01-01')`);

/** One invoice's part of each total, as SQL over the row `r` (NEW, OLD, an alias), lateness counted to the day `to`. */
export function parts(d: Dialect, r: string, to: string): Record<Totals, string> {
  const overdue = `${r}.amount_minor > 0 AND ${r}.paid_date IS NULL AND ${r}.due_date < ${to}`;
  return {
    revenue_minor: `${r}.amount_minor`,
    margin_minor: `coalesce(${r}.margin_minor, 0)`,
    late_paid: `CASE WHEN ${r}.amount_minor > 0 AND ${r}.paid_date > ${r}.due_date THEN ${r}.amount_minor * (${dayOf(d, `${r}.paid_date`)} - ${dayOf(d, `${r}.due_date`)}) ELSE 0 END`,
    late_weight: `CASE WHEN ${r}.amount_minor > 0 THEN ${r}.amount_minor ELSE 0 END`,
    invoices: '1',
    overdue_minor: `CASE WHEN ${overdue} THEN ${r}.amount_minor ELSE 0 END`,
    overdue_due: `CASE WHEN ${overdue} THEN ${r}.amount_minor * ${dayOf(d, `${r}.due_date`)} ELSE 0 END`,
  };
}

export const upsertTotals = `ON CONFLICT (client_id, currency) DO UPDATE SET ${TOTALS.map((c) => `${c} = abc_totals.${c} + excluded.${c}`).join(', ')}`;
export const insertTotals = `INSERT INTO abc_totals (client_id, currency, ${TOTALS.join(', ')}, line_count)`;
export const upsertLines = 'ON CONFLICT (client_id, currency, product_line) DO UPDATE SET invoices = abc_lines.invoices + excluded.invoices';

/** The statements that add the row `r` to the totals (the window's last day is `to`). */
function addRow(d: Dialect, r: string, to: string, from: string): string[] {
  const p = parts(d, r, to);
  const key = `client_id = ${r}.client_id AND currency = ${r}.currency`;
  return [
    `${insertTotals} SELECT ${r}.client_id, ${r}.currency, ${TOTALS.map((c) => p[c]).join(', ')}, 0 ${from} ${upsertTotals}`,
    `INSERT INTO abc_lines (client_id, currency, product_line, invoices) SELECT ${r}.client_id, ${r}.currency, ${r}.product_line, 1 ${from}${from ? ' AND' : ' WHERE'} ${r}.product_line <> '' ${upsertLines}`,
    `UPDATE abc_totals SET line_count = line_count + 1 WHERE ${key} AND (SELECT invoices FROM abc_lines WHERE ${key} AND product_line = ${r}.product_line) = 1`,
  ];
}

/** The statements that take the row `r` out of the totals. */
function removeRow(d: Dialect, r: string, to: string): string[] {
  const p = parts(d, r, to);
  const key = `client_id = ${r}.client_id AND currency = ${r}.currency`;
  const line = `${key} AND product_line = ${r}.product_line`;
  return [
    `UPDATE abc_totals SET ${TOTALS.map((c) => `${c} = ${c} - (${p[c]})`).join(', ')} WHERE ${key}`,
    `UPDATE abc_lines SET invoices = invoices - 1 WHERE ${line}`,
    `UPDATE abc_totals SET line_count = line_count - 1 WHERE ${key} AND EXISTS (SELECT 1 FROM abc_lines WHERE ${line} AND invoices = 0)`,
    `DELETE FROM abc_lines WHERE ${line} AND invoices = 0`,
    `DELETE FROM abc_totals WHERE ${key} AND invoices = 0`,
  ];
}

const inWindow = (r: string) => `EXISTS (SELECT 1 FROM abc_window WHERE id = 1 AND ${r}.issue_date >= period_from AND ${r}.issue_date <= period_to)`;
const changedRow = TRACKED.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ');
const WINDOW_TO = '(SELECT period_to FROM abc_window WHERE id = 1)';

/** SQLite's triggers, by name. An update is taken out as it was and added as it is (in either order: the sums agree). */
export function sqliteTriggers(): Record<string, string> {
  const body = (stmts: string[]) => `BEGIN\n  ${stmts.join(';\n  ')};\nEND`;
  const of = `UPDATE OF ${TRACKED.join(', ')} ON invoices`;
  // In a trigger the added row's parts come from abc_window's own row (its last day).
  const add = (r: string) => addRow('sqlite', r, 'w.period_to', 'FROM abc_window w WHERE w.id = 1');
  const remove = (r: string) => removeRow('sqlite', r, WINDOW_TO);
  return {
    abc_invoice_insert: `CREATE TRIGGER abc_invoice_insert AFTER INSERT ON invoices WHEN ${inWindow('NEW')}\n${body(add('NEW'))}`,
    abc_invoice_delete: `CREATE TRIGGER abc_invoice_delete AFTER DELETE ON invoices WHEN ${inWindow('OLD')}\n${body(remove('OLD'))}`,
    abc_invoice_update_old: `CREATE TRIGGER abc_invoice_update_old AFTER ${of} WHEN (${changedRow}) AND ${inWindow('OLD')}\n${body(remove('OLD'))}`,
    abc_invoice_update_new: `CREATE TRIGGER abc_invoice_update_new AFTER ${of} WHEN (${changedRow}) AND ${inWindow('NEW')}\n${body(add('NEW'))}`,
  };
}

/** Install (or bring up to date) SQLite's triggers; a no-op when they are as written here. */
export function installSqliteTriggers(conn: import('better-sqlite3').Database): void {
  installSqliteTriggerSet(conn, 'abc_invoice_', sqliteTriggers());
}

/**
 * PostgreSQL's trigger: one function for inserts, updates and deletes. db:copy sets
 * `dealdesk.copying` in its transaction: it copies abc_totals and abc_lines as they are.
 */
export function pgTriggerSql(): string {
  const add = addRow('postgres', 'NEW', 'w.period_to', '').map((s) => `${s};`);
  const remove = removeRow('postgres', 'OLD', 'w.period_to').map((s) => `${s};`);
  const same = `(${TRACKED.map((c) => `OLD.${c}`).join(', ')}) IS NOT DISTINCT FROM (${TRACKED.map((c) => `NEW.${c}`).join(', ')})`;
  return `CREATE OR REPLACE FUNCTION abc_track() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE w abc_window%ROWTYPE;
BEGIN
  IF current_setting('dealdesk.copying', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_OP = 'UPDATE' AND ${same} THEN RETURN NULL; END IF;
  SELECT * INTO w FROM abc_window WHERE id = 1;
  IF NOT FOUND THEN RETURN NULL; END IF;
  IF TG_OP <> 'INSERT' AND OLD.issue_date >= w.period_from AND OLD.issue_date <= w.period_to THEN
    ${remove.join('\n    ')}
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.issue_date >= w.period_from AND NEW.issue_date <= w.period_to THEN
    ${add.join('\n    ')}
  END IF;
  RETURN NULL;
END
$fn$;
CREATE OR REPLACE TRIGGER abc_track AFTER INSERT OR DELETE OR UPDATE ON invoices FOR EACH ROW EXECUTE FUNCTION abc_track();`;
}

