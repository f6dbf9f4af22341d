/**
 * Coverage benchmark (`npm run bench -- coverage`). Two scenarios, each compared in the same run against the
 * straightforward approach:
 *  (1) the default dataset (public/data/*.fgb), all categories of GB 50180-2018;
 *  (2) a generated city: a 250,000-edge street network, 5,000 communities, 50,000 facilities in 20 categories.
 * Approaches:
 *  - ours, network: one multi-source Dijkstra per category (reach.ts) — C searches;
 *  - straightforward, network: one Dijkstra per community (from its gates) over the whole graph, then the
 *    nearest facility of each category read off — N searches (at city scale measured on a sample of
 *    communities and extrapolated linearly, as printed);
 *  - ours, buffer: Flatbush nearest-neighbour straight-line distance per gate;
 *  - straightforward, buffer: Turf circles (the buffer of a point) around every facility at the category's
 *    radius, point-in-polygon of every community gate against every circle (sampled at city scale).
 * Figures are printed, never asserted.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseLayer } from '../src/lib/data/load.ts';
import type { Dataset } from '../src/lib/domain/types.ts';
import { booleanPointInPolygon, circle } from '@turf/turf';
import type { Feature, Point, Polygon } from 'geojson';
import { DEFAULT_PARAMS, STANDARDS, type Standard, type StandardRule } from '../src/lib/domain/standards.ts';
import { FACILITY_CATEGORIES, type FacilityCategoryCode } from '../src/lib/domain/types.ts';
import { buildWalkGraph, type RoadLike, type WalkGraph } from '../src/lib/analysis/walkgraph.ts';
import { computeCoverage, prepareCoverage, type CommunityInput, type CoverageContext, type FacilityInput, type GateInput } from '../src/lib/analysis/coverage.ts';
import { multiSourceReach, reachAt } from '../src/lib/analysis/reach.ts';
import { snapXY, type Snap } from '../src/lib/analysis/snap.ts';
import { makeProjection, toLonLat, toXY } from '../src/lib/analysis/localproj.ts';
import { isochrones } from '../src/lib/analysis/isochrone.ts';
import { demandFromCoverage, suggestSites } from '../src/lib/analysis/siting.ts';
import { loadSolver } from '../src/lib/analysis/solver.ts';

function ms(t0: number) {
  return performance.now() - t0;
}
function median(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function timeIt(fn: () => void, reps: number): number {
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    t.push(ms(t0));
  }
  return median(t);
}
const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/** The straightforward network approach: one full search per community, nearest facility per category read off. */
function perCommunitySearch(ctx: CoverageContext, facilities: readonly FacilityInput[], rules: readonly StandardRule[], communities: number[]) {
  const g = ctx.graph!;
  const fsnaps = facilities.map((f) => {
    const [x, y] = toXY(ctx.proj, f.geometry.coordinates[0], f.geometry.coordinates[1]);
    return snapXY(g, x, y, ctx.maxSnapM);
  });
  const cats = rules.map((r) => r.category as string);
  const out: number[][] = [];
  for (const ci of communities) {
    const origins = ctx.communities[ci].origins.map((o) => o.snap).filter((s): s is Snap => s !== null);
    const field = multiSourceReach(g, origins);
    const best = cats.map(() => Infinity);
    facilities.forEach((f, fi) => {
      const s = fsnaps[fi];
      if (!s) return;
      const k = cats.indexOf(f.properties.category);
      if (k < 0) return;
      const d = reachAt(g, field, s).dist;
      if (d < best[k]) best[k] = d;
    });
    out.push(best);
  }
  return out;
}

/** The straightforward buffer approach: a Turf circle per facility, point-in-polygon per community gate. */
function turfBuffers(ctx: CoverageContext, facilities: readonly FacilityInput[], rules: readonly (StandardRule & { threshold: number })[], communities: number[]) {
  const met: boolean[][] = communities.map(() => rules.map(() => false));
  rules.forEach((r, k) => {
    const circles = facilities
      .filter((f) => f.properties.category === r.category)
      .map((f) => circle(f.geometry.coordinates, r.threshold / 1000, { steps: 32, units: 'kilometers' }) as Feature<Polygon>);
    communities.forEach((ci, n) => {
      const pts = ctx.communities[ci].origins.map((o) => [o.lon, o.lat]);
      met[n][k] = circles.some((c) => pts.some((p) => booleanPointInPolygon(p, c)));
    });
  });
  return met;
}

/** A layer of the default dataset, read and validated by the app's own loader (src/lib/data/load.ts). */
async function layer<T>(name: keyof Dataset): Promise<T[]> {
  return (await parseLayer(name, new Uint8Array(readFileSync(`public/data/${name}.fgb`)), `${name}.fgb`)) as unknown as T[];
}

async function scenarioDefault() {
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
  const tGraph = timeIt(() => (g = buildWalkGraph(roads)), 5);
  let ctx!: CoverageContext;
  const tPrep = timeIt(() => (ctx = prepareCoverage(communities, gates, g)), 5);
  const std = STANDARDS.gb50180;
  const tOurs = timeIt(() => computeCoverage(ctx, facilities, std, DEFAULT_PARAMS), 7);
  const all = communities.map((_, i) => i);
  const rules = computeCoverage(ctx, facilities, std, DEFAULT_PARAMS).rules;
  const tNaive = timeIt(() => perCommunitySearch(ctx, facilities, rules, all), 3);
  const tBufOurs = timeIt(() => computeCoverage(ctx, facilities, std, DEFAULT_PARAMS, { mode: 'buffer' }), 7);
  const tTurf = timeIt(() => turfBuffers(ctx, facilities, rules, all), 3);
  // agreement checks: same distances from both network approaches, same "met" from both buffer approaches
  const ours = computeCoverage(ctx, facilities, std, DEFAULT_PARAMS);
  const naive = perCommunitySearch(ctx, facilities, rules, all);
  let maxDiff = 0;
  ours.communities.forEach((c, i) => c.byCategory.forEach((b, k) => (maxDiff = Math.max(maxDiff, Math.abs((b.distance ?? Infinity) - naive[i][k]) || 0))));
  const buf = computeCoverage(ctx, facilities, std, DEFAULT_PARAMS, { mode: 'buffer' });
  const turf = turfBuffers(ctx, facilities, rules, all);
  let disagree = 0;
  buf.communities.forEach((c, i) => c.byCategory.forEach((b, k) => (disagree += b.met !== turf[i][k] ? 1 : 0)));
  console.log(`  graph: ${g.nodeCount} nodes, ${g.edgeCount} edges; ${communities.length} communities, ${gates.length} gates, ${facilities.length} facilities, ${rules.length} categories`);
  console.log(`  build walk graph            ${fmt(tGraph)} ms`);
  console.log(`  snap gates (prepare)        ${fmt(tPrep)} ms`);
  console.log(`  network, ours (1 search/category, ${rules.length} searches)      ${fmt(tOurs)} ms`);
  console.log(`  network, 1 search/community (${communities.length} searches)      ${fmt(tNaive)} ms   ratio ${(tNaive / tOurs).toFixed(1)}×   (max distance difference ${maxDiff.toFixed(3)} m)`);
  console.log(`  buffer, ours (Flatbush nearest)                 ${fmt(tBufOurs)} ms`);
  console.log(`  buffer, Turf circle + point-in-polygon          ${fmt(tTurf)} ms   ratio ${(tTurf / tBufOurs).toFixed(1)}×   (${disagree} of ${rules.length * communities.length} verdicts differ: 32-gon vs true circle)`);

  // isochrones (5/10/15 min) of every community, and suggested sites for the least-covered categories
  const isoT: number[] = [];
  for (const c of ctx.communities) {
    const snaps = c.origins.map((o) => o.snap).filter((x): x is Snap => x !== null);
    const t0 = performance.now();
    isochrones(g, snaps, { walkSpeedMPerMin: DEFAULT_PARAMS.walkSpeedMPerMin });
    isoT.push(ms(t0));
  }
  console.log(`  isochrones 5/10/15 min per community: median ${fmt(median(isoT))} ms, max ${fmt(Math.max(...isoT))} ms`);
  const solver = await loadSolver(); // siting in detail: bench/siting.bench.ts
  for (const category of ['elderly_daycare', 'primary_school']) {
    const rule = ours.rules.find((r) => r.category === category)!;
    const demand = demandFromCoverage(ctx, ours, category);
    const line: string[] = [];
    for (const k of [1, 3, 5, 8]) {
      const t0 = performance.now();
      const r = suggestSites(g, demand, { k, threshold: rule.threshold }, undefined, solver);
      line.push(`k=${k}: ${r.method} ${fmt(ms(t0))} ms +${r.totalAdded}${r.method === 'gap' ? ` (≤ ${r.upperBound})` : ''}`);
    }
    console.log(`  suggested sites, ${category} (${demand.length} uncovered communities): ${line.join('; ')}`);
  }
}

/** Seeded LCG so the generated city is the same every run. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function generateCity() {
  const rnd = rng(20261126);
  const P = makeProjection(121.55, 29.9);
  const n = 375; // 375 × 375 grid: 280,500 edges before removal
  const step = 90;
  const jitter = () => (rnd() - 0.5) * 30;
  const X: number[] = [];
  const Y: number[] = [];
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      X.push(i * step + jitter());
      Y.push(j * step + jitter());
    }
  const ll = (k: number) => toLonLat(P, X[k], Y[k]);
  const roads: RoadLike[] = [];
  const target = 250_000;
  const total = 2 * n * (n - 1);
  const keep = target / total;
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      const k = j * n + i;
      for (const nb of [i + 1 < n ? k + 1 : -1, j + 1 < n ? k + n : -1]) {
        if (nb < 0 || roads.length >= target) continue;
        if (rnd() > keep * 1.0015) continue;
        roads.push({ type: 'Feature', properties: { id: `r${roads.length}`, highway: rnd() < 0.1 ? 'primary' : 'residential' }, geometry: { type: 'LineString', coordinates: [ll(k), ll(nb)] } });
      }
    }
  const side = n * step;
  const communities: CommunityInput[] = [];
  const gates: GateInput[] = [];
  for (let c = 0; c < 5000; c++) {
    const cx = rnd() * side;
    const cy = rnd() * side;
    const h = 60 + rnd() * 80;
    const ring = [[cx - h, cy - h], [cx + h, cy - h], [cx + h, cy + h], [cx - h, cy + h], [cx - h, cy - h]].map(([x, y]) => toLonLat(P, x, y));
    const id = `C${c}`;
    communities.push({ type: 'Feature', properties: { id, residents: 500 + Math.floor(rnd() * 4000) }, geometry: { type: 'Polygon', coordinates: [ring] } });
    const ng = 1 + Math.floor(rnd() * 3);
    for (let q = 0; q < ng; q++) {
      const side4 = Math.floor(rnd() * 4);
      const t = (rnd() - 0.5) * 2 * h;
      const [gx, gy] = side4 === 0 ? [cx + t, cy - h] : side4 === 1 ? [cx + h, cy + t] : side4 === 2 ? [cx + t, cy + h] : [cx - h, cy + t];
      gates.push({ type: 'Feature', properties: { id: `${id}-G${q}`, community_id: id }, geometry: { type: 'Point', coordinates: toLonLat(P, gx, gy) } });
    }
  }
  // 20 categories: our 19 plus one bench-only code
  const cats: string[] = [...FACILITY_CATEGORIES, 'bench_extra'];
  const facilities: FacilityInput[] = [];
  for (let f = 0; f < 50_000; f++) {
    const category = cats[f % cats.length];
    facilities.push({ type: 'Feature', properties: { id: `F${f}`, category }, geometry: { type: 'Point', coordinates: toLonLat(P, rnd() * side, rnd() * side) } });
  }
  const tiers = [5, 10, 15] as const;
  const standard: Standard = {
    id: 'gb50180',
    zh: 'bench',
    en: 'bench: 20 categories',
    citation: 'generated',
    citationZh: '生成',
    rules: cats.map((c, i) => ({ category: c as FacilityCategoryCode, tier: tiers[i % 3], mandatory: true, zh: c, en: c, source: 'bench', ver: 'INF', normative: false })),
  };
  return { roads, communities, gates, facilities, standard };
}

async function scenarioCity() {
  console.log('\n(2) generated city: 250,000-edge street network, 5,000 communities, 50,000 facilities in 20 categories');
  let t0 = performance.now();
  const city = generateCity();
  console.log(`  generated in ${fmt(ms(t0))} ms: ${city.roads.length} road segments, ${city.communities.length} communities, ${city.gates.length} gates, ${city.facilities.length} facilities`);
  t0 = performance.now();
  const g = buildWalkGraph(city.roads);
  const tGraph = ms(t0);
  t0 = performance.now();
  const ctx = prepareCoverage(city.communities, city.gates, g);
  const tPrep = ms(t0);
  t0 = performance.now();
  const ours = computeCoverage(ctx, city.facilities, city.standard, DEFAULT_PARAMS);
  const tOurs = ms(t0);
  const sampleN = 40;
  const sample = Array.from({ length: sampleN }, (_, i) => Math.floor((i * city.communities.length) / sampleN));
  t0 = performance.now();
  const naive = perCommunitySearch(ctx, city.facilities, ours.rules, sample);
  const tNaiveSample = ms(t0);
  const tNaive = (tNaiveSample / sampleN) * city.communities.length;
  let maxDiff = 0;
  sample.forEach((ci, n) => ours.communities[ci].byCategory.forEach((b, k) => (maxDiff = Math.max(maxDiff, Math.abs((b.distance ?? Infinity) - naive[n][k]) || 0))));
  t0 = performance.now();
  computeCoverage(ctx, city.facilities, city.standard, DEFAULT_PARAMS, { mode: 'buffer' });
  const tBuf = ms(t0);
  const turfN = 20;
  const turfSample = sample.slice(0, turfN);
  t0 = performance.now();
  turfBuffers(ctx, city.facilities, ours.rules, turfSample);
  const tTurfSample = ms(t0);
  // circles are built once per run; point-in-polygon scales with communities: split the two to extrapolate fairly
  t0 = performance.now();
  ours.rules.forEach((r) =>
    city.facilities.filter((f) => f.properties.category === r.category).forEach((f) => circle(f.geometry.coordinates, r.threshold / 1000, { steps: 32, units: 'kilometers' })),
  );
  const tCircles = ms(t0);
  const tTurf = tCircles + ((tTurfSample - tCircles) / turfN) * city.communities.length;
  const mem = process.memoryUsage();
  console.log(`  graph: ${g.nodeCount} nodes, ${g.edgeCount} edges, ${g.componentSize.length} components`);
  console.log(`  build walk graph            ${fmt(tGraph)} ms`);
  console.log(`  snap ${city.gates.length} gates (prepare)  ${fmt(tPrep)} ms`);
  console.log(`  network, ours (1 search/category, 20 searches)          ${fmt(tOurs)} ms  (${fmt(tOurs / 20)} ms per category incl. snapping 2,500 facilities)`);
  console.log(
    `  network, 1 search/community: ${fmt(tNaiveSample)} ms for ${sampleN} communities → ${fmt(tNaive / 1000)} s extrapolated for 5,000   ratio ${(tNaive / tOurs).toFixed(0)}×   (max distance difference on the sample ${maxDiff.toFixed(3)} m)`,
  );
  console.log(`  buffer, ours (Flatbush nearest)                         ${fmt(tBuf)} ms`);
  console.log(
    `  buffer, Turf circles + point-in-polygon: circles ${fmt(tCircles)} ms + ${fmt(tTurfSample - tCircles)} ms for ${turfN} communities → ${fmt(tTurf / 1000)} s extrapolated   ratio ${(tTurf / tBuf).toFixed(0)}×`,
  );
  console.log(`  complete communities: ${ours.figures.completeCommunities}/5000; heap used ${(mem.heapUsed / 2 ** 20).toFixed(0)} MB`);
}

export async function run(): Promise<void> {
  // timings are wall-clock: say how busy the machine was
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' / ')} (1/5/15 min)`);
  await scenarioDefault();
  await scenarioCity();
}
