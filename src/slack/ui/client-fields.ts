import type { ClientUpdate } from '../../repos/clients.ts';
import { esc, user } from './format.ts';

/** How a client's field is named to people; one entry per field `/client set` takes. */
const LABEL: Record<keyof ClientUpdate, string> = { ownerId: 'owner', contact: 'contact', eik: 'ЕИК', vat: 'VAT' };

const keysOf = (f: ClientUpdate): (keyof ClientUpdate)[] => (Object.keys(LABEL) as (keyof ClientUpdate)[]).filter((k) => f[k] !== undefined);

function valueText(key: keyof ClientUpdate, v: string | null | undefined): string {
  if (v === null || v === undefined || v === '') return '–';
  return key === 'ownerId' ? user(v) : esc(v);
}

/** `owner <@A> → <@B>, contact x → y` (an answer), or `owner from <@A> to <@B>, …` (the history). */
export function fieldChanges(before: Record<string, unknown>, after: ClientUpdate, style: 'arrow' | 'from-to'): string {
  return keysOf(after)
    .map((k) => {
      const was = valueText(k, before[k] as string | null | undefined);
      const now = valueText(k, after[k]);
      return style === 'arrow' ? `${LABEL[k]} ${was} → ${now}` : `${LABEL[k]} from ${was} to ${now}`;
    })
    .join(', ');
}

/** `owner <@A> and contact x`: what a client already has. */
export function fieldValues(f: ClientUpdate): string {
  const parts = keysOf(f).map((k) => `${LABEL[k]} ${valueText(k, f[k])}`);
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : (parts[0] ?? '');
}
