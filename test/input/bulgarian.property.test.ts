/**
 * Bulgarian input (SPEC §5): stage names in either language, `помощ` as well as `help`,
 * `DD.MM.YYYY` wherever a command takes a date, and amounts as Bulgarians write them
 * (`12 500,50`, as Intl.NumberFormat('bg-BG') prints them).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyDigits, minorToDecimal, parseAmount } from '../../src/domain/money.ts';
import { CONTRACT_STATUSES } from '../../src/domain/contracts.ts';
import { STAGES } from '../../src/domain/stages.ts';
import { formatDate, label, LOCALES, t } from '../../src/i18n/index.ts';
import { parseAbcCommand, parseFunnelCommand } from '../../src/slack/input/analytics.ts';
import { parseClientCommand } from '../../src/slack/input/client.ts';
import { parseContractCommand } from '../../src/slack/input/contract.ts';
import { parseDealdeskCommand } from '../../src/slack/input/dealdesk.ts';
import { parseDeliveryCommand, parseInvoiceCommand } from '../../src/slack/input/invoice.ts';
import { problemSentence } from '../../src/slack/reply.ts';

const RUNS = 300;

const CYRILLIC = 'абвгдежзийклмнопрстуфхцчшщъьюя';
const nameArb = fc
  .array(fc.string({ unit: fc.constantFrom(...(CYRILLIC + CYRILLIC.toUpperCase() + 'abcxyz')), minLength: 2, maxLength: 8 }), { minLength: 1, maxLength: 3 })
  .map((ws) => `${ws.join(' ')} ООД`);

/** A word in a random mix of upper and lower case: `оФеРтА`. */
const anyCase = (w: string) => fc.array(fc.boolean(), { minLength: w.length, maxLength: w.length }).map((up) => [...w].map((c, i) => (up[i] ? c.toLocaleUpperCase('bg') : c.toLocaleLowerCase('bg'))).join(''));

/** A stage and one of its names, in English or Bulgarian, in any case. */
const stageWord = fc.constantFrom(...STAGES).chain((s) => fc.constantFrom(...LOCALES).chain((l) => anyCase(label(l, 'stage', s)).map((w) => ({ s, w }))));

/** Any calendar date from 2000 to 2099 as ISO. */
const isoArb = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

/** An amount as bg-BG prints it, grouped with (no-break) spaces and a decimal comma: `12 500,50`. */
function bgAmount(minor: number, cur: string): string {
  const d = currencyDigits(cur);
  return new Intl.NumberFormat('bg-BG', { minimumFractionDigits: d, maximumFractionDigits: d }).format(minorToDecimal(minor, cur) as unknown as number);
}
const minorArb = fc.oneof(fc.integer({ min: 1, max: 10_000_000_000 }), fc.constantFrom(1, 1000, 125_050, 1_250_050));
const space = fc.constantFrom('\u00a0', ' ');

describe('stage names in either language', () => {
  it('`/client move <name> <stage>` takes the English or the Bulgarian name in any case', () => {
    fc.assert(
      fc.property(nameArb, stageWord, (name, { s, w }) => {
        const r = parseClientCommand(`move ${name} ${w}`);
        expect(r).toMatchObject({ ok: true, command: { kind: 'move', ref: { name }, stage: s } });
      }),
      { numRuns: RUNS },
    );
  });

  it('`/client list stage:<stage>` too', () => {
    fc.assert(
      fc.property(stageWord, ({ s, w }) => {
        expect(parseClientCommand(`list stage:${w} owner:me`)).toEqual({ ok: true, command: { kind: 'list', stage: s, owner: { kind: 'me' } } });
      }),
      { numRuns: RUNS },
    );
  });

  it('a word that is no stage in either language is still refused with the usage', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...CYRILLIC), minLength: 1, maxLength: 12 }), (w) => {
        fc.pre(!STAGES.some((s) => LOCALES.some((l) => label(l, 'stage', s) === w)));
        expect(parseClientCommand(`move Acme ${w}`)).toMatchObject({ ok: false, usage: 'move' });
      }),
      { numRuns: RUNS },
    );
  });
});

describe('contract statuses in either language', () => {
  /** A status and one of its words: the code, its `/contract list` word or its label, in English or Bulgarian, in any case. */
  const statusWord = fc
    .constantFrom(...CONTRACT_STATUSES)
    .chain((s) => fc.constantFrom(...LOCALES).chain((l) => fc.constantFrom(s as string, label(l, 'contractStatusWord', s), label(l, 'contractStatus', s)).chain(anyCase).map((w) => ({ s, w }))));

  it('`/contract list <status>` takes `pending`, `чакащи`, `Одобрен`, `за промени` … in any case', () => {
    fc.assert(
      fc.property(statusWord, ({ s, w }) => {
        expect(parseContractCommand(`list ${w}`)).toEqual({ ok: true, command: { kind: 'list', status: s } });
      }),
      { numRuns: RUNS },
    );
    expect(parseContractCommand('list changes')).toEqual({ ok: true, command: { kind: 'list', status: 'changes_requested' } });
    expect(parseContractCommand('list за-промени')).toEqual({ ok: true, command: { kind: 'list', status: 'changes_requested' } });
  });

  it('a word that names no status is refused with the list usage, which names the words in the reader’s language', () => {
    const words = new Set(CONTRACT_STATUSES.flatMap((s) => [s, ...LOCALES.flatMap((l) => [label(l, 'contractStatusWord', s), label(l, 'contractStatus', s)])]));
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...CYRILLIC), minLength: 1, maxLength: 12 }), (w) => {
        fc.pre(!words.has(w));
        expect(parseContractCommand(`list ${w}`)).toMatchObject({ ok: false, usage: 'list' });
      }),
      { numRuns: RUNS },
    );
    const r = parseContractCommand('list нещо');
    if (r.ok) throw new Error('accepted');
    expect(problemSentence(r.problem, 'bg')).toBe('`нещо` не е състояние на договор. Използвайте чакащи, одобрени, за промени, отхвърлени или подписани.');
    expect(problemSentence(r.problem, 'en')).toBe('`нещо` is not a contract status. Use pending, approved, changes, rejected or signed.');
    // The usage line shows the same words.
    for (const l of LOCALES) expect(t(l, 'usage.contract.list')).toBe(`/contract list [${CONTRACT_STATUSES.map((s) => label(l, 'contractStatusWord', s)).join('|')}]`);
  });
});

describe('`помощ` as well as `help`', () => {
  const PARSERS: [string, (raw: string) => { ok: boolean; command?: { kind: string } }][] = [
    ['client', parseClientCommand],
    ['contract', parseContractCommand],
    ['invoice', parseInvoiceCommand],
    ['delivery', parseDeliveryCommand],
    ['dealdesk', parseDealdeskCommand],
    ['abc', parseAbcCommand],
    ['funnel', parseFunnelCommand],
  ];
  it('every command answers `помощ` and `help`, in any case and spacing, with its help', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PARSERS), fc.constantFrom('помощ', 'help').chain(anyCase), fc.constantFrom('', ' ', '  '), ([, parse], w, pad) => {
        expect(parse(`${pad}${w}${pad}`)).toMatchObject({ ok: true, command: { kind: 'help' } });
      }),
      { numRuns: RUNS },
    );
  });
});

describe('DD.MM.YYYY wherever a date is taken', () => {
  const bg = (iso: string) => formatDate(iso, 'bg');

  it('reads each date key the same in DD.MM.YYYY as in YYYY-MM-DD', () => {
    fc.assert(
      fc.property(isoArb, (iso) => {
        const d = bg(iso);
        expect(parseClientCommand(`move Строй Елит ООД оферта close:${d}`)).toMatchObject({ ok: true, command: { close: iso } });
        expect(parseInvoiceCommand(`add Строй Елит ООД 100 EUR issued:${d} due:${d}`)).toMatchObject({ ok: true, command: { issued: iso, due: iso } });
        expect(parseInvoiceCommand(`pay #7 100 date:${d}`)).toMatchObject({ ok: true, command: { date: iso } });
        expect(parseInvoiceCommand(`promise #7 ${d}`)).toEqual({ ok: true, command: { kind: 'promise', id: 7, date: iso } });
        expect(parseInvoiceCommand(`interest #7 date:${d}`)).toEqual({ ok: true, command: { kind: 'interest', id: 7, date: iso } });
      }),
      { numRuns: RUNS },
    );
  });

  it('a day that does not exist is refused, not rolled over (31.02, 29.02 of a common year)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2001, max: 2099 }).filter((y) => y % 4 !== 0), fc.constantFrom('30.02', '31.02', '29.02', '31.04', '32.01', '00.01', '15.13'), (y, dm) => {
        expect(parseClientCommand(`move Acme lead close:${dm}.${y}`)).toMatchObject({ ok: false, usage: 'move' });
        expect(parseInvoiceCommand(`promise #7 ${dm}.${y}`)).toMatchObject({ ok: false, usage: 'promise' });
      }),
      { numRuns: 100 },
    );
  });
});

describe('amounts as bg-BG writes them', () => {
  it('parseAmount reads back what Intl.NumberFormat(bg-BG) prints, with its no-break spaces or plain ones', () => {
    fc.assert(
      fc.property(minorArb, fc.constantFrom('EUR', 'BGN', 'USD', 'JPY', 'KWD'), space, (minor, cur, sp) => {
        expect(parseAmount(bgAmount(minor, cur).replace(/\u00a0/g, sp), cur)).toEqual({ ok: true, minor });
      }),
      { numRuns: RUNS },
    );
  });

  it('`value:`, `amount:` and `/invoice add` take the Bulgarian form', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000_000 }), space, (minor, sp) => {
        const a = bgAmount(minor, 'EUR').replace(/\u00a0/g, sp);
        expect(parseClientCommand(`move Строй Елит ООД оферта value:${a} EUR`)).toMatchObject({ ok: true, command: { value: { minor, currency: 'EUR' } } });
        expect(parseContractCommand(`new Строй Елит ООД amount:${a} EUR net:30`)).toMatchObject({ ok: true, command: { draft: { amountMinor: minor, currency: 'EUR' } } });
        const inv = parseInvoiceCommand(`add Строй Елит ООД ${a} EUR`);
        if (!inv.ok || inv.command.kind !== 'add') throw new Error(JSON.stringify(inv));
        expect(inv.command.readings).toContainEqual(expect.objectContaining({ client: { name: 'Строй Елит ООД' }, amountMinor: minor }));
      }),
      { numRuns: RUNS },
    );
  });
});
