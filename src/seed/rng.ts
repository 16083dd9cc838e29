/** The seed's randomness: seeded mulberry32 streams and the few draws built on them. */

export type Rng = () => number;

/** mulberry32: a tiny, fast, well-mixed 32-bit PRNG; returns [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const int = (r: Rng, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
export const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
/** Standard normal (Box–Muller, one of the pair). */
export const normal = (r: Rng): number => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());

export class Weighted<T> {
  private readonly cum: number[] = [];
  private readonly items: T[] = [];
  constructor(pairs: readonly (readonly [T, number])[]) {
    let s = 0;
    for (const [item, w] of pairs) {
      s += w;
      this.items.push(item);
      this.cum.push(s);
    }
    for (let i = 0; i < this.cum.length; i++) this.cum[i]! /= s;
  }
  pick(r: Rng): T {
    const u = r();
    for (let i = 0; i < this.cum.length; i++) if (u < this.cum[i]!) return this.items[i]!;
    return this.items[this.items.length - 1]!;
  }
}
