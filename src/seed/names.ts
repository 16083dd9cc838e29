/** Client names (Latin and Bulgarian Cyrillic, unique by nameKey) and their contacts. */
import { nameKey } from '../domain/names.ts';
import { int, pick, type Rng } from './rng.ts';
import {
  BG_FIRST, BG_LAST, CYR_FORMS, CYR_SECTORS, CYR_STEMS, CYR_THIRD, LATIN_ENDINGS, LATIN_FIRST, LATIN_FORMS, LATIN_LAST, LATIN_SECTORS, LATIN_STEMS, PHONE_PREFIX,
} from './vocabulary.ts';

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

export function uniqueName(r: Rng, latin: boolean, taken: Set<string>): string {
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

export function contactFor(r: Rng, latin: boolean, name: string): string | null {
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
