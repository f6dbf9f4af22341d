/**
 * Suggested sites: the maximal covering location problem (MCLP; Church & ReVelle 1974) for one category.
 *
 * What it computes: up to k new sites, among candidate locations, that together bring the most residents of
 * currently UNCOVERED communities within the category's walking threshold, with existing facilities fixed.
 * Demand = uncovered communities weighted by residents (a community is covered by a site when the walking
 * distance from its best gate to the site is within the threshold). Candidates = graph nodes (thinned to one
 * per `thinM` grid cell) near uncovered demand, or user-marked points (e.g. idle public rooms, 闲置用房).
 *
 * Method: one cutoff-bounded Dijkstra per uncovered community (from its gates) gives each candidate's cover
 * set; duplicate and dominated cover sets are dropped (`mclpInstance`). Then (`solveMclp`):
 *  - greedy (add the site with the largest marginal gain, k times), within (1 − 1/e) ≈ 63.2 % of the optimum
 *    for this submodular objective (Nemhauser, Wolsey & Fisher 1978): the start solution, and the proved
 *    optimum when k = 1 or when it already covers all demand;
 *  - the MCLP as an integer programme, solved by HiGHS (solver.ts):
 *        max Σ_i w_i y_i   s.t.  y_i ≤ Σ_{j covers i} x_j,  Σ_j x_j ≤ k,  x_j ∈ {0,1},  0 ≤ y_i ≤ 1
 *    within a budget of branch-and-bound NODES (default 50,000), never wall-clock time, so the answer does
 *    not depend on the machine's load. 'exact' when the solver proves optimality; otherwise 'gap': the best
 *    solution found (never worse than greedy: greedy is passed as the start and compared again) and the
 *    solver's dual bound (LP relaxation tightened by its cuts and branching) as the stated upper bound;
 *  - without the solver (it failed to load): exact branch and bound in pure JS (include/exclude in order of
 *    weight, bound = covered + the r largest marginal gains) within a node budget, seeded with greedy; on
 *    the budget it returns the best set it found (≥ greedy) and the bound min(Σ top-k cover weights,
 *    greedy / (1 − 1/e), total demand), and says that bound is combinatorial.
 * Complexity: O(D · (V + E) log V) bounded searches for D uncovered communities; greedy O(k · C · D); the
 * exact search is exponential in the worst case, hence the node budgets.
 */
import { snapLonLat, type Snap } from './snap';
import type { CoverageContext, CoverageResult } from './coverage';
import { multiSourceReach, reachAt } from './reach';
import { meets } from './coverage';
import type { WalkGraph } from './walkgraph';
import { toLonLat } from './localproj';
import { solveMip, type MipProblem, type MipRow, type Solver } from './solver';

export interface SitingDemand {
  id: string;
  weight: number;
  origins: readonly Snap[];
}

export interface SitingCandidate {
  id: string;
  kind: 'node' | 'marked';
  label?: string;
  lon: number;
  lat: number;
  /** where the candidate joins the network */
  snap: Snap;
}

export interface SuggestedSite {
  candidate: SitingCandidate;
  /** residents newly covered by this site, given the sites listed before it */
  addedResidents: number;
  addedCommunities: string[];
}

export interface SitingResult {
  /** 'exact': proved optimal; 'gap': the best found within the node budget, with `upperBound` above it */
  method: 'exact' | 'gap';
  /** plain-language statement of the guarantee */
  guarantee: string;
  k: number;
  sites: SuggestedSite[];
  totalAdded: number;
  /** an upper bound on the optimum (equal to totalAdded when exact) */
  upperBound: number;
  /** where the bound comes from: the proof, the solver's dual bound, or the combinatorial bound of the JS search */
  boundSource: 'optimal' | 'solver' | 'combinatorial';
  /** what greedy alone would have added (the start solution) */
  greedyValue: number;
  solver: 'highs' | 'branch-and-bound';
  demandResidents: number;
  candidatesConsidered: number;
  branchNodes: number;
}

export interface SitingOptions {
  k: number;
  threshold: number;
  /** search node budget (solver or JS branch and bound); default 50,000. No wall-clock budget: answers do not depend on load */
  maxNodes?: number;
}

/** Graph nodes as candidates, one per `thinM` grid cell (the lowest node id in the cell, for determinism). */
export function nodeCandidates(g: WalkGraph, thinM = 50, near?: Float64Array, maxDist = Infinity): SitingCandidate[] {
  const seen = new Set<string>();
  const out: SitingCandidate[] = [];
  for (let n = 0; n < g.nodeCount; n++) {
    if (near && !(near[n] <= maxDist)) continue;
    const key = `${Math.floor(g.nodeX[n] / thinM)},${Math.floor(g.nodeY[n] / thinM)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // a node sits on each of its edges at distance 0 from that end
    const k = g.adjStart[n];
    if (k === g.adjStart[n + 1]) continue;
    const e = g.adjEdge[k];
    const atA = g.edgeA[e] === n;
    const [lon, lat] = toLonLat(g.proj, g.nodeX[n], g.nodeY[n]);
    out.push({
      id: `node-${n}`,
      kind: 'node',
      lon,
      lat,
      snap: { edge: e, toA: atA ? 0 : g.edgeLen[e], toB: atA ? g.edgeLen[e] : 0, snapDist: 0, x: g.nodeX[n], y: g.nodeY[n], sx: g.nodeX[n], sy: g.nodeY[n] },
    });
  }
  return out;
}

/** The combinatorial MCLP: demand weights and, per kept candidate, the demand indices it covers. */
export interface MclpInstance {
  weights: readonly number[];
  sets: readonly (readonly number[])[];
}

export interface MclpOptions {
  /** node budget of the solver (or of the JS branch and bound without it); default 50,000 */
  maxNodes?: number;
}

export interface MclpSolution {
  /** chosen set indices */
  chosen: number[];
  value: number;
  /** 'exact': proved optimal; 'gap': best found within the node budget, `bound` above it */
  status: 'exact' | 'gap';
  /** upper bound on the optimum (= value when exact) */
  bound: number;
  /** where the bound comes from */
  boundSource: 'optimal' | 'solver' | 'combinatorial';
  greedyValue: number;
  nodes: number;
  solver: 'highs' | 'branch-and-bound';
}

/** Coverage value of a set of chosen sets. */
export function coverValue(inst: MclpInstance, chosen: readonly number[]): number {
  const cov = new Set<number>();
  for (const j of chosen) for (const i of inst.sets[j]) cov.add(i);
  let v = 0;
  for (const i of cov) v += inst.weights[i];
  return v;
}

function greedyMclp(inst: MclpInstance, k: number): number[] {
  const covered = new Uint8Array(inst.weights.length);
  const chosen: number[] = [];
  for (let step = 0; step < Math.min(k, inst.sets.length); step++) {
    let best = -1,
      bestGain = 0;
    inst.sets.forEach((s, j) => {
      if (chosen.includes(j)) return;
      let gain = 0;
      for (const i of s) if (!covered[i]) gain += inst.weights[i];
      if (gain > bestGain) ((bestGain = gain), (best = j));
    });
    if (best < 0) break;
    chosen.push(best);
    for (const i of inst.sets[best]) covered[i] = 1;
  }
  return chosen;
}

/** Pure-JS branch and bound with a node budget, seeded with `seed`; returns the best set found. */
export function branchAndBoundMclp(inst: MclpInstance, k: number, seed: readonly number[], maxNodes: number): { chosen: number[]; value: number; finished: boolean; nodes: number } {
  const C = inst.sets.length;
  const order = inst.sets.map((_, j) => j).sort((a, b) => coverValue(inst, [b]) - coverValue(inst, [a]) || a - b);
  const covered = new Int32Array(inst.weights.length);
  const gainOf = (j: number) => {
    let g = 0;
    for (const i of inst.sets[j]) if (covered[i] === 0) g += inst.weights[i];
    return g;
  };
  let best = [...seed];
  let bestValue = coverValue(inst, seed);
  let nodes = 0;
  let stopped = false;
  const chosen: number[] = [];
  const dfs = (pos: number, value: number) => {
    if (stopped) return;
    if (++nodes > maxNodes) {
      stopped = true;
      return;
    }
    const r = k - chosen.length;
    if (r === 0 || pos >= C) return;
    const gains: number[] = [];
    for (let q = pos; q < C; q++) gains.push(gainOf(order[q]));
    gains.sort((a, b) => b - a);
    let bound = value;
    for (let q = 0; q < Math.min(r, gains.length); q++) bound += gains[q];
    if (bound <= bestValue) return;
    const j = order[pos];
    const gain = gainOf(j);
    if (gain > 0) {
      for (const i of inst.sets[j]) covered[i]++;
      chosen.push(j);
      if (value + gain > bestValue) ((bestValue = value + gain), (best = [...chosen]));
      dfs(pos + 1, value + gain);
      chosen.pop();
      for (const i of inst.sets[j]) covered[i]--;
    }
    dfs(pos + 1, value);
  };
  if (k > 0 && C > 0) dfs(0, 0);
  return { chosen: best, value: bestValue, finished: !stopped, nodes };
}

/** The MCLP as an integer programme for HiGHS: columns x_0..x_{C-1} (sites), then y_0..y_{D-1} (demand). */
function mclpModel(inst: MclpInstance, k: number): MipProblem {
  const C = inst.sets.length,
    D = inst.weights.length;
  const coveredBy: number[][] = Array.from({ length: D }, () => []);
  inst.sets.forEach((s, j) => s.forEach((i) => coveredBy[i].push(j)));
  const rows: MipRow[] = coveredBy.map((js, i) => ({ lower: -Infinity, upper: 0, idx: [C + i, ...js], val: [1, ...js.map(() => -1)] }));
  rows.push({ lower: -Infinity, upper: k, idx: inst.sets.map((_, j) => j), val: inst.sets.map(() => 1) });
  return {
    sense: 'max',
    cost: [...new Array<number>(C).fill(0), ...inst.weights],
    upper: new Array<number>(C + D).fill(1),
    integer: [...new Array<number>(C).fill(1), ...new Array<number>(D).fill(0)],
    rows,
  };
}

/**
 * Solve the MCLP on an instance: HiGHS when `solver` is given (exact or gap with the solver's bound), else the
 * JS branch and bound. Never returns less than greedy or than the best solution either search found.
 */
export function solveMclp(inst: MclpInstance, k: number, solver: Solver | null, opts: MclpOptions = {}): MclpSolution {
  k = Math.max(0, Math.floor(k));
  const maxNodes = opts.maxNodes ?? 50_000;
  const total = inst.weights.reduce((s, w) => s + w, 0);
  const greedy = greedyMclp(inst, k);
  const greedyValue = coverValue(inst, greedy);
  if (k === 0 || inst.sets.length === 0)
    return { chosen: [], value: 0, status: 'exact', bound: 0, boundSource: 'optimal', greedyValue: 0, nodes: 0, solver: solver ? 'highs' : 'branch-and-bound' };
  // cheap proofs: one site (greedy takes the best single set), or greedy already covering all demand
  if (k === 1 || greedyValue === total)
    return { chosen: greedy, value: greedyValue, status: 'exact', bound: greedyValue, boundSource: 'optimal', greedyValue, nodes: 0, solver: solver ? 'highs' : 'branch-and-bound' };
  if (solver) {
    const C = inst.sets.length;
    const start = new Float64Array(C + inst.weights.length);
    for (const j of greedy) start[j] = 1;
    for (const j of greedy) for (const i of inst.sets[j]) start[C + i] = 1;
    const r = solveMip(solver, mclpModel(inst, k), { maxNodes, start });
    const mip = r.x ? inst.sets.map((_, j) => j).filter((j) => r.x![j] > 0.5) : [];
    const mipValue = r.x ? coverValue(inst, mip) : -1;
    const [chosen, value] = mipValue >= greedyValue ? [mip, mipValue] : [greedy, greedyValue];
    const exact = r.status === 'optimal' && mipValue >= greedyValue;
    return {
      chosen,
      value,
      status: exact ? 'exact' : 'gap',
      bound: exact ? value : Math.max(value, Math.min(total, r.bound)),
      boundSource: exact ? 'optimal' : 'solver',
      greedyValue,
      nodes: r.nodes,
      solver: 'highs',
    };
  }
  const bb = branchAndBoundMclp(inst, k, greedy, maxNodes);
  const topK = inst.sets
    .map((_, j) => coverValue(inst, [j]))
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((s, x) => s + x, 0);
  const bound = bb.finished ? bb.value : Math.max(bb.value, Math.min(topK, total, greedyValue / (1 - 1 / Math.E)));
  return {
    chosen: bb.chosen,
    value: bb.value,
    status: bb.finished ? 'exact' : 'gap',
    bound,
    boundSource: bb.finished ? 'optimal' : 'combinatorial',
    greedyValue,
    nodes: bb.nodes,
    solver: 'branch-and-bound',
  };
}

/**
 * Cover sets of the candidates over the demand (bounded walking searches), without duplicate or dominated
 * sets. `candidates` may be given; otherwise graph nodes within the threshold of some demand are used.
 */
export function mclpInstance(
  g: WalkGraph,
  demand: readonly SitingDemand[],
  threshold: number,
  candidates?: readonly SitingCandidate[],
): { inst: MclpInstance; cands: readonly SitingCandidate[]; candOf: number[] } {
  const fields = demand.map((d) => multiSourceReach(g, d.origins, { cutoff: threshold }));
  let cands: readonly SitingCandidate[];
  if (candidates) cands = candidates;
  else {
    const near = new Float64Array(g.nodeCount).fill(Infinity);
    for (const f of fields) for (let n = 0; n < g.nodeCount; n++) if (f.dist[n] < near[n]) near[n] = f.dist[n];
    cands = nodeCandidates(g, 50, near, threshold);
  }
  const sets: number[][] = [];
  const setCand: number[] = [];
  const seen = new Set<string>();
  cands.forEach((c, ci) => {
    const s: number[] = [];
    fields.forEach((f, di) => {
      const r = reachAt(g, f, c.snap);
      if (Number.isFinite(r.dist) && meets(r.dist, threshold)) s.push(di);
    });
    const key = s.join(',');
    if (s.length === 0 || seen.has(key)) return; // identical cover set: keep the first candidate
    seen.add(key);
    sets.push(s);
    setCand.push(ci);
  });
  const weights = demand.map((d) => d.weight);
  const w = (s: readonly number[]) => s.reduce((t, i) => t + weights[i], 0);
  // drop dominated sets (a subset of another): they can never do better
  const order = sets.map((_, i) => i).sort((a, b) => w(sets[b]) - w(sets[a]) || sets[b].length - sets[a].length || a - b);
  const kept: number[] = [];
  const asSet = sets.map((s) => new Set(s));
  for (const i of order) if (!kept.some((j) => sets[i].every((d) => asSet[j].has(d)))) kept.push(i);
  return { inst: { weights, sets: kept.map((i) => sets[i]) }, cands, candOf: kept.map((i) => setCand[i]) };
}

/** Solve the MCLP on the walking network (see header); `solver` null → the JS branch and bound. */
export function suggestSites(
  g: WalkGraph,
  demand: readonly SitingDemand[],
  opts: SitingOptions,
  candidates: readonly SitingCandidate[] | undefined,
  solver: Solver | null,
): SitingResult {
  const k = Math.max(0, Math.floor(opts.k));
  const demandResidents = demand.reduce((s, d) => s + d.weight, 0);
  const { inst, cands, candOf } = mclpInstance(g, demand, opts.threshold, candidates);
  const sol = solveMclp(inst, k, solver, { maxNodes: opts.maxNodes });
  // report sites in order of marginal contribution
  const covered = new Uint8Array(demand.length);
  const remaining = [...sol.chosen];
  const sites: SuggestedSite[] = [];
  const gain = (j: number) => inst.sets[j].reduce((t, i) => t + (covered[i] ? 0 : inst.weights[i]), 0);
  while (remaining.length > 0) {
    remaining.sort((a, b) => gain(b) - gain(a) || a - b);
    const j = remaining.shift()!;
    const added = inst.sets[j].filter((i) => !covered[i]);
    for (const i of added) covered[i] = 1;
    sites.push({ candidate: cands[candOf[j]], addedResidents: added.reduce((t, i) => t + inst.weights[i], 0), addedCommunities: added.map((i) => demand[i].id) });
  }
  const totalAdded = sites.reduce((s, x) => s + x.addedResidents, 0);
  return {
    method: sol.status,
    guarantee:
      sol.status === 'exact'
        ? `exact optimum (proved by ${sol.solver === 'highs' ? 'the HiGHS solver' : 'branch and bound'})`
        : `best found within ${sol.nodes} search nodes; the optimum is at most ${Math.round(sol.bound)} residents (${sol.boundSource === 'solver' ? "the solver's bound" : 'a combinatorial bound'})`,
    k,
    sites,
    totalAdded,
    upperBound: Math.round(sol.bound),
    boundSource: sol.boundSource,
    greedyValue: sol.greedyValue,
    solver: sol.solver,
    demandResidents,
    candidatesConsidered: inst.sets.length,
    branchNodes: sol.nodes,
  };
}

/** Demand for one category: the communities that do not meet it, weighted by residents, with their snapped gates. */
export function demandFromCoverage(ctx: CoverageContext, result: CoverageResult, category: string): SitingDemand[] {
  const k = result.rules.findIndex((r) => r.category === category);
  if (k < 0) throw new Error(`category "${category}" is not part of the standard in force (${result.standardId})`);
  const out: SitingDemand[] = [];
  result.communities.forEach((c, i) => {
    if (c.byCategory[k].met || c.residents <= 0) return;
    const origins = ctx.communities[i].origins.map((o) => o.snap).filter((s): s is Snap => s !== null);
    if (origins.length > 0) out.push({ id: c.id, weight: c.residents, origins });
  });
  return out;
}

/** User-marked candidate points (e.g. idle public rooms) snapped to the network; points off the network are skipped. */
export function markedCandidates(g: WalkGraph, points: readonly { id: string; label?: string; lon: number; lat: number }[], maxSnapM?: number): SitingCandidate[] {
  const out: SitingCandidate[] = [];
  for (const p of points) {
    const snap = snapLonLat(g, p.lon, p.lat, maxSnapM);
    if (snap) out.push({ id: p.id, kind: 'marked', label: p.label, lon: p.lon, lat: p.lat, snap });
  }
  return out;
}
