import { ABC_CRITERIA, type AbcCriterion } from '../../domain/abc.ts';
import { FUNNEL_PERIODS, type FunnelPeriod } from '../../services/funnel.ts';
import type { ParseResult } from './client.ts';
import { parseUserMention, splitOptions, takeExportWord, unescapeSlack, MAX_COMMAND_TEXT } from './text.ts';
import { clip } from '../ui/format.ts';
import { isHelpWord } from '../../i18n/words.ts';
import { problem } from './problem.ts';

export type AbcCommand = { kind: 'help' } | { kind: 'abc'; by?: AbcCriterion; export?: boolean } | { kind: 'profile' };
export type FunnelCommand = { kind: 'help' } | { kind: 'funnel'; period?: FunnelPeriod; owner?: { kind: 'me' } | { kind: 'user'; userId: string } };


export function parseAbcCommand(raw: string): ParseResult<AbcCommand, 'abc'> {
  if (raw.length > MAX_COMMAND_TEXT) return { ok: false, problem: problem('parse.tooLong', { length: raw.length, max: MAX_COMMAND_TEXT }), usage: 'abc' };
  const text = unescapeSlack(raw).trim();
  if (isHelpWord(text)) return { ok: true, command: { kind: 'help' } };
  // SPEC §7: what segment A has in common, against the rest.
  if (text.toLowerCase() === 'profile') return { ok: true, command: { kind: 'profile' } };
  // `export`: the clients with their segments as a CSV in the person's DM (SPEC §6).
  const { options: split, exported } = takeExportWord(text, ['by']);
  const { positional, options, repeated } = split;
  if (repeated.length > 0) return { ok: false, problem: problem('parse.twice', { key: 'by' }), usage: 'abc' };
  if (positional !== '') return { ok: false, problem: problem('parse.unknownWord', { word: clip(positional) }), usage: 'abc' };
  const ex = exported ? { export: true } : {};
  const by = options.get('by');
  if (by === undefined) return { ok: true, command: { kind: 'abc', ...ex } };
  const c = by.toLowerCase();
  if (!(ABC_CRITERIA as readonly string[]).includes(c)) return { ok: false, problem: problem('parse.abc.notCriterion', { given: clip(by), criteria: ABC_CRITERIA.join(', ') }), usage: 'abc' };
  return { ok: true, command: { kind: 'abc', by: c as AbcCriterion, ...ex } };
}

export function parseFunnelCommand(raw: string): ParseResult<FunnelCommand, 'funnel'> {
  if (raw.length > MAX_COMMAND_TEXT) return { ok: false, problem: problem('parse.tooLong', { length: raw.length, max: MAX_COMMAND_TEXT }), usage: 'funnel' };
  const text = unescapeSlack(raw).trim();
  if (isHelpWord(text)) return { ok: true, command: { kind: 'help' } };
  const { positional, options, repeated } = splitOptions(text, ['period', 'owner']);
  if (repeated.length > 0) return { ok: false, problem: problem('parse.twice', { key: repeated[0]! }), usage: 'funnel' };
  if (positional !== '') return { ok: false, problem: problem('parse.unknownWord', { word: clip(positional) }), usage: 'funnel' };
  const cmd: Extract<FunnelCommand, { kind: 'funnel' }> = { kind: 'funnel' };
  const period = options.get('period');
  if (period !== undefined) {
    const p = period.toLowerCase();
    if (!(FUNNEL_PERIODS as readonly string[]).includes(p)) return { ok: false, problem: problem('parse.funnel.notPeriod', { given: clip(period), periods: FUNNEL_PERIODS.join(', ') }), usage: 'funnel' };
    cmd.period = p as FunnelPeriod;
  }
  const owner = options.get('owner');
  if (owner !== undefined) {
    if (owner.toLowerCase() === 'me') cmd.owner = { kind: 'me' };
    else {
      const id = parseUserMention(owner);
      if (!id) return { ok: false, problem: problem('parse.notUser', { given: clip(owner) }), usage: 'funnel' };
      cmd.owner = { kind: 'user', userId: id };
    }
  }
  return { ok: true, command: cmd };
}
