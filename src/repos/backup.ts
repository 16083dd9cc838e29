import { closeSync, existsSync, fsyncSync, openSync, readdirSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';

/** The tables whose row counts must survive into a copy; rows in them are never deleted. */
export const CORE_TABLES = ['clients', 'deals', 'contracts', 'invoices', 'audit_events'] as const;

/** A backup that could not be made or did not check out; the message says why, for a person. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

export interface BackupResult {
  /** Size of the finished copy. */
  bytes: number;
  /** Row counts of CORE_TABLES in the copy (tables the database does not have are left out). */
  counts: Record<string, number>;
}

/** Files SQLite may keep beside a database file. */
const SIDE_FILES = ['-wal', '-shm', '-journal'];

function removeWithSideFiles(path: string): void {
  for (const p of [path, ...SIDE_FILES.map((s) => path + s)]) rmSync(p, { force: true });
}

function countRows(db: Database.Database): Record<string, number> {
  const present = new Set(
    (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name),
  );
  const counts: Record<string, number> = {};
  // One read transaction: the counts are of one moment, even while another process writes.
  db.transaction(() => {
    for (const t of CORE_TABLES) {
      if (present.has(t)) counts[t] = (db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n;
    }
  })();
  return counts;
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/**
 * Copy the database at `sourcePath` to `dest` with SQLite's online backup (safe while the bot
 * writes), then check the copy: `PRAGMA integrity_check` is ok and every core table has at
 * least the rows the source had before the copy began.
 *
 * The copy is written to `<dest>.partial` and renamed only once it checks out, so `dest` is
 * either the previous file or a complete, verified backup; nothing partial is left behind.
 * An existing `dest` is replaced (callers that must not overwrite check first). The copy is
 * a single self-contained file (rollback journal, not WAL); opening it with openDb turns WAL
 * back on.
 */
export async function backupTo(sourcePath: string, dest: string): Promise<BackupResult> {
  const source = resolve(sourcePath);
  const target = resolve(dest);
  const folder = dirname(target);
  if (!existsSync(source)) throw new BackupError(`There is no database at ${source} (DATABASE_PATH).`);
  if (!existsSync(folder)) throw new BackupError(`The destination folder ${folder} does not exist; create it first.`);
  if (!statSync(folder).isDirectory()) throw new BackupError(`The destination folder ${folder} is not a folder.`);
  if (existsSync(target) && statSync(target).isDirectory()) throw new BackupError(`${target} is a folder; give a file name for the backup.`);
  if (target === source || sameFile(target, source)) throw new BackupError(`${target} is the database itself; choose another file for the backup.`);

  const partial = `${target}.partial`;
  let src: Database.Database;
  try {
    src = new Database(source, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new BackupError(`Cannot open the database at ${source}: ${messageOf(err)}`);
  }
  try {
    src.pragma('busy_timeout = 5000');
    let before: Record<string, number>;
    try {
      before = countRows(src);
    } catch (err) {
      throw new BackupError(`Cannot read the database at ${source}: ${messageOf(err)}`);
    }
    if (before.clients === undefined) throw new BackupError(`${source} is not a dealdesk database (it has no clients table).`);

    // A stale partial (a run that was killed) would be taken for the destination database.
    removeWithSideFiles(partial);
    try {
      let rate = 1024;
      let lastRemaining = Number.POSITIVE_INFINITY;
      await src.backup(partial, {
        progress: ({ remainingPages }) => {
          // Another connection's write restarts a stepwise backup. Once that happens, copy the
          // rest in one step (one short read transaction), so a busy bot cannot starve us.
          if (remainingPages > lastRemaining) rate = 0x7fffffff;
          lastRemaining = remainingPages;
          return rate;
        },
      });

      // One self-contained file: no -wal beside it to forget when the backup is copied away.
      const copy = new Database(partial, { fileMustExist: true });
      try {
        copy.pragma('journal_mode = DELETE');
      } finally {
        copy.close();
      }

      const after = verify(partial, before);
      fsyncFile(partial);
      // rename() replaces an older file atomically; only stale side files of it must go first,
      // or SQLite would take them for the new copy's.
      for (const side of SIDE_FILES) rmSync(target + side, { force: true });
      renameSync(partial, target);
      fsyncFile(folder);
      return { bytes: statSync(target).size, counts: after };
    } catch (err) {
      removeWithSideFiles(partial);
      if (err instanceof BackupError) throw err;
      throw new BackupError(`The backup to ${target} failed: ${messageOf(err)}`);
    }
  } finally {
    src.close();
  }
}

/** Open the copy read-only: it must pass integrity_check and have at least `before`'s rows. */
function verify(path: string, before: Record<string, number>): Record<string, number> {
  const copy = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = copy.pragma('integrity_check') as { integrity_check: string }[];
    const result = rows.map((r) => r.integrity_check);
    if (result.length !== 1 || result[0] !== 'ok') {
      throw new BackupError(`The copy failed PRAGMA integrity_check: ${result.slice(0, 5).join('; ')}`);
    }
    const after = countRows(copy);
    const short = Object.entries(before).filter(([t, n]) => (after[t] ?? -1) < n);
    if (short.length > 0) {
      throw new BackupError(`The copy is missing rows: ${short.map(([t, n]) => `${t} ${after[t] ?? 'missing'} < ${n}`).join(', ')}`);
    }
    return after;
  } finally {
    copy.close();
  }
}

function fsyncFile(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a folder; the copy itself was synced by SQLite.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Keep the `keep` newest backups in `dir` whose names start with `prefix` (newest by
 * modification time, then by name) and delete the rest, with any SQLite side files.
 * Unfinished `.partial` copies and side files are not counted as backups.
 * Returns the deleted paths, oldest first.
 */
export function pruneBackups(dir: string, prefix: string, keep: number): string[] {
  if (!Number.isInteger(keep) || keep < 0) throw new RangeError(`keep must be a whole number ≥ 0, not ${keep}`);
  if (prefix === '') throw new RangeError('prefix must not be empty: it would match every file in the folder');
  const backups = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.startsWith(prefix))
    .filter((e) => !e.name.endsWith('.partial') && !SIDE_FILES.some((s) => e.name.endsWith(s)))
    .map((e) => {
      const path = join(dir, e.name);
      return { path, name: basename(path), mtime: statSync(path).mtimeMs };
    })
    .sort((a, b) => b.mtime - a.mtime || (b.name < a.name ? -1 : b.name > a.name ? 1 : 0));
  const doomed = backups.slice(keep).reverse();
  for (const b of doomed) removeWithSideFiles(b.path);
  return doomed.map((b) => b.path);
}
