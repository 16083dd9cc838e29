import { CONTRACT_KINDS, checkTerms, isCurrency, parseAmount, type ContractKind, type ContractTerms, type TermsField, type TermsProblem } from '../../domain/index.ts';
import { BLOCK, INPUT } from '../ids.ts';
import { parseClientRef, type ClientRef } from './client.ts';
import { parseDiscount } from './contract.ts';
import { problem, type Problem } from './problem.ts';

type StateValues = Record<string, Record<string, { type?: string; value?: string | null; selected_option?: { value?: string } | null }>>;

const B = BLOCK.contract;

/** Which modal block shows a problem with which term. */
export const FIELD_BLOCK: Record<TermsField, string> = {
  subject: B.subject,
  amountMinor: B.amount,
  currency: B.currency,
  netDays: B.netDays,
  discountBp: B.discount,
  kind: B.kind,
  settlement: B.settlement,
  delivery: B.delivery,
  afterSales: B.afterSales,
  special: B.special,
};

/** On failure, the client typed (if any) still comes back, so it can be checked with the other fields. */
export type ModalParse = { ok: true; client: ClientRef; terms: ContractTerms } | { ok: false; errors: Record<string, Problem>; client?: ClientRef };

/**
 * The amount field: its minor units, or what is wrong with it. Without a valid currency its
 * decimals can't be checked yet, but a word is not an amount in any currency, so that is said
 * now, together with the other fields' problems.
 */
function readAmount(amountText: string, currency: string): { minor?: number; error?: Problem } {
  if (amountText === '') return { error: problem('form.amountEmpty') };
  const known = isCurrency(currency);
  // KWD has the most decimals of any currency, so every well-formed number reads in it.
  const a = parseAmount(amountText, known ? currency : 'KWD');
  if (a.ok) return known ? { minor: a.minor } : {};
  switch (a.refusal.kind) {
    case 'not-a-number':
      return { error: problem('form.amountNotNumber') };
    case 'not-positive':
      return { error: problem('form.amountPositive') };
    case 'too-many-decimals':
      return known ? { error: problem('form.amountDecimals', { currency, digits: a.refusal.digits }) } : {};
    case 'too-large':
      return known ? { error: problem('form.amountLarge') } : {};
  }
}

/** Read the contract modal's state; every problem goes back on its own field (response_action: errors). */
export function parseContractModal(values: StateValues): ModalParse {
  const text = (block: string): string => {
    const v = values[block]?.[INPUT.value];
    const raw = v?.selected_option?.value ?? v?.value ?? '';
    return typeof raw === 'string' ? raw.replace(/\s+/gu, ' ').trim() : '';
  };
  const errors: Record<string, Problem> = {};
  const clientText = text(B.client);
  if (clientText === '') errors[B.client] = problem('form.client');
  const currency = text(B.currency).toUpperCase();
  if (!isCurrency(currency)) errors[B.currency] = problem('form.currency');
  const amountText = text(B.amount);
  const amount = readAmount(amountText, currency);
  if (amount.error) errors[B.amount] = amount.error;
  const amountMinor = amount.minor ?? 0;
  const netText = text(B.netDays);
  const net = /^\d{1,3}$/.test(netText) ? Number(netText) : NaN;
  if (!(net >= 0 && net <= 365)) errors[B.netDays] = problem('form.netDays');
  const discountText = text(B.discount);
  const discountBp = discountText === '' ? 0 : parseDiscount(discountText);
  if (discountBp === undefined) errors[B.discount] = problem('form.discount');
  const kind = text(B.kind);
  if (!(CONTRACT_KINDS as readonly string[]).includes(kind)) errors[B.kind] = problem('form.kind');
  // Multi-line fields keep their line breaks; only each line's spacing is tidied.
  const optional = (block: string): string | null => {
    const raw = values[block]?.[INPUT.value]?.value ?? '';
    const v = (typeof raw === 'string' ? raw : '')
      .split(/\r?\n/u)
      .map((l) => l.replace(/[^\S\n]+/gu, ' ').trim())
      .join('\n')
      .replace(/\n{3,}/gu, '\n\n')
      .trim();
    return v === '' ? null : v;
  };
  const terms: ContractTerms = {
    subject: text(B.subject),
    amountMinor,
    currency,
    netDays: Number.isFinite(net) ? net : 0,
    discountBp: discountBp ?? 0,
    kind: kind as ContractKind,
    settlement: optional(B.settlement),
    delivery: optional(B.delivery),
    afterSales: optional(B.afterSales),
    special: optional(B.special),
  };
  for (const [field, termsProblem] of Object.entries(checkTerms(terms)) as [TermsField, TermsProblem][]) {
    // Without a valid currency the amount was never read: its field is not wrong because of that.
    if (field === 'amountMinor' && !isCurrency(currency)) continue;
    const block = FIELD_BLOCK[field];
    errors[block] ??= { kind: 'terms', problem: termsProblem };
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors, ...(clientText !== '' ? { client: parseClientRef(clientText) } : {}) };
  return { ok: true, client: parseClientRef(clientText), terms };
}

/** The reason typed in the reject / request-changes modal. */
export function parseReason(values: StateValues): string {
  return (values[BLOCK.decisionReason]?.[INPUT.value]?.value ?? '').trim();
}
