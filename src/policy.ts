import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import cron from 'node-cron';
import { DEFAULT_CHECKLISTS, SERVICES } from './domain/delivery.ts';
import { ABC_CRITERIA } from './domain/abc.ts';
import { DEFAULT_STAGE_PROBABILITIES } from './domain/funnel.ts';
import { isCurrency } from './domain/money.ts';
import { STAGES, type Segment, type Stage } from './domain/stages.ts';
import { DEFAULT_LADDER, DUNNING_ACTIONS } from './domain/dunning.ts';
import { DEFAULT_INTEREST_RATES, DEFAULT_RECOVERY_COMPENSATION, halfYearStart } from './domain/interest.ts';
import { isoDate } from './domain/dates.ts';
import { DEFAULT_CHANGEOVER, fromUnitFits, parseRate } from './domain/euro.ts';
import { DEFAULT_QUIET_FACTOR } from './domain/retention.ts';

/** A cron expression node-cron accepts (5 fields, or 6 with seconds). */
const cronSchema = z.string().refine((s) => cron.validate(s), 'must be a cron expression such as "0 9 * * 1-5" (minute hour day month weekday)');

const hhmm = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like 09:00')
  .transform((s) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3)));

const weight = z.number().min(0).max(1);
const currency = z.string().refine(isCurrency, 'must be an ISO 4217 currency code such as EUR');
const loyaltySchema = z
  .object({
    /** Pricing: the largest discount sales may give without finance confirming an exception. */
    maxDiscountPct: z.number().min(0).max(100),
    /** Marketing. */
    perks: z.array(z.string().min(1).max(100)).max(10),
    reviewCadence: z.string().min(1).max(60),
    /** How often the owner reviews a client of the segment, in days (SPEC §7); the `reviews` digest lists those due. */
    reviewEveryDays: z.number('must be a whole number of days, such as 90').int('must be a whole number of days').min(1, 'must be at least 1 day').max(3650, 'must be at most 3650 days (ten years)'),
    /** Credit policy. */
    netDays: z.number().int().min(0).max(365),
    /** Most the client may owe (open invoices plus the new contract), in the base currency. */
    creditLimit: z.number().min(0),
    prepayment: z.boolean(),
  })
  .partial()
  .strict();
export const LOYALTY_DEFAULTS: Record<Segment, Required<z.infer<typeof loyaltySchema>>> = {
  A: { maxDiscountPct: 10, perks: ['dedicated account manager', 'early access to new lines'], reviewCadence: 'quarterly business review', reviewEveryDays: 90, netDays: 60, creditLimit: 200_000, prepayment: false },
  B: { maxDiscountPct: 5, perks: ['loyalty newsletter'], reviewCadence: 'half-yearly review', reviewEveryDays: 180, netDays: 45, creditLimit: 50_000, prepayment: false },
  C: { maxDiscountPct: 0, perks: [], reviewCadence: 'yearly review', reviewEveryDays: 365, netDays: 30, creditLimit: 20_000, prepayment: true },
};

const userId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must be a user id (U…)');
const taskSchema = z
  .object({ key: z.string().min(1).max(40), title: z.string().min(1).max(100), service: z.enum(SERVICES), dueDays: z.number().int().min(0).max(365) })
  .strict();

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
        /** Overdue invoices: a list to the finance channel and each owner's own list by DM. */
        overdue: cronSchema.default('0 8 * * 1-5'),
        /** One rung of the dunning ladder per overdue invoice per day. */
        dunning: cronSchema.default('30 9 * * *'),
        /** Reminders of delivery tasks past their due date. */
        delivery: cronSchema.default('0 9 * * 1-5'),
        /** Nightly ABC recompute; segment changes are alerted. */
        segments: cronSchema.default('0 2 * * *'),
        /** Weekly ABC digest with the Pareto chart, to the sales channel. */
        abc: cronSchema.default('0 8 * * 1'),
        /** Weekly funnel digest with the funnel chart and forecast, to the sales channel. */
        funnel: cronSchema.default('5 8 * * 1'),
        /** Each owner's client reviews due and clients gone quiet (SPEC §7). */
        reviews: cronSchema.default('10 8 * * 1'),
        /** Online backup of the database into backup.dir. */
        backup: cronSchema.default('30 2 * * *'),
      })
      .strict()
      .prefault({}),
    backup: z
      .object({
        /** Folder of the scheduled backups; by default `backups` beside the database file. */
        dir: z.string().min(1).optional(),
        /** How many of the newest scheduled backups to keep. */
        keep: z.number().int().min(1).max(365).default(14),
      })
      .strict()
      .prefault({}),
    invoices: z
      .object({
        /** Payment terms when neither due:, net: nor a contract gives them. */
        defaultNetDays: z.number().int().min(0).max(365).default(30),
        /** How far ahead a promise to pay may be. */
        maxPromiseDays: z.number().int().min(1).max(365).default(60),
      })
      .strict()
      .prefault({}),
    dunning: z
      .object({
        ladder: z
          .array(z.object({ day: z.number().int().min(1).max(365), action: z.enum(DUNNING_ACTIONS) }).strict())
          .min(1)
          .default(DEFAULT_LADDER)
          .refine((l) => l.filter((r) => r.action === 'escalate-legal').length <= 1, 'may have at most one escalate-legal rung')
          .refine((l) => l.every((r) => r.action !== 'escalate-legal' || l.every((x) => x.action === 'escalate-legal' || x.day < r.day)), 'escalate-legal must come after every sales rung'),
        /** A rung sent with no outcome logged for this many days counts as tried (lapsed). */
        lapseDays: z.number().int().min(1).max(60).default(3),
        /** Each owner's manager for the tell-manager rung: { U_OWNER: U_MANAGER }; unlisted owners' rung goes to the sales channel. */
        managers: z.record(z.string().regex(/^[UW][A-Z0-9]{2,}$/), z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must be a user id (U…)')).default({}),
      })
      .strict()
      .prefault({}),
    /** Late-payment claims (SPEC §5, Directive 2011/7/EU). */
    claims: z
      .object({
        /** The annual statutory interest rate per half-year, each row from 1 January or 1 July. */
        interestRates: z
          .array(
            z
              .object({
                from: z.string().refine((d) => isoDate(d) && halfYearStart(d) === d, 'must be a date starting a half-year: YYYY-01-01 or YYYY-07-01'),
                ratePct: z.union([z.number(), z.string()]).transform(String).refine((r) => /^\d{1,3}(?:\.\d{1,6})?$/u.test(r) && Number(r) <= 100, 'must be an annual rate in %, such as 10.15'),
              })
              .strict(),
          )
          .default(DEFAULT_INTEREST_RATES.map((r) => ({ ...r })))
          .refine((rs) => new Set(rs.map((r) => r.from)).size === rs.length, 'gives a half-year twice'),
        /** Fixed compensation for recovery costs per invoice, Directive 2011/7/EU art. 6. */
        recoveryCompensation: z
          .object({ amount: z.number().min(0).max(1_000_000), currency })
          .strict()
          .default({ amount: DEFAULT_RECOVERY_COMPENSATION.minor / 100, currency: DEFAULT_RECOVERY_COMPENSATION.currency }),
      })
      .strict()
      .prefault({}),
    /** The euro changeover (SPEC §5): from `date` on, `from` gives way to `to` at `rate` `from` per one `to`. */
    currency: z
      .object({
        changeover: z
          .object({
            from: currency,
            to: currency,
            rate: z.union([z.number(), z.string()]).transform(String).refine((r) => parseRate(r).ok, 'must be a plain decimal above 0, such as 1.95583'),
            date: z.string().refine(isoDate, 'must be a date such as 2026-01-01'),
          })
          .strict()
          .refine((c) => c.from !== c.to, 'from and to must be different currencies')
          // A payment in `to` on an old `from` invoice is recorded as an exact `from` figure (euro.ts paymentAfterChangeover), which needs this.
          .refine((c) => !parseRate(c.rate).ok || fromUnitFits(c), 'rate must make a minor unit of from worth no more than one of to (1.95583 BGN per EUR does)')
          .default({ ...DEFAULT_CHANGEOVER }),
      })
      .strict()
      .prefault({}),
    abc: z
      .object({
        /** The criterion the card's `Segment:` shows. */
        defaultCriterion: z.enum(ABC_CRITERIA).default('revenue'),
        periodMonths: z.number().int().min(1).max(60).default(12),
        thresholds: z
          .object({ a: z.number().gt(0).lt(1).default(0.8), b: z.number().gt(0).max(1).default(0.95) })
          .strict()
          .prefault({})
          .refine((t) => t.a <= t.b, 'a must not be above b'),
        weights: z
          .object({ revenue: weight.default(0.4), margin: weight.default(0.3), assortment: weight.default(0.1), discipline: weight.default(0.2) })
          .strict()
          .prefault({})
          .refine((w) => w.revenue + w.margin + w.assortment + w.discipline > 0, 'need at least one weight above 0'),
        /** Amounts in other currencies are converted to this one… */
        baseCurrency: currency.default('EUR'),
        /**
         * …at these rates: 1 unit of the currency = rate units of the base currency. None by default:
         * the changeover's `from` (BGN) converts by `currency.changeover`'s fixed rule whenever the base
         * currency is its `to` (EUR), so a `BGN` rate here is accepted but ignored then (SPEC §5).
         */
        rates: z.record(currency, z.number().positive()).default({}),
      })
      .strict()
      .prefault({}),
    /** The loyalty programme per segment: pricing, marketing and credit policy (SPEC §1). */
    loyalty: z
      .object({ A: loyaltySchema.prefault({}), B: loyaltySchema.prefault({}), C: loyaltySchema.prefault({}) })
      .strict()
      .prefault({}),
    /** Going quiet (SPEC §7). */
    retention: z
      .object({
        /** An A or B client is quiet when the days since its last invoice exceed this × its median gap between invoices. */
        quietFactor: z
          .number('must be a number such as 2')
          .min(1, 'must be at least 1: a client is quiet only when silent longer than its usual gap between invoices')
          .max(20, 'must be at most 20')
          .default(DEFAULT_QUIET_FACTOR),
      })
      .strict()
      .prefault({}),
    funnel: z
      .object({
        /** Probability that a deal at each stage is won, for the weighted forecast. */
        stageProbabilities: z
          .object(Object.fromEntries(STAGES.map((s) => [s, z.number().min(0).max(1).default(DEFAULT_STAGE_PROBABILITIES[s])])) as Record<Stage, z.ZodDefault<z.ZodNumber>>)
          .strict()
          .prefault({}),
        defaultPeriod: z.enum(['30d', '90d', 'quarter', 'year']).default('90d'),
      })
      .strict()
      .prefault({}),
    delivery: z
      .object({
        checklists: z
          .object({ goods: z.array(taskSchema).min(1).default(DEFAULT_CHECKLISTS.goods), services: z.array(taskSchema).min(1).default(DEFAULT_CHECKLISTS.services) })
          .strict()
          .prefault({}),
        /** Who is assigned finance and service-unit tasks; sales tasks go to the client's owner. */
        assignees: z
          .object({ finance: userId.optional(), service_unit: userId.optional(), legal: userId.optional() })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type Policy = z.infer<typeof policySchema>;

export type Loyalty = Required<z.infer<typeof loyaltySchema>>;

/** A segment's loyalty terms; missing fields fall back to that segment's defaults. */
export function loyaltyFor(p: Policy, segment: Segment | null): Loyalty {
  const s = segment ?? 'C';
  return { ...LOYALTY_DEFAULTS[s], ...p.loyalty[s] } as Loyalty;
}

/** Each segment's review cadence in days (SPEC §7), for src/domain/retention.ts. */
export function reviewEveryDays(p: Policy): Record<Segment, number> {
  return { A: loyaltyFor(p, 'A').reviewEveryDays, B: loyaltyFor(p, 'B').reviewEveryDays, C: loyaltyFor(p, 'C').reviewEveryDays };
}

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
