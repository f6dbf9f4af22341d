/**
 * Siting benchmark (`npm run bench -- siting`): the MCLP (src/lib/analysis/siting.ts) on a generated city,
 * k = 1 … 150, for two categories (community health station, 300 m; community health centre, 1,000 m).
 * For each k: greedy (the start solution and the strongest simple alternative), HiGHS within the default
 * node budget (what the app and CLI run; median (min–max) time of 5 runs), the pure-JS branch and bound
 * within 5,000 nodes (the fallback without the solver; 1 run), and the exact optimum (HiGHS with a
 * 10,000,000-node budget; proved, or the best found and the solver's bound). Figures are printed, never
 * asserted. The instance (cover sets) is built once per category; its time is printed separately.
 */
import { cpus, loadavg } from 'node:os';
import { DEFAULT_PARAMS, STANDARDS, type Standard } from '../src/lib/domain/standards.ts';
import { buildWalkGraph, type RoadLike } from '../src/lib/analysis/walkgraph.ts';
import { computeCoverage, prepareCoverage, type CommunityInput, type FacilityInput, type GateInput } from '../src/lib/analysis/coverage.ts';
import { makeProjection, toLonLat } from '../src/lib/analysis/localproj.ts';
import { demandFromCoverage, mclpInstance, nodeCandidates, solveMclp } from '../src/lib/analysis/siting.ts';
import { loadSolver } from '../src/lib/analysis/solver.ts';

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** 120 × 120 street grid (90 m, jittered, 8 % of segments missing), 1,500 communities with gates, 60 facilities per category. */
function generateCity() {
  const rnd = rng(20261202);
  const P = makeProjection(121.55, 29.9);
  const n = 120,
    step = 90;
  const X: number[] = [],
    Y: number[] = [];
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      X.push(i * step + (rnd() - 0.5) * 30);
      Y.push(j * step + (rnd() - 0.5) * 30);
    }
  const ll = (k: number) => toLonLat(P, X[k], Y[k]);
  const roads: RoadLike[] = [];
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      const k = j * n + i;
      for (const nb of [i + 1 < n ? k + 1 : -1, j + 1 < n ? k + n : -1])
        if (nb >= 0 && rnd() > 0.08) roads.push({ type: 'Feature', properties: { id: `r${roads.length}`, highway: 'residential' }, geometry: { type: 'LineString', coordinates: [ll(k), ll(nb)] } });
    }
  const side = n * step;
  const communities: CommunityInput[] = [];
  const gates: GateInput[] = [];
  for (let c = 0; c < 1500; c++) {
    const cx = rnd() * side,
      cy = rnd() * side,
      h = 50 + rnd() * 60;
    const ring = [
      [cx - h, cy - h],
      [cx + h, cy - h],
      [cx + h, cy + h],
      [cx - h, cy + h],
      [cx - h, cy - h],
    ].map(([x, y]) => toLonLat(P, x, y));
    const id = `C${c}`;
    communities.push({ type: 'Feature', properties: { id, residents: 500 + Math.floor(rnd() * 4000) }, geometry: { type: 'Polygon', coordinates: [ring] } });
    gates.push({ type: 'Feature', properties: { id: `${id}-G`, community_id: id }, geometry: { type: 'Point', coordinates: toLonLat(P, cx, cy - h) } });
  }
  const facilities: FacilityInput[] = [];
  for (const category of ['health_station', 'health_center'])
    for (let f = 0; f < 60; f++) facilities.push({ type: 'Feature', properties: { id: `${category}-${f}`, category }, geometry: { type: 'Point', coordinates: toLonLat(P, rnd() * side, rnd() * side) } });
  return { roads, communities, gates, facilities };
}

export async function run(): Promise<void> {
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' / ')} (1/5/15 min)`);
  const solver = await loadSolver();
  const city = generateCity();
  const g = buildWalkGraph(city.roads);
  const ctx = prepareCoverage(city.communities, city.gates, g);
  console.log(`generated city: ${g.nodeCount} nodes, ${g.edgeCount} edges, ${city.communities.length} communities; candidates: network nodes thinned to one per 150 m cell`);
  for (const category of ['health_station', 'health_center']) {
    const rule = STANDARDS.gb50180.rules.find((r) => r.category === category)!;
    const standard: Standard = { ...STANDARDS.gb50180, rules: [rule] };
    const cov = computeCoverage(ctx, city.facilities, standard, DEFAULT_PARAMS);
    const threshold = DEFAULT_PARAMS.tierDistanceM[rule.tier];
    const demand = demandFromCoverage(ctx, cov, category);
    let t0 = performance.now();
    const { inst } = mclpInstance(g, demand, threshold, nodeCandidates(g, 150));
    const tInst = performance.now() - t0;
    const total = inst.weights.reduce((s, w) => s + w, 0);
    console.log(
      `\n-- ${category} (${threshold} m): ${demand.length} uncovered communities (${total} residents), ${inst.sets.length} candidate cover sets after removing duplicates and dominated ones; instance built in ${fmt(tInst)} ms`,
    );
    console.log('   k | greedy | HiGHS default budget: value status (bound) time | JS B&B 5,000 nodes: value status time | exact optimum (time) | greedy/opt');
    for (const k of [1, 5, 10, 20, 40, 60, 80, 100, 120, 150]) {
      const ts: number[] = [];
      let h = solveMclp(inst, k, solver);
      for (let r = 0; r < 5; r++) {
        t0 = performance.now();
        h = solveMclp(inst, k, solver);
        ts.push(performance.now() - t0);
      }
      ts.sort((a, b) => a - b);
      t0 = performance.now();
      const bb = solveMclp(inst, k, null, { maxNodes: 5000 });
      const tBB = performance.now() - t0;
      t0 = performance.now();
      const ex = h.status === 'exact' ? h : solveMclp(inst, k, solver, { maxNodes: 10_000_000 });
      const tEx = h.status === 'exact' ? ts[2] : performance.now() - t0;
      const opt = ex.status === 'exact' ? `${ex.value}` : `≥ ${ex.value}, ≤ ${Math.round(ex.bound)}`;
      console.log(
        `  ${String(k).padStart(3)} | ${h.greedyValue} | ${h.value} ${h.status}${h.status === 'gap' ? ` (≤ ${Math.round(h.bound)})` : ''} ${fmt(ts[2])} ms (${fmt(ts[0])}–${fmt(ts[4])}), ${h.nodes} nodes` +
          ` | ${bb.value} ${bb.status}${bb.status === 'gap' ? ` (≤ ${Math.round(bb.bound)})` : ''} ${fmt(tBB)} ms | ${opt} (${fmt(tEx)} ms) | ${((100 * h.greedyValue) / ex.value).toFixed(2)} %`,
      );
    }
  }
}
