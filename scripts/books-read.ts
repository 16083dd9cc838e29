/**
 * How fast the pure part of an import runs: a 100,000-row invoices file in Windows-1251 with
 * `;` (as Bulgarian books write it), decoded, parsed, checked (readBooks) and planned against
 * 1,000 known clients (planRows). `npx tsx scripts/books-read.ts [rows]`; one line per figure.
 */
import iconv from 'iconv-lite';
import { decodeBytes, parseTable, planRows, readBooks, type KnownClient } from '../src/books/index.ts';

const rows = Number(process.argv[2] ?? 100_000);
const clients: KnownClient[] = Array.from({ length: 1000 }, (_, i) => ({ id: i + 1, name: `Клиент ${i + 1} ООД`, eik: null, vat: null, owner: 'U01', contact: null }));
const lines = ['Номер;Клиент;Сума;Валута;Издадена;Падеж;Марж;Продуктова линия'];
for (let i = 1; i <= rows; i++) {
  const day = String((i % 28) + 1).padStart(2, '0');
  lines.push(`${String(i).padStart(10, '0')};Клиент ${(i % 1000) + 1} ООД;"${(i % 97) + 1} ${String(i % 1000).padStart(3, '0')},${String(i % 100).padStart(2, '0')}";EUR;${day}.01.2026;${day}.02.2026;${i % 500},50;стомана`);
}
const bytes = iconv.encode(lines.join('\r\n'), 'windows-1251');

const tp = performance.now();
const decoded = decodeBytes(bytes);
if (decoded.ok) parseTable(decoded.text, ';');
const tq = performance.now();
const t0 = performance.now();
const r = readBooks(bytes, { today: '2026-03-01' });
const t1 = performance.now();
if (!r.ok) throw new Error(JSON.stringify(r.refusal));
const plan = planRows(r.file, { clients });
const t2 = performance.now();
const rate = (ms: number) => Math.round(rows / (ms / 1000));
console.log(`books file: ${rows} rows, ${(bytes.length / 1e6).toFixed(1)} MB, ${r.file.rows.length} valid, ${r.file.failures.length} failed`);
console.log(`books decode + csv-parse alone: ${(tq - tp).toFixed(0)} ms, ${rate(tq - tp)} rows/s`);
console.log(`books read (decode + parse + check): ${(t1 - t0).toFixed(0)} ms, ${rate(t1 - t0)} rows/s`);
console.log(`books plan: ${(t2 - t1).toFixed(0)} ms, ${rate(t2 - t1)} rows/s`);
console.log(`books read + plan: ${(t2 - t0).toFixed(0)} ms, ${rate(t2 - t0)} rows/s; ${JSON.stringify(plan.counts)}`);
console.log(`books heap used: ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);
