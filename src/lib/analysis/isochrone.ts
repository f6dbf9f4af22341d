/**
 * Walking isochrones: the areas reachable within 5/10/15 minutes along the street network.
 *
 * What it computes: a multi-source Dijkstra from the origin(s) (a community's gates, or any clicked point)
 * with a cutoff at the largest band; then a distance field on a regular grid (default 20 m cells) where each
 * cell gets  min over nearby reached edges of (network distance to the closest point of the edge + the
 * straight walk from the street to the cell), counted only within `offNetworkM` (default 60 m) of a street —
 * so the area follows the streets and the blocks between them, and rivers, rail yards and large blocks
 * without streets stay out. Each band is the contour `field ≤ distance` traced with marching squares
 * (linear interpolation along cell edges, saddles resolved by the cell-centre value), giving concave
 * polygons with holes, never a convex blob or a circle. Holes under `minHoleM2` (block interiors enclosed by
 * reached streets) are filled.
 *
 * Complexity: O((V + E) log V) for the search (bounded by the cutoff) + O(R · (L/c + 2·off/c)²) to rasterise
 * R reached edges of length L on c-metre cells + O(cells) per band for the contour.
 */
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { pointSegment, toLonLat } from './localproj';
import { multiSourceReach, reachAt, type ReachField } from './reach';
import { snapXY, type Snap } from './snap';
import type { WalkGraph } from './walkgraph';

export interface IsochroneOptions {
  minutes?: readonly number[];
  walkSpeedMPerMin: number;
  /** grid cell size, metres (grown automatically when the area would exceed maxCells) */
  cellM?: number;
  /** how far from a street a cell may be and still count as reached, metres */
  offNetworkM?: number;
  maxCells?: number;
  /**
   * Holes smaller than this (m²) are filled: a block interior enclosed by reached streets counts as reached
   * (default 40,000 m² = 4 ha, larger than an old-town block, smaller than a river reach or a rail yard).
   */
  minHoleM2?: number;
}

export interface IsochroneBandProps {
  minutes: number;
  distance_m: number;
  area_m2: number;
  fill: string;
  'fill-opacity': number;
  stroke: string;
}

export interface IsochroneResult {
  /** largest band first, so drawing in order puts the smaller bands on top */
  bands: Feature<Polygon | MultiPolygon, IsochroneBandProps>[];
  field: ReachField;
}

/** Band colours (light → dark for 15 → 5 min); src/lib/map/colors.ts may override them for display. */
/** band fills, nearest band first (ColorBrewer Blues) */
const BAND_FILL = ['#08519c', '#3182bd', '#9ecae1'];

export function isochrones(g: WalkGraph, origins: readonly Snap[], opts: IsochroneOptions): IsochroneResult {
  const minutes = [...(opts.minutes ?? [5, 10, 15])].sort((a, b) => a - b);
  const dists = minutes.map((m) => m * opts.walkSpeedMPerMin);
  const maxD = dists[dists.length - 1] ?? 0;
  const field = multiSourceReach(g, origins, { cutoff: maxD });
  if (origins.length === 0 || maxD <= 0) return { bands: [], field };
  const off = opts.offNetworkM ?? 60;

  // extent: reached nodes and the origins, grown by the off-network margin
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const grow = (x: number, y: number) => {
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
  };
  for (let n = 0; n < g.nodeCount; n++) if (field.dist[n] <= maxD) grow(g.nodeX[n], g.nodeY[n]);
  for (const o of origins) grow(o.sx, o.sy);
  const maxCells = opts.maxCells ?? 250_000;
  let cell = opts.cellM ?? 20;
  const spanX = maxX - minX + 2 * off;
  const spanY = maxY - minY + 2 * off;
  while ((spanX / cell + 3) * (spanY / cell + 3) > maxCells) cell *= 1.5;
  // one padding cell of "unreached" on every side so every contour closes
  const ox = minX - off - cell;
  const oy = minY - off - cell;
  const nx = Math.ceil(spanX / cell) + 3;
  const ny = Math.ceil(spanY / cell) + 3;
  const FAR = 1e12;
  const val = new Float64Array(nx * ny).fill(FAR);

  const rasterEdge = (e: number) => {
    const a = g.edgeA[e];
    const b = g.edgeB[e];
    const L = g.edgeLen[e];
    const ax = g.nodeX[a];
    const ay = g.nodeY[a];
    const bx = g.nodeX[b];
    const by = g.nodeY[b];
    const da = field.dist[a];
    const db = field.dist[b];
    const same = field.byEdge.get(e);
    const i0 = Math.max(1, Math.floor((Math.min(ax, bx) - off - ox) / cell));
    const i1 = Math.min(nx - 2, Math.ceil((Math.max(ax, bx) + off - ox) / cell));
    const j0 = Math.max(1, Math.floor((Math.min(ay, by) - off - oy) / cell));
    const j1 = Math.min(ny - 2, Math.ceil((Math.max(ay, by) + off - oy) / cell));
    for (let j = j0; j <= j1; j++) {
      const py = oy + j * cell;
      for (let i = i0; i <= i1; i++) {
        const px = ox + i * cell;
        const { d, t } = pointSegment(px, py, ax, ay, bx, by);
        if (d > off) continue;
        let net = Math.min(da + t * L, db + (1 - t) * L);
        if (same) for (const s of same) net = Math.min(net, field.sources[s].snapDist + Math.abs(field.sources[s].toA - t * L));
        const v = net + d;
        const k = j * nx + i;
        if (v < val[k]) val[k] = v;
      }
    }
  };
  for (let e = 0; e < g.edgeCount; e++) {
    const reachedA = field.dist[g.edgeA[e]] <= maxD;
    const reachedB = field.dist[g.edgeB[e]] <= maxD;
    if (reachedA || reachedB || field.byEdge.has(e)) rasterEdge(e);
  }

  const bands: Feature<Polygon | MultiPolygon, IsochroneBandProps>[] = [];
  for (let k = dists.length - 1; k >= 0; k--) {
    const rings = contour(val, nx, ny, dists[k]);
    const minHole = (opts.minHoleM2 ?? 40_000) / (cell * cell);
    const polys = assemble(rings).map((p) => [p[0], ...p.slice(1).filter((h) => Math.abs(ringArea(h)) >= minHole)]);
    if (polys.length === 0) continue;
    let area = 0;
    for (const p of polys) for (let r = 0; r < p.length; r++) area += (r === 0 ? 1 : -1) * Math.abs(ringArea(p[r]));
    area *= cell * cell;
    const toLL = (ring: number[][]): Position[] => ring.map(([gx, gy]) => toLonLat(g.proj, ox + gx * cell, oy + gy * cell));
    const coords = polys.map((p) => p.map(toLL));
    bands.push({
      type: 'Feature',
      properties: {
        minutes: minutes[k],
        distance_m: dists[k],
        area_m2: Math.round(area),
        fill: BAND_FILL[k] ?? '#6baed6',
        'fill-opacity': 0.35,
        stroke: '#08306b',
      },
      geometry: coords.length === 1 ? { type: 'Polygon', coordinates: coords[0] } : { type: 'MultiPolygon', coordinates: coords },
    });
  }
  return { bands, field };
}

export interface FacilityInside<F> {
  facility: F;
  distance_m: number;
  minutes: number;
}

/** Facilities within `maxD` metres of walking (network distance, not point-in-polygon), nearest first. */
export function facilitiesWithin<F extends { geometry: { coordinates: Position } }>(
  g: WalkGraph,
  field: ReachField,
  facilities: readonly F[],
  maxD: number,
  walkSpeedMPerMin: number,
  maxSnapM?: number,
): FacilityInside<F>[] {
  const out: FacilityInside<F>[] = [];
  for (const f of facilities) {
    const [x, y] = [(f.geometry.coordinates[0] - g.proj.lon0) * g.proj.kx, (f.geometry.coordinates[1] - g.proj.lat0) * g.proj.ky];
    const s = snapXY(g, x, y, maxSnapM);
    if (!s) continue;
    const r = reachAt(g, field, s);
    if (r.dist <= maxD) out.push({ facility: f, distance_m: Math.round(r.dist * 10) / 10, minutes: Math.round((r.dist / walkSpeedMPerMin) * 10) / 10 });
  }
  return out.sort((a, b) => a.distance_m - b.distance_m);
}

// ---------------------------------------------------------------------------------------------------------
// Marching squares. Grid value at (i, j) is val[j * nx + i]; "inside" means value ≤ level. Each cell is walked
// counter-clockwise (bottom, right, top, left); crossings alternate exit (in → out) and entry (out → in); a
// contour segment joins an exit to the previous entry (the inside corners stay separate) or, in a saddle whose
// centre is inside, to the next entry. Segments then run with the inside on their left, so outer rings come
// out counter-clockwise and holes clockwise, as GeoJSON wants. Endpoints are identified by the grid edge they
// lie on, which lets the segments be stitched into rings exactly.

type Pt = [number, number];

function contour(val: Float64Array, nx: number, ny: number, level: number): Pt[][] {
  const inside = (i: number, j: number) => val[j * nx + i] <= level;
  // grid-edge ids: horizontal edge from (i,j) to (i+1,j) = 2*(j*nx+i); vertical (i,j)→(i,j+1) = 2*(j*nx+i)+1
  const hId = (i: number, j: number) => 2 * (j * nx + i);
  const vId = (i: number, j: number) => 2 * (j * nx + i) + 1;
  const cross = (i0: number, j0: number, i1: number, j1: number): Pt => {
    const v0 = val[j0 * nx + i0];
    const v1 = val[j1 * nx + i1];
    let t = (level - v0) / (v1 - v0);
    if (!(t >= 0 && t <= 1)) t = 0.5;
    return [i0 + t * (i1 - i0), j0 + t * (j1 - j0)];
  };
  const next = new Map<number, number>(); // start edge id -> end edge id
  const point = new Map<number, Pt>();
  for (let j = 0; j < ny - 1; j++) {
    for (let i = 0; i < nx - 1; i++) {
      const c = [inside(i, j), inside(i + 1, j), inside(i + 1, j + 1), inside(i, j + 1)]; // bl, br, tr, tl
      if (c[0] === c[1] && c[1] === c[2] && c[2] === c[3]) continue;
      // CCW edges: bottom bl→br, right br→tr, top tr→tl, left tl→bl
      const edges: [number, number, number, number, number][] = [
        [i, j, i + 1, j, hId(i, j)],
        [i + 1, j, i + 1, j + 1, vId(i + 1, j)],
        [i + 1, j + 1, i, j + 1, hId(i, j + 1)],
        [i, j + 1, i, j, vId(i, j)],
      ];
      const xs: { id: number; exit: boolean }[] = [];
      for (let k = 0; k < 4; k++) {
        if (c[k] !== c[(k + 1) % 4]) {
          const [a0, b0, a1, b1, id] = edges[k];
          if (!point.has(id)) point.set(id, cross(a0, b0, a1, b1));
          xs.push({ id, exit: c[k] });
        }
      }
      if (xs.length === 2) {
        const [p, q] = xs[0].exit ? [xs[0], xs[1]] : [xs[1], xs[0]];
        next.set(p.id, q.id);
      } else {
        const centre = (val[j * nx + i] + val[j * nx + i + 1] + val[(j + 1) * nx + i + 1] + val[(j + 1) * nx + i]) / 4 <= level;
        for (let k = 0; k < 4; k++) {
          if (!xs[k].exit) continue;
          const partner = centre ? xs[(k + 1) % 4] : xs[(k + 3) % 4];
          next.set(xs[k].id, partner.id);
        }
      }
    }
  }
  const rings: Pt[][] = [];
  const seen = new Set<number>();
  for (const start of next.keys()) {
    if (seen.has(start)) continue;
    const ring: Pt[] = [];
    let cur = start;
    while (!seen.has(cur)) {
      seen.add(cur);
      ring.push(point.get(cur)!);
      const n = next.get(cur);
      if (n === undefined) break;
      cur = n;
    }
    if (ring.length >= 3) {
      ring.push(ring[0]);
      rings.push(ring);
    }
  }
  return rings;
}

function ringArea(r: Pt[] | number[][]): number {
  let a = 0;
  for (let k = 0; k + 1 < r.length; k++) a += r[k][0] * r[k + 1][1] - r[k + 1][0] * r[k][1];
  return a / 2;
}

function inRing(p: Pt, r: Pt[]): boolean {
  let c = false;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    if (r[i][1] > p[1] !== r[j][1] > p[1] && p[0] < ((r[j][0] - r[i][0]) * (p[1] - r[i][1])) / (r[j][1] - r[i][1]) + r[i][0]) c = !c;
  }
  return c;
}

/** Outer rings (CCW, positive area) with the holes (CW) that fall inside them; each hole goes to its smallest container. */
function assemble(rings: Pt[][]): Pt[][][] {
  const outers = rings.filter((r) => ringArea(r) > 0).sort((a, b) => ringArea(a) - ringArea(b));
  const holes = rings.filter((r) => ringArea(r) < 0);
  const polys = outers.map((o) => [o]);
  for (const h of holes) {
    const probe = h[0];
    const k = outers.findIndex((o) => inRing(probe, o));
    if (k >= 0) polys[k].push(h);
  }
  // largest polygon first
  return polys.reverse();
}
