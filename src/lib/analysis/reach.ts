/**
 * Multi-source shortest walking distances on the walk graph.
 *
 * What it computes: for every node, the walking distance to the NEAREST of a set of sources (e.g. all
 * kindergartens), which source that is, and the predecessor node on the shortest path (for routes). The
 * sources sit on edges (see snap.ts): a source enters the graph at both ends of its edge with its snap
 * distance plus the distance along the edge. A target point on an edge is reached from either end of its
 * edge, or directly along the edge when a source sits on the same edge.
 *
 * This is the trick that makes coverage cheap: ONE Dijkstra per facility category (all facilities of the
 * category as sources, a virtual super-source) answers "nearest facility of this category" for every
 * community at once, instead of one search per community or per community–facility pair.
 *
 * Two searches, one answer: a field without predecessors (coverage, surface, what-ifs, network edits) is
 * searched by fieldsearch.ts (tiles of bitmap buckets, label-correcting, memory-local at city scale); a field
 * with predecessors (routes) by the Dial bucket queue below (see Queue), O(V + E) on typed arrays with lazy
 * deletion. Both give the same distances and sources (property tests). `cutoff` stops either early.
 * A what-if source is added by an improve-only search (improveReach) instead of a new search.
 */
import { searchField, type Seeds } from './fieldsearch';
import type { Snap } from './snap';
import type { WalkGraph } from './walkgraph';

/** Binary min-heap of (key, value) on typed arrays, grown by doubling. */
export class MinHeap {
  private keys: Float64Array;
  private vals: Int32Array;
  size = 0;
  constructor(capacity = 1024) {
    this.keys = new Float64Array(Math.max(16, capacity));
    this.vals = new Int32Array(Math.max(16, capacity));
  }
  push(key: number, val: number): void {
    if (this.size === this.keys.length) {
      const k = new Float64Array(this.size * 2);
      k.set(this.keys);
      this.keys = k;
      const v = new Int32Array(this.size * 2);
      v.set(this.vals);
      this.vals = v;
    }
    const keys = this.keys;
    const vals = this.vals;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (keys[p] <= key) break;
      keys[i] = keys[p];
      vals[i] = vals[p];
      i = p;
    }
    keys[i] = key;
    vals[i] = val;
  }
  /** key of the top element (valid only when size > 0) */
  peekKey(): number {
    return this.keys[0];
  }
  /** removes the top element and returns its value */
  pop(): number {
    const keys = this.keys;
    const vals = this.vals;
    const top = vals[0];
    const n = --this.size;
    if (n > 0) {
      const key = keys[n];
      const val = vals[n];
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && keys[c + 1] < keys[c]) c++;
        if (keys[c] >= key) break;
        keys[i] = keys[c];
        vals[i] = vals[c];
        i = c;
      }
      keys[i] = key;
      vals[i] = val;
    }
    return top;
  }
}

export interface ReachField {
  /** walking distance from the nearest source to each node, metres (Infinity if unreached) */
  dist: Float64Array;
  /**
   * index (into `sources`) of the nearest source per node, -1 if unreached; ties go to the lower index.
   * Empty when the holder of the field dropped it to save memory (CoverageCache keeps it only at the nodes
   * it reads); improveReach then labels only the nodes it improves.
   */
  src: Int32Array;
  /**
   * predecessor node on the shortest path, -1 at the node where the path enters from its source's edge;
   * null when the search was asked not to keep it (coverage keeps only distances and sources)
   */
  pred: Int32Array | null;
  sources: readonly Snap[];
  /** sources per edge, for targets on the same edge as a source */
  byEdge: EdgeSources;
  cutoff: number;
}

export interface ReachOptions {
  /** stop expanding beyond this distance, metres (default: none) */
  cutoff?: number;
  /** keep predecessors for routes (default true) */
  pred?: boolean;
  /** arrays of the graph's size to fill instead of new ones (the field's dist and src are these) */
  into?: { dist: Float64Array; src: Int32Array };
  /** the sources' seeds (sourceSeeds of the same sources, in any order), where the caller keeps them; without predecessors only */
  seeds?: Seeds;
}

/**
 * The priority queue of the searches: buckets of width w over the distance (Dial), each a linked list in
 * typed arrays. When every edge is at least w long (`dial`), a node's distance is final as soon as its
 * bucket is reached (any path through another node of the same bucket is ≥ w longer), so a bucket is
 * processed in any order and no heap is needed: O(1) per push and pop. Otherwise (very short or zero-length
 * edges) the current bucket is ordered by a small binary heap — exact for any non-negative lengths.
 * One queue per graph is kept and reused (searches in one thread run one at a time).
 */
interface Queue {
  w: number;
  inv: number;
  dial: boolean;
  heads: Int32Array;
  node: Int32Array;
  next: Int32Array;
  len: number;
  /** search generation per node: stamp[v] === gen ⇔ v is settled in this search */
  stamp: Uint32Array;
  gen: number;
  heap: MinHeap;
  /** the nodes of the bucket being settled (Dial) */
  batch: Int32Array;
  minB: number;
  maxB: number;
}

/** Edges at least this long allow the heap-free bucket queue. */
const DIAL_MIN_EDGE_M = 1;
/** Bucket width when short edges need the in-bucket heap. */
const HEAP_BUCKET_M = 10;

const queues = new WeakMap<WalkGraph, Queue>();

function queueFor(g: WalkGraph): Queue {
  let q = queues.get(g);
  if (!q) {
    let min = Infinity;
    for (let e = 0; e < g.edgeCount; e++) if (g.edgeLen[e] < min) min = g.edgeLen[e];
    const dial = min >= DIAL_MIN_EDGE_M;
    // a hair under the shortest edge, so rounding can never put a relaxed node into the current bucket
    const w = dial ? min * (1 - 1e-6) : HEAP_BUCKET_M;
    const cap = Math.max(16, 2 * g.edgeCount + 16);
    q = { w, inv: 1 / w, dial, heads: new Int32Array(1024).fill(-1), node: new Int32Array(cap), next: new Int32Array(cap), len: 0, stamp: new Uint32Array(g.nodeCount), gen: 0, heap: new MinHeap(256), batch: new Int32Array(1024), minB: Infinity, maxB: -1 };
    queues.set(g, q);
  }
  return q;
}

function qReset(q: Queue): void {
  q.len = 0;
  q.minB = Infinity;
  q.maxB = -1;
  if (++q.gen === 0xffffffff) {
    q.stamp.fill(0);
    q.gen = 1;
  }
}

function qPush(q: Queue, v: number, d: number): void {
  const b = Math.floor(d * q.inv);
  if (b >= q.heads.length) {
    let n = q.heads.length * 2;
    while (n <= b) n *= 2;
    const h = new Int32Array(n).fill(-1);
    h.set(q.heads);
    q.heads = h;
  }
  if (q.len === q.node.length) {
    const nn = new Int32Array(q.len * 2);
    nn.set(q.node);
    q.node = nn;
    const nx = new Int32Array(q.len * 2);
    nx.set(q.next);
    q.next = nx;
  }
  const i = q.len++;
  q.node[i] = v;
  q.next[i] = q.heads[b];
  q.heads[b] = i;
  if (b < q.minB) q.minB = b;
  if (b > q.maxB) q.maxB = b;
}

/**
 * Settle everything reachable from the seeds already in the queue. A node's label changes only when the
 * new distance is strictly smaller, or equal from a lower source index (so the result does not depend on
 * the order of equal distances). Returns the number of nodes settled.
 */
function drain(g: WalkGraph, q: Queue, dist: Float64Array, src: Int32Array, pred: Int32Array | null, cutoff: number): number {
  return q.dial ? drainDial(g, q, dist, src, pred, cutoff) : drainHeap(g, q, dist, src, pred, cutoff);
}

/**
 * Dial: every edge is longer than the bucket width, so all nodes of the current bucket are final and a
 * relaxation never lands in it. Each bucket is taken in increasing node order (nodes are renumbered for
 * locality, so this sweeps memory forward instead of jumping across the city).
 */
function drainDial(g: WalkGraph, q: Queue, dist: Float64Array, src: Int32Array, pred: Int32Array | null, cutoff: number): number {
  const { adjStart, adjTo, adjLen } = g;
  const stamp = q.stamp;
  const gen = q.gen;
  const inv = q.inv;
  let batch = q.batch;
  let settled = 0;
  for (let b = q.minB; b <= q.maxB; b++) {
    let i = q.heads[b];
    if (i < 0) continue;
    q.heads[b] = -1;
    const node = q.node;
    const next = q.next;
    let m = 0;
    for (; i >= 0; i = next[i]) {
      const u = node[i];
      if (stamp[u] === gen) continue;
      stamp[u] = gen;
      if (m === batch.length) {
        const nb = new Int32Array(m * 2);
        nb.set(batch);
        batch = q.batch = nb;
      }
      batch[m++] = u;
    }
    const todo = m > 1 ? batch.subarray(0, m).sort() : batch;
    settled += m;
    for (let j = 0; j < m; j++) {
      const u = todo[j];
      const d = dist[u];
      const su = src[u];
      for (let k = adjStart[u], end = adjStart[u + 1]; k < end; k++) {
        const v = adjTo[k];
        const nd = d + adjLen[k];
        const dv = dist[v];
        if (nd > dv || nd > cutoff) continue;
        if (nd === dv) {
          if (su < src[v]) {
            src[v] = su;
            if (pred) pred[v] = u;
          }
          continue;
        }
        dist[v] = nd;
        src[v] = su;
        if (pred) pred[v] = u;
        const nbk = Math.floor(nd * inv);
        if (nbk < q.heads.length && q.len < q.node.length) {
          const e = q.len++;
          q.node[e] = v;
          q.next[e] = q.heads[nbk];
          q.heads[nbk] = e;
          if (nbk > q.maxB) q.maxB = nbk;
        } else qPush(q, v, nd);
      }
    }
  }
  return settled;
}

/** Short or zero-length edges: the current bucket is ordered by a small binary heap (exact for any lengths ≥ 0). */
function drainHeap(g: WalkGraph, q: Queue, dist: Float64Array, src: Int32Array, pred: Int32Array | null, cutoff: number): number {
  const { adjStart, adjTo, adjLen } = g;
  const stamp = q.stamp;
  const gen = q.gen;
  const heap = q.heap;
  let settled = 0;
  for (let b = q.minB; b <= q.maxB; b++) {
    for (;;) {
      let i = q.heads[b];
      if (i < 0 && heap.size === 0) break;
      q.heads[b] = -1;
      for (; i >= 0; i = q.next[i]) if (stamp[q.node[i]] !== gen) heap.push(dist[q.node[i]], q.node[i]);
      while (heap.size > 0) {
        const u = heap.pop();
        if (stamp[u] === gen) continue;
        stamp[u] = gen;
        settled++;
        const d = dist[u];
        const su = src[u];
        for (let k = adjStart[u], end = adjStart[u + 1]; k < end; k++) {
          const v = adjTo[k];
          const nd = d + adjLen[k];
          const dv = dist[v];
          if (nd > cutoff || nd > dv || stamp[v] === gen) continue;
          if (nd === dv) {
            // equal distance: keep the lower source index; already queued at this distance
            if (su < src[v]) {
              src[v] = su;
              if (pred) pred[v] = u;
            }
            continue;
          }
          dist[v] = nd;
          src[v] = su;
          if (pred) pred[v] = u;
          if (Math.floor(nd * q.inv) <= b) heap.push(nd, v);
          else qPush(q, v, nd);
        }
      }
    }
  }
  return settled;
}

/** Seed a source at the ends of its edge (snap distance plus the distance along the edge). */
function seed(g: WalkGraph, q: Queue, dist: Float64Array, src: Int32Array, pred: Int32Array | null, sn: Snap, s: number, cutoff: number): void {
  const ends = [g.edgeA[sn.edge], g.edgeB[sn.edge]];
  const ds = [sn.snapDist + sn.toA, sn.snapDist + sn.toB];
  for (let j = 0; j < 2; j++) {
    const n = ends[j];
    const d = ds[j];
    // ties go to the lower source index (sources arrive in a stable order) so results are deterministic
    if (d <= cutoff && (d < dist[n] || (d === dist[n] && s < src[n]))) {
      dist[n] = d;
      src[n] = s;
      if (pred) pred[n] = -1;
      qPush(q, n, d);
    }
  }
}

/** The seeds of sources on their edges: both ends, at snap distance plus the distance along the edge; source index from `offset`. */
export function sourceSeeds(g: WalkGraph, sources: readonly Snap[], offset = 0): Seeds {
  const n = sources.length;
  const node = new Int32Array(2 * n);
  const dist = new Float64Array(2 * n);
  const src = new Int32Array(2 * n);
  for (let s = 0; s < n; s++) {
    const sn = sources[s];
    node[2 * s] = g.edgeA[sn.edge];
    dist[2 * s] = sn.snapDist + sn.toA;
    node[2 * s + 1] = g.edgeB[sn.edge];
    dist[2 * s + 1] = sn.snapDist + sn.toB;
    src[2 * s] = src[2 * s + 1] = offset + s;
  }
  return { node, dist, src };
}

/**
 * Sources per edge, compact: edges with a source, sorted, each with its source indices (CSR). A city has
 * tens of thousands of facilities per search; a Map of small arrays per search would cost several times more.
 */
export class EdgeSources {
  /** built on first use: most fields (a cold coverage's) are never asked which sources lie on an edge */
  private idx: { edges: Int32Array; start: Int32Array; list: Int32Array } | null = null;
  /** sources added later (what-ifs), by edge, indices above those of the base */
  private more: Map<number, number[]> | null = null;
  constructor(private readonly sources: readonly Snap[]) {}
  private index(): { edges: Int32Array; start: Int32Array; list: Int32Array } {
    if (this.idx) return this.idx;
    const sources = this.sources;
    // sorted by edge, then index: one typed sort of packed keys (edge · 2²² + index), no comparator calls
    const keys = new Float64Array(sources.length);
    for (let i = 0; i < sources.length; i++) keys[i] = sources[i].edge * 4194304 + i;
    keys.sort();
    const order = Array.from(keys, (k) => k % 4194304);
    const edges: number[] = [];
    const start: number[] = [];
    order.forEach((s, i) => {
      if (edges.length === 0 || edges[edges.length - 1] !== sources[s].edge) {
        edges.push(sources[s].edge);
        start.push(i);
      }
    });
    start.push(order.length);
    return (this.idx = { edges: Int32Array.from(edges), start: Int32Array.from(start), list: Int32Array.from(order) });
  }
  private find(edge: number): number {
    const edges = this.index().edges;
    let lo = 0;
    let hi = edges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const e = edges[mid];
      if (e === edge) return mid;
      if (e < edge) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
  /** the indices of the sources on `edge`, ascending; undefined when none */
  get(edge: number): Int32Array | undefined {
    const i = this.find(edge);
    const { start, list } = this.index();
    const base = i < 0 ? undefined : list.subarray(start[i], start[i + 1]);
    const more = this.more?.get(edge);
    if (!more) return base;
    return Int32Array.from([...(base ?? []), ...more]);
  }
  has(edge: number): boolean {
    return this.find(edge) >= 0 || (this.more?.has(edge) ?? false);
  }
  /** these sources plus `extra`, numbered from `offset` on (the base arrays are shared, not copied) */
  plus(extra: readonly Snap[], offset: number): EdgeSources {
    this.index(); // built once, shared with the copy
    const out = Object.create(EdgeSources.prototype) as EdgeSources;
    Object.assign(out, this);
    out.more = new Map(this.more ? [...this.more].map(([e, l]) => [e, [...l]] as [number, number[]]) : []);
    extra.forEach((sn, i) => {
      const l = out.more!.get(sn.edge);
      if (l) l.push(offset + i);
      else out.more!.set(sn.edge, [offset + i]);
    });
    return out;
  }
}

/** One multi-source search over the whole graph. `sources` may be empty (everything stays unreached). */
export function multiSourceReach(g: WalkGraph, sources: readonly Snap[], opts: ReachOptions = {}): ReachField {
  const cutoff = opts.cutoff ?? Infinity;
  const n = g.nodeCount;
  const pred = opts.pred === false ? null : new Int32Array(n).fill(-1);
  const dist = opts.into ? opts.into.dist : new Float64Array(n);
  const src = opts.into ? opts.into.src : new Int32Array(n);
  if (!pred) searchField(g, dist, src, opts.seeds ?? sourceSeeds(g, sources), { cutoff, fresh: true });
  else {
    dist.fill(Infinity);
    src.fill(-1);
    if (sources.length > 0 && g.edgeCount > 0) {
      const q = queueFor(g);
      qReset(q);
      for (let s = 0; s < sources.length; s++) seed(g, q, dist, src, pred, sources[s], s, cutoff);
      drain(g, q, dist, src, pred, cutoff);
    }
  }
  return { dist, src, pred, sources, byEdge: new EdgeSources(sources), cutoff };
}

/**
 * What-if: the field of `base.sources` plus `extra` sources, computed by one "improve-only" search from the
 * extra sources over a copy of the base distances: only nodes that get strictly nearer (or as near from a
 * lower index — impossible here, the extra sources come last) are relabelled and expanded, so the cost is
 * the size of the new sources' catchment, not the graph. Equal to multiSourceReach(g, [...base, ...extra]).
 * The base field is not changed.
 */
export function improveReach(g: WalkGraph, base: ReachField, extra: readonly Snap[]): ReachField {
  const dist = base.dist.slice();
  // a base kept without its per-node sources (coverage keeps them only where gates are): every node starts
  // at -1 and only improved nodes get a source; the caller reads the rest from where it kept them
  const src = base.src.length === g.nodeCount ? base.src.slice() : new Int32Array(g.nodeCount).fill(-1);
  const pred = base.pred ? base.pred.slice() : null;
  const sources = [...base.sources, ...extra];
  const byEdge = base.byEdge.plus(extra, base.sources.length);
  if (!pred) searchField(g, dist, src, sourceSeeds(g, extra, base.sources.length), { cutoff: base.cutoff });
  else if (extra.length > 0 && g.edgeCount > 0) {
    const q = queueFor(g);
    qReset(q);
    for (let s = 0; s < extra.length; s++) seed(g, q, dist, src, pred, extra[s], base.sources.length + s, base.cutoff);
    drain(g, q, dist, src, pred, base.cutoff);
  }
  return { dist, src, pred, sources, byEdge, cutoff: base.cutoff };
}

export interface PointReach {
  /** walking distance including both snap distances, metres; Infinity when unreachable */
  dist: number;
  /** index into field.sources, -1 when unreachable */
  source: number;
  /** how the target's edge was entered: from node A, node B, or along the edge from a source on it */
  via: 'A' | 'B' | 'edge' | null;
}

/** Walking distance from the field's nearest source to a snapped target point. */
export function reachAt(g: WalkGraph, f: ReachField, t: Snap): PointReach {
  const a = g.edgeA[t.edge];
  const b = g.edgeB[t.edge];
  let best = Infinity;
  let source = -1;
  let via: PointReach['via'] = null;
  const dA = f.dist[a] + t.toA;
  if (dA < best) {
    best = dA;
    source = f.src[a];
    via = 'A';
  }
  const dB = f.dist[b] + t.toB;
  if (dB < best) {
    best = dB;
    source = f.src[b];
    via = 'B';
  }
  const same = f.byEdge.get(t.edge);
  if (same) {
    for (const s of same) {
      const sn = f.sources[s];
      const d = sn.snapDist + Math.abs(sn.toA - t.toA);
      if (d < best || (d === best && s < source)) {
        best = d;
        source = s;
        via = 'edge';
      }
    }
  }
  if (!Number.isFinite(best)) return { dist: Infinity, source: -1, via: null };
  return { dist: best + t.snapDist, source, via };
}

/**
 * The walking path (projected coordinates) from a snapped target back to its nearest source:
 * target point → its snap point → nodes … → the source's snap point → the source point.
 * Returns null when the target is unreachable.
 */
export function routeXY(g: WalkGraph, f: ReachField, t: Snap): { coords: [number, number][]; dist: number; source: number } | null {
  const r = reachAt(g, f, t);
  if (r.source < 0 || r.via === null) return null;
  const coords: [number, number][] = [
    [t.x, t.y],
    [t.sx, t.sy],
  ];
  const sn = f.sources[r.source];
  const pred = f.pred;
  if (!pred) throw new Error('routeXY: this field was computed without predecessors');
  if (r.via !== 'edge') {
    let u = r.via === 'A' ? g.edgeA[t.edge] : g.edgeB[t.edge];
    // guard against cycles in a corrupted predecessor array; a shortest-path tree has at most V steps
    for (let steps = 0; steps <= g.nodeCount; steps++) {
      coords.push([g.nodeX[u], g.nodeY[u]]);
      const p = pred[u];
      if (p < 0) break;
      u = p;
    }
  }
  coords.push([sn.sx, sn.sy], [sn.x, sn.y]);
  return { coords: dedupe(coords), dist: r.dist, source: r.source };
}

function dedupe(c: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const p of c) {
    const q = out[out.length - 1];
    if (!q || Math.abs(q[0] - p[0]) > 1e-6 || Math.abs(q[1] - p[1]) > 1e-6) out.push(p);
  }
  return out;
}

/**
 * Network edit (netedit.ts): the field of `sources` on the edited graph `g`, from a field computed on the base
 * graph (whose nodes are the first `base.dist.length` nodes of `g`, with the same ids) when the edit only
 * ADDED edges (split pieces and links; a split keeps every distance). The base distances are still achievable,
 * so they are upper bounds; a node can only get nearer through an added edge, so the search is seeded at the
 * added edges' ends (each relaxed from the other end's base label) and at the sources that now lie on an
 * added edge, and improves only what gets strictly nearer. Equal to multiSourceReach(g, sources) (checked
 * against a plain Dijkstra in the tests). `base.src` must be the full per-node array. The base is not changed.
 */
export function improveByEdges(g: WalkGraph, base: ReachField, sources: readonly Snap[], added: readonly number[]): ReachField {
  const n0 = base.dist.length;
  if (base.src.length !== n0) throw new Error('improveByEdges: the base field needs its per-node sources');
  const dist = new Float64Array(g.nodeCount).fill(Infinity);
  dist.set(base.dist);
  const src = new Int32Array(g.nodeCount).fill(-1);
  src.set(base.src);
  const cutoff = base.cutoff;
  if (g.edgeCount > 0 && added.length > 0) {
    // seeds: each added edge relaxed from both of its ends' base labels, and the sources lying on added edges
    const seeds: { node: number[]; dist: number[]; src: number[] } = { node: [], dist: [], src: [] };
    for (const e of added) {
      const a = g.edgeA[e];
      const b = g.edgeB[e];
      seeds.node.push(b, a);
      seeds.dist.push(dist[a] + g.edgeLen[e], dist[b] + g.edgeLen[e]);
      seeds.src.push(src[a], src[b]);
    }
    const addedSet = new Set(added);
    const on = sources.flatMap((sn, s) => (addedSet.has(sn.edge) ? [[sn, s] as const] : []));
    const more = sourceSeeds(g, on.map(([sn]) => sn));
    for (let i = 0; i < more.node.length; i++) {
      seeds.node.push(more.node[i]);
      seeds.dist.push(more.dist[i]);
      seeds.src.push(on[i >> 1][1]);
    }
    searchField(g, dist, src, seeds, { cutoff });
  }
  return { dist, src, pred: null, sources, byEdge: new EdgeSources(sources), cutoff };
}
