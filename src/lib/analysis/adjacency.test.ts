import { describe, expect, it } from 'vitest';
import type { Feature } from 'geojson';
import { barrierStyle, community, deepFreeze, expectedOutput, loadFixtures } from '../../../test/fixtures/bundle/harness';
import { buildAdjacency, componentsOf, type Adjacency } from './adjacency';

function render(fx: ReturnType<typeof loadFixtures>[number], adj: Adjacency) {
  const feats: Feature[] = [
    ...fx.communities.map((c) => ({
      type: 'Feature' as const,
      geometry: c.geometry,
      properties: { id: c.properties.id, neighbours: adj.neighbours[adj.ids.indexOf(c.properties.id)].map((j) => adj.ids[j]), fill: '#cccccc', stroke: '#555555' },
    })),
    ...fx.barriers.map(barrierStyle),
    ...adj.edges.map((e) => ({
      type: 'Feature' as const,
      geometry: { type: 'LineString' as const, coordinates: [e.p, e.q] },
      properties: { a: e.a, b: e.b, gapM: e.gapM, stroke: '#33a02c', 'stroke-width': 3 },
    })),
    ...adj.blocked.map((b) => ({
      type: 'Feature' as const,
      geometry: { type: 'LineString' as const, coordinates: [b.p, b.q] },
      properties: { a: b.a, b: b.b, straightGapM: b.straightGapM, reason: b.reason, barrierId: b.barrierId ?? null, stroke: '#e31a1c', 'stroke-width': 2 },
    })),
  ];
  return JSON.parse(JSON.stringify({ type: 'FeatureCollection', properties: fx.params, features: feats }));
}

describe('adjacency fixtures', () => {
  for (const fx of loadFixtures('adjacency')) {
    it(fx.name, () => {
      const adj = buildAdjacency(fx.communities, { maxGapM: fx.params.maxGapM, barriers: fx.barriers });
      const out = render(fx, adj);
      expect(out).toEqual(expectedOutput('adjacency', `${fx.name}.geojson`, out));
    });
  }
});

describe('adjacency behaviour', () => {
  const fx = Object.fromEntries(loadFixtures('adjacency').map((f) => [f.name, f]));
  const pairs = (adj: Adjacency) => adj.edges.map((e) => `${e.a}-${e.b}`);

  it('does not join two communities on opposite banks of a river, and says which barrier', () => {
    const f = fx['river-between'];
    const adj = buildAdjacency(f.communities, { barriers: f.barriers });
    expect(pairs(adj)).toEqual([]);
    expect(adj.blocked).toHaveLength(1);
    expect(adj.blocked[0]).toMatchObject({ a: 'A', b: 'B', reason: 'barrier', barrierId: 'yao', barrierKind: 'river' });
    // without the barrier layer they would be neighbours: the river is what separates them
    expect(pairs(buildAdjacency(f.communities))).toEqual(['A-B']);
  });

  it('joins communities on the same bank even when their link runs along the river edge', () => {
    const f = fx['same-bank'];
    expect(pairs(buildAdjacency(f.communities, { barriers: f.barriers }))).toEqual(['A-B']);
  });

  it('blocks on a rail line, but not where a canal ends before the link', () => {
    const f = fx['rail-and-canal-end'];
    const adj = buildAdjacency(f.communities, { barriers: f.barriers });
    expect(pairs(adj).sort()).toEqual(['A-D', 'B-D', 'C-D']);
    expect(adj.blocked.map((b) => `${b.a}-${b.b}:${b.barrierId}`)).toEqual(['A-B:rail']);
  });

  it('leaves a community with no neighbour within the gap alone', () => {
    const f = fx['no-neighbour'];
    const adj = buildAdjacency(f.communities, { maxGapM: 300 });
    expect(adj.neighbours[adj.ids.indexOf('C')]).toEqual([]);
    expect(pairs(adj)).toEqual(['A-B']);
  });

  it('counts touching polygons as gap 0 and keeps the limit inclusive', () => {
    const f = fx['touching-and-gap-limit'];
    const adj = buildAdjacency(f.communities, { maxGapM: 100 });
    const byPair = Object.fromEntries(adj.edges.map((e) => [`${e.a}-${e.b}`, e.gapM]));
    expect(byPair['A-B']).toBe(0);
    expect(byPair['B-C']).toBeCloseTo(100, 0); // exactly at the limit: neighbours
    expect(byPair['C-D']).toBeUndefined(); // 101 m: not
  });

  it('uses a walking measure when given, and reports pairs it rejects', () => {
    const f = fx['no-neighbour'];
    const adj = buildAdjacency(f.communities, {
      maxGapM: 300,
      walk: { name: 'test walk', gap: (_a, _b, _p, _q, limit) => limit + 1 },
    });
    expect(adj.measure).toBe('walking');
    expect(adj.edges).toEqual([]);
    expect(adj.blocked[0]).toMatchObject({ a: 'A', b: 'B', reason: 'walk', walkGapM: 301 });
    const ok = buildAdjacency(f.communities, { maxGapM: 300, walk: { name: 'w', gap: () => 240 } });
    expect(ok.edges[0].gapM).toBe(240);
    expect(ok.edges[0].straightGapM).toBeCloseTo(150, 0);
  });

  it('rejects duplicate ids and bad gaps with a specific message', () => {
    const g = { type: 'Polygon' as const, coordinates: [[[0, 0], [0.001, 0], [0.001, 0.001], [0, 0]]] };
    expect(() => buildAdjacency([community({ id: 'X' }, g), community({ id: 'X' }, g)])).toThrow(/duplicate community id "X"/);
    expect(() => buildAdjacency([], { maxGapM: -1 })).toThrow(/max gap/);
  });

  it('does not mutate its inputs', () => {
    const f = fx['river-between'];
    const cs = deepFreeze(structuredClone(f.communities));
    expect(() => buildAdjacency(cs, { barriers: deepFreeze(structuredClone(f.barriers)) })).not.toThrow();
  });

  it('splits a member list into its contiguous parts', () => {
    const f = fx['no-neighbour'];
    const adj = buildAdjacency(f.communities);
    expect(componentsOf(adj, ['C', 'A', 'B'])).toEqual([['A', 'B'], ['C']]);
  });
});
