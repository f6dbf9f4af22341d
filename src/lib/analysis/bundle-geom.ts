/**
 * Planar geometry helpers for the bundling modules (adjacency, hull, metrics): a local metric projection,
 * polygon-to-polygon boundary distance with the nearest points, and an index of barriers (rivers, canals,
 * rail lines, expressways) that answers "does the straight segment p–q cross a barrier?".
 *
 * Why a local projection: gaps of a few hundred metres are measured between polygons a few hundred metres
 * across. An equirectangular projection around the data's centre (metres per degree from the WGS84
 * ellipsoid, localproj.ts) is accurate to well under 0.5 % over a city, far below the precision of the
 * boundaries themselves, and makes every distance a plain Euclidean one.
 *
 * Pure: no DOM, no map; callable from a worker.
 */
import Flatbush from 'flatbush';
import type { Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import { makeProjection } from './localproj';

export type Pt = [number, number];
export type Ring = Pt[];

/** Equirectangular projection around (lon0, lat0), in metres. */
export interface LocalProjection {
  lon0: number;
  lat0: number;
  fwd(p: Position): Pt;
  inv(p: Pt): [number, number];
}

/** Same metres-per-degree (WGS84 ellipsoid series) as the coverage analysis' localproj.ts, so both agree. */
export function localProjection(lon0: number, lat0: number): LocalProjection {
  const { kx, ky } = makeProjection(lon0, lat0);
  return {
    lon0,
    lat0,
    fwd: (p) => [(p[0] - lon0) * kx, (p[1] - lat0) * ky],
    inv: (p) => [p[0] / kx + lon0, p[1] / ky + lat0],
  };
}

/** A projection centred on the bounding box of all the given geometries. */
export function projectionFor(geoms: readonly Geometry[]): LocalProjection {
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const p = c as Position;
      if (p[0] < minX) minX = p[0];
      if (p[0] > maxX) maxX = p[0];
      if (p[1] < minY) minY = p[1];
      if (p[1] > maxY) maxY = p[1];
    } else if (Array.isArray(c)) for (const x of c) visit(x);
  };
  for (const g of geoms) if (g && 'coordinates' in g) visit(g.coordinates);
  if (!Number.isFinite(minX)) return localProjection(0, 0);
  return localProjection((minX + maxX) / 2, (minY + maxY) / 2);
}

/** A projected (multi)polygon: polygons → rings (first ring outer), plus its bbox. */
export interface Shape {
  polys: Ring[][];
  bbox: [number, number, number, number];
}

export function projectShape(g: Polygon | MultiPolygon, proj: LocalProjection): Shape {
  const src = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  const polys = src.map((poly) =>
    poly.map((ring) =>
      ring.map((p) => {
        const q = proj.fwd(p);
        if (q[0] < minX) minX = q[0];
        if (q[0] > maxX) maxX = q[0];
        if (q[1] < minY) minY = q[1];
        if (q[1] > maxY) maxY = q[1];
        return q;
      }),
    ),
  );
  return { polys, bbox: [minX, minY, maxX, maxY] };
}

/** Area-weighted centroid of a shape (outer rings minus holes), metres. Falls back to the bbox centre. */
export function shapeCentroid(s: Shape): Pt {
  let a = 0,
    cx = 0,
    cy = 0;
  for (const poly of s.polys)
    for (const ring of poly) {
      for (let i = 0, n = ring.length - 1; i < n; i++) {
        const [x0, y0] = ring[i];
        const [x1, y1] = ring[i + 1];
        const f = x0 * y1 - x1 * y0;
        a += f;
        cx += (x0 + x1) * f;
        cy += (y0 + y1) * f;
      }
    }
  if (Math.abs(a) < 1e-9) return [(s.bbox[0] + s.bbox[2]) / 2, (s.bbox[1] + s.bbox[3]) / 2];
  return [cx / (3 * a), cy / (3 * a)];
}

export function ringArea(ring: Ring): number {
  let a = 0;
  for (let i = 0, n = ring.length - 1; i < n; i++) a += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return a / 2;
}

export function ringLength(ring: Ring): number {
  let l = 0;
  for (let i = 0, n = ring.length - 1; i < n; i++) l += Math.hypot(ring[i + 1][0] - ring[i][0], ring[i + 1][1] - ring[i][1]);
  return l;
}

/** Even-odd point-in-ring test (ray casting). Boundary points may go either way; callers add tolerance. */
export function pointInRing(p: Pt, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Inside a polygon (outer ring, not in a hole). */
export function pointInPoly(p: Pt, poly: Ring[]): boolean {
  if (!pointInRing(p, poly[0])) return false;
  for (let h = 1; h < poly.length; h++) if (pointInRing(p, poly[h])) return false;
  return true;
}

export function pointInShape(p: Pt, s: Shape): boolean {
  return s.polys.some((poly) => pointInPoly(p, poly));
}

/** Closest point on segment a–b to p, and its parameter t ∈ [0,1]. */
export function closestOnSegment(p: Pt, a: Pt, b: Pt): { q: Pt; t: number; d: number } {
  const dx = b[0] - a[0],
    dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const q: Pt = [a[0] + t * dx, a[1] + t * dy];
  return { q, t, d: Math.hypot(p[0] - q[0], p[1] - q[1]) };
}

function orient(a: Pt, b: Pt, c: Pt): number {
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

/**
 * Intersection parameter of segments p–q and a–b: t along p–q (0..1), or null when they do not meet.
 * Collinear overlaps return null: a segment running along a barrier's edge does not cross it.
 */
export function segmentIntersectionT(p: Pt, q: Pt, a: Pt, b: Pt): number | null {
  const rx = q[0] - p[0],
    ry = q[1] - p[1];
  const sx = b[0] - a[0],
    sy = b[1] - a[1];
  const den = rx * sy - ry * sx;
  if (den === 0) return null;
  const t = ((a[0] - p[0]) * sy - (a[1] - p[1]) * sx) / den;
  const u = ((a[0] - p[0]) * ry - (a[1] - p[1]) * rx) / den;
  if (t < 0 || t > 1 || u < 0 || u > 1) return null;
  return t;
}

export function segmentsIntersect(p: Pt, q: Pt, a: Pt, b: Pt): boolean {
  const o1 = orient(p, q, a),
    o2 = orient(p, q, b),
    o3 = orient(a, b, p),
    o4 = orient(a, b, q);
  if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) return true;
  const on = (x: Pt, y: Pt, z: Pt) =>
    Math.min(x[0], y[0]) <= z[0] && z[0] <= Math.max(x[0], y[0]) && Math.min(x[1], y[1]) <= z[1] && z[1] <= Math.max(x[1], y[1]);
  return (o1 === 0 && on(p, q, a)) || (o2 === 0 && on(p, q, b)) || (o3 === 0 && on(a, b, p)) || (o4 === 0 && on(a, b, q));
}

/** Minimum distance between segments a–b and c–d with the nearest points (0 when they intersect). */
export function segmentDistance(a: Pt, b: Pt, c: Pt, d: Pt): { d: number; p: Pt; q: Pt } {
  if (segmentsIntersect(a, b, c, d)) {
    const t = segmentIntersectionT(a, b, c, d);
    const p: Pt = t === null ? a : [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
    return { d: 0, p, q: p };
  }
  let best = { d: Infinity, p: a, q: c };
  const c1 = closestOnSegment(a, c, d);
  if (c1.d < best.d) best = { d: c1.d, p: a, q: c1.q };
  const c2 = closestOnSegment(b, c, d);
  if (c2.d < best.d) best = { d: c2.d, p: b, q: c2.q };
  const c3 = closestOnSegment(c, a, b);
  if (c3.d < best.d) best = { d: c3.d, p: c3.q, q: c };
  const c4 = closestOnSegment(d, a, b);
  if (c4.d < best.d) best = { d: c4.d, p: c4.q, q: d };
  return best;
}

/** Nearest boundary points of two shapes and the gap between them (0 when they touch or overlap). */
export interface NearestPair {
  d: number;
  /** on the first shape's boundary (or inside it when overlapping) */
  p: Pt;
  /** on the second shape's boundary */
  q: Pt;
}

/** Boundary-to-boundary gap of two shapes. O(nA·nB) segment pairs; shapes here have tens of vertices. */
export function shapeGap(A: Shape, B: Shape): NearestPair {
  // one inside the other: gap 0 (the boundary loop below would report the ring distance instead)
  const a0 = A.polys[0][0][0];
  const b0 = B.polys[0][0][0];
  if (pointInShape(a0, B)) return { d: 0, p: a0, q: a0 };
  if (pointInShape(b0, A)) return { d: 0, p: b0, q: b0 };
  let best: NearestPair = { d: Infinity, p: a0, q: b0 };
  for (const pa of A.polys)
    for (const ra of pa)
      for (let i = 0; i < ra.length - 1; i++) {
        const a = ra[i],
          b = ra[i + 1];
        for (const pb of B.polys)
          for (const rb of pb)
            for (let j = 0; j < rb.length - 1; j++) {
              // cheap reject on the axis gap before the exact segment distance
              const c = rb[j],
                e = rb[j + 1];
              const gx = Math.max(Math.min(a[0], b[0]) - Math.max(c[0], e[0]), Math.min(c[0], e[0]) - Math.max(a[0], b[0]), 0);
              const gy = Math.max(Math.min(a[1], b[1]) - Math.max(c[1], e[1]), Math.min(c[1], e[1]) - Math.max(a[1], b[1]), 0);
              if (gx >= best.d || gy >= best.d) continue;
              const s = segmentDistance(a, b, c, e);
              if (s.d < best.d) {
                best = { d: s.d, p: s.p, q: s.q };
                if (s.d === 0) return best;
              }
            }
      }
  return best;
}

/** Which barrier a segment crosses. */
export interface BarrierHit {
  index: number;
}

interface BarrierSeg {
  a: Pt;
  b: Pt;
  barrier: number;
}

/**
 * Spatial index of barrier geometry (projected). Lines block when the query segment crosses them away from
 * its endpoints; water polygons block when any part of the query segment runs through their interior
 * (so a segment along a river bank does not count as crossing it).
 */
export class BarrierIndex {
  private segs: BarrierSeg[] = [];
  private polys: { barrier: number; rings: Ring[]; bbox: [number, number, number, number] }[] = [];
  private index: Flatbush | null = null;
  private polyBarriers = new Set<number>();
  /** tolerance (m): contacts within this distance of the query's endpoints are not crossings */
  readonly tol: number;

  constructor(geoms: readonly Geometry[], proj: LocalProjection, tol = 0.5) {
    this.tol = tol;
    geoms.forEach((g, bi) => {
      if (!g) return;
      const addLine = (line: Position[]) => {
        for (let i = 0; i < line.length - 1; i++) this.segs.push({ a: proj.fwd(line[i]), b: proj.fwd(line[i + 1]), barrier: bi });
      };
      const addPoly = (poly: Position[][]) => {
        const rings = poly.map((r) => r.map((p) => proj.fwd(p)));
        let minX = Infinity,
          minY = Infinity,
          maxX = -Infinity,
          maxY = -Infinity;
        for (const p of rings[0]) {
          minX = Math.min(minX, p[0]);
          minY = Math.min(minY, p[1]);
          maxX = Math.max(maxX, p[0]);
          maxY = Math.max(maxY, p[1]);
        }
        this.polys.push({ barrier: bi, rings, bbox: [minX, minY, maxX, maxY] });
        this.polyBarriers.add(bi);
        for (const r of rings) for (let i = 0; i < r.length - 1; i++) this.segs.push({ a: r[i], b: r[i + 1], barrier: bi });
      };
      switch (g.type) {
        case 'LineString':
          addLine(g.coordinates);
          break;
        case 'MultiLineString':
          g.coordinates.forEach(addLine);
          break;
        case 'Polygon':
          addPoly(g.coordinates);
          break;
        case 'MultiPolygon':
          g.coordinates.forEach(addPoly);
          break;
        default:
          break;
      }
    });
    if (this.segs.length > 0) {
      const idx = new Flatbush(this.segs.length);
      for (const s of this.segs)
        idx.add(Math.min(s.a[0], s.b[0]), Math.min(s.a[1], s.b[1]), Math.max(s.a[0], s.b[0]), Math.max(s.a[1], s.b[1]));
      idx.finish();
      this.index = idx;
    }
  }

  get empty(): boolean {
    return this.segs.length === 0;
  }

  /** Whether any barrier crosses the ring's edges or lies inside it (a lake or canal within a hole). */
  touchesRing(ring: Ring): boolean {
    if (!this.index) return false;
    let minX = Infinity,
      minY = Infinity,
      maxX = -Infinity,
      maxY = -Infinity;
    for (const p of ring) {
      minX = Math.min(minX, p[0]);
      minY = Math.min(minY, p[1]);
      maxX = Math.max(maxX, p[0]);
      maxY = Math.max(maxY, p[1]);
    }
    for (const h of this.index.search(minX, minY, maxX, maxY)) {
      const s = this.segs[h];
      if (pointInRing(s.a, ring) || pointInRing(s.b, ring)) return true;
      for (let i = 0; i < ring.length - 1; i++) if (segmentsIntersect(s.a, s.b, ring[i], ring[i + 1])) return true;
    }
    return false;
  }

  /** The first barrier (lowest index) the segment p–q crosses, or null. */
  crossing(p: Pt, q: Pt): number | null {
    if (!this.index) return null;
    const len = Math.hypot(q[0] - p[0], q[1] - p[1]);
    const hits = this.index.search(Math.min(p[0], q[0]), Math.min(p[1], q[1]), Math.max(p[0], q[0]), Math.max(p[1], q[1]));
    let best: number | null = null;
    const polyTs = new Map<number, number[]>();
    for (const h of hits) {
      const s = this.segs[h];
      const t = segmentIntersectionT(p, q, s.a, s.b);
      if (t === null) continue;
      if (this.polyBarriers.has(s.barrier)) {
        const ts = polyTs.get(s.barrier) ?? [];
        ts.push(t);
        polyTs.set(s.barrier, ts);
      } else if (t * len > this.tol && (1 - t) * len > this.tol) {
        if (best === null || s.barrier < best) best = s.barrier;
      }
    }
    // polygons: split p–q at the boundary crossings and test each piece's midpoint for being inside
    for (const poly of this.polys) {
      if (best !== null && poly.barrier >= best) continue;
      if (Math.max(p[0], q[0]) < poly.bbox[0] || Math.min(p[0], q[0]) > poly.bbox[2]) continue;
      if (Math.max(p[1], q[1]) < poly.bbox[1] || Math.min(p[1], q[1]) > poly.bbox[3]) continue;
      const ts = [0, 1, ...(polyTs.get(poly.barrier) ?? [])].sort((x, y) => x - y);
      for (let i = 0; i < ts.length - 1; i++) {
        if ((ts[i + 1] - ts[i]) * len <= this.tol) continue;
        const tm = (ts[i] + ts[i + 1]) / 2;
        const m: Pt = [p[0] + tm * (q[0] - p[0]), p[1] + tm * (q[1] - p[1])];
        if (pointInPoly(m, poly.rings) && distToRings(m, poly.rings) > this.tol) {
          best = poly.barrier;
          break;
        }
      }
    }
    return best;
  }
}

function distToRings(p: Pt, rings: Ring[]): number {
  let d = Infinity;
  for (const r of rings) for (let i = 0; i < r.length - 1; i++) d = Math.min(d, closestOnSegment(p, r[i], r[i + 1]).d);
  return d;
}

/** Convex hull (Andrew's monotone chain), counter-clockwise, closed ring. O(n log n). */
export function convexHull(points: readonly Pt[]): Ring {
  const pts = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (pts.length < 3) return [...pts, ...(pts.length ? [pts[0]] : [])];
  const lower: Pt[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && orient(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Pt[] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i];
    while (upper.length >= 2 && orient(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop();
    upper.push(p);
  }
  const hull = lower.slice(0, -1).concat(upper.slice(0, -1));
  hull.push(hull[0]);
  return hull;
}
