/**
 * The messages of an import shared in the DM (SPEC §6): the preview with Import / Cancel, the
 * progress edited in place, the result, and the refusals, in the words of the person who shared
 * the file; and the answers of an export. Pure.
 */
import type { Counts } from '../../../books/index.ts';
import { formatDecimal, tr, type Locale } from '../../../i18n/index.ts';
import type { ImportOutcome } from '../../../workers/tasks.ts';
import { ACTION } from '../../ids.ts';
import { importSummary, kindLabel } from '../import.ts';
import { clip, esc, sectionsOf, type Message } from '../format.ts';

/** Files larger than this are refused before they are downloaded. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

type Read = Extract<ImportOutcome, { ok: true }>;

const mb = (bytes: number, locale: Locale) => formatDecimal((bytes / 1024 / 1024).toFixed(1), locale);
const named = (name: string) => `*${esc(clip(name, 80))}*`;
const plain = (text: string): Message => ({ text: text.replace(/\*/g, ''), blocks: sectionsOf([text]) });

function failureLines(o: Read, locale: Locale): string[] {
  if (o.failures.length === 0) return [];
  const m = tr(locale);
  const more = o.counts.failed - o.failures.length;
  return [m('import.failuresTitle'), ...o.failures.map((f) => m('import.failureRow', { row: f.row, reason: f.reason })), ...(more > 0 ? [m('import.failuresMore', { n: more })] : [])];
}

const counts = (c: Counts) => ({ created: c.created, updated: c.updated, unchanged: c.unchanged, failed: c.failed });

/** What importing the file would do, with Import / Cancel; without Import when there is nothing to write. */
export function importPreview(name: string, fileId: string, o: Read, locale: Locale): Message {
  const m = tr(locale);
  const writes = o.counts.created + o.counts.updated;
  const lines = [
    m('import.previewHead', { name: named(name), kind: kindLabel(locale, o.kind) }),
    m('import.previewCounts', counts(o.counts)),
    ...o.notes,
    ...failureLines(o, locale),
    writes === 0 ? m('import.nothingToWrite') : m('import.writeNote'),
  ];
  const buttons = [
    ...(writes > 0 ? [{ type: 'button' as const, action_id: ACTION.importRun, text: { type: 'plain_text' as const, text: m('import.run') }, style: 'primary' as const, value: fileId }] : []),
    { type: 'button' as const, action_id: ACTION.importCancel, text: { type: 'plain_text' as const, text: writes > 0 ? m('modal.cancel') : m('modal.close') }, value: fileId },
  ];
  return { text: m('import.previewText', { name, ...counts(o.counts) }), blocks: [...sectionsOf(lines), { type: 'actions', elements: buttons }] };
}

export function importProgress(name: string, done: number, total: number, locale: Locale): Message {
  const m = tr(locale);
  return plain(total > 0 ? m('import.progress', { name: named(name), done, total }) : m('import.progressStart', { name: named(name) }));
}

export function importDone(name: string, o: Read, locale: Locale): Message {
  const m = tr(locale);
  const summary = importSummary(o.counts, locale);
  const lines = [m('import.done', { name: named(name), kind: kindLabel(locale, o.kind), summary }), ...failureLines(o, locale), ...(o.failedCsv ? [m('import.failedCsvNote')] : [])];
  return { text: m('import.doneText', { name, summary }), blocks: sectionsOf(lines) };
}

export function importRefused(name: string, reason: string, locale: Locale): Message {
  return plain(tr(locale)('import.refused', { name: named(name), reason }));
}

export function importCancelled(locale: Locale): Message {
  return plain(tr(locale)('import.cancelled'));
}

/** Someone who may not import shared a file in the DM. */
export function importNotAllowed(locale: Locale): string {
  return tr(locale)('import.notAllowed');
}

export function importTooLarge(name: string, bytes: number, locale: Locale): string {
  return tr(locale)('import.tooLarge', { name: clip(name, 80), size: mb(bytes, locale), max: mb(MAX_IMPORT_BYTES, locale) });
}

export function importUnreadable(name: string, locale: Locale): string {
  return tr(locale)('import.unreadable', { name: clip(name, 80) });
}

export function failedRowsName(name: string, locale: Locale): string {
  return tr(locale)('import.failedRowsFile', { name: name.replace(/\.[^.]*$/, '') });
}

export function exportPreparing(filename: string, locale: Locale): string {
  return tr(locale)('export.preparing', { filename });
}

/** `/invoice list Acme Export` found no client Acme: the last `export` was read as the export, so say how to mean the name. */
export function exportQuoteHint(nameWithExport: string, locale: Locale): string {
  const name = clip(nameWithExport, 80);
  return ` ${tr(locale)('export.quoteHint', { name: esc(name), quoted: name })}`;
}

/** What an export lists: its rows' noun. */
export type ExportWhat = 'clients' | 'invoices' | 'overdueInvoices';

/** An export sent as a CSV to the person's DM (`/client list … export`, `/invoice list … export`, `/abc export`). */
export function exportSent(filename: string, rows: number, what: ExportWhat, locale: Locale): string {
  const m = tr(locale);
  return rows === 0 ? m('export.nothing', { what }) : m('export.sent', { filename: esc(filename), rows, what });
}
