import { describe, expect, it } from 'vitest';
import type { FeatureCollection, LineString } from 'geojson';
import { buildWalkGraph, graphEdgesToLonLat, NodeTable, type RoadLike } from './walkgraph';
import { boxQueries, byRole, expectedFor, fixtureCases } from './fixtures.testutil';

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

describe('walkgraph fixtures', () => {
  for (const c of fixtureCases('walkgraph')) {
    it(c.name, () => {
      const roads = byRole<RoadLike>(c.input, 'road');
      const g = buildWalkGraph(roads);
      const out: FeatureCollection = {
        type: 'FeatureCollection',
        features: Array.from({ length: g.edgeCount }, (_, e) => ({
          type: 'Feature' as const,
          properties: {
            edge: e,
            road: g.roadIds[g.edgeRoad[e]],
            length_m: g.edgeLen[e],
            component: g.component[g.edgeA[e]],
            stroke: PALETTE[g.component[g.edgeA[e]] % PALETTE.length],
            'stroke-width': 3,
          },
          geometry: { type: 'LineString' as const, coordinates: graphEdgesToLonLat(g, e) },
        })),
      };
      (out as unknown as { properties: unknown }).properties = { nodes: g.nodeCount, edges: g.edgeCount, components: g.componentSize.length, stats: g.stats };
      const { actual, expected } = expectedFor(c, out);
      expect(actual).toEqual(expected);
    });
  }
});

describe('buildWalkGraph', () => {
  const crossings = fixtureCases('walkgraph').find((c) => c.name === 'crossings')!;
  const g = buildWalkGraph(byRole<RoadLike>(crossings.input, 'road'));
  const roadOfNodeComponent = (id: string) => {
    const ri = g.roadIds.indexOf(id);
    for (let e = 0; e < g.edgeCount; e++) if (g.edgeRoad[e] === ri) return g.component[g.edgeA[e]];
    return -1;
  };

  it('joins ways at shared vertices', () => {
    expect(roadOfNodeComponent('A')).toBe(roadOfNodeComponent('B-shares-vertex'));
    expect(roadOfNodeComponent('F-footway')).toBe(roadOfNodeComponent('A'));
  });
  it('does not join a bridge that only crosses a road without a shared vertex', () => {
    expect(roadOfNodeComponent('C-bridge-over-no-shared-vertex')).not.toBe(roadOfNodeComponent('A'));
  });
  it('excludes motorways from the walking network', () => {
    expect(g.roadIds).not.toContain('M-motorway');
    expect(g.stats.roadsExcluded).toBe(1);
  });
  it('measures edges in metres', () => {
    // road A: two 200 m segments
    const ri = g.roadIds.indexOf('A');
    let len = 0;
    for (let e = 0; e < g.edgeCount; e++) if (g.edgeRoad[e] === ri) len += g.edgeLen[e];
    expect(len).toBeCloseTo(400, 1);
  });
  it('keeps CSR adjacency symmetric', () => {
    for (let u = 0; u < g.nodeCount; u++)
      for (let k = g.adjStart[u]; k < g.adjStart[u + 1]; k++) {
        const v = g.adjTo[k];
        let back = false;
        for (let q = g.adjStart[v]; q < g.adjStart[v + 1]; q++) if (g.adjTo[q] === u) back = true;
        expect(back).toBe(true);
      }
  });
  it('builds an empty graph from no roads', () => {
    const e = buildWalkGraph([]);
    expect(e.edgeCount).toBe(0);
    expect(e.index).toBeNull();
  });
});

describe('buildWalkGraph with renumbered nodes', () => {
  // a 30 × 30 street grid (about 80 m blocks, jittered) with gaps, in lon/lat around Jiangbei
  let seed = 7;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const n = 30;
  const at = (i: number, j: number): [number, number] => [121.55 + (i * 80 + (rnd() - 0.5) * 20) / 96_500, 29.9 + (j * 80 + (rnd() - 0.5) * 20) / 111_000];
  const pts = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => at(i, j)));
  const roads: RoadLike[] = [];
  for (let a = 0; a < n; a++)
    for (const dir of [0, 1]) {
      let line: [number, number][] = [];
      const flush = () => {
        if (line.length > 1) roads.push({ type: 'Feature', properties: { id: `r${roads.length}` }, geometry: { type: 'LineString', coordinates: line } });
        line = [];
      };
      for (let b = 0; b < n; b++) {
        if (rnd() < 0.1) flush();
        line.push(dir ? pts[a][b] : pts[b][a]);
      }
      flush();
    }
  const plain = buildWalkGraph(roads);
  const renumbered = buildWalkGraph(roads, { reorder: true });

  it('finds, through its grid, exactly the edges whose boxes meet the query, as the plain graph does', () => {
    const g = renumbered;
    expect(g.edgeCount).toBe(plain.edgeCount);
    for (const { box, want } of boxQueries(g, rnd, 300, 150)) {
      expect(g.index!.search(...box).sort((a, b) => a - b)).toEqual(want);
      expect(plain.index!.search(...box).sort((a, b) => a - b)).toEqual(want);
    }
  });

  it('builds the same graph again after a larger and a smaller one (its working arrays are reused, never read stale)', () => {
    // snapshot of everything a build returns, as plain arrays
    const snap = (g: ReturnType<typeof buildWalkGraph>) => ({
      ...[g.nodeX, g.nodeY, g.edgeA, g.edgeB, g.edgeLen, g.edgeRoad, g.adjStart, g.adjTo, g.adjEdge, g.adjLen, g.component, g.componentSize].map((a) => Array.from(a)),
      nodes: g.nodeCount,
      hits: g.index!.search(-300, -300, 300, 300).sort((a, b) => a - b),
    });
    const few = roads.slice(0, 12);
    for (const reorder of [false, true]) {
      const first = snap(buildWalkGraph(few, { reorder }));
      buildWalkGraph(roads, { reorder }); // larger: every working array grows and is filled
      expect(snap(buildWalkGraph(few, { reorder }))).toEqual(first);
      expect(snap(buildWalkGraph(roads, { reorder }))).toEqual(snap(reorder ? renumbered : plain));
    }
  });
});

describe('merging vertices into nodes (NodeTable)', () => {
  // the same merge written plainly: a Map from the key at 0.1 m to the first vertex's node id
  const reference = (pts: [number, number][]) => {
    const ids = new Map<string, number>();
    return pts.map(([x, y]) => {
      const k = `${Math.round(x / 0.1)},${Math.round(y / 0.1)}`;
      if (!ids.has(k)) ids.set(k, ids.size);
      return ids.get(k)!;
    });
  };
  const HALF = 2 ** 25;
  const merge = (pts: [number, number][], shift: number) => {
    const t = new NodeTable(pts.length, shift);
    const ids = pts.map(([x, y]) => t.get(Math.round(x / 0.1) + HALF, Math.round(y / 0.1) + HALF, x, y));
    return { ids, scattered: t.scattered };
  };
  let seed = 11;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);

  it('numbers nodes in the order lines first reach them, with cells of the segments’ size', () => {
    // a street grid at 10 m (cells of 2^6 quanta = 6.4 m): most vertices met twice
    const pts: [number, number][] = [];
    for (let i = 0; i < 3000; i++) pts.push([Math.floor(rnd() * 60) * 10 + (rnd() < 0.5 ? 0.04 : 0), Math.floor(rnd() * 60) * 10]);
    const { ids, scattered } = merge(pts, 6);
    expect(ids).toEqual(reference(pts));
    expect(scattered).toBe(false);
  });

  it('gives up its cells for a scattering hash when vertices crowd into a few of them, with the same node ids', () => {
    // 4,000 distinct vertices within 8 × 8 m, in cells of 2^12 quanta (410 m): every probe hits the same run
    const pts: [number, number][] = [];
    for (let i = 0; i < 6000; i++) pts.push([Math.floor(rnd() * 80) / 10, Math.floor(rnd() * 50) / 10]);
    const { ids, scattered } = merge(pts, 12);
    expect(ids).toEqual(reference(pts));
    expect(scattered).toBe(true);
  });

  it('builds the same graph from long streets with a crowded corner as a plain merge does', () => {
    // 200 streets of 1 km (mean segment ~500 m), and 3,000 short pieces inside 5 × 5 m
    const o = [121.55, 29.9];
    const m = (x: number, y: number) => [o[0] + x / 96_500, o[1] + y / 111_000];
    const roads: RoadLike[] = [];
    for (let i = 0; i < 200; i++) roads.push({ type: 'Feature', properties: { id: `s${i}` }, geometry: { type: 'LineString', coordinates: [m(i * 20, 0), m(i * 20, 500), m(i * 20, 1000)] } });
    for (let i = 0; i < 3000; i++) {
      const x = rnd() * 5;
      const y = rnd() * 5;
      roads.push({ type: 'Feature', properties: { id: `c${i}` }, geometry: { type: 'LineString', coordinates: [m(x, y), m(x + 0.3, y + 0.2)] } });
    }
    const g = buildWalkGraph(roads);
    const local = (p: number[]): [number, number] => [(p[0] - g.proj.lon0) * g.proj.kx, (p[1] - g.proj.lat0) * g.proj.ky];
    const lines = roads.map((r) => (r.geometry as LineString).coordinates.map(local));
    const ids = reference(lines.flat());
    const edges: number[][] = [];
    let k = 0;
    for (const line of lines) {
      for (let i = 0; i + 1 < line.length; i++) if (ids[k + i] !== ids[k + i + 1]) edges.push([ids[k + i], ids[k + i + 1]]);
      k += line.length;
    }
    expect(g.nodeCount).toBe(new Set(ids).size);
    expect(Array.from({ length: g.edgeCount }, (_, e) => [g.edgeA[e], g.edgeB[e]])).toEqual(edges);
  });
});
