/**
 * Property test of the fast search (bucket queue, improve-only what-ifs, renumbered graphs) against a plain
 * Dijkstra written as simply as possible (O(V²) array scan, one source at a time), on random graphs that
 * include zero-length and very short edges, parallel edges, disconnected parts and several sources on one edge.
 */
import { describe, expect, it } from 'vitest';
import { improveReach, multiSourceReach, reachAt } from './reach';
import { fieldKernel, searchField, sortSeeds } from './fieldsearch';
import type { Snap } from './snap';
import { buildWalkGraph, type RoadLike, type WalkGraph } from './walkgraph';
import { makeProjection, toLonLat } from './localproj';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** A WalkGraph straight from an edge list (lengths chosen freely, so zero and tiny lengths are possible). */
function graphOf(n: number, edges: [number, number, number][]): WalkGraph {
  const E = edges.length;
  const edgeA = Uint32Array.from(edges.map((e) => e[0]));
  const edgeB = Uint32Array.from(edges.map((e) => e[1]));
  const edgeLen = Float64Array.from(edges.map((e) => e[2]));
  const adjStart = new Uint32Array(n + 1);
  for (const [a, b] of edges) {
    adjStart[a + 1]++;
    adjStart[b + 1]++;
  }
  for (let i = 0; i < n; i++) adjStart[i + 1] += adjStart[i];
  const fill = adjStart.slice(0, n);
  const adjTo = new Uint32Array(2 * E);
  const adjEdge = new Uint32Array(2 * E);
  const adjLen = new Float64Array(2 * E);
  edges.forEach(([a, b, l], e) => {
    for (const [u, v] of [[a, b], [b, a]]) {
      const k = fill[u]++;
      adjTo[k] = v;
      adjEdge[k] = e;
      adjLen[k] = l;
    }
  });
  return {
    proj: makeProjection(121.55, 29.9),
    nodeCount: n,
    nodeX: new Float64Array(n),
    nodeY: new Float64Array(n),
    edgeCount: E,
    edgeA,
    edgeB,
    edgeLen,
    edgeRoad: new Uint32Array(E),
    roadIds: ['r'],
    adjStart,
    adjTo,
    adjEdge,
    adjLen,
    component: new Uint32Array(n),
    componentSize: Uint32Array.of(n),
    index: null,
    stats: { roads: 1, roadsUsed: 1, roadsExcluded: 0, totalLengthM: 0 },
  };
}

/** Plain Dijkstra from one source snapped on an edge: O(V²), no queue at all. */
function plainDijkstra(g: WalkGraph, s: Snap): Float64Array {
  const dist = new Float64Array(g.nodeCount).fill(Infinity);
  const done = new Uint8Array(g.nodeCount);
  dist[g.edgeA[s.edge]] = Math.min(dist[g.edgeA[s.edge]], s.snapDist + s.toA);
  dist[g.edgeB[s.edge]] = Math.min(dist[g.edgeB[s.edge]], s.snapDist + s.toB);
  for (;;) {
    let u = -1;
    for (let v = 0; v < g.nodeCount; v++) if (!done[v] && dist[v] < Infinity && (u < 0 || dist[v] < dist[u])) u = v;
    if (u < 0) return dist;
    done[u] = 1;
    for (let k = g.adjStart[u]; k < g.adjStart[u + 1]; k++) dist[g.adjTo[k]] = Math.min(dist[g.adjTo[k]], dist[u] + g.adjLen[k]);
  }
}

function randomCase(seed: number) {
  const r = rng(seed);
  const n = 20 + Math.floor(r() * 60);
  const parts = 1 + Math.floor(r() * 3); // disconnected parts: nodes i with i % parts === p
  const edges: [number, number, number][] = [];
  const m = Math.floor(n * (1 + r() * 1.5));
  for (let i = 0; i < m; i++) {
    const a = Math.floor(r() * n);
    let b = Math.floor(r() * n);
    b = b - (b % parts) + (a % parts);
    if (b >= n) b -= parts;
    if (b === a || b < 0) continue;
    // seeds above 40: every edge ≥ 1 m, so the heap-free bucket queue runs (below: short edges, in-bucket heap)
    const kind = seed > 40 ? 1 : r();
    const len = kind < 0.1 ? 0 : kind < 0.2 ? r() * 0.5 : kind < 0.25 ? 1e-6 : 1 + r() * 200;
    edges.push([a, b, len]);
    if (r() < 0.05) edges.push([a, b, len + r() * 10]); // a parallel edge
  }
  const g = graphOf(n, edges);
  const snapOn = (e: number, t: number, off: number): Snap => ({ edge: e, toA: t * g.edgeLen[e], toB: (1 - t) * g.edgeLen[e], snapDist: off, x: 0, y: 0, sx: 0, sy: 0 });
  const sources: Snap[] = [];
  const k = 1 + Math.floor(r() * 6);
  for (let i = 0; i < k && g.edgeCount > 0; i++) {
    const e = Math.floor(r() * g.edgeCount);
    sources.push(snapOn(e, r(), r() < 0.3 ? 0 : r() * 30));
    if (r() < 0.4) sources.push(snapOn(e, r(), r() * 30)); // several sources on one edge
  }
  const targets = Array.from({ length: 10 }, () => snapOn(Math.floor(r() * g.edgeCount), r(), r() * 20));
  return { g, sources, targets };
}

describe('fast search = plain Dijkstra on random graphs', () => {
  for (let seed = 1; seed <= 60; seed++) {
    it(`seed ${seed}`, () => {
      const { g, sources, targets } = randomCase(seed);
      const single = sources.map((s) => plainDijkstra(g, s));
      const f = multiSourceReach(g, sources);
      const zeroEdges = g.edgeLen.some((l) => l === 0);
      for (let v = 0; v < g.nodeCount; v++) {
        const best = Math.min(...single.map((d) => d[v]));
        expect(f.dist[v]).toBe(best);
        if (best === Infinity) {
          expect(f.src[v]).toBe(-1);
          continue;
        }
        // the label names a source at exactly that distance; without zero-length edges, the lowest such index
        expect(single[f.src[v]][v]).toBe(best);
        if (!zeroEdges) expect(f.src[v]).toBe(single.findIndex((d) => d[v] === best));
      }
      // targets: same distances through either end or along the edge
      for (const t of targets) {
        let best = Infinity;
        sources.forEach((s, i) => {
          let d = Math.min(single[i][g.edgeA[t.edge]] + t.toA, single[i][g.edgeB[t.edge]] + t.toB);
          if (s.edge === t.edge) d = Math.min(d, s.snapDist + Math.abs(s.toA - t.toA));
          best = Math.min(best, d);
        });
        const r = reachAt(g, f, t);
        expect(r.dist).toBe(best === Infinity ? Infinity : best + t.snapDist);
      }
      // a what-if: the last sources added by an improve-only search equal one search over all of them
      const split = Math.floor(sources.length / 2);
      const improved = improveReach(g, multiSourceReach(g, sources.slice(0, split)), sources.slice(split));
      expect([...improved.dist]).toEqual([...f.dist]);
      for (let v = 0; v < g.nodeCount; v++) if (f.src[v] >= 0) expect(single[improved.src[v]][v]).toBe(f.dist[v]);
      // a bounded search agrees within the bound and leaves the rest unreached
      const cut = multiSourceReach(g, sources, { cutoff: 50 });
      for (let v = 0; v < g.nodeCount; v++) expect(cut.dist[v]).toBe(f.dist[v] <= 50 ? f.dist[v] : Infinity);
    });
  }
});

/** Plain Dijkstra's answer at every node: the nearest distance and the lowest source index at it. */
function expectNearest(g: WalkGraph, single: Float64Array[], dist: Float64Array, src: Int32Array, zeroEdges: boolean) {
  for (let v = 0; v < g.nodeCount; v++) {
    const best = Math.min(...single.map((d) => d[v]));
    expect(dist[v]).toBe(best);
    if (best === Infinity) {
      expect(src[v]).toBe(-1);
      continue;
    }
    expect(single[src[v]][v]).toBe(best);
    if (!zeroEdges) expect(src[v]).toBe(single.findIndex((d) => d[v] === best));
  }
}

describe('field search (tiles of bitmap buckets, label-correcting) = plain Dijkstra on random graphs', () => {
  for (let seed = 1; seed <= 60; seed++) {
    it(`seed ${seed}`, () => {
      const { g, sources } = randomCase(seed);
      const single = sources.map((s) => plainDijkstra(g, s));
      const zeroEdges = g.edgeLen.some((l) => l === 0);
      // the app's path (pred: false), one tile on these small graphs
      const f = multiSourceReach(g, sources, { pred: false });
      expectNearest(g, single, f.dist, f.src, zeroEdges);
      // tiles of 32 nodes: up to three tiles, work crossing between them; both inner loops (WebAssembly and
      // JavaScript), fresh and improve-only (the later seeds added to a field of the earlier ones)
      const seeds = { node: sources.flatMap((sn) => [g.edgeA[sn.edge], g.edgeB[sn.edge]]), dist: sources.flatMap((sn) => [sn.snapDist + sn.toA, sn.snapDist + sn.toB]), src: sources.flatMap((_, i) => [i, i]) };
      const half = 2 * Math.floor(sources.length / 2);
      const part = (from: number, to: number) => ({ node: seeds.node.slice(from, to), dist: seeds.dist.slice(from, to), src: seeds.src.slice(from, to) });
      for (const kernel of ['wasm', 'js'] as const) {
        const dist = new Float64Array(g.nodeCount).fill(Infinity);
        const src = new Int32Array(g.nodeCount).fill(-1);
        searchField(g, dist, src, seeds, { tileBits: 5, kernel });
        expect([...dist]).toEqual([...f.dist]);
        expect([...src]).toEqual([...f.src]);
        dist.fill(7); // a fresh search does not read what was there
        src.fill(3);
        searchField(g, dist, src, part(0, half), { tileBits: 5, kernel, fresh: true });
        searchField(g, dist, src, part(half, seeds.node.length), { tileBits: 5, kernel });
        expect([...dist]).toEqual([...f.dist]);
        expect([...src]).toEqual([...f.src]);
        // the seeds in order of distance (as a cache keeps them: let in without a sort), and bounded
        searchField(g, dist, src, sortSeeds(seeds), { tileBits: 5, kernel, fresh: true });
        expect([...dist]).toEqual([...f.dist]);
        expect([...src]).toEqual([...f.src]);
        searchField(g, dist, src, sortSeeds(seeds), { tileBits: 5, kernel, fresh: true, cutoff: 50 });
        for (let v = 0; v < g.nodeCount; v++) expect(dist[v]).toBe(f.dist[v] <= 50 ? f.dist[v] : Infinity);
      }
      // improve-only without predecessors, and a bounded search
      const split = Math.floor(sources.length / 2);
      const improved = improveReach(g, multiSourceReach(g, sources.slice(0, split), { pred: false }), sources.slice(split));
      expect([...improved.dist]).toEqual([...f.dist]);
      expect([...improved.src]).toEqual([...f.src]);
      const cut = multiSourceReach(g, sources, { cutoff: 50, pred: false });
      for (let v = 0; v < g.nodeCount; v++) expect(cut.dist[v]).toBe(f.dist[v] <= 50 ? f.dist[v] : Infinity);
    });
  }
  it('on a 900-node street grid cut into 29 tiles of 32 nodes', () => {
    const r = rng(11);
    const n = 30;
    const edges: [number, number, number][] = [];
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++) {
        if (i + 1 < n && r() < 0.85) edges.push([j * n + i, j * n + i + 1, r() < 0.05 ? r() * 0.5 : 40 + r() * 80]);
        if (j + 1 < n && r() < 0.85) edges.push([j * n + i, (j + 1) * n + i, r() < 0.05 ? 0 : 40 + r() * 80]);
      }
    const g = graphOf(n * n, edges);
    const sources: Snap[] = [3, 400, 401, 777, 1200].filter((e) => e < g.edgeCount).map((e, i) => ({ edge: e, toA: 0.25 * g.edgeLen[e], toB: 0.75 * g.edgeLen[e], snapDist: i * 7, x: 0, y: 0, sx: 0, sy: 0 }));
    const single = sources.map((s) => plainDijkstra(g, s));
    const seeds = { node: sources.flatMap((sn) => [g.edgeA[sn.edge], g.edgeB[sn.edge]]), dist: sources.flatMap((sn) => [sn.snapDist + sn.toA, sn.snapDist + sn.toB]), src: sources.flatMap((_, i) => [i, i]) };
    for (const kernel of ['wasm', 'js'] as const) {
      const dist = new Float64Array(g.nodeCount).fill(Infinity);
      const src = new Int32Array(g.nodeCount).fill(-1);
      const expanded = searchField(g, dist, src, seeds, { tileBits: 5, kernel });
      expectNearest(g, single, dist, src, true);
      expect(expanded).toBeGreaterThanOrEqual(g.nodeCount - dist.filter((d) => d === Infinity).length);
      // a cutoff: the same labels up to it, nothing beyond
      const cd = new Float64Array(g.nodeCount).fill(Infinity);
      const cs = new Int32Array(g.nodeCount).fill(-1);
      searchField(g, cd, cs, seeds, { cutoff: 600, tileBits: 5, kernel });
      for (let v = 0; v < g.nodeCount; v++) expect(cd[v]).toBe(dist[v] <= 600 ? dist[v] : Infinity);
    }
  });
  it('equal distances from several sources go to the lowest source index (a grid of 100 m blocks, exact sums)', () => {
    const n = 24;
    const edges: [number, number, number][] = [];
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++) {
        if (i + 1 < n) edges.push([j * n + i, j * n + i + 1, 100]);
        if (j + 1 < n) edges.push([j * n + i, (j + 1) * n + i, 100]);
      }
    const g = graphOf(n * n, edges);
    // sources at nodes (toA = 0), listed so that the lower index is not always the first seed let in
    const sources: Snap[] = [700, 3, 451, 120, 989, 640, 88, 1000].filter((e) => e < g.edgeCount).map((e) => ({ edge: e, toA: 0, toB: 100, snapDist: 0, x: 0, y: 0, sx: 0, sy: 0 }));
    const single = sources.map((s) => plainDijkstra(g, s));
    const ties = Array.from({ length: g.nodeCount }, (_, v) => single.filter((d) => d[v] === Math.min(...single.map((x) => x[v]))).length).filter((k) => k > 1).length;
    expect(ties).toBeGreaterThan(50);
    const seeds = { node: sources.flatMap((sn) => [g.edgeA[sn.edge], g.edgeB[sn.edge]]), dist: sources.flatMap((sn) => [sn.toA, sn.toB]), src: sources.flatMap((_, i) => [i, i]) };
    for (const kernel of ['wasm', 'js'] as const)
      for (const s of [seeds, sortSeeds(seeds)]) {
        const dist = new Float64Array(g.nodeCount);
        const src = new Int32Array(g.nodeCount);
        searchField(g, dist, src, s, { tileBits: 5, kernel, fresh: true });
        expectNearest(g, single, dist, src, false);
      }
  });
  it('runs in WebAssembly where it compiles (Node and the browsers we support)', () => {
    expect(fieldKernel()).toBe('wasm');
  });
});

describe('renumbered graph (reorder) gives the same distances', () => {
  it('on a random street grid with gaps', () => {
    const r = rng(7);
    const P = makeProjection(121.55, 29.9);
    const roads: RoadLike[] = [];
    const N = 30;
    for (let j = 0; j < N; j++)
      for (let i = 0; i < N; i++) {
        const p = toLonLat(P, i * 80 + r() * 20, j * 80 + r() * 20);
        if (i + 1 < N && r() < 0.8) roads.push({ type: 'Feature', properties: { id: `h${i},${j}` }, geometry: { type: 'LineString', coordinates: [p, toLonLat(P, (i + 1) * 80, j * 80)] } });
        if (j + 1 < N && r() < 0.8) roads.push({ type: 'Feature', properties: { id: `v${i},${j}` }, geometry: { type: 'LineString', coordinates: [p, toLonLat(P, i * 80, (j + 1) * 80)] } });
      }
    const a = buildWalkGraph(roads);
    const b = buildWalkGraph(roads, { reorder: true });
    expect(b.edgeCount).toBe(a.edgeCount);
    expect([...b.component].sort()).toEqual([...a.component].sort());
    // several components (the renumbered graph's are read off its breadth-first order), numbered alike
    expect(a.componentSize.length).toBeGreaterThan(1);
    expect([...b.componentSize]).toEqual([...a.componentSize]);
    for (let e = 0; e < a.edgeCount; e++) {
      expect(b.edgeLen[e]).toBe(a.edgeLen[e]);
      expect(b.component[b.edgeA[e]]).toBe(a.component[a.edgeA[e]]);
    }
    const snap = (g: WalkGraph, e: number, t: number): Snap => ({ edge: e, toA: t * g.edgeLen[e], toB: (1 - t) * g.edgeLen[e], snapDist: 3, x: 0, y: 0, sx: 0, sy: 0 });
    const srcE = [5, 300, 901, 1200];
    const fa = multiSourceReach(a, srcE.map((e) => snap(a, e, 0.3)));
    const fb = multiSourceReach(b, srcE.map((e) => snap(b, e, 0.3)));
    for (let e = 0; e < a.edgeCount; e += 7) {
      const ra = reachAt(a, fa, snap(a, e, 0.6));
      const rb = reachAt(b, fb, snap(b, e, 0.6));
      expect(rb.dist).toBe(ra.dist);
      expect(rb.source).toBe(ra.source);
    }
  });
});
