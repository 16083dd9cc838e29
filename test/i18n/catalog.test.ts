import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { CATALOGS, formatDate, formatDateTime, formatMoney, label, LOCALES, t, type MessageKey } from '../../src/i18n/index.ts';
import { STAGES } from '../../src/domain/stages.ts';

const ast = (m: string) => parse(m, { ignoreTag: true });

/** Every argument a message names, with its kind (`plural`, `select`, `argument` …) and, for a select, its cases. */
function argsOf(els: MessageFormatElement[], out = new Map<string, string>()): Map<string, string> {
  for (const e of els) {
    if (e.type === TYPE.argument || e.type === TYPE.number || e.type === TYPE.date || e.type === TYPE.time) out.set(e.value, TYPE[e.type]);
    if (e.type === TYPE.plural || e.type === TYPE.select) {
      out.set(e.value, `${TYPE[e.type]}:${Object.keys(e.options).sort().join(',')}`);
      for (const o of Object.values(e.options)) argsOf(o.value, out);
    }
  }
  return out;
}

/** `#` elements: a count must be written `{n}`, so a literal `#12` inside a plural case stays text. */
function pounds(els: MessageFormatElement[]): number {
  let n = 0;
  for (const e of els) {
    if (e.type === TYPE.pound) n++;
    if (e.type === TYPE.plural || e.type === TYPE.select) for (const o of Object.values(e.options)) n += pounds(o.value);
  }
  return n;
}

describe('the catalogs', () => {
  const keys = Object.keys(CATALOGS.en).sort();

  it('have the same keys in every language', () => {
    for (const l of LOCALES) expect(Object.keys(CATALOGS[l]).sort()).toEqual(keys);
  });

  it('parse, and name the same arguments of the same kind in every language (select cases included)', () => {
    for (const k of keys as MessageKey[]) {
      const en = argsOf(ast(CATALOGS.en[k]));
      for (const l of LOCALES) expect([k, Object.fromEntries(argsOf(ast(CATALOGS[l][k])))]).toEqual([k, Object.fromEntries(en)]);
    }
  });

  it('write counts as {n}, never #, so an id like #12 inside a plural case prints as written', () => {
    for (const l of LOCALES) for (const k of keys as MessageKey[]) expect([l, k, pounds(ast(CATALOGS[l][k]))]).toEqual([l, k, 0]);
  });

  it('give every plural and select an `other` case', () => {
    for (const l of LOCALES)
      for (const k of keys as MessageKey[])
        for (const [name, kind] of argsOf(ast(CATALOGS[l][k]))) if (kind.includes(':')) expect([l, k, name, kind.split(':')[1]!.split(',').includes('other')]).toEqual([l, k, name, true]);
  });

  it('leave no Bulgarian message in English: each differs from the English one unless it is only commands, keywords, names or symbols', () => {
    const same = (keys as MessageKey[]).filter((k) => CATALOGS.bg[k] === CATALOGS.en[k] && !CATALOGS.en[k].startsWith('/') && /[a-z]{3,}/.test(CATALOGS.en[k].replace(/\{[^}]*\}|`[^`]*`|:[a-z_]+:|\/\S+|\S+:\S*|dealdesk/g, '')));
    expect(same).toEqual([]);
  });
});

describe('Bulgarian words', () => {
  it('count with CLDR’s one/other: 1 фактура, 3 фактури; 1 ден, 21 дни; 1 договор, 3 договора', () => {
    expect(t('bg', 'n.overdueInvoices', { n: 1 })).toBe('1 просрочена фактура');
    expect(t('bg', 'n.overdueInvoices', { n: 3 })).toBe('3 просрочени фактури');
    expect(t('bg', 'n.days', { n: 1 })).toBe('1 ден');
    expect(t('bg', 'n.days', { n: 21 })).toBe('21 дни');
    expect(t('bg', 'n.contracts', { n: 1 })).toBe('1 договор');
    expect(t('bg', 'n.contracts', { n: 3 })).toBe('3 договора');
    expect(t('en', 'n.days', { n: 1 })).toBe('1 day');
    expect(t('en', 'n.days', { n: 0 })).toBe('0 days');
  });

  it('keeps Slack markup and ids as text: mentions, <placeholders>, #N inside a plural', () => {
    expect(t('bg', 'client.updatedDeals', { n: 1, ids: '#12', owner: '<@U1>' })).toBe(' Отворената сделка #12 също преминава към <@U1>.');
    expect(t('en', 'client.listEmpty')).toBe('No clients yet. Add one with `/client add <name>`.');
  });

  it('names the stages as SPEC §5 does', () => {
    expect(STAGES.map((s) => label('bg', 'stage', s))).toEqual(['потенциален', 'квалифициран', 'оферта', 'договор', 'доставка', 'плащане', 'спечелен', 'загубен']);
    expect(t('bg', 'card.stage', { stage: label('bg', 'stage', 'proposal') })).toBe('Етап: оферта');
  });

  it('formats money by Intl.NumberFormat(bg-BG) and dates as DD.MM.YYYY', () => {
    expect(formatMoney(1_250_000, 'EUR', 'bg')).toBe('12\u00a0500,00\u00a0€');
    expect(formatMoney(1_250_000, 'EUR')).toBe('€12,500.00');
    expect(formatMoney(51_129, 'EUR', 'bg')).toBe('511,29\u00a0€');
    expect(formatDate('2026-01-05', 'bg')).toBe('05.01.2026');
    expect(formatDate('2026-01-05', 'en')).toBe('2026-01-05');
    expect(formatDateTime('2026-11-24 10:00', 'bg')).toBe('24.11.2026 10:00');
  });
});
