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
 * The snaps of many points (a coverage cache's facilities) in typed arrays: an edge and seven numbers per point,
 * 60 bytes where a Snap object with its boxed numbers costs 200 (at 1M edges, 200,000 facilities: 38 MB).
 * `at(i)` gives a Snap that reads them (48 bytes, made on each call: callers keep what they need). Its numbers
 * are getters: build a changed snap field by field, never by spreading one.
 */
export class SnapTable {
  /** edge per point; NONE_SNAP: nothing within reach; NOT_SNAPPED: not snapped yet */
  private readonly edges: Int32Array;
  /** toA, toB, snapDist, x, y, sx, sy per point */
  private readonly nums: Float64Array;
  constructor(readonly length: number) {
    this.edges = new Int32Array(length).fill(NOT_SNAPPED);
    this.nums = new Float64Array(7 * length);
  }

  snapped(i: number): boolean {
    return this.edges[i] !== NOT_SNAPPED;
  }

  set(i: number, s: Snap | null): void {
    if (!s) {
      this.edges[i] = NONE_SNAP;
      return;
    }
    this.edges[i] = s.edge;
    const v = this.nums;
    const o = 7 * i;
    v[o] = s.toA;
    v[o + 1] = s.toB;
    v[o + 2] = s.snapDist;
    v[o + 3] = s.x;
    v[o + 4] = s.y;
    v[o + 5] = s.sx;
    v[o + 6] = s.sy;
  }

  /** the point's snap (null: nothing within reach, or not snapped yet) */
  at(i: number): Snap | null {
    const e = this.edges[i];
    return e < 0 ? null : new TableSnap(this.nums, 7 * i, e);
  }
}

const NONE_SNAP = -1;
const NOT_SNAPPED = -2;

class TableSnap implements Snap {
  constructor(
    private readonly nums: Float64Array,
    private readonly at: number,
    readonly edge: number,
  ) {}
  get toA() {
    return this.nums[this.at];
  }
  get toB() {
    return this.nums[this.at + 1];
  }
  get snapDist() {
    return this.nums[this.at + 2];
  }
  get x() {
    return this.nums[this.at + 3];
  }
  get y() {
    return this.nums[this.at + 4];
  }
  get sx() {
    return this.nums[this.at + 5];
  }
  get sy() {
    return this.nums[this.at + 6];
  }
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
