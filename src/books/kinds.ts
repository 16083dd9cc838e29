/**
 * The three kinds of file a company brings from its books (SPEC §6), their columns, and how a
 * header row names them: case-, space- and punctuation-insensitive, in English or Bulgarian.
 */

export const KINDS = ['clients', 'invoices', 'payments'] as const;
export type Kind = (typeof KINDS)[number];

// SPEC §3 `/client set … size:micro|small|medium|large`: the set is the domain's, as the column's.
import { CLIENT_SIZES, type ClientSize } from '../domain/fit.ts';
export { CLIENT_SIZES, type ClientSize };

/** A client as a file gives it. An empty cell is an absent field: an import never clears a value. */
export interface ClientRecord {
  name: string;
  eik?: string;
  vat?: string;
  /** A Slack user id (`U…` or `W…`). */
  owner?: string;
  contact?: string;
  industry?: string;
  region?: string;
  size?: ClientSize;
}

export interface InvoiceRecord {
  /** 10 digits, leading zeros kept (SPEC §5). */
  number: string;
  /** The client's name; with `eik` the ЕИК decides and the name must agree. */
  client?: string;
  eik?: string;
  amountMinor: number;
  currency: string;
  issued: string;
  /** Absent: the writer applies the policy's default terms, as `/invoice add` does. */
  due?: string;
  /** In the invoice's currency; may be negative. */
  marginMinor?: number;
  /** Normalised as the invoice service stores it (NFKC, spaces collapsed, lower case). */
  line?: string;
}

export interface PaymentRecord {
  /** The invoice's number, 10 digits. */
  invoice: string;
  /**
   * The amount as written (already checked to be an amount). It is read in the invoice's
   * currency once the invoice is known (planPayments), as `/invoice pay` reads it.
   */
  amount: string;
  date: string;
  reference?: string;
}

export interface RecordOf {
  clients: ClientRecord;
  invoices: InvoiceRecord;
  payments: PaymentRecord;
}

/** A column as SPEC §6 names it (the English header). */
export type Column = 'name' | 'eik' | 'vat' | 'owner' | 'contact' | 'industry' | 'region' | 'size' | 'number' | 'client' | 'amount' | 'currency' | 'issued' | 'due' | 'margin' | 'line' | 'invoice' | 'date' | 'reference';

interface ColumnSpec {
  name: Column;
  required: boolean;
  /** Other names a header may use; the first Bulgarian one is what a Bulgarian export writes. */
  bg: readonly string[];
  en?: readonly string[];
}

const EIK_NAMES = ['ЕИК', 'Булстат', 'ЕИК/Булстат', 'ЕИК по БУЛСТАТ'];
const EIK_EN = ['UIC', 'Bulstat'];

/** Column order is the export's order. */
export const COLUMNS: { readonly [K in Kind]: readonly ColumnSpec[] } = {
  clients: [
    { name: 'name', required: true, bg: ['Име', 'Наименование', 'Фирма', 'Клиент'], en: ['client', 'client name', 'company'] },
    { name: 'eik', required: false, bg: EIK_NAMES, en: EIK_EN },
    { name: 'vat', required: false, bg: ['ДДС номер', 'ДДС', 'ИН по ДДС', 'ДДС №'], en: ['vat number', 'vat no'] },
    { name: 'owner', required: false, bg: ['Отговорник', 'Търговец'], en: ['owner id'] },
    { name: 'contact', required: false, bg: ['Контакт', 'Лице за контакт'] },
    { name: 'industry', required: false, bg: ['Отрасъл', 'Индустрия', 'Дейност'] },
    { name: 'region', required: false, bg: ['Регион', 'Област'] },
    { name: 'size', required: false, bg: ['Размер', 'Големина'] },
  ],
  invoices: [
    { name: 'number', required: true, bg: ['Номер', 'Номер на фактура', 'Фактура №', '№'], en: ['invoice number', 'no'] },
    { name: 'client', required: false, bg: ['Клиент', 'Контрагент'], en: ['client name'] },
    { name: 'eik', required: false, bg: EIK_NAMES, en: EIK_EN },
    { name: 'amount', required: true, bg: ['Сума', 'Стойност', 'Общо'], en: ['total'] },
    { name: 'currency', required: true, bg: ['Валута'] },
    { name: 'issued', required: true, bg: ['Издадена', 'Дата на издаване', 'Дата'], en: ['issue date', 'date'] },
    { name: 'due', required: false, bg: ['Падеж', 'Срок за плащане', 'Дата на падеж'], en: ['due date'] },
    { name: 'margin', required: false, bg: ['Марж', 'Маржа', 'Надценка'] },
    { name: 'line', required: false, bg: ['Продуктова линия', 'Линия'], en: ['product line'] },
  ],
  payments: [
    { name: 'invoice', required: true, bg: ['Фактура', 'Номер на фактура', 'Фактура №'], en: ['invoice number'] },
    { name: 'amount', required: true, bg: ['Сума', 'Платено', 'Платена сума'], en: ['paid'] },
    { name: 'date', required: true, bg: ['Дата', 'Дата на плащане'], en: ['payment date', 'paid on'] },
    { name: 'reference', required: false, bg: ['Основание', 'Референция', 'Платежен документ'], en: ['ref', 'proof'] },
  ],
};

/** `Дата на издаване`, `issue_date`, `ISSUED:` → one spelling; № becomes `no` under NFKC. */
export function headerKey(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\s_\-.:/()]+/gu, '');
}

const lookup = new Map<Kind, Map<string, Column>>(
  KINDS.map((kind) => [kind, new Map(COLUMNS[kind].flatMap((c) => [c.name, ...(c.en ?? []), ...c.bg].map((n) => [headerKey(n), c.name] as const)))]),
);

/** What a header row names, for one kind: the column of each cell (undefined: not one of this kind's). */
function columnsFor(kind: Kind, header: readonly string[]): (Column | undefined)[] {
  const names = lookup.get(kind)!;
  return header.map((h) => names.get(headerKey(h)));
}

export type HeaderRefusal =
  /** Not one kind's required columns are all there; `found` is the header as written. */
  | { kind: 'unknown-kind'; found: string[]; expected: { [K in Kind]: Column[] } }
  /** Two kinds fit equally well. */
  | { kind: 'ambiguous-kind'; found: string[]; kinds: Kind[] }
  /** The kind was given (or is the only fit) but required columns are missing. */
  | { kind: 'missing-columns'; fileKind: Kind; missing: Column[]; found: string[] }
  | { kind: 'duplicate-column'; column: Column; headers: string[] }
  /** An invoices file needs a `client` or an `eik` column to say whose invoice it is. */
  | { kind: 'no-client-column'; found: string[] };

export interface HeaderMatch {
  kind: Kind;
  /** For each cell of a row, the column it holds, or undefined when the header is not one we read. */
  columns: (Column | undefined)[];
  /** Headers that are no column of this kind (shown in the preview; their cells are ignored). */
  ignored: string[];
}

export const requiredOf = (kind: Kind): Column[] => COLUMNS[kind].filter((c) => c.required).map((c) => c.name);

/**
 * Which kind a header row is and where each column sits. Given `kind`, only that kind is tried;
 * otherwise the kind that recognises the most headers is meant (an invoices file's `номер на
 * фактура` and `дата` are a payments file's names too, but only the invoices kind knows
 * `клиент` and `валута`), and it must have its required columns.
 */
export function matchHeader(header: readonly string[], kind?: Kind): { ok: true; match: HeaderMatch } | { ok: false; refusal: HeaderRefusal } {
  const found = [...header];
  const score = (k: Kind) => {
    const columns = columnsFor(k, header);
    const present = new Set(columns.filter((c) => c !== undefined));
    const missing = requiredOf(k).filter((c) => !present.has(c));
    return { kind: k, columns, missing, recognised: present.size };
  };
  let best: ReturnType<typeof score>;
  if (kind) {
    best = score(kind);
    if (best.missing.length > 0) return { ok: false, refusal: { kind: 'missing-columns', fileKind: kind, missing: best.missing, found } };
  } else {
    const scored = KINDS.map(score).sort((a, b) => b.recognised - a.recognised);
    const fits = scored.filter((s) => s.missing.length === 0);
    const fit = fits[0];
    if (fit && fits[1]?.recognised === fit.recognised) {
      return { ok: false, refusal: { kind: 'ambiguous-kind', found, kinds: fits.filter((f) => f.recognised === fit.recognised).map((f) => f.kind) } };
    }
    // A kind that knows more of the headers than any other (at least two) was meant, even if a
    // kind it lacks columns for happens to fit: `number;client;amount;issued` is an invoices
    // file without its currency, not a clients file with a `client` column.
    const near = scored[0]!;
    if (near.missing.length > 0 && near.recognised >= 2 && near.recognised > scored[1]!.recognised) {
      return { ok: false, refusal: { kind: 'missing-columns', fileKind: near.kind, missing: near.missing, found } };
    }
    if (!fit) {
      const expected = Object.fromEntries(KINDS.map((k) => [k, requiredOf(k)])) as { [K in Kind]: Column[] };
      return { ok: false, refusal: { kind: 'unknown-kind', found, expected } };
    }
    best = fit;
  }
  const seen = new Map<Column, string[]>();
  best.columns.forEach((c, i) => c && seen.set(c, [...(seen.get(c) ?? []), header[i]!]));
  for (const [column, headers] of seen) if (headers.length > 1) return { ok: false, refusal: { kind: 'duplicate-column', column, headers } };
  if (best.kind === 'invoices' && !seen.has('client') && !seen.has('eik')) return { ok: false, refusal: { kind: 'no-client-column', found } };
  return { ok: true, match: { kind: best.kind, columns: best.columns, ignored: header.filter((h, i) => best.columns[i] === undefined && h !== '') } };
}

/** The header an export writes for a column. */
export function headerOf(kind: Kind, column: Column, lang: 'en' | 'bg'): string {
  const spec = COLUMNS[kind].find((c) => c.name === column)!;
  return lang === 'en' ? spec.name : spec.bg[0]!;
}
