/** The languages dealdesk speaks (SPEC §5 "Language"); the catalogs live in src/i18n. */
export const LOCALES = ['en', 'bg'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

export function isLocale(s: string): s is Locale {
  return (LOCALES as readonly string[]).includes(s);
}
