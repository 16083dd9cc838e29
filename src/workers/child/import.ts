import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { failedRowsCsv, readBooks, type ReadOptions, type ReadResult } from '../../books/index.ts';
import type { Ctx } from '../../services/context.ts';
import { applyImport, planRead, readOptions } from '../../services/import.ts';
import { describeFileRefusal, describeImportFailure, failedRowsColumns, importNotes } from '../../slack/ui/import.ts';
import { DEFAULT_LOCALE } from '../../i18n/index.ts';
import type { AnalyticsTask, ImportOutcome, TaskProgress } from '../tasks.ts';

/** Failed rows worded in the preview and the result message; all of them go in the CSV. */
const SHOWN_FAILURES = 10;
/** How often progress is reported, at most (a Slack message is edited each time). */
const PROGRESS_EVERY_MS = 1000;

/** How long the preview's reading of a file is kept for its Import (a hundred thousand rows hold some 100 MB). */
const READ_KEPT_MS = 10 * 60_000;
let kept: { key: string; read: ReadResult; timer: NodeJS.Timeout } | undefined;

/**
 * The file read (decoded, parsed, each row checked), or the preview's reading of the very same
 * bytes with the same options when Import follows it: reading is pure, and for 100,000 rows it
 * is a good part of an import's time. Only the last file is kept, for READ_KEPT_MS; the plan
 * against the database is always made again.
 */
function readOnce(bytes: Buffer, opts: ReadOptions, mode: 'preview' | 'apply'): ReadResult {
  const key = `${createHash('sha256').update(bytes).digest('hex')} ${JSON.stringify(opts)}`;
  if (kept?.key === key) {
    const { read } = kept;
    if (mode === 'apply') forget();
    return read;
  }
  const read = readBooks(bytes, opts);
  forget();
  if (mode === 'preview' && read.ok) kept = { key, read, timer: setTimeout(forget, READ_KEPT_MS).unref() };
  return read;
}

function forget(): void {
  if (kept) clearTimeout(kept.timer);
  kept = undefined;
}

/** The import task: the file planned (preview) or written (apply), told in the reader's words, failed rows as a CSV. */
export async function runImport(ctx: Ctx, task: Extract<AnalyticsTask, { kind: 'import' }>, progress: (p: TaskProgress) => void): Promise<ImportOutcome> {
  const locale = task.locale ?? DEFAULT_LOCALE;
  const why = (p: Parameters<typeof describeImportFailure>[0]) => describeImportFailure(p, locale);
  const read = await planRead(ctx, readOnce(await readFile(task.path), readOptions(ctx, task.fileKind ? { kind: task.fileKind } : {}), task.mode));
  if (!read.ok) return { ok: false, refusal: describeFileRefusal(read.refusal, locale) };
  let last = 0;
  const r =
    task.mode === 'preview'
      ? { kind: read.plan.kind, counts: read.plan.counts, failures: read.plan.failures }
      : await applyImport(ctx, read, {
          onProgress: (done, total) => {
            if (Date.now() - last < PROGRESS_EVERY_MS && done < total) return;
            last = Date.now();
            progress({ done, total });
          },
        });
  const { file } = read;
  return {
    ok: true,
    kind: r.kind,
    counts: r.counts,
    failures: r.failures.slice(0, SHOWN_FAILURES).map((f) => ({ row: f.row, reason: why(f.problem) })),
    ...(r.failures.length > 0 ? { failedCsv: failedRowsCsv(file, r.failures, why, failedRowsColumns(locale)).bytes } : {}),
    notes: importNotes({ ignored: file.ignored }, locale),
  };
}
