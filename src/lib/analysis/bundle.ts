/**
 * Contiguous renovation areas (连片改造 bundles): partition communities into spatially contiguous groups
 * under the user's constraints, preferring compact groups whose members lack the same facilities.
 *
 * Method: contiguity-constrained agglomerative clustering with complete linkage, the "full-order CLK"
 * member of the REDCAP family (D. Guo, 2008, "Regionalization with dynamically constrained agglomerative
 * clustering and partitioning (REDCAP)", Int. J. of Geographical Information Science 22(7):801–823),
 * followed by the enclave-assignment step of the max-p heuristic (J. C. Duque, L. Anselin, S. J. Rey,
 * 2012, "The max-p-regions problem", Journal of Regional Science 52(3):397–419) for groups that stay
 * below a minimum size.
 *
 *  1. Start with every community as its own cluster.
 *  2. Candidate merges are pairs of clusters joined by an admissible adjacency edge (same 街道 and same
 *     batch year when those constraints are on) whose union stays within every maximum (size, number of
 *     communities, span). Merge the pair with the smallest complete linkage
 *        L(A,B) = max_{i∈A, j∈B} d(i,j),   d(i,j) = ‖c_i − c_j‖ / D  +  w · (1 − J(G_i, G_j))
 *     where c are centroids (m), D a reference distance (default 1000 m), G the sets of missing facility
 *     categories, J the Jaccard index (1 when both are empty) and w the weight of shared gaps.
 *     Complete linkage keeps groups compact (it bounds their diameter); the gap term makes communities
 *     with the same missing facilities merge first, so one new facility serves the whole bundle.
 *     Only neighbours merge, so every cluster stays contiguous by construction.
 *  3. Repeat until no admissible merge remains. Ties break on the lowest member positions: deterministic.
 *  4. Clusters below the minimum size are dissolved; their communities are then assigned one at a time to
 *     an adjacent cluster (lowest linkage, maxima respected) — max-p's enclave assignment. Communities that
 *     still fit nowhere stay unbundled, and clusters of one community are not bundles (a bundle joins ≥ 2).
 *
 * Complexity: O(E log E · k²) with E admissible edges and k the largest cluster (bounded by the maximum
 * number of communities; linkage is recomputed from members, k² pairs, instead of keeping an n² matrix).
 *
 * Pure: no DOM, no map; callable from a worker.
 */
import type { CommunityFeature } from '../domain/types';
import type { Adjacency } from './adjacency';
import { projectCommunities } from './adjacency';
import { shapeCentroid, type Pt } from './bundle-geom';
import { communityInvestment, DEFAULT_COST_PARAMS, type CostParams } from './funding';

export type SizeMeasure = 'households' | 'floor_area_m2' | 'investment';

export interface BundleOptions {
  /** keep every bundle inside one 街道 (default true) */
  sameStreet?: boolean;
  /** keep every bundle inside one batch year (default false); communities without a batch year group together */
  sameBatchYear?: boolean;
  /** which size the min/max size constraints measure (default households) */
  sizeMeasure?: SizeMeasure;
  maxSize?: number;
  minSize?: number;
  /** largest number of communities in a bundle (default 6) */
  maxCommunities?: number;
  /** largest distance between two members' centroids, m (default 1000: one 15-minute life circle) */
  maxSpanM?: number;
  /** missing facility categories per community id (from the coverage analysis); optional */
  gaps?: Readonly<Record<string, readonly string[]>>;
  /** weight of the shared-gap term against distance/D (default 0.5; ignored without gaps) */
  gapWeight?: number;
  /** reference distance D of the linkage, m (default 1000) */
  refDistanceM?: number;
  /** costs for the 'investment' size measure */
  costParams?: CostParams;
}

export type ResolvedBundleOptions = Required<Omit<BundleOptions, 'gaps' | 'maxSize' | 'minSize'>> & {
  maxSize: number | null;
  minSize: number | null;
  usesGaps: boolean;
};

export interface Bundle {
  id: string;
  /** member community ids, sorted */
  members: string[];
}

export interface BundlePlan {
  bundles: Bundle[];
  /** communities in no bundle, sorted */
  unbundled: string[];
  method: string;
  options: ResolvedBundleOptions;
  adjacencyMeasure: Adjacency['measure'];
  maxGapM: number;
  /** how good the plan is proved to be (bundle-opt.ts); absent for the heuristic alone */
  quality?: PlanQuality;
}

/** What an optimised plan can say about itself (bundle-opt.ts). */
export interface PlanQuality {
  /** 'exact': no valid bundling includes more (proved by the solver); 'gap': the best found, with a bound */
  status: 'exact' | 'gap';
  /** what the first objective counts */
  objective: BundleObjective;
  /** communities (or households) in bundles in this plan */
  value: number;
  /** no valid bundling includes more than this (equals value when exact) */
  bound: number;
  /** the second objective (lower is better): Σ over bundled communities of their mean dissimilarity to the other members */
  spread: number;
  /** whether the second objective is proved optimal too (among plans with the best first objective) */
  spreadExact: boolean;
  /** the heuristic's own first objective on the same instance, for comparison */
  heuristicValue: number;
  /** admissible groups enumerated, components solved exactly / all components with ≥ 2 communities */
  groups: number;
  exactComponents: number;
  components: number;
  /** solver branch-and-bound nodes used */
  nodes: number;
}

export type BundleObjective = 'communities' | 'households';

export const BUNDLE_METHOD = 'REDCAP full-order complete linkage (Guo 2008) + max-p enclave assignment (Duque, Anselin & Rey 2012)';

export const DEFAULT_BUNDLE_OPTIONS = Object.freeze({
  sameStreet: true,
  sameBatchYear: false,
  sizeMeasure: 'households' as SizeMeasure,
  maxCommunities: 6,
  maxSpanM: 1000,
  gapWeight: 0.5,
  refDistanceM: 1000,
});

/** The app's household cap per bundle (the bundle form's default; the CLI's too). */
export const DEFAULT_MAX_HOUSEHOLDS = 3000;

export function resolveBundleOptions(o: BundleOptions = {}): ResolvedBundleOptions {
  const r: ResolvedBundleOptions = {
    sameStreet: o.sameStreet ?? DEFAULT_BUNDLE_OPTIONS.sameStreet,
    sameBatchYear: o.sameBatchYear ?? DEFAULT_BUNDLE_OPTIONS.sameBatchYear,
    sizeMeasure: o.sizeMeasure ?? DEFAULT_BUNDLE_OPTIONS.sizeMeasure,
    maxSize: o.maxSize ?? null,
    minSize: o.minSize ?? null,
    maxCommunities: o.maxCommunities ?? DEFAULT_BUNDLE_OPTIONS.maxCommunities,
    maxSpanM: o.maxSpanM ?? DEFAULT_BUNDLE_OPTIONS.maxSpanM,
    gapWeight: o.gapWeight ?? DEFAULT_BUNDLE_OPTIONS.gapWeight,
    refDistanceM: o.refDistanceM ?? DEFAULT_BUNDLE_OPTIONS.refDistanceM,
    costParams: o.costParams ?? { ...DEFAULT_COST_PARAMS },
    usesGaps: o.gaps !== undefined,
  };
  const pos = (name: string, v: number | null, allowZero = false) => {
    if (v === null) return;
    if (!Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) throw new Error(`bundle: ${name} must be a number > 0, got ${v}`);
  };
  pos('max size', r.maxSize);
  pos('min size', r.minSize, true);
  pos('max span (m)', r.maxSpanM);
  pos('reference distance (m)', r.refDistanceM);
  pos('gap weight', r.gapWeight, true);
  if (!Number.isInteger(r.maxCommunities) || r.maxCommunities < 2)
    throw new Error(`bundle: max communities must be a whole number ≥ 2, got ${r.maxCommunities}`);
  if (r.maxSize !== null && r.minSize !== null && r.minSize > r.maxSize)
    throw new Error(`bundle: min size (${r.minSize}) is larger than max size (${r.maxSize})`);
  return r;
}

/** Size of one community under a measure. */
export function communitySize(c: CommunityFeature, measure: SizeMeasure, costs: CostParams = DEFAULT_COST_PARAMS): number {
  if (measure === 'households') return c.properties.households;
  if (measure === 'floor_area_m2') return c.properties.floor_area_m2;
  return communityInvestment(c.properties, costs).totalCny;
}

/** Jaccard index of two gap bitsets; 1 when both are empty (two complete communities are alike). */
function jaccard(a: Uint32Array, b: Uint32Array): number {
  let inter = 0,
    uni = 0;
  for (let w = 0; w < a.length; w++) {
    inter += popcount(a[w] & b[w]);
    uni += popcount(a[w] | b[w]);
  }
  return uni === 0 ? 1 : inter / uni;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Min-heap of candidate merges; ties on linkage break on the clusters' lowest member positions. */
interface Cand {
  l: number;
  a: number;
  b: number;
  va: number;
  vb: number;
}
function less(x: Cand, y: Cand): boolean {
  return x.l < y.l || (x.l === y.l && (x.a < y.a || (x.a === y.a && x.b < y.b)));
}
class Heap {
  private h: Cand[] = [];
  get size() {
    return this.h.length;
  }
  push(c: Cand) {
    const h = this.h;
    h.push(c);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }
  pop(): Cand | undefined {
    const h = this.h;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1,
          r = l + 1;
        let m = i;
        if (l < h.length && less(h[l], h[m])) m = l;
        if (r < h.length && less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

/** Per-community data the clustering needs, by adjacency position. */
export interface Prepared {
  n: number;
  size: Float64Array;
  cx: Float64Array;
  cy: Float64Array;
  gaps: Uint32Array[];
  /** admissible neighbours (street / batch constraints applied) */
  nbr: number[][];
}

export function prepare(communities: readonly CommunityFeature[], adj: Adjacency, o: ResolvedBundleOptions, gaps?: BundleOptions['gaps']): Prepared {
  if (adj.ids.length !== communities.length || adj.ids.some((id, i) => communities[i].properties.id !== id))
    throw new Error('bundle: the adjacency was built from a different community list (ids or order differ)');
  const n = communities.length;
  const { shapes } = projectCommunities(communities);
  const size = new Float64Array(n);
  const cx = new Float64Array(n);
  const cy = new Float64Array(n);
  const cats = new Map<string, number>();
  if (gaps) for (const id of Object.keys(gaps).sort()) for (const g of gaps[id]) if (!cats.has(g)) cats.set(g, cats.size);
  const words = Math.max(1, Math.ceil(cats.size / 32));
  const gapBits: Uint32Array[] = [];
  for (let i = 0; i < n; i++) {
    const c = communities[i];
    const s = communitySize(c, o.sizeMeasure, o.costParams);
    if (!Number.isFinite(s) || s < 0) throw new Error(`bundle: community "${c.properties.id}" has no valid ${o.sizeMeasure} (${s})`);
    size[i] = s;
    const ct: Pt = shapeCentroid(shapes[i]);
    cx[i] = ct[0];
    cy[i] = ct[1];
    const bits = new Uint32Array(words);
    for (const g of gaps?.[c.properties.id] ?? []) {
      const k = cats.get(g)!;
      bits[k >>> 5] |= 1 << (k & 31);
    }
    gapBits.push(bits);
  }
  const nbr = adj.neighbours.map((list, i) =>
    list.filter((j) => {
      const a = communities[i].properties,
        b = communities[j].properties;
      if (o.sameStreet && a.street !== b.street) return false;
      if (o.sameBatchYear && a.batch_year !== b.batch_year) return false;
      return true;
    }),
  );
  return { n, size, cx, cy, gaps: gapBits, nbr };
}

/** Dissimilarity of two communities (see header). */
export function dissim(P: Prepared, o: ResolvedBundleOptions, i: number, j: number): { d: number; dist: number } {
  const dist = Math.hypot(P.cx[i] - P.cx[j], P.cy[i] - P.cy[j]);
  const gapTerm = o.usesGaps ? o.gapWeight * (1 - jaccard(P.gaps[i], P.gaps[j])) : 0;
  return { d: dist / o.refDistanceM + gapTerm, dist };
}

/** Complete linkage and spatial span between two member lists. */
function linkage(P: Prepared, o: ResolvedBundleOptions, A: readonly number[], B: readonly number[]): { l: number; span: number } {
  let l = 0,
    span = 0;
  for (const i of A)
    for (const j of B) {
      const x = dissim(P, o, i, j);
      if (x.d > l) l = x.d;
      if (x.dist > span) span = x.dist;
    }
  return { l, span };
}

/** Generate a bundle plan. `adjacency` must come from buildAdjacency on the same community list. */
export function generateBundles(communities: readonly CommunityFeature[], adjacency: Adjacency, options: BundleOptions = {}): BundlePlan {
  const o = resolveBundleOptions(options);
  const P = prepare(communities, adjacency, o, options.gaps);
  const n = P.n;
  // cluster state, indexed by the cluster's representative (its lowest member position)
  const members: number[][] = Array.from({ length: n }, (_, i) => [i]);
  const csize = Float64Array.from(P.size);
  const span = new Float64Array(n); // current internal span of each cluster
  const alive = new Uint8Array(n).fill(1);
  const version = new Int32Array(n);
  const rep = Int32Array.from({ length: n }, (_, i) => i); // community → cluster representative
  const heap = new Heap();

  const feasible = (a: number, b: number, lk: { span: number }): boolean => {
    if (members[a].length + members[b].length > o.maxCommunities) return false;
    if (o.maxSize !== null && csize[a] + csize[b] > o.maxSize) return false;
    if (Math.max(lk.span, span[a], span[b]) > o.maxSpanM) return false;
    return true;
  };
  const clusterNbrs = (a: number): number[] => {
    const s = new Set<number>();
    for (const i of members[a]) for (const j of P.nbr[i]) if (rep[j] !== a) s.add(rep[j]);
    return [...s].sort((x, y) => x - y);
  };
  const offer = (a: number, b: number) => {
    const lk = linkage(P, o, members[a], members[b]);
    if (!feasible(a, b, lk)) return;
    const [x, y] = a < b ? [a, b] : [b, a];
    heap.push({ l: lk.l, a: x, b: y, va: version[x], vb: version[y] });
  };

  for (let i = 0; i < n; i++) for (const j of P.nbr[i]) if (j > i) offer(i, j);

  for (;;) {
    const c = heap.pop();
    if (!c) break;
    if (!alive[c.a] || !alive[c.b] || version[c.a] !== c.va || version[c.b] !== c.vb) continue; // stale
    const lk = linkage(P, o, members[c.a], members[c.b]);
    if (!feasible(c.a, c.b, lk)) continue;
    // merge b into a (a is the lower representative, so it stays the lowest member)
    span[c.a] = Math.max(span[c.a], span[c.b], lk.span);
    for (const m of members[c.b]) rep[m] = c.a;
    members[c.a] = members[c.a].concat(members[c.b]).sort((x, y) => x - y);
    csize[c.a] += csize[c.b];
    alive[c.b] = 0;
    members[c.b] = [];
    version[c.a]++;
    for (const nb of clusterNbrs(c.a)) offer(c.a, nb);
  }

  // enclave assignment for clusters below the minimum size (max-p, Duque et al. 2012)
  const unbundled = new Set<number>();
  if (o.minSize !== null) {
    const enclaves: number[] = [];
    for (let a = 0; a < n; a++)
      if (alive[a] && csize[a] < o.minSize) {
        for (const m of members[a]) {
          enclaves.push(m);
          rep[m] = -1;
        }
        alive[a] = 0;
        members[a] = [];
      }
    enclaves.sort((x, y) => x - y);
    let pending = enclaves;
    for (let changed = true; changed && pending.length > 0; ) {
      changed = false;
      const next: number[] = [];
      for (const m of pending) {
        let best: { a: number; l: number; span: number } | null = null;
        const seen = new Set<number>();
        for (const j of P.nbr[m]) {
          const a = rep[j];
          if (a < 0 || seen.has(a)) continue;
          seen.add(a);
          if (members[a].length + 1 > o.maxCommunities) continue;
          if (o.maxSize !== null && csize[a] + P.size[m] > o.maxSize) continue;
          const lk = linkage(P, o, members[a], [m]);
          if (Math.max(lk.span, span[a]) > o.maxSpanM) continue;
          if (!best || lk.l < best.l || (lk.l === best.l && a < best.a)) best = { a, l: lk.l, span: lk.span };
        }
        if (best) {
          const a = best.a;
          members[a] = members[a].concat([m]).sort((x, y) => x - y);
          csize[a] += P.size[m];
          span[a] = Math.max(span[a], best.span);
          rep[m] = a;
          changed = true;
        } else next.push(m);
      }
      pending = next;
    }
    for (const m of pending) unbundled.add(m);
  }

  const ids = adjacency.ids;
  const groups: number[][] = [];
  for (let a = 0; a < n; a++) {
    if (!alive[a] && members[a].length === 0) continue;
    if (members[a].length >= 2 && (o.minSize === null || csize[a] >= o.minSize)) groups.push(members[a]);
    else for (const m of members[a]) unbundled.add(m);
  }
  return finishPlan(
    groups.map((g) => g.map((i) => ids[i])),
    [...unbundled].map((i) => ids[i]),
    communities,
    o,
    adjacency,
  );
}

/** Name bundles deterministically: ordered by 街道, then first member id; ids B01, B02, … */
export function finishPlan(
  groups: string[][],
  unbundled: string[],
  communities: readonly CommunityFeature[],
  o: ResolvedBundleOptions,
  adj: Adjacency,
): BundlePlan {
  const street = new Map(communities.map((c) => [c.properties.id, c.properties.street] as const));
  const sorted = groups
    .map((g) => [...g].sort())
    .sort((a, b) => {
      const sa = street.get(a[0]) ?? '',
        sb = street.get(b[0]) ?? '';
      return sa < sb ? -1 : sa > sb ? 1 : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
    });
  const width = Math.max(2, String(sorted.length).length);
  return {
    bundles: sorted.map((members, k) => ({ id: `B${String(k + 1).padStart(width, '0')}`, members })),
    unbundled: [...unbundled].sort(),
    method: BUNDLE_METHOD,
    options: o,
    adjacencyMeasure: adj.measure,
    maxGapM: adj.maxGapM,
  };
}

/** community id → bundle id (null when unbundled), for every community in the plan. */
export function assignmentOf(plan: Pick<BundlePlan, 'bundles' | 'unbundled'>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const id of plan.unbundled) out[id] = null;
  for (const b of plan.bundles) for (const m of b.members) out[m] = b.id;
  return out;
}
