import type { WebClient } from '@slack/web-api';
import type { CsvFile } from '../books/index.ts';
import { sendFileToDm } from './files.ts';
import type { Locale } from '../domain/locales.ts';
import { exportSent, type ExportWhat } from './ui/messages/import.ts';

/** An export's CSV into the person's DM (nothing when no row matched); the answer to show in the command's place. */
export async function sendExport(client: WebClient, user: string, file: CsvFile & { rows: number }, filename: string, what: ExportWhat, locale: Locale): Promise<string> {
  if (file.rows > 0) await sendFileToDm(client, user, { filename, bytes: file.bytes });
  return exportSent(filename, file.rows, what, locale);
}
