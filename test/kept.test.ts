/**
 * repos/store.ts kept(): a costly derived value (the card's fit model) is computed once per store
 * while its mark holds and it is fresh, computed again when the mark moves or it is stale, never
 * kept outside a store's transaction or when it failed.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { kept } from '../src/repos/store.ts';
import { tempDb } from './helpers/db.ts';

const a = tempDb();
const b = tempDb();
afterAll(() => {
  a.close();
  b.close();
});

describe('kept values', () => {
  it('computes once per store and mark while fresh, again for a new mark, another store or when stale', async () => {
    let n = 0;
    const compute = () => Promise.resolve(++n);
    const get = (store: typeof a.store, mark: unknown, freshMs = 60_000) => store.read((tx) => kept(tx, 'test', mark, freshMs, compute));
    expect(await get(a.store, 1)).toBe(1);
    expect(await get(a.store, 1)).toBe(1);
    expect(await get(b.store, 1)).toBe(2);
    expect(await get(a.store, 2)).toBe(3);
    expect(await get(a.store, 2)).toBe(3);
    vi.spyOn(performance, 'now').mockReturnValue(performance.now() + 61_000);
    try {
      expect(await get(a.store, 2)).toBe(4);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('keeps nothing outside a transaction of a store, nor a failure', async () => {
    let n = 0;
    expect(await kept(a.db, 'outside', 1, 60_000, () => Promise.resolve(++n))).toBe(1);
    expect(await kept(a.db, 'outside', 1, 60_000, () => Promise.resolve(++n))).toBe(2);
    await expect(a.store.read((tx) => kept(tx, 'failing', 1, 60_000, () => Promise.reject(new Error('boom'))))).rejects.toThrow('boom');
    expect(await a.store.read((tx) => kept(tx, 'failing', 1, 60_000, () => Promise.resolve('now')))).toBe('now');
  });
});
