/**
 * How fast the pure part of an import runs: a 100,000-row invoices file in Windows-1251 with
 * `;` (as Bulgarian books write it), decoded, parsed, checked (readBooks) and planned against
 * 1,000 known clients (planRows). `npx tsx scripts/books-read.ts [rows] [runs]`; one line per
 * figure, each the fastest of `runs` (default 3: on a shared machine the fastest says most).
 */
import iconv from 'iconv-lite';
import { decodeBytes, parseTable, planRows, readBooks, type KnownClient } from '../src/books/index.ts';

const rows = Number(process.argv[2] ?? 100_000);
const runs = Number(process.argv[3] ?? 3);
const clients: KnownClient[] = Array.from({ length: 1000 }, (_, i) => ({ id: i + 1, name: `Клиент ${i + 1} ООД`, eik: null, vat: null, owner: 'U01', contact: null }));
const lines = ['Номер;Клиент;Сума;Валута;Издадена;Падеж;Марж;Продуктова линия'];
for (let i = 1; i <= rows; i++) {
  const day = String((i % 28) + 1).padStart(2, '0');
  lines.push(`${String(i).padStart(10, '0')};Клиент ${(i % 1000) + 1} ООД;"${(i % 97) + 1} ${String(i % 1000).padStart(3, '0')},${String(i % 100).padStart(2, '0')}";EUR;${day}.01.2026;${day}.02.2026;${i % 500},50;стомана`);
}
const bytes = iconv.encode(lines.join('\r\n'), 'windows-1251');

const fastest = <T>(f: () => T): { ms: number; out: T } => {
  let best = Infinity;
  let out: T | undefined;
  for (let k = 0; k < runs; k++) {
    const t = performance.now();
    out = f();
    best = Math.min(best, performance.now() - t);
  }
  return { ms: best, out: out! };
};
const decode = fastest(() => decodeBytes(bytes));
const parse = fastest(() => (decode.out.ok ? parseTable(decode.out.text, ';') : undefined));
const read = fastest(() => readBooks(bytes, { today: '2026-03-01' }));
const r = read.out;
if (!r.ok) throw new Error(JSON.stringify(r.refusal));
const plan = fastest(() => planRows(r.file, { clients }));
const rate = (ms: number) => Math.round(rows / (ms / 1000));
console.log(`books file: ${rows} rows, ${(bytes.length / 1e6).toFixed(1)} MB, ${r.file.rows.length} valid, ${r.file.failures.length} failed`);
console.log(`books decode: ${decode.ms.toFixed(0)} ms; csv-parse: ${parse.ms.toFixed(0)} ms`);
console.log(`books read (decode + parse + check): ${read.ms.toFixed(0)} ms, ${rate(read.ms)} rows/s`);
console.log(`books plan: ${plan.ms.toFixed(0)} ms, ${rate(plan.ms)} rows/s`);
console.log(`books read + plan: ${(read.ms + plan.ms).toFixed(0)} ms, ${rate(read.ms + plan.ms)} rows/s; ${JSON.stringify(plan.out.counts)}`);
console.log(`books heap used: ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);
