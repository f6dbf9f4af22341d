/**
 * Seeded pseudo-random numbers for the demo-data generator (mulberry32: 32-bit state,
 * period 2^32, fast and good enough for placement jitter). Deterministic across platforms
 * because it uses only 32-bit integer arithmetic (Math.imul) and one division.
 */
export interface Rng {
  /** uniform in [0, 1) */
  next(): number;
  /** uniform in [a, b) */
  range(a: number, b: number): number;
  /** integer in [a, b] inclusive */
  int(a: number, b: number): number;
  /** true with probability p */
  chance(p: number): boolean;
  pick<T>(xs: readonly T[]): T;
  /** index drawn with the given non-negative weights */
  weighted(weights: readonly number[]): number;
  /** approx. normal (sum of 4 uniforms), mean m, sd s */
  normal(m: number, s: number): number;
  shuffle<T>(xs: T[]): T[];
}

export function makeRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng: Rng = {
    next,
    range: (lo, hi) => lo + (hi - lo) * next(),
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (xs) => xs[Math.floor(next() * xs.length)]!,
    weighted: (ws) => {
      const total = ws.reduce((s, w) => s + w, 0);
      let r = next() * total;
      for (let i = 0; i < ws.length; i++) {
        r -= ws[i]!;
        if (r < 0) return i;
      }
      return ws.length - 1;
    },
    normal: (m, s) => {
      // Irwin–Hall with n=4: variance 4/12, so scale by sqrt(3)
      const u = next() + next() + next() + next() - 2;
      return m + s * u * Math.sqrt(3);
    },
    shuffle: (xs) => {
      for (let i = xs.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [xs[i], xs[j]] = [xs[j]!, xs[i]!];
      }
      return xs;
    },
  };
  return rng;
}

/**
 * Largest-remainder (Hamilton) allocation: integers proportional to `weights` that sum to
 * exactly `total`. Ties broken by index so the result is deterministic.
 */
export function largestRemainder(weights: readonly number[], total: number): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (!(sum > 0)) throw new Error('largestRemainder: weights must sum to a positive number');
  const quotas = weights.map((w) => (w / sum) * total);
  const floors = quotas.map(Math.floor);
  let rest = total - floors.reduce((s, f) => s + f, 0);
  const order = quotas.map((q, i) => ({ i, r: q - Math.floor(q) })).sort((x, y) => y.r - x.r || x.i - y.i);
  for (let k = 0; rest > 0; k++, rest--) floors[order[k % order.length]!.i]! += 1;
  return floors;
}
