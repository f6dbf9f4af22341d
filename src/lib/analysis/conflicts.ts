/**
 * "Dig once" (最多改一次) coordination rules between special works (专项工程: 雨污分流, 管线整治, 海绵改造 …) and the
 * renovation of communities (issue 14 groundwork: the pure rules; the layer, views and import come on top).
 *
 * - touching: a work touches a community when its geometry comes within `distanceM` of the community's outline
 *   (inside counts as 0 m), or when the work is attached to the community by id;
 * - timing, per touching pair, with the renovation year R and a horizon N (default 3 years):
 *     the work starts in R or before            → 'integrated' (it can be built with the renovation, or is done first)
 *     it starts in R+1 … R+N                    → 'conflict'   (it will dig up a renovated community)
 *     it starts after R+N                       → 'later'      (outside the horizon)
 *     R unknown (no batch year) or no start     → 'unknown'    (never silently "fine")
 * - works to bundle: two works of different departments within `distanceM` of each other whose periods overlap
 *   (same street segment, same time: one trench instead of two).
 *
 * Distances in metres in a local projection (./localproj.ts). Complexity O(W · C · s) with s the segments per
 * outline, but pairs whose bounding boxes are farther apart than the limit skip the exact distance (a box test);
 * district sizes (hundreds of works, 73 communities) need no spatial index.
 */
import type { Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import { makeProjection, pointSegment, toXY, type LocalProjection } from './localproj';

export interface Work {
  id: string;
  department: string;
  type: string;
  /** planned start and end, as years (a date's year) */
  start: number | null;
  end: number | null;
  geometry: Geometry | null;
  /** communities the work is attached to directly (when it has no geometry, or in addition) */
  communities?: readonly string[];
}

export interface Renovation {
  id: string;
  outline: Polygon | MultiPolygon;
  /** the batch (year) the renovation is planned in; null = not scheduled */
  year: number | null;
}

export type Timing = 'integrated' | 'conflict' | 'later' | 'unknown';

export function timingClass(workStart: number | null, renovationYear: number | null, horizonYears = 3): Timing {
  if (workStart === null || renovationYear === null || !Number.isFinite(workStart) || !Number.isFinite(renovationYear)) return 'unknown';
  if (workStart <= renovationYear) return 'integrated';
  if (workStart <= renovationYear + horizonYears) return 'conflict';
  return 'later';
}

type XY = [number, number];

function rings(g: Geometry): XY[][] {
  switch (g.type) {
    case 'Point':
      return [[g.coordinates as XY]];
    case 'MultiPoint':
      return g.coordinates.map((p) => [p as XY]);
    case 'LineString':
      return [g.coordinates as XY[]];
    case 'MultiLineString':
    case 'Polygon':
      return g.coordinates as XY[][];
    case 'MultiPolygon':
      return g.coordinates.flat() as XY[][];
    case 'GeometryCollection':
      return g.geometries.flatMap(rings);
  }
}

function inside(p: XY, poly: XY[][]): boolean {
  let c = false;
  for (const ring of poly)
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!;
      const [xj, yj] = ring[j]!;
      if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) c = !c;
    }
  return c;
}

/** Shortest distance in metres between two geometries' vertices/segments, 0 when one lies inside a polygon of the other. */
export function distanceM(a: Geometry, b: Geometry, proj?: LocalProjection): number {
  const first = rings(a)[0]?.[0] as Position | undefined;
  const p = proj ?? makeProjection(first?.[0] ?? 0, first?.[1] ?? 0);
  const A = rings(a).map((r) => r.map(([x, y]) => toXY(p, x, y)));
  const B = rings(b).map((r) => r.map(([x, y]) => toXY(p, x, y)));
  const polysOf = (g: Geometry, R: XY[][]): XY[][][] =>
    g.type === 'Polygon' ? [R] : g.type === 'MultiPolygon' ? g.coordinates.map((poly, i) => R.slice(offset(g, i), offset(g, i) + poly.length)) : [];
  for (const poly of polysOf(b, B)) if (A.some((r) => r.some((q) => inside(q, poly)))) return 0;
  for (const poly of polysOf(a, A)) if (B.some((r) => r.some((q) => inside(q, poly)))) return 0;
  let best = Infinity;
  const pointToLines = (q: XY, R: XY[][]) => {
    for (const r of R) {
      if (r.length === 1) best = Math.min(best, Math.hypot(q[0] - r[0]![0], q[1] - r[0]![1]));
      for (let i = 0; i + 1 < r.length; i++) best = Math.min(best, pointSegment(q[0], q[1], r[i]![0], r[i]![1], r[i + 1]![0], r[i + 1]![1]).d);
    }
  };
  for (const r of A) for (const q of r) pointToLines(q, B);
  for (const r of B) for (const q of r) pointToLines(q, A);
  // crossing segments without a vertex near the other line: distance 0
  if (best > 0 && crosses(A, B)) return 0;
  return best;
}

function offset(g: MultiPolygon, i: number): number {
  let n = 0;
  for (let k = 0; k < i; k++) n += g.coordinates[k]!.length;
  return n;
}

function crosses(A: XY[][], B: XY[][]): boolean {
  const side = (p: XY, q: XY, r: XY) => Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
  for (const ra of A)
    for (let i = 0; i + 1 < ra.length; i++)
      for (const rb of B)
        for (let j = 0; j + 1 < rb.length; j++) {
          const [p1, p2, q1, q2] = [ra[i]!, ra[i + 1]!, rb[j]!, rb[j + 1]!];
          if (side(p1, p2, q1) * side(p1, p2, q2) < 0 && side(q1, q2, p1) * side(q1, q2, p2) < 0) return true;
        }
  return false;
}

export interface Touch {
  work: string;
  community: string;
  distanceM: number;
  timing: Timing;
  /** years between the renovation and the work's start (positive = after) */
  yearsAfter: number | null;
}

export interface CoordinationOptions {
  distanceM?: number;
  horizonYears?: number;
}

type BBox = [number, number, number, number];

function bboxOf(g: Geometry): BBox {
  const b: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const r of rings(g))
    for (const [x, y] of r) {
      if (x < b[0]) b[0] = x;
      if (y < b[1]) b[1] = y;
      if (x > b[2]) b[2] = x;
      if (y > b[3]) b[3] = y;
    }
  return b;
}

/** Whether two boxes (degrees) can be within `m` metres: a cheap prefilter before the exact distance. */
function boxesNear(a: BBox, b: BBox, m: number): boolean {
  const dLat = m / 110_000 + 1e-9; // ≥ 110.5 km per degree of latitude: never too small
  const dLon = dLat / Math.max(0.01, Math.cos((((a[1] + a[3]) / 2) * Math.PI) / 180) - 0.01);
  return a[0] - dLon <= b[2] && b[0] - dLon <= a[2] && a[1] - dLat <= b[3] && b[1] - dLat <= a[3];
}

/** Every (work, community) pair that touches, with its timing class. Pairs whose boxes are farther apart than the
 * limit are skipped before the exact distance (the answer is the same; district sizes go from ~50 ms to a few). */
export function touches(works: readonly Work[], communities: readonly Renovation[], o: CoordinationOptions = {}): Touch[] {
  const limit = o.distanceM ?? 50;
  const out: Touch[] = [];
  const cBox = communities.map((c) => bboxOf(c.outline));
  for (const w of works) {
    const wBox = w.geometry ? bboxOf(w.geometry) : null;
    communities.forEach((c, k) => {
      const attached = w.communities?.includes(c.id) ?? false;
      const d = attached ? 0 : w.geometry && boxesNear(wBox!, cBox[k]!, limit) ? distanceM(w.geometry, c.outline) : Infinity;
      if (!(d <= limit)) return;
      out.push({
        work: w.id,
        community: c.id,
        distanceM: d,
        timing: timingClass(w.start, c.year, o.horizonYears),
        yearsAfter: w.start !== null && c.year !== null ? w.start - c.year : null,
      });
    });
  }
  return out;
}

/** Works of different departments, within `distanceM` of each other, whose periods overlap: build them together. */
export function worksToBundle(works: readonly Work[], o: CoordinationOptions = {}): { a: string; b: string; distanceM: number }[] {
  const limit = o.distanceM ?? 50;
  const out: { a: string; b: string; distanceM: number }[] = [];
  const box = works.map((w) => (w.geometry ? bboxOf(w.geometry) : null));
  for (let i = 0; i < works.length; i++)
    for (let j = i + 1; j < works.length; j++) {
      const [a, b] = [works[i]!, works[j]!];
      if (a.department === b.department || !a.geometry || !b.geometry) continue;
      if (a.start === null || b.start === null) continue;
      const aEnd = a.end ?? a.start;
      const bEnd = b.end ?? b.start;
      if (a.start > bEnd || b.start > aEnd) continue;
      if (!boxesNear(box[i]!, box[j]!, limit)) continue;
      const d = distanceM(a.geometry, b.geometry);
      if (d <= limit) out.push({ a: a.id, b: b.id, distanceM: d });
    }
  return out;
}
