import { describe, expect, it } from 'vitest';
import { buildWalkGraph } from './walkgraph';
import { multiSourceReach } from './reach';
import { snapLonLat } from './snap';
import { accessSurface, classify, edgeDistances } from './surface';

// a straight street 1.2 km long, west → east, at ~29.9°N; 1° of longitude ≈ 96.5 km there
const LAT = 29.9;
const lonAt = (m: number) => 121.5 + m / 96_490;
const street = {
  type: 'Feature' as const,
  properties: { id: 'r1', highway: 'residential' },
  geometry: { type: 'LineString' as const, coordinates: [0, 200, 400, 600, 800, 1000, 1200].map((m) => [lonAt(m), LAT]) },
};

describe('accessibility surface', () => {
  const g = buildWalkGraph([street]);
  const at = (m: number) => snapLonLat(g, lonAt(m), LAT, 50)!;

  it('classes each segment by the walking distance of its midpoint to the nearest facility, in the tiers', () => {
    const field = multiSourceReach(g, [at(0)]).dist;
    const s = accessSurface(g, [field], [350, 550, 1000]);
    // midpoints at 100, 300, 500, 700, 900, 1100 m → classes 0, 0, 1, 2, 2, 3 (beyond)
    const len = (cls: number) => s.features.find((f) => f.properties.cls === cls)!.properties.lengthM;
    expect([len(0), len(1), len(2), len(3), len(-1)].map((x) => Math.round(x / 10) * 10)).toEqual([400, 200, 400, 200, 0]);
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
    expect(s.features.find((f) => f.properties.cls === -1)!.geometry.coordinates).toHaveLength(g.edgeCount);
    expect(classify(Infinity, [300])).toBe(-1);
  });

  it('a new facility changes the surface (what-if)', () => {
    const before = accessSurface(g, [multiSourceReach(g, [at(0)]).dist], [300, 500, 1000]);
    const after = accessSurface(g, [multiSourceReach(g, [at(0), at(1200)]).dist], [300, 500, 1000]);
    expect(after.lengthM[0]).toBeGreaterThan(before.lengthM[0]);
    expect(after.lengthM[3]).toBe(0);
  });
});
