/**
 * Optimal renovation bundles (连片改造): the same constraints as bundle.ts, solved for a stated objective.
 *
 * Objective (lexicographic, in this order):
 *  1. maximise what is in valid bundles: the number of communities (default) or their households
 *     (`objective: 'households'`). For an official an unbundled community is a project tendered alone, so
 *     this comes first.
 *  2. among plans with the best (1), minimise the spread
 *        Σ_bundles Σ_{i ∈ b} mean_{j ∈ b, j ≠ i} d(i, j),  d(i,j) = ‖c_i − c_j‖ / D + w · (1 − J(G_i, G_j))
 *     with bundle.ts's dissimilarity (centroid distance over the reference distance D, plus the gap weight
 *     times the Jaccard distance of the missing facility categories): compact bundles whose members lack
 *     the same facilities (one new facility then serves the whole bundle). Each bundled community counts
 *     once, by its mean dissimilarity to its co-members, so large and small bundles are judged alike.
 * The two stages are solved one after the other (stage 2 keeps stage 1's value as a constraint), so (2)
 * never trades away a community.
 *
 * Method, per connected component of the admissible neighbour graph (same 街道 / batch when required):
 *  - enumerate every connected admissible group: 2 … max communities members, connected through admissible
 *    neighbour pairs, size within [min, max] and centroid span ≤ max span. ESU enumeration (S. Wernicke,
 *    2006, "Efficient detection of network motifs", IEEE/ACM TCBB 3(4):347–359) lists each connected set
 *    once; branches that break the size maximum or the span are cut (both only grow with more members);
 *  - choose groups with a set-packing MIP (each community in at most one group) solved by HiGHS
 *    (solver.ts) within a node budget, started from the heuristic plan;
 *  - when a component has more groups than `maxGroups`, or there is no solver, or the node budget stops the
 *    search: the heuristic plan (bundle.ts, REDCAP + max-p enclaves) improved by local search (insert an
 *    unbundled community into a neighbouring bundle, form a bundle of unbundled neighbours, take a member
 *    from a neighbouring bundle that stays valid without it, move or swap members between neighbouring
 *    bundles), with an upper bound: the solver's dual bound, or — without a complete model — the
 *    communities that have at least one admissible neighbour they could pair with.
 * The result says which (`quality.status` exact | gap, `bound`).
 *
 * Complexity: the number of groups grows with degree^(max communities − 1) per community in the worst case;
 * the size and span limits keep it small on real data (default data: hundreds; generated city: see
 * bench/bundle.bench.ts). Pure: no DOM, no map; the solver is passed in.
 */
import type { CommunityFeature } from '../domain/types';
import type { Adjacency } from './adjacency';
import {
  dissim,
  finishPlan,
  generateBundles,
  prepare,
  resolveBundleOptions,
  type BundleObjective,
  type BundleOptions,
  type BundlePlan,
  type Prepared,
  type ResolvedBundleOptions,
} from './bundle';
import { solveMip, type Solver } from './solver';

export interface OptimiseOptions extends BundleOptions {
  /** what the first objective counts (default communities) */
  objective?: BundleObjective;
  /** most groups enumerated per component before it is left to local search (default 100,000) */
  maxGroups?: number;
  /** solver node budget per stage and component (default 20,000) */
  maxNodes?: number;
}

export const BUNDLE_OPT_METHOD =
  'exact set packing over all connected admissible groups (ESU enumeration, HiGHS MIP): most communities bundled, then the least spread; start and fallback: REDCAP + max-p + local search';

/** Instance data shared by local search, enumeration and the model. */
export interface Ctx {
  P: Prepared;
  o: ResolvedBundleOptions;
  /** first-objective value of each community (1, or its households) */
  value: Float64Array;
}

function span(ctx: Ctx, g: readonly number[]): number {
  let s = 0;
  for (let a = 0; a < g.length; a++)
    for (let b = a + 1; b < g.length; b++) s = Math.max(s, Math.hypot(ctx.P.cx[g[a]] - ctx.P.cx[g[b]], ctx.P.cy[g[a]] - ctx.P.cy[g[b]]));
  return s;
}

function connected(P: Prepared, g: readonly number[]): boolean {
  const inG = new Set(g);
  const seen = new Set([g[0]]);
  const stack = [g[0]];
  while (stack.length) {
    const i = stack.pop()!;
    for (const j of P.nbr[i])
      if (inG.has(j) && !seen.has(j)) {
        seen.add(j);
        stack.push(j);
      }
  }
  return seen.size === g.length;
}

/** Whether a group is a valid bundle under the options (≥ 2 members, limits, span, contiguity). */
export function validGroup(ctx: Ctx, g: readonly number[]): boolean {
  const { o, P } = ctx;
  if (g.length < 2 || g.length > o.maxCommunities) return false;
  let s = 0;
  for (const i of g) s += P.size[i];
  if (o.maxSize !== null && s > o.maxSize) return false;
  if (o.minSize !== null && s < o.minSize) return false;
  if (span(ctx, g) > o.maxSpanM) return false;
  return connected(P, g);
}

/** Second objective of one group: Σ_i mean_{j≠i} d(i,j) = 2 Σ_{pairs} d / (|g| − 1). */
function spreadOf(ctx: Ctx, g: readonly number[]): number {
  if (g.length < 2) return 0;
  let s = 0;
  for (let a = 0; a < g.length; a++) for (let b = a + 1; b < g.length; b++) s += dissim(ctx.P, ctx.o, g[a], g[b]).d;
  return (2 * s) / (g.length - 1);
}

function valueOf(ctx: Ctx, g: readonly number[]): number {
  let s = 0;
  for (const i of g) s += ctx.value[i];
  return s;
}

/** Connected components of the admissible neighbour graph (ascending positions). */
function components(P: Prepared): number[][] {
  const comp = new Int32Array(P.n).fill(-1);
  const out: number[][] = [];
  for (let s = 0; s < P.n; s++) {
    if (comp[s] >= 0) continue;
    const list = [s];
    comp[s] = out.length;
    for (let q = 0; q < list.length; q++) for (const j of P.nbr[list[q]]) if (comp[j] < 0) ((comp[j] = out.length), list.push(j));
    out.push(list.sort((a, b) => a - b));
  }
  return out;
}

/**
 * Every connected admissible group of a component (ESU, Wernicke 2006), or null when there are more than
 * `cap`. Branches over the size maximum or the span are cut: adding members only increases both.
 */
export function enumerateGroups(ctx: Ctx, comp: readonly number[], cap: number): number[][] | null {
  const { P, o } = ctx;
  const out: number[][] = [];
  const sub: number[] = [];
  const inSub = new Uint8Array(P.n);
  const nearSub = new Int32Array(P.n); // how many members of sub a node is adjacent to (or is)
  let overflow = false;
  const extend = (v: number, ext: number[], size: number, spanNow: number) => {
    if (overflow) return;
    if (sub.length >= 2 && (o.minSize === null || size >= o.minSize)) {
      if (out.length >= cap) {
        overflow = true;
        return;
      }
      out.push([...sub].sort((a, b) => a - b));
    }
    if (sub.length === o.maxCommunities) return;
    const rest = [...ext];
    while (rest.length > 0) {
      const w = rest.pop()!;
      const s2 = size + P.size[w];
      if (o.maxSize !== null && s2 > o.maxSize) continue;
      let sp = spanNow;
      for (const i of sub) sp = Math.max(sp, Math.hypot(P.cx[i] - P.cx[w], P.cy[i] - P.cy[w]));
      if (sp > o.maxSpanM) continue;
      // exclusive neighbours of w: above v, not in sub and not adjacent to sub
      const next = [...rest];
      for (const u of P.nbr[w]) if (u > v && nearSub[u] === 0 && !inSub[u]) next.push(u);
      sub.push(w);
      inSub[w] = 1;
      nearSub[w]++;
      for (const u of P.nbr[w]) nearSub[u]++;
      extend(v, [...new Set(next)], s2, sp);
      for (const u of P.nbr[w]) nearSub[u]--;
      nearSub[w]--;
      inSub[w] = 0;
      sub.pop();
      if (overflow) return;
    }
  };
  for (const v of comp) {
    if (o.maxSize !== null && P.size[v] > o.maxSize) continue;
    sub.push(v);
    inSub[v] = 1;
    nearSub[v]++;
    for (const u of P.nbr[v]) nearSub[u]++;
    extend(
      v,
      P.nbr[v].filter((u) => u > v),
      P.size[v],
      0,
    );
    for (const u of P.nbr[v]) nearSub[u]--;
    nearSub[v]--;
    inSub[v] = 0;
    sub.pop();
    if (overflow) return null;
  }
  return out;
}

/** A plan under local search: groups by slot (null = dissolved), community → slot (−1 = unbundled). */
interface LsState {
  groups: (number[] | null)[];
  at: Int32Array;
}

function setGroup(st: LsState, slot: number, g: number[] | null): void {
  const old = st.groups[slot];
  if (old) for (const i of old) if (st.at[i] === slot) st.at[i] = -1; // a member swapped in elsewhere keeps its new slot
  st.groups[slot] = g;
  if (g) for (const i of g) st.at[i] = slot;
}

function addGroup(st: LsState, g: number[]): void {
  st.groups.push(null);
  setGroup(st, st.groups.length - 1, g);
}

/** Neighbouring slots of a community (distinct, ascending), excluding `not`. */
function nbrSlots(ctx: Ctx, st: LsState, i: number, not = -1): number[] {
  const s = new Set<number>();
  for (const j of ctx.P.nbr[i]) if (st.at[j] >= 0 && st.at[j] !== not) s.add(st.at[j]);
  return [...s].sort((a, b) => a - b);
}

/**
 * Grow a valid group from `seed` with unbundled neighbours (nearest first by dissimilarity) until it is valid;
 * null when it cannot be made valid that way.
 */
function growFromUnbundled(ctx: Ctx, st: LsState, seed: number[]): number[] | null {
  const g = [...seed];
  for (;;) {
    if (validGroup(ctx, g)) return g.sort((a, b) => a - b);
    if (g.length >= ctx.o.maxCommunities) return null;
    let best = -1,
      bestD = Infinity;
    for (const i of g)
      for (const j of ctx.P.nbr[i]) {
        if (st.at[j] !== -1 || g.includes(j)) continue;
        const trial = [...g, j];
        let s = 0;
        for (const k of trial) s += ctx.P.size[k];
        if ((ctx.o.maxSize !== null && s > ctx.o.maxSize) || span(ctx, trial) > ctx.o.maxSpanM) continue;
        let d = 0;
        for (const k of g) d = Math.max(d, dissim(ctx.P, ctx.o, k, j).d);
        if (d < bestD || (d === bestD && j < best)) ((bestD = d), (best = j));
      }
    if (best < 0) return null;
    g.push(best);
  }
}

/** Moves that bring an unbundled community into a bundle; true when one was applied. */
function bundleOne(ctx: Ctx, st: LsState, u: number): boolean {
  // (1) insert into a neighbouring bundle (least added spread)
  let best: { slot: number; g: number[]; d: number } | null = null;
  for (const slot of nbrSlots(ctx, st, u)) {
    const g = [...st.groups[slot]!, u].sort((a, b) => a - b);
    if (!validGroup(ctx, g)) continue;
    const d = spreadOf(ctx, g) - spreadOf(ctx, st.groups[slot]!);
    if (!best || d < best.d) best = { slot, g, d };
  }
  if (best) {
    setGroup(st, best.slot, best.g);
    return true;
  }
  // (2) a new bundle of unbundled neighbours
  const fresh = growFromUnbundled(ctx, st, [u]);
  if (fresh) {
    addGroup(st, fresh);
    return true;
  }
  // (3) take a member m from a neighbouring bundle A that stays valid without it (or whose loss is smaller)
  for (const m of ctx.P.nbr[u]) {
    const slot = st.at[m];
    if (slot < 0) continue;
    const A = st.groups[slot]!;
    const rest = A.filter((x) => x !== m);
    const restOk = validGroup(ctx, rest);
    st.at[m] = -2; // not available to grow while we try
    const g = growFromUnbundled(ctx, st, [u, m]);
    st.at[m] = slot;
    if (!g) continue;
    const gain = valueOf(ctx, g) - ctx.value[m] - (restOk ? 0 : valueOf(ctx, rest));
    if (gain <= 0) continue;
    setGroup(st, slot, restOk ? rest : null);
    addGroup(st, g);
    return true;
  }
  return false;
}

/** Moves and swaps of members between neighbouring bundles that lower the spread; true when one was applied. */
function reshape(ctx: Ctx, st: LsState, slot: number): boolean {
  const A = st.groups[slot];
  if (!A) return false;
  for (const m of A) {
    const restA = A.filter((x) => x !== m);
    for (const other of nbrSlots(ctx, st, m, slot)) {
      const B = st.groups[other]!;
      const before = spreadOf(ctx, A) + spreadOf(ctx, B);
      // relocate m to B
      const B1 = [...B, m].sort((a, b) => a - b);
      if (validGroup(ctx, restA) && validGroup(ctx, B1) && spreadOf(ctx, restA) + spreadOf(ctx, B1) < before - 1e-9) {
        setGroup(st, slot, restA);
        setGroup(st, other, B1);
        return true;
      }
      // swap m with a member of B
      for (const q of B) {
        const A2 = [...restA, q].sort((a, b) => a - b);
        const B2 = [...B.filter((x) => x !== q), m].sort((a, b) => a - b);
        if (valueOf(ctx, A2) + valueOf(ctx, B2) < valueOf(ctx, A) + valueOf(ctx, B)) continue;
        if (validGroup(ctx, A2) && validGroup(ctx, B2) && spreadOf(ctx, A2) + spreadOf(ctx, B2) < before - 1e-9) {
          setGroup(st, slot, A2);
          setGroup(st, other, B2);
          return true;
        }
      }
    }
  }
  return false;
}

/**
 * Local search from a plan: first bring unbundled communities in (first objective), then move and swap
 * members between neighbouring bundles (second objective). Every move keeps every bundle valid and never
 * lowers the first objective; `maxRounds` bounds the passes (each pass is O(n · degree · k²)).
 */
export function improveLocally(ctx: Ctx, groups: readonly (readonly number[])[], maxRounds = 50): number[][] {
  const st: LsState = { groups: [], at: new Int32Array(ctx.P.n).fill(-1) };
  for (const g of groups) addGroup(st, [...g].sort((a, b) => a - b));
  for (let round = 0; round < maxRounds; round++) {
    let changed = false;
    for (let u = 0; u < ctx.P.n; u++) if (st.at[u] === -1 && ctx.P.nbr[u].length > 0 && bundleOne(ctx, st, u)) changed = true;
    for (let slot = 0; slot < st.groups.length; slot++) if (reshape(ctx, st, slot)) changed = true;
    if (!changed) break;
  }
  return st.groups.filter((g): g is number[] => !!g);
}

interface ComponentAnswer {
  groups: number[][];
  exact: boolean;
  spreadExact: boolean;
  bound: number;
  groupsEnumerated: number;
  nodes: number;
}

/** Trivial upper bound: communities that have an admissible neighbour they could pair with. */
function pairBound(ctx: Ctx, comp: readonly number[]): number {
  const { P, o } = ctx;
  let b = 0;
  for (const i of comp) {
    const ok = P.nbr[i].some(
      (j) =>
        (o.maxSize === null || P.size[i] + P.size[j] <= o.maxSize) &&
        Math.hypot(P.cx[i] - P.cx[j], P.cy[i] - P.cy[j]) <= o.maxSpanM &&
        o.maxCommunities >= 2,
    );
    if (ok) b += ctx.value[i];
  }
  return b;
}

/** Exact set packing of one component's groups, lexicographic (value, then spread), from a start plan. */
function solveComponent(ctx: Ctx, comp: readonly number[], cand: number[][], start: number[][], solver: Solver, maxNodes: number): ComponentAnswer {
  const row = new Map(comp.map((c, r) => [c, r] as const));
  const cover: number[][] = comp.map(() => []);
  cand.forEach((g, j) => {
    for (const i of g) cover[row.get(i)!].push(j);
  });
  const packing = cover.filter((c) => c.length > 1).map((idx) => ({ lower: -Infinity, upper: 1, idx, val: idx.map(() => 1) }));
  const key = (g: readonly number[]) => g.join(',');
  const index = new Map(cand.map((g, j) => [key(g), j] as const));
  // the start plan's bundles are admissible groups, so each is a column (one that is not would be skipped)
  const x0 = new Float64Array(cand.length);
  const started = start.filter((g) => index.has(key(g)));
  for (const g of started) x0[index.get(key(g))!] = 1;
  const value = cand.map((g) => valueOf(ctx, g));
  const spread = cand.map((g) => spreadOf(ctx, g));
  const ones = cand.map(() => 1);
  const startValue = started.reduce((s, g) => s + valueOf(ctx, g), 0);
  const s1 = solveMip(solver, { sense: 'max', cost: value, upper: ones, integer: ones, rows: packing }, { maxNodes, start: x0 });
  const pick = (x: ArrayLike<number>) => cand.filter((_, j) => x[j] > 0.5);
  let best = s1.x && s1.objective >= startValue - 1e-9 ? s1.x : x0;
  const bestValue = Math.max(startValue, s1.x ? s1.objective : -Infinity);
  const bound = s1.status === 'optimal' ? bestValue : Math.max(bestValue, Math.floor(s1.bound + 1e-6));
  // stage 2: keep the value, lower the spread (values are whole numbers: ≥ value − 0.5 keeps it exactly)
  const keep = { lower: bestValue - 0.5, upper: Infinity, idx: cand.map((_, j) => j), val: value };
  const s2 = solveMip(solver, { sense: 'min', cost: spread, upper: ones, integer: ones, rows: [...packing, keep] }, { maxNodes, start: best });
  const spreadBest = (x: ArrayLike<number>) => spread.reduce((s, q, j) => s + (x[j] > 0.5 ? q : 0), 0);
  if (s2.x && s2.objective <= spreadBest(best) + 1e-9) best = s2.x;
  return {
    groups: pick(best),
    exact: s1.status === 'optimal',
    spreadExact: s1.status === 'optimal' && s2.status === 'optimal',
    bound,
    groupsEnumerated: cand.length,
    nodes: s1.nodes + s2.nodes,
  };
}

/**
 * The optimised plan (see header). `solver` null → heuristic + local search only (the result then says
 * 'gap' with the pair bound). Deterministic for the same input, options and solver build.
 */
export function optimiseBundles(communities: readonly CommunityFeature[], adjacency: Adjacency, options: OptimiseOptions = {}, solver: Solver | null): BundlePlan {
  const o = resolveBundleOptions(options);
  const P = prepare(communities, adjacency, o, options.gaps);
  const objective: BundleObjective = options.objective ?? 'communities';
  const value = Float64Array.from(communities, (c) => (objective === 'households' ? c.properties.households : 1));
  const ctx: Ctx = { P, o, value };
  const pos = new Map(adjacency.ids.map((id, i) => [id, i] as const));
  const heuristic = generateBundles(communities, adjacency, options);
  const hGroups = heuristic.bundles.map((b) => b.members.map((m) => pos.get(m)!));
  const improved = improveLocally(ctx, hGroups);
  const compOf = new Int32Array(P.n);
  const comps = components(P);
  comps.forEach((c, k) => c.forEach((i) => (compOf[i] = k)));
  const startBy = comps.map(() => [] as number[][]);
  for (const g of improved) startBy[compOf[g[0]]].push(g);

  const all: number[][] = [];
  let bound = 0,
    groups = 0,
    nodes = 0,
    exactComponents = 0,
    components2 = 0,
    spreadExact = true;
  comps.forEach((comp, k) => {
    if (comp.length < 2) return;
    components2++;
    const cand = solver ? enumerateGroups(ctx, comp, options.maxGroups ?? 100_000) : null;
    if (!cand || !solver) {
      all.push(...startBy[k]);
      bound += pairBound(ctx, comp);
      spreadExact = false;
      return;
    }
    const a = solveComponent(ctx, comp, cand, startBy[k], solver, options.maxNodes ?? 20_000);
    all.push(...a.groups);
    bound += a.bound;
    groups += a.groupsEnumerated;
    nodes += a.nodes;
    if (a.exact) exactComponents++;
    spreadExact &&= a.spreadExact;
  });
  const planValue = all.reduce((s, g) => s + valueOf(ctx, g), 0);
  const bundled = new Set(all.flat());
  const ids = adjacency.ids;
  const plan = finishPlan(
    all.map((g) => g.map((i) => ids[i])),
    ids.filter((_, i) => !bundled.has(i)),
    communities,
    o,
    adjacency,
  );
  const exact = exactComponents === components2;
  return {
    ...plan,
    method: BUNDLE_OPT_METHOD,
    quality: {
      status: exact ? 'exact' : 'gap',
      objective,
      value: planValue,
      bound: exact ? planValue : Math.max(bound, planValue),
      spread: all.reduce((s, g) => s + spreadOf(ctx, g), 0),
      spreadExact: exact && spreadExact,
      heuristicValue: hGroups.reduce((s, g) => s + valueOf(ctx, g), 0),
      groups,
      exactComponents,
      components: components2,
      nodes,
    },
  };
}

/**
 * The two objectives of any plan (e.g. the heuristic's) under `options`, for comparisons: what is in
 * bundles (communities or households) and the spread (see header). Bundles that break a limit are counted
 * in `invalid` and their members not as bundled.
 */
export function evaluatePlan(
  communities: readonly CommunityFeature[],
  adjacency: Adjacency,
  options: OptimiseOptions,
  plan: Pick<BundlePlan, 'bundles'>,
): { value: number; spread: number; invalid: number } {
  const o = resolveBundleOptions(options);
  const P = prepare(communities, adjacency, o, options.gaps);
  const ctx: Ctx = { P, o, value: Float64Array.from(communities, (c) => (options.objective === 'households' ? c.properties.households : 1)) };
  const pos = new Map(adjacency.ids.map((id, i) => [id, i] as const));
  let value = 0,
    spread = 0,
    invalid = 0;
  for (const b of plan.bundles) {
    const g = b.members.map((m) => pos.get(m)!).sort((a, c) => a - c);
    if (!validGroup(ctx, g)) {
      invalid++;
      continue;
    }
    value += valueOf(ctx, g);
    spread += spreadOf(ctx, g);
  }
  return { value, spread, invalid };
}
