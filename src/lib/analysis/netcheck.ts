/**
 * Network check for a road/footpath layer before it is used for walking distances (issue 14, 慢行系统).
 *
 * What it finds, on the same walking graph the coverage uses (./walkgraph.ts: vertices within 0.1 m are one node):
 *  - connected parts and their size (edges, length); everything but the largest part is cut off from it;
 *  - dead ends: nodes with one edge;
 *  - near-misses: a dead end within `nearMissM` (default 3 m) of another line without a junction — in drawn data
 *    almost always a line that should join (the usual digitising slip); the nearest point on the other line is
 *    given so the user can snap it (`snapNearMiss`);
 *  - crossings without a node: two lines that cross at an interior point of both with no shared vertex. On a
 *    bridge or in a tunnel that is right (OSM semantics), so lines tagged bridge/tunnel are left out; otherwise
 *    it usually is a missing junction.
 *
 * Complexity: O(E) to build the graph (walkgraph), dead ends O(V), near-misses and crossings O(E · k) with k the
 * edges whose boxes meet (the graph's own spatial index). All distances in metres (local projection).
 */
import type { Position } from 'geojson';
import { buildWalkGraph, type RoadLike, type WalkGraph } from './walkgraph';
import { pointSegment, toLonLat } from './localproj';

export interface NetPart {
  /** 0 = the largest (by length) */
  rank: number;
  edges: number;
  nodes: number;
  lengthM: number;
  /** a vertex of the part, to show it on the map */
  at: [number, number];
}
export interface DeadEnd {
  node: number;
  at: [number, number];
  road: string;
}
export interface NearMiss {
  node: number;
  at: [number, number];
  /** the line whose end it is, and the line it nearly meets */
  road: string;
  toRoad: string;
  gapM: number;
  /** the nearest point on the other line */
  target: [number, number];
}
export interface Crossing {
  at: [number, number];
  roads: [string, string];
}
export interface NetCheck {
  parts: NetPart[];
  deadEnds: DeadEnd[];
  nearMisses: NearMiss[];
  crossings: Crossing[];
}

export interface NetCheckOptions {
  nearMissM?: number;
}

const lonlat = (g: WalkGraph, x: number, y: number): [number, number] => {
  const p = toLonLat(g.proj, x, y);
  return [p[0], p[1]];
};

export function checkNetwork(roads: readonly RoadLike[], opts: NetCheckOptions = {}): NetCheck {
  const g = buildWalkGraph(roads);
  const tol = opts.nearMissM ?? 3;
  const exempt = new Set<number>(); // road indexes (into g.roadIds) tagged bridge or tunnel
  const byId = new Map(roads.map((r, i) => [String(r.properties?.id ?? i), r]));
  g.roadIds.forEach((id, i) => {
    const p = byId.get(id)?.properties;
    if (p && (p.bridge === true || p.tunnel === true || p.bridge === 'yes' || p.tunnel === 'yes')) exempt.add(i);
  });
  const degree = (n: number) => g.adjStart[n + 1]! - g.adjStart[n]!;
  return { parts: parts(g), deadEnds: deadEnds(g, degree), nearMisses: nearMisses(g, degree, tol), crossings: crossings(g, exempt) };
}

function parts(g: WalkGraph): NetPart[] {
  const n = g.componentSize.length;
  const edges = new Uint32Array(n);
  const length = new Float64Array(n);
  const first = new Int32Array(n).fill(-1);
  for (let e = 0; e < g.edgeCount; e++) {
    const c = g.component[g.edgeA[e]!]!;
    edges[c]!++;
    length[c]! += g.edgeLen[e]!;
  }
  for (let v = 0; v < g.nodeCount; v++) if (first[g.component[v]!] === -1) first[g.component[v]!] = v;
  const out: NetPart[] = [];
  for (let c = 0; c < n; c++)
    if (edges[c]) out.push({ rank: 0, edges: edges[c]!, nodes: g.componentSize[c]!, lengthM: length[c]!, at: lonlat(g, g.nodeX[first[c]!]!, g.nodeY[first[c]!]!) });
  out.sort((a, b) => b.lengthM - a.lengthM || b.edges - a.edges);
  out.forEach((p, i) => (p.rank = i));
  return out;
}

function roadOfNode(g: WalkGraph, n: number): string {
  return g.roadIds[g.edgeRoad[g.adjEdge[g.adjStart[n]!]!]!]!;
}

function deadEnds(g: WalkGraph, degree: (n: number) => number): DeadEnd[] {
  const out: DeadEnd[] = [];
  for (let n = 0; n < g.nodeCount; n++) if (degree(n) === 1) out.push({ node: n, at: lonlat(g, g.nodeX[n]!, g.nodeY[n]!), road: roadOfNode(g, n) });
  return out;
}

function nearMisses(g: WalkGraph, degree: (n: number) => number, tol: number): NearMiss[] {
  const out: NearMiss[] = [];
  if (!g.index) return out;
  for (let n = 0; n < g.nodeCount; n++) {
    if (degree(n) !== 1) continue;
    // the node's own edge and the edges at its neighbour are not "another line" (a short stub would always be near them)
    const own = new Set<number>();
    const m = g.adjTo[g.adjStart[n]!]!;
    for (let k = g.adjStart[m]!; k < g.adjStart[m + 1]!; k++) own.add(g.adjEdge[k]!);
    own.add(g.adjEdge[g.adjStart[n]!]!);
    const x = g.nodeX[n]!;
    const y = g.nodeY[n]!;
    let best: { e: number; d: number; t: number } | undefined;
    for (const e of g.index.search(x - tol, y - tol, x + tol, y + tol)) {
      if (own.has(e)) continue;
      const a = g.edgeA[e]!;
      const b = g.edgeB[e]!;
      if (a === n || b === n) continue;
      const r = pointSegment(x, y, g.nodeX[a]!, g.nodeY[a]!, g.nodeX[b]!, g.nodeY[b]!);
      if (r.d <= tol && (!best || r.d < best.d)) best = { e, d: r.d, t: r.t };
    }
    if (!best) continue;
    const a = g.edgeA[best.e]!;
    const b = g.edgeB[best.e]!;
    const tx = g.nodeX[a]! + best.t * (g.nodeX[b]! - g.nodeX[a]!);
    const ty = g.nodeY[a]! + best.t * (g.nodeY[b]! - g.nodeY[a]!);
    out.push({ node: n, at: lonlat(g, x, y), road: roadOfNode(g, n), toRoad: g.roadIds[g.edgeRoad[best.e]!]!, gapM: best.d, target: lonlat(g, tx, ty) });
  }
  return out;
}

function crossings(g: WalkGraph, exempt: Set<number>): Crossing[] {
  const out: Crossing[] = [];
  if (!g.index) return out;
  const seen = new Set<string>();
  for (let e = 0; e < g.edgeCount; e++) {
    if (exempt.has(g.edgeRoad[e]!)) continue;
    const a = g.edgeA[e]!;
    const b = g.edgeB[e]!;
    const [ax, ay, bx, by] = [g.nodeX[a]!, g.nodeY[a]!, g.nodeX[b]!, g.nodeY[b]!];
    for (const f of g.index.search(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by))) {
      if (f <= e || exempt.has(g.edgeRoad[f]!)) continue;
      const c = g.edgeA[f]!;
      const d = g.edgeB[f]!;
      if (c === a || c === b || d === a || d === b) continue;
      const hit = properIntersection(ax, ay, bx, by, g.nodeX[c]!, g.nodeY[c]!, g.nodeX[d]!, g.nodeY[d]!);
      if (!hit) continue;
      const roads: [string, string] = [g.roadIds[g.edgeRoad[e]!]!, g.roadIds[g.edgeRoad[f]!]!];
      const key = `${Math.round(hit[0] * 10)},${Math.round(hit[1] * 10)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ at: lonlat(g, hit[0], hit[1]), roads });
    }
  }
  return out;
}

/** Where two segments cross at an interior point of both (not at or near an end: 1 cm), else undefined. */
function properIntersection(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): [number, number] | undefined {
  const rx = bx - ax;
  const ry = by - ay;
  const sx = dx - cx;
  const sy = dy - cy;
  const den = rx * sy - ry * sx;
  if (Math.abs(den) < 1e-12) return undefined; // parallel or collinear: overlapping lines are not a crossing
  const t = ((cx - ax) * sy - (cy - ay) * sx) / den;
  const u = ((cx - ax) * ry - (cy - ay) * rx) / den;
  const lenR = Math.hypot(rx, ry);
  const lenS = Math.hypot(sx, sy);
  const eps = 0.01;
  if (t * lenR <= eps || (1 - t) * lenR <= eps || u * lenS <= eps || (1 - u) * lenS <= eps) return undefined;
  return [ax + t * rx, ay + t * ry];
}

/**
 * Fix a near-miss: the dangling end moves onto the other line, and the other line gets a vertex there, so the
 * two share a node. Returns a new road list (the input is not changed).
 */
export function snapNearMiss<R extends RoadLike>(roads: readonly R[], miss: NearMiss): R[] {
  const id = (r: RoadLike, i: number) => String(r.properties?.id ?? i);
  const near = (p: Position, q: readonly number[]) => Math.abs(p[0]! - q[0]!) < 1e-9 && Math.abs(p[1]! - q[1]!) < 1e-9;
  return roads.map((r, i) => {
    if (!r.geometry) return r;
    const lines: Position[][] = r.geometry.type === 'LineString' ? [r.geometry.coordinates] : r.geometry.coordinates;
    let changed = false;
    let next = lines.map((l) => l.map((p) => [...p]));
    if (id(r, i) === miss.road) {
      next = next.map((l) => {
        const k = near(l[0]!, miss.at) ? 0 : near(l[l.length - 1]!, miss.at) ? l.length - 1 : -1;
        if (k < 0) return l;
        changed = true;
        const out = [...l];
        out[k] = [...miss.target];
        return out;
      });
    }
    if (id(r, i) === miss.toRoad) next = next.map((l) => {
      const withVertex = insertVertex(l, miss.target);
      if (withVertex !== l) changed = true;
      return withVertex;
    });
    if (!changed) return r;
    const geometry = r.geometry.type === 'LineString' ? { type: 'LineString' as const, coordinates: next[0]! } : { type: 'MultiLineString' as const, coordinates: next };
    return { ...r, geometry } as R;
  });
}

/** Insert `p` into the line's segment nearest to it (degrees are fine at this scale for choosing the segment). */
function insertVertex(line: Position[], p: readonly number[]): Position[] {
  let best = -1;
  let bestD = Infinity;
  for (let i = 0; i + 1 < line.length; i++) {
    const r = pointSegment(p[0]!, p[1]!, line[i]![0]!, line[i]![1]!, line[i + 1]![0]!, line[i + 1]![1]!);
    if (r.d < bestD) {
      bestD = r.d;
      best = i;
    }
  }
  if (best < 0 || bestD > 1e-6) return line;
  if (line.some((q) => Math.abs(q[0]! - p[0]!) < 1e-12 && Math.abs(q[1]! - p[1]!) < 1e-12)) return line;
  return [...line.slice(0, best + 1), [p[0]!, p[1]!], ...line.slice(best + 1)];
}
