import type { ClientUpdate } from '../../repos/clients.ts';
import { isClientSize } from '../../domain/fit.ts';
import { DEFAULT_LOCALE, joinList, label, t, type Locale } from '../../i18n/index.ts';
import { esc, user } from './format.ts';

/** One entry per field `/client set` takes: how it is named to people comes from the catalog. */
const FIELDS: Record<keyof ClientUpdate, true> = { ownerId: true, contact: true, eik: true, vat: true, industry: true, region: true, size: true };

const keysOf = (f: ClientUpdate): (keyof ClientUpdate)[] => (Object.keys(FIELDS) as (keyof ClientUpdate)[]).filter((k) => f[k] !== undefined);

const labelOf = (k: keyof ClientUpdate, locale: Locale): string => t(locale, `field.${k}` as const);

function valueText(key: keyof ClientUpdate, v: string | null | undefined, locale: Locale): string {
  if (v === null || v === undefined || v === '') return '–';
  if (key === 'size' && isClientSize(v)) return label(locale, 'size', v);
  return key === 'ownerId' ? user(v) : esc(v);
}

/** `owner <@A> → <@B>, contact x → y` (an answer), or `owner from <@A> to <@B>, …` (the history). */
export function fieldChanges(before: Record<string, unknown>, after: ClientUpdate, style: 'arrow' | 'from-to', locale: Locale = DEFAULT_LOCALE): string {
  return keysOf(after)
    .map((k) => {
      const values = { label: labelOf(k, locale), was: valueText(k, before[k] as string | null | undefined, locale), now: valueText(k, after[k], locale) };
      return style === 'arrow' ? t(locale, 'field.arrow', values) : t(locale, 'field.fromTo', values);
    })
    .join(', ');
}

/** `owner <@A> and contact x`: what a client already has. */
export function fieldValues(f: ClientUpdate, locale: Locale = DEFAULT_LOCALE): string {
  return joinList(locale, keysOf(f).map((k) => t(locale, 'field.value', { label: labelOf(k, locale), value: valueText(k, f[k], locale) })));
}
