import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { distanceM, timingClass, touches, worksToBundle, type Work } from './conflicts';
import { makeProjection, toLonLat } from './localproj';

const proj = makeProjection(121.55, 29.89);
const ll = (x: number, y: number) => {
  const p = toLonLat(proj, x, y);
  return [p[0], p[1]];
};
const square: Polygon = { type: 'Polygon', coordinates: [[ll(0, 0), ll(100, 0), ll(100, 100), ll(0, 100), ll(0, 0)]] };
const lineAt = (y: number) => ({ type: 'LineString' as const, coordinates: [ll(-50, y), ll(150, y)] });
const work = (id: string, department: string, start: number | null, y: number, end: number | null = start): Work => ({ id, department, type: '雨污分流', start, end, geometry: lineAt(y) });

describe('timing classes at their boundaries', () => {
  it('same year or before is integrated; R+1 … R+3 a conflict; later outside the horizon; unknown stays unknown', () => {
    expect(timingClass(2020, 2021)).toBe('integrated');
    expect(timingClass(2021, 2021)).toBe('integrated');
    expect(timingClass(2022, 2021)).toBe('conflict');
    expect(timingClass(2024, 2021)).toBe('conflict');
    expect(timingClass(2025, 2021)).toBe('later');
    expect(timingClass(2025, 2021, 5)).toBe('conflict');
    expect(timingClass(null, 2021)).toBe('unknown');
    expect(timingClass(2022, null)).toBe('unknown');
  });
});

describe('touching by distance', () => {
  it('measures metres to the outline, 0 inside or crossing', () => {
    expect(distanceM(lineAt(149), square)).toBeCloseTo(49, 0);
    expect(distanceM(lineAt(50), square)).toBe(0);
    expect(distanceM({ type: 'Point', coordinates: ll(50, 50) }, square)).toBe(0);
  });

  it('a work 49 m away touches with a 50 m limit, 51 m away does not; attached by id always touches', () => {
    const c = [{ id: 'C1', outline: square, year: 2021 }];
    expect(touches([work('w49', '水务', 2023, 149)], c).map((t) => [t.work, t.timing])).toEqual([['w49', 'conflict']]);
    expect(touches([work('w51', '水务', 2023, 151)], c)).toEqual([]);
    const attached: Work = { id: 'wa', department: '电力', type: '管线整治', start: 2021, end: 2021, geometry: null, communities: ['C1'] };
    expect(touches([attached], c)).toEqual([{ work: 'wa', community: 'C1', distanceM: 0, timing: 'integrated', yearsAfter: 0 }]);
  });
});

describe('works to bundle', () => {
  it('pairs works of different departments on the same street in overlapping periods, only those', () => {
    const ws = [work('water', '水务', 2022, 120, 2023), work('power', '电力', 2023, 125, 2023), work('water2', '水务', 2022, 122), work('gas', '燃气', 2025, 121)];
    // water2 is the same department as water, and 2022 does not overlap power's 2023; gas is two years later
    expect(worksToBundle(ws)).toEqual([{ a: 'water', b: 'power', distanceM: expect.closeTo(5, 0) }]);
  });
});

describe('the box prefilter never changes the answer', () => {
  it('touches() equals the exact distance test on 400 random lines around a community', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 400 - 150;
    const c = [{ id: 'C1', outline: square, year: 2021 }];
    const ws: Work[] = Array.from({ length: 400 }, (_, i) => ({
      id: `w${i}`,
      department: '水务',
      type: '雨污分流',
      start: 2022,
      end: 2022,
      geometry: { type: 'LineString', coordinates: [ll(rnd(), rnd()), ll(rnd(), rnd())] },
    }));
    for (const limit of [0, 10, 50, 120]) {
      const fast = touches(ws, c, { distanceM: limit }).map((t) => t.work);
      const exact = ws.filter((w) => distanceM(w.geometry!, square) <= limit).map((w) => w.id);
      expect(fast).toEqual(exact);
      expect(exact.length).toBeGreaterThan(limit === 0 ? 0 : 5);
    }
  });
});
