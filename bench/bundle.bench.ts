/**
 * Bundling benchmark (`npm run bench -- bundle`).
 * Part A, optimality (issue #18): on the default data in the three settings of the issue (straight-line
 * gaps with max 3,000 households; the app's defaults = walking gaps on the roads, barriers, max 3,000
 * households, facility gaps from the coverage command; min 1,500 households) and on the generated city
 * (per 街道): communities left unbundled and both objectives (bundled, spread) for the REDCAP heuristic
 * (the strongest simple alternative, and what the tool did before), the heuristic + local search (the
 * fallback without the solver) and the optimiser (exact set packing with HiGHS), with medians (min–max)
 * of 5 runs.
 * Part B, speed and constraint-keeping, two scenarios:
 *  (1) the default dataset (public/data/*.fgb, via src/lib/data/load.ts parseLayer): adjacency
 *      (straight-line and walking), regionalisation, outlines + metrics of every bundle;
 *  (2) a generated city: 5,000 communities on a 34 km × 34 km area, 20 街道, 3 rivers and 2 rail lines,
 *      and a street grid for the walking variant.
 * Baseline in the same run: Turf's clustersDbscan on community centroids (eps = max gap + a typical
 * community radius, minPoints 2). DBSCAN knows nothing of barriers, streets or size limits; besides its
 * time we print how many of its clusters break those constraints, which is the point of the comparison.
 * Figures are printed, never asserted.
 */
import { readFileSync } from 'node:fs';
import { centroid, clustersDbscan, featureCollection } from '@turf/turf';
import type { Feature, Point } from 'geojson';
import { parseLayer } from '../src/lib/data/load.ts';
import type { BarrierFeature, CommunityFeature, RoadFeature } from '../src/lib/domain/types.ts';
import { buildAdjacency, componentsOf, type Adjacency } from '../src/lib/analysis/adjacency.ts';
import { generateBundles, type BundlePlan } from '../src/lib/analysis/bundle.ts';
import { evaluatePlan, optimiseBundles, type OptimiseOptions } from '../src/lib/analysis/bundle-opt.ts';
import { loadSolver, type Solver } from '../src/lib/analysis/solver.ts';
import { gapsFromCoverageCsv } from '../scripts/cli/bundle.ts';
import { run as coverageCli } from '../scripts/cli/coverage.ts';
import { STANDARDS } from '../src/lib/domain/standards.ts';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleHull } from '../src/lib/analysis/hull.ts';
import { bundleMetrics, metricsContext } from '../src/lib/analysis/bundle-metrics.ts';
import { BarrierIndex, localProjection, projectionFor } from '../src/lib/analysis/bundle-geom.ts';
import { walkGapMeasure } from '../src/lib/analysis/bundle-walk.ts';
import { buildWalkGraph, type RoadLike } from '../src/lib/analysis/walkgraph.ts';

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
function time<T>(fn: () => T, reps = 1): { ms: number; value: T } {
  const ts: number[] = [];
  let value!: T;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    value = fn();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return { ms: ts[Math.floor(ts.length / 2)], value };
}

/** DBSCAN on centroids, and how many of its clusters break the constraints our bundles respect. */
function dbscanBaseline(cs: readonly CommunityFeature[], barrierAdj: Adjacency, epsM: number, maxHouseholds: number | null, reps: number) {
  const pts = featureCollection(cs.map((c) => ({ ...centroid(c), properties: { id: c.properties.id } }) as Feature<Point, { id: string }>));
  clustersDbscan(pts, epsM / 1000, { units: 'kilometers', minPoints: 2 }); // warm-up, as for ours
  const r = time(() => clustersDbscan(pts, epsM / 1000, { units: 'kilometers', minPoints: 2 }), reps);
  const groups = new Map<number, string[]>();
  for (const f of r.value.features) {
    const k = (f.properties as { cluster?: number }).cluster;
    if (k === undefined) continue;
    const list = groups.get(k) ?? [];
    list.push((f.properties as { id: string }).id);
    groups.set(k, list);
  }
  const byId = new Map(cs.map((c) => [c.properties.id, c.properties] as const));
  let multiStreet = 0,
    notContiguous = 0,
    tooBig = 0,
    largest = 0;
  for (const g of groups.values()) {
    largest = Math.max(largest, g.length);
    if (new Set(g.map((id) => byId.get(id)!.street)).size > 1) multiStreet++;
    if (componentsOf(barrierAdj, g).length > 1) notContiguous++;
    if (maxHouseholds !== null && g.reduce((s, id) => s + byId.get(id)!.households, 0) > maxHouseholds) tooBig++;
  }
  return { ms: r.ms, clusters: groups.size, largest, multiStreet, notContiguous, tooBig };
}

function outlines(cs: readonly CommunityFeature[], adj: Adjacency, plan: BundlePlan, barriers: readonly BarrierFeature[]) {
  const proj = projectionFor(cs.map((c) => c.geometry));
  const bidx = new BarrierIndex(
    barriers.map((b) => b.geometry),
    proj,
  );
  const byId = new Map(cs.map((c) => [c.properties.id, c] as const));
  // only the edges touching a bundle's members matter for its outline
  const edgesOf = new Map<string, Adjacency['edges']>();
  for (const e of adj.edges) for (const id of [e.a, e.b]) (edgesOf.get(id) ?? edgesOf.set(id, []).get(id)!).push(e);
  const ctx = metricsContext(cs, adj, plan.options);
  let inexact = 0;
  for (const b of plan.bundles) {
    const edges = [...new Set(b.members.flatMap((m) => edgesOf.get(m) ?? []))];
    const h = bundleHull(
      b.members.map((m) => byId.get(m)!),
      edges,
      proj,
      { barrierIndex: bidx },
    );
    if (!h.exact) inexact++;
    bundleMetrics(b, ctx, h.polsbyPopper);
  }
  return inexact;
}

function report(label: string, cs: readonly CommunityFeature[], barriers: readonly BarrierFeature[], roads: readonly RoadLike[] | null, maxHouseholds: number | null) {
  const n = cs.length;
  const reps = n > 1000 ? 3 : 7;
  // warm-up run (JIT), so both sides are measured warm
  generateBundles(cs, buildAdjacency(cs, { maxGapM: 300, barriers }), { maxSize: maxHouseholds ?? undefined });
  console.log(`\n-- ${label}: ${n} communities, ${barriers.length} barriers${roads ? `, ${roads.length} road lines` : ''}`);
  const adj = time(() => buildAdjacency(cs, { maxGapM: 300, barriers }), reps);
  console.log(`adjacency (straight-line, barriers): ${fmt(adj.ms)} ms — ${adj.value.edges.length} neighbour pairs, ${adj.value.blocked.length} blocked by barriers`);
  if (roads) {
    const g = time(() => buildWalkGraph(roads));
    const wadj = time(() => buildAdjacency(cs, { maxGapM: 300, barriers, walk: walkGapMeasure(g.value) }));
    console.log(
      `adjacency (walking): graph ${fmt(g.ms)} ms (${g.value.edgeCount} edges) + ${fmt(wadj.ms)} ms — ${wadj.value.edges.length} pairs, ${wadj.value.blocked.filter((b) => b.reason === 'walk').length} rejected as too far to walk`,
    );
  }
  const opts = { maxSize: maxHouseholds ?? undefined };
  const plan = time(() => generateBundles(cs, adj.value, opts), reps);
  const p = plan.value;
  console.log(
    `bundles (REDCAP CLK + enclaves): ${fmt(plan.ms)} ms — ${p.bundles.length} bundles of ${n - p.unbundled.length} communities, ${p.unbundled.length} unbundled`,
  );
  const cold = time(() => outlines(cs, adj.value, p, barriers));
  const hulls = n > 1000 ? cold : time(() => outlines(cs, adj.value, p, barriers), 3);
  console.log(
    `outlines + metrics of all bundles: ${fmt(hulls.ms)} ms warm, ${fmt(cold.ms)} ms cold (${fmt(hulls.ms / Math.max(1, p.bundles.length))} ms per bundle, mostly polygon union in polyclip-ts; ${hulls.value} needed the snapped union fallback)`,
  );
  const total = adj.ms + plan.ms;
  const db = dbscanBaseline(cs, adj.value, 300 + 150, maxHouseholds, reps);
  console.log(
    `baseline Turf clustersDbscan (eps 450 m on centroids): ${fmt(db.ms)} ms — ${db.clusters} clusters (largest ${db.largest} communities); ` +
      `${db.notContiguous} not contiguous under the barrier-aware adjacency, ${db.multiStreet} span several 街道` +
      (maxHouseholds !== null ? `, ${db.tooBig} over ${maxHouseholds} households` : ''),
  );
  console.log(`ratio: ours (adjacency + bundles) / DBSCAN = ${(total / db.ms).toFixed(2)}× the time; our bundles break 0 of those constraints by construction`);
}

/** mulberry32: small seeded PRNG so the generated city is the same on every run. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 5,000 communities on a jittered 480 m grid (71 × 71 cells minus rivers), 20 streets as 4 × 5 blocks. */
export function generateCity() {
  const rand = rng(20201231);
  const proj = localProjection(121.55, 29.9);
  const cell = 480;
  const side = 72;
  const riversY = [8000, 21000]; // two east-west rivers, 120 m wide
  const riverX = 27000; // one north-south river
  const railX = [12000];
  const railY = [30000];
  const inRiver = (x: number, y: number, r: number) => riversY.some((ry) => Math.abs(y - ry) < 60 + r) || Math.abs(x - riverX) < 60 + r;
  const communities: CommunityFeature[] = [];
  for (let i = 0; i < side && communities.length < 5000; i++)
    for (let j = 0; j < side && communities.length < 5000; j++) {
      const cx = i * cell + cell / 2 + (rand() - 0.5) * 120;
      const cy = j * cell + cell / 2 + (rand() - 0.5) * 120;
      const r = 110 + rand() * 70;
      if (inRiver(cx, cy, r)) continue;
      const k = 6 + Math.floor(rand() * 6);
      const ring: [number, number][] = [];
      for (let v = 0; v < k; v++) {
        const a = (v / k) * 2 * Math.PI;
        const rr = r * (0.75 + rand() * 0.25);
        ring.push(proj.inv([cx + rr * Math.cos(a), cy + rr * Math.sin(a)]));
      }
      ring.push(ring[0]);
      const id = `G${String(communities.length + 1).padStart(4, '0')}`;
      const street = `S${Math.floor(cx / (side * cell / 4))}${Math.floor(cy / (side * cell / 5))}`;
      const households = 200 + Math.floor(rand() * 1600);
      communities.push({
        type: 'Feature',
        geometry: { type: 'Polygon', coordinates: [ring] },
        properties: {
          synthetic: true,
          source: 'bench/bundle.bench.ts generated city',
          id,
          name: id,
          street,
          committee: null,
          build_year: 1990,
          housing_type: 'danwei',
          households,
          buildings: Math.ceil(households / 40),
          floor_area_m2: households * 70,
          residents: Math.round(households * 2.5),
          property_mgmt: 'none',
          maintenance_fund: 'none',
          dangerous_buildings: 0,
          lift_demand: 0,
          consent_area_share: 0.8,
          consent_headcount_share: 0.8,
          owner_contribution_share: 0.05,
          illegal_cleared_share: 1,
          safety_hazard: 'none',
          third_party_funding: false,
          batch_year: 2021,
          pool: '谋划',
          stage: 'POOL',
          side_state: null,
        },
      });
    }
  const W = side * cell;
  const rect = (x0: number, y0: number, x1: number, y1: number) => ({
    type: 'Polygon' as const,
    coordinates: [[proj.inv([x0, y0]), proj.inv([x1, y0]), proj.inv([x1, y1]), proj.inv([x0, y1]), proj.inv([x0, y0])]],
  });
  const line = (pts: [number, number][]) => ({ type: 'LineString' as const, coordinates: pts.map((p) => proj.inv(p)) });
  const bprops = (id: string, kind: BarrierFeature['properties']['kind']) => ({ synthetic: true, source: 'bench', id, name: id, kind });
  const barriers: BarrierFeature[] = [
    ...riversY.map((ry, k) => ({ type: 'Feature' as const, geometry: rect(-100, ry - 60, W + 100, ry + 60), properties: bprops(`river${k}`, 'river') })),
    { type: 'Feature', geometry: rect(riverX - 60, -100, riverX + 60, W + 100), properties: bprops('riverNS', 'river') },
    ...railX.map((x, k) => ({ type: 'Feature' as const, geometry: line([[x, -100], [x, W + 100]]), properties: bprops(`railX${k}`, 'rail') })),
    ...railY.map((y, k) => ({ type: 'Feature' as const, geometry: line([[-100, y], [W + 100, y]]), properties: bprops(`railY${k}`, 'rail') })),
  ];
  // a street grid every 240 m (between and through the community cells), cut at the rivers except every 2.4 km (bridges)
  const roads: RoadLike[] = [];
  const step = 240;
  let rid = 0;
  for (let k = 0; k <= W / step; k++) {
    const t = k * step;
    const cutY = (x: number) => k % 10 !== 0 && Math.abs(x - riverX) < 60; // N–S river crossed by E–W streets only at bridges
    // east–west street at y = t, split at every crossing so the graph connects (shared vertices)
    let cur: [number, number][] = [];
    for (let x = 0; x <= W; x += step) {
      if (cutY(x) || riversY.some((ry) => Math.abs(t - ry) < 60)) {
        if (cur.length > 1) roads.push({ type: 'Feature', geometry: line(cur), properties: { id: `r${rid++}`, highway: 'residential' } });
        cur = [];
        continue;
      }
      cur.push([x, t]);
    }
    if (cur.length > 1) roads.push({ type: 'Feature', geometry: line(cur), properties: { id: `r${rid++}`, highway: 'residential' } });
    cur = [];
    for (let y = 0; y <= W; y += step) {
      const wet = riversY.some((ry) => Math.abs(y - ry) < 60) && k % 10 !== 0;
      if (wet || Math.abs(t - riverX) < 60) {
        if (cur.length > 1) roads.push({ type: 'Feature', geometry: line(cur), properties: { id: `r${rid++}`, highway: 'residential' } });
        cur = [];
        continue;
      }
      cur.push([t, y]);
    }
    if (cur.length > 1) roads.push({ type: 'Feature', geometry: line(cur), properties: { id: `r${rid++}`, highway: 'residential' } });
  }
  return { communities, barriers, roads };
}

/** median (min–max) of several timed runs */
function timed<T>(fn: () => T, reps: number): { value: T; text: string } {
  const ts: number[] = [];
  const cpu: number[] = [];
  let value!: T;
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    value = fn();
    ts.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  ts.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const mid = Math.floor(ts.length / 2);
  // on a shared machine the process's own CPU time says more than the wall clock
  return { value, text: `${fmt(ts[mid])} ms (${fmt(ts[0])}–${fmt(ts[ts.length - 1])}), CPU ${fmt(cpu[mid])} ms` };
}

interface Compared {
  heuristic: BundlePlan;
  local: BundlePlan;
  optimal: BundlePlan;
}

/** One setting: heuristic vs heuristic + local search vs optimiser; both objectives and the time of each. */
function compare(name: string, cs: readonly CommunityFeature[], adj: Adjacency, options: OptimiseOptions, solver: Solver, reps: number): Compared {
  const h = timed(() => generateBundles(cs, adj, options), reps);
  const l = timed(() => optimiseBundles(cs, adj, options, null), reps);
  const o = timed(() => optimiseBundles(cs, adj, options, solver), reps);
  const ev = (p: BundlePlan) => evaluatePlan(cs, adj, options, p);
  const [eh, el, eo] = [ev(h.value), ev(l.value), ev(o.value)];
  const q = o.value.quality!;
  console.log(`  ${name}`);
  console.log(
    `    unbundled: heuristic ${h.value.unbundled.length} · + local search ${l.value.unbundled.length} · optimiser ${o.value.unbundled.length} ` +
      `(${q.status}${q.status === 'gap' ? `, bound ${q.bound}` : ''}; exact optimum ${q.status === 'exact' ? cs.length - q.value : `≥ ${cs.length - q.bound}`} unbundled)`,
  );
  console.log(
    `    objective (bundled ↑, spread ↓): heuristic (${eh.value}, ${eh.spread.toFixed(2)}) · + local search (${el.value}, ${el.spread.toFixed(2)}) · optimiser (${eo.value}, ${eo.spread.toFixed(2)})` +
      `${q.spreadExact ? ' = the exact lexicographic optimum' : ''}; bundles ${h.value.bundles.length} / ${l.value.bundles.length} / ${o.value.bundles.length}; invalid bundles ${eh.invalid} / ${el.invalid} / ${eo.invalid}`,
  );
  console.log(`    time: heuristic ${h.text} · + local search ${l.text} · optimiser ${o.text} (${q.groups} admissible groups, ${q.components} parts, ${q.nodes} solver nodes)`);
  return { heuristic: h.value, local: l.value, optimal: o.value };
}

/** Gaps per community as the app uses them: the coverage command's unmet mandatory categories. */
async function defaultGaps(): Promise<Record<string, string[]>> {
  const out = join(tmpdir(), `bench-coverage-${process.pid}.csv`);
  const d = 'public/data';
  const err = console.error;
  console.error = () => {};
  try {
    await coverageCli(['--communities', `${d}/communities.fgb`, '--facilities', `${d}/facilities.fgb`, '--roads', `${d}/roads.fgb`, '--gates', `${d}/gates.fgb`, '--metro', `${d}/metro.fgb`, '--out', out]);
  } finally {
    console.error = err;
  }
  const mandatory = new Set(STANDARDS.gb50180.rules.filter((r) => r.mandatory).map((r) => r.category as string));
  return gapsFromCoverageCsv(readFileSync(out, 'utf8'), 'coverage.csv', mandatory);
}

async function optimalityDefault(cs: readonly CommunityFeature[], barriers: readonly BarrierFeature[], roads: readonly RoadLike[], solver: Solver) {
  console.log(`\n-- A. optimality, default data: ${cs.length} communities (medians of 5 runs, min–max)`);
  const straight = buildAdjacency(cs, { maxGapM: 300 });
  const walking = buildAdjacency(cs, { maxGapM: 300, barriers, walk: walkGapMeasure(buildWalkGraph(roads)) });
  const gaps = await defaultGaps();
  compare('--max-households 3000 (straight-line gaps, no barriers: the CLI without --roads/--barriers)', cs, straight, { maxSize: 3000 }, solver, 5);
  compare("app defaults (walking gaps on roads, barriers, max 3,000 households, facility gaps)", cs, walking, { maxSize: 3000, gaps }, solver, 5);
  compare('--min-households 1500 (with the default max 3,000; straight-line)', cs, straight, { minSize: 1500, maxSize: 3000 }, solver, 5);
  compare('--min-households 1500 --max-households none (straight-line)', cs, straight, { minSize: 1500 }, solver, 5);
}

function optimalityCity(city: ReturnType<typeof generateCity>, solver: Solver) {
  const cs = city.communities;
  console.log(`\n-- A. optimality, generated city: ${cs.length} communities, 20 街道, barriers, max 3,000 households (medians of 5 runs)`);
  const adj = buildAdjacency(cs, { maxGapM: 300, barriers: city.barriers });
  const r = compare('max 3,000 households, straight-line gaps with barriers', cs, adj, { maxSize: 3000 }, solver, 5);
  const street = new Map(cs.map((c) => [c.properties.id, c.properties.street] as const));
  const count = (p: BundlePlan) => {
    const m = new Map<string, number>();
    for (const id of p.unbundled) m.set(street.get(id)!, (m.get(street.get(id)!) ?? 0) + 1);
    return m;
  };
  const [h, l, o] = [count(r.heuristic), count(r.local), count(r.optimal)];
  const streets = [...new Set(street.values())].sort();
  const size = new Map<string, number>();
  for (const s of street.values()) size.set(s, (size.get(s) ?? 0) + 1);
  console.log(`    per 街道 (communities: unbundled heuristic / + local search / optimiser${r.optimal.quality!.status === 'exact' ? ' = exact optimum' : ''}):`);
  const cells = streets.map((s) => `${s} (${size.get(s)}): ${h.get(s) ?? 0} / ${l.get(s) ?? 0} / ${o.get(s) ?? 0}`);
  for (let i = 0; i < cells.length; i += 4) console.log(`      ${cells.slice(i, i + 4).join(' · ')}`);
}

export async function run(): Promise<void> {
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' / ')} (1/5/15 min)`);
  const solver = await loadSolver();
  const read = (f: string) => new Uint8Array(readFileSync(`public/data/${f}`));
  try {
    const communities = await parseLayer('communities', read('communities.fgb'), 'communities.fgb');
    const barriers = await parseLayer('barriers', read('barriers.fgb'), 'barriers.fgb');
    const roads: RoadFeature[] = await parseLayer('roads', read('roads.fgb'), 'roads.fgb');
    await optimalityDefault(communities, barriers, roads as unknown as RoadLike[], solver);
    report('default dataset (public/data)', communities, barriers, roads as unknown as RoadLike[], 3000);
  } catch (e) {
    console.log(`default dataset unavailable: ${(e as Error).message}`);
  }
  const t0 = performance.now();
  const city = generateCity();
  console.log(`\n(generated city in ${fmt(performance.now() - t0)} ms)`);
  optimalityCity(city, solver);
  report('generated city', city.communities, city.barriers, city.roads, 3000);
}
