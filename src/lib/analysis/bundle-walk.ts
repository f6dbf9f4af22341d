/**
 * Walking gap between two communities for the bundling adjacency (adjacency.ts `WalkGapMeasure`), on the
 * coverage analysis' walking graph (walkgraph.ts, snap.ts).
 *
 * The gap is the walk from A's nearest boundary point to B's: off-network to the nearest street edge
 * (snap distance), along the network, and off again — the same convention the coverage analysis uses for
 * gates and facilities. Each query is a Dijkstra bounded by the gap limit (300 m by default) with sparse
 * bookkeeping (a Map of the few hundred nodes within reach), so its cost depends on the street density
 * near the pair, not on the size of the whole graph: O(k log k), k = nodes within the limit.
 *
 * Pure: no DOM, no map; callable from a worker.
 */
import type { LonLat } from '../domain/types';
import type { WalkGapMeasure } from './adjacency';
import { MinHeap } from './reach';
import { snapLonLat, type Snap } from './snap';
import type { WalkGraph } from './walkgraph';

/** Walking distance between two snapped points, or null when it exceeds `limit`. */
export function boundedWalk(g: WalkGraph, s: Snap, t: Snap, limit: number): number | null {
  let best = Infinity;
  if (s.edge === t.edge) best = s.snapDist + Math.abs(s.toA - t.toA) + t.snapDist;
  const dist = new Map<number, number>();
  const heap = new MinHeap(64);
  const seed = (node: number, d: number) => {
    if (d <= limit && d < (dist.get(node) ?? Infinity)) {
      dist.set(node, d);
      heap.push(d, node);
    }
  };
  seed(g.edgeA[s.edge], s.snapDist + s.toA);
  seed(g.edgeB[s.edge], s.snapDist + s.toB);
  const ta = g.edgeA[t.edge],
    tb = g.edgeB[t.edge];
  while (heap.size > 0) {
    const d = heap.peekKey();
    const u = heap.pop();
    if (d > (dist.get(u) ?? Infinity)) continue;
    if (d + t.snapDist >= best) break; // nothing closer can follow
    if (u === ta) best = Math.min(best, d + t.toA + t.snapDist);
    if (u === tb) best = Math.min(best, d + t.toB + t.snapDist);
    for (let k = g.adjStart[u]; k < g.adjStart[u + 1]; k++) {
      const v = g.adjTo[k];
      const nd = d + g.edgeLen[g.adjEdge[k]];
      if (nd <= limit && nd < (dist.get(v) ?? Infinity)) {
        dist.set(v, nd);
        heap.push(nd, v);
      }
    }
  }
  return best <= limit ? best : null;
}

/** A walking measure for buildAdjacency over a walking graph. */
export function walkGapMeasure(g: WalkGraph, name = 'walking network'): WalkGapMeasure {
  return {
    name,
    gap(_a: string, _b: string, p: LonLat, q: LonLat, limitM: number): number | null {
      const s = snapLonLat(g, p[0], p[1], limitM);
      const t = snapLonLat(g, q[0], q[1], limitM);
      if (!s || !t) return null;
      return boundedWalk(g, s, t, limitM);
    },
  };
}
