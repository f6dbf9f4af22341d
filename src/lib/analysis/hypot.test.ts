import { describe, expect, it } from 'vitest';
import { hypot2 } from './hypot';

describe('hypot2 = Math.hypot, bit for bit', () => {
  it('on a million pairs of street-scale, tiny, huge and special values', () => {
    let s = 12345;
    const r = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const specials = [0, -0, 1, -1, 5e-324, 1e-300, 1e300, 1.7976931348623157e308, Infinity, -Infinity, NaN, 0.1, 3, 4];
    const pairs: [number, number][] = [];
    for (const a of specials) for (const b of specials) pairs.push([a, b]);
    for (let i = 0; i < 1_000_000; i++) {
      const kind = i % 4;
      const v = () => (kind === 0 ? (r() - 0.5) * 200 : kind === 1 ? (r() - 0.5) * 40_000 : kind === 2 ? (r() - 0.5) * 1e-3 : (r() - 0.5) * 10 ** (r() * 40 - 20));
      pairs.push([v(), v()]);
    }
    let differ = 0;
    for (const [a, b] of pairs) if (!Object.is(hypot2(a, b), Math.hypot(a, b))) differ++;
    expect(differ).toBe(0);
  });
});
