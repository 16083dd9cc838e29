/**
 * Deterministic demo data: clients with believable names (Latin and Bulgarian Cyrillic), deals
 * with stage histories spread over the funnel, contracts with versions and approvals, invoices
 * with a Pareto-shaped revenue per client, payments (most on time, some late, some still
 * owed) and the audit trail the app itself would have written.
 *
 * Same options → same rows: every random choice comes from seeded mulberry32 streams and every
 * date is relative to `asOf` (default: today, UTC). Rows are written with raw prepared
 * statements in chunked transactions, so 100,000 clients and 1,000,000 invoices take seconds.
 *
 * What the data does NOT contain: Slack messages (slack_messages, outbox), segments (the
 * nightly recompute fills them), dunning events and claims. Pending approvals therefore have no
 * Slack message to thread their reminders under; `contracts: 'settled'` (seedDemo's default)
 * leaves out every contract still in play for that reason.
 */
import type Database from 'better-sqlite3';
import { DEFAULT_CHECKLISTS, type TaskTemplate } from '../domain/delivery.ts';
import { nameKey } from '../domain/names.ts';
import type { Stage } from '../domain/stages.ts';
import type { Db } from '../repos/db.ts';

// ------------------------------------------------------------------------------------------
// Options and result
// ------------------------------------------------------------------------------------------

/**
 * - `all`: signed contracts behind won deals, and contracts still in play (pending, changes
 *   requested, approved, rejected; deals at contract, delivery and payment with checklists).
 * - `settled`: only the signed contracts behind won deals; open deals stop at proposal.
 * - `none`: no contract rows at all; open deals stop at proposal.
 */
export type ContractMode = 'all' | 'settled' | 'none';

export interface SeedOptions {
  clients: number;
  invoices: number;
  /** PRNG seed (default 1). */
  seed?: number;
  /** The day the data is "as of", `YYYY-MM-DD` (default: today in UTC). Every event is before it. */
  asOf?: string;
  contracts?: ContractMode;
  /** Client owners (default U0SELLER, U0SELLER2 … U0SELLER8). */
  owners?: string[];
  /** Who issues invoices, records payments and decides for finance (default U0FINANCE). */
  finance?: string;
  /** Who decides for legal (default U0LEGAL). */
  legal?: string;
  /** Write `issued`/`paid` audit events for invoices too (default: when invoices ≤ 100,000). */
  invoiceAudit?: boolean;
  /** Rows per transaction (default 50,000). */
  chunk?: number;
}

export interface SeedCounts {
  clients: number;
  deals: number;
  stageChanges: number;
  contracts: number;
  versions: number;
  approvals: number;
  tasks: number;
  invoices: number;
  payments: number;
  audit: number;
}

export interface SeedResult {
  counts: SeedCounts;
  seconds: number;
  asOf: string;
}

export class SeedError extends Error {
  override name = 'SeedError';
}

export const DEFAULT_OWNERS = ['U0SELLER', 'U0SELLER2', 'U0SELLER3', 'U0SELLER4', 'U0SELLER5', 'U0SELLER6', 'U0SELLER7', 'U0SELLER8'];

// ------------------------------------------------------------------------------------------
// PRNG
// ------------------------------------------------------------------------------------------

export type Rng = () => number;

/** mulberry32: a tiny, fast, well-mixed 32-bit PRNG; returns [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (r: Rng, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
/** Standard normal (Box–Muller, one of the pair). */
const normal = (r: Rng): number => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());

class Weighted<T> {
  private readonly cum: number[] = [];
  private readonly items: T[] = [];
  constructor(pairs: readonly (readonly [T, number])[]) {
    let s = 0;
    for (const [item, w] of pairs) {
      s += w;
      this.items.push(item);
      this.cum.push(s);
    }
    for (let i = 0; i < this.cum.length; i++) this.cum[i]! /= s;
  }
  pick(r: Rng): T {
    const u = r();
    for (let i = 0; i < this.cum.length; i++) if (u < this.cum[i]!) return this.items[i]!;
    return this.items[this.items.length - 1]!;
  }
}

// ------------------------------------------------------------------------------------------
// Vocabulary
// ------------------------------------------------------------------------------------------

const LATIN_STEMS = [
  'Nord', 'Süd', 'Alpen', 'Atlas', 'Baltic', 'Blue', 'Bright', 'Carpath', 'Cedar', 'Crystal', 'Danube', 'Delta', 'Eagle', 'Euro', 'Falcon', 'Fjord',
  'Golden', 'Granite', 'Green', 'Harbor', 'Helix', 'Iron', 'Krone', 'Lake', 'Lumen', 'Maple', 'Meridian', 'Nova', 'Oak', 'Orion', 'Pacific', 'Polar',
  'Prime', 'Quantum', 'Rhein', 'Rock', 'Silver', 'Solar', 'Stern', 'Summit', 'Terra', 'Titan', 'Vertex', 'Viking', 'Vista', 'West', 'Zenith', 'Adria',
  'Aegean', 'Balkan', 'Elbe', 'Fox', 'Hansa', 'Isar', 'Jade', 'Kestrel', 'Linden', 'Mosel', 'Neckar', 'Odin', 'Pine', 'Riva', 'Sava', 'Tauern',
  'Ural', 'Vardar', 'Weser', 'Birch', 'Coral', 'Dover', 'Ember', 'Frost', 'Gale', 'Haven', 'Ivory', 'Juniper', 'Kappa', 'Lyra', 'Mistral', 'Nimbus',
] as const;
const LATIN_ENDINGS = [
  'wind', 'stein', 'gate', 'line', 'tech', 'werk', 'port', 'field', 'bridge', 'stone', 'way', 'mark', 'haus', 'berg', 'feld', 'dorf', 'land', 'star',
  'wave', 'point', 'ridge', 'crest', 'forge', 'light', 'works', 'vale', 'well', 'gard', 'holm', 'sund',
] as const;
const LATIN_SECTORS = [
  'Logistics', 'Bau', 'Systems', 'Foods', 'Energy', 'Textiles', 'Pharma', 'Metall', 'Trading', 'Consulting', 'Software', 'Automotive', 'Chemie',
  'Solutions', 'Industries', 'Plastics', 'Robotics', 'Medical', 'Retail', 'Agrar', 'Elektro', 'Maschinenbau', 'Packaging', 'Analytics', 'Networks',
  'Steel', 'Timber', 'Glass', 'Paper', 'Marine', 'Aviation', 'Optics', 'Dental', 'Hydraulics', 'Coatings', 'Ceramics', 'Fasteners', 'Security',
  'Media', 'Print',
] as const;
const LATIN_FORMS = new Weighted<string>([
  ['GmbH', 20], ['Ltd', 15], ['AG', 6], ['GmbH & Co. KG', 4], ['LLC', 6], ['Inc.', 5], ['S.A.', 6], ['S.R.L.', 6], ['B.V.', 7], ['Oy', 3], ['AB', 4],
  ['A/S', 3], ['s.r.o.', 5], ['Kft.', 3], ['d.o.o.', 4], ['Sp. z o.o.', 4], ['SAS', 3], ['PLC', 2],
]);

const CYR_STEMS = [
  'Елит', 'Балкан', 'Агро', 'Техно', 'Мега', 'Нова', 'Витоша', 'Пирин', 'Родопи', 'Тракия', 'Дунав', 'Марица', 'Струма', 'Искър', 'Янтра', 'Черно море',
  'Стара планина', 'Рила', 'Странджа', 'Златен', 'Сребърен', 'Бял', 'Евро', 'Интер', 'Глобал', 'Синерджи', 'Вектор', 'Орион', 'Алфа', 'Бета', 'Делта',
  'Омега', 'Хелиос', 'Атлас', 'Феникс', 'Сокол', 'Орел', 'Лъв', 'Явор', 'Бор', 'Дъб', 'Кедър', 'Зора', 'Изгрев', 'Слънце', 'Арда', 'Тунджа',
  'Камчия', 'Осогово', 'Беласица', 'Сакар', 'Мусала', 'Плиска', 'Преслав', 'Одесос', 'Сердика', 'Филипопол', 'Марково', 'Капитал', 'Перла', 'Вихрен',
  'Емона', 'Калиакра', 'Шипка', 'Мадара', 'Рубин', 'Топаз', 'Кристал', 'Прима', 'Фокус',
] as const;
const CYR_SECTORS = [
  'Строй', 'Трейд', 'Инвест', 'Транс', 'Логистик', 'Консулт', 'Фарм', 'Металс', 'Текстил', 'Енерджи', 'Фуудс', 'Агро', 'Тех', 'Софт', 'Пласт', 'Хим',
  'Мебел', 'Принт', 'Медикал', 'Електрик', 'Сервиз', 'Имоти', 'Дизайн', 'Маркет', 'Комерс', 'Инженеринг', 'Бетон', 'Стъкло', 'Хартия', 'Авто',
  'Вин', 'Млечни продукти', 'Хидравлика', 'Климатик', 'Сигурност',
] as const;
const CYR_THIRD = ['Груп', 'Холдинг', 'България', '2000', '97', 'Плюс', 'Про', 'Юг', 'Север', 'Изток', 'Запад', 'Инвест', 'Експорт', 'Интернешънъл'] as const;
const CYR_FORMS = new Weighted<string>([['ЕООД', 45], ['ООД', 35], ['АД', 12], ['ЕАД', 8]]);

const LATIN_FIRST = ['Anna', 'Lukas', 'Sophie', 'Jonas', 'Emma', 'Marco', 'Elena', 'Piotr', 'Katarina', 'Jan', 'Laura', 'Tomas', 'Ingrid', 'Mateo', 'Clara', 'Henrik', 'Noor', 'David', 'Eva', 'Oliver'] as const;
const LATIN_LAST = ['Weber', 'Schmidt', 'Rossi', 'Novak', 'Jansen', 'Dubois', 'Kowalski', 'Horvat', 'Nielsen', 'Berg', 'Fischer', 'Costa', 'Meyer', 'Lindqvist', 'Varga', 'Smith', 'Brown', 'Moreau', 'Keller', 'Popescu'] as const;
const BG_FIRST = ['Иван', 'Мария', 'Георги', 'Елена', 'Димитър', 'Петя', 'Николай', 'Десислава', 'Стоян', 'Виктория', 'Христо', 'Радостина', 'Калин', 'Теодора', 'Борислав', 'Надежда'] as const;
const BG_LAST = ['Петров', 'Иванов', 'Георгиев', 'Димитров', 'Стоянов', 'Николов', 'Тодоров', 'Илиев', 'Христов', 'Колев', 'Ангелов', 'Маринов', 'Попов', 'Костов'] as const;
const PHONE_PREFIX = ['+49 171', '+44 20 7946', '+43 664', '+31 6', '+39 347', '+48 601', '+420 602', '+36 30', '+46 70', '+1 415 555'] as const;

const TRANSLIT: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's',
  т: 't', у: 'u', ф: 'f', х: 'h', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'sht', ъ: 'a', ь: 'y', ю: 'yu', я: 'ya',
};
function slug(s: string): string {
  let out = '';
  for (const ch of s.toLowerCase().normalize('NFD')) {
    if (/[a-z0-9]/.test(ch)) out += ch;
    else if (TRANSLIT[ch] !== undefined) out += TRANSLIT[ch];
  }
  return out.slice(0, 24) || 'mail';
}

interface Line {
  name: string;
  kind: 'goods' | 'services';
  /** Typical invoice in EUR (major units). */
  price: number;
  margin: number;
  unit: string;
}

/** ~30 product lines, stored lower-case as the app stores them. */
const LINES: readonly Line[] = [
  { name: 'steel beams', kind: 'goods', price: 9000, margin: 0.12, unit: 't' },
  { name: 'rebar', kind: 'goods', price: 6000, margin: 0.1, unit: 't' },
  { name: 'cement', kind: 'goods', price: 3500, margin: 0.09, unit: 't' },
  { name: 'insulation panels', kind: 'goods', price: 4200, margin: 0.18, unit: 'm²' },
  { name: 'roof tiles', kind: 'goods', price: 2800, margin: 0.16, unit: 'pallets' },
  { name: 'office furniture', kind: 'goods', price: 3800, margin: 0.28, unit: 'sets' },
  { name: 'spare parts', kind: 'goods', price: 900, margin: 0.35, unit: 'pcs' },
  { name: 'hydraulic pumps', kind: 'goods', price: 5200, margin: 0.22, unit: 'pcs' },
  { name: 'electrical cabling', kind: 'goods', price: 2100, margin: 0.17, unit: 'km' },
  { name: 'led lighting', kind: 'goods', price: 1600, margin: 0.3, unit: 'pcs' },
  { name: 'solar panels', kind: 'goods', price: 12000, margin: 0.14, unit: 'kWp' },
  { name: 'packaging', kind: 'goods', price: 700, margin: 0.2, unit: 'pallets' },
  { name: 'pallets', kind: 'goods', price: 500, margin: 0.15, unit: 'pcs' },
  { name: 'fertiliser', kind: 'goods', price: 4800, margin: 0.11, unit: 't' },
  { name: 'animal feed', kind: 'goods', price: 3100, margin: 0.1, unit: 't' },
  { name: 'coffee', kind: 'goods', price: 450, margin: 0.38, unit: 'kg' },
  { name: 'bottled water', kind: 'goods', price: 300, margin: 0.25, unit: 'pallets' },
  { name: 'cleaning supplies', kind: 'goods', price: 400, margin: 0.32, unit: 'boxes' },
  { name: 'safety equipment', kind: 'goods', price: 1100, margin: 0.27, unit: 'sets' },
  { name: 'строителни материали', kind: 'goods', price: 2600, margin: 0.13, unit: 't' },
  { name: 'pvc дограма', kind: 'goods', price: 3300, margin: 0.24, unit: 'pcs' },
  { name: 'it support', kind: 'services', price: 1500, margin: 0.42, unit: 'months' },
  { name: 'cloud hosting', kind: 'services', price: 800, margin: 0.45, unit: 'months' },
  { name: 'freight forwarding', kind: 'services', price: 1900, margin: 0.08, unit: 'loads' },
  { name: 'consulting', kind: 'services', price: 4500, margin: 0.4, unit: 'days' },
  { name: 'maintenance', kind: 'services', price: 1200, margin: 0.33, unit: 'months' },
  { name: 'forklift rental', kind: 'services', price: 950, margin: 0.29, unit: 'months' },
  { name: 'software licences', kind: 'services', price: 2400, margin: 0.6, unit: 'seats' },
  { name: 'training', kind: 'services', price: 1300, margin: 0.36, unit: 'days' },
  { name: 'счетоводни услуги', kind: 'services', price: 600, margin: 0.41, unit: 'months' },
];

const LOST_REASONS = [
  'went with a competitor', 'price too high', 'no budget this year', 'project postponed', 'no answer after the proposal', 'chose an in-house solution',
  'payment terms not acceptable', 'contract rejected by legal', 'избраха конкурент', 'твърде висока цена', 'проектът е отложен',
] as const;
const CHANGE_COMMENTS = ['Net 60 is too long for this client; please use net 30.', 'Add a penalty clause for late delivery.', 'The discount needs a volume commitment.', 'Liability cap missing.'] as const;
const REJECT_COMMENTS = ['Client is on the sanctions watch list.', 'Credit check failed.', 'Terms conflict with our framework agreement.'] as const;
const SETTLEMENT = ['bank transfer', 'bank transfer, 30% advance', 'bank transfer, 50% advance', 'letter of credit', 'bank transfer in instalments'] as const;
const DELIVERY = ['DAP Sofia', 'EXW Plovdiv', 'FCA Varna', 'DDP Munich', 'on site', 'CPT Vienna', 'remote'] as const;
const AFTER_SALES = ['12-month warranty', '24-month warranty', 'on-site service within 48 h', null, null] as const;
const REF_PREFIX = ['SEPA-', 'BNK-', 'TRF-', 'SWIFT-'] as const;

const CURRENCIES = ['EUR', 'BGN', 'USD'] as const;
const FX = [1, 1.95583, 1.08];
const NETS = [0, 14, 30, 30, 30, 45, 60] as const;

const STAGE_ORDER: Stage[] = ['lead', 'qualified', 'proposal', 'contract', 'delivery', 'payment', 'won'];

// ------------------------------------------------------------------------------------------
// Dates: whole days since 1970-01-01 (UTC), relative to asOf
// ------------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;

class Calendar {
  readonly today: number;
  private readonly cache = new Map<number, string>();
  constructor(asOf: string) {
    const ms = Date.parse(`${asOf}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(ms)) throw new SeedError(`asOf must be a date like 2026-11-27, not ${asOf}`);
    this.today = Math.round(ms / DAY_MS);
  }
  /** `YYYY-MM-DD` of a day relative to today (0 = asOf, -1 = the day before). */
  date(rel: number): string {
    let s = this.cache.get(rel);
    if (s === undefined) this.cache.set(rel, (s = new Date((this.today + rel) * DAY_MS).toISOString().slice(0, 10)));
    return s;
  }
  /** A time during working hours (07:00–16:00 UTC) of a relative day. */
  at(rel: number, r: Rng): number {
    return (this.today + rel) * DAY_MS + 7 * 3_600_000 + Math.floor(r() * 9 * 3_600_000);
  }
  weekend(rel: number): boolean {
    const dow = (((this.today + rel + 4) % 7) + 7) % 7; // 0 = Sunday
    return dow === 0 || dow === 6;
  }
}

// ------------------------------------------------------------------------------------------
// Names
// ------------------------------------------------------------------------------------------

function latinName(r: Rng): string {
  const u = r();
  const stem = pick(r, LATIN_STEMS);
  const form = LATIN_FORMS.pick(r);
  if (u < 0.35) return `${stem}${pick(r, LATIN_ENDINGS)} ${form}`;
  if (u < 0.7) return `${stem}${pick(r, LATIN_ENDINGS)} ${pick(r, LATIN_SECTORS)} ${form}`;
  return `${stem} ${pick(r, LATIN_SECTORS)} ${form}`;
}

function cyrillicName(r: Rng): string {
  const u = r();
  const stem = pick(r, CYR_STEMS);
  const sector = pick(r, CYR_SECTORS);
  const form = CYR_FORMS.pick(r);
  if (u < 0.2 && !stem.includes(' ') && !sector.includes(' ')) return `${stem}${sector.toLowerCase()} ${form}`;
  if (u < 0.6) return `${stem} ${sector} ${form}`;
  return `${stem} ${sector} ${pick(r, CYR_THIRD)} ${form}`;
}

function uniqueName(r: Rng, latin: boolean, taken: Set<string>): string {
  for (let i = 0; i < 40; i++) {
    const n = latin ? latinName(r) : cyrillicName(r);
    const k = nameKey(n);
    if (!taken.has(k)) {
      taken.add(k);
      return n;
    }
  }
  // The vocabulary is exhausted for this draw: number it, as registries do ("Балкан Строй 2 ООД").
  for (let n = 2; ; n++) {
    const base = latin ? `${pick(r, LATIN_STEMS)}${pick(r, LATIN_ENDINGS)} ${pick(r, LATIN_SECTORS)} ${n} ${LATIN_FORMS.pick(r)}` : `${pick(r, CYR_STEMS)} ${pick(r, CYR_SECTORS)} ${n} ${CYR_FORMS.pick(r)}`;
    const k = nameKey(base);
    if (!taken.has(k)) {
      taken.add(k);
      return base;
    }
  }
}

function contactFor(r: Rng, latin: boolean, name: string): string | null {
  const u = r();
  if (u < 0.25) return null;
  if (latin) {
    const first = pick(r, LATIN_FIRST);
    const last = pick(r, LATIN_LAST);
    if (u < 0.6) return `${first.toLowerCase()}.${last.toLowerCase()}@${slug(name.split(' ')[0]!)}.com`;
    return `${first} ${last}, ${pick(r, PHONE_PREFIX)} ${int(r, 100, 999)} ${int(r, 1000, 9999)}`;
  }
  const first = pick(r, BG_FIRST);
  const last = pick(r, BG_LAST);
  const female = /[аяи]$/.test(first) && first !== 'Николай';
  const surname = female ? `${last}а` : last;
  if (u < 0.5) return `${slug(first)}.${slug(surname)}@${slug(name.split(' ')[0]!)}.bg`;
  return `${first} ${surname}, +359 ${pick(r, ['88', '87', '89', '2'])} ${int(r, 100, 999)} ${int(r, 1000, 9999)}`;
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

// ------------------------------------------------------------------------------------------
// The generator
// ------------------------------------------------------------------------------------------

/**
 * Rows of one table, inserted `per` at a time with one multi-row INSERT (a third less CPU than a
 * statement per row); `flush()` writes the rest. Foreign keys are off while seeding, so the
 * order in which tables' batches reach the database does not matter.
 */
class Batch {
  private readonly buf: unknown[] = [];
  private readonly many: Database.Statement;
  private readonly one: Database.Statement;
  private readonly cols: number;
  constructor(
    sqlite: Database.Database,
    head: string,
    tuple: string,
    private readonly per = 16,
  ) {
    this.cols = (tuple.match(/\?/g) ?? []).length;
    this.one = sqlite.prepare(`${head} VALUES ${tuple}`);
    this.many = sqlite.prepare(`${head} VALUES ${Array(per).fill(tuple).join(', ')}`);
  }
  add(...values: unknown[]): void {
    for (const v of values) this.buf.push(v);
    if (this.buf.length === this.per * this.cols) {
      this.many.run(this.buf);
      this.buf.length = 0;
    }
  }
  flush(): void {
    for (let i = 0; i < this.buf.length; i += this.cols) this.one.run(this.buf.slice(i, i + this.cols));
    this.buf.length = 0;
  }
}

/** An open deal that owns the client's last invoice (its stage is `payment`). */
interface PaymentLink {
  dealId: number;
  contractId: number;
  /** Part-paid, never fully. */
  part: boolean;
  /** When the invoice was issued (the deal entered `payment` in the same transaction). */
  at: number;
}

/** The rows; call through seed(), which sets the pragmas this relies on (foreign keys off). */
function generate(db: Db, opts: SeedOptions, started: number): SeedResult {
  const N = opts.clients;
  const M = opts.invoices;
  if (!Number.isInteger(N) || N < 1) throw new SeedError('clients must be a whole number ≥ 1');
  if (!Number.isInteger(M) || M < 0) throw new SeedError('invoices must be a whole number ≥ 0');
  const sqlite = db.$client;
  const existing = (sqlite.prepare('SELECT count(*) AS n FROM clients').get() as { n: number }).n;
  if (existing > 0) throw new SeedError(`the database already has ${existing} clients; seed an empty database (e.g. --db data/demo.db)`);

  const seedValue = opts.seed ?? 1;
  const asOf = opts.asOf ?? new Date().toISOString().slice(0, 10);
  const cal = new Calendar(asOf);
  /** asOf at midnight UTC: every event is before it. */
  const NOW = cal.today * DAY_MS;
  const mode: ContractMode = opts.contracts ?? 'all';
  const withContracts = mode !== 'none';
  const owners = opts.owners ?? DEFAULT_OWNERS;
  if (owners.length === 0) throw new SeedError('owners must not be empty');
  const finance = opts.finance ?? 'U0FINANCE';
  const legal = opts.legal ?? 'U0LEGAL';
  const invoiceAudit = opts.invoiceAudit ?? M <= 100_000;
  const chunk = opts.chunk ?? 50_000;
  const counts: SeedCounts = { clients: 0, deals: 0, stageChanges: 0, contracts: 0, versions: 0, approvals: 0, tasks: 0, invoices: 0, payments: 0, audit: 0 };

  // Independent streams, so the shape of one part does not shift the others.
  const rC = mulberry32(seedValue * 7919 + 1);
  const rI = mulberry32(seedValue * 7919 + 2);
  const rD = mulberry32(seedValue * 7919 + 3);
  const rP = mulberry32(seedValue * 7919 + 4);

  // ---- clients (in memory: typed arrays) -------------------------------------------------
  const ownerW = new Weighted(owners.map((o, i) => [i, Math.pow(0.85, i)] as const));
  const names: string[] = new Array(N);
  const contacts: (string | null)[] = new Array(N);
  const cOwner = new Uint8Array(N);
  const cCur = new Uint8Array(N);
  const cNet = new Uint8Array(N);
  const cDisc = new Uint8Array(N); // 0 good, 1 so-so, 2 bad payer
  const cLine0 = new Uint8Array(N);
  const cLines = new Uint8Array(N);
  const cCustomer = new Uint8Array(N);
  const cSince = new Int32Array(N); // customers: the day their first deal was won
  const cCreated = new Int32Array(N);
  const cWeight = new Float64Array(N); // Pareto size
  const taken = new Set<string>();
  for (let c = 0; c < N; c++) {
    const latin = rC() < 0.55;
    names[c] = uniqueName(rC, latin, taken);
    contacts[c] = contactFor(rC, latin, names[c]!);
    cOwner[c] = ownerW.pick(rC);
    const u = rC();
    cCur[c] = latin ? (u < 0.85 ? 0 : u < 0.97 ? 2 : 1) : u < 0.6 ? 1 : 0;
    cNet[c] = int(rC, 0, NETS.length - 1);
    const d = rC();
    cDisc[c] = d < 0.7 ? 0 : d < 0.9 ? 1 : 2;
    cLine0[c] = int(rC, 0, LINES.length - 1);
    cLines[c] = 1 + Math.floor(Math.pow(rC(), 1.8) * 7);
    // Pareto (α ≈ 1.16, the "80/20" shape), capped so one client cannot swallow everything.
    cWeight[c] = Math.min(Math.pow(1 - rC(), -1 / 1.16), 4000);
    if (rC() < 0.42) {
      cCustomer[c] = 1;
      cSince[c] = -(15 + Math.floor(Math.pow(rC(), 0.9) * 785));
      cCreated[c] = cSince[c]! - int(rC, 25, 120);
    } else {
      cCreated[c] = -(1 + Math.floor(Math.pow(rC(), 1.6) * 600));
    }
  }
  const lineOf = (c: number, j: number): Line => LINES[(cLine0[c]! + j * 7) % LINES.length]!;

  // ---- invoices: who and when (counting sort by day keeps ids in date order) ----------------
  const WINDOW = 426; // ~14 months
  const customers: number[] = [];
  for (let c = 0; c < N; c++) if (cCustomer[c]) customers.push(c);
  const invClient = new Int32Array(M);
  const invDay = new Int16Array(M);
  if (M > 0 && customers.length === 0) throw new SeedError('no client came out a customer; seed more clients');
  {
    // Invoice counts ∝ size^0.75 × the part of the window the client was a customer.
    const cum = new Float64Array(customers.length);
    let s = 0;
    for (let i = 0; i < customers.length; i++) {
      const c = customers[i]!;
      const lo = Math.max(cSince[c]! + 3, -WINDOW);
      s += Math.pow(cWeight[c]!, 0.75) * (Math.max(0, -1 - lo) + 1);
      cum[i] = s;
    }
    for (let k = 0; k < M; k++) {
      const u = rI() * s;
      let a = 0;
      let b = customers.length - 1;
      while (a < b) {
        const m = (a + b) >> 1;
        if (cum[m]! <= u) a = m + 1;
        else b = m;
      }
      const c = customers[a]!;
      const lo = Math.max(cSince[c]! + 3, -WINDOW);
      let day: number;
      for (;;) {
        day = lo + Math.floor(rI() * (-lo));
        // Fewer invoices at weekends, and a business that grows over the window.
        if (cal.weekend(day) && rI() < 0.9) continue;
        if (rI() > 0.65 + 0.35 * ((day + WINDOW) / WINDOW)) continue;
        break;
      }
      invClient[k] = c;
      invDay[k] = day;
    }
  }
  const order = new Int32Array(M);
  {
    const bucket = new Int32Array(WINDOW + 2);
    for (let k = 0; k < M; k++) bucket[invDay[k]! + WINDOW]!++;
    let pos = 0;
    for (let d = 0; d < bucket.length; d++) {
      const n = bucket[d]!;
      bucket[d] = pos;
      pos += n;
    }
    for (let k = 0; k < M; k++) order[bucket[invDay[k]! + WINDOW]!++] = k;
  }
  const lastInvoice = new Int32Array(N).fill(-1); // position (in date order) of each client's last invoice
  for (let p = 0; p < M; p++) lastInvoice[invClient[order[p]!]!] = p;

  // ---- statements --------------------------------------------------------------------------
  const maxId = (t: string) => (sqlite.prepare(`SELECT coalesce(max(id), 0) AS m FROM ${t}`).get() as { m: number }).m;
  const clientBase = maxId('clients');
  let dealId = maxId('deals');
  let contractId = maxId('contracts');
  const invoiceBase = maxId('invoices');
  const st = {
    client: new Batch(sqlite, 'INSERT INTO clients (id, name, name_key, owner_id, contact, segment, created_by, created_at)', '(?, ?, ?, ?, ?, NULL, ?, ?)'),
    deal: new Batch(
      sqlite,
      'INSERT INTO deals (id, client_id, title, stage, value_minor, currency, expected_close, owner_id, lost_reason, created_at, updated_at)',
      '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    stage: new Batch(sqlite, 'INSERT INTO deal_stage_changes (deal_id, from_stage, to_stage, actor, reason, at)', '(?, ?, ?, ?, ?, ?)'),
    audit: new Batch(sqlite, 'INSERT INTO audit_events (actor, entity, entity_id, client_id, action, before, after, at)', '(?, ?, ?, ?, ?, ?, ?, ?)'),
    contract: new Batch(
      sqlite,
      'INSERT INTO contracts (id, deal_id, client_id, version, status, submitted_by, created_at, updated_at, signed_by, signed_at)',
      '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    version: new Batch(
      sqlite,
      'INSERT INTO contract_versions (contract_id, version, subject, amount_minor, currency, net_days, discount_bp, kind, settlement, delivery, after_sales, special, exceptions, submitted_by, submitted_at)',
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?)",
    ),
    approval: new Batch(
      sqlite,
      'INSERT INTO approvals (contract_id, version, function, decision, decided_by, decided_at, comment, confirmed, requested_at, due_at, reminded_at)',
      '(?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, NULL)',
    ),
    task: new Batch(sqlite, 'INSERT INTO fulfilment_tasks (contract_id, key, title, service, assignee, due_date, done_by, done_at, reminded_on)', '(?, ?, ?, ?, ?, ?, ?, ?, NULL)'),
    invoice: new Batch(
      sqlite,
      'INSERT INTO invoices (id, number, client_id, contract_id, deal_id, amount_minor, currency, margin_minor, product_line, issue_date, due_date, paid_minor, paid_date, created_by, created_at)',
      '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    payment: new Batch(sqlite, 'INSERT INTO payments (invoice_id, amount_minor, date, reference, recorded_by, recorded_at)', '(?, ?, ?, ?, ?, ?)'),
  };


  // Chunked transactions: commit every `chunk` rows.
  let pending = 0;
  const row = () => {
    if (++pending >= chunk) {
      sqlite.exec('COMMIT');
      sqlite.exec('BEGIN');
      pending = 0;
    }
  };
  const audit = (actor: string, entity: string, entityId: number, clientId: number, action: string, before: unknown, after: unknown, at: number) => {
    st.audit.add(actor, entity, entityId, clientId, action, before === null ? null : JSON.stringify(before), after === null ? null : JSON.stringify(after), at);
    counts.audit++;
    row();
  };

  // Money: a deal or contract value in the client's currency, minor units.
  const money = (r: Rng, c: number, eurMedian: number, sigma: number): number => {
    const major = eurMedian * Math.exp(sigma * normal(r)) * FX[cCur[c]!]!;
    const rounded = major >= 1000 ? Math.round(major / 10) * 10 : Math.round(major * 100) / 100;
    return Math.max(10_000, Math.round(rounded * 100));
  };
  const sizeFactor = (c: number) => Math.pow(cWeight[c]!, 0.25);

  /** Write a deal with its stage history (and the audit of each step). */
  const writeDeal = (
    c: number,
    title: string,
    path: { stage: Stage; at: number; actor: string }[],
    end: { lost?: { at: number; reason: string } },
    value: { minor: number; currency: string } | null,
    expectedClose: string | null,
  ): number => {
    const id = ++dealId;
    const clientId = clientBase + c + 1;
    const owner = owners[cOwner[c]!]!;
    const first = path[0]!;
    const last = end.lost ? end.lost.at : path[path.length - 1]!.at;
    const stage: Stage = end.lost ? 'lost' : path[path.length - 1]!.stage;
    st.deal.add(id, clientId, title, stage, value?.minor ?? null, value?.currency ?? null, expectedClose, owner, end.lost?.reason ?? null, first.at, last);
    counts.deals++;
    row();
    st.stage.add(id, null, first.stage, first.actor, null, first.at);
    counts.stageChanges++;
    row();
    audit(first.actor, 'deal', id, clientId, 'created', null, {
      id,
      clientId,
      title,
      stage: first.stage,
      valueMinor: null,
      currency: null,
      expectedClose: null,
      ownerId: owner,
      lostReason: null,
      createdAt: first.at,
      updatedAt: first.at,
    }, first.at);
    for (let i = 1; i < path.length; i++) {
      const p = path[i]!;
      st.stage.add(id, path[i - 1]!.stage, p.stage, p.actor, null, p.at);
      counts.stageChanges++;
      row();
      audit(p.actor, 'deal', id, clientId, 'stage-changed', { stage: path[i - 1]!.stage }, { stage: p.stage }, p.at);
    }
    if (end.lost) {
      const from = path[path.length - 1]!.stage;
      st.stage.add(id, from, 'lost', owner, end.lost.reason, end.lost.at);
      counts.stageChanges++;
      row();
      audit(owner, 'deal', id, clientId, 'lost', { stage: from }, { stage: 'lost', reason: end.lost.reason }, end.lost.at);
    }
    return id;
  };

  /** Stage times: `stages` entered on the given days (non-decreasing), at increasing times. */
  const timeline = (c: number, stages: Stage[], days: number[]): { stage: Stage; at: number; actor: string }[] => {
    const owner = owners[cOwner[c]!]!;
    let prev = -Infinity;
    return stages.map((stage, i) => {
      let at = cal.at(days[i]!, rD);
      if (at <= prev) at = prev + int(rD, 60_000, 3_600_000);
      prev = at;
      return { stage, at, actor: stage === 'payment' || stage === 'won' ? finance : owner };
    });
  };

  /** Spread `n` steps from `from` to `to` (days), each at least 0 apart, in order. */
  const spread = (from: number, to: number, n: number): number[] => {
    const cuts = Array.from({ length: n }, () => rD()).sort((a, b) => a - b);
    return cuts.map((u) => from + Math.floor(u * (to - from)));
  };

  interface Terms {
    subject: string;
    amountMinor: number;
    currency: string;
    netDays: number;
    kind: 'goods' | 'services';
    discountBp: number;
    settlement: string | null;
    delivery: string | null;
    afterSales: string | null;
    special: string | null;
  }
  const termsFor = (c: number, amountMinor: number): Terms => {
    const line = lineOf(c, int(rD, 0, cLines[c]! - 1));
    const subject = line.kind === 'goods' ? `${cap(line.name)}, ${int(rD, 2, 120)} ${line.unit}` : `${cap(line.name)}, ${int(rD, 3, 24)} ${line.unit === 'days' ? 'days' : 'months'}`;
    return {
      subject,
      amountMinor,
      currency: CURRENCIES[cCur[c]!]!,
      netDays: NETS[cNet[c]!]!,
      kind: line.kind,
      discountBp: pick(rD, [0, 0, 0, 200, 500, 750, 1000]),
      settlement: pick(rD, SETTLEMENT),
      delivery: line.kind === 'goods' ? pick(rD, DELIVERY) : 'on site',
      afterSales: pick(rD, AFTER_SALES),
      special: rD() < 0.1 ? 'Prices fixed for 6 months.' : null,
    };
  };

  const writeVersion = (cid: number, version: number, t: Terms, by: string, at: number) => {
    st.version.add(cid, version, t.subject, t.amountMinor, t.currency, t.netDays, t.discountBp, t.kind, t.settlement, t.delivery, t.afterSales, t.special, by, at);
    counts.versions++;
    row();
  };
  const dueAfter = (at: number): number => {
    // 24 working hours ≈ three working days later.
    let d = at;
    for (let n = 0; n < 3; ) {
      d += DAY_MS;
      const dow = new Date(d).getUTCDay();
      if (dow !== 0 && dow !== 6) n++;
    }
    return d;
  };
  type ApprovalOutcome = { decision: 'approved' | 'changes_requested' | 'rejected' | null; at: number; comment: string | null };
  const writeApprovals = (cid: number, c: number, version: number, requestedAt: number, legalO: ApprovalOutcome, financeO: ApprovalOutcome, statusBefore: string) => {
    const clientId = clientBase + c + 1;
    for (const [fn, o, who] of [['finance', financeO, finance], ['legal', legalO, legal]] as const) {
      st.approval.add(cid, version, fn, o.decision, o.decision ? who : null, o.decision ? o.at : null, o.comment, requestedAt, dueAfter(requestedAt));
      counts.approvals++;
      row();
    }
    // The decisions in time order, each with the status it led to.
    const decided = ([['legal', legalO, legal], ['finance', financeO, finance]] as const).filter(([, o]) => o.decision !== null).sort((a, b) => a[1].at - b[1].at);
    let status = statusBefore;
    let approvedCount = 0;
    for (const [fn, o, who] of decided) {
      const before = status;
      if (o.decision === 'rejected') status = 'rejected';
      else if (o.decision === 'changes_requested') status = status === 'rejected' ? status : 'changes_requested';
      else if (++approvedCount === 2 && status === 'pending') status = 'approved';
      audit(who, 'contract', cid, clientId, 'decided', { status: before }, { fn, decision: o.decision, version, comment: o.comment, status }, o.at);
    }
  };

  /**
   * A contract for a deal, submitted at `submittedAt` (when the deal entered `contract`) and,
   * for `signed`, signed at `signedAt` (when it entered `delivery`); decisions fall in between.
   */
  const writeContract = (
    c: number,
    deal: number,
    amountMinor: number,
    outcome: 'signed' | 'approved' | 'pending' | 'changes_requested' | 'rejected' | 'pending-v2',
    submittedAt: number,
    signedAtIn: number | null,
  ): { id: number; kind: 'goods' | 'services' } => {
    const id = ++contractId;
    const clientId = clientBase + c + 1;
    const owner = owners[cOwner[c]!]!;
    const t1 = termsFor(c, amountMinor);
    // Decisions happen after submission and before the signature (or before now).
    const limit = outcome === 'signed' && signedAtIn !== null ? signedAtIn - 60_000 : NOW - 60_000;
    const span = Math.max(60_000, Math.min(limit - submittedAt, 5 * DAY_MS));
    const within = (from: number, share: number) => Math.min(limit, from + Math.floor(rD() * share * span) + 30_000);
    const withV2 = outcome === 'pending-v2' || (outcome === 'signed' && limit - submittedAt > 2 * 3_600_000 && rD() < 0.15);
    const none: ApprovalOutcome = { decision: null, at: 0, comment: null };
    let version = 1;
    let status: string;
    let updatedAt = submittedAt;
    let signedAt: number | null = null;
    audit(owner, 'contract', id, clientId, 'submitted', null, { version: 1, ...t1 }, submittedAt);
    writeVersion(id, 1, t1, owner, submittedAt);
    if (withV2) {
      // v1: one function asked for changes, the other had approved or not yet decided.
      const asker = rD() < 0.5 ? 'legal' : 'finance';
      const askAt = within(submittedAt, 0.3);
      const ask: ApprovalOutcome = { decision: 'changes_requested', at: askAt, comment: pick(rD, CHANGE_COMMENTS) };
      const other: ApprovalOutcome = rD() < 0.5 ? { decision: 'approved', at: within(submittedAt, 0.3), comment: null } : none;
      writeApprovals(id, c, 1, submittedAt, asker === 'legal' ? ask : other, asker === 'legal' ? other : ask, 'pending');
      const t2 = { ...t1, netDays: Math.min(t1.netDays, 30), discountBp: Math.max(0, t1.discountBp - 200) };
      const v2At = within(Math.max(askAt, other.at), 0.3);
      audit(owner, 'contract', id, clientId, 'resubmitted', { version: 1, status: 'changes_requested' }, { version: 2, ...t2 }, v2At);
      writeVersion(id, 2, t2, owner, v2At);
      version = 2;
      updatedAt = v2At;
      if (outcome === 'signed') {
        const a: ApprovalOutcome = { decision: 'approved', at: within(v2At, 0.3), comment: null };
        const b: ApprovalOutcome = { decision: 'approved', at: within(v2At, 0.3), comment: null };
        writeApprovals(id, c, 2, v2At, a, b, 'pending');
        updatedAt = Math.max(a.at, b.at);
        status = 'approved';
      } else {
        const maybe: ApprovalOutcome = rD() < 0.4 ? { decision: 'approved', at: within(v2At, 0.3), comment: null } : none;
        writeApprovals(id, c, 2, v2At, maybe, none, 'pending');
        updatedAt = Math.max(updatedAt, maybe.at);
        status = 'pending';
      }
    } else {
      let l: ApprovalOutcome = none;
      let f: ApprovalOutcome = none;
      const approve = (): ApprovalOutcome => ({ decision: 'approved', at: within(submittedAt, 0.9), comment: null });
      switch (outcome) {
        case 'signed':
        case 'approved':
          l = approve();
          f = approve();
          status = 'approved';
          break;
        case 'pending': {
          const u = rD();
          if (u < 0.25) l = approve();
          else if (u < 0.5) f = approve();
          status = 'pending';
          break;
        }
        case 'changes_requested':
          if (rD() < 0.5) l = { decision: 'changes_requested', at: within(submittedAt, 0.9), comment: pick(rD, CHANGE_COMMENTS) };
          else f = { decision: 'changes_requested', at: within(submittedAt, 0.9), comment: pick(rD, CHANGE_COMMENTS) };
          status = 'changes_requested';
          break;
        default:
          if (rD() < 0.5) l = { decision: 'rejected', at: within(submittedAt, 0.9), comment: pick(rD, REJECT_COMMENTS) };
          else f = { decision: 'rejected', at: within(submittedAt, 0.9), comment: pick(rD, REJECT_COMMENTS) };
          status = 'rejected';
      }
      writeApprovals(id, c, 1, submittedAt, l, f, 'pending');
      updatedAt = Math.max(submittedAt, l.at, f.at);
    }
    if (outcome === 'signed') {
      signedAt = Math.max(signedAtIn ?? updatedAt, updatedAt + 1000);
      audit(owner, 'contract', id, clientId, 'signed', { status: 'approved' }, { status: 'signed', version }, signedAt);
      status = 'signed';
      updatedAt = signedAt;
    }
    st.contract.add(id, deal, clientId, version, status, owner, submittedAt, updatedAt, signedAt !== null ? owner : null, signedAt);
    counts.contracts++;
    row();
    return { id, kind: t1.kind };
  };

  const writeTasks = (c: number, contract: number, kind: 'goods' | 'services', signDay: number, allDone: boolean, invoiceDoneAt: number | null) => {
    const owner = owners[cOwner[c]!]!;
    const list: TaskTemplate[] = DEFAULT_CHECKLISTS[kind];
    for (const t of list) {
      const assignee = t.service === 'finance' ? finance : owner;
      const dueDay = signDay + t.dueDays;
      let doneAt: number | null = null;
      if (t.key === 'invoice') doneAt = invoiceDoneAt;
      else if (allDone || (dueDay < 0 && rD() < 0.7) || (dueDay >= 0 && rD() < 0.2)) doneAt = cal.at(Math.min(-1, dueDay - int(rD, 0, 2)), rD);
      if (doneAt !== null && doneAt < cal.at(signDay, rD)) doneAt = cal.at(signDay, rD) + 3_600_000;
      st.task.add(contract, t.key, t.title, t.service, assignee, cal.date(dueDay), doneAt !== null ? assignee : null, doneAt);
      counts.tasks++;
      row();
    }
  };

  const frameworkContract = new Int32Array(N); // the signed contract behind a customer's first deal
  const paymentLinks = new Map<number, PaymentLink>(); // by invoice position
  const openTarget = new Weighted<Stage>(
    mode === 'all'
      ? [['lead', 22], ['qualified', 22], ['proposal', 24], ['contract', 16], ['delivery', 8], ['payment', 8]]
      : [['lead', 30], ['qualified', 35], ['proposal', 35]],
  );
  const contractOutcome = new Weighted<'pending' | 'approved' | 'changes_requested' | 'rejected' | 'pending-v2'>([
    ['pending', 45], ['approved', 15], ['changes_requested', 15], ['rejected', 10], ['pending-v2', 15],
  ]);
  /** Where a contract still in play stands: approvals are decided within days, so an old one is decided. */
  const outcomeFor = (submittedAt: number) => {
    if (NOW - submittedAt <= 10 * DAY_MS) return contractOutcome.pick(rD);
    const u = rD();
    return u < 0.4 ? ('approved' as const) : u < 0.75 ? ('changes_requested' as const) : ('rejected' as const);
  };
  const valueOf = (c: number, stage: Stage) =>
    stage === 'lead' && rD() < 0.4 ? null : { minor: money(rD, c, 8000 * sizeFactor(c), 0.9), currency: CURRENCIES[cCur[c]!]! };
  const expectedOf = (createdDay: number, open: boolean, closeDay: number): string => {
    if (!open) return cal.date(closeDay + int(rD, -10, 10));
    let d = createdDay + int(rD, 30, 120);
    if (d < 0 && rD() < 0.7) d = int(rD, 5, 120);
    return cal.date(d);
  };

  sqlite.exec('BEGIN');
  try {
    // ---- clients, deals, contracts ------------------------------------------------------------
    for (let c = 0; c < N; c++) {
      const id = clientBase + c + 1;
      const owner = owners[cOwner[c]!]!;
      const createdAt = cal.at(cCreated[c]!, rD);
      const name = names[c]!;
      const key = nameKey(name);
      st.client.add(id, name, key, owner, contacts[c]!, owner, createdAt);
      counts.clients++;
      row();
      audit(owner, 'client', id, id, 'created', null, { id, name, nameKey: key, ownerId: owner, contact: contacts[c]!, segment: null, createdBy: owner, createdAt }, createdAt);

      if (cCustomer[c]) {
        // The first deal: lead on the day the client was added, won on `since`.
        const since = cSince[c]!;
        const days = [cCreated[c]!, ...spread(cCreated[c]! + 1, since, 5), since];
        const path = timeline(c, STAGE_ORDER, days);
        path[0]!.at = createdAt;
        for (let i = 1; i < path.length; i++) if (path[i]!.at <= path[i - 1]!.at) path[i]!.at = path[i - 1]!.at + int(rD, 60_000, 3_600_000);
        const value = { minor: money(rD, c, 8000 * sizeFactor(c), 0.8), currency: CURRENCIES[cCur[c]!]! };
        const deal = writeDeal(c, name, path, {}, value, expectedOf(cCreated[c]!, false, since));
        if (withContracts) frameworkContract[c] = writeContract(c, deal, value.minor, 'signed', path[3]!.at, path[4]!.at).id;
        // Repeat business: an earlier lost attempt, and/or a deal in progress now.
        let from = since + 20;
        if (from < -30 && rD() < 0.12) {
          const start = int(rD, from, -25);
          const stages = STAGE_ORDER.slice(0, int(rD, 1, 3));
          const d = [start, ...spread(start + 1, Math.min(start + 40, -2), stages.length - 1)];
          const p = timeline(c, stages, d);
          const lostDay = Math.min(-1, d[d.length - 1]! + int(rD, 3, 20));
          const lostAt = Math.max(cal.at(lostDay, rD), p[p.length - 1]!.at + 60_000);
          writeDeal(c, termsFor(c, 1).subject, p, { lost: { at: lostAt, reason: pick(rD, LOST_REASONS) } }, valueOf(c, stages[stages.length - 1]!), expectedOf(start, false, lostDay));
          from = lostDay + 5;
        }
        if (from < -3 && rD() < 0.3) {
          let target = openTarget.pick(rD);
          const last = lastInvoice[c]!;
          const lastDay = last >= 0 ? invDay[order[last]!]! : -9999;
          if (target === 'payment' && (last < 0 || lastDay < from + 25)) target = 'delivery';
          const n = STAGE_ORDER.indexOf(target) + 1;
          const stages = STAGE_ORDER.slice(0, n);
          let d: number[];
          if (target === 'payment') {
            const start = int(rD, from, lastDay - 20);
            d = [start, ...spread(start + 1, lastDay - 1, n - 2), lastDay];
          } else {
            const start = int(rD, from, -2);
            d = [start, ...spread(start + 1, Math.min(-1, start + 15 * n), n - 1)];
          }
          const p = timeline(c, stages, d);
          const value = valueOf(c, target);
          const dealNo = writeDeal(c, termsFor(c, 1).subject, p, {}, value, expectedOf(d[0]!, true, 0));
          if (withContracts && n >= 4) {
            const amount = value!.minor;
            if (target === 'contract') writeContract(c, dealNo, amount, outcomeFor(p[3]!.at), p[3]!.at, null);
            else {
              const k = writeContract(c, dealNo, amount, 'signed', p[3]!.at, p[4]!.at);
              const payAt = target === 'payment' ? p[5]!.at : null;
              writeTasks(c, k.id, k.kind, d[4]!, target === 'payment', payAt);
              if (target === 'payment') paymentLinks.set(last, { dealId: dealNo, contractId: k.id, part: rD() < 0.25, at: p[5]!.at });
            }
          }
        }
      } else {
        // A prospect: one deal, as far down the funnel as it got; stalled deals are often lost.
        const created = cCreated[c]!;
        const maxStage = mode === 'all' ? 3 : 2;
        const advance = [0.45, 0.5, 0.4];
        let reached = 0;
        let day = created;
        const days = [created];
        while (reached < maxStage && rD() < advance[reached]!) {
          const next = day + int(rD, 3, 25);
          if (next > -1) break;
          day = next;
          days.push(day);
          reached++;
        }
        const stages = STAGE_ORDER.slice(0, reached + 1);
        const path = timeline(c, stages, days);
        path[0]!.at = createdAt;
        for (let i = 1; i < path.length; i++) if (path[i]!.at <= path[i - 1]!.at) path[i]!.at = path[i - 1]!.at + int(rD, 60_000, 3_600_000);
        const idle = -day;
        const stage = stages[stages.length - 1]!;
        let outcome: 'pending' | 'approved' | 'changes_requested' | 'rejected' | 'pending-v2' | undefined;
        if (stage === 'contract') outcome = outcomeFor(path[3]!.at);
        // A deal whose contract is still in play is not lost; one whose contract was rejected often is.
        const lose = stage === 'contract' ? outcome === 'rejected' && rD() < 0.6 : rD() < (idle > 45 ? 0.7 : 0.15);
        let lost: { at: number; reason: string } | undefined;
        if (lose && idle > 1) {
          const lostDay = Math.min(-1, day + int(rD, 2, Math.max(2, Math.min(idle - 1, 40))));
          lost = {
            at: Math.max(cal.at(lostDay, rD), path[path.length - 1]!.at + 60_000),
            reason: outcome === 'rejected' ? 'contract rejected' : pick(rD, LOST_REASONS),
          };
        }
        const value = valueOf(c, stage) ?? (stage === 'contract' ? { minor: money(rD, c, 8000 * sizeFactor(c), 0.9), currency: CURRENCIES[cCur[c]!]! } : null);
        const deal = writeDeal(c, name, path, lost ? { lost } : {}, value, expectedOf(created, !lost, lost ? Math.floor(lost.at / DAY_MS) - cal.today : 0));
        if (withContracts && stage === 'contract' && outcome) writeContract(c, deal, value!.minor, outcome, path[3]!.at, null);
      }
    }

    // ---- invoices and payments, in date order -------------------------------------------------
    const pendingPay: [number, number, string, string | null, number][] = [];
    for (let p = 0; p < M; p++) {
      const k = order[p]!;
      const c = invClient[k]!;
      const id = invoiceBase + p + 1;
      const day = invDay[k]!;
      const line = lineOf(c, Math.floor(rP() * cLines[c]!));
      const cur = cCur[c]!;
      const major = line.price * sizeFactor(c) * 0.5 * Math.exp(0.7 * normal(rP)) * FX[cur]!;
      const amount = Math.max(2_000, major >= 1000 ? Math.round(major) * 100 : Math.round(major * 100));
      const margin = rP() < 0.02 ? null : Math.round(amount * Math.max(-0.05, Math.min(0.65, line.margin + 0.04 * normal(rP))));
      const net = NETS[cNet[c]!]!;
      const due = day + net;
      const link = paymentLinks.get(p);
      // When it gets paid, if at all: by the client's payment discipline.
      const u = rP();
      const disc = cDisc[c]!;
      let delay: number | null;
      if (disc === 0) delay = u < 0.8 ? -Math.floor(rP() * Math.min(net, 10)) : u < 0.97 ? int(rP, 1, 20) : int(rP, 21, 60);
      else if (disc === 1) delay = u < 0.55 ? -Math.floor(rP() * Math.min(net, 5)) : u < 0.9 ? int(rP, 1, 30) : int(rP, 31, 90);
      else delay = u < 0.3 ? 0 : u < 0.7 ? int(rP, 1, 45) : u < 0.95 ? int(rP, 46, 150) : null;
      let paidDay = delay === null ? null : Math.max(day, due + delay);
      if (link || (paidDay !== null && paidDay > -1)) paidDay = null;
      const instalments = paidDay !== null && paidDay - day >= 2 && rP() < 0.08;
      const partial = paidDay === null && -1 - day >= 1 && (link ? link.part : rP() < 0.1);
      pendingPay.length = 0;
      let paid = 0;
      const ref = () => (rP() < 0.15 ? null : `${pick(rP, REF_PREFIX)}${String(id * 7919 + int(rP, 0, 9999)).slice(-8)}`);
      if (paidDay !== null) {
        if (instalments) {
          const first = Math.round((amount * int(rP, 30, 70)) / 100);
          const d1 = int(rP, day, paidDay - 1);
          pendingPay.push([id, first, cal.date(d1), ref(), cal.at(d1, rP)]);
          paid += first;
        }
        pendingPay.push([id, amount - paid, cal.date(paidDay), ref(), cal.at(paidDay, rP)]);
        paid = amount;
      } else if (partial) {
        const part = Math.round((amount * int(rP, 20, 70)) / 100);
        const d1 = int(rP, day, -1);
        pendingPay.push([id, part, cal.date(d1), ref(), cal.at(d1, rP)]);
        paid = part;
      }
      const createdAt = link ? link.at : cal.at(day, rP);
      const number = `INV-${String(id).padStart(6, '0')}`;
      const contract = link ? link.contractId : frameworkContract[c]! || null;
      const deal = link ? link.dealId : null;
      const clientId = clientBase + c + 1;
      const paidDate = paidDay === null ? null : cal.date(paidDay);
      st.invoice.add(id, number, clientId, contract, deal, amount, CURRENCIES[cur]!, margin, line.name, cal.date(day), cal.date(due), paid, paidDate, finance, createdAt);
      counts.invoices++;
      row();
      if (invoiceAudit) {
        audit(finance, 'invoice', id, clientId, 'issued', null, {
          id, number, clientId, contractId: contract, dealId: deal, amountMinor: amount, currency: CURRENCIES[cur]!, marginMinor: margin, productLine: line.name,
          issueDate: cal.date(day), dueDate: cal.date(due), paidMinor: 0, paidDate: null, createdBy: finance, createdAt,
        }, createdAt);
      }
      let sofar = 0;
      for (const [inv, amt, date, reference, at] of pendingPay) {
        const recordedAt = Math.max(at, createdAt + 60_000);
        st.payment.add(inv, amt, date, reference, finance, recordedAt);
        counts.payments++;
        row();
        if (invoiceAudit) {
          audit(finance, 'invoice', id, clientId, 'paid', { paidMinor: sofar }, { paidMinor: sofar + amt, amountMinor: amt, currency: CURRENCIES[cur]!, date, reference }, recordedAt);
        }
        sofar += amt;
      }
    }
    for (const b of Object.values(st)) b.flush();
    sqlite.exec('COMMIT');
  } catch (err) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    throw err;
  }
  return { counts, seconds: (performance.now() - started) / 1000, asOf };
}

const SEEDED_TABLES = ['clients', 'deals', 'deal_stage_changes', 'audit_events', 'contracts', 'contract_versions', 'approvals', 'fulfilment_tasks', 'invoices', 'payments'];

/**
 * Seed an empty database (one opened with openDb, so migrated); throws SeedError when it
 * already has clients. Writes with fast pragmas (no fsync while writing, a large page cache,
 * foreign keys consistent by construction rather than checked per row, secondary indexes
 * built at the end), then restores the connection's settings and checkpoints the WAL.
 */
export function seed(db: Db, opts: SeedOptions): SeedResult {
  const started = performance.now();
  const sqlite = db.$client;
  const saved = {
    synchronous: sqlite.pragma('synchronous', { simple: true }) as number,
    foreignKeys: sqlite.pragma('foreign_keys', { simple: true }) as number,
    cacheSize: sqlite.pragma('cache_size', { simple: true }) as number,
  };
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('foreign_keys = OFF');
  sqlite.pragma('cache_size = -262144');
  // Secondary indexes are built once at the end (a sort) rather than row by row, when the
  // tables start empty; they are recreated from their own CREATE INDEX statements.
  const empty = SEEDED_TABLES.every((t) => (sqlite.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n === 0);
  const indexes = empty
    ? (sqlite
        .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${SEEDED_TABLES.map(() => '?').join(', ')})`)
        .all(...SEEDED_TABLES) as { name: string; sql: string }[])
    : [];
  for (const i of indexes) sqlite.exec(`DROP INDEX "${i.name}"`);
  let result: SeedResult;
  try {
    result = generate(db, opts, started);
  } finally {
    for (const i of indexes) sqlite.exec(i.sql);
    sqlite.pragma(`cache_size = ${saved.cacheSize}`);
    sqlite.pragma(`foreign_keys = ${saved.foreignKeys}`);
    sqlite.pragma(`synchronous = ${saved.synchronous}`);
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
  }
  return { ...result, seconds: (performance.now() - started) / 1000 };
}

export interface DemoOptions {
  /** A small company: 36 clients by default. */
  clients?: number;
  invoices?: number;
  seed?: number;
  asOf?: string;
  /** Default `settled`: nothing waits for an approval message that was never posted. */
  contracts?: ContractMode;
  /** Default the first three of DEFAULT_OWNERS. */
  owners?: string[];
  finance?: string;
  legal?: string;
}

/**
 * Demo data for a small believable company. A no-op (`skipped: true`) when the database
 * already has clients, so the local-workspace demo can call it at every start.
 */
export function seedDemo(db: Db, opts: DemoOptions = {}): SeedResult & { skipped: boolean } {
  const existing = (db.$client.prepare('SELECT count(*) AS n FROM clients').get() as { n: number }).n;
  const asOf = opts.asOf ?? new Date().toISOString().slice(0, 10);
  if (existing > 0) return { skipped: true, seconds: 0, asOf, counts: { clients: 0, deals: 0, stageChanges: 0, contracts: 0, versions: 0, approvals: 0, tasks: 0, invoices: 0, payments: 0, audit: 0 } };
  const r = seed(db, {
    clients: opts.clients ?? 36,
    invoices: opts.invoices ?? 900,
    seed: opts.seed ?? 7,
    asOf,
    contracts: opts.contracts ?? 'settled',
    owners: opts.owners ?? DEFAULT_OWNERS.slice(0, 3),
    invoiceAudit: true,
    ...(opts.finance ? { finance: opts.finance } : {}),
    ...(opts.legal ? { legal: opts.legal } : {}),
  });
  return { ...r, skipped: false };
}

/** One line: what was written and how long it took. */
export function summaryLine(path: string, r: SeedResult): string {
  const c = r.counts;
  return (
    `seeded ${path} as of ${r.asOf}: ${c.clients} clients, ${c.deals} deals (${c.stageChanges} stage changes), ${c.contracts} contracts ` +
    `(${c.versions} versions, ${c.approvals} approvals, ${c.tasks} tasks), ${c.invoices} invoices, ${c.payments} payments, ${c.audit} audit events in ${r.seconds.toFixed(1)} s`
  );
}
