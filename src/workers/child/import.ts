import { readFile } from 'node:fs/promises';
import { failedRowsCsv, readBooks } from '../../books/index.ts';
import type { Ctx } from '../../services/context.ts';
import { applyImport, planRead, readOptions } from '../../services/import.ts';
import { describeFileRefusal, describeImportFailure, failedRowsColumns, importNotes } from '../../slack/ui/import.ts';
import { DEFAULT_LOCALE } from '../../i18n/index.ts';
import type { AnalyticsTask, ImportOutcome, TaskProgress } from '../tasks.ts';

/** Failed rows worded in the preview and the result message; all of them go in the CSV. */
const SHOWN_FAILURES = 10;
/** How often progress is reported, at most (a Slack message is edited each time). */
const PROGRESS_EVERY_MS = 1000;

/** The import task: the file planned (preview) or written (apply), told in the reader's words, failed rows as a CSV. */
export async function runImport(ctx: Ctx, task: Extract<AnalyticsTask, { kind: 'import' }>, progress: (p: TaskProgress) => void): Promise<ImportOutcome> {
  const locale = task.locale ?? DEFAULT_LOCALE;
  const why = (p: Parameters<typeof describeImportFailure>[0]) => describeImportFailure(p, locale);
  // Read afresh for Import too: keeping the preview's reading until the click held some 100 MB
  // in the jobs thread for as long as the person took, for 0.5 s of a 100,000-row import.
  const read = await planRead(ctx, readBooks(await readFile(task.path), readOptions(ctx, task.fileKind ? { kind: task.fileKind } : {})));
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
