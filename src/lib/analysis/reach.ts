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
 * Complexity: O((V + E) log V) per search with a binary heap on typed arrays (lazy deletion: a node may sit
 * in the heap more than once; stale entries are skipped when popped). `cutoff` stops the search early.
 */
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
  /** index (into `sources`) of the nearest source per node, -1 if unreached */
  src: Int32Array;
  /** predecessor node on the shortest path, -1 at the node where the path enters from its source's edge */
  pred: Int32Array;
  sources: readonly Snap[];
  /** sources per edge, for targets on the same edge as a source */
  byEdge: Map<number, number[]>;
  cutoff: number;
}

export interface ReachOptions {
  /** stop expanding beyond this distance, metres (default: none) */
  cutoff?: number;
}

/** One multi-source Dijkstra over the whole graph. `sources` may be empty (everything stays unreached). */
export function multiSourceReach(g: WalkGraph, sources: readonly Snap[], opts: ReachOptions = {}): ReachField {
  const cutoff = opts.cutoff ?? Infinity;
  const n = g.nodeCount;
  const dist = new Float64Array(n).fill(Infinity);
  const src = new Int32Array(n).fill(-1);
  const pred = new Int32Array(n).fill(-1);
  // the heap grows by doubling; start small so bounded searches (isochrones, siting) stay cheap
  const heap = new MinHeap(Math.min(g.nodeCount + 2 * sources.length + 16, 1 << 16));
  const byEdge = new Map<number, number[]>();
  const { edgeA, edgeB, adjStart, adjTo, adjLen } = g;

  for (let s = 0; s < sources.length; s++) {
    const sn = sources[s];
    const list = byEdge.get(sn.edge);
    if (list) list.push(s);
    else byEdge.set(sn.edge, [s]);
    const a = edgeA[sn.edge];
    const b = edgeB[sn.edge];
    const da = sn.snapDist + sn.toA;
    const db = sn.snapDist + sn.toB;
    // ties go to the lower source index (sources arrive in a stable order) so results are deterministic
    if (da < dist[a] && da <= cutoff) {
      dist[a] = da;
      src[a] = s;
      pred[a] = -1;
      heap.push(da, a);
    }
    if (db < dist[b] && db <= cutoff) {
      dist[b] = db;
      src[b] = s;
      pred[b] = -1;
      heap.push(db, b);
    }
  }

  while (heap.size > 0) {
    const d = heap.peekKey();
    const u = heap.pop();
    if (d > dist[u]) continue; // stale entry
    const su = src[u];
    for (let k = adjStart[u], end = adjStart[u + 1]; k < end; k++) {
      const v = adjTo[k];
      const nd = d + adjLen[k];
      if (nd < dist[v] && nd <= cutoff) {
        dist[v] = nd;
        src[v] = su;
        pred[v] = u;
        heap.push(nd, v);
      }
    }
  }
  return { dist, src, pred, sources, byEdge, cutoff };
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
  if (r.via !== 'edge') {
    let u = r.via === 'A' ? g.edgeA[t.edge] : g.edgeB[t.edge];
    // guard against cycles in a corrupted predecessor array; a shortest-path tree has at most V steps
    for (let steps = 0; steps <= g.nodeCount; steps++) {
      coords.push([g.nodeX[u], g.nodeY[u]]);
      const p = f.pred[u];
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
