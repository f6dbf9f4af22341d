import { describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection, Point } from 'geojson';
import { buildWalkGraph, type RoadLike } from './walkgraph';
import { MinHeap, multiSourceReach, reachAt, routeXY } from './reach';
import { snapLonLat, type Snap } from './snap';
import { toLonLat } from './localproj';
import { byRole, expectedFor, fixtureCases } from './fixtures.testutil';

const COLORS = ['#1f77b4', '#d62728', '#2ca02c'];

describe('reach fixtures', () => {
  for (const c of fixtureCases('reach')) {
    it(c.name, () => {
      const g = buildWalkGraph(byRole<RoadLike>(c.input, 'road'));
      const srcs = byRole<Feature<Point>>(c.input, 'source');
      const snaps = srcs.map((s) => snapLonLat(g, s.geometry.coordinates[0], s.geometry.coordinates[1])!);
      const f = multiSourceReach(g, snaps);
      const features: Feature[] = [];
      for (let n = 0; n < g.nodeCount; n++)
        features.push({
          type: 'Feature',
          properties: { node: n, dist_m: f.dist[n], source: f.src[n] >= 0 ? srcs[f.src[n]].properties!.id : null, 'marker-color': COLORS[f.src[n] + 1] ?? '#999999' },
          geometry: { type: 'Point', coordinates: toLonLat(g.proj, g.nodeX[n], g.nodeY[n]) },
        });
      for (const t of byRole<Feature<Point>>(c.input, 'target')) {
        const s = snapLonLat(g, t.geometry.coordinates[0], t.geometry.coordinates[1])!;
        const r = routeXY(g, f, s)!;
        features.push({
          type: 'Feature',
          properties: { target: t.properties!.id, dist_m: r.dist, source: srcs[r.source].properties!.id, stroke: '#ff00ff', 'stroke-width': 3 },
          geometry: { type: 'LineString', coordinates: r.coords.map(([x, y]) => toLonLat(g.proj, x, y)) },
        });
      }
      const { actual, expected } = expectedFor(c, { type: 'FeatureCollection', features } as FeatureCollection);
      expect(actual).toEqual(expected);
    });
  }
});

describe('multiSourceReach', () => {
  const grid = fixtureCases('reach').find((c) => c.name === 'grid-two-sources')!;
  const g = buildWalkGraph(byRole<RoadLike>(grid.input, 'road'));
  const snapAt = (f: Feature<Point>) => snapLonLat(g, f.geometry.coordinates[0], f.geometry.coordinates[1])!;
  const srcs = byRole<Feature<Point>>(grid.input, 'source').map(snapAt);

  it('gives every node the distance to its nearest source, equal to the minimum of single-source searches', () => {
    const both = multiSourceReach(g, srcs);
    const one = multiSourceReach(g, [srcs[0]]);
    const two = multiSourceReach(g, [srcs[1]]);
    for (let n = 0; n < g.nodeCount; n++) {
      expect(both.dist[n]).toBeCloseTo(Math.min(one.dist[n], two.dist[n]), 6);
      expect(both.src[n]).toBe(one.dist[n] <= two.dist[n] ? 0 : 1);
    }
  });
  it('adds the snap distance of the source (S1 is 5 m off the road, 50 m from the corner)', () => {
    const f = multiSourceReach(g, [srcs[0]]);
    const corner = [...Array(g.nodeCount).keys()].find((n) => Math.abs(g.nodeX[n] - g.nodeX[0]) < 1 && Math.abs(g.nodeY[n] - g.nodeY[0]) < 1)!;
    expect(f.dist[corner]).toBeCloseTo(55, 1);
  });
  it('stops at the cutoff', () => {
    const f = multiSourceReach(g, srcs, { cutoff: 120 });
    for (let n = 0; n < g.nodeCount; n++) if (Number.isFinite(f.dist[n])) expect(f.dist[n]).toBeLessThanOrEqual(120);
    expect([...f.dist].some((d) => !Number.isFinite(d))).toBe(true);
  });
  it('leaves everything unreached with no sources', () => {
    const f = multiSourceReach(g, []);
    expect([...f.dist].every((d) => d === Infinity)).toBe(true);
    expect(reachAt(g, f, srcs[0]).source).toBe(-1);
  });
  it('reaches a target on the same edge as its source directly along the edge', () => {
    const c = fixtureCases('reach').find((x) => x.name === 'same-edge')!;
    const g2 = buildWalkGraph(byRole<RoadLike>(c.input, 'road'));
    const s = byRole<Feature<Point>>(c.input, 'source').map((p) => snapLonLat(g2, p.geometry.coordinates[0], p.geometry.coordinates[1]) as Snap);
    const t = byRole<Feature<Point>>(c.input, 'target').map((p) => snapLonLat(g2, p.geometry.coordinates[0], p.geometry.coordinates[1]) as Snap);
    const f = multiSourceReach(g2, s);
    const r = reachAt(g2, f, t[0]);
    expect(r.via).toBe('edge');
    expect(r.dist).toBeCloseTo(5 + 50 + 5, 1);
    // spur target: 5 + 300 along the road + 200 up the spur
    expect(reachAt(g2, f, t[1]).dist).toBeCloseTo(505, 1);
  });
});

describe('MinHeap', () => {
  it('pops keys in ascending order', () => {
    const h = new MinHeap(2);
    const keys = [5, 3, 9, 1, 1, 7, 2, 8, 0, 6];
    keys.forEach((k, i) => h.push(k, i));
    const out: number[] = [];
    while (h.size > 0) {
      out.push(h.peekKey());
      h.pop();
    }
    expect(out).toEqual([...keys].sort((a, b) => a - b));
  });
});
