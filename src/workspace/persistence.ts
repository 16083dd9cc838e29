/**
 * Keeping the local workspace's conversations next to its database (`<db>.workspace.json` and
 * uploaded files in `<db>.files/`), and deleting them with the database for `--reset`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { AppLogger } from '../log.ts';
import type { EmulatorSnapshot, SlackEmulator, StateChange } from './emulator.ts';

/** Where the conversations of the workspace on `databasePath` are kept. */
function keptFiles(databasePath: string): { stateFile: string; filesDir: string } {
  const abs = resolve(databasePath);
  return { stateFile: join(dirname(abs), `${basename(abs)}.workspace.json`), filesDir: join(dirname(abs), `${basename(abs)}.files`) };
}

/**
 * `npm start -- --reset`: deletes the local workspace's database (with its -wal, -shm and
 * -journal) and its kept conversations and files, so the next start begins empty. Returns what
 * it deleted. Only ever called for the local workspace, before anything opens the database.
 */
export function wipeLocalWorkspace(databasePath: string): string[] {
  if (databasePath === ':memory:') return [];
  const { stateFile, filesDir } = keptFiles(databasePath);
  const abs = resolve(databasePath);
  // The local workspace and the bot default to the same file: only a database the workspace
  // kept conversations for is wiped, never a real bot's (run from a shell without its tokens).
  if (existsSync(abs) && !existsSync(stateFile)) {
    throw new Error(
      `--reset: ${abs} has no ${basename(stateFile)} beside it, so it is not a local workspace's database and was not deleted. If you really mean to start afresh, delete it yourself.`,
    );
  }
  const gone: string[] = [];
  for (const path of [abs, `${abs}-wal`, `${abs}-shm`, `${abs}-journal`, stateFile, `${stateFile}.tmp`, filesDir]) {
    if (!existsSync(path)) continue;
    rmSync(path, { recursive: true, force: true });
    gone.push(path);
  }
  return gone;
}

/**
 * The bot's database remembers which message each approval lives in (channel + ts); without the
 * conversations those messages would be gone after a restart. So the emulator's durable state
 * is written next to the database: `<db>.workspace.json` and uploaded files in `<db>.files/`.
 */
export class Persistence {
  private readonly stateFile: string;
  private readonly filesDir: string;
  private timer: NodeJS.Timeout | undefined;
  private readonly onChange = (c: StateChange) => {
    if (c.kind === 'file' && c.fileId) this.saveFile(c.fileId);
    if (c.kind === 'message' || c.kind === 'home' || c.kind === 'file' || c.kind === 'reset') this.schedule();
  };

  constructor(
    private readonly emu: SlackEmulator,
    databasePath: string,
    private readonly logger: AppLogger,
  ) {
    ({ stateFile: this.stateFile, filesDir: this.filesDir } = keptFiles(databasePath));
  }

  load(): void {
    if (existsSync(this.stateFile)) {
      try {
        const snap = JSON.parse(readFileSync(this.stateFile, 'utf8')) as EmulatorSnapshot;
        if (snap.version === 1 && Array.isArray(snap.messages)) this.emu.restore(snap);
      } catch (err) {
        this.logger.warn(`local workspace: could not read ${this.stateFile}; starting with empty channels`, err);
      }
    }
    if (existsSync(this.filesDir)) {
      for (const name of readdirSync(this.filesDir)) this.emu.uploads.set(name, readFileSync(join(this.filesDir, name)));
    }
    this.emu.on('change', this.onChange);
  }

  stop(): void {
    this.emu.off('change', this.onChange);
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.save();
    }
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.save();
    }, 300);
    this.timer.unref();
  }

  private save(): void {
    try {
      mkdirSync(dirname(this.stateFile), { recursive: true });
      const tmp = `${this.stateFile}.tmp`;
      writeFileSync(tmp, JSON.stringify(this.emu.snapshot()));
      renameSync(tmp, this.stateFile);
    } catch (err) {
      this.logger.warn(`local workspace: could not save ${this.stateFile}`, err);
    }
  }

  private saveFile(id: string): void {
    const bytes = this.emu.uploads.get(id);
    if (!bytes || !/^[A-Za-z0-9]+$/.test(id)) return;
    try {
      mkdirSync(this.filesDir, { recursive: true });
      writeFileSync(join(this.filesDir, id), bytes);
    } catch (err) {
      this.logger.warn(`local workspace: could not save file ${id}`, err);
    }
  }
}
