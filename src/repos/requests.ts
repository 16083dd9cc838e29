import type { Db } from './db.ts';

const KEEP_MS = 24 * 60 * 60 * 1000;

/** Take a request key; false when it was taken before (here or by another instance). */
export function takeRequest(db: Db, key: string, at: number): boolean {
  const taken = db.$client.prepare('INSERT INTO processed_requests (key, at) VALUES (?, ?) ON CONFLICT(key) DO NOTHING').run(key, at).changes === 1;
  // Slack retries within minutes and trigger ids expire; a day of keys is plenty.
  if (taken && Math.random() < 0.01) db.$client.prepare('DELETE FROM processed_requests WHERE at < ?').run(at - KEEP_MS);
  return taken;
}
