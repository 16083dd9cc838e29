import type { Locale } from '../domain/locales.ts';
import { setUserLocale, userLocales } from '../repos/prefs.ts';
import type { Store } from '../repos/store.ts';
import type { Ctx } from './context.ts';

/** `/dealdesk language bg|en`: the actor's answers, DMs, modals and Home tab follow it from now on. */
export async function chooseLanguage(ctx: Ctx, locale: Locale): Promise<void> {
  await ctx.store.write((tx) => setUserLocale(tx, ctx.actor, locale, ctx.now));
}

/** Every person's own language, by user id; a person not in it reads the workspace's. */
export function peopleLocales(store: Store): Promise<Map<string, Locale>> {
  return store.read((tx) => userLocales(tx));
}
