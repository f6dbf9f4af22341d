import { describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection, Point, Polygon, MultiPolygon } from 'geojson';
import { area as turfArea, booleanPointInPolygon, convex, featureCollection, kinks } from '@turf/turf';
import { buildWalkGraph, type RoadLike } from './walkgraph';
import { facilitiesWithin, isochrones } from './isochrone';
import { snapLonLat } from './snap';
import { makeProjection, toLonLat } from './localproj';
import { byRole, expectedFor, fixtureCases } from './fixtures.testutil';

function run(name: string) {
  const c = fixtureCases('isochrone').find((x) => x.name === name)!;
  const g = buildWalkGraph(byRole<RoadLike>(c.input, 'road'));
  const origin = byRole<Feature<Point>>(c.input, 'origin')[0];
  const facilities = byRole<Feature<Point, { id: string; category: string }>>(c.input, 'facility');
  const snap = snapLonLat(g, origin.geometry.coordinates[0], origin.geometry.coordinates[1])!;
  const speed = c.params.walkSpeedMPerMin as number;
  const res = isochrones(g, [snap], { walkSpeedMPerMin: speed, minutes: c.params.minutes as number[] });
  return { c, g, origin, facilities, res, speed };
}

describe('isochrone fixtures', () => {
  for (const c of fixtureCases('isochrone')) {
    it(c.name, () => {
      const { g, origin, facilities, res, speed } = run(c.name);
      const inside = facilitiesWithin(g, res.field, facilities, 15 * speed, speed);
      const features: Feature[] = [
        ...res.bands,
        { ...origin, properties: { ...origin.properties, 'marker-color': '#000000' } },
        ...facilities.map((f) => {
          const hit = inside.find((i) => i.facility === f);
          return { ...f, properties: { ...f.properties, walk_m: hit?.distance_m ?? null, minutes: hit?.minutes ?? null, 'marker-color': hit ? '#1a9850' : '#d73027' } };
        }),
      ];
      const { actual, expected } = expectedFor(c, { type: 'FeatureCollection', features } as FeatureCollection);
      expect(actual).toEqual(expected);
    });
  }
});

describe('isochrones', () => {
  const { c, res, g, facilities, speed } = run('grid-with-river');
  const band = (m: number) => res.bands.find((b) => b.properties.minutes === m)! as Feature<Polygon | MultiPolygon>;
  const at = (id: string) => byRole<Feature<Point>>(c.input, 'facility').find((f) => f.properties!.id === id)!;

  it('returns nested 5/10/15-minute bands, largest first', () => {
    expect(res.bands.map((b) => b.properties.minutes)).toEqual([15, 10, 5]);
    expect(turfArea(band(5))).toBeLessThan(turfArea(band(10)));
    expect(turfArea(band(10))).toBeLessThan(turfArea(band(15)));
    for (const f of [at('kg-near')]) {
      expect(booleanPointInPolygon(f, band(5))).toBe(true);
      expect(booleanPointInPolygon(f, band(10))).toBe(true);
    }
  });

  it('follows the network, not a circle: nothing across the river except via the bridge', () => {
    // the market is 320 m away in a straight line but 1,500 m on foot over the bridge
    expect(booleanPointInPolygon(at('market-across-river'), band(15))).toBe(false);
    const circleArea = Math.PI * (15 * speed) ** 2;
    expect(turfArea(band(15))).toBeLessThan(0.6 * circleArea);
  });

  it('is concave where the network is (the lobe over the bridge)', () => {
    const hull = convex(featureCollection([band(15)]).features[0])!;
    expect(turfArea(band(15))).toBeLessThan(0.9 * turfArea(hull));
  });

  it('produces valid rings (no self-intersections)', () => {
    for (const b of res.bands) expect(kinks(b as Feature<Polygon>).features).toHaveLength(0);
  });

  it('lists the facilities inside by network distance', () => {
    const inside = facilitiesWithin(g, res.field, facilities, 15 * speed, speed);
    expect(inside.map((i) => i.facility.properties.id)).toEqual(['kg-near', 'park-far']);
    expect(inside[1].distance_m).toBeCloseTo(1000, 0);
    expect(inside[1].minutes).toBeCloseTo(12.5, 1);
  });

  it('fills block interiors enclosed by reached streets (holes under minHoleM2), keeps them when asked', () => {
    // a 3 × 3 grid of 300 m blocks: block interiors lie up to 150 m from a street, beyond the 60 m margin
    const P = makeProjection(121.55, 29.9);
    const roads: RoadLike[] = [];
    for (let i = 0; i <= 3; i++) {
      roads.push({ type: 'Feature', properties: { id: `h${i}` }, geometry: { type: 'LineString', coordinates: [0, 1, 2, 3].map((j) => toLonLat(P, j * 300, i * 300)) } });
      roads.push({ type: 'Feature', properties: { id: `v${i}` }, geometry: { type: 'LineString', coordinates: [0, 1, 2, 3].map((j) => toLonLat(P, i * 300, j * 300)) } });
    }
    const g2 = buildWalkGraph(roads);
    const o = snapLonLat(g2, ...toLonLat(P, 450, 450))!;
    const holes = (b: Feature<Polygon | MultiPolygon>) => (b.geometry.type === 'Polygon' ? [b.geometry.coordinates] : b.geometry.coordinates).reduce((n, p) => n + p.length - 1, 0);
    const filled = isochrones(g2, [o], { walkSpeedMPerMin: 80, minutes: [15] }).bands[0];
    const kept = isochrones(g2, [o], { walkSpeedMPerMin: 80, minutes: [15], minHoleM2: 0 }).bands[0];
    expect(holes(filled)).toBe(0);
    expect(holes(kept)).toBeGreaterThan(0);
    expect(turfArea(filled)).toBeGreaterThan(turfArea(kept));
  });

  it('returns no bands without origins', () => {
    expect(isochrones(g, [], { walkSpeedMPerMin: 80 }).bands).toEqual([]);
  });
});
