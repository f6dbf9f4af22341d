/**
 * A tight outline around a bundle's member polygons, for drawing the bundle as one area.
 *
 * The outline is the union of the member polygons and one "bridge" per adjacency edge between members.
 * A bridge fills the gap between the two facing sides: the convex hull of the boundary stretches of each
 * member that lie within ~1.25 × the gap of the other (a local morphological closing, without the cost
 * and blobbiness of buffering everything out and back in). A bridge never crosses a barrier: when the
 * wide bridge touches a river, rail line or expressway it shrinks to a thin band along the shortest link
 * (which the adjacency test already found barrier-free); when even that crosses (a walking adjacency
 * over a bridge), the members stay separate parts of a MultiPolygon. So the outline is never a convex
 * blob spanning a river, and its area/perimeter give a meaningful compactness.
 *
 * Complexity: O(Σ v_a·v_b) over the bundle's internal edges for the bridges (v = densified boundary
 * vertices) plus one polygon union (polyclip-ts, Martinez–Rueda sweep) of the members and bridges.
 *
 * Pure: no DOM, no map; callable from a worker.
 */
import { featureCollection, polygon as turfPolygon, union } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import type { BarrierFeature, CommunityFeature } from '../domain/types';
import type { AdjacencyEdge } from './adjacency';
import {
  BarrierIndex,
  closestOnSegment,
  convexHull,
  projectShape,
  ringArea,
  ringLength,
  type LocalProjection,
  type Pt,
  type Ring,
  type Shape,
} from './bundle-geom';

export interface HullOptions {
  barriers?: readonly BarrierFeature[];
  /** precomputed barrier index in `proj` (saves rebuilding it per bundle) */
  barrierIndex?: BarrierIndex;
  /** densification step along boundaries, m (default 10) */
  stepM?: number;
  /** half-width of the thin fallback bridge, m (default 8) */
  thinHalfWidthM?: number;
  /** holes enclosed by members and bridges smaller than this are filled (default 20,000 m² = 2 ha), unless a barrier lies in them */
  fillHolesBelowM2?: number;
}

export interface HullResult {
  geometry: Polygon | MultiPolygon;
  /** false when the union needed the snapped fallback (coordinates on a ~10 cm grid) */
  exact: boolean;
  /** bridges drawn (edges with a bridge) and edges left unbridged because a barrier lies across */
  bridged: number;
  thin: number;
  unbridged: number;
  areaM2: number;
  perimeterM: number;
  /** Polsby–Popper compactness 4πA/P² of the outline (1 = disc) */
  polsbyPopper: number;
}

function densify(ring: Ring, step: number): Pt[] {
  const out: Pt[] = [];
  for (let i = 0; i < ring.length - 1; i++) {
    const a = ring[i],
      b = ring[i + 1];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    const k = Math.max(1, Math.ceil(len / step));
    for (let s = 0; s < k; s++) out.push([a[0] + ((b[0] - a[0]) * s) / k, a[1] + ((b[1] - a[1]) * s) / k]);
  }
  return out;
}

function distToShape(p: Pt, s: Shape): number {
  let d = Infinity;
  for (const poly of s.polys)
    for (const r of poly) for (let i = 0; i < r.length - 1; i++) d = Math.min(d, closestOnSegment(p, r[i], r[i + 1]).d);
  return d;
}

function ringCrosses(ring: Ring, bidx: BarrierIndex): boolean {
  for (let i = 0; i < ring.length - 1; i++) if (bidx.crossing(ring[i], ring[i + 1]) !== null) return true;
  return false;
}

/** The bridge polygon between two members (projected), or null when none may be drawn. */
export function bridgeBetween(A: Shape, B: Shape, p: Pt, q: Pt, gap: number, bidx: BarrierIndex | null, opts: HullOptions = {}): { ring: Ring; kind: 'wide' | 'thin' } | null {
  if (gap <= 0) return null;
  const step = opts.stepM ?? 10;
  const reach = gap * 1.25 + step;
  const pts: Pt[] = [p, q];
  for (const [X, Y] of [
    [A, B],
    [B, A],
  ] as const)
    for (const poly of X.polys) for (const v of densify(poly[0], step)) if (distToShape(v, Y) <= reach) pts.push(v);
  const wide = inflate(convexHull(pts), 0.5);
  if (wide.length >= 4 && Math.abs(ringArea(wide)) > 1 && !(bidx && ringCrosses(wide, bidx))) return { ring: wide, kind: 'wide' };
  const hw = opts.thinHalfWidthM ?? 8;
  const len = Math.hypot(q[0] - p[0], q[1] - p[1]);
  if (len === 0) return null;
  const nx = (-(q[1] - p[1]) / len) * hw,
    ny = ((q[0] - p[0]) / len) * hw;
  const thin: Ring = [
    [p[0] + nx, p[1] + ny],
    [q[0] + nx, q[1] + ny],
    [q[0] - nx, q[1] - ny],
    [p[0] - nx, p[1] - ny],
    [p[0] + nx, p[1] + ny],
  ];
  if (bidx && (bidx.crossing(p, q) !== null || ringCrosses(thin, bidx))) return null;
  return { ring: thin, kind: 'thin' };
}

/**
 * Push a convex ring's vertices 0.5 m away from its centre. Bridge edges would otherwise run exactly along
 * member edges (T-junctions, collinear overlaps), the classic failure case of polygon clipping; a small
 * overlap into the members turns them into ordinary crossings.
 */
function inflate(ring: Ring, by: number): Ring {
  if (ring.length < 4) return ring;
  const n = ring.length - 1;
  let cx = 0,
    cy = 0;
  for (let i = 0; i < n; i++) {
    cx += ring[i][0];
    cy += ring[i][1];
  }
  cx /= n;
  cy /= n;
  const out: Ring = ring.slice(0, n).map((p) => {
    const d = Math.hypot(p[0] - cx, p[1] - cy) || 1;
    return [p[0] + ((p[0] - cx) / d) * by, p[1] + ((p[1] - cy) / d) * by] as Pt;
  });
  out.push(out[0]);
  return out;
}

/** Union with fallbacks: polyclip-ts can fail on near-degenerate input; retry on a 1e-6° (~10 cm) grid. */
function robustUnion(parts: Feature<Polygon | MultiPolygon>[]): { geometry: Polygon | MultiPolygon; exact: boolean } {
  try {
    const u = union(featureCollection(parts));
    if (u) return { geometry: u.geometry, exact: true };
  } catch {
    // fall through to the snapped retry
  }
  const snap = (g: Polygon | MultiPolygon): Polygon | MultiPolygon => JSON.parse(JSON.stringify(g, (_k, v) => (typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v)));
  const snapped = parts.map((f) => ({ ...f, geometry: snap(f.geometry) }));
  try {
    const u = union(featureCollection(snapped));
    if (u) return { geometry: u.geometry, exact: false };
  } catch {
    // last resort below
  }
  // unite the members alone, one at a time, skipping any part that still breaks the clipper
  let acc: Feature<Polygon | MultiPolygon> = snapped[0];
  for (const f of snapped.slice(1)) {
    try {
      const u = union(featureCollection([acc, f]));
      if (u) acc = u;
    } catch {
      // skip this part
    }
  }
  return { geometry: acc.geometry, exact: false };
}

/**
 * Fill the small holes that members and bridges enclose (the courtyard between three bundled estates):
 * they belong to the area visually and would only add perimeter. Holes with a barrier in them stay.
 */
function fillSmallHoles(g: Polygon | MultiPolygon, proj: LocalProjection, maxM2: number, bidx: BarrierIndex | null): Polygon | MultiPolygon {
  const keep = (ring: Position[]) => {
    const r = ring.map((p) => proj.fwd(p));
    return Math.abs(ringArea(r)) >= maxM2 || (bidx !== null && bidx.touchesRing(r));
  };
  const fix = (poly: Position[][]) => [poly[0], ...poly.slice(1).filter(keep)];
  return g.type === 'Polygon' ? { type: 'Polygon', coordinates: fix(g.coordinates) } : { type: 'MultiPolygon', coordinates: g.coordinates.map(fix) };
}

function measure(g: Polygon | MultiPolygon, proj: LocalProjection): { area: number; perim: number } {
  const s = projectShape(g, proj);
  let area = 0,
    perim = 0;
  for (const poly of s.polys)
    poly.forEach((r, k) => {
      area += k === 0 ? Math.abs(ringArea(r)) : -Math.abs(ringArea(r));
      perim += ringLength(r);
    });
  return { area, perim };
}

/**
 * Outline of one bundle. `edges` are the adjacency edges (any; those not between two members are ignored),
 * `proj` the projection the barrier index (if given) was built in.
 */
export function bundleHull(
  members: readonly CommunityFeature[],
  edges: readonly AdjacencyEdge[],
  proj: LocalProjection,
  opts: HullOptions = {},
): HullResult {
  if (members.length === 0) throw new Error('hull: a bundle needs at least one member');
  const bidx = opts.barrierIndex ?? (opts.barriers && opts.barriers.length ? new BarrierIndex(opts.barriers.map((b) => b.geometry), proj) : null);
  const byId = new Map(members.map((m) => [m.properties.id, m] as const));
  const shapes = new Map<string, Shape>();
  const shapeOf = (id: string) => {
    let s = shapes.get(id);
    if (!s) {
      s = projectShape(byId.get(id)!.geometry, proj);
      shapes.set(id, s);
    }
    return s;
  };
  const parts: Feature<Polygon | MultiPolygon>[] = members.map((m) => ({ type: 'Feature', properties: {}, geometry: m.geometry }));
  let bridged = 0,
    thin = 0,
    unbridged = 0;
  const inv = (r: Ring): Position[] => r.map((p) => proj.inv(p));
  for (const e of edges) {
    if (!byId.has(e.a) || !byId.has(e.b) || e.straightGapM <= 0) continue;
    const br = bridgeBetween(shapeOf(e.a), shapeOf(e.b), proj.fwd(e.p), proj.fwd(e.q), e.straightGapM, bidx, opts);
    if (!br) {
      unbridged++;
      continue;
    }
    if (br.kind === 'thin') thin++;
    else bridged++;
    parts.push(turfPolygon([inv(br.ring)]));
  }
  let geometry: Polygon | MultiPolygon;
  let exact = true;
  if (parts.length === 1) geometry = parts[0].geometry;
  else ({ geometry, exact } = robustUnion(parts));
  geometry = fillSmallHoles(geometry, proj, opts.fillHolesBelowM2 ?? 20_000, bidx);
  const { area, perim } = measure(geometry, proj);
  return {
    geometry,
    exact,
    bridged,
    thin,
    unbridged,
    areaM2: Math.round(area),
    perimeterM: Math.round(perim),
    polsbyPopper: perim > 0 ? Math.round(((4 * Math.PI * area) / (perim * perim)) * 1000) / 1000 : 0,
  };
}
