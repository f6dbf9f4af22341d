/**
 * A local equirectangular projection to metres around a reference point. Within a district or a city
 * (tens of kilometres) its distance error is well under 0.5 %, far below the uncertainty of a walking
 * distance, and it makes every distance in the analysis a cheap Euclidean one.
 * Metres-per-degree series: the standard ellipsoid expansion (WGS84), e.g. as used by NGA / USGS.
 */
import type { LonLat } from '../domain/types';

export interface LocalProjection {
  lon0: number;
  lat0: number;
  /** metres per degree of longitude / latitude at lat0 */
  kx: number;
  ky: number;
}

export function makeProjection(lon0: number, lat0: number): LocalProjection {
  const p = (lat0 * Math.PI) / 180;
  const ky = 111132.92 - 559.82 * Math.cos(2 * p) + 1.175 * Math.cos(4 * p);
  const kx = 111412.84 * Math.cos(p) - 93.5 * Math.cos(3 * p);
  return { lon0, lat0, kx, ky };
}

/** A projection centred on the middle of a bounding box [minLon, minLat, maxLon, maxLat]. */
export function projectionForBBox(b: readonly [number, number, number, number]): LocalProjection {
  if (!Number.isFinite(b[0]) || b[0] > b[2]) return makeProjection(121.55, 29.9); // Jiangbei, when there is nothing to centre on
  return makeProjection((b[0] + b[2]) / 2, (b[1] + b[3]) / 2);
}

export function toXY(p: LocalProjection, lon: number, lat: number): [number, number] {
  return [(lon - p.lon0) * p.kx, (lat - p.lat0) * p.ky];
}

export function toLonLat(p: LocalProjection, x: number, y: number): LonLat {
  return [p.lon0 + x / p.kx, p.lat0 + y / p.ky];
}

/** Grow a [minLon, minLat, maxLon, maxLat] box by a coordinate list (any nesting of positions). */
export function extendBBox(b: [number, number, number, number], coords: unknown): void {
  if (!Array.isArray(coords)) return;
  if (typeof coords[0] === 'number') {
    const lon = coords[0] as number;
    const lat = coords[1] as number;
    if (lon < b[0]) b[0] = lon;
    if (lat < b[1]) b[1] = lat;
    if (lon > b[2]) b[2] = lon;
    if (lat > b[3]) b[3] = lat;
    return;
  }
  for (const c of coords) extendBBox(b, c);
}

export function emptyBBox(): [number, number, number, number] {
  return [Infinity, Infinity, -Infinity, -Infinity];
}

/** distance from point (px,py) to segment (ax,ay)-(bx,by); also the parameter t in [0,1] of the closest point */
export function pointSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): { d: number; t: number } {
  const dx = bx - ax;
  const dy = by - ay;
  const l2 = dx * dx + dy * dy;
  let t = l2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / l2 : 0;
  if (t < 0) t = 0;
  else if (t > 1) t = 1;
  const cx = ax + t * dx - px;
  const cy = ay + t * dy - py;
  return { d: Math.sqrt(cx * cx + cy * cy), t };
}
