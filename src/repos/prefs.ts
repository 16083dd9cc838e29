import { sql } from 'drizzle-orm';
import { isLocale, type Locale } from '../domain/locales.ts';
import { rowsOf, runSql, type Tx } from './store.ts';

/** Record the language a person chose; the latest choice wins. */
export async function setUserLocale(tx: Tx, userId: string, locale: Locale, at: number): Promise<void> {
  await runSql(
    tx,
    sql`INSERT INTO user_prefs (user_id, locale, updated_at) VALUES (${userId}, ${locale}, ${at})
        ON CONFLICT(user_id) DO UPDATE SET locale = excluded.locale, updated_at = excluded.updated_at`,
  );
}

/** Everyone who chose a language (a row per person who ran `/dealdesk language`: a small table). */
export async function userLocales(tx: Tx): Promise<Map<string, Locale>> {
  const rows = await rowsOf<{ userId: string; locale: string }>(tx, sql`SELECT user_id AS "userId", locale FROM user_prefs`);
  return new Map(rows.filter((r) => isLocale(r.locale)).map((r) => [r.userId, r.locale as Locale]));
}
