import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Feature, FeatureCollection, LineString } from 'geojson';
import { deepFreeze, expectedOutput } from '../../../test/fixtures/bundle/harness';
import { checkNetwork, snapNearMiss, type NetCheck } from './netcheck';
import type { RoadLike } from './walkgraph';

const dir = join(import.meta.dirname, '../../../test/fixtures/netcheck/in');
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.geojson'))
  .sort()
  .map((f) => {
    const raw = JSON.parse(readFileSync(join(dir, f), 'utf8')) as FeatureCollection<LineString> & { properties: { nearMissM: number } };
    return deepFreeze({ name: f.replace('.geojson', ''), params: raw.properties, roads: raw.features as unknown as RoadLike[] });
  });
const byName = Object.fromEntries(fixtures.map((f) => [f.name, f]));

const round = (n: number) => Math.round(n * 100) / 100;
function render(roads: readonly RoadLike[], r: NetCheck, params: unknown) {
  const pt = (at: [number, number], props: Record<string, unknown>): Feature => ({ type: 'Feature', geometry: { type: 'Point', coordinates: at }, properties: props });
  return JSON.parse(
    JSON.stringify({
      type: 'FeatureCollection',
      properties: params,
      features: [
        ...roads.map((f) => ({ ...f, properties: { ...f.properties, stroke: '#888888' } })),
        ...r.parts.map((p) => pt(p.at, { part: p.rank, edges: p.edges, lengthM: round(p.lengthM), 'marker-color': '#1f78b4' })),
        ...r.deadEnds.map((d) => pt(d.at, { deadEnd: d.road, 'marker-color': '#a6cee3', 'marker-size': 'small' })),
        ...r.nearMisses.map((m) => pt(m.at, { nearMiss: m.road, toRoad: m.toRoad, gapM: round(m.gapM), target: m.target, 'marker-color': '#e31a1c' })),
        ...r.crossings.map((c) => pt(c.at, { crossing: c.roads, 'marker-color': '#ff7f00' })),
      ],
    }),
  );
}

describe('netcheck fixtures', () => {
  for (const fx of fixtures)
    it(fx.name, () => {
      const out = render(fx.roads, checkNetwork(fx.roads, { nearMissM: fx.params.nearMissM }), fx.params);
      expect(out).toEqual(expectedOutput('netcheck', `${fx.name}.geojson`, out));
    });
});

describe('network check', () => {
  it('finds a near-miss of 2 m, with the point on the other line to snap to', () => {
    const r = checkNetwork(byName['near-miss-2m']!.roads);
    expect(r.nearMisses).toHaveLength(1);
    expect(r.nearMisses[0]).toMatchObject({ road: 'path', toRoad: 'street' });
    expect(r.nearMisses[0]!.gapM).toBeCloseTo(2, 1);
    expect(r.parts).toHaveLength(2);
  });

  it('does not report a proper junction (shared vertex) as a near-miss or a crossing', () => {
    const r = checkNetwork(byName['proper-junction']!.roads);
    expect(r.nearMisses).toEqual([]);
    expect(r.crossings).toEqual([]);
    expect(r.parts).toHaveLength(1);
    expect(r.deadEnds.map((d) => d.road).sort()).toEqual(['path', 'street', 'street']);
  });

  it('reports a crossing without a node, but not a bridge over a street', () => {
    const r = checkNetwork(byName['crossing-without-node']!.roads);
    expect(r.crossings).toHaveLength(1);
    expect([...r.crossings[0]!.roads].sort()).toEqual(['ew', 'ns']);
  });

  it('names the separate part and its size, largest first', () => {
    const r = checkNetwork(byName['two-parts']!.roads);
    expect(r.parts.map((p) => [p.edges, Math.round(p.lengthM)])).toEqual([
      [2, 600],
      [4, 400],
    ]);
  });

  it('snapping the near-miss joins the path to the street (one part, no near-miss), without changing the input', () => {
    const roads = byName['near-miss-2m']!.roads;
    const miss = checkNetwork(roads).nearMisses[0]!;
    const fixed = snapNearMiss(roads, miss);
    const r = checkNetwork(fixed);
    expect(r.nearMisses).toEqual([]);
    expect(r.parts).toHaveLength(1);
    expect((fixed[0]!.geometry as LineString).coordinates).toHaveLength(3);
    expect((roads[0]!.geometry as LineString).coordinates).toHaveLength(2);
  });
});
