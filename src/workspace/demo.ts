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

const SELLER = 'U0SELLER';
const LEGAL = 'U0LEGAL';
const FINANCE = 'U0FINANCE';
const ADMIN = 'U0ADMIN';
const SALES = 'C0SALES';

interface DemoClient {
  name: string;
  contact: string;
  /** Where the deal is by hand: lead (default), qualified or proposal. */
  stage?: 'qualified' | 'proposal';
  owner?: string;
}

const CLIENTS: DemoClient[] = [
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
];

interface DemoContract {
  client: string;
  terms: string;
  /** What happens next: both approve (and maybe it is signed), one approves, changes, rejected, or nothing yet. */
  fate: 'signed' | 'approved' | 'legal-only' | 'changes' | 'rejected' | 'pending';
}

const CONTRACTS: DemoContract[] = [
  { client: 'Елит Строй ЕООД', terms: 'amount:18400 EUR net:30 kind:goods subject:Rebar and mesh for the Lozenets residential block, 62 t', fate: 'signed' },
  { client: 'Balkan Steel AD', terms: 'amount:9800 EUR net:30 kind:services subject:Installation and commissioning of two overhead cranes', fate: 'approved' },
  { client: 'Rila Foods Ltd', terms: 'amount:12600 EUR net:30 kind:goods subject:Cold-room insulation panels and doors', fate: 'legal-only' },
  { client: 'Nordic Timber AB', terms: 'amount:27500 EUR net:45 discount:4 kind:goods subject:Glulam beams for the Plovdiv logistics hall', fate: 'pending' },
  { client: 'Техномаркет ООД', terms: 'amount:7300 EUR net:30 kind:services subject:Store fit-out: shelving installation in 3 stores', fate: 'changes' },
  { client: 'Pirin Solar', terms: 'amount:15200 EUR net:60 discount:8 kind:goods subject:Mounting structures for a 400 kWp rooftop plant', fate: 'rejected' },
  { client: 'Danube Shipping', terms: 'amount:4900 EUR net:30 kind:services subject:Annual maintenance of warehouse racking', fate: 'pending' },
];

/** Invoices without a contract: days until due (negative = overdue), amount, and what was paid. */
const INVOICES: { client: string; amount: number; dueInDays: number; paid?: number; line?: string }[] = [
  { client: 'Zagora Wines', amount: 3400, dueInDays: -41, line: 'packaging' },
  { client: 'Sofia Dental Clinic', amount: 1250, dueInDays: -12, paid: 500, line: 'services' },
  { client: 'Helix Software', amount: 6800, dueInDays: -5, line: 'services' },
  { client: 'Черноморски бряг АД', amount: 9200, dueInDays: -67, line: 'building materials' },
  { client: 'Marica Textiles', amount: 2100, dueInDays: 14, line: 'packaging' },
  { client: 'Struma Cement', amount: 14300, dueInDays: -3, paid: 14300, line: 'building materials' },
  { client: 'Danube Shipping', amount: 5600, dueInDays: 21, line: 'services' },
  { client: 'Balkan Steel AD', amount: 8800, dueInDays: -18, paid: 8800, line: 'steel' },
];

/** Seeds the demo, unless the database already has clients. */
export async function seedDemo(d: WorkspaceDriver, store: Store, logger: AppLogger): Promise<DemoSummary> {
  const existing = (await store.read((tx) => listClients(tx, {}, 1))).total;
  if (existing > 0) {
    return { skipped: true, message: `the database already has ${existing} client${existing === 1 ? '' : 's'}, so no demo data was added. To start afresh, stop dealdesk and run npm start -- --demo --reset (it deletes this local workspace's database and conversations)`, clients: 0, contracts: 0, invoices: 0 };
  }
  const started = Date.now();
  const before = new Set(['U0SELLER', 'U0LEGAL', 'U0FINANCE', 'U0ADMIN'].flatMap((u) => d.emu.ephemeralsFor(u).map((e) => e.id)));
  const say = async (user: string, text: string, channel = SALES): Promise<string> => {
    const r = await d.command(user, channel, text);
    if (!r.ok) throw new Error(`demo: "${text}" failed (${r.error ?? r.status})`);
    const body = r.reply?.body;
    return typeof body === 'object' && body ? String(body.text ?? '') : String(body ?? '');
  };

  d.message(SELLER, SALES, 'Morning all :wave: Loading this quarter’s pipeline into dealdesk — shout if a client is missing.');
  for (const c of CLIENTS) {
    await say(c.owner ?? SELLER, `/client add ${c.name}${c.owner && c.owner !== SELLER ? ` owner:@${ownerHandle(c.owner)}` : ''} contact:${c.contact}`);
  }
  // Each open deal gets an expected value (and a proposal its close date) so the funnel and the
  // cash-in forecast have something to show.
  let n = 0;
  for (const c of CLIENTS) {
    if (!c.stage) continue;
    n++;
    const value = `value:${(8 + ((n * 7) % 23)) * 1500} EUR`;
    await say(c.owner ?? SELLER, `/client move ${c.name} qualified${c.stage === 'qualified' ? ` ${value}` : ''}`);
    if (c.stage === 'proposal') await say(c.owner ?? SELLER, `/client move ${c.name} proposal ${value} close:${addDays(localDate(Date.now(), 'UTC'), 20 + ((n * 11) % 70))}`);
  }

  // Contracts: each goes to #legal and #finance; then the approvers do what the story says.
  const ids = new Map<string, number>();
  for (const c of CONTRACTS) {
    const text = await say(SELLER, `/contract new ${c.client} ${c.terms}`);
    const id = /#(\d+)/.exec(text)?.[1];
    if (!id) throw new Error(`demo: no contract id in the answer to /contract new ${c.client}: ${text.slice(0, 200)}`);
    ids.set(c.client, Number(id));
  }
  d.message(SELLER, SALES, '@lea @filip seven contracts are in your channels — Елит Строй would like to sign this week.');
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
        await decideWithReason(d, LEGAL, 'C0LEGAL', id, 'legal', 'contract.request_changes', 'Please add the warranty period for the shelving (24 months is our standard) and who carries the risk during installation.');
        break;
      case 'rejected':
        await approve(d, LEGAL, 'C0LEGAL', id, 'legal');
        await decideWithReason(d, FINANCE, 'C0FINANCE', id, 'finance', 'contract.reject', 'Net 60 with an 8% discount on a new client with no payment history is more credit than we can give. Happy to look at net 30 with a 30% advance.');
        break;
      case 'pending':
        break;
    }
  }
  const signed = CONTRACTS.filter((c) => c.fate === 'signed').map((c) => ids.get(c.client)!);
  for (const id of signed) {
    await d.waitFor(() => (/approved/.test(contractStatus(d, id)) ? true : undefined), 10_000, `approval of contract #${id}`);
    await say(SELLER, `/contract sign #${id}`);
  }

  // Invoices: one on the signed contract, and a handful on account, several of them late.
  let invoices = 0;
  for (const id of signed) {
    const client = CONTRACTS.find((c) => ids.get(c.client) === id)!.client;
    await say(SELLER, `/invoice add ${client} 18400 EUR contract:#${id} due:${day(-9)} line:building materials`);
    invoices++;
  }
  for (const i of INVOICES) {
    const text = await say(SELLER, `/invoice add ${i.client} ${i.amount} EUR due:${day(i.dueInDays)}${i.line ? ` line:${i.line}` : ''}`);
    invoices++;
    const id = /#(\d+)/.exec(text)?.[1];
    if (id && i.paid) await say(FINANCE, `/invoice pay #${id} ${i.paid} ref:BNK-${String(4100 + Number(id))}`, 'C0FINANCE');
  }

  // The digests people would otherwise wait for until the morning.
  await say(ADMIN, '/dealdesk digest overdue', 'C0FINANCE');
  await say(ADMIN, '/abc', SALES);
  await say(ADMIN, '/dealdesk digest funnel', SALES);
  await d.waitFor(() => (d.emu.history(SALES).some((m) => (m.files?.length ?? 0) > 0) ? true : undefined), 30_000, 'the funnel chart').catch((err: unknown) => {
    logger.warn(`demo: ${err instanceof Error ? err.message : String(err)}`);
  });
  d.message(FINANCE, 'C0FINANCE', 'Черноморски бряг is two months late now — @maria can you call them before we hand it to legal?');

  // What the commands answered privately was for the person typing them, not for the demo's audience.
  d.emu.clearEphemerals((e) => !before.has(e.id));
  for (const u of ['U0SELLER', 'U0LEGAL', 'U0FINANCE', 'U0ADMIN']) {
    for (const v of [...d.emu.modalStack(u)]) await d.close(u, v.id, true);
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  const summary = { skipped: false, clients: CLIENTS.length, contracts: CONTRACTS.length, invoices, message: '' };
  summary.message = `${summary.clients} clients, ${summary.contracts} contracts and ${summary.invoices} invoices in ${secs} s`;
  logger.info(`local workspace: demo ready — ${summary.message}`);
  return summary;
}

function ownerHandle(id: string): string {
  return { U0SELLER: 'maria', U0LEGAL: 'lea', U0FINANCE: 'filip', U0ADMIN: 'ana' }[id] ?? id;
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
  const m = d.emu.history('C0LEGAL').find((x) => (x.blocks ?? []).some((b: any) => b.type === 'header' && String(b.text?.text ?? '').includes(`Contract #${id} `)));
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
