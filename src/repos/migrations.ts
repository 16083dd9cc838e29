import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../db');

/** drizzle-kit's migrations per dialect (drizzle.config.ts, drizzle.pg.config.ts). */
export const MIGRATIONS = resolve(root, 'migrations');
export const PG_MIGRATIONS = resolve(root, 'migrations-pg');
