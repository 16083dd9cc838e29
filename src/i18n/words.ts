/**
 * Words a person may type in either language (SPEC §5): the stage names of both catalogs and
 * `помощ` for `help`. Parsers map them to codes; the codes never depend on the reader's locale.
 */
import { CONTRACT_STATUSES, type ContractStatus } from '../domain/contracts.ts';
import { STAGES, type Stage } from '../domain/stages.ts';
import { CATALOGS, LOCALES } from './t.ts';

const fold = (s: string): string => s.trim().toLocaleLowerCase('bg');

const STAGE_BY_WORD: ReadonlyMap<string, Stage> = new Map(
  STAGES.flatMap((s) => [[fold(s), s] as const, ...LOCALES.map((l) => [fold(CATALOGS[l][`stage.${s}`]), s] as const)]),
);

/** `proposal`, `Оферта`, `СПЕЧЕЛЕН` → the stage; undefined when the word names none. */
export function readStage(word: string): Stage | undefined {
  return STAGE_BY_WORD.get(fold(word));
}

/** Every stage word accepted, for a usage answer: `lead/потенциален, qualified/квалифициран, …`. */
export function stageWords(): string[] {
  return STAGES.map((s) => [...new Set([s, ...LOCALES.map((l) => CATALOGS[l][`stage.${s}`])])].join('/'));
}

/** `за промени`, `за-промени`, `changes_requested` → one spelling. */
const foldStatus = (s: string): string => fold(s).replace(/[\s_-]+/gu, ' ');

// Each status by its code, its `/contract list` word and its label, in every language.
const STATUS_BY_WORD: ReadonlyMap<string, ContractStatus> = new Map(
  CONTRACT_STATUSES.flatMap((s) => [s, ...LOCALES.flatMap((l) => [CATALOGS[l][`contractStatusWord.${s}`], CATALOGS[l][`contractStatus.${s}`]])].map((w) => [foldStatus(w), s] as const)),
);

/** `pending`, `чакащи`, `Одобрен`, `за промени` → the contract status; undefined when the words name none. */
export function readContractStatus(words: string): ContractStatus | undefined {
  return STATUS_BY_WORD.get(foldStatus(words));
}

export const HELP_WORDS = ['help', 'помощ'] as const;

export function isHelpWord(word: string): boolean {
  return (HELP_WORDS as readonly string[]).includes(fold(word));
}
