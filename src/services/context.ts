import type { Db } from '../repos/db.ts';

/** What every service call gets: the database, who is acting, and when (the clock stays outside). */
export interface Ctx {
  db: Db;
  actor: string;
  now: number;
}
