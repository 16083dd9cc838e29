import cron from 'node-cron';
import { z } from 'zod';

/** A cron expression node-cron accepts (5 fields, or 6 with seconds). */
export const cronSchema = z.string().refine((s) => cron.validate(s), 'must be a cron expression such as "0 9 * * 1-5" (minute hour day month weekday)');
