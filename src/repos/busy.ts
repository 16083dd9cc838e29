/** SQLITE_BUSY or one of its extended codes: another connection holds the lock. */
export function isBusy(err: unknown): boolean {
  return String((err as { code?: string }).code ?? '').startsWith('SQLITE_BUSY');
}
