import { describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection, LineString, Point, Position } from 'geojson';
import { boxQueries, byRole, deepFreeze, expectedFor, fixtureCases } from './fixtures.testutil';
import { assembleCoverage } from './coverage';
import { applyNetworkEdits, closureAffects, networkEffect, remapSnap, type NetworkClosure, type NetworkEdits, type NetworkLink } from './netedit';
import { improveByEdges, multiSourceReach, type ReachField } from './reach';
import { buildWalkGraph, type RoadLike, type WalkGraph } from './walkgraph';
import { snapLonLat, type Snap } from './snap';
import { HIDDEN, surfaceLines } from './surface';
import { pointSegment } from './localproj';
import { CoverageEngine, type EngineData } from '../worker/engine';
import { DEFAULT_PARAMS } from '../domain/standards';
import { bbox } from '@turf/turf';

/** Plain Dijkstra from one snapped source: O(V²) array scan, no queue (the reference). */
function plainDijkstra(g: WalkGraph, s: Snap): Float64Array {
  const dist = new Float64Array(g.nodeCount).fill(Infinity);
  const done = new Uint8Array(g.nodeCount);
  dist[g.edgeA[s.edge]] = s.snapDist + s.toA;
  dist[g.edgeB[s.edge]] = Math.min(dist[g.edgeB[s.edge]], s.snapDist + s.toB);
  for (;;) {
    let u = -1;
    for (let v = 0; v < g.nodeCount; v++) if (!done[v] && dist[v] < Infinity && (u < 0 || dist[v] < dist[u])) u = v;
    if (u < 0) return dist;
    done[u] = 1;
    for (let k = g.adjStart[u]; k < g.adjStart[u + 1]; k++) dist[g.adjTo[k]] = Math.min(dist[g.adjTo[k]], dist[u] + g.adjLen[k]);
  }
}

/** distance at a point snapped on the graph (from either end of its edge); Infinity when unreachable */
function at(g: WalkGraph, dist: Float64Array, s: Snap | null): number {
  if (!s) return Infinity;
  return s.snapDist + Math.min(dist[g.edgeA[s.edge]] + s.toA, dist[g.edgeB[s.edge]] + s.toB);
}

function editsOf(fc: { features: Feature[] }): NetworkEdits {
  const links = byRole<Feature<LineString, { id: string; kind: NetworkLink['kind'] }>>(fc as never, 'link').map((f) => ({ id: f.properties.id, kind: f.properties.kind, coords: f.geometry.coordinates as [number, number][] }));
  const closures = byRole<Feature<LineString, { id: string }>>(fc as never, 'closure').map((f): NetworkClosure => ({ id: f.properties.id, a: f.geometry.coordinates[0] as [number, number], b: f.geometry.coordinates[1] as [number, number] }));
  return { links, closures };
}

/**
 * The reference network, built independently from lines: the roads with a vertex added where a link joins
 * mid-segment, the closed segments cut out, the links as they were joined — then buildWalkGraph from scratch.
 */
function referenceRoads(roads: readonly RoadLike[], joined: { id: string; coords: [number, number][] }[], closures: readonly NetworkClosure[]): RoadLike[] {
  const ends = joined.flatMap((l) => [l.coords[0], l.coords[l.coords.length - 1]]);
  const same = (p: Position, q: readonly number[]) => Math.abs(p[0] - q[0]) < 1e-9 && Math.abs(p[1] - q[1]) < 1e-9;
  const out: RoadLike[] = [];
  for (const r of roads) {
    const line = (r.geometry as LineString).coordinates;
    const withJoins: Position[] = [line[0]];
    for (let i = 1; i < line.length; i++) {
      const a = line[i - 1];
      const b = line[i];
      const on = ends.filter((p) => !same(a, p) && !same(b, p) && pointSegment(p[0], p[1], a[0], a[1], b[0], b[1]).d < 1e-9);
      on.sort((p, q) => Math.hypot(p[0] - a[0], p[1] - a[1]) - Math.hypot(q[0] - a[0], q[1] - a[1]));
      withJoins.push(...on, b);
    }
    let piece: Position[] = [withJoins[0]];
    for (let i = 1; i < withJoins.length; i++) {
      const a = withJoins[i - 1];
      const b = withJoins[i];
      const cut = closures.some((c) => (same(a, c.a) && same(b, c.b)) || (same(a, c.b) && same(b, c.a)));
      if (cut) {
        if (piece.length > 1) out.push({ ...r, geometry: { type: 'LineString', coordinates: piece } });
        piece = [b];
      } else piece.push(b);
    }
    if (piece.length > 1) out.push({ ...r, geometry: { type: 'LineString', coordinates: piece } });
  }
  for (const l of joined) out.push({ type: 'Feature', properties: { id: `link:${l.id}` }, geometry: { type: 'LineString', coordinates: l.coords } });
  return out;
}

function run(fc: { features: Feature[] }) {
  const roads = byRole<RoadLike>(fc as never, 'road');
  const edits = editsOf(fc);
  const facility = byRole<Feature<Point>>(fc as never, 'facility')[0];
  const probes = byRole<Feature<Point, { id: string }>>(fc as never, 'probe');
  const base = buildWalkGraph(roads, { reorder: true });
  const src = snapLonLat(base, facility.geometry.coordinates[0], facility.geometry.coordinates[1])!;
  const before = multiSourceReach(base, [src], { pred: false });
  const edited = applyNetworkEdits(base, edits);
  const src2 = remapSnap(edited, src, 400)!;
  const full = closureAffects(base, before.dist, [src], edited.delta.closed);
  const after: ReachField = full ? multiSourceReach(edited.graph, [src2], { pred: false }) : improveByEdges(edited.graph, before, [src2], edited.delta.added);
  const probeSnap = (p: Feature<Point>) => snapLonLat(base, p.geometry.coordinates[0], p.geometry.coordinates[1]);
  return { roads, edits, base, before, edited, src2, full, after, probes, probeSnap };
}

describe('network edits: fixtures (test/fixtures/netedit)', () => {
  for (const c of fixtureCases('netedit'))
    it(c.name, () => {
      const r = run(c.input);
      // 1. the incremental field equals a full search on the edited graph at every node
      const fresh = multiSourceReach(r.edited.graph, [r.src2], { pred: false });
      for (let v = 0; v < r.edited.graph.nodeCount; v++) {
        if (!Number.isFinite(fresh.dist[v])) expect(r.after.dist[v]).toBe(Infinity);
        else expect(r.after.dist[v]).toBeCloseTo(fresh.dist[v], 6);
      }
      // 2. … and a plain Dijkstra on a network built from scratch from the edited lines, at every probe
      const ref = buildWalkGraph(referenceRoads(r.roads, r.edited.joined, r.edits.closures));
      const fx = byRole<Feature<Point>>(c.input, 'facility')[0];
      const refDist = plainDijkstra(ref, snapLonLat(ref, fx.geometry.coordinates[0], fx.geometry.coordinates[1])!);
      const rows = r.probes.map((p) => {
        const s = r.probeSnap(p);
        const beforeM = at(r.base, r.before.dist, s);
        const afterM = at(r.edited.graph, r.after.dist, s ? remapSnap(r.edited, s, 400) : null);
        const refM = at(ref, refDist, snapLonLat(ref, p.geometry.coordinates[0], p.geometry.coordinates[1]));
        if (Number.isFinite(refM)) expect(afterM).toBeCloseTo(refM, 6);
        else expect(afterM).toBe(Infinity);
        return { ...p, properties: { ...p.properties, beforeM: Number.isFinite(beforeM) ? beforeM : 'unreachable', afterM: Number.isFinite(afterM) ? afterM : 'unreachable' } };
      });
      const out = {
        type: 'FeatureCollection',
        properties: { ...c.params, searched: r.full ? 'full (a closed segment was on a shortest path)' : 'incremental', unmatched: r.edited.unmatched },
        features: [
          ...byRole(c.input, 'road').map((f) => ({ ...f, properties: { ...f.properties, stroke: '#888888' } })),
          ...r.edited.joined.map((l) => ({ type: 'Feature', properties: { role: 'joined-link', id: l.id, kind: l.kind, lengthM: l.lengthM, stroke: '#059669' }, geometry: { type: 'LineString', coordinates: l.coords } })),
          ...r.edited.joins.map((j) => ({ type: 'Feature', properties: { role: 'join', link: j.link, end: j.end, how: j.how, gapM: j.gapM, 'marker-color': '#059669' }, geometry: j.at ? { type: 'Point', coordinates: j.at } : null })),
          ...byRole(c.input, 'closure').map((f) => ({ ...f, properties: { ...f.properties, stroke: '#dc2626' } })),
          ...byRole(c.input, 'facility'),
          ...rows,
        ],
      } as unknown as FeatureCollection;
      const { actual, expected } = expectedFor(c, out);
      expect(actual).toEqual(expected);
    });
});

describe('network edits: what the user relies on', () => {
  const cases = Object.fromEntries(fixtureCases('netedit').map((c) => [c.name, c.input]));

  it('a new footbridge shortens the walk across the river to the bridge itself', () => {
    const r = run(cases['new-bridge']);
    const south0 = r.probes.find((p) => p.properties.id === 'south-0')!;
    const s = r.probeSnap(south0)!;
    expect(at(r.base, r.before.dist, s)).toBeCloseTo(5 + 1000 + 120 + 1000 + 10, 1);
    expect(at(r.edited.graph, r.after.dist, remapSnap(r.edited, s, 400))).toBeCloseTo(5 + 120 + 10, 1);
    expect(r.full).toBe(false);
  });

  it('a link whose ends fall mid-segment splits both segments and joins there', () => {
    const r = run(cases['bridge-mid-segment']);
    expect(r.edited.joins.map((j) => j.how)).toEqual(['edge', 'edge']);
    for (const j of r.edited.joins) expect(j.gapM).toBeCloseTo(4, 2);
    expect(r.edited.delta.split).toHaveLength(2);
  });

  it('closing the only bridge disconnects: the far bank becomes unreachable, never 0', () => {
    const r = run(cases['close-only-bridge']);
    expect(r.full).toBe(true);
    const south0 = r.probes.find((p) => p.properties.id === 'south-0')!;
    const s = r.probeSnap(south0)!;
    expect(at(r.edited.graph, r.after.dist, remapSnap(r.edited, s, 400))).toBe(Infinity);
    expect(r.edited.graph.componentSize.length).toBe(2);
  });

  it('a closure off every shortest path keeps the distances and needs no new search', () => {
    const r = run(cases['close-off-path']);
    expect(r.full).toBe(false);
  });

  it('a closure that matches no segment is reported, not guessed', () => {
    const r = run(cases['new-bridge']);
    const e = applyNetworkEdits(r.base, { links: [], closures: [{ id: 'C9', a: [121.6, 29.95], b: [121.601, 29.95] }] });
    expect(e.unmatched).toEqual(['C9']);
    expect(e.graph.edgeCount).toBe(r.base.edgeCount);
  });

  it('a link end with no street within reach stays loose and says so', () => {
    const r = run(cases['new-bridge']);
    const e = applyNetworkEdits(r.base, { links: [{ id: 'L9', kind: 'footpath', coords: [[121.55, 29.89], [121.56, 29.91]] }], closures: [] });
    expect(e.joins.find((j) => j.end === 'end')?.how).toBe('loose');
  });
});

describe('network edits in the engine: coverage before → after', () => {
  // one community on the south bank, a kindergarten on the north bank; the river has one bridge 1 km east
  const fc = fixtureCases('netedit').find((c) => c.name === 'new-bridge')!.input;
  const roads = byRole<RoadLike>(fc, 'road');
  const link = editsOf(fc).links[0];
  const probe = byRole<Feature<Point>>(fc, 'probe')[0];
  const fac = byRole<Feature<Point>>(fc, 'facility')[0];
  const data = deepFreeze({
    communities: [{ type: 'Feature', geometry: probe.geometry, properties: { id: 'C1', name: 'South', residents: 2140 } }],
    gates: [],
    facilities: [{ type: 'Feature', geometry: fac.geometry, properties: { id: 'K1', category: 'kindergarten' } }],
    roads,
  }) as unknown as EngineData;
  const req = { standardId: 'gb50180' as const, params: DEFAULT_PARAMS, mode: 'network' as const };
  const kg = (t: ReturnType<CoverageEngine['coverageTables']>['result']) => {
    const k = t.rules.findIndex((r) => r.category === 'kindergarten');
    return t.dist[k];
  };

  it('a footbridge makes the kindergarten reachable within 300 m; the loaded network is the "before"', () => {
    const engine = new CoverageEngine();
    engine.load(data);
    const before = engine.coverageTables(req).result;
    expect(kg(before)).toBeGreaterThan(2000);
    const searches = engine.searchCount;
    engine.setNetworkEdits({ links: [link], closures: [] });
    const reply = engine.coverageTables({ ...req, withNetworkBaseline: true });
    expect(kg(reply.result)).toBeCloseTo(135, 2);
    expect(kg(reply.networkBaseline!)).toBeCloseTo(kg(before), 6);
    // carried over from the cached field, not searched again
    expect(engine.derivedCount).toBeGreaterThan(0);
    expect(engine.searchCount).toBe(searches);
  });

  it('a network edit leaves the straight-line and buffer comparisons as they were (the same tables as on a fresh engine)', () => {
    const edits = { links: [link], closures: [] };
    const carried = new CoverageEngine();
    carried.load(data);
    for (const mode of ['buffer', 'straight'] as const) carried.coverageTables({ ...req, mode });
    carried.setNetworkEdits(edits);
    const fresh = new CoverageEngine();
    fresh.load(data);
    fresh.setNetworkEdits(edits);
    for (const mode of ['buffer', 'straight'] as const) {
      const a = carried.coverageTables({ ...req, mode }).result;
      const b = fresh.coverageTables({ ...req, mode }).result;
      expect(Array.from(a.dist)).toEqual(Array.from(b.dist));
      expect(Array.from(a.facility)).toEqual(Array.from(b.facility));
      expect(kg(a)).toBeGreaterThan(0);
    }
    // and with a what-if facility on top (merged with the carried evaluation, which stays as it was)
    const extra = [{ type: 'Feature', geometry: probe.geometry, properties: { id: 'P1', category: 'kindergarten' } }] as never;
    expect(kg(carried.coverageTables({ ...req, mode: 'buffer', extraFacilities: extra }).result)).toBeLessThan(1);
    expect(kg(carried.coverageTables({ ...req, mode: 'buffer' }).result)).toBe(kg(fresh.coverageTables({ ...req, mode: 'buffer' }).result));
  });

  // the cache keeps each field's per-node sources packed (16-bit below 2¹⁵ sources, else 32-bit): a field
  // carried over from them must name the same nearest facilities as a search on the edited network
  for (const stacked of [0, 2 ** 15]) {
    it(`a field carried over from kept sources equals a fresh search (${stacked + 60} kindergartens)`, () => {
      const [x0, y0, x1, y1] = bbox({ type: 'FeatureCollection', features: roads } as FeatureCollection);
      let seed = 7;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      const pt = () => ({ type: 'Point', coordinates: [x0 + rnd() * (x1 - x0), y0 + rnd() * (y1 - y0)] });
      const many = {
        ...data,
        communities: Array.from({ length: 25 }, (_, i) => ({ type: 'Feature', geometry: pt(), properties: { id: `C${i}`, name: `C${i}`, residents: 100 } })),
        // `stacked` kindergartens on one corner first (so the nearest ones, at random points, have indices above 2¹⁵)
        facilities: Array.from({ length: stacked + 60 }, (_, i) => ({ type: 'Feature', geometry: i < stacked ? { type: 'Point', coordinates: [x0, y0] } : pt(), properties: { id: `K${i}`, category: 'kindergarten' } })),
      } as unknown as EngineData;
      const carried = new CoverageEngine();
      carried.load(many);
      carried.coverageTables(req);
      carried.setNetworkEdits({ links: [link], closures: [] });
      const a = carried.coverageTables(req).result;
      expect(carried.derivedCount).toBeGreaterThan(0);
      const fresh = new CoverageEngine();
      fresh.load(many);
      fresh.setNetworkEdits({ links: [link], closures: [] });
      const b = fresh.coverageTables(req).result;
      expect(fresh.derivedCount).toBe(0);
      const k = a.rules.findIndex((r) => r.category === 'kindergarten');
      const col = (t: typeof a, arr: ArrayLike<number>) => Array.from({ length: 25 }, (_, i) => arr[i * t.rules.length + k]);
      expect(col(a, a.facility)).toEqual(col(b, b.facility));
      expect(col(a, a.dist)).toEqual(col(b, b.dist));
      // several different facilities are named, beyond index 2¹⁵ in the large case
      expect(new Set(col(a, a.facility)).size).toBeGreaterThan(5);
      expect(col(a, a.facility).filter((f) => f >= stacked).length).toBeGreaterThan(12);
    });
  }

  it('isochrones and the accessibility surface use the edited network too', () => {
    const engine = new CoverageEngine();
    engine.load(data);
    const iso = () => engine.isochrone({ communityId: 'C1', params: DEFAULT_PARAMS });
    const surf = () => engine.surface({ standardId: 'gb50180', params: DEFAULT_PARAMS, category: 'kindergarten' })!;
    expect(iso().facilities.map((f) => f.id)).toEqual([]);
    const classesBefore = JSON.stringify(surf());
    engine.setNetworkEdits({ links: [link], closures: [] });
    // the kindergarten across the new footbridge lies inside the 5-minute band now
    expect(iso().facilities.map((f) => f.id)).toEqual(['K1']);
    expect(iso().facilities[0].distance_m).toBeLessThan(300);
    expect(JSON.stringify(surf())).not.toBe(classesBefore);
    // and back: no edits → the loaded network
    engine.setNetworkEdits({ links: [], closures: [] });
    expect(iso().facilities.map((f) => f.id)).toEqual([]);
  });

  it('on the edited network, the surface keeps the loaded lines: kept edges recoloured, split ones hidden, added edges apart', () => {
    const engine = new CoverageEngine();
    engine.load(data);
    const req = { standardId: 'gb50180' as const, params: DEFAULT_PARAMS, category: 'kindergarten' };
    const before = engine.surface(req)!;
    expect(before.lines!.length).toBe(4 * before.cls.length);
    engine.setNetworkEdits({ links: [link], closures: [] });
    const after = engine.surface({ ...req, haveLinesOf: before.graph })!;
    // the same numbering (the loaded graph's), so no lines are sent again
    expect(after.graph).toBe(before.graph);
    expect(after.lines).toBeUndefined();
    expect(after.cls.length).toBe(before.cls.length);
    // the same surface as the edited graph's own, edge for edge
    const net = applyNetworkEdits(buildWalkGraph(roads, { reorder: true }), { links: [link], closures: [] });
    const own = surfaceLines(net.graph);
    const { edgeMap, added } = net.delta;
    const hiddenOf = (r: typeof after) => [...r.cls.keys()].filter((e) => r.cls[e] === HIDDEN);
    expect(hiddenOf(after)).toEqual([...edgeMap.keys()].filter((e) => edgeMap[e] < 0));
    const mine = engine.surface({ ...req, haveLinesOf: -1 })!;
    expect(Array.from(mine.lines!)).toEqual(Array.from(before.lines!));
    expect(Array.from(after.extra!.lines)).toEqual(added.flatMap((e) => Array.from(own.subarray(4 * e, 4 * e + 4))));
    // the footbridge itself is near the kindergarten (class 0), and streets beyond it became nearer
    expect(after.extra!.cls.some((c) => c === 0)).toBe(true);
    expect([...after.cls.keys()].some((e) => after.cls[e] >= 0 && after.cls[e] < before.cls[e])).toBe(true);
    // lengths are the edited network's
    expect(after.lengthM.reduce((a, b) => a + b, 0)).toBeGreaterThan(before.lengthM.reduce((a, b) => a + b, 0));
    // a closed segment is hidden, in the same numbering
    const closures = editsOf(fixtureCases('netedit').find((c) => c.name === 'close-only-bridge')!.input).closures;
    engine.setNetworkEdits({ links: [link], closures });
    const closed = engine.surface({ ...req, haveLinesOf: before.graph })!;
    expect(closed.graph).toBe(before.graph);
    const net2 = applyNetworkEdits(buildWalkGraph(roads, { reorder: true }), { links: [link], closures });
    expect(net2.delta.closed.length).toBeGreaterThan(0);
    expect(hiddenOf(closed)).toEqual([...net2.delta.edgeMap.keys()].filter((e) => net2.delta.edgeMap[e] < 0));
    // and back: the loaded network, nothing hidden, nothing added
    engine.setNetworkEdits({ links: [], closures: [] });
    const back = engine.surface({ ...req, haveLinesOf: before.graph })!;
    expect(Array.from(back.cls)).toEqual(Array.from(before.cls));
    expect(back.extra).toBeUndefined();
  });

  it('closing the only bridge: the kindergarten is unreachable (no distance, unmet), never 0', () => {
    const engine = new CoverageEngine();
    engine.load(data);
    const closures = editsOf(fixtureCases('netedit').find((c) => c.name === 'close-only-bridge')!.input).closures;
    engine.setNetworkEdits({ links: [], closures });
    const r = engine.coverage(req);
    const k = r.rules.findIndex((x) => x.category === 'kindergarten');
    expect(r.communities[0].byCategory[k].distance).toBeNull();
    expect(r.communities[0].byCategory[k].met).toBe(false);
    expect(r.communities[0].lacking).toContain('kindergarten');
  });
});

describe('network effect sentences: gains and losses apart', () => {
  it('counts the communities and residents a footbridge brings within reach, and a life circle it completes', () => {
    const fc = fixtureCases('netedit').find((c) => c.name === 'new-bridge')!.input;
    const probe = byRole<Feature<Point>>(fc, 'probe')[0];
    const mk = (id: string, residents: number) => ({ type: 'Feature', geometry: probe.geometry, properties: { id, name: id, residents } });
    const data = {
      communities: [mk('A', 1200), mk('B', 940)],
      gates: [],
      facilities: [{ type: 'Feature', geometry: byRole<Feature<Point>>(fc, 'facility')[0].geometry, properties: { id: 'K1', category: 'kindergarten' } }],
      roads: byRole<RoadLike>(fc, 'road'),
    } as unknown as EngineData;
    const engine = new CoverageEngine();
    engine.load(data);
    engine.setNetworkEdits({ links: editsOf(fc).links, closures: [] });
    const req = { standardId: 'gb50180' as const, params: DEFAULT_PARAMS, mode: 'network' as const };
    const reply = engine.coverageTables({ ...req, withNetworkBaseline: true });
    const layout = { communities: ['A', 'B'].map((id) => ({ id, name: id, street: '', residents: id === 'A' ? 1200 : 940, originKind: 'centroid' as const, origins: [`${id}#centroid`] })) };
    const e = networkEffect(assembleCoverage(layout, reply.networkBaseline!, () => 'K1'), assembleCoverage(layout, reply.result, () => 'K1'));
    const kg = e.perCategory.find((p) => p.category === 'kindergarten')!;
    expect(kg.gained).toEqual({ communities: ['A', 'B'], residents: 2140 });
    expect(kg.lost.communities).toEqual([]);
    // other mandatory categories have no facility here: no life circle becomes complete
    expect(e.completed.communities).toEqual([]);
  });
});

describe('the edited graph’s spatial index (snapping on the planned network)', () => {
  // a 20 × 20 street grid (about 80 m blocks, jittered), lon/lat around Jiangbei
  let seed = 11;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const n = 20;
  const ll = (x: number, y: number): [number, number] => [121.55 + x / 96_500, 29.9 + y / 111_000];
  const pts = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => ll(i * 80 + (rnd() - 0.5) * 20, j * 80 + (rnd() - 0.5) * 20)));
  const roads: RoadLike[] = [];
  for (let a = 0; a < n; a++)
    for (const dir of [0, 1]) roads.push({ type: 'Feature', properties: { id: `r${roads.length}` }, geometry: { type: 'LineString', coordinates: pts.map((_, b) => (dir ? pts[a][b] : pts[b][a])) } });
  const g = buildWalkGraph(roads, { reorder: true });
  const lonLat = (v: number): [number, number] => [g.proj.lon0 + g.nodeX[v] / g.proj.kx, g.proj.lat0 + g.nodeY[v] / g.proj.ky];
  const edits = (links: number): NetworkEdits => ({
    // links between random points inside the grid: their ends split the streets they join
    links: Array.from({ length: links }, (_, i) => ({ id: `L${i}`, kind: 'footpath' as const, coords: [ll(40 + rnd() * 1400, 40 + rnd() * 1400), ll(40 + rnd() * 1400, 40 + rnd() * 1400)] })),
    closures: [3, 50, 51, 400].map((e) => ({ id: `C${e}`, a: lonLat(g.edgeA[e]), b: lonLat(g.edgeB[e]) })),
  });

  for (const links of [3, 200]) {
    it(`finds exactly the edges whose boxes meet the query, never a closed one (${links} links)`, () => {
      const net = applyNetworkEdits(g, edits(links));
      const h = net.graph;
      expect(net.delta.closed.length).toBe(4);
      expect(net.delta.added.length).toBeGreaterThan(links * 2);
      for (const { box, want } of boxQueries(h, rnd, 300, 120)) expect(h.index!.search(...box).sort((a, b) => a - b)).toEqual(want);
    });
  }
});
