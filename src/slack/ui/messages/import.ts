/**
 * The messages of an import shared in the DM (SPEC §6): the preview with Import / Cancel, the
 * progress edited in place, the result, and the refusals. Pure.
 */
import type { Counts } from '../../../books/index.ts';
import type { ImportOutcome } from '../../../workers/tasks.ts';
import { ACTION } from '../../ids.ts';
import { importSummary } from '../import.ts';
import { clip, esc, sectionsOf, type Message } from '../format.ts';

/** Files larger than this are refused before they are downloaded. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const named = (name: string) => `*${esc(clip(name, 80))}*`;

function failureLines(o: Extract<ImportOutcome, { ok: true }>): string[] {
  if (o.failures.length === 0) return [];
  const more = o.counts.failed - o.failures.length;
  return [`*Rows in error* (they change nothing):`, ...o.failures.map((f) => `• row ${f.row}: ${f.reason}`), ...(more > 0 ? [`_…and ${more} more._`] : [])];
}

const previewCounts = (c: Counts) => `To create: *${c.created}* · to update: *${c.updated}* · unchanged: *${c.unchanged}* · failed: *${c.failed}*`;

/** What importing the file would do, with Import / Cancel; without Import when there is nothing to write. */
export function importPreview(name: string, fileId: string, o: Extract<ImportOutcome, { ok: true }>): Message {
  const writes = o.counts.created + o.counts.updated;
  const lines = [
    `:inbox_tray: ${named(name)} is a ${o.kind} file. Importing it would do this:`,
    previewCounts(o.counts),
    ...o.notes,
    ...failureLines(o),
    writes === 0 ? '_Nothing to write: every valid row is already there._' : '_Import writes the rows to create and update; the rows in error are left out and come back as a CSV._',
  ];
  const buttons = [
    ...(writes > 0 ? [{ type: 'button' as const, action_id: ACTION.importRun, text: { type: 'plain_text' as const, text: 'Import' }, style: 'primary' as const, value: fileId }] : []),
    { type: 'button' as const, action_id: ACTION.importCancel, text: { type: 'plain_text' as const, text: writes > 0 ? 'Cancel' : 'Close' }, value: fileId },
  ];
  return { text: `${name}: ${importSummary(o.counts).replace(/^created/, 'to create').replace('updated', 'to update')}`, blocks: [...sectionsOf(lines), { type: 'actions', elements: buttons }] };
}

export function importProgress(name: string, done: number, total: number): Message {
  const text = total > 0 ? `:hourglass_flowing_sand: Importing ${named(name)}: ${done.toLocaleString('en')} of ${total.toLocaleString('en')} rows…` : `:hourglass_flowing_sand: Importing ${named(name)}…`;
  return { text: text.replace(/\*/g, ''), blocks: sectionsOf([text]) };
}

export function importDone(name: string, o: Extract<ImportOutcome, { ok: true }>): Message {
  const lines = [`:white_check_mark: Imported ${named(name)} (${o.kind}): ${importSummary(o.counts)}.`, ...failureLines(o), ...(o.failedCsv ? ['The rows in error are in the CSV below: correct them and share that file again.'] : [])];
  return { text: `Imported ${name}: ${importSummary(o.counts)}`, blocks: sectionsOf(lines) };
}

export function importRefused(name: string, reason: string): Message {
  const text = `:x: ${named(name)}: ${reason} Nothing was imported.`;
  return { text: text.replace(/\*/g, ''), blocks: sectionsOf([text]) };
}

export function importCancelled(): Message {
  const text = 'Cancelled: nothing was imported from that file.';
  return { text: text.replace(/\*/g, ''), blocks: sectionsOf([text]) };
}

/** Someone who may not import shared a file in the DM. */
export function importNotAllowed(): string {
  return "Thanks for the file. Importing books into dealdesk is for admins and finance approvers, so I haven't read it. Ask one of them to share it with me, or to add you as a finance approver.";
}

export function importTooLarge(name: string, bytes: number): string {
  return `${clip(name, 80)} is ${mb(bytes)}; I import files up to ${mb(MAX_IMPORT_BYTES)}. Split it into smaller CSV files (the header row in each) and share them one by one, or run \`npm run import -- <file>\` on the server.`;
}

export function importUnreadable(name: string): string {
  return `I couldn't download ${clip(name, 80)} from Slack. Share it again in a moment.`;
}

export function failedRowsName(name: string): string {
  return `failed-rows-${name.replace(/\.[^.]*$/, '')}.csv`;
}

export function exportPreparing(filename: string): string {
  return `:hourglass_flowing_sand: Preparing ${filename}…`;
}

/** `/invoice list Acme Export` found no client Acme: the last `export` was read as the export, so say how to mean the name. */
export function exportQuoteHint(nameWithExport: string): string {
  const name = clip(nameWithExport, 80);
  return ` If *${esc(name)}* is the client's name, put it in quotes: \`/invoice list "${name}"\` (and add \`export\` after the quotes for it as a file).`;
}

/** An export sent as a CSV to the person's DM (`/client list … export`, `/invoice list … export`, `/abc export`). */
export function exportSent(filename: string, rows: number, what: string): string {
  return rows === 0 ? `No ${what} match, so there is nothing to export.` : `:outbox_tray: Sent *${esc(filename)}* (${rows} ${what}) to your DM with me. It has the import's columns, so it imports back as it is.`;
}
