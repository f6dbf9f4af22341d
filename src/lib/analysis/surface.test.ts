import { describe, expect, it } from 'vitest';
import { buildWalkGraph } from './walkgraph';
import { multiSourceReach } from './reach';
import { snapLonLat } from './snap';
import { accessSurface, classify, edgeDistances, surfaceLines } from './surface';

// a straight street 1.2 km long, west → east, at ~29.9°N; 1° of longitude ≈ 96.5 km there
const LAT = 29.9;
const lonAt = (m: number) => 121.5 + m / 96_490;
const street = {
  type: 'Feature' as const,
  properties: { id: 'r1', highway: 'residential' },
  geometry: { type: 'LineString' as const, coordinates: [0, 200, 400, 600, 800, 1000, 1200].map((m) => [lonAt(m), LAT]) },
};

const lonOf = (g: ReturnType<typeof buildWalkGraph>, v: number) => surfaceNode(g, v)[0];
function surfaceNode(g: ReturnType<typeof buildWalkGraph>, v: number): [number, number] {
  // the lines give each edge's ends in lon/lat; find node v at the end of an edge that has it
  const lines = surfaceLines(g);
  for (let e = 0; e < g.edgeCount; e++) {
    if (g.edgeA[e] === v) return [lines[4 * e], lines[4 * e + 1]];
    if (g.edgeB[e] === v) return [lines[4 * e + 2], lines[4 * e + 3]];
  }
  throw new Error(`node ${v} on no edge`);
}

describe('accessibility surface', () => {
  const g = buildWalkGraph([street]);
  const at = (m: number) => snapLonLat(g, lonAt(m), LAT, 50)!;

  it('classes each segment by the walking distance of its midpoint to the nearest facility, in the tiers', () => {
    const field = multiSourceReach(g, [at(0)]).dist;
    const s = accessSurface(g, [field], [350, 550, 1000]);
    // midpoints at 100, 300, 500, 700, 900, 1100 m → classes 0, 0, 1, 2, 2, 3 (beyond)
    expect(s.lengthM.map((x) => Math.round(x / 10) * 10)).toEqual([400, 200, 400, 200, 0]);
    // per edge, in the graph's numbering: the class of its midpoint
    const mid = (e: number) => (lonOf(g, g.edgeA[e]) + lonOf(g, g.edgeB[e])) / 2;
    const want = (m: number) => (m <= 350 ? 0 : m <= 550 ? 1 : m <= 1000 ? 2 : 3);
    for (let e = 0; e < g.edgeCount; e++) expect(s.cls[e]).toBe(want(Math.round((mid(e) - 121.5) * 96_490)));
  });

  it('"all mandatory" takes the farthest category: a street is served only when every category is near', () => {
    const west = multiSourceReach(g, [at(0)]).dist;
    const east = multiSourceReach(g, [at(1200)]).dist;
    const d = edgeDistances(g, [west, east]);
    // the first segment (midpoint 100 m from the west end) is 1100 m from the east facility
    expect(Math.abs(d[0] - 1100)).toBeLessThan(5);
    expect(Math.abs(Math.min(...d) - 700)).toBeLessThan(5);
  });

  it('a category with no facility leaves the whole network unreachable (never "served")', () => {
    const none = multiSourceReach(g, []).dist;
    const s = accessSurface(g, [none], [300, 500, 1000]);
    expect([...s.cls].every((c) => c === -1)).toBe(true);
    expect(s.lengthM.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(s.lengthM[4]).toBeCloseTo(1200, -1);
    expect(classify(Infinity, [300])).toBe(-1);
  });

  it('a new facility changes the surface (what-if)', () => {
    const before = accessSurface(g, [multiSourceReach(g, [at(0)]).dist], [300, 500, 1000]);
    const after = accessSurface(g, [multiSourceReach(g, [at(0), at(1200)]).dist], [300, 500, 1000]);
    expect(after.lengthM[0]).toBeGreaterThan(before.lengthM[0]);
    expect(after.lengthM[3]).toBe(0);
  });

  it('draws each edge as a line between its two ends, in lon/lat, in the numbering of the classes', () => {
    const lines = surfaceLines(g);
    expect(lines).toHaveLength(4 * g.edgeCount);
    const ends = new Set([0, 200, 400, 600, 800, 1000, 1200].map((m) => lonAt(m).toFixed(6)));
    for (let e = 0; e < g.edgeCount; e++) {
      expect(ends.has(lines[4 * e].toFixed(6)) && ends.has(lines[4 * e + 2].toFixed(6))).toBe(true);
      expect(lines[4 * e + 1]).toBeCloseTo(LAT, 6);
      // as long as the edge: 200 m between neighbouring vertices
      expect(Math.abs(lines[4 * e + 2] - lines[4 * e]) * 96_490).toBeCloseTo(g.edgeLen[e], -1);
    }
  });
});
