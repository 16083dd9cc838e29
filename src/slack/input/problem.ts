import type { AmountRefusal } from '../../domain/money.ts';
import type { IdentityRefusal } from '../../domain/eik.ts';
import type { TermsProblem } from '../../domain/contracts.ts';
import type { MessageKey, ValuesArg } from '../../i18n/t.ts';

/** The catalog's messages for what a command or a form had wrong. */
export type ParseKey = Extract<MessageKey, `parse.${string}` | `form.${string}`>;

/**
 * What a parser found wrong, as a code and the values it names (SPEC §5: parsers return codes
 * and values); slack/reply.ts says it in the reader's language (`problemSentence`).
 */
export type Problem =
  | { kind: 'message'; key: ParseKey; values?: Record<string, string | number> }
  | { kind: 'identity'; refusal: IdentityRefusal; typed: string }
  /** An amount that does not read; `field` is the `key:` it was given with, if any. */
  | { kind: 'amount'; refusal: AmountRefusal; text: string; currency: string; field?: string }
  /** A word that names no stage: the answer lists the stages in the reader's words. */
  | { kind: 'not-stage'; given: string }
  /** Words that name no contract status: the answer lists the `/contract list` words in the reader's language. */
  | { kind: 'not-contract-status'; given: string }
  | { kind: 'terms'; problem: TermsProblem };

/** A problem said by one catalog message; the values are checked against the English text. */
export function problem<K extends ParseKey>(key: K, ...values: ValuesArg<K>): Problem {
  return values[0] === undefined ? { kind: 'message', key } : { kind: 'message', key, values: values[0] as Record<string, string | number> };
}
