import { readFileSync, statSync } from 'node:fs';
import { KINDS, type Kind } from '../books/index.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { openStore } from '../repos/open.ts';
import { importBooks } from '../services/import.ts';
import { rolesCtx } from '../slack/deps.ts';
import { makeRender } from '../slack/notices.ts';
import { describeFileRefusal, describeImportFailure, importNotes, importSummary } from '../slack/ui/import.ts';
import { runCli } from './run.ts';

const USAGE = `Usage: npm run import -- <file.csv> [--kind clients|invoices|payments] [--dry-run] [--as <U…>]
Imports clients, invoices or payments from your books (see docs/import.md): the header says which,
or --kind does. Each failed row is listed with its row number and reason; the last line is
"created N, updated N, unchanged N, failed N". --dry-run writes nothing. --as names who imports
(the audit trail's actor and the owner of clients whose owner cell is empty); default: the first
of ADMINS.
Exit code: 0 when every row imported (or was already there), 1 when the file was refused or any
row failed, 2 for bad usage.`;

export interface ImportArgs {
  file: string;
  kind?: Kind;
  dryRun: boolean;
  as?: string;
}

/** The command line, or what is wrong with it. */
export function parseImportArgs(argv: string[]): { ok: true; args: ImportArgs } | { ok: false; problem: string } | { ok: 'help' } {
  const files: string[] = [];
  let kind: Kind | undefined;
  let as: string | undefined;
  let dryRun = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') return { ok: 'help' };
    else if (a === '--dry-run') dryRun = true;
    else if (a === '--kind' || a.startsWith('--kind=')) {
      const v = a.includes('=') ? a.slice(7) : argv[++i];
      if (!v || !(KINDS as readonly string[]).includes(v)) return { ok: false, problem: `--kind takes ${KINDS.join(', ')}${v ? `, not "${v}"` : ''}.` };
      kind = v as Kind;
    } else if (a === '--as' || a.startsWith('--as=')) {
      const v = a.includes('=') ? a.slice(5) : argv[++i];
      if (!v || !/^[UW][A-Z0-9]{2,}$/.test(v)) return { ok: false, problem: `--as takes a Slack user id such as U0123ABCD${v ? `, not "${v}"` : ''}.` };
      as = v;
    } else if (a.startsWith('-')) return { ok: false, problem: `Unknown option ${a}.` };
    else files.push(a);
  }
  if (files.length !== 1) return { ok: false, problem: files.length === 0 ? 'Which file? Give the CSV to import.' : `Give one file, not ${files.length}.` };
  return { ok: true, args: { file: files[0]!, dryRun, ...(kind ? { kind } : {}), ...(as ? { as } : {}) } };
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseImportArgs(argv);
  if (parsed.ok === 'help') return void process.stdout.write(`${USAGE}\n`), 0;
  if (!parsed.ok) return void process.stderr.write(`${parsed.problem}\n${USAGE}\n`), 2;
  const { file, kind, dryRun } = parsed.args;
  let bytes: Buffer;
  try {
    if (!statSync(file).isFile()) throw new Error('not a file');
    bytes = readFileSync(file);
  } catch {
    process.stderr.write(`Can't read ${file}: no such file.\n${USAGE}\n`);
    return 2;
  }
  const config = loadConfig(process.env);
  const actor = parsed.args.as ?? config.admins[0];
  if (!actor) {
    process.stderr.write(`Who imports? Pass --as <your Slack user id> (or set ADMINS).\n${USAGE}\n`);
    return 2;
  }
  const store = await openStore(config);
  try {
    const ctx = rolesCtx(config, { store, actor, now: Date.now(), render: makeRender(config, { tz: config.tz }) });
    const tty = process.stderr.isTTY;
    const r = await importBooks(ctx, bytes, { ...(kind ? { kind } : {}), dryRun, ...(tty ? { onProgress: (done: number, total: number) => process.stderr.write(`\r${done} / ${total} rows`) } : {}) });
    if (tty && !dryRun) process.stderr.write('\n');
    if (!r.ok) {
      process.stderr.write(`${describeFileRefusal(r.refusal)}\nNothing was imported.\n`);
      return 1;
    }
    const out: string[] = [`${r.kind}: ${file}`, ...importNotes({ ignored: r.read.file.ignored })];
    for (const f of r.failures) out.push(`row ${f.row}: ${describeImportFailure(f.problem)}`);
    if (dryRun) out.push('Dry run: nothing was written.');
    out.push(importSummary(r.counts));
    process.stdout.write(`${out.join('\n')}\n`);
    return r.counts.failed > 0 ? 1 : 0;
  } finally {
    await store.close();
  }
}

runCli('import', main, [ConfigError]);
