import { JOB_NAMES, type JobName } from '../../domain/jobs.ts';
import type { ParseResult } from './client.ts';
import { firstWord, MAX_COMMAND_TEXT, unescapeSlack } from './text.ts';
import { clip } from '../ui/format.ts';
import { isHelpWord } from '../../i18n/words.ts';
import { problem } from './problem.ts';
import { isLocale, LOCALES, type Locale } from '../../domain/locales.ts';

/** `language` without a word asks which language one reads now. */
export type DealdeskCommand = { kind: 'help' } | { kind: 'digest'; job: JobName } | { kind: 'language'; locale?: Locale };
export type DealdeskUsage = 'all' | 'digest' | 'language';

export function parseDealdeskCommand(raw: string): ParseResult<DealdeskCommand, DealdeskUsage> {
  if (raw.length > MAX_COMMAND_TEXT) return { ok: false, problem: problem('parse.tooLong', { length: raw.length, max: MAX_COMMAND_TEXT }), usage: 'all' };
  const [word, rest] = firstWord(unescapeSlack(raw));
  if (word === '' || isHelpWord(word)) return { ok: true, command: { kind: 'help' } };
  switch (word.toLowerCase()) {
    case 'digest': {
      const job = rest.toLowerCase();
      if ((JOB_NAMES as readonly string[]).includes(job)) return { ok: true, command: { kind: 'digest', job: job as JobName } };
      return { ok: false, problem: rest === '' ? problem('parse.dealdesk.whichDigest') : problem('parse.dealdesk.notDigest', { given: clip(rest), jobs: JOB_NAMES.join(', ') }), usage: 'digest' };
    }
    case 'language': {
      const l = rest.toLowerCase();
      if (l === '') return { ok: true, command: { kind: 'language' } };
      if (isLocale(l)) return { ok: true, command: { kind: 'language', locale: l } };
      return { ok: false, problem: problem('parse.dealdesk.notLanguage', { given: clip(rest), languages: LOCALES.join(', ') }), usage: 'language' };
    }
    default:
      return { ok: false, problem: problem('parse.unknownWord', { word: clip(word) }), usage: 'all' };
  }
}

