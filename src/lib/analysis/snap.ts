/**
 * Snapping points (gates, facilities, clicked points) onto the walking graph.
 *
 * What it computes: the nearest point on the nearest EDGE (not node) of the graph, the perpendicular snap
 * distance (which the analysis adds to every walking distance: you walk from the door to the street), and
 * the distances along that edge to both of its end nodes.
 *
 * How: the grid over edge boxes (edgegrid.ts) is searched in a box of growing radius (25 m, ×4 each round) until the
 * best exact segment distance found is within the searched radius — then no unseen edge can be closer.
 * Expected O(log E) per point.
 */
import { pointSegment, toLonLat, toXY } from './localproj';
import type { WalkGraph } from './walkgraph';

export interface Snap {
  edge: number;
  /** distance along the edge from its node A / node B to the snapped point, metres */
  toA: number;
  toB: number;
  /** perpendicular distance from the original point to the edge, metres */
  snapDist: number;
  /** projected coordinates of the original point and of the snapped point */
  x: number;
  y: number;
  sx: number;
  sy: number;
}

/**
 * Default maximum snap distance, metres. A point farther than this from any walkable edge is treated as
 * not on the network (our default: beyond ~5 minutes of off-network walking the result would mislead).
 */
export const DEFAULT_MAX_SNAP_M = 400;

export function snapXY(g: WalkGraph, x: number, y: number, maxSnapM = DEFAULT_MAX_SNAP_M): Snap | null {
  const index = g.index;
  if (!index) return null;
  let r = 25;
  for (;;) {
    const lim = Math.min(r, maxSnapM);
    let best = -1;
    let bestD = Infinity;
    let bestT = 0;
    const hits = index.search(x - lim, y - lim, x + lim, y + lim);
    for (const e of hits) {
      const a = g.edgeA[e];
      const b = g.edgeB[e];
      const { d, t } = pointSegment(x, y, g.nodeX[a], g.nodeY[a], g.nodeX[b], g.nodeY[b]);
      // ties broken by the lower edge id so results never depend on the index's order
      if (d < bestD || (d === bestD && e < best)) {
        bestD = d;
        best = e;
        bestT = t;
      }
    }
    if (best >= 0 && bestD <= lim) {
      const a = g.edgeA[best];
      const b = g.edgeB[best];
      const len = g.edgeLen[best];
      return {
        edge: best,
        toA: bestT * len,
        toB: (1 - bestT) * len,
        snapDist: bestD,
        x,
        y,
        sx: g.nodeX[a] + bestT * (g.nodeX[b] - g.nodeX[a]),
        sy: g.nodeY[a] + bestT * (g.nodeY[b] - g.nodeY[a]),
      };
    }
    if (lim >= maxSnapM) return null;
    r *= 4;
  }
}

export function snapLonLat(g: WalkGraph, lon: number, lat: number, maxSnapM = DEFAULT_MAX_SNAP_M): Snap | null {
  const [x, y] = toXY(g.proj, lon, lat);
  return snapXY(g, x, y, maxSnapM);
}

export function snappedLonLat(g: WalkGraph, s: Snap): [number, number] {
  return toLonLat(g.proj, s.sx, s.sy);
}
