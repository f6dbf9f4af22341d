/**
 * Coverage benchmark (`npm run bench -- coverage`). What it compares, in the same run, interleaved (one run of each
 * per round, so that a drift of the machine's speed hits all alike):
 *  - ours: the worker path the app uses: every category's field searched (fieldsearch.ts, exact distances with
 *    no bound), side by side on a pool of search workers (one per core beyond this one, worker_threads here,
 *    Web Workers in the app) and this thread (fieldpool.ts warmFields), the tables filled (coverageTables) and
 *    moved across a structured-clone boundary with their buffers transferred (as postMessage does); the same
 *    with the result objects assembled (the main thread's part); and all of it in one thread, no pool;
 *  - the strong baseline: one search per community from its gates, bounded at the largest tier distance
 *    (1,000 m), reusing its arrays (distance array reset through a touched list, one binary heap), reading
 *    facilities off an edge → facilities index: the met/unmet answers of every category at once;
 *  - SciPy's compiled csgraph Dijkstra on the same graph and sources, where SciPy is installed.
 * Edits: a what-if facility (one improve-only search from the cached fields) and a threshold change
 * (no search), engine alone and engine + transfer + assembly (the result; the baseline is cached).
 * Our caches are configured as the engine's (APP_CACHE: per-node sources kept for network edits).
 * Scenarios: the default dataset (public/data/*.fgb); a generated city of 250,000 edges, 5,000 communities,
 * 50,000 facilities in 20 categories; scaling 25k / 100k / 250k / 1M edges, each in a fresh process (peak
 * resident memory of that process). Figures are printed and recorded (bench/figures.ts), never asserted.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseLayer } from '../src/lib/data/load.ts';
import type { Dataset } from '../src/lib/domain/types.ts';
import type { Feature, Point } from 'geojson';
import { DEFAULT_PARAMS, STANDARDS, type Standard } from '../src/lib/domain/standards.ts';
import { FACILITY_CATEGORIES, type FacilityCategoryCode } from '../src/lib/domain/types.ts';
import { buildWalkGraph, type RoadLike, type WalkGraph } from '../src/lib/analysis/walkgraph.ts';
import {
  assembleCoverage,
  CoverageCache,
  coverageLayout,
  coverageTables,
  prepareCoverage,
  rulesInForce,
  type CommunityInput,
  type CoverageContext,
  type CoverageResult,
  type CoverageTables,
  type FacilityInput,
  type GateInput,
} from '../src/lib/analysis/coverage.ts';
import { MinHeap } from '../src/lib/analysis/reach.ts';
import { snapXY, type Snap } from '../src/lib/analysis/snap.ts';
import { makeProjection, toLonLat, toXY } from '../src/lib/analysis/localproj.ts';
import { compare, figures, fmt, line, measure, measureInterleaved, record, type Figure } from './figures.ts';
import { nodePool } from './fieldpool-node.ts';
import { warmFields, type FieldPool } from '../src/lib/worker/fieldpool.ts';

/**
 * The cache as the engine keeps it (engine.ts): each field's per-node sources kept, so that a network edit can
 * improve the fields instead of searching them again (4 bytes per node per category).
 */
const APP_CACHE = { keepSources: true } as const;

/**
 * The strong baseline: per community, one multi-source search from its gates, stopped at `bound`, arrays
 * reused between communities; each settled node looks at the facilities on its edges. Returns the nearest
 * distance per community × category (Infinity beyond the bound).
 */
function prepareBaseline(ctx: CoverageContext, facilities: readonly FacilityInput[], cats: readonly string[]) {
  const g = ctx.graph!;
  const catOf = new Map(cats.map((c, k) => [c, k]));
  // facilities by edge (CSR), snapped once: prepared at load, like our snap cache
  const snaps: (Snap | null)[] = facilities.map((f) => {
    const [x, y] = toXY(ctx.proj, f.geometry.coordinates[0], f.geometry.coordinates[1]);
    return catOf.has(f.properties.category) ? snapXY(g, x, y, ctx.maxSnapM) : null;
  });
  const start = new Int32Array(g.edgeCount + 1);
  for (const s of snaps) if (s) start[s.edge + 1]++;
  for (let e = 0; e < g.edgeCount; e++) start[e + 1] += start[e];
  const fill = start.slice(0, g.edgeCount);
  const fCat = new Int32Array(start[g.edgeCount]);
  const fA = new Float64Array(fCat.length);
  const fB = new Float64Array(fCat.length);
  const fTo = new Float64Array(fCat.length);
  const fSnap = new Float64Array(fCat.length);
  snaps.forEach((s, i) => {
    if (!s) return;
    const k = fill[s.edge]++;
    fCat[k] = catOf.get(facilities[i].properties.category)!;
    fA[k] = s.snapDist + s.toA;
    fB[k] = s.snapDist + s.toB;
    fTo[k] = s.toA;
    fSnap[k] = s.snapDist;
  });
  return { start, fCat, fA, fB, fTo, fSnap };
}

function strongBaseline(ctx: CoverageContext, prep: ReturnType<typeof prepareBaseline>, C: number, bound: number): Float64Array {
  const g = ctx.graph!;
  const { start, fCat, fA, fB, fTo, fSnap } = prep;
  const out = new Float64Array(ctx.communities.length * C).fill(Infinity);
  const dist = new Float64Array(g.nodeCount).fill(Infinity);
  const touched = new Int32Array(g.nodeCount);
  const heap = new MinHeap(1024);
  const { adjStart, adjTo, adjLen, adjEdge, edgeA } = g;
  ctx.communities.forEach((c, ci) => {
    const best = out.subarray(ci * C, ci * C + C);
    let nt = 0;
    heap.size = 0;
    const seed = (n: number, d: number) => {
      if (d > bound || d >= dist[n]) return;
      if (dist[n] === Infinity) touched[nt++] = n;
      dist[n] = d;
      heap.push(d, n);
    };
    for (const o of c.origins) {
      const s = o.snap;
      if (!s) continue;
      seed(g.edgeA[s.edge], s.snapDist + s.toA);
      seed(g.edgeB[s.edge], s.snapDist + s.toB);
      // facilities on the gate's own edge: along the edge
      for (let k = start[s.edge]; k < start[s.edge + 1]; k++) {
        const along = s.snapDist + Math.abs(fTo[k] - s.toA) + fSnap[k];
        if (along < best[fCat[k]]) best[fCat[k]] = along;
      }
    }
    while (heap.size > 0) {
      const d = heap.peekKey();
      const u = heap.pop();
      if (d > dist[u]) continue;
      for (let k = adjStart[u], end = adjStart[u + 1]; k < end; k++) {
        const e = adjEdge[k];
        const atA = edgeA[e] === u;
        for (let q = start[e]; q < start[e + 1]; q++) {
          const fd = d + (atA ? fA[q] : fB[q]);
          if (fd < best[fCat[q]]) best[fCat[q]] = fd;
        }
        const v = adjTo[k];
        const nd = d + adjLen[k];
        if (nd <= bound && nd < dist[v]) {
          if (dist[v] === Infinity) touched[nt++] = v;
          dist[v] = nd;
          heap.push(nd, v);
        }
      }
    }
    for (let i = 0; i < nt; i++) dist[touched[i]] = Infinity;
  });
  return out;
}

/** Seeded LCG so the generated city is the same every run. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/**
 * A generated city of about `target` edges: a jittered 90 m grid with 11 % of the blocks' sides missing,
 * streets as polylines along the rows and columns (broken where a side is missing), communities and
 * facilities in proportion (5,000 and 50,000 at 250,000 edges), facilities in 20 categories.
 */
export function generateCity(target = 250_000) {
  const rnd = rng(20261126);
  const P = makeProjection(121.55, 29.9);
  const keep = 0.89;
  const n = Math.round(Math.sqrt(target / (2 * keep))) + 1;
  const step = 90;
  const X = new Float64Array(n * n);
  const Y = new Float64Array(n * n);
  for (let k = 0; k < n * n; k++) {
    X[k] = (k % n) * step + (rnd() - 0.5) * 30;
    Y[k] = Math.floor(k / n) * step + (rnd() - 0.5) * 30;
  }
  const roads: RoadLike[] = [];
  const ll = (k: number) => toLonLat(P, X[k], Y[k]);
  for (const dir of [1, n]) {
    for (let line = 0; line < n; line++) {
      let cur: number[] = [];
      const flush = () => {
        if (cur.length > 1) roads.push({ type: 'Feature', properties: { id: `r${roads.length}`, highway: rnd() < 0.1 ? 'primary' : 'residential' }, geometry: { type: 'LineString', coordinates: cur.map(ll) } });
        cur = [];
      };
      for (let i = 0; i + 1 < n; i++) {
        const a = dir === 1 ? line * n + i : i * n + line;
        if (rnd() < keep) {
          if (cur.length === 0) cur.push(a);
          cur.push(a + dir);
        } else flush();
      }
      flush();
    }
  }
  const side = n * step;
  const nc = Math.round(target / 50);
  const communities: CommunityInput[] = [];
  const gates: GateInput[] = [];
  for (let c = 0; c < nc; c++) {
    const cx = rnd() * side;
    const cy = rnd() * side;
    const h = 60 + rnd() * 80;
    const ring = [[cx - h, cy - h], [cx + h, cy - h], [cx + h, cy + h], [cx - h, cy + h], [cx - h, cy - h]].map(([x, y]) => toLonLat(P, x, y));
    const id = `C${c}`;
    communities.push({ type: 'Feature', properties: { id, residents: 500 + Math.floor(rnd() * 4000) }, geometry: { type: 'Polygon', coordinates: [ring] } });
    const ng = 1 + Math.floor(rnd() * 3);
    for (let q = 0; q < ng; q++) {
      const s4 = Math.floor(rnd() * 4);
      const t = (rnd() - 0.5) * 2 * h;
      const [gx, gy] = s4 === 0 ? [cx + t, cy - h] : s4 === 1 ? [cx + h, cy + t] : s4 === 2 ? [cx + t, cy + h] : [cx - h, cy + t];
      gates.push({ type: 'Feature', properties: { id: `${id}-G${q}`, community_id: id }, geometry: { type: 'Point', coordinates: toLonLat(P, gx, gy) } });
    }
  }
  // 20 categories: our 19 plus one bench-only code; tiers 5/10/15 min in turn (300/500/1,000 m)
  const cats: string[] = [...FACILITY_CATEGORIES, 'bench_extra'];
  const facilities: FacilityInput[] = [];
  for (let f = 0; f < nc * 10; f++)
    facilities.push({ type: 'Feature', properties: { id: `F${f}`, category: cats[f % cats.length] }, geometry: { type: 'Point', coordinates: toLonLat(P, rnd() * side, rnd() * side) } });
  const tiers = [5, 10, 15] as const;
  const standard: Standard = {
    id: 'gb50180',
    zh: 'bench',
    en: 'bench: 20 categories',
    citation: 'generated',
    citationZh: '生成',
    rules: cats.map((c, i) => ({ category: c as FacilityCategoryCode, tier: tiers[i % 3], mandatory: true, zh: c, en: c, source: 'bench', ver: 'INF', normative: false })),
  };
  return { roads, communities, gates, facilities, standard, side, P };
}

/** The tables crossing a worker boundary: structured clone with the typed arrays' buffers transferred. */
function crossBoundary(t: CoverageTables): CoverageTables {
  return structuredClone(t, { transfer: [t.dist.buffer, t.facility.buffer, t.origin.buffer] });
}

interface Case {
  label: string;
  ctx: CoverageContext;
  facilities: FacilityInput[];
  standard: Standard;
  /** the engine's cache after load: facilities snapped, no field yet */
  loaded: CoverageCache;
}

/** Our path in one thread, cold: a new cache (every category searched; facilities snapped at load), transfer, assembly. */
function oursCold(c: Case): CoverageResult {
  const facs = c.facilities;
  const cache = c.loaded;
  cache.clearFields();
  const t = coverageTables(c.ctx, facs, c.standard, DEFAULT_PARAMS, { cache });
  return assembleCoverage(coverageLayout(c.ctx), crossBoundary(t), (i) => facs[i].properties.id);
}

/**
 * The app's worker path, cold: the fields searched side by side by the pool's workers and this thread
 * (fieldpool.ts warmFields, as the analysis worker does), the tables filled and moved across the boundary.
 */
async function oursPool(c: Case, pool: FieldPool): Promise<CoverageTables> {
  const cache = c.loaded;
  cache.clearFields();
  await warmFields(cache, c.standard.rules.map((r) => r.category as string), pool);
  return crossBoundary(coverageTables(c.ctx, c.facilities, c.standard, DEFAULT_PARAMS, { cache }));
}

async function coverageFigures(c: Case, runs: number, prefix: string, pool: FieldPool): Promise<{ ours: Figure; base: Figure }> {
  const rules = rulesInForce(c.standard, DEFAULT_PARAMS);
  const cats = rules.map((r) => r.category as string);
  const bound = Math.max(...rules.map((r) => r.threshold));
  // load-time work of both approaches (once): snapping every facility, the baseline's facility index
  const snapT = measure(`${prefix}/snap-facilities-at-load`, () => new CoverageCache(c.ctx, c.facilities).prepare(), 5);
  console.log(line(snapT, `${c.label}: snap ${c.facilities.length} facilities (load, once)`));
  const prep = prepareBaseline(c.ctx, c.facilities, cats);
  await oursPool(c, pool); // the workers started and the graph sent (at load in the app)
  let tables!: CoverageTables;
  const layout = coverageLayout(c.ctx);
  const facs = c.facilities;
  let result!: CoverageResult;
  let base!: Float64Array;
  // interleaved: one run of each per round, so that the machine's drifts hit ours and the baseline alike
  const [ours, withAssembly, single, baseF] = await measureInterleaved(runs, [
    { name: `${prefix}/coverage`, fn: async () => void (tables = await oursPool(c, pool)) },
    { name: `${prefix}/coverage-with-assembly`, fn: async () => void assembleCoverage(layout, await oursPool(c, pool), (i) => facs[i].properties.id) },
    { name: `${prefix}/coverage-one-thread`, fn: () => void (result = oursCold(c)) },
    { name: `${prefix}/coverage-baseline-bounded-per-community`, fn: () => void (base = strongBaseline(c.ctx, prep, cats.length, bound)) },
  ]);
  compare(ours, baseF);
  compare(withAssembly, baseF);
  compare(single, baseF);
  const same = Array.from(tables.dist).every((d, i) => {
    const r = result.communities[Math.floor(i / cats.length)].byCategory[i % cats.length].distance;
    return r === null ? d === Infinity : Math.abs(r - d) <= 0.005;
  });
  if (!same) throw new Error('coverage bench: the pool and the single thread disagree');
  // agreement: the same met/unmet verdicts, the same distances within the bound
  let verdicts = 0;
  let maxDiff = 0;
  result.communities.forEach((cc, i) =>
    cc.byCategory.forEach((b, k) => {
      const d = base[i * cats.length + k];
      if (b.met !== (d < Infinity && Math.round(d * 100) <= Math.round(b.threshold * 100))) verdicts++;
      if (d <= bound) maxDiff = Math.max(maxDiff, Math.abs((b.distance ?? Infinity) - d));
    }),
  );
  ours.note = `${verdicts} of ${result.communities.length * cats.length} met/unmet verdicts differ from the baseline; max distance difference within ${bound} m: ${maxDiff.toFixed(3)} m (ours rounded to 0.01 m)`;
  console.log(line(baseF, `${c.label}: baseline, 1 bounded search/community (${bound} m)`));
  console.log(line(ours, `${c.label}: ours, worker path: ${pool.size} search worker(s) + this thread, tables transferred`));
  console.log(line(withAssembly, `${c.label}: ours, the same + result objects assembled`));
  console.log(line(single, `${c.label}: ours in one thread (no pool), + transfer + assembly`));
  return { ours, base: baseF };
}

/** Edits on a warm cache: a what-if facility and a threshold change; engine alone and engine + transfer + assembly. */
function editFigures(c: Case, runs: number, prefix: string, at: [number, number]) {
  const cache = c.loaded;
  coverageTables(c.ctx, c.facilities, c.standard, DEFAULT_PARAMS, { cache }); // warm: the fields of every category
  const layout = coverageLayout(c.ctx);
  let n = 0;
  const proposal = (): FacilityInput => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [at[0] + (n++ % 7) * 1e-4, at[1]] }, properties: { id: `P${n}`, category: c.standard.rules[0].category, proposed: true } });
  const withP = () => [...c.facilities, proposal()];
  const engineWhatIf = measure(`${prefix}/edit-whatif-engine`, () => coverageTables(c.ctx, withP(), c.standard, DEFAULT_PARAMS, { cache }), runs);
  const e2eWhatIf = measure(
    `${prefix}/edit-whatif-end-to-end`,
    () => {
      const facs = withP();
      assembleCoverage(layout, crossBoundary(coverageTables(c.ctx, facs, c.standard, DEFAULT_PARAMS, { cache })), (i) => facs[i].properties.id);
    },
    runs,
  );
  let tier = 900;
  const params = () => ({ ...DEFAULT_PARAMS, tierDistanceM: { ...DEFAULT_PARAMS.tierDistanceM, 15: (tier = tier === 900 ? 950 : 900) } });
  const engineTier = measure(`${prefix}/edit-threshold-engine`, () => coverageTables(c.ctx, c.facilities, c.standard, params(), { cache }), runs);
  const e2eTier = measure(
    `${prefix}/edit-threshold-end-to-end`,
    () => assembleCoverage(layout, crossBoundary(coverageTables(c.ctx, c.facilities, c.standard, params(), { cache })), (i) => c.facilities[i].properties.id),
    runs,
  );
  for (const [f, l] of [
    [engineWhatIf, 'what-if facility, engine (1 improve-only search)'],
    [e2eWhatIf, 'what-if facility, + transfer + assembly'],
    [engineTier, 'threshold change, engine (no search)'],
    [e2eTier, 'threshold change, + transfer + assembly'],
  ] as const)
    console.log(line(f, `${c.label}: ${l}`));
}

/**
 * SciPy's compiled Dijkstra (scipy.sparse.csgraph.dijkstra) on the same graph and sources, where SciPy is
 * installed: per category, a super-source joined to both ends of every facility's edge (snap distance plus the
 * distance along the edge), one search; timed inside Python (the searches only), all categories, 5 runs.
 */
function scipyFigure(g: WalkGraph, c: Case, prefix: string, ours: Figure) {
  const probe = spawnSync('python3', ['-c', 'import scipy, numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    console.log(`  ${c.label}: SciPy csgraph comparison skipped: SciPy is not installed on this machine`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'scipy-'));
  try {
    writeFileSync(join(dir, 'indptr'), new Int32Array(g.adjStart));
    writeFileSync(join(dir, 'indices'), new Int32Array(g.adjTo));
    writeFileSync(join(dir, 'data'), g.adjLen);
    const groups = new CoverageCache(c.ctx, c.facilities).groups;
    const seeds: number[] = [];
    const cats = c.standard.rules.map((r) => r.category as string);
    cats.forEach((cat, k) =>
      (groups.get(cat) ?? []).forEach((i) => {
        const f = c.facilities[i];
        const [x, y] = toXY(c.ctx.proj, f.geometry.coordinates[0], f.geometry.coordinates[1]);
        const s = snapXY(g, x, y, c.ctx.maxSnapM);
        if (s) seeds.push(k, g.edgeA[s.edge], s.snapDist + s.toA, k, g.edgeB[s.edge], s.snapDist + s.toB);
      }),
    );
    writeFileSync(join(dir, 'seeds'), Float64Array.from(seeds));
    const py = `
import json, sys, time, numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
d = sys.argv[1]; n = ${g.nodeCount}; C = ${cats.length}
ip = np.fromfile(d + '/indptr', np.int32); ix = np.fromfile(d + '/indices', np.int32); w = np.fromfile(d + '/data', np.float64)
s = np.fromfile(d + '/seeds', np.float64).reshape(-1, 3)
mats = []
for k in range(C):
    sk = s[s[:, 0] == k]
    rows = np.concatenate([np.repeat(np.arange(n), np.diff(ip)), np.full(len(sk), n)])
    cols = np.concatenate([ix, sk[:, 1].astype(np.int64)])
    # zero weights would vanish from a sparse matrix: a seed at a node itself gets the smallest positive length
    vals = np.concatenate([np.maximum(w, 1e-12), np.maximum(sk[:, 2], 1e-12)])
    mats.append(csr_matrix((vals, (rows, cols)), shape=(n + 1, n + 1)))
times = []
for r in range(5):
    t0 = time.perf_counter()
    for m in mats: dijkstra(m, directed=True, indices=n)
    times.append((time.perf_counter() - t0) * 1000)
print(json.dumps(times))
`;
    const out = execFileSync('python3', ['-c', py, dir], { encoding: 'utf8' });
    const f = record(`${prefix}/coverage-scipy-csgraph`, JSON.parse(out) as number[], { note: 'searches only, all categories' });
    console.log(line(f, `${c.label}: SciPy csgraph dijkstra (searches only)`));
    const r = record(`${prefix}/coverage-vs-scipy`, [ours.median_ms], { ...ours, name: `${prefix}/coverage-vs-scipy` });
    compare(r, f);
    console.log(line(r, `${c.label}: ours (whole path) vs SciPy (searches only)`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function layer<T>(name: keyof Dataset): Promise<T[]> {
  return (await parseLayer(name, new Uint8Array(readFileSync(`public/data/${name}.fgb`)), `${name}.fgb`)) as unknown as T[];
}

async function scenarioDefault(pool: FieldPool) {
  console.log('\n(1) default dataset (public/data/*.fgb), GB 50180-2018, all categories');
  const communities = await layer<CommunityInput>('communities');
  const gates = await layer<GateInput>('gates');
  const metro = await layer<Feature<Point, { id: string; name: string }>>('metro');
  const facilities = [
    ...(await layer<FacilityInput>('facilities')),
    ...metro.map((m) => ({ ...m, properties: { id: m.properties.id, name: m.properties.name, category: 'metro' } }) as FacilityInput),
  ];
  const roads = await layer<RoadLike>('roads');
  let g!: WalkGraph;
  console.log(line(measure('default/graph-build', () => (g = buildWalkGraph(roads, { reorder: true })), 7), 'build walk graph'));
  const ctx = prepareCoverage(communities, gates, g);
  console.log(`  graph: ${g.nodeCount} nodes, ${g.edgeCount} edges; ${communities.length} communities, ${gates.length} gates, ${facilities.length} facilities`);
  const c: Case = { label: 'default', ctx, facilities, standard: STANDARDS.gb50180, loaded: new CoverageCache(ctx, facilities, APP_CACHE).prepare() };
  await coverageFigures(c, 7, 'default', pool);
  editFigures(c, 9, 'default', communities[0].geometry.type === 'Polygon' ? (communities[0].geometry.coordinates[0][0] as [number, number]) : [121.55, 29.9]);
}

async function scenarioCity(pool: FieldPool) {
  console.log('\n(2) generated city: 250,000-edge street network, 5,000 communities, 50,000 facilities in 20 categories');
  const city = generateCity(250_000);
  let g!: WalkGraph;
  let first = 0;
  const build = measure('city/graph-build', () => {
    const t0 = performance.now();
    g = buildWalkGraph(city.roads, { reorder: true });
    first ||= performance.now() - t0;
  }, 5);
  // the first build runs code V8 has not optimised yet, as the app's first build in a fresh worker does
  build.note = `the first of the runs (code not yet optimised, as in a fresh worker): ${fmt(first)} ms`;
  console.log(`  ${city.roads.length} street lines → ${g.nodeCount} nodes, ${g.edgeCount} edges, ${g.componentSize.length} components`);
  console.log(line(build, 'city: build walk graph (with renumbering and R-tree)'));
  const ctx = prepareCoverage(city.communities, city.gates, g);
  const c: Case = { label: 'city', ctx, facilities: city.facilities, standard: city.standard, loaded: new CoverageCache(ctx, city.facilities, APP_CACHE).prepare() };
  const { ours } = await coverageFigures(c, 5, 'city', pool);
  scipyFigure(g, c, 'city', ours);
  editFigures(c, 9, 'city', toLonLat(city.P, city.side / 2, city.side / 2));
}

/**
 * Peak resident memory of this process, MiB: the kernel's high-water mark of this process image (VmHWM);
 * getrusage's maxRSS would carry over the parent's size at fork (Linux keeps it across exec).
 */
function peakRssMiB(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** One scale in this process: graph build, coverage (cold), a what-if edit; peak resident memory. */
function scaleChild(edges: number) {
  const city = generateCity(edges);
  const t0 = performance.now();
  const g = buildWalkGraph(city.roads, { reorder: true });
  const build = performance.now() - t0;
  city.roads.length = 0; // as the engine: the graph is kept, the road features are not (engine.ts load)
  // garbage collected at each phase's end and before each run: the peak is the working set of one coverage or
  // one edit, not garbage V8 has not collected yet (its timing varies from run to run)
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const ctx = prepareCoverage(city.communities, city.gates, g);
  const c: Case = { label: `${edges}`, ctx, facilities: city.facilities, standard: city.standard, loaded: new CoverageCache(ctx, city.facilities, APP_CACHE).prepare() };
  measure('cov', () => oursCold(c), 5, gc);
  const cache = c.loaded;
  coverageTables(ctx, city.facilities, city.standard, DEFAULT_PARAMS, { cache });
  let n = 0;
  const at = toLonLat(city.P, city.side / 2, city.side / 2);
  measure(
    'edit',
    () => {
      const p: FacilityInput = { type: 'Feature', geometry: { type: 'Point', coordinates: [at[0] + (n++ % 7) * 1e-4, at[1]] }, properties: { id: 'P', category: city.standard.rules[0].category } };
      coverageTables(ctx, [...city.facilities, p], city.standard, DEFAULT_PARAMS, { cache });
    },
    7,
    gc,
  );
  const peak = peakRssMiB();
  process.stdout.write(JSON.stringify({ edges: g.edgeCount, nodes: g.nodeCount, build, times: { cov: figures[0], edit: figures[1] }, peakMiB: peak }) + '\n');
}

function scenarioScaling() {
  console.log('\n(3) scaling: each size in a fresh process (coverage cold ×5, what-if edit ×7, garbage collected between runs and phases; peak resident memory of that process, generated input included)');
  const me = fileURLToPath(import.meta.url);
  const rows: { edges: number; cov: Figure; edit: Figure; peak: number }[] = [];
  for (const size of [25_000, 100_000, 250_000, 1_000_000]) {
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', me, '--scale', String(size)], { encoding: 'utf8', maxBuffer: 1 << 24 });
    const r = JSON.parse(out.trim().split('\n').pop()!) as { edges: number; nodes: number; build: number; times: { cov: Figure; edit: Figure }; peakMiB: number };
    const cov = record(`scale-${size}/coverage`, [r.times.cov.median_ms], { ...r.times.cov, name: `scale-${size}/coverage`, note: `${r.edges} edges, ${r.nodes} nodes` });
    const edit = record(`scale-${size}/edit-whatif-engine`, [r.times.edit.median_ms], { ...r.times.edit, name: `scale-${size}/edit-whatif-engine` });
    rows.push({ edges: r.edges, cov, edit, peak: r.peakMiB });
    console.log(
      `  ${String(r.edges).padStart(8)} edges: build ${fmt(r.build)} ms (1 run); coverage ${fmt(cov.median_ms)} ms (${fmt(cov.min_ms)}–${fmt(cov.max_ms)}, cpu ${fmt(cov.cpu_median_ms ?? NaN)}); what-if ${fmt(edit.median_ms)} ms (${fmt(edit.min_ms)}–${fmt(edit.max_ms)}, cpu ${fmt(edit.cpu_median_ms ?? NaN)}); peak RSS ${r.peakMiB.toFixed(0)} MiB`,
    );
  }
  const first = rows[0];
  const last = rows[rows.length - 1];
  const growth = last.cov.median_ms / last.edges / (first.cov.median_ms / first.edges);
  const cpuGrowth = (last.cov.cpu_median_ms ?? NaN) / last.edges / ((first.cov.cpu_median_ms ?? NaN) / first.edges);
  console.log(
    `  coverage time per edge, ${last.edges} vs ${first.edges} edges: ${growth.toFixed(2)}× wall, ${cpuGrowth.toFixed(2)}× cpu (goal ≤ 2×); peak at ${last.edges} edges ${last.peak.toFixed(0)} MiB (goal < 600 MB)`,
  );
}

/** `COVERAGE_SCENARIOS=city,scaling npm run bench -- coverage` runs only those scenarios (default: all three). */
export async function run(): Promise<void> {
  const only = (process.env.COVERAGE_SCENARIOS ?? 'default,city,scaling').split(',');
  const pool = nodePool();
  try {
    if (only.includes('default')) await scenarioDefault(pool);
    if (only.includes('city')) await scenarioCity(pool);
  } finally {
    pool.close();
  }
  if (only.includes('scaling')) scenarioScaling();
}

const argv = process.argv;
if (argv.includes('--scale')) scaleChild(Number(argv[argv.indexOf('--scale') + 1]));
