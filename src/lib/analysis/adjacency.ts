/**
 * Neighbour relation between communities for contiguous renovation areas (连片改造).
 *
 * Two communities are neighbours when
 *   1. the gap between their boundaries is at most `maxGapM` (default 300 m: the 5-minute life-circle
 *      walking distance of GB 50180-2018, so one new facility can serve both), and
 *   2. no barrier (river, canal, rail line, expressway: Dataset.barriers) lies between them: the straight
 *      segment joining their nearest boundary points does not cross one.
 *
 * The gap is measured straight-line by default. A walking measure can be plugged in (`walk`): it is asked
 * only for pairs whose straight gap already passes (a walk is never shorter than the straight line, so the
 * straight gap is an exact prefilter) and its answer replaces the gap. The barrier test applies in both
 * cases: communities on opposite banks belong to different areas even when a bridge joins them.
 *
 * Complexity: a Flatbush R-tree over the community bboxes gives the candidate pairs (bbox grown by the max
 * gap); each candidate costs O(vA·vB) for the boundary distance (v = ring vertices, tens here) plus a
 * barrier-segment query. For n communities spread over a city this is O(n log n + k·v²), k = candidates.
 *
 * Pure: no DOM, no map; callable from a worker.
 */
import Flatbush from 'flatbush';
import type { BarrierFeature, BarrierKind, CommunityFeature, LonLat } from '../domain/types';
import { BarrierIndex, projectShape, projectionFor, shapeGap, type LocalProjection, type Shape } from './bundle-geom';

export const DEFAULT_MAX_GAP_M = 300;

/** A walking-distance gap between two communities' nearest boundary points, or null if not walkable within the limit. */
export interface WalkGapMeasure {
  /** shown to users: which measure produced the gaps */
  name: string;
  gap(a: string, b: string, p: LonLat, q: LonLat, limitM: number): number | null;
}

export interface AdjacencyOptions {
  /** largest boundary gap (m) at which two communities still count as neighbours; default 300 */
  maxGapM?: number;
  /** rivers, canals, rail lines, expressways */
  barriers?: readonly BarrierFeature[];
  /** walking measure; omitted → straight-line boundary gaps */
  walk?: WalkGapMeasure;
}

export interface AdjacencyEdge {
  a: string;
  b: string;
  /** the gap used (walking when a walk measure is in use, else straight-line), metres */
  gapM: number;
  straightGapM: number;
  /** nearest boundary points (lon/lat) of a and b: the shortest straight link between them */
  p: LonLat;
  q: LonLat;
}

/** A pair close enough in a straight line that was nevertheless not joined, and why. */
export interface BlockedPair {
  a: string;
  b: string;
  straightGapM: number;
  reason: 'barrier' | 'walk';
  barrierId?: string;
  barrierKind?: BarrierKind;
  /** walking gap when reason = 'walk' (null: not reachable within the limit) */
  walkGapM?: number | null;
  p: LonLat;
  q: LonLat;
}

export interface Adjacency {
  /** community ids in input order; neighbour lists refer to positions in this array */
  ids: string[];
  /** sorted neighbour positions per community */
  neighbours: number[][];
  /** one entry per neighbouring pair, a < b in input order */
  edges: AdjacencyEdge[];
  blocked: BlockedPair[];
  maxGapM: number;
  measure: 'straight-line' | 'walking';
  /** name of the walking measure when in use */
  walkName?: string;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** Projected shapes for a community list, with the projection used (shared with hulls and metrics). */
export function projectCommunities(communities: readonly CommunityFeature[], proj?: LocalProjection): { proj: LocalProjection; shapes: Shape[] } {
  const p = proj ?? projectionFor(communities.map((c) => c.geometry));
  return { proj: p, shapes: communities.map((c) => projectShape(c.geometry, p)) };
}

export function buildAdjacency(communities: readonly CommunityFeature[], opts: AdjacencyOptions = {}): Adjacency {
  const maxGap = opts.maxGapM ?? DEFAULT_MAX_GAP_M;
  if (!(maxGap >= 0) || !Number.isFinite(maxGap)) throw new Error(`adjacency: max gap must be a number ≥ 0 m, got ${maxGap}`);
  const ids = communities.map((c) => c.properties.id);
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw new Error(`adjacency: duplicate community id "${id}"`);
    seen.add(id);
  }
  const n = communities.length;
  const neighbours: number[][] = Array.from({ length: n }, () => []);
  const edges: AdjacencyEdge[] = [];
  const blocked: BlockedPair[] = [];
  const result: Adjacency = {
    ids,
    neighbours,
    edges,
    blocked,
    maxGapM: maxGap,
    measure: opts.walk ? 'walking' : 'straight-line',
    ...(opts.walk ? { walkName: opts.walk.name } : {}),
  };
  if (n === 0) return result;

  const { proj, shapes } = projectCommunities(communities);
  const barriers = opts.barriers ?? [];
  const bidx = new BarrierIndex(
    barriers.map((b) => b.geometry),
    proj,
  );
  const tree = new Flatbush(n);
  for (const s of shapes) tree.add(s.bbox[0], s.bbox[1], s.bbox[2], s.bbox[3]);
  tree.finish();

  const ll = (p: [number, number]): LonLat => {
    const q = proj.inv(p);
    return [Math.round(q[0] * 1e7) / 1e7, Math.round(q[1] * 1e7) / 1e7];
  };

  for (let i = 0; i < n; i++) {
    const bb = shapes[i].bbox;
    const r = maxGap + 0.05; // the inclusive 0.1 m rounding below
    const cands = tree.search(bb[0] - r, bb[1] - r, bb[2] + r, bb[3] + r).filter((j) => j > i);
    cands.sort((x, y) => x - y);
    for (const j of cands) {
      const near = shapeGap(shapes[i], shapes[j]);
      // gaps are reported to 0.1 m and the limit is inclusive at that precision (a gap drawn at exactly
      // 300 m must not fail on a centimetre of coordinate rounding)
      if (round1(near.d) > maxGap) continue;
      const p = ll(near.p),
        q = ll(near.q);
      const straight = round1(near.d);
      const hit = near.d > 0 ? bidx.crossing(near.p, near.q) : null;
      if (hit !== null) {
        blocked.push({
          a: ids[i],
          b: ids[j],
          straightGapM: straight,
          reason: 'barrier',
          barrierId: barriers[hit].properties.id,
          barrierKind: barriers[hit].properties.kind,
          p,
          q,
        });
        continue;
      }
      let gap = straight;
      if (opts.walk && near.d > 0) {
        const w = opts.walk.gap(ids[i], ids[j], p, q, maxGap);
        if (w === null || w > maxGap) {
          blocked.push({ a: ids[i], b: ids[j], straightGapM: straight, reason: 'walk', walkGapM: w === null ? null : round1(w), p, q });
          continue;
        }
        gap = round1(Math.max(w, near.d));
      }
      neighbours[i].push(j);
      neighbours[j].push(i);
      edges.push({ a: ids[i], b: ids[j], gapM: gap, straightGapM: straight, p, q });
    }
  }
  for (const l of neighbours) l.sort((x, y) => x - y);
  return result;
}

/** Gap lookup by id pair (either order). */
export function edgeMap(adj: Adjacency): Map<string, AdjacencyEdge> {
  const m = new Map<string, AdjacencyEdge>();
  for (const e of adj.edges) {
    m.set(`${e.a}\u0000${e.b}`, e);
    m.set(`${e.b}\u0000${e.a}`, e);
  }
  return m;
}

/**
 * Connected components of `members` under the adjacency relation (used to check that a bundle is
 * contiguous after an edit). Returns groups of ids, each sorted, largest first then by first id.
 */
export function componentsOf(adj: Adjacency, members: readonly string[]): string[][] {
  const pos = new Map(adj.ids.map((id, i) => [id, i] as const));
  const inSet = new Set(members);
  const done = new Set<string>();
  const groups: string[][] = [];
  for (const m of [...members].sort()) {
    if (done.has(m)) continue;
    const g: string[] = [];
    const stack = [m];
    done.add(m);
    while (stack.length) {
      const x = stack.pop()!;
      g.push(x);
      const i = pos.get(x);
      if (i === undefined) continue;
      for (const j of adj.neighbours[i]) {
        const y = adj.ids[j];
        if (inSet.has(y) && !done.has(y)) {
          done.add(y);
          stack.push(y);
        }
      }
    }
    groups.push(g.sort());
  }
  return groups.sort((a, b) => b.length - a.length || (a[0] < b[0] ? -1 : 1));
}
