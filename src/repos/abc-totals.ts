/**
 * Running ABC totals (issue 18): per client and currency, the sums the recompute needs over the
 * invoices issued in one period, so that a recompute reads a row per client and currency instead
 * of aggregating every invoice of the period.
 *
 * abc_window holds the period (and, as its last day, the day lateness runs to for what is still
 * owed). Triggers on invoices keep abc_totals and abc_lines right in the transaction of every
 * insert, update and delete of an invoice, whichever code path writes it (the bot, an import,
 * the seed, a payment, a test's raw SQL). The recompute moves the window to its own period
 * first (syncAbcWindow): a day later it takes out the day that left the period and adds the day
 * that entered it; a period far from the stored one, or none stored, is rebuilt from the
 * invoices, a range of clients per transaction. While a rebuild runs (`ready` 0), or when the
 * stored window is another period, the reader aggregates the invoices themselves.
 *
 * The sums are those of INVOICE_AGGREGATES_SQL in parts that add up (test/abc-totals.test.ts
 * holds them equal after any sequence of writes): lateness of paid invoices is fixed; of what is
 * still owed it is Σ amount × (today − due day) over the overdue ones, kept as Σ amount and
 * Σ amount × due day of those due before the window's last day. Days are counted from 1970-01-01.
 */
import { sql, type SQL } from 'drizzle-orm';
import { insertTotals, parts, TOTALS, upsertLines, upsertTotals } from './abc-triggers.ts';
import { first, idSet, rowsOf, runSql, sqliteOf, type Dialect, type Store, type Tx } from './store.ts';

export interface AbcWindow {
  from: string;
  to: string;
}

/**
 * Invoice figures per client and currency over a period of issue dates, aggregated in SQL: one
 * raw row (an array, cheaper than an object at 100,000 rows) per client and currency, ordered by
 * client then currency.
 */
export type CurrencyAggregate = [
  clientId: number,
  currency: string,
  revenueMinor: number,
  marginMinor: number,
  /** Σ amount × days late (late days counted to the payment date, or to `today` while owed). */
  lateWeighted: number,
  /** Σ amount of the invoices (not credit notes) that weigh in the average days late. */
  lateWeight: number,
  invoices: number,
  /** Distinct product lines of these invoices that are not null or blank, as a JSON array (lines are stored case-folded). */
  lines: string,
  /** How many there are: a client in one currency needs no JSON.parse. */
  lineCount: number,
];

// ── Moving the window ─────────────────────────────────────────────────────────────────────

/** A rebuild's clients per transaction: the bot's writes wait for each, so each is short. */
const REBUILD_CLIENTS = 2000;
/** How far (days, at either end) the window moves by taking days out and in; farther, it is rebuilt. */
const MAX_SLIDE_DAYS = 31;

const dayNumber = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
const dialectOf = (tx: Tx): Dialect => (sqliteOf(tx) ? 'sqlite' : 'postgres');

/** Add (sign 1) or take out (-1) the invoices matching `where`, their lateness counted to `to`. */
async function apply(tx: Tx, sign: 1 | -1, where: SQL, to: string): Promise<void> {
  const d = dialectOf(tx);
  const p = parts(d, 'i', '$TO');
  const sums = TOTALS.map((c) => `${sign === 1 ? '' : '-'}sum(${p[c]})`).join(', ');
  // `$TO` stands for the bound day in the parts' SQL.
  const withTo = (s: string) => sql.join(s.split('$TO').map((chunk) => sql.raw(chunk)), sql`${to}`);
  await runSql(tx, sql`${sql.raw(insertTotals)} SELECT i.client_id, i.currency, ${withTo(sums)}, 0 FROM invoices i WHERE ${where} GROUP BY i.client_id, i.currency ${sql.raw(upsertTotals)}`);
  await runSql(
    tx,
    sql`INSERT INTO abc_lines (client_id, currency, product_line, invoices)
        SELECT i.client_id, i.currency, i.product_line, ${sql.raw(sign === 1 ? '' : '-')}count(*) FROM invoices i WHERE (${where}) AND i.product_line <> '' GROUP BY i.client_id, i.currency, i.product_line ${sql.raw(upsertLines)}`,
  );
  // Lines that went to none, the line counts of the pairs touched, and pairs left without invoices.
  const touched = sql`(client_id, currency) IN (SELECT i.client_id, i.currency FROM invoices i WHERE ${where})`;
  await runSql(tx, sql`DELETE FROM abc_lines WHERE invoices = 0 AND ${touched}`);
  await runSql(tx, sql`UPDATE abc_totals SET line_count = (SELECT count(*) FROM abc_lines l WHERE l.client_id = abc_totals.client_id AND l.currency = abc_totals.currency) WHERE ${touched}`);
  await runSql(tx, sql`DELETE FROM abc_totals WHERE invoices = 0 AND ${touched}`);
}

async function storedWindow(tx: Tx): Promise<(AbcWindow & { ready: boolean }) | undefined> {
  const w = await first(rowsOf<{ from: string; to: string; ready: number }>(tx, sql`SELECT period_from AS "from", period_to AS "to", ready FROM abc_window WHERE id = 1`));
  return w && { from: w.from, to: w.to, ready: Number(w.ready) === 1 };
}

const issued = (from: string, to: string) => sql`i.issue_date >= ${from} AND i.issue_date <= ${to}`;

/**
 * Move the stored window to `period` (a no-op when it is there): by days out and in within one
 * transaction when it is near, else by a rebuild. Writes run as background writes (on SQLite
 * they wait for the lock with the event loop free). Safe beside another process doing the same:
 * each transaction checks the window it works on.
 */
export async function syncAbcWindow(store: Store, period: AbcWindow): Promise<void> {
  // Usually the window is there already: seen in a read, without taking the write lock.
  const now = await store.read((tx) => storedWindow(tx));
  if (now && now.ready && now.from === period.from && now.to === period.to) return;
  const slid = await store.write(
    async (tx) => {
      const w = await storedWindow(tx);
      if (w && w.ready && w.from === period.from && w.to === period.to) return true;
      if (!w || !w.ready || period.from > w.to || period.to < w.from) return false;
      if (Math.abs(dayNumber(w.from) - dayNumber(period.from)) > MAX_SLIDE_DAYS || Math.abs(dayNumber(w.to) - dayNumber(period.to)) > MAX_SLIDE_DAYS) return false;
      await slide(tx, w, period);
      return true;
    },
    { background: true },
  );
  if (!slid) await rebuild(store, period);
}

/** From the window `a` to the overlapping `b`: what left, what entered, and the still owed whose overdue status the new last day changes. */
async function slide(tx: Tx, a: AbcWindow, b: AbcWindow): Promise<void> {
  const lo = a.to < b.to ? a.to : b.to;
  const hi = a.to < b.to ? b.to : a.to;
  const bothFrom = a.from > b.from ? a.from : b.from;
  const owedDueBetween = sql`i.paid_date IS NULL AND i.amount_minor > 0 AND i.due_date >= ${lo} AND i.due_date < ${hi} AND ${issued(bothFrom, lo)}`;
  // Out: issued in `a` and not in `b` (before b.from or after b.to); then the same for `b` in.
  for (const [w, other, sign, to] of [
    [a, b, -1, a.to],
    [b, a, 1, b.to],
  ] as const) {
    if (w.from < other.from) await apply(tx, sign, sql`i.issue_date >= ${w.from} AND i.issue_date < ${other.from} AND i.issue_date <= ${w.to}`, to);
    if (w.to > other.to) await apply(tx, sign, sql`i.issue_date > ${other.to} AND i.issue_date <= ${w.to} AND i.issue_date >= ${w.from}`, to);
    if (lo !== hi) await apply(tx, sign, owedDueBetween, to);
  }
  await runSql(tx, sql`UPDATE abc_window SET period_from = ${b.from}, period_to = ${b.to} WHERE id = 1`);
}

/** The totals afresh from the invoices, a range of clients per transaction, then ready. */
async function rebuild(store: Store, period: AbcWindow): Promise<void> {
  const maxId = await store.write(
    async (tx) => {
      await runSql(tx, sql`DELETE FROM abc_window`);
      await runSql(tx, sql`INSERT INTO abc_window (id, period_from, period_to, ready) VALUES (1, ${period.from}, ${period.to}, 0)`);
      return Number((await first(rowsOf<{ m: number | null }>(tx, sql`SELECT max(id) AS m FROM clients`)))?.m ?? 0);
    },
    { background: true },
  );
  for (let lo = 0; lo <= maxId; lo += REBUILD_CLIENTS) {
    const ours = await store.write(
      async (tx) => {
        const w = await storedWindow(tx);
        if (!w || w.from !== period.from || w.to !== period.to) return false; // another rebuild took over
        const range = sql`client_id >= ${lo} AND client_id < ${lo + REBUILD_CLIENTS}`;
        await runSql(tx, sql`DELETE FROM abc_lines WHERE ${range}`);
        await runSql(tx, sql`DELETE FROM abc_totals WHERE ${range}`);
        await apply(tx, 1, sql`i.client_id >= ${lo} AND i.client_id < ${lo + REBUILD_CLIENTS} AND ${issued(period.from, period.to)}`, period.to);
        return true;
      },
      { background: true },
    );
    if (!ours) return;
  }
  // Invoices of clients above the last id read (a client added meanwhile) were counted by the triggers.
  await store.write(
    async (tx) => {
      await runSql(tx, sql`UPDATE abc_window SET ready = 1 WHERE id = 1 AND period_from = ${period.from} AND period_to = ${period.to}`);
    },
    { background: true },
  );
}

// ── Reading ───────────────────────────────────────────────────────────────────────────────

/** SQLite's totals as one JSON array per column (parsed by V8, half the cost of rows handed over one by one). */
function sqliteTotals(conn: import('better-sqlite3').Database, late: string): CurrencyAggregate[] {
  const cols = ['client_id', 'currency', 'revenue_minor', 'margin_minor', late, 'late_weight', 'invoices', 'line_count'];
  const got = conn.prepare(`SELECT ${cols.map((c) => `json_group_array(${c})`).join(', ')} FROM (SELECT * FROM abc_totals ORDER BY client_id, currency)`).raw(true).get() as string[];
  const [c, cur, rev, mar, l, w, n, k] = got.map((j) => JSON.parse(j) as unknown[]) as [number[], string[], number[], number[], number[], number[], number[], number[]];
  const rows = new Array<CurrencyAggregate>(c.length);
  for (let i = 0; i < c.length; i++) rows[i] = [c[i]!, cur[i]!, rev[i]!, mar[i]!, l[i]!, w[i]!, n[i]!, '[]', k[i]!];
  return rows;
}

/**
 * The ABC aggregates of `period` from the totals, in the shape and order of invoiceAggregates
 * (ordered by client, then currency); undefined when the stored window is not ready for it.
 * Product lines are listed only for clients billed in more than one currency (the others need
 * only the count).
 */
export async function totalsAggregates(tx: Tx, period: AbcWindow): Promise<CurrencyAggregate[] | undefined> {
  const w = await storedWindow(tx);
  if (!w || !w.ready || w.from !== period.from || w.to !== period.to) return undefined;
  const today = dayNumber(period.to);
  const late = `late_paid + ${today} * overdue_minor - overdue_due`;
  const conn = sqliteOf(tx);
  const rows = conn
    ? sqliteTotals(conn, late)
    : (
        await rowsOf<{ c: number; cur: string; r: number; m: number; l: number; w: number; n: number; k: number }>(
          tx,
          sql.raw(`SELECT client_id AS c, currency AS cur, revenue_minor AS r, margin_minor AS m, ${late} AS l, late_weight AS w, invoices AS n, line_count AS k FROM abc_totals ORDER BY client_id, currency`),
        )
      ).map((r): CurrencyAggregate => [r.c, r.cur, Number(r.r), Number(r.m), Number(r.l), Number(r.w), Number(r.n), '[]', Number(r.k)]);
  const multi: number[] = [];
  for (let i = 1; i < rows.length; i++) if (rows[i]![0] === rows[i - 1]![0] && multi[multi.length - 1] !== rows[i]![0]) multi.push(rows[i]![0]);
  if (multi.length > 0) {
    const lines = new Map<string, string[]>();
    const listed = await rowsOf<{ c: number; cur: string; line: string }>(
      tx,
      sql`SELECT client_id AS c, currency AS cur, product_line AS line FROM abc_lines WHERE client_id IN ${idSet(tx, multi)} ORDER BY client_id, currency, product_line`,
    );
    for (const l of listed) {
      const k = `${l.c} ${l.cur}`;
      const got = lines.get(k);
      if (got) got.push(l.line);
      else lines.set(k, [l.line]);
    }
    const many = new Set(multi);
    for (const r of rows) if (many.has(r[0])) r[7] = JSON.stringify(lines.get(`${r[0]} ${r[1]}`) ?? []);
  }
  return rows;
}
