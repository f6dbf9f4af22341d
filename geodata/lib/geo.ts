/**
 * Small planar geometry kit for the generator. Positions are lon/lat (WGS84); distances use a
 * local equirectangular projection centred on Jiangbei (error < 0.1 % over the district), which
 * is all a 20 km-wide district needs and keeps the generator free of heavy dependencies.
 */
export type P = [number, number];

const LAT0 = 29.93;
export const M_PER_DEG_LAT = 110_574;
export const M_PER_DEG_LON = 111_320 * Math.cos((LAT0 * Math.PI) / 180);

/** lon/lat -> metres in the local plane */
export const toM = (p: readonly number[]): P => [p[0]! * M_PER_DEG_LON, p[1]! * M_PER_DEG_LAT];
/** metres in the local plane -> lon/lat */
export const toLL = (p: readonly number[]): P => [p[0]! / M_PER_DEG_LON, p[1]! / M_PER_DEG_LAT];

export const round = (v: number, d: number): number => {
  const f = 10 ** d;
  return Math.round(v * f) / f;
};
export const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, v));

export const roundP = (p: readonly number[], d = 6): P => [round(p[0]!, d), round(p[1]!, d)];

export function distM(a: readonly number[], b: readonly number[]): number {
  const dx = (a[0]! - b[0]!) * M_PER_DEG_LON;
  const dy = (a[1]! - b[1]!) * M_PER_DEG_LAT;
  return Math.hypot(dx, dy);
}

/** distance in metres from point p to segment ab (all lon/lat) */
export function distToSegM(p: readonly number[], a: readonly number[], b: readonly number[]): number {
  const [px, py] = toM(p);
  const [ax, ay] = toM(a);
  const [bx, by] = toM(b);
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / len2;
  t = Math.max(0, Math.min(1, t));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

export function distToLineM(p: readonly number[], line: readonly (readonly number[])[]): number {
  let d = Infinity;
  for (let i = 1; i < line.length; i++) d = Math.min(d, distToSegM(p, line[i - 1]!, line[i]!));
  return d;
}

/** even-odd point in ring test */
export function inRing(p: readonly number[], ring: readonly (readonly number[])[]): boolean {
  let inside = false;
  const [x, y] = [p[0]!, p[1]!];
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i]![0]!;
    const yi = ring[i]![1]!;
    const xj = ring[j]![0]!;
    const yj = ring[j]![1]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** point in polygon (outer ring minus holes) */
export function inPolygon(p: readonly number[], rings: readonly (readonly (readonly number[])[])[]): boolean {
  if (!inRing(p, rings[0]!)) return false;
  for (let k = 1; k < rings.length; k++) if (inRing(p, rings[k]!)) return false;
  return true;
}

/** proper intersection parameter of segments ab and cd: t along ab, or null */
export function segIntersect(
  a: readonly number[],
  b: readonly number[],
  c: readonly number[],
  d: readonly number[],
): { t: number; u: number } | null {
  const rx = b[0]! - a[0]!;
  const ry = b[1]! - a[1]!;
  const sx = d[0]! - c[0]!;
  const sy = d[1]! - c[1]!;
  const den = rx * sy - ry * sx;
  if (den === 0) return null;
  const qx = c[0]! - a[0]!;
  const qy = c[1]! - a[1]!;
  const t = (qx * sy - qy * sx) / den;
  const u = (qx * ry - qy * rx) / den;
  if (t < 0 || t > 1 || u < 0 || u > 1) return null;
  return { t, u };
}

/** first crossing of segment ab with a polyline: parameter t along ab, or null */
export function crossLine(
  a: readonly number[],
  b: readonly number[],
  line: readonly (readonly number[])[],
): number | null {
  let best: number | null = null;
  for (let i = 1; i < line.length; i++) {
    const r = segIntersect(a, b, line[i - 1]!, line[i]!);
    if (r && (best === null || r.t < best)) best = r.t;
  }
  return best;
}

export function lerp(a: readonly number[], b: readonly number[], t: number): P {
  return [a[0]! + (b[0]! - a[0]!) * t, a[1]! + (b[1]! - a[1]!) * t];
}

/** signed area in m² (positive = counter-clockwise) of a ring in lon/lat */
export function ringAreaM2(ring: readonly (readonly number[])[]): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = toM(ring[i]!);
    const [xj, yj] = toM(ring[j]!);
    s += xj * yi - xi * yj;
  }
  return -s / 2;
}

/**
 * Inset of a convex polygon (open ring, counter-clockwise, lon/lat) by d metres: each edge
 * moves inward by d and neighbouring edges are intersected. Valid while d is small compared
 * with the edges, which the caller guarantees (blocks ≥ 80 m, insets ≤ 35 m).
 */
export function insetConvex(ring: readonly P[], d: number): P[] {
  const pts = ring.map(toM);
  const n = pts.length;
  const lines = pts.map((a, i) => {
    const b = pts[(i + 1) % n]!;
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const len = Math.hypot(dx, dy);
    // inward normal of a CCW ring is the left normal (-dy, dx)
    const nx = -dy / len;
    const ny = dx / len;
    return { p: [a[0] + nx * d, a[1] + ny * d] as P, v: [dx, dy] as P };
  });
  const out: P[] = [];
  for (let i = 0; i < n; i++) {
    const l1 = lines[(i - 1 + n) % n]!;
    const l2 = lines[i]!;
    const den = l1.v[0] * l2.v[1] - l1.v[1] * l2.v[0];
    const qx = l2.p[0] - l1.p[0];
    const qy = l2.p[1] - l1.p[1];
    const t = den === 0 ? 0 : (qx * l2.v[1] - qy * l2.v[0]) / den;
    out.push(toLL([l1.p[0] + l1.v[0] * t, l1.p[1] + l1.v[1] * t]));
  }
  return out;
}

export function bboxOf(coords: Iterable<readonly number[]>): [number, number, number, number] {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const c of coords) {
    if (c[0]! < x0) x0 = c[0]!;
    if (c[1]! < y0) y0 = c[1]!;
    if (c[0]! > x1) x1 = c[0]!;
    if (c[1]! > y1) y1 = c[1]!;
  }
  return [x0, y0, x1, y1];
}

/** Douglas–Peucker in metres, keeps first and last vertex. */
export function simplifyLine(pts: readonly P[], tolM: number): P[] {
  if (pts.length <= 2) return pts.slice();
  const keep = new Array<boolean>(pts.length).fill(false);
  keep[0] = keep[pts.length - 1] = true;
  const stack: [number, number][] = [[0, pts.length - 1]];
  while (stack.length) {
    const [s, e] = stack.pop()!;
    let best = -1;
    let bd = tolM;
    for (let i = s + 1; i < e; i++) {
      const d = distToSegM(pts[i]!, pts[s]!, pts[e]!);
      if (d > bd) {
        bd = d;
        best = i;
      }
    }
    if (best >= 0) {
      keep[best] = true;
      stack.push([s, best], [best, e]);
    }
  }
  return pts.filter((_, i) => keep[i]);
}
