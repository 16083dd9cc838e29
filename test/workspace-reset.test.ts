import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { wipeLocalWorkspace } from '../src/workspace/persistence.ts';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('--reset deletes only a local workspace', () => {
  it('wipes a database with the workspace’s conversations beside it', () => {
    dir = mkdtempSync(join(tmpdir(), 'dealdesk-reset-'));
    const db = join(dir, 'dealdesk.db');
    for (const f of [db, `${db}-wal`, `${db}.workspace.json`]) writeFileSync(f, 'x');
    expect(wipeLocalWorkspace(db)).toHaveLength(3);
    expect(existsSync(db)).toBe(false);
  });

  it('refuses a database without them (a real bot’s, same default path) and deletes nothing', () => {
    dir = mkdtempSync(join(tmpdir(), 'dealdesk-reset-'));
    const db = join(dir, 'dealdesk.db');
    writeFileSync(db, 'x');
    writeFileSync(`${db}-wal`, 'x');
    expect(() => wipeLocalWorkspace(db)).toThrow(/not a local workspace's database and was not deleted/);
    expect(existsSync(db)).toBe(true);
    expect(existsSync(`${db}-wal`)).toBe(true);
  });

  it('has nothing to do on a fresh folder', () => {
    dir = mkdtempSync(join(tmpdir(), 'dealdesk-reset-'));
    expect(wipeLocalWorkspace(join(dir, 'dealdesk.db'))).toEqual([]);
  });
});
