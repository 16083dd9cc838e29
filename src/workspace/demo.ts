/**
 * The demo company of the local workspace (`npm start -- --demo`, or "Load demo data" on the
 * page): a small distributor's clients, deals, contracts in approval and overdue invoices.
 *
 * It is made the way people would make it: real slash commands, clicks and modal submits
 * through the Slack stand-in, so the bot answers each one and the channels fill with the
 * approval requests, thread replies, DMs and digests those produce.
 */
import type { AppLogger } from '../log.ts';
import type { Store } from '../repos/store.ts';
import { listClients } from '../repos/clients.ts';
import { addDays, localDate } from '../domain/dates.ts';
import type { ConvMessage } from './emulator.ts';
import type { DemoSummary, WorkspaceDriver } from './driver.ts';
import type { Locale } from '../domain/locales.ts';
import { label } from '../i18n/index.ts';

const SELLER = 'U0SELLER';
const LEGAL = 'U0LEGAL';
const FINANCE = 'U0FINANCE';
const ADMIN = 'U0ADMIN';
const SALES = 'C0SALES';

interface DemoClient {
  name: string;
  /** A valid ЕИК (the Bulgarian company's). */
  eik?: string;
  contact: string;
  /** Where the deal is by hand: lead (default), qualified or proposal. */
  stage?: 'qualified' | 'proposal';
  owner?: string;
}

interface DemoContract {
  client: string;
  terms: string;
  /** What happens next: both approve (and maybe it is signed), one approves, changes, rejected, or nothing yet. */
  fate: 'signed' | 'approved' | 'legal-only' | 'changes' | 'rejected' | 'pending';
}

/** Invoices without a contract: days until due (negative = overdue), amount, and what was paid. */
type DemoInvoice = { client: string; amount: number; dueInDays: number; paid?: number; line?: string };

/** One demo company: its clients, contracts, invoices, and what its people say in the channels. */
interface DemoCompany {
  clients: DemoClient[];
  contracts: DemoContract[];
  invoices: DemoInvoice[];
  /** The product line of the invoice on the signed contract. */
  signedLine: string;
  says: { morning: string; approvers: (legal: string, finance: string) => string; late: (seller: string) => string };
  reasons: { changes: string; reject: string };
}

const EN: DemoCompany = {
  clients: [
    { name: 'Елит Строй ЕООД', contact: 'Иван Петров, ivan@elitstroy.bg', stage: 'proposal' },
    { name: 'Balkan Steel AD', contact: 'Georgi Kolev, +359 2 981 4410', stage: 'proposal' },
    { name: 'Rila Foods Ltd', contact: 'Desislava Marinova, d.marinova@rilafoods.bg', stage: 'proposal' },
    { name: 'Nordic Timber AB', contact: 'Lars Eriksson, lars@nordictimber.se', stage: 'proposal' },
    { name: 'Техномаркет ООД', contact: 'Николай Димов, procurement@technomarket.bg', stage: 'proposal' },
    { name: 'Pirin Solar', contact: 'Stefan Todorov, stefan@pirinsolar.eu', stage: 'proposal' },
    { name: 'Danube Shipping', contact: 'Mihail Popov, ops@danubeshipping.bg', stage: 'proposal' },
    { name: 'Zagora Wines', contact: 'Elena Hristova, elena@zagorawines.bg', stage: 'proposal' },
    { name: 'Sofia Dental Clinic', contact: 'Dr. Vesela Angelova, +359 88 412 3366', stage: 'qualified' },
    { name: 'Helix Software', contact: 'Petar Nikolov, petar@helix.dev', stage: 'qualified', owner: ADMIN },
    { name: 'Черноморски бряг АД', contact: 'Radka Stoyanova, r.stoyanova@chbryag.bg', stage: 'qualified' },
    { name: 'Marica Textiles', contact: 'Yordan Vasilev, yordan@maricatex.bg', stage: 'qualified' },
    { name: 'Struma Cement', contact: 'Kiril Atanasov, k.atanasov@strumacement.bg', stage: 'qualified' },
    { name: 'Arda Hydro', contact: 'Boris Ivanov, boris@ardahydro.bg' },
    { name: 'Lyulin Motors', contact: 'Tsvetan Georgiev, fleet@lyulinmotors.bg' },
    { name: 'Iskar Packaging', contact: 'Maya Petkova, maya@iskarpack.bg' },
    { name: 'Rodopi Dairy', contact: 'Ilia Dimitrov, ilia@rodopidairy.bg', owner: ADMIN },
    { name: 'Varna Port Services', contact: 'Anton Kostov, a.kostov@varnaport.bg' },
    { name: 'Plovdiv Print House', contact: 'Gergana Ilieva, gergana@pph.bg' },
    { name: 'Mesta Furniture', contact: 'Svetlin Rusev, svetlin@mestafurniture.bg' },
    { name: 'Strandzha Agro', contact: 'Nadezhda Koleva, office@strandzha-agro.bg' },
    { name: 'Kamchia Resorts', contact: 'Viktor Slavov, viktor@kamchia.bg' },
    { name: 'Sredets Consulting', contact: 'Albena Yaneva, albena@sredets.eu' },
    { name: 'Orbitel Telecom', contact: 'Dimitar Zhelev, d.zhelev@orbitel.bg' },
  ],
  contracts: [
    { client: 'Елит Строй ЕООД', terms: 'amount:18400 EUR net:30 kind:goods subject:Rebar and mesh for the Lozenets residential block, 62 t', fate: 'signed' },
    { client: 'Balkan Steel AD', terms: 'amount:9800 EUR net:30 kind:services subject:Installation and commissioning of two overhead cranes', fate: 'approved' },
    { client: 'Rila Foods Ltd', terms: 'amount:12600 EUR net:30 kind:goods subject:Cold-room insulation panels and doors', fate: 'legal-only' },
    { client: 'Nordic Timber AB', terms: 'amount:27500 EUR net:45 discount:4 kind:goods subject:Glulam beams for the Plovdiv logistics hall', fate: 'pending' },
    { client: 'Техномаркет ООД', terms: 'amount:7300 EUR net:30 kind:services subject:Store fit-out: shelving installation in 3 stores', fate: 'changes' },
    { client: 'Pirin Solar', terms: 'amount:15200 EUR net:60 discount:8 kind:goods subject:Mounting structures for a 400 kWp rooftop plant', fate: 'rejected' },
    { client: 'Danube Shipping', terms: 'amount:4900 EUR net:30 kind:services subject:Annual maintenance of warehouse racking', fate: 'pending' },
  ],
  invoices: [
    { client: 'Zagora Wines', amount: 3400, dueInDays: -41, line: 'packaging' },
    { client: 'Sofia Dental Clinic', amount: 1250, dueInDays: -12, paid: 500, line: 'services' },
    { client: 'Helix Software', amount: 6800, dueInDays: -5, line: 'services' },
    { client: 'Черноморски бряг АД', amount: 9200, dueInDays: -67, line: 'building materials' },
    { client: 'Marica Textiles', amount: 2100, dueInDays: 14, line: 'packaging' },
    { client: 'Struma Cement', amount: 14300, dueInDays: -3, paid: 14300, line: 'building materials' },
    { client: 'Danube Shipping', amount: 5600, dueInDays: 21, line: 'services' },
    { client: 'Balkan Steel AD', amount: 8800, dueInDays: -18, paid: 8800, line: 'steel' },
  ],
  signedLine: 'building materials',
  says: {
    morning: 'Morning all :wave: Loading this quarter’s pipeline into dealdesk — shout if a client is missing.',
    approvers: (legal, finance) => `@${legal} @${finance} seven contracts are in your channels — Елит Строй would like to sign this week.`,
    late: (seller) => `Черноморски бряг is two months late now — @${seller} can you call them before we hand it to legal?`,
  },
  reasons: {
    changes: 'Please add the warranty period for the shelving (24 months is our standard) and who carries the risk during installation.',
    reject: 'Net 60 with an 8% discount on a new client with no payment history is more credit than we can give. Happy to look at net 30 with a 30% advance.',
  },
};

/** With DEALDESK_LOCALE=bg: a Bulgarian distributor's clients (each with a valid ЕИК), in Bulgarian. */
const BG: DemoCompany = {
  clients: [
    { name: 'Елит Строй ЕООД', eik: '198344413', contact: 'Иван Петров, ivan@elitstroy.bg', stage: 'proposal' },
    { name: 'Балкан Стийл АД', eik: '247661430', contact: 'Георги Колев, +359 2 981 4410', stage: 'proposal' },
    { name: 'Рила Фуудс ООД', eik: '254582289', contact: 'Десислава Маринова, d.marinova@rilafoods.bg', stage: 'proposal' },
    { name: 'Родопа Дървен материал ЕООД', eik: '220119505', contact: 'Любомир Андреев, l.andreev@rodopa-darven.bg', stage: 'proposal' },
    { name: 'Техномаркет ООД', eik: '143669795', contact: 'Николай Димов, procurement@technomarket.bg', stage: 'proposal' },
    { name: 'Пирин Солар ЕООД', eik: '119952171', contact: 'Стефан Тодоров, stefan@pirinsolar.bg', stage: 'proposal' },
    { name: 'Дунав Шипинг АД', eik: '147937486', contact: 'Михаил Попов, ops@dunavshipping.bg', stage: 'proposal' },
    { name: 'Загора Вина ООД', eik: '211144107', contact: 'Елена Христова, elena@zagoravina.bg', stage: 'proposal' },
    { name: 'Дентален център София ООД', eik: '161891670', contact: 'д-р Весела Ангелова, +359 88 412 3366', stage: 'qualified' },
    { name: 'Хеликс Софтуер ЕООД', eik: '186747762', contact: 'Петър Николов, petar@helix.bg', stage: 'qualified', owner: ADMIN },
    { name: 'Черноморски бряг АД', eik: '291476370', contact: 'Радка Стоянова, r.stoyanova@chbryag.bg', stage: 'qualified' },
    { name: 'Марица Текстил ООД', eik: '219274978', contact: 'Йордан Василев, yordan@maricatex.bg', stage: 'qualified' },
    { name: 'Струма Цимент АД', eik: '166059573', contact: 'Кирил Атанасов, k.atanasov@strumacement.bg', stage: 'qualified' },
    { name: 'Арда Хидро ЕООД', eik: '254830877', contact: 'Борис Иванов, boris@ardahydro.bg' },
    { name: 'Люлин Моторс ООД', eik: '216103406', contact: 'Цветан Георгиев, fleet@lyulinmotors.bg' },
    { name: 'Искър Опаковки ЕООД', eik: '198485410', contact: 'Мая Петкова, maya@iskarpack.bg' },
    { name: 'Родопи Млечни продукти ООД', eik: '123034849', contact: 'Илия Димитров, ilia@rodopimlyako.bg', owner: ADMIN },
    { name: 'Пристанищни услуги Варна АД', eik: '133954504', contact: 'Антон Костов, a.kostov@varnaport.bg' },
    { name: 'Пловдивска печатница ООД', eik: '183576360', contact: 'Гергана Илиева, gergana@pph.bg' },
    { name: 'Места Мебели ЕООД', eik: '279036757', contact: 'Светлин Русев, svetlin@mestamebeli.bg' },
    { name: 'Странджа Агро ООД', eik: '141230237', contact: 'Надежда Колева, office@strandzha-agro.bg' },
    { name: 'Камчия Ризорт ЕАД', eik: '277286018', contact: 'Виктор Славов, viktor@kamchia.bg' },
    { name: 'Средец Консулт ЕООД', eik: '258662730', contact: 'Албена Янева, albena@sredets.bg' },
    { name: 'Орбител Телеком АД', eik: '122203591', contact: 'Димитър Желев, d.zhelev@orbitel.bg' },
  ],
  contracts: [
    { client: 'Елит Строй ЕООД', terms: 'amount:18400 EUR net:30 kind:goods subject:Арматура и мрежи за жилищен блок в Лозенец, 62 т', fate: 'signed' },
    { client: 'Балкан Стийл АД', terms: 'amount:9800 EUR net:30 kind:services subject:Монтаж и пускане в експлоатация на два мостови крана', fate: 'approved' },
    { client: 'Рила Фуудс ООД', terms: 'amount:12600 EUR net:30 kind:goods subject:Изолационни панели и врати за хладилна камера', fate: 'legal-only' },
    { client: 'Родопа Дървен материал ЕООД', terms: 'amount:27500 EUR net:45 discount:4 kind:goods subject:Лепени греди за логистичната база в Пловдив', fate: 'pending' },
    { client: 'Техномаркет ООД', terms: 'amount:7300 EUR net:30 kind:services subject:Обзавеждане на 3 магазина: монтаж на стелажи', fate: 'changes' },
    { client: 'Пирин Солар ЕООД', terms: 'amount:15200 EUR net:60 discount:8 kind:goods subject:Носещи конструкции за покривна фотоволтаична централа 400 kWp', fate: 'rejected' },
    { client: 'Дунав Шипинг АД', terms: 'amount:4900 EUR net:30 kind:services subject:Годишна поддръжка на складови стелажи', fate: 'pending' },
  ],
  invoices: [
    { client: 'Загора Вина ООД', amount: 3400, dueInDays: -41, line: 'опаковки' },
    { client: 'Дентален център София ООД', amount: 1250, dueInDays: -12, paid: 500, line: 'услуги' },
    { client: 'Хеликс Софтуер ЕООД', amount: 6800, dueInDays: -5, line: 'услуги' },
    { client: 'Черноморски бряг АД', amount: 9200, dueInDays: -67, line: 'строителни материали' },
    { client: 'Марица Текстил ООД', amount: 2100, dueInDays: 14, line: 'опаковки' },
    { client: 'Струма Цимент АД', amount: 14300, dueInDays: -3, paid: 14300, line: 'строителни материали' },
    { client: 'Дунав Шипинг АД', amount: 5600, dueInDays: 21, line: 'услуги' },
    { client: 'Балкан Стийл АД', amount: 8800, dueInDays: -18, paid: 8800, line: 'стомана' },
  ],
  signedLine: 'строителни материали',
  says: {
    morning: 'Добро утро на всички :wave: Въвеждам в dealdesk продажбите за тримесечието — кажете, ако липсва клиент.',
    approvers: (legal, finance) => `@${legal} @${finance} седем договора чакат в каналите ви — Елит Строй иска да подпише тази седмица.`,
    late: (seller) => `Черноморски бряг закъснява вече два месеца — @${seller}, ще им се обадиш ли, преди да предадем вземането на правната служба?`,
  },
  reasons: {
    changes: 'Моля, добавете гаранционния срок за стелажите (стандартно 24 месеца) и кой носи риска по време на монтажа.',
    reject: 'Срок за плащане 60 дни и 8 % отстъпка за нов клиент без история на плащанията е повече кредит, отколкото можем да дадем. Можем да обсъдим 30 дни с 30 % аванс.',
  },
};

export const DEMO_COMPANIES: Record<Locale, DemoCompany> = { en: EN, bg: BG };

/** Seeds the demo, unless the database already has clients. */
export async function seedDemo(d: WorkspaceDriver, store: Store, logger: AppLogger): Promise<DemoSummary> {
  const existing = (await store.read((tx) => listClients(tx, {}, 1))).total;
  const company = DEMO_COMPANIES[d.locale];
  const { clients: CLIENTS, contracts: CONTRACTS, invoices: INVOICES } = company;
  const handle = (id: string) => d.personas.people.find((p) => p.id === id)?.name ?? id;
  const stageWord = (s: 'qualified' | 'proposal') => label(d.locale, 'stage', s);
  if (existing > 0) {
    return { skipped: true, existing, message: `the database already has ${existing} client${existing === 1 ? '' : 's'}, so no demo data was added. To start afresh, stop dealdesk and run npm start -- --demo --reset (it deletes this local workspace's database and conversations)`, clients: 0, contracts: 0, invoices: 0 };
  }
  const started = Date.now();
  const before = new Set(['U0SELLER', 'U0LEGAL', 'U0FINANCE', 'U0ADMIN'].flatMap((u) => d.emu.ephemeralsFor(u).map((e) => e.id)));
  const say = async (user: string, text: string, channel = SALES): Promise<string> => {
    const r = await d.command(user, channel, text);
    if (!r.ok) throw new Error(`demo: "${text}" failed (${r.error ?? r.status})`);
    const body = r.reply?.body;
    return typeof body === 'object' && body ? String(body.text ?? '') : String(body ?? '');
  };

  d.message(SELLER, SALES, company.says.morning);
  for (const c of CLIENTS) {
    await say(c.owner ?? SELLER, `/client add ${c.name}${c.owner && c.owner !== SELLER ? ` owner:@${handle(c.owner)}` : ''}${c.eik ? ` eik:${c.eik}` : ''} contact:${c.contact}`);
  }
  // Each open deal gets an expected value (and a proposal its close date) so the funnel and the
  // cash-in forecast have something to show.
  let n = 0;
  for (const c of CLIENTS) {
    if (!c.stage) continue;
    n++;
    const value = `value:${(8 + ((n * 7) % 23)) * 1500} EUR`;
    await say(c.owner ?? SELLER, `/client move ${c.name} ${stageWord('qualified')}${c.stage === 'qualified' ? ` ${value}` : ''}`);
    if (c.stage === 'proposal') await say(c.owner ?? SELLER, `/client move ${c.name} ${stageWord('proposal')} ${value} close:${addDays(localDate(Date.now(), 'UTC'), 20 + ((n * 11) % 70))}`);
  }

  // Contracts: each goes to #legal and #finance; then the approvers do what the story says.
  const ids = new Map<string, number>();
  for (const c of CONTRACTS) {
    const text = await say(SELLER, `/contract new ${c.client} ${c.terms}`);
    const id = /#(\d+)/.exec(text)?.[1];
    if (!id) throw new Error(`demo: no contract id in the answer to /contract new ${c.client}: ${text.slice(0, 200)}`);
    ids.set(c.client, Number(id));
  }
  d.message(SELLER, SALES, company.says.approvers(handle(LEGAL), handle(FINANCE)));
  for (const c of CONTRACTS) {
    const id = ids.get(c.client)!;
    switch (c.fate) {
      case 'signed':
      case 'approved':
        await approve(d, LEGAL, 'C0LEGAL', id, 'legal');
        await approve(d, FINANCE, 'C0FINANCE', id, 'finance');
        break;
      case 'legal-only':
        await approve(d, LEGAL, 'C0LEGAL', id, 'legal');
        break;
      case 'changes':
        await decideWithReason(d, LEGAL, 'C0LEGAL', id, 'legal', 'contract.request_changes', company.reasons.changes);
        break;
      case 'rejected':
        await approve(d, LEGAL, 'C0LEGAL', id, 'legal');
        await decideWithReason(d, FINANCE, 'C0FINANCE', id, 'finance', 'contract.reject', company.reasons.reject);
        break;
      case 'pending':
        break;
    }
  }
  const signed = CONTRACTS.filter((c) => c.fate === 'signed').map((c) => ids.get(c.client)!);
  for (const id of signed) {
    await d.waitFor(() => (contractStatus(d, id).includes(label(d.locale, 'contractStatus', 'approved')) ? true : undefined), 10_000, `approval of contract #${id}`);
    await say(SELLER, `/contract sign #${id}`);
  }

  // Invoices: one on the signed contract, and a handful on account, several of them late.
  let invoices = 0;
  for (const id of signed) {
    const client = CONTRACTS.find((c) => ids.get(c.client) === id)!.client;
    await say(SELLER, `/invoice add ${client} 18400 EUR contract:#${id} due:${day(-9)} line:${company.signedLine}`);
    invoices++;
  }
  for (const i of INVOICES) {
    const text = await say(SELLER, `/invoice add ${i.client} ${i.amount} EUR due:${day(i.dueInDays)}${i.line ? ` line:${i.line}` : ''}`);
    invoices++;
    const id = /#(\d+)/.exec(text)?.[1];
    if (id && i.paid) await say(FINANCE, `/invoice pay #${id} ${i.paid} ref:BNK-${String(4100 + Number(id))}`, 'C0FINANCE');
  }

  // The digests people would otherwise wait for until the morning.
  const financeBefore = d.emu.history('C0FINANCE').length;
  await say(ADMIN, '/dealdesk digest overdue', 'C0FINANCE');
  await say(ADMIN, '/abc', SALES);
  await say(ADMIN, '/dealdesk digest funnel', SALES);
  await d.waitFor(() => (d.emu.history(SALES).some((m) => (m.files?.length ?? 0) > 0) ? true : undefined), 30_000, 'the funnel chart').catch((err: unknown) => {
    logger.warn(`demo: ${err instanceof Error ? err.message : String(err)}`);
  });
  // The overdue digest runs beside the funnel's and may be posted after it.
  await d.waitFor(() => (d.emu.history('C0FINANCE').length > financeBefore ? true : undefined), 30_000, 'the overdue digest').catch((err: unknown) => {
    logger.warn(`demo: ${err instanceof Error ? err.message : String(err)}`);
  });
  d.message(FINANCE, 'C0FINANCE', company.says.late(handle(SELLER)));

  // What the commands answered privately was for the person typing them, not for the demo's audience.
  d.emu.clearEphemerals((e) => !before.has(e.id));
  for (const u of ['U0SELLER', 'U0LEGAL', 'U0FINANCE', 'U0ADMIN']) {
    for (const v of [...d.emu.modalStack(u)]) await d.close(u, v.id, true);
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  const summary = { skipped: false, clients: CLIENTS.length, contracts: CONTRACTS.length, invoices, seconds: Number(secs), message: '' };
  summary.message = `${summary.clients} clients, ${summary.contracts} contracts and ${summary.invoices} invoices in ${secs} s`;
  logger.info(`local workspace: demo ready — ${summary.message}`);
  return summary;
}

/** YYYY-MM-DD, `offset` days from today (UTC). */
function day(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

/** The approval request of contract `id` for `fn` (posted by the outbox, so maybe not yet). */
function requestOf(d: WorkspaceDriver, channel: string, id: number, fn: 'legal' | 'finance', timeoutMs = 15_000): Promise<ConvMessage> {
  return d.waitForMessage(channel, (m) => m.thread_ts === undefined || m.thread_ts === m.ts ? decisionValue(m, id, fn) !== undefined : false, timeoutMs);
}

function decisionValue(m: ConvMessage, id: number, fn: string): string | undefined {
  for (const b of m.blocks ?? []) {
    for (const e of b.elements ?? []) {
      if (typeof e.value === 'string' && e.value.startsWith(`${id}:`) && e.value.endsWith(`:${fn}`)) return e.value;
    }
  }
  return undefined;
}

/** Where the contract is, as its legal request message says. */
function contractStatus(d: WorkspaceDriver, id: number): string {
  const m = d.emu.history('C0LEGAL').find((x) => (x.blocks ?? []).some((b: any) => b.type === 'header' && String(b.text?.text ?? '').includes(`#${id} `)));
  return m ? m.text : '';
}

async function approve(d: WorkspaceDriver, user: string, channel: string, id: number, fn: 'legal' | 'finance'): Promise<void> {
  const msg = await requestOf(d, channel, id, fn);
  await d.action({ user, channel, ts: msg.ts, actionId: 'contract.approve' });
  // Beyond the loyalty policy, finance approves in a form by ticking each exception.
  const done = await d
    .waitFor(
      () => {
        const modal = d.emu.modalStack(user).find((v) => v.callback_id === 'contract.exceptions.modal');
        if (modal) return modal;
        const now = d.emu.message(channel, msg.ts);
        return now && decisionValue(now, id, fn) === undefined ? 'decided' : undefined;
      },
      10_000,
      `the ${fn} decision on contract #${id}`,
    );
  if (done !== 'decided') {
    const block = done.blocks.find((b: any) => b.element?.type === 'checkboxes');
    const all = (block?.element?.options ?? []).map((o: any) => o.value);
    await d.submit(user, done.id, block ? { [block.block_id]: all } : {});
  }
}

async function decideWithReason(d: WorkspaceDriver, user: string, channel: string, id: number, fn: 'legal' | 'finance', actionId: string, reason: string): Promise<void> {
  const msg = await requestOf(d, channel, id, fn);
  await d.action({ user, channel, ts: msg.ts, actionId });
  const modal = await d.waitFor(() => d.emu.modalStack(user).find((v) => v.callback_id === 'contract.reason.modal'), 10_000, `the reason form for contract #${id}`);
  const input = modal.blocks.find((b: any) => b.type === 'input');
  await d.submit(user, modal.id, { [input.block_id]: reason });
}
