import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { cronSchema } from './scheduler/cron.ts';

const hhmm = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like 09:00')
  .transform((s) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3)));

/** The policy file (DEALDESK_POLICY): every field has a default, so an empty file is a valid policy. */
export const policySchema = z
  .object({
    workingTime: z
      .object({
        days: z.array(z.number().int().min(1).max(7)).min(1, 'needs at least one working day (1 = Monday … 7 = Sunday)').default([1, 2, 3, 4, 5]),
        start: hhmm.default(9 * 60),
        end: hhmm.default(17 * 60),
      })
      .strict()
      .default({ days: [1, 2, 3, 4, 5], start: 9 * 60, end: 17 * 60 })
      .refine((w) => w.end > w.start, 'end must be after start'),
    approvals: z
      .object({
        /** How long each function has to decide, in working hours. */
        deadlineWorkingHours: z
          .object({ legal: z.number().positive().max(2000).default(24), finance: z.number().positive().max(2000).default(24) })
          .strict()
          .default({ legal: 24, finance: 24 }),
      })
      .strict()
      .default({ deadlineWorkingHours: { legal: 24, finance: 24 } }),
    schedules: z
      .object({
        /** Reminders of approvals past their deadline. */
        approvals: cronSchema.default('0 9,14 * * 1-5'),
      })
      .strict()
      .default({ approvals: '0 9,14 * * 1-5' }),
  })
  .strict();

export type Policy = z.infer<typeof policySchema>;

export const DEFAULT_POLICY: Policy = policySchema.parse({});

/** Read and check the policy file; every problem is reported with its path in the file. */
export function loadPolicy(path: string | undefined): { ok: true; policy: Policy } | { ok: false; problems: string[] } {
  if (path === undefined) return { ok: true, policy: DEFAULT_POLICY };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { ok: false, problems: [`DEALDESK_POLICY points to ${path}, which cannot be read: give the path of a YAML policy file, or leave it unset for the defaults`] };
  }
  let data: unknown;
  try {
    data = parseYaml(text) ?? {};
  } catch (e) {
    return { ok: false, problems: [`DEALDESK_POLICY (${path}) is not valid YAML: ${(e as Error).message.split('\n')[0]}`] };
  }
  const r = policySchema.safeParse(data);
  if (r.success) return { ok: true, policy: r.data };
  return { ok: false, problems: r.error.issues.map((i) => `DEALDESK_POLICY (${path}): ${i.path.join('.') || 'the file'} ${i.message}`) };
}
