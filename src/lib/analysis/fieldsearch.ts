/**
 * The search behind every distance field without predecessors (coverage, the accessibility surface,
 * what-if facilities, network edits): nearest-source walking distances from seeds, exact.
 *
 * Why not a textbook Dijkstra: a multi-source search over a city has its wavefront everywhere at once, so a
 * priority-ordered search jumps across the whole node array at every step. On the machines we measured, a
 * node expanded in random order costs 10–30× one expanded in memory order (bench/coverage.bench.ts). This
 * search keeps the work local instead:
 *  - nodes are cut into tiles of 4,096 consecutive ids (the graph is renumbered so that consecutive ids
 *    are near each other on the ground, walkgraph.ts), small enough to stay in the core's cache;
 *  - each tile has its own buckets of width `w` metres over the distance, each bucket a bitmap of the
 *    tile's nodes, so a bucket is taken in increasing node order (a forward sweep, not random jumps);
 *  - the distance axis is cut into windows of WINDOW buckets; within a window every tile with work below
 *    the window's end is run up to it, tile after tile, until none has any (a tile a neighbour improved
 *    runs again).
 * Exactness: this is label-correcting, not label-setting. A node is expanded whenever its label improves,
 * with its label at that moment, so the labels end at the least fixed point of
 * d(v) = min(seed(v), min over neighbours u of d(u) + len(u, v)) — Dijkstra's answer, bit for bit, in the same
 * floating-point sums (each label is the sum along one path, as in Dijkstra). Ties go to the lower source
 * index, as in reach.ts. The order only changes how often a node is expanded (about 1 % more than once on
 * the generated city), never the result. Zero-length and very short edges are fine: a relaxation into the
 * current bucket sets its bit again and the bucket is swept again.
 * Ring of buckets: every label pushed while window [w0, w0 + WINDOW) runs is at least w0·w (a label is its
 * pusher's plus a length ≥ 0, and everything below w0 is done), and at most the window's end plus the
 * longest edge, so NB ≥ WINDOW + longest/w + 2 slots never collide. Seeds are ordered by bucket and let in
 * window by window for the same reason.
 * The inner loop (runTile) of a fresh search runs in WebAssembly (fieldsearch.wat: the same steps and the same
 * IEEE sums, so the same labels; 10–15 % less CPU than the JavaScript below on the generated city — the loop
 * costs about 60 ns per expansion even on a graph that fits in the core's cache, so its own work and branches
 * bound it, not memory). Each graph gets its own instance, whose memory holds the graph's adjacency (moved
 * there, not copied), the labels and the buckets. Improve-only searches run the JavaScript runTile in place
 * (copying a whole field in and out would cost more than they search), and so does everything where
 * WebAssembly cannot be compiled; the property tests run both.
 */
import type { WalkGraph } from './walkgraph';
import { FIELDSEARCH_WASM } from './fieldsearch.wasm';

const TILE_BITS = 12;
const WINDOW = 4;
/** at most this many bucket slots per tile (w grows for graphs whose longest edge would need more) */
const MAX_SLOTS = 512;
/** no bucket */
const NONE = 0x7fffffff;

interface Scratch {
  /** bucket width, metres, and its inverse */
  w: number;
  inv: number;
  tileBits: number;
  /** 32-bit words per tile bitmap */
  tw: number;
  tiles: number;
  /** slots per tile (a power of two) */
  nb: number;
  /** bitmaps: ((tile · nb) + slot) · tw + word */
  bits: Int32Array;
  /** set bits per (tile, slot) */
  occ: Int32Array;
  /** lowest bucket with work per tile (NONE: none) */
  lo: Int32Array;
  /** the WebAssembly kernel: labels held in its memory while a search runs (null: the JavaScript runTile) */
  wasm: WasmKernel | null;
}

interface WasmKernel {
  dist: Float64Array;
  src: Int32Array;
  runTile: (t: number, wEnd: number, cutoff: number) => number;
  /** change of the number of set bits in the last runTile */
  delta: () => number;
}

/** Which inner loop runs: WebAssembly where it compiles (the default), or JavaScript (tests compare both). */
export type Kernel = 'wasm' | 'js';

/** What the search reads of a walk graph (a search worker holds only this much of it). */
export type SearchGraph = Pick<WalkGraph, 'nodeCount' | 'edgeCount' | 'edgeLen' | 'adjStart' | 'adjTo' | 'adjLen'>;

/** per graph: its scratch per inner loop and tile size (`wasm:12`, `js:12`; tests use other tile sizes) */
const scratches = new WeakMap<SearchGraph, Map<string, Scratch>>();

/** Per graph: the bucket width (half the edges are shorter), tiles, the ring's size, and the kernel. */
function scratchFor(g: SearchGraph, tileBits: number, kernel: Kernel): Scratch {
  const tb = tileBitsFor(g, tileBits);
  const useWasm = kernel === 'wasm' && wasmModule() !== null;
  const key = `${useWasm ? 'wasm' : 'js'}:${tb}`;
  let byKey = scratches.get(g);
  if (!byKey) scratches.set(g, (byKey = new Map()));
  let s = byKey.get(key);
  if (s) return s;
  const lens = g.edgeLen.slice(0, g.edgeCount).sort();
  const longest = lens.length ? lens[lens.length - 1] : 1;
  // wider buckets sweep denser runs of nodes (fewer cache lines per node) at the price of a few re-expansions:
  // the median edge (on the generated city: 10 % more expansions, 15 % less time than the shortest edge)
  let w = Math.max(lens.length ? lens[lens.length >> 1] : 1, 1);
  if (longest / w + WINDOW + 2 > MAX_SLOTS) w = longest / (MAX_SLOTS - WINDOW - 2);
  let nb = 8;
  while (nb < WINDOW + Math.ceil(longest / w) + 2) nb *= 2;
  const tw = 1 << (tb - 5);
  const tiles = Math.max(1, Math.ceil(g.nodeCount / (1 << tb)));
  const geo = { w, inv: 1 / w, tileBits: tb, tw, tiles, nb };
  const wasm = useWasm ? wasmKernel(g, geo) : null;
  s = wasm ?? { ...geo, bits: new Int32Array(tiles * nb * tw), occ: new Int32Array(tiles * nb), lo: new Int32Array(tiles).fill(NONE), wasm: null };
  byKey.set(key, s);
  return s;
}

function tileBitsFor(g: SearchGraph, tileBits: number): number {
  return Math.min(tileBits, Math.max(5, Math.ceil(Math.log2(Math.max(g.nodeCount, 1)))));
}

let compiled: WebAssembly.Module | null | undefined;

/** The inner loop searches run with in this thread: WebAssembly where it compiles, else JavaScript. */
export function fieldKernel(): Kernel {
  return wasmModule() ? 'wasm' : 'js';
}

/** The kernel's compiled module, once per thread (null where WebAssembly is unavailable). */
function wasmModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      const bin = atob(FIELDSEARCH_WASM);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      compiled = new WebAssembly.Module(bytes);
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/**
 * An instance of the kernel for one graph: its memory laid out as adjStart, adjTo, adjLen (moved there from the
 * graph), the labels, bitmaps, bit counts and lowest buckets (8-byte aligned). Null where it cannot be made.
 */
function wasmKernel(g: SearchGraph, geo: Omit<Scratch, 'bits' | 'occ' | 'lo' | 'wasm'>): Scratch | null {
  const mod = wasmModule();
  if (!mod) return null;
  const n = g.nodeCount;
  const m = g.adjTo.length;
  if (g.adjStart.length !== n + 1 || g.adjLen.length !== m) return null;
  const sizes = [4 * (n + 1), 4 * m, 8 * m, 8 * n, 4 * n, 4 * geo.tiles * geo.nb * geo.tw, 4 * geo.tiles * geo.nb, 4 * geo.tiles];
  const at: number[] = [];
  let end = 0;
  for (const b of sizes) {
    at.push(end);
    end += (b + 7) & ~7;
  }
  try {
    const inst = new WebAssembly.Instance(mod);
    const x = inst.exports as { memory: WebAssembly.Memory; layout: (...a: number[]) => void; runTile: WasmKernel['runTile']; delta: () => number };
    const pages = Math.ceil(end / 65536);
    if (pages > x.memory.buffer.byteLength / 65536) x.memory.grow(pages - x.memory.buffer.byteLength / 65536);
    const buf = x.memory.buffer;
    // the graph's adjacency moves into the kernel's memory: the graph reads it there from now on and its own
    // arrays are dropped (they are never written after the build), so a large graph is not held twice
    const adjStart = new Uint32Array(buf, at[0], n + 1);
    const adjTo = new Uint32Array(buf, at[1], m);
    const adjLen = new Float64Array(buf, at[2], m);
    adjStart.set(g.adjStart);
    adjTo.set(g.adjTo);
    adjLen.set(g.adjLen);
    if (Object.isExtensible(g)) Object.assign(g, { adjStart, adjTo, adjLen });
    x.layout(at[0], at[1], at[2], at[3], at[4], at[5], at[6], at[7], geo.inv, geo.tw, geo.nb, geo.tileBits);
    const lo = new Int32Array(buf, at[7], geo.tiles).fill(NONE);
    return {
      ...geo,
      bits: new Int32Array(buf, at[5], geo.tiles * geo.nb * geo.tw),
      occ: new Int32Array(buf, at[6], geo.tiles * geo.nb),
      lo,
      wasm: { dist: new Float64Array(buf, at[3], n), src: new Int32Array(buf, at[4], n), runTile: x.runTile, delta: x.delta },
    };
  } catch {
    return null; // e.g. no memory for this graph's copy: the JavaScript kernel
  }
}

/** Seeds of a search: node, distance, source index (parallel arrays). */
export interface Seeds {
  node: ArrayLike<number>;
  dist: ArrayLike<number>;
  src: ArrayLike<number>;
}

export interface SearchOptions {
  /** labels above this are not set (default: none) */
  cutoff?: number;
  /** a fresh search: `dist`/`src` are set to Infinity/-1 first (their contents are not read) */
  fresh?: boolean;
  /** tiles of 2^tileBits nodes (tests: small tiles on small graphs) */
  tileBits?: number;
  /** the inner loop (default: WebAssembly for a fresh search, JavaScript for an improve-only one; tests run both) */
  kernel?: Kernel;
}

/**
 * Improve `dist`/`src` in place from `seeds`: afterwards every node holds the shortest distance over its
 * old label, the seeds, and paths from improved nodes (and the lowest source index among equal distances).
 * With `dist` all Infinity this is a fresh multi-source search; with a finished field as `dist` it is an
 * improve-only search that touches only what gets nearer (see SearchOptions for a fresh one, a cutoff).
 * Returns the number of node expansions.
 */
export function searchField(g: SearchGraph, dist: Float64Array, src: Int32Array, seeds: Seeds, opts: SearchOptions = {}): number {
  const { cutoff = Infinity, tileBits = TILE_BITS, fresh = false } = opts;
  // a fresh search runs in WebAssembly (its labels filled there and copied out once); an improve-only search
  // touches a small part of the field, so it runs in place in JavaScript instead of copying the whole field
  // into the kernel's memory and back
  const kernel = opts.kernel ?? (fresh ? 'wasm' : 'js');
  const s = g.edgeCount > 0 ? scratchFor(g, tileBits, kernel) : null;
  const order = s ? seedOrder(seeds, cutoff, s.inv) : new Int32Array(0);
  // the labels the search works on: the kernel's memory (filled or copied in, copied back), or the caller's arrays
  const K = s?.wasm && order.length > 0 ? s.wasm : null;
  if (fresh && !K) {
    dist.fill(Infinity);
    src.fill(-1);
  }
  if (!s) applySeeds(dist, src, seeds, cutoff);
  if (!s || order.length === 0) return 0;
  const n = order.length;
  const D = K ? K.dist : dist;
  const S = K ? K.src : src;
  if (K && fresh) {
    D.fill(Infinity);
    S.fill(-1);
  } else if (K) {
    D.set(dist);
    S.set(src);
  }
  let next = 0;
  let expansions = 0;
  let pending = 0;
  let w0 = bucket(seeds.dist[order[0]], s.inv);
  for (;;) {
    const wEnd = w0 + WINDOW;
    // seeds whose bucket falls in this window enter now
    for (; next < n && bucket(seeds.dist[order[next]], s.inv) < wEnd; next++) {
      const i = order[next];
      pending += offer(s, D, S, seeds.node[i], seeds.dist[i], seeds.src[i], cutoff);
    }
    for (let again = true; again; ) {
      again = false;
      for (let t = 0; t < s.tiles; t++) {
        if (!(s.lo[t] < wEnd)) continue;
        again = true;
        if (K) {
          expansions += K.runTile(t, wEnd, cutoff);
          pending += K.delta();
        } else {
          expansions += runTile(g, s, D, S, t, wEnd, cutoff);
          pending += lastDelta;
        }
      }
    }
    if (pending === 0 && next >= n) break;
    // the next window with work: the lowest tile bucket, or the next seed
    let lo = next < n ? bucket(seeds.dist[order[next]], s.inv) : NONE;
    for (let t = 0; t < s.tiles; t++) if (s.lo[t] < lo) lo = s.lo[t];
    w0 = Math.max(wEnd, lo);
  }
  if (K) {
    dist.set(D);
    src.set(S);
  }
  return expansions;
}

/**
 * The seeds that can label anything (finite, within the cutoff), ordered by bucket (a window lets in the seeds
 * below its end; the order within a bucket does not change the labels): one typed sort of packed keys
 * (bucket · 2²⁶ + index), or a comparator sort where the keys would not fit.
 */
function seedOrder(seeds: Seeds, cutoff: number, inv: number): Int32Array {
  const len = seeds.node.length;
  const idx = new Int32Array(len);
  let n = 0;
  let packed = len < 2 ** 26;
  // seeds given in order of distance (sortSeeds: a cache's seeds, searched again and again) need no sort
  let sorted = true;
  let last = -Infinity;
  for (let i = 0; i < len; i++) {
    const d = seeds.dist[i];
    if (!(d <= cutoff && d < Infinity)) continue;
    if (bucket(d, inv) >= 2 ** 26) packed = false;
    if (d < last) sorted = false;
    last = d;
    idx[n++] = i;
  }
  const order = idx.slice(0, n);
  if (sorted) return order;
  if (!packed) return order.sort((a, b) => seeds.dist[a] - seeds.dist[b] || a - b);
  const keys = new Float64Array(n);
  for (let j = 0; j < n; j++) keys[j] = bucket(seeds.dist[order[j]], inv) * 2 ** 26 + order[j];
  keys.sort();
  for (let j = 0; j < n; j++) order[j] = keys[j] % 2 ** 26;
  return order;
}

/**
 * The same seeds in order of distance (a search then lets them in without sorting them): for seeds kept and
 * searched from many times. The order of the seeds does not change a search's labels (ties go by source index).
 */
export function sortSeeds(seeds: Seeds): Seeds {
  const n = seeds.node.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => seeds.dist[a] - seeds.dist[b] || a - b);
  return { node: Int32Array.from(order, (i) => seeds.node[i]), dist: Float64Array.from(order, (i) => seeds.dist[i]), src: Int32Array.from(order, (i) => seeds.src[i]) };
}

/** The bucket of a distance (distances stay below 2³¹ buckets: w ≥ 1 m, or the longest edge / 500). */
function bucket(d: number, inv: number): number {
  return (d * inv) | 0;
}

function applySeeds(dist: Float64Array, src: Int32Array, seeds: Seeds, cutoff: number) {
  for (let i = 0; i < seeds.node.length; i++) {
    const v = seeds.node[i];
    const d = seeds.dist[i];
    if (d <= cutoff && (d < dist[v] || (d === dist[v] && seeds.src[i] < src[v]))) {
      dist[v] = d;
      src[v] = seeds.src[i];
    }
  }
}

/** A label for v if it beats v's: set it and mark v in its bucket. Returns 1 when a new bit was set. */
function offer(s: Scratch, dist: Float64Array, src: Int32Array, v: number, d: number, sv: number, cutoff: number): number {
  if (!(d <= cutoff) || d > dist[v] || (d === dist[v] && sv >= src[v])) return 0;
  dist[v] = d;
  src[v] = sv;
  return mark(s, v, bucket(d, s.inv));
}

function mark(s: Scratch, v: number, b: number): number {
  const t = v >>> s.tileBits;
  const slot = t * s.nb + (b & (s.nb - 1));
  const wi = slot * s.tw + ((v & ((1 << s.tileBits) - 1)) >>> 5);
  const m = 1 << (v & 31);
  if (b < s.lo[t]) s.lo[t] = b;
  if (s.bits[wi] & m) return 0;
  s.bits[wi] |= m;
  s.occ[slot]++;
  return 1;
}

/** change of the number of set bits in the last JavaScript runTile */
let lastDelta = 0;

/**
 * Run tile t from its lowest bucket up to (not including) bucket `wEnd`: sweep each bucket's bitmap in node
 * order, expanding the nodes whose label still lies in that bucket, until the bucket stays empty.
 */
function runTile(g: SearchGraph, s: Scratch, dist: Float64Array, src: Int32Array, t: number, wEnd: number, cutoff: number): number {
  const { adjStart, adjTo, adjLen } = g;
  const { bits, occ, inv, tw, nb, tileBits } = s;
  const lo = s.lo;
  const mask = nb - 1;
  const tileMask = (1 << tileBits) - 1;
  const base = t << tileBits;
  let expanded = 0;
  let delta = 0;
  let b = lo[t];
  lo[t] = NONE;
  for (; b < wEnd; b++) {
    const slot = t * nb + (b & mask);
    const off = slot * tw;
    while (occ[slot] > 0) {
      for (let wd = 0; wd < tw; wd++) {
        let x = bits[off + wd];
        if (x === 0) continue;
        bits[off + wd] = 0;
        while (x !== 0) {
          const low = x & -x;
          x ^= low;
          const u = base | (wd << 5) | (31 - Math.clz32(low));
          occ[slot]--;
          delta--;
          const du = dist[u];
          if (((du * inv) | 0) !== b) continue; // improved into an earlier bucket since: handled there
          expanded++;
          const su = src[u];
          for (let k = adjStart[u], end = adjStart[u + 1]; k < end; k++) {
            const v = adjTo[k];
            const nd = du + adjLen[k];
            const dv = dist[v];
            if (nd > dv || (nd === dv && su >= src[v]) || nd > cutoff) continue;
            dist[v] = nd;
            src[v] = su;
            const nbk = (nd * inv) | 0;
            const tv = v >>> tileBits;
            const s2 = tv * nb + (nbk & mask);
            const wi = s2 * tw + ((v & tileMask) >>> 5);
            const m = 1 << (v & 31);
            if (nbk < lo[tv]) lo[tv] = nbk;
            if ((bits[wi] & m) === 0) {
              bits[wi] |= m;
              occ[s2]++;
              delta++;
            }
          }
        }
      }
    }
  }
  // everything below wEnd is done here (a run never pushes below its own bucket): the tile's next work is
  // its first non-empty slot from wEnd on (pushed before this run or by it)
  lo[t] = NONE;
  for (let k = 0; k < nb; k++) {
    if (occ[t * nb + ((b + k) & mask)] > 0) {
      lo[t] = b + k;
      break;
    }
  }
  lastDelta = delta;
  return expanded;
}

/** A field read at the ends of every origin's edge: entry 2j is origin j's end a, 2j + 1 its end b. */
export interface AtEnds {
  dist: Float64Array;
  src: Int32Array;
}

/**
 * Gather a field at the origins' edge ends. Best done right after the search, while its arrays are still in
 * the core's cache (at city scale a cold field costs a cache miss per origin). Where `src` is empty or -1 at
 * an end the field did not relabel (an improve-only search over a field kept without its sources),
 * `fallback` (the base field's ends) names the source.
 */
export function gatherEnds(ends: ArrayLike<number>, dist: Float64Array, src: Int32Array | Int16Array, fallback?: Int32Array): AtEnds {
  const n = ends.length;
  const d = new Float64Array(n);
  const s = new Int32Array(n);
  const full = src.length === dist.length;
  for (let k = 0; k < n; k++) {
    const v = ends[k];
    d[k] = dist[v];
    const x = full ? src[v] : -1;
    s[k] = x >= 0 || !fallback ? x : fallback[k];
  }
  return { dist: d, src: s };
}
