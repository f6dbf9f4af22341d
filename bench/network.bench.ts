/**
 * Network-edit benchmark (`npm run bench -- network`, issue 14 慢行系统): the engine time from a new network
 * link (or a closed segment) to the coverage tables the map is recoloured from, on the default dataset.
 *  - ours: CoverageEngine.setNetworkEdits (netedit.ts: the link joined, the graph's arrays extended, snaps
 *    carried over) + coverageTables (every category's field carried over from the cached one by an
 *    improve-only search seeded at the added edges — reach.ts improveByEdges);
 *  - the strongest simple alternative: rebuild the walk graph from the roads plus the link as a road
 *    (buildWalkGraph, renumbered as the engine does), snap the gates and facilities again, and run coverage
 *    from scratch (one exact search per category).
 * A closed segment on a shortest path is measured the same way (affected categories searched again).
 * Scenarios: the default dataset; a generated city of 100,000 edges (coverage.bench.ts generateCity).
 * Both give the same tables (the largest difference is printed). Figures printed and recorded, never asserted.
 */
import { readFileSync } from 'node:fs';
import type { Feature, Point } from 'geojson';
import { parseLayer } from '../src/lib/data/load.ts';
import type { Dataset } from '../src/lib/domain/types.ts';
import { DEFAULT_PARAMS, STANDARDS } from '../src/lib/domain/standards.ts';
import { buildWalkGraph, type RoadLike } from '../src/lib/analysis/walkgraph.ts';
import { CoverageCache, coverageTables, prepareCoverage, type CoverageTables } from '../src/lib/analysis/coverage.ts';
import { multiSourceReach } from '../src/lib/analysis/reach.ts';
import { snapLonLat } from '../src/lib/analysis/snap.ts';
import { toLonLat } from '../src/lib/analysis/localproj.ts';
import type { NetworkEdits } from '../src/lib/analysis/netedit.ts';
import { CoverageEngine, type EngineData } from '../src/lib/worker/engine.ts';
import { compare, line, measure } from './figures.ts';
import { generateCity } from './coverage.bench.ts';

async function layer<T = Feature>(name: keyof Dataset): Promise<T[]> {
  return (await parseLayer(name, new Uint8Array(readFileSync(`public/data/${name}.fgb`)), `${name}.fgb`)) as unknown as T[];
}

function maxDiff(a: CoverageTables, b: CoverageTables): number {
  let m = 0;
  for (let i = 0; i < a.dist.length; i++) {
    const x = a.dist[i];
    const y = b.dist[i];
    if (x === y) continue;
    m = Math.max(m, Number.isFinite(x) && Number.isFinite(y) ? Math.abs(x - y) : Infinity);
  }
  return m;
}

export async function run(): Promise<void> {
  const metro = await layer<Feature<Point, { id: string; name: string }>>('metro');
  const data = {
    communities: await layer('communities'),
    gates: await layer('gates'),
    facilities: [...(await layer('facilities')), ...metro.map((m) => ({ ...m, properties: { id: m.properties.id, name: m.properties.name, category: 'metro' } }))],
    roads: await layer('roads'),
  } as unknown as EngineData;
  console.log('(1) the default dataset');
  scenario('default', data);
  const city = generateCity(100_000);
  console.log('\n(2) a generated city (bench/coverage.bench.ts generateCity): 100,000-edge grid, 2,000 communities, 20,000 facilities (GB 50180 categories)');
  scenario('city', { communities: city.communities, gates: city.gates, facilities: city.facilities, roads: city.roads });
}

function scenario(prefix: string, data: EngineData): void {
  const req = { standardId: 'gb50180' as const, params: DEFAULT_PARAMS, mode: 'network' as const };
  const engine = new CoverageEngine();
  const summary = engine.load(data);
  engine.coverageTables(req); // the fields of the loaded network, as after the app's first coverage

  // the link: from a node near the first gate to the node 150–300 m away (straight) that is the longest walk
  // away — a missing footbridge; both ends are existing vertices, so a plain rebuild joins them too
  const g = buildWalkGraph(data.roads, { reorder: true });
  const gate = data.gates[0] as unknown as Feature<Point>;
  const s = snapLonLat(g, gate.geometry.coordinates[0], gate.geometry.coordinates[1])!;
  const a = g.edgeA[s.edge];
  const f = multiSourceReach(g, [{ ...s, toA: 0, toB: g.edgeLen[s.edge], snapDist: 0 }], { pred: true });
  let b = -1;
  for (let v = 0; v < g.nodeCount; v++) {
    const d = Math.hypot(g.nodeX[v] - g.nodeX[a], g.nodeY[v] - g.nodeY[a]);
    if (d >= 150 && d <= 300 && Number.isFinite(f.dist[v]) && (b < 0 || f.dist[v] > f.dist[b])) b = v;
  }
  const ll = (n: number) => toLonLat(g.proj, g.nodeX[n], g.nodeY[n]) as [number, number];
  const link = { id: 'L1', kind: 'bridge' as const, coords: [ll(a), ll(b)] };
  const straight = Math.hypot(g.nodeX[b] - g.nodeX[a], g.nodeY[b] - g.nodeY[a]);
  console.log(`  ${summary.nodes} nodes, ${summary.edges} edges; link ${straight.toFixed(0)} m straight, ${f.dist[b].toFixed(0)} m walk before`);

  // a closed segment on a shortest path: the edge entering b's predecessor chain
  const p = f.pred![b];
  const closure = { id: 'C1', a: ll(p), b: ll(b) };

  const rebuild = (edits: NetworkEdits) => {
    const extra: RoadLike[] = edits.links.map((l) => ({ type: 'Feature', properties: { id: `link:${l.id}` }, geometry: { type: 'LineString', coordinates: l.coords } }));
    let roads = [...data.roads, ...extra];
    if (edits.closures.length) {
      // the closed segment removed from its road (the road split in two at it)
      const same = (q: number[], r: readonly number[]) => Math.abs(q[0] - r[0]) < 1e-9 && Math.abs(q[1] - r[1]) < 1e-9;
      const c = edits.closures[0];
      roads = roads.flatMap((r) => {
        if (r.geometry?.type !== 'LineString') return [r];
        const cs = r.geometry.coordinates;
        const i = cs.findIndex((q, k) => k + 1 < cs.length && ((same(q, c.a) && same(cs[k + 1], c.b)) || (same(q, c.b) && same(cs[k + 1], c.a))));
        if (i < 0) return [r];
        return [cs.slice(0, i + 1), cs.slice(i + 1)].filter((x) => x.length > 1).map((coordinates) => ({ ...r, geometry: { type: 'LineString' as const, coordinates } }));
      });
    }
    const graph = buildWalkGraph(roads, { reorder: true });
    const ctx = prepareCoverage(data.communities, data.gates, graph);
    const cache = new CoverageCache(ctx, data.facilities).prepare();
    return coverageTables(ctx, data.facilities, STANDARDS.gb50180, DEFAULT_PARAMS, { mode: 'network', cache });
  };

  for (const [label, edits] of [
    ['a new footbridge', { links: [link], closures: [] }],
    ['a closed segment on a shortest path', { links: [], closures: [closure] }],
  ] as [string, NetworkEdits][]) {
    let ours: CoverageTables | null = null;
    let theirs: CoverageTables | null = null;
    const fo = measure(`${prefix}/network edit → coverage tables: ${label} (ours: carried over)`, () => {
      engine.setNetworkEdits(edits);
      ours = engine.coverageTables(req).result;
    }, 7, () => engine.setNetworkEdits({ links: [], closures: [] }));
    const fb = measure(`${prefix}/network edit → coverage tables: ${label} (rebuild graph + coverage)`, () => {
      theirs = rebuild(edits);
    }, 7);
    compare(fo, fb);
    fo.note = `derived ${engine.derivedCount} fields; max |Δ| vs rebuild ${maxDiff(ours!, theirs!).toFixed(6)} m`;
    console.log(line(fb));
    console.log(line(fo));
  }
}
