import { describe, expect, it } from 'vitest';
import type { Feature, Polygon } from 'geojson';
import { booleanIntersects, booleanPointInPolygon, booleanWithin, convex, featureCollection, point, area as turfArea } from '@turf/turf';
import { barrierStyle, expectedOutput, loadFixtures, type Fixture } from '../../../test/fixtures/bundle/harness';
import { buildAdjacency } from './adjacency';
import { localProjection, projectionFor } from './bundle-geom';
import { bundleHull, type HullResult } from './hull';

function hullOf(fx: Fixture): HullResult {
  const adj = buildAdjacency(fx.communities, {
    maxGapM: fx.params.maxGapM,
    barriers: fx.params.adjacencyIgnoresBarriers ? [] : fx.barriers,
  });
  const proj = projectionFor(fx.communities.map((c) => c.geometry));
  return bundleHull(fx.communities, adj.edges, proj, { barriers: fx.barriers });
}

function round(g: unknown): unknown {
  return JSON.parse(JSON.stringify(g, (_k, v) => (typeof v === 'number' ? Math.round(v * 1e7) / 1e7 : v)));
}

describe('hull fixtures', () => {
  for (const fx of loadFixtures('hull')) {
    it(fx.name, () => {
      const h = hullOf(fx);
      const feats: Feature[] = [
        ...fx.communities.map((c) => ({ type: 'Feature' as const, geometry: c.geometry, properties: { id: c.properties.id, fill: '#cccccc', stroke: '#555555' } })),
        ...fx.barriers.map(barrierStyle),
        {
          type: 'Feature',
          geometry: h.geometry,
          properties: {
            bridged: h.bridged,
            thin: h.thin,
            unbridged: h.unbridged,
            areaM2: h.areaM2,
            perimeterM: h.perimeterM,
            polsbyPopper: h.polsbyPopper,
            stroke: '#ff7f00',
            'stroke-width': 3,
            fill: '#ff7f00',
            'fill-opacity': 0.25,
          },
        },
      ];
      const out = round({ type: 'FeatureCollection', properties: fx.params, features: feats });
      expect(out).toEqual(expectedOutput('hull', `${fx.name}.geojson`, out));
    });
  }
});

describe('hull behaviour', () => {
  const fx = Object.fromEntries(loadFixtures('hull').map((f) => [f.name, f]));

  it('joins a row of members into one polygon that contains them all', () => {
    const f = fx['row-of-three'];
    const h = hullOf(f);
    expect(h.geometry.type).toBe('Polygon');
    expect(h.bridged).toBe(2);
    for (const c of f.communities) expect(booleanWithin(c, { type: 'Feature', properties: {}, geometry: h.geometry as Polygon })).toBe(true);
    // 3 × 200×150 m plus two 80×150 m bridges
    expect(h.areaM2).toBeGreaterThan(3 * 30_000 + 2 * 12_000 - 500);
    expect(h.areaM2).toBeLessThan(3 * 30_000 + 2 * 12_000 + 500);
  });

  it('stays tight around an L-shaped bundle instead of filling the corner like a convex hull', () => {
    const f = fx['l-shape'];
    const h = hullOf(f);
    const cv = convex(featureCollection(f.communities))!;
    expect(h.geometry.type).toBe('Polygon');
    expect(h.areaM2).toBeLessThan(0.7 * turfArea(cv));
    // the inner corner of the L (400 m, 400 m from A's corner) lies inside the convex hull, not in ours
    const corner = point(localProjection(121.55, 29.89).inv([400, 400]));
    expect(booleanPointInPolygon(corner, cv)).toBe(true);
    expect(booleanPointInPolygon(corner, h.geometry)).toBe(false);
    // the small courtyard enclosed by A, B, D and the bridges is filled, not left as a hole
    expect((h.geometry as Polygon).coordinates).toHaveLength(1);
  });

  it('does not span a river even when the members count as neighbours', () => {
    const f = fx['river-not-bridged'];
    const h = hullOf(f);
    expect(h.unbridged).toBe(1);
    expect(h.geometry.type).toBe('MultiPolygon');
    const river = f.barriers[0];
    expect(booleanIntersects({ type: 'Feature', properties: {}, geometry: h.geometry }, river)).toBe(false);
  });

  it('falls back to a thin bridge when a barrier cuts the corner of the wide one', () => {
    const f = fx['bend-near-rail'];
    const h = hullOf(f);
    expect(h.thin).toBe(1);
    expect(h.geometry.type).toBe('Polygon');
    expect(booleanIntersects({ type: 'Feature', properties: {}, geometry: h.geometry }, f.barriers[0])).toBe(false);
  });

  it('measures compactness as Polsby–Popper 4πA/P² of the outline', () => {
    // the row is one 760 × 150 m rectangle: 4π·114000 / (2·910)² ≈ 0.432
    expect(hullOf(fx['row-of-three']).polsbyPopper).toBeCloseTo(0.432, 2);
  });
});
