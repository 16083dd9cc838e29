import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { KINDS, type Kind } from '../books/index.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { openStore } from '../repos/open.ts';
import { exportBooks } from '../services/export.ts';
import { runCli } from './run.ts';

const USAGE = `Usage: npm run export -- <clients|invoices|payments> <file.csv> [--bg]
Writes every client, invoice or payment in the import's columns (docs/import.md), so the file
imports back with nothing changed. By default: English headers, ",", UTF-8 with a BOM; --bg
writes as Bulgarian accounting software does (Bulgarian headers, ";", Windows-1251, DD.MM.YYYY,
decimal commas). Exit code: 0 written, 1 failed, 2 bad usage.`;

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) return void process.stdout.write(`${USAGE}\n`), 0;
  const unknown = argv.filter((a) => a.startsWith('-') && a !== '--bg');
  if (unknown.length > 0) return void process.stderr.write(`Unknown option ${unknown.join(' ')}.\n${USAGE}\n`), 2;
  const words = argv.filter((a) => !a.startsWith('-'));
  const [kind, file] = words;
  if (!kind || !(KINDS as readonly string[]).includes(kind)) return void process.stderr.write(`${kind ? `"${kind}" is not something to export.` : 'What to export?'} Say clients, invoices or payments.\n${USAGE}\n`), 2;
  if (!file || words.length > 2) return void process.stderr.write(`${file ? 'Give one file.' : 'Say where to write the CSV.'}\n${USAGE}\n`), 2;
  const config = loadConfig(process.env);
  const store = await openStore(config);
  try {
    const csv = await exportBooks(store, kind as Kind, { bg: argv.includes('--bg') });
    writeFileSync(file, csv.bytes);
    const lossy = csv.lossy.length > 0 ? ` Rows ${csv.lossy.join(', ')} have characters Windows-1251 lacks; they were written as "?".` : '';
    process.stdout.write(`Exported ${csv.rows} ${kind} to ${resolve(file)}.${lossy}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

runCli('export', main, [ConfigError]);
