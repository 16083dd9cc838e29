/** What pg-global-setup.ts hands the tests (vitest provide/inject), and how they reach its databases. */
declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the run's throwaway PostgreSQL (its `postgres` database); null when it could not start. */
    pgAdminUrl: string | null;
    /** Why there is no PostgreSQL for this run (binaries missing, start failed), or null. */
    pgError: string | null;
  }
}

/** The migrated database freshPgDatabase() copies. */
export const TEMPLATE_DB = 'dd_template';

/** `url` pointing at another database of the same server. */
export function databaseUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
