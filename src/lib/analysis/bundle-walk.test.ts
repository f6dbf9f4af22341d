import { describe, expect, it } from 'vitest';
import type { Feature, LineString } from 'geojson';
import { community } from '../../../test/fixtures/bundle/harness';
import { buildAdjacency } from './adjacency';
import { localProjection, type Pt } from './bundle-geom';
import { walkGapMeasure } from './bundle-walk';
import { buildWalkGraph } from './walkgraph';

const P = localProjection(121.55, 29.89);
const rect = (x0: number, y0: number, x1: number, y1: number) => ({
  type: 'Polygon' as const,
  coordinates: [([[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]] as Pt[]).map((p) => P.inv(p))],
});
const road = (id: string, pts: Pt[]): Feature<LineString> => ({
  type: 'Feature',
  properties: { id, highway: 'residential' },
  geometry: { type: 'LineString', coordinates: pts.map((p) => P.inv(p)) },
});
// nearest boundary points: A's corner (200,200) and B's corner (300,250), 111.8 m apart
const cs = [community({ id: 'A' }, rect(0, 0, 200, 200)), community({ id: 'B' }, rect(300, 250, 500, 450))];

describe('walking gap', () => {
  it('walks from boundary to street, along it, and back: 20 + 100 + 30 m', () => {
    const g = buildWalkGraph([road('r', [[0, 220], [600, 220]])]);
    const adj = buildAdjacency(cs, { walk: walkGapMeasure(g) });
    expect(adj.measure).toBe('walking');
    expect(adj.edges).toHaveLength(1);
    expect(adj.edges[0].gapM).toBeCloseTo(150, 0);
    expect(adj.edges[0].straightGapM).toBeCloseTo(111.8, 0);
  });

  it('rejects a pair whose street link is broken, though they are close in a straight line', () => {
    const g = buildWalkGraph([road('w', [[0, 220], [240, 220]]), road('e', [[260, 220], [600, 220]])]);
    const adj = buildAdjacency(cs, { walk: walkGapMeasure(g) });
    expect(adj.edges).toEqual([]);
    expect(adj.blocked[0]).toMatchObject({ reason: 'walk', walkGapM: null });
  });

  it('rejects a detour longer than the gap limit', () => {
    // the only link is a loop to the north: 20 + 200 + 100 + 160 + 10 = 490 m
    const g = buildWalkGraph([road('u', [[200, 220], [200, 420], [300, 420], [300, 260]])]);
    const adj = buildAdjacency(cs, { walk: walkGapMeasure(g), maxGapM: 300 });
    expect(adj.edges).toEqual([]);
    const loose = buildAdjacency(cs, { walk: walkGapMeasure(g), maxGapM: 600 });
    expect(loose.edges[0].gapM).toBeCloseTo(490, 0);
  });
});
