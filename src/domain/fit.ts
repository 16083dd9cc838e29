/**
 * Look-alikes (SPEC §7): how much a client looks like segment A, from its industry, region and
 * size. An explainable naive-Bayes model, no black box:
 *
 *  - For each attribute and value, the share of A clients with that value and the share of the
 *    rest with it, each smoothed by add-k (Laplace, k = 1): (count + k) / (known + k·V), where
 *    `known` counts the clients of the group with the attribute recorded and V is the number of
 *    distinct values seen for it. Their ratio is the value's likelihood ratio (LR): above 1 the
 *    value is commoner among A, below 1 commoner among the rest.
 *  - The lead's log-odds are the sum of the log LRs of its known attributes, from even odds: the
 *    score answers "if A and the rest were equally common, how likely is a client like this to
 *    be A". So 50 means the attributes say nothing either way, above 50 looks like A, below
 *    like the rest. (A is a minority by construction, the Pareto cut; its base rate would pull
 *    every lead down alike and change no ranking.) Score = round(100 × probability), 0–100.
 *  - Missing values are neutral (LR 1), and so is a value no training client has (nothing is
 *    known about it; smoothing alone would make it look like the larger group).
 *  - An attribute is used only when at least MIN_A_KNOWN A clients have it recorded. When no
 *    attribute is usable the result is `too-few` with the best attribute's count of A clients,
 *    so the card can say "3 of 5"; when the lead has no usable attribute it is `unknown`.
 *  - Drivers: the lead's attributes that moved the score (LR ≠ 1), strongest first (|log LR|),
 *    ties in ATTRIBUTES order; at most three, since there are three attributes.
 *  - Values compare case- and space-insensitively (attributeKey); the lead's own spelling is shown.
 */
import type { Segment } from './stages.ts';

export const FIT_ATTRIBUTES = ['industry', 'region', 'size'] as const;
export type FitAttribute = (typeof FIT_ATTRIBUTES)[number];

/** Company size by headcount, the EU's SME categories: micro < 10, small < 50, medium < 250, large. */
export const CLIENT_SIZES = ['micro', 'small', 'medium', 'large'] as const;
export type ClientSize = (typeof CLIENT_SIZES)[number];
export function isClientSize(s: string): s is ClientSize {
  return (CLIENT_SIZES as readonly string[]).includes(s);
}

/** The words for a size in English or Bulgarian, as `/client set size:` and an import's `size` column take them. */
const SIZE_WORDS = new Map<string, ClientSize>([
  ...CLIENT_SIZES.map((s) => [s, s] as const),
  ...(['микро', 'микропредприятие'] as const).map((s) => [s, 'micro'] as const),
  ...(['малко', 'малка', 'малък'] as const).map((s) => [s, 'small'] as const),
  ...(['средно', 'средна', 'среден'] as const).map((s) => [s, 'medium'] as const),
  ...(['голямо', 'голяма', 'голям'] as const).map((s) => [s, 'large'] as const),
]);

/** A size word (any case) → its class; undefined when it names none. */
export function readClientSize(text: string): ClientSize | undefined {
  return SIZE_WORDS.get(text.trim().toLowerCase());
}

/** `industry` and `region` are free text of at most this many characters (`/client set` and an import alike). */
export const ATTRIBUTE_MAX_LENGTH = 100;

/** A classified client needs this many A clients with an attribute recorded before it counts. */
export const MIN_A_KNOWN = 5;
export const SMOOTHING_K = 1;

export type Attributes = Partial<Record<FitAttribute, string | null>>;

export interface FitExample extends Attributes {
  clientId: number;
  /** Clients without a segment are left out of the training. */
  segment: Segment | null;
  /** How many clients this example stands for (default 1): the wiring trains from counts grouped in SQL. */
  weight?: number;
}

/** How attribute values compare: NFKC, spaces collapsed, lower case; '' is missing. */
export function attributeKey(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const k = value.normalize('NFKC').replace(/\s+/gu, ' ').trim().toLowerCase();
  return k === '' ? null : k;
}

interface AttributeTable {
  aKnown: number;
  restKnown: number;
  /** key → [A clients with it, rest with it] */
  counts: Map<string, [number, number]>;
}

export interface FitModel {
  tables: Record<FitAttribute, AttributeTable>;
  /** Attributes with at least MIN_A_KNOWN A clients recorded. */
  usable: FitAttribute[];
  /** A clients in the training. */
  aClients: number;
  restClients: number;
  minAKnown: number;
  k: number;
}

/** Learn the model from classified clients (the wiring passes every client with a segment and sales). */
export function trainFit(examples: readonly FitExample[], opts: { minAKnown?: number; k?: number } = {}): FitModel {
  const minAKnown = opts.minAKnown ?? MIN_A_KNOWN;
  const k = opts.k ?? SMOOTHING_K;
  if (!(k > 0 && Number.isFinite(k))) throw new RangeError(`smoothing k must be above 0 (got ${k})`);
  const tables = Object.fromEntries(FIT_ATTRIBUTES.map((a) => [a, { aKnown: 0, restKnown: 0, counts: new Map() }])) as Record<FitAttribute, AttributeTable>;
  let aClients = 0;
  let restClients = 0;
  for (const e of examples) {
    if (e.segment === null) continue;
    const w = e.weight ?? 1;
    if (!(Number.isInteger(w) && w >= 0)) throw new RangeError(`an example's weight must be a whole number ≥ 0 (got ${w})`);
    const isA = e.segment === 'A';
    if (isA) aClients += w;
    else restClients += w;
    for (const attr of FIT_ATTRIBUTES) {
      const key = attributeKey(e[attr]);
      if (key === null) continue;
      const t = tables[attr];
      let c = t.counts.get(key);
      if (!c) t.counts.set(key, (c = [0, 0]));
      if (isA) {
        c[0] += w;
        t.aKnown += w;
      } else {
        c[1] += w;
        t.restKnown += w;
      }
    }
  }
  const usable = FIT_ATTRIBUTES.filter((a) => tables[a].aKnown >= minAKnown);
  return { tables, usable, aClients, restClients, minAKnown, k };
}

export interface FitDriver {
  attribute: FitAttribute;
  /** The lead's value as recorded. */
  value: string;
  direction: 'up' | 'down';
  /** The smoothed likelihood ratio, A against the rest. */
  ratio: number;
  /** Raw counts behind it: A clients with the value / with the attribute recorded, and the same for the rest. */
  aWith: number;
  aKnown: number;
  restWith: number;
  restKnown: number;
}

export type FitResult =
  | { kind: 'score'; score: number; probability: number; drivers: FitDriver[]; used: FitAttribute[] }
  | { kind: 'too-few'; aCount: number; needed: number }
  | { kind: 'unknown'; missing: FitAttribute[] };

/** The smoothed likelihood ratio of one value, or 1 (neutral) for a value no training client has. */
export function likelihoodRatio(model: FitModel, attr: FitAttribute, key: string): number {
  const t = model.tables[attr];
  const c = t.counts.get(key);
  if (!c) return 1;
  const v = t.counts.size;
  const k = model.k;
  return ((c[0] + k) / (t.aKnown + k * v)) / ((c[1] + k) / (t.restKnown + k * v));
}

/** How much `lead` looks like A (see the decisions at the top of this file). */
export function scoreFit(model: FitModel, lead: Attributes): FitResult {
  if (model.usable.length === 0) {
    const aCount = Math.max(...FIT_ATTRIBUTES.map((a) => model.tables[a].aKnown));
    return { kind: 'too-few', aCount, needed: model.minAKnown };
  }
  const used: FitAttribute[] = [];
  const drivers: (FitDriver & { weight: number; order: number })[] = [];
  let logit = 0;
  model.usable.forEach((attr) => {
    const raw = lead[attr];
    const key = attributeKey(raw);
    if (key === null) return;
    used.push(attr);
    const ratio = likelihoodRatio(model, attr, key);
    const w = Math.log(ratio);
    logit += w;
    if (ratio === 1) return;
    const t = model.tables[attr];
    const c = t.counts.get(key)!;
    drivers.push({
      attribute: attr,
      value: raw!.replace(/\s+/gu, ' ').trim(),
      direction: ratio > 1 ? 'up' : 'down',
      ratio,
      aWith: c[0],
      aKnown: t.aKnown,
      restWith: c[1],
      restKnown: t.restKnown,
      weight: Math.abs(w),
      order: FIT_ATTRIBUTES.indexOf(attr),
    });
  });
  if (used.length === 0) return { kind: 'unknown', missing: model.usable.slice() };
  const probability = 1 / (1 + Math.exp(-logit));
  drivers.sort((x, y) => y.weight - x.weight || x.order - y.order);
  return {
    kind: 'score',
    score: Math.round(100 * probability),
    probability,
    drivers: drivers.slice(0, 3).map(({ weight: _w, order: _o, ...d }) => d),
    used,
  };
}

/**
 * Order for `/client list sort:fit`: scores high to low, then clients without a score (unknown,
 * too few A clients), ties by client id ascending. Stable whatever the input order.
 */
export function compareFit(x: { clientId: number; fit: FitResult }, y: { clientId: number; fit: FitResult }): number {
  const sx = x.fit.kind === 'score' ? x.fit.probability : -1;
  const sy = y.fit.kind === 'score' ? y.fit.probability : -1;
  return sy - sx || x.clientId - y.clientId;
}

/** Score each lead and rank them (compareFit). */
export function rankByFit<T extends Attributes & { clientId: number }>(model: FitModel, leads: readonly T[]): (T & { fit: FitResult })[] {
  return leads.map((l) => ({ ...l, fit: scoreFit(model, l) })).sort(compareFit);
}
