/** Exact decimal rates and rounding for money (SPEC §5): BigInt only, never a float. */

/** A positive or zero decimal written as a fraction, e.g. "1.95583" → 195583 / 100000. */
export interface Fraction {
  num: bigint;
  den: bigint;
}

/**
 * Read a plain decimal such as `1.95583` or `10.15` (digits, at most one `.`, no sign, no
 * exponent) exactly; null for anything else. Surrounding white space is ignored.
 */
export function parseDecimal(text: string): Fraction | null {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return null;
  const frac = m[2] ?? '';
  return { num: BigInt(m[1]! + frac), den: 10n ** BigInt(frac.length) };
}

/**
 * n / d rounded to the nearest integer, a half away from zero: 2.5 → 3, -2.5 → -3 (the
 * "half-up" of money, applied symmetrically so a credit note mirrors its invoice). d > 0.
 */
export function divRound(n: bigint, d: bigint): bigint {
  if (d <= 0n) throw new RangeError('divRound: the divisor must be positive');
  const mag = (2n * (n < 0n ? -n : n) + d) / (2n * d);
  return n < 0n ? -mag : mag;
}

/** A whole number of minor units as BigInt; bugs (fractions, unsafe numbers) throw. */
export function minorBig(minor: number, what: string): bigint {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`${what} must be a safe integer of minor units, got ${minor}`);
  return BigInt(minor);
}
