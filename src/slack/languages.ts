import { performance } from 'node:perf_hooks';
import type { Locale } from '../domain/locales.ts';
import type { Store } from '../repos/store.ts';
import { peopleLocales } from '../services/prefs.ts';

/** How long a copy of everyone's language is trusted before it is read again. */
const FRESH_MS = 30_000;

/**
 * Who reads which language (SPEC §5): a person's own choice (`/dealdesk language`), else the
 * workspace's (DEALDESK_LOCALE). The database is the truth; this keeps a copy in memory so a
 * request resolves its reader once and cheaply, and so rendering (which runs inside a
 * transaction and must not query) can name each DM's language. The copy is read again when
 * older than FRESH_MS: another instance on the same PostgreSQL database may have taken a
 * choice, and this one follows within that time.
 */
export class Languages {
  private people = new Map<string, Locale>();
  private readAt = -Infinity;
  private reading: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    readonly workspace: Locale,
  ) {}

  /** What this copy says now: for rendering, which cannot wait. */
  of(userId: string): Locale {
    return this.people.get(userId) ?? this.workspace;
  }

  /** The reader of a request, from a fresh copy. */
  async reader(userId: string): Promise<Locale> {
    if (performance.now() - this.readAt > FRESH_MS) await this.refresh();
    return this.of(userId);
  }

  /** Read everyone's choice from the database (once at a time). */
  refresh(): Promise<void> {
    this.reading ??= peopleLocales(this.store)
      .then((m) => {
        this.people = m;
        this.readAt = performance.now();
      })
      .finally(() => {
        this.reading = undefined;
      });
    return this.reading;
  }

  /** Whether the person chose a language themselves (else they read the workspace's). */
  chose(userId: string): boolean {
    return this.people.has(userId);
  }

  /** A choice this instance just stored. */
  remember(userId: string, locale: Locale): void {
    this.people.set(userId, locale);
  }
}
