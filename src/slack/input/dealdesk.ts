import { JOB_NAMES, type JobName } from '../../domain/jobs.ts';
import type { ParseResult } from './client.ts';
import { firstWord, MAX_COMMAND_TEXT, unescapeSlack } from './text.ts';
import { clip } from '../ui/format.ts';
import { isHelpWord } from '../../i18n/words.ts';

export type DealdeskCommand = { kind: 'help' } | { kind: 'digest'; job: JobName };
export type DealdeskUsage = 'all' | 'digest';

export function parseDealdeskCommand(raw: string): ParseResult<DealdeskCommand, DealdeskUsage> {
  if (raw.length > MAX_COMMAND_TEXT) return { ok: false, problem: `That is ${raw.length} characters; a command takes at most ${MAX_COMMAND_TEXT}.`, usage: 'all' };
  const [word, rest] = firstWord(unescapeSlack(raw));
  if (word === '' || isHelpWord(word)) return { ok: true, command: { kind: 'help' } };
  switch (word.toLowerCase()) {
    case 'digest': {
      const job = rest.toLowerCase();
      if ((JOB_NAMES as readonly string[]).includes(job)) return { ok: true, command: { kind: 'digest', job: job as JobName } };
      return { ok: false, problem: rest === '' ? 'Which digest?' : `\`${clip(rest)}\` is not a digest. Digests: ${JOB_NAMES.join(', ')}.`, usage: 'digest' };
    }
    default:
      return { ok: false, problem: `I don't know \`${clip(word)}\`.`, usage: 'all' };
  }
}

