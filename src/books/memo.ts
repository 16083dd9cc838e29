/**
 * What a file repeats, worked out once per file: a file of 100,000 invoices names a few thousand
 * clients, a few hundred days and a few currencies. A cache keeps at most MEMO_MAX texts, so a
 * file of all-different values costs no more than without. Its values are shared between rows,
 * so nothing may change them.
 */
const MEMO_MAX = 50_000;

export function memo<T>(f: (text: string) => T): (text: string) => T {
  const m = new Map<string, T>();
  return (text) => {
    const hit = m.get(text);
    if (hit !== undefined) return hit;
    const v = f(text);
    if (m.size < MEMO_MAX) m.set(text, v);
    return v;
  };
}
