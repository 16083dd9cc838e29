/**
 * `npm run backup -- <file>` (src/cli/backup.ts) and src/repos/backup.ts: an online copy taken
 * while the bot writes, verified, never left half-written, and good enough to start the bot on.
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupTo, pruneBackups } from '../src/repos/backup.ts';
import { closeDb, openDb } from '../src/repos/db.ts';
import { bareEnv, baseEnv, inspectDb, readable, runCli, startHarness, USERS, type Harness } from './helpers/harness.ts';


let h: Harness;
let out: string;
beforeAll(async () => {
  h = await startHarness();
  out = mkdtempSync(join(tmpdir(), 'dealdesk-backup-'));
});
afterAll(async () => {
  await h?.close();
  if (out) rmSync(out, { recursive: true, force: true });
});

const cmd = (command: string, text: string, user_id: string = USERS.seller) => h.emu.slashCommand({ command, text, user_id });

/** The backup CLI with exactly the bot's environment (plus `env`), run without blocking the emulator. */
function backupCli(args: string[], env: Record<string, string> = {}) {
  return runCli('src/cli/backup.ts', args, bareEnv({ ...baseEnv(h.emu.apiUrl, h.config.databasePath), ...env }), 15_000);
}

/** Adds clients one after another until stopped; returns how many it added. */
function keepWriting(prefix: string): { stop: () => Promise<number> } {
  let stopping = false;
  let added = 0;
  const loop = (async () => {
    while (!stopping) {
      const r = await cmd('/client', `add ${prefix} ${added + 1}`);
      expect(readable(r.body)).toContain('Added client');
      added += 1;
    }
  })();
  return {
    stop: async () => {
      stopping = true;
      await loop;
      return added;
    },
  };
}

const before = Array.from({ length: 10 }, (_, i) => `Backup Client ${i + 1}`);
let firstBackup = '';

describe('npm run backup', () => {
  it('copies the database while the bot takes writes; the copy is intact and has every earlier client', async () => {
    for (const name of before) expect(readable((await cmd('/client', `add ${name}`)).body)).toContain('Added client');
    const dest = join(out, 'first.db');
    const writer = keepWriting('During Backup');
    let r;
    try {
      r = await backupCli([dest]);
    } finally {
      const during = await writer.stop();
      // The bot really was taking writes while the CLI ran (it takes well over 100 ms to start).
      expect(during).toBeGreaterThan(0);
    }
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(dest);
    expect(lines[0]).toMatch(/\d+ bytes/);
    expect(lines[0]).toMatch(/clients \d+, deals \d+, contracts \d+, invoices \d+, audit_events \d+/);
    expect(existsSync(`${dest}.partial`)).toBe(false);

    const copy = inspectDb(dest);
    expect(copy.integrity).toBe('ok');
    expect(copy.names).toEqual(expect.arrayContaining(before));
    const clientsInLine = Number(/clients (\d+)/.exec(lines[0]!)![1]);
    expect(clientsInLine).toBe(copy.names.length);
    expect(clientsInLine).toBeGreaterThanOrEqual(before.length);
    firstBackup = dest;
  }, 30_000);

  it('refuses to overwrite an existing file unless --force', async () => {
    const dest = join(out, 'existing.db');
    writeFileSync(dest, 'yesterday’s backup');
    const refused = await backupCli([dest]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('already exists');
    expect(refused.stderr).toContain('--force');
    expect(refused.stdout).toBe('');
    expect(readFileSync(dest, 'utf8')).toBe('yesterday’s backup');

    // A stale side file of the old one must not be taken for the new copy's.
    writeFileSync(`${dest}-wal`, 'stale');
    const forced = await backupCli(['--force', dest]);
    expect(forced.stderr).toBe('');
    expect(forced.status).toBe(0);
    const copy = inspectDb(dest);
    expect(copy.integrity).toBe('ok');
    expect(copy.names).toEqual(expect.arrayContaining(before));
    expect(readdirSync(out).filter((f) => f.startsWith('existing.db'))).toEqual(['existing.db']);
  }, 30_000);

  it('exits 1 with a clear message when the destination folder does not exist, and writes nothing', async () => {
    const missing = join(out, 'no-such-folder');
    const r = await backupCli([join(missing, 'b.db')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${missing} does not exist`);
    expect(r.stdout).toBe('');
    expect(existsSync(missing)).toBe(false);

    // A file where the folder should be.
    const file = join(out, 'a-file');
    writeFileSync(file, 'x');
    const r2 = await backupCli([join(file, 'b.db')]);
    expect(r2.status).toBe(1);
    expect(r2.stderr).toContain('is not a folder');
  }, 30_000);

  it('exits 1 with the configuration message when the environment is wrong', async () => {
    const r = await backupCli([join(out, 'never.db')], { LEGAL_CHANNEL_ID: '#legal' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('LEGAL_CHANNEL_ID');
    expect(existsSync(join(out, 'never.db'))).toBe(false);
  }, 30_000);

  it('a bot started on a copy of the backup shows the client card', async () => {
    expect(firstBackup).not.toBe('');
    const dir = mkdtempSync(join(tmpdir(), 'dealdesk-restore-'));
    const restoredPath = join(dir, 'restored.db');
    copyFileSync(firstBackup, restoredPath);
    const restored = await startHarness({ DATABASE_PATH: restoredPath });
    // The database remembers the trigger ids it has seen (replays are refused), and a new
    // emulator numbers its trigger ids from 1 again; real Slack never reuses one.
    const say = async (text: string) =>
      readable((await restored.emu.slashCommand({ command: '/client', text, user_id: USERS.seller, trigger_id: `restore.${randomUUID()}` })).body);
    try {
      const card = await say('Backup Client 7');
      expect(card).toContain('Backup Client 7');
      expect(card).toContain('Stage: lead');
      expect(card).toContain(`Owner: <@${USERS.seller}>`);
      expect(await say('history Backup Client 7')).toContain('added the client');
      // And it takes new writes.
      expect(await say('add After Restore')).toContain('Added client');
    } finally {
      await restored.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('backupTo', () => {
  it('finishes while another connection writes between every step of a large copy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dealdesk-busy-'));
    const source = join(dir, 'busy.db');
    try {
      const db = openDb(source);
      const sqlite = db.$client;
      const addClient = sqlite.prepare('INSERT INTO clients (name, name_key, owner_id, created_by, created_at) VALUES (?, ?, ?, ?, ?)');
      const addEvent = sqlite.prepare("INSERT INTO audit_events (actor, entity, entity_id, action, after, at) VALUES ('U0SELLER', 'client', ?, 'create', ?, 0)");
      // ~12 MB: a stepwise copy (1024 pages a step) takes several steps.
      sqlite.transaction(() => {
        for (let i = 1; i <= 30_000; i++) addEvent.run(i, JSON.stringify({ note: 'x'.repeat(300), i }));
      })();
      let n = 0;
      const write = () => addClient.run(`Busy ${++n}`, `busy ${n}`, 'U0SELLER', 'U0SELLER', n);
      for (let i = 0; i < 5; i++) write();
      // A write on every turn of the event loop: each would restart a naive stepwise backup.
      let writing = true;
      const tick = () => {
        if (!writing) return;
        write();
        setImmediate(tick);
      };
      setImmediate(tick);
      const started = Date.now();
      let result;
      try {
        result = await backupTo(source, join(dir, 'copy.db'));
      } finally {
        writing = false;
      }
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(n).toBeGreaterThan(5);
      expect(result.counts.audit_events).toBe(30_000);
      expect(result.counts.clients).toBeGreaterThanOrEqual(5);
      expect(result.bytes).toBeGreaterThan(10_000_000);
      const copy = inspectDb(join(dir, 'copy.db'));
      expect(copy.integrity).toBe('ok');
      expect(copy.names.length).toBe(result.counts.clients);
      closeDb(db);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('refuses to copy a file that is not a dealdesk database and leaves no partial file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dealdesk-notdb-'));
    try {
      const other = new Database(join(dir, 'other.db'));
      other.exec('CREATE TABLE t (x)');
      other.close();
      await expect(backupTo(join(dir, 'other.db'), join(dir, 'b.db'))).rejects.toThrow('not a dealdesk database');
      writeFileSync(join(dir, 'garbage.db'), 'this is not sqlite at all, just some text that is long enough');
      await expect(backupTo(join(dir, 'garbage.db'), join(dir, 'b.db'))).rejects.toThrow(/Cannot (read|open) the database/);
      await expect(backupTo(join(dir, 'missing.db'), join(dir, 'b.db'))).rejects.toThrow('There is no database');
      expect(readdirSync(dir).filter((f) => f.startsWith('b.db'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pruneBackups', () => {
  it('keeps the N newest backups with the prefix and deletes the rest, oldest first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dealdesk-prune-'));
    try {
      const day = (d: number) => new Date(Date.UTC(2026, 10, d, 3, 0, 0));
      const names = [1, 2, 3, 4, 5].map((d) => `dealdesk-2026-11-0${d}.db`);
      names.forEach((n, i) => {
        writeFileSync(join(dir, n), n);
        utimesSync(join(dir, n), day(i + 1), day(i + 1));
      });
      writeFileSync(join(dir, `${names[0]}-wal`), '');
      writeFileSync(join(dir, 'dealdesk-2026-11-06.db.partial'), 'unfinished');
      writeFileSync(join(dir, 'notes.txt'), 'not a backup');
      mkdirSync(join(dir, 'dealdesk-folder'));

      const deleted = pruneBackups(dir, 'dealdesk-', 2);
      expect(deleted).toEqual(names.slice(0, 3).map((n) => join(dir, n)));
      expect(readdirSync(dir).sort()).toEqual(['dealdesk-2026-11-04.db', 'dealdesk-2026-11-05.db', 'dealdesk-2026-11-06.db.partial', 'dealdesk-folder', 'notes.txt']);

      expect(pruneBackups(dir, 'dealdesk-', 2)).toEqual([]);
      expect(pruneBackups(dir, 'dealdesk-', 10)).toEqual([]);
      expect(() => pruneBackups(dir, 'dealdesk-', -1)).toThrow(RangeError);
      expect(pruneBackups(dir, 'dealdesk-', 0)).toEqual(names.slice(3).map((n) => join(dir, n)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
