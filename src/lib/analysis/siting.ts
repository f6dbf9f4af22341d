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
 * set; duplicate and dominated cover sets are dropped. Then
 *  - greedy (add the site with the largest marginal gain, k times), which is within (1 − 1/e) ≈ 63.2 % of the
 *    optimum for this submodular objective (Nemhauser, Wolsey & Fisher 1978); and
 *  - exact branch and bound (include/exclude in order of weight, bound = covered + sum of the r largest
 *    marginal gains among the remaining candidates), seeded with the greedy value. If it finishes within
 *    `maxNodes` branch nodes (≈ 1 s) the result is exact; otherwise the greedy answer is returned and the
 *    result says so, with its bound.
 * Complexity: O(D · (V + E) log V) bounded searches for D uncovered communities; greedy O(k · C · D/32);
 * B&B exponential in k in the worst case, hence the node budget.
 */
import { snapLonLat, type Snap } from './snap';
import type { CoverageContext, CoverageResult } from './coverage';
import { multiSourceReach, reachAt } from './reach';
import { meets } from './coverage';
import type { WalkGraph } from './walkgraph';
import { toLonLat } from './localproj';

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
  method: 'exact' | 'greedy';
  /** plain-language statement of the guarantee */
  guarantee: string;
  k: number;
  sites: SuggestedSite[];
  totalAdded: number;
  /** an upper bound on the optimum (equal to totalAdded when exact) */
  upperBound: number;
  demandResidents: number;
  candidatesConsidered: number;
  branchNodes: number;
}

export interface SitingOptions {
  k: number;
  threshold: number;
  /** branch-and-bound node budget; beyond it the greedy answer is returned (default 200,000) */
  maxNodes?: number;
  /** wall-clock budget for branch and bound, ms (default 1000; pass Infinity for reproducible tests) */
  timeBudgetMs?: number;
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

/**
 * Solve the MCLP. `candidates` may be given; otherwise graph nodes within the threshold of some demand are used.
 */
export function suggestSites(g: WalkGraph, demand: readonly SitingDemand[], opts: SitingOptions, candidates?: readonly SitingCandidate[]): SitingResult {
  const k = Math.max(0, Math.floor(opts.k));
  const D = demand.length;
  const W = Math.ceil(D / 32) || 1;
  const demandResidents = demand.reduce((s, d) => s + d.weight, 0);

  // one bounded search per uncovered community; also marks the nodes near any demand
  const fields = demand.map((d) => multiSourceReach(g, d.origins, { cutoff: opts.threshold }));
  let cands: readonly SitingCandidate[];
  if (candidates) cands = candidates;
  else {
    const near = new Float64Array(g.nodeCount).fill(Infinity);
    for (const f of fields) for (let n = 0; n < g.nodeCount; n++) if (f.dist[n] < near[n]) near[n] = f.dist[n];
    cands = nodeCandidates(g, 50, near, opts.threshold);
  }

  // cover sets as bitsets over demand
  const sets: Uint32Array[] = [];
  const setCand: number[] = [];
  const keyOf = new Map<string, number>();
  cands.forEach((c, ci) => {
    const bits = new Uint32Array(W);
    let any = false;
    fields.forEach((f, di) => {
      const r = reachAt(g, f, c.snap);
      if (Number.isFinite(r.dist) && meets(r.dist, opts.threshold)) {
        bits[di >> 5] |= 1 << (di & 31);
        any = true;
      }
    });
    if (!any) return;
    const key = bits.join(',');
    if (keyOf.has(key)) return; // identical cover set: keep the first candidate
    keyOf.set(key, sets.length);
    sets.push(bits);
    setCand.push(ci);
  });

  const weightOf = (bits: Uint32Array, exclude?: Uint32Array) => {
    let s = 0;
    for (let w = 0; w < W; w++) {
      let b = bits[w] & ~(exclude ? exclude[w] : 0);
      while (b) {
        const t = b & -b;
        s += demand[(w << 5) + (31 - Math.clz32(t))].weight;
        b ^= t;
      }
    }
    return s;
  };

  // drop dominated sets (a subset of another set): they can never do better
  const order = sets.map((_, i) => i).sort((a, b) => weightOf(sets[b]) - weightOf(sets[a]) || a - b);
  const kept: number[] = [];
  for (const i of order) {
    const dominated = kept.some((j) => {
      for (let w = 0; w < W; w++) if ((sets[i][w] & ~sets[j][w]) !== 0) return false;
      return true;
    });
    if (!dominated) kept.push(i);
  }
  const C = kept.length;
  const S = kept.map((i) => sets[i]);
  const SW = S.map((s) => weightOf(s));

  // greedy
  const covered = new Uint32Array(W);
  const greedy: number[] = [];
  for (let step = 0; step < Math.min(k, C); step++) {
    let best = -1;
    let bestGain = 0;
    for (let i = 0; i < C; i++) {
      if (greedy.includes(i)) continue;
      const gain = weightOf(S[i], covered);
      if (gain > bestGain) {
        bestGain = gain;
        best = i;
      }
    }
    if (best < 0) break;
    greedy.push(best);
    for (let w = 0; w < W; w++) covered[w] |= S[best][w];
  }
  const greedyValue = weightOf(covered);

  // branch and bound over candidates in weight order
  const maxNodes = opts.maxNodes ?? 200_000;
  const deadline = now() + (opts.timeBudgetMs ?? 1000);
  let nodes = 0;
  let bestValue = greedyValue;
  let bestSet = [...greedy];
  let exhausted = false;
  const chosen: number[] = [];
  const gains = new Float64Array(C);
  const dfs = (pos: number, cov: Uint32Array, value: number) => {
    if (exhausted) return;
    if (++nodes > maxNodes || ((nodes & 63) === 0 && now() > deadline)) {
      exhausted = true;
      return;
    }
    const r = k - chosen.length;
    if (r === 0 || pos >= C) return;
    // bound: value + the r largest marginal gains among the remaining candidates
    let m = 0;
    for (let i = pos; i < C; i++) gains[m++] = weightOf(S[i], cov);
    const top = Array.from(gains.subarray(0, m)).sort((a, b) => b - a);
    let bound = value;
    for (let q = 0; q < Math.min(r, top.length); q++) bound += top[q];
    if (bound <= bestValue) return;
    // include pos
    const gain = weightOf(S[pos], cov);
    if (gain > 0) {
      const next = cov.slice();
      for (let w = 0; w < W; w++) next[w] |= S[pos][w];
      chosen.push(pos);
      if (value + gain > bestValue) {
        bestValue = value + gain;
        bestSet = [...chosen];
      }
      dfs(pos + 1, next, value + gain);
      chosen.pop();
    }
    // exclude pos
    dfs(pos + 1, cov, value);
  };
  if (k > 0 && C > 0) dfs(0, new Uint32Array(W), 0);

  const exact = !exhausted;
  const pick = exact ? bestSet : greedy;
  // report sites in order of marginal contribution
  const cov = new Uint32Array(W);
  const remaining = [...pick];
  const sites: SuggestedSite[] = [];
  while (remaining.length > 0) {
    remaining.sort((a, b) => weightOf(S[b], cov) - weightOf(S[a], cov) || a - b);
    const i = remaining.shift()!;
    const added: string[] = [];
    let addedW = 0;
    for (let di = 0; di < D; di++) {
      const bit = 1 << (di & 31);
      if (S[i][di >> 5] & bit && !(cov[di >> 5] & bit)) {
        added.push(demand[di].id);
        addedW += demand[di].weight;
      }
    }
    for (let w = 0; w < W; w++) cov[w] |= S[i][w];
    sites.push({ candidate: cands[setCand[kept[i]]], addedResidents: addedW, addedCommunities: added });
  }
  const totalAdded = sites.reduce((s, x) => s + x.addedResidents, 0);
  const topK = [...SW].sort((a, b) => b - a).slice(0, k).reduce((s, x) => s + x, 0);
  const upperBound = exact ? totalAdded : Math.min(topK, demandResidents, greedyValue / (1 - 1 / Math.E));
  return {
    method: exact ? 'exact' : 'greedy',
    guarantee: exact
      ? 'exact optimum (branch and bound finished)'
      : `greedy: at least 1 − 1/e ≈ 63.2% of the optimum; the optimum is at most ${Math.round(upperBound)} residents`,
    k,
    sites,
    totalAdded,
    upperBound: Math.round(upperBound),
    demandResidents,
    candidatesConsidered: C,
    branchNodes: nodes,
  };
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
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
