/**
 * The walking network as a plan (慢行系统, issue 14): new links (a footpath, a crossing, a bridge) and closed
 * segments applied to a walk graph, without rebuilding it from the roads.
 *
 * What it computes: a new WalkGraph in which every node of the base graph keeps its id (new nodes are
 * appended), so distance fields computed on the base graph stay meaningful on the edited one. A link is a
 * drawn line; each of its two ends joins the network at the nearest point of the nearest edge within
 * `joinM` (default 60 m): at the edge's end node when that point is within `nodeM` (3 m) of it, otherwise at
 * a new node that splits the edge in two (the pieces add up to the edge, so no distance changes). An end
 * with no edge within `joinM` stays loose, and says so. The link's own vertices become nodes and its
 * segments edges (straight-line length). A closure is a road segment (the straight piece between two
 * consecutive vertices, i.e. one base edge) given by its two end positions; it is removed. A closure that
 * matches no segment (the roads were replaced since) is reported, never guessed.
 *
 * The delta (`added` edges, `closed` base edges, `split` base edges) is what the incremental search needs
 * (reach.ts `improveByEdges`): adding edges only shortens distances; a closed edge lengthens them only if it
 * was on a shortest path. Snaps taken on the base graph are carried over with `remapSnap` (gates and
 * facilities stay where they were on the street; a new link does not capture them).
 *
 * Complexity: O(V + E) array copies (the kept edges a run at a time, CSR, components), no hashing of
 * coordinates and no search; the base graph's grid serves the edited one (edgegrid.ts EditedIndex).
 */
import { EdgeGrid, EditedIndex, segmentBoxes } from './edgegrid';
import { components, csr, type WalkGraph } from './walkgraph';
import { snapXY, type Snap } from './snap';
import { toLonLat, toXY } from './localproj';
import type { CoverageResult } from './coverage';

export type LinkKind = 'footpath' | 'crossing' | 'bridge';

export interface NetworkLink {
  id: string;
  kind: LinkKind;
  /** the drawn line, WGS84 lon/lat, at least two positions */
  coords: [number, number][];
}

export interface NetworkClosure {
  id: string;
  /** the two ends of the closed road segment, WGS84 lon/lat */
  a: [number, number];
  b: [number, number];
}

export interface NetworkEdits {
  links: readonly NetworkLink[];
  closures: readonly NetworkClosure[];
}

export interface LinkJoin {
  link: string;
  end: 'start' | 'end';
  /** where the end joins the network (lon/lat); null when no edge is within reach (the end stays loose) */
  at: [number, number] | null;
  /** distance from the drawn end to the joining point, metres */
  gapM: number;
  /** 'node': at an existing junction or vertex; 'edge': a new node splits the segment; 'loose': not joined */
  how: 'node' | 'edge' | 'loose';
}

export interface NetworkDelta {
  /** base node count: nodes below it are the base graph's, with the same ids */
  baseNodes: number;
  /** edges of the edited graph that are not base edges (split pieces and links), by their new edge id */
  added: number[];
  /** base edge ids removed because they were closed */
  closed: number[];
  /** base edge ids replaced by two or more pieces (distances unchanged) */
  split: number[];
  /** base edge id → edited edge id (-1: closed or split) */
  edgeMap: Int32Array;
  /** per split base edge: its pieces in order from node A, with the distance from A where each starts */
  pieces: Map<number, { edge: number; from: number; to: number }[]>;
}

export interface EditedNetwork {
  graph: WalkGraph;
  delta: NetworkDelta;
  joins: LinkJoin[];
  /** closures that match no road segment (ids) */
  unmatched: string[];
  /** the links as joined (their ends moved to the joining points), lon/lat, for the map */
  joined: { id: string; kind: LinkKind; coords: [number, number][]; lengthM: number }[];
}

export interface EditOptions {
  joinM?: number;
  nodeM?: number;
}

/** Most added edges an edited graph tests one by one in its index (beyond: a grid of its own, netedit `assemble`). */
const MAX_UNINDEXED = 256;

/** Largest distance between a closure's ends and the segment's ends for them to match, metres. */
const CLOSURE_MATCH_M = 1;

/** The base edge a closure names: both ends within 1 m of the edge's ends (either direction). */
function matchClosure(g: WalkGraph, c: NetworkClosure): number {
  if (!g.index) return -1;
  const [ax, ay] = toXY(g.proj, c.a[0], c.a[1]);
  const [bx, by] = toXY(g.proj, c.b[0], c.b[1]);
  let best = -1;
  let bestD = Infinity;
  const m = CLOSURE_MATCH_M;
  for (const e of g.index.search(Math.min(ax, bx) - m, Math.min(ay, by) - m, Math.max(ax, bx) + m, Math.max(ay, by) + m)) {
    const p = g.edgeA[e];
    const q = g.edgeB[e];
    const d1 = Math.max(Math.hypot(g.nodeX[p] - ax, g.nodeY[p] - ay), Math.hypot(g.nodeX[q] - bx, g.nodeY[q] - by));
    const d2 = Math.max(Math.hypot(g.nodeX[q] - ax, g.nodeY[q] - ay), Math.hypot(g.nodeX[p] - bx, g.nodeY[p] - by));
    const d = Math.min(d1, d2);
    if (d <= m && (d < bestD || (d === bestD && e < best))) {
      best = e;
      bestD = d;
    }
  }
  return best;
}

interface Growing {
  x: number[];
  y: number[];
  ea: number[];
  eb: number[];
  len: number[];
  road: number[];
}

export function applyNetworkEdits(g: WalkGraph, edits: NetworkEdits, opts: EditOptions = {}): EditedNetwork {
  const joinM = opts.joinM ?? 60;
  const nodeM = opts.nodeM ?? 3;
  const closed = new Set<number>();
  const unmatched: string[] = [];
  for (const c of edits.closures) {
    const e = matchClosure(g, c);
    if (e < 0) unmatched.push(c.id);
    else closed.add(e);
  }
  const grow: Growing = { x: [], y: [], ea: [], eb: [], len: [], road: [] };
  const newNode = (x: number, y: number) => {
    grow.x.push(x);
    grow.y.push(y);
    return g.nodeCount + grow.x.length - 1;
  };
  // split points per base edge: distance from A and the node there
  const cuts = new Map<number, { t: number; node: number }[]>();
  const joins: LinkJoin[] = [];
  const joined: EditedNetwork['joined'] = [];
  const roadIds = [...g.roadIds];

  const joinEnd = (link: NetworkLink, end: 'start' | 'end', lon: number, lat: number): { node: number; x: number; y: number } => {
    const [x, y] = toXY(g.proj, lon, lat);
    const s = snapXY(g, x, y, joinM);
    if (!s) {
      joins.push({ link: link.id, end, at: null, gapM: 0, how: 'loose' });
      return { node: newNode(x, y), x, y };
    }
    const a = g.edgeA[s.edge];
    const b = g.edgeB[s.edge];
    let node: number;
    let how: LinkJoin['how'] = 'node';
    if (s.toA <= nodeM && s.toA <= s.toB) node = a;
    else if (s.toB <= nodeM) node = b;
    else {
      const list = cuts.get(s.edge) ?? [];
      const same = list.find((c) => Math.abs(c.t - s.toA) <= nodeM);
      if (same) node = same.node;
      else {
        node = newNode(s.sx, s.sy);
        list.push({ t: s.toA, node });
        cuts.set(s.edge, list);
      }
      how = 'edge';
    }
    const nx = node < g.nodeCount ? g.nodeX[node] : grow.x[node - g.nodeCount];
    const ny = node < g.nodeCount ? g.nodeY[node] : grow.y[node - g.nodeCount];
    joins.push({ link: link.id, end, at: lonLatOf(g, nx, ny), gapM: Math.hypot(nx - x, ny - y), how });
    return { node, x: nx, y: ny };
  };

  const linkEdges: { a: number; b: number; len: number; road: number }[] = [];
  for (const link of edits.links) {
    if (link.coords.length < 2) continue;
    const road = roadIds.length;
    roadIds.push(`link:${link.id}`);
    const first = link.coords[0];
    const last = link.coords[link.coords.length - 1];
    const s = joinEnd(link, 'start', first[0], first[1]);
    const inner = link.coords.slice(1, -1).map(([lon, lat]) => {
      const [x, y] = toXY(g.proj, lon, lat);
      return { node: newNode(x, y), x, y };
    });
    const t = joinEnd(link, 'end', last[0], last[1]);
    const chain = [s, ...inner, t];
    let lengthM = 0;
    for (let i = 0; i + 1 < chain.length; i++) {
      if (chain[i].node === chain[i + 1].node) continue;
      const len = Math.hypot(chain[i + 1].x - chain[i].x, chain[i + 1].y - chain[i].y);
      lengthM += len;
      linkEdges.push({ a: chain[i].node, b: chain[i + 1].node, len, road });
    }
    joined.push({ id: link.id, kind: link.kind, coords: chain.map((c) => lonLatOf(g, c.x, c.y)), lengthM });
  }
  return assemble(g, grow, closed, cuts, linkEdges, roadIds, { joins, unmatched, joined });
}

function lonLatOf(g: WalkGraph, x: number, y: number): [number, number] {
  const p = toLonLat(g.proj, x, y);
  return [p[0], p[1]];
}

/** The edited graph: kept base edges (in order), then split pieces, then link edges; new CSR, parts, grid. */
function assemble(
  g: WalkGraph,
  grow: Growing,
  closed: Set<number>,
  cuts: Map<number, { t: number; node: number }[]>,
  linkEdges: { a: number; b: number; len: number; road: number }[],
  roadIds: string[],
  rest: Pick<EditedNetwork, 'joins' | 'unmatched' | 'joined'>,
): EditedNetwork {
  const n0 = g.nodeCount;
  const nodeCount = n0 + grow.x.length;
  const nodeX = new Float64Array(nodeCount);
  const nodeY = new Float64Array(nodeCount);
  nodeX.set(g.nodeX);
  nodeY.set(g.nodeY);
  nodeX.set(grow.x, n0);
  nodeY.set(grow.y, n0);
  let pieceCount = 0;
  for (const [e, list] of cuts) if (!closed.has(e)) pieceCount += list.length + 1;
  const cap = g.edgeCount + pieceCount + linkEdges.length;
  const edgeA = new Uint32Array(cap);
  const edgeB = new Uint32Array(cap);
  const edgeLen = new Float64Array(cap);
  const edgeRoad = new Uint32Array(cap);
  const edgeMap = new Int32Array(g.edgeCount).fill(-1);
  let m = 0;
  const put = (a: number, b: number, len: number, road: number) => {
    edgeA[m] = a;
    edgeB[m] = b;
    edgeLen[m] = len;
    edgeRoad[m] = road;
    return m++;
  };
  // the kept base edges in order, copied a run at a time between the (few) closed or split ones
  const gone = [...new Set([...closed, ...cuts.keys()])].sort((p, q) => p - q);
  let from = 0;
  for (const stop of [...gone, g.edgeCount]) {
    if (stop > from) {
      edgeA.set(g.edgeA.subarray(from, stop), m);
      edgeB.set(g.edgeB.subarray(from, stop), m);
      edgeLen.set(g.edgeLen.subarray(from, stop), m);
      edgeRoad.set(g.edgeRoad.subarray(from, stop), m);
      for (let e = from; e < stop; e++) edgeMap[e] = m + e - from;
      m += stop - from;
    }
    from = stop + 1;
  }
  const kept = m;
  const pieces = new Map<number, { edge: number; from: number; to: number }[]>();
  const split: number[] = [];
  for (const [e, list] of [...cuts].sort((p, q) => p[0] - q[0])) {
    if (closed.has(e)) continue;
    split.push(e);
    const sorted = [...list].sort((p, q) => p.t - q.t);
    const stops = [{ t: 0, node: g.edgeA[e] }, ...sorted, { t: g.edgeLen[e], node: g.edgeB[e] }];
    const ps: { edge: number; from: number; to: number }[] = [];
    for (let i = 0; i + 1 < stops.length; i++) ps.push({ edge: put(stops[i].node, stops[i + 1].node, stops[i + 1].t - stops[i].t, g.edgeRoad[e]), from: stops[i].t, to: stops[i + 1].t });
    pieces.set(e, ps);
  }
  for (const l of linkEdges) put(l.a, l.b, l.len, l.road);
  const added: number[] = [];
  for (let e = kept; e < m; e++) added.push(e);
  // exactly the edges made (closed ones leave the arrays' tails unused; the index must not see those)
  const [ea, eb, el, er] = [edgeA.subarray(0, m), edgeB.subarray(0, m), edgeLen.subarray(0, m), edgeRoad.subarray(0, m)];
  const adj = csr(nodeCount, m, ea, eb, el);
  const { component, componentSize } = components(nodeCount, adj.adjStart, adj.adjTo);
  let total = 0;
  for (let e = 0; e < m; e++) total += el[e];
  const boxes = segmentBoxes(ea, eb, nodeX, nodeY);
  // the base's grid seen through the edit while the added edges are few (each query tests them all)
  const index = m === 0 ? null : g.index && added.length <= MAX_UNINDEXED ? new EditedIndex(g.index, edgeMap, added, boxes) : new EdgeGrid(boxes);
  const graph: WalkGraph = {
    proj: g.proj,
    nodeCount,
    nodeX,
    nodeY,
    edgeCount: m,
    edgeA: ea,
    edgeB: eb,
    edgeLen: el,
    edgeRoad: er,
    roadIds,
    ...adj,
    component,
    componentSize,
    index,
    stats: { ...g.stats, totalLengthM: total },
  };
  return { graph, delta: { baseNodes: n0, added, closed: [...closed].sort((p, q) => p - q), split, edgeMap, pieces }, ...rest };
}

/**
 * A snap taken on the base graph, carried to the edited graph: the same point of the street, on the edge
 * (or the piece of a split edge) that now holds it. On a closed edge the point is snapped again on the
 * edited graph (null when nothing is within `maxSnapM`).
 */
export function remapSnap(edited: EditedNetwork, s: Snap, maxSnapM: number): Snap | null {
  const { delta, graph } = edited;
  const e = delta.edgeMap[s.edge];
  // field by field, not spread: a snap's numbers may be getters (snap.ts SnapTable)
  const moved = (edge: number, toA: number, toB: number): Snap => ({ edge, toA, toB, snapDist: s.snapDist, x: s.x, y: s.y, sx: s.sx, sy: s.sy });
  if (e >= 0) return e === s.edge ? s : moved(e, s.toA, s.toB);
  const ps = delta.pieces.get(s.edge);
  if (ps) {
    const p = ps.find((q) => s.toA <= q.to) ?? ps[ps.length - 1];
    return moved(p.edge, s.toA - p.from, p.to - s.toA);
  }
  return snapXY(graph, s.x, s.y, maxSnapM);
}

/**
 * Whether removing the closed edges can lengthen any distance of a field computed on the base graph: only
 * when a closed edge lies on a shortest path (its ends' distances differ by its length) or holds a source.
 */
export function closureAffects(base: WalkGraph, dist: Float64Array, sources: readonly Snap[], closed: readonly number[]): boolean {
  if (closed.length === 0) return false;
  const set = new Set(closed);
  if (sources.some((s) => set.has(s.edge))) return true;
  for (const e of closed) {
    const da = dist[base.edgeA[e]];
    const db = dist[base.edgeB[e]];
    if (!Number.isFinite(da) && !Number.isFinite(db)) continue;
    const len = base.edgeLen[e];
    const eps = 1e-9 * Math.max(1, len, Number.isFinite(da) ? da : 0, Number.isFinite(db) ? db : 0);
    if (Math.abs(da - db) >= len - eps || !Number.isFinite(da) || !Number.isFinite(db)) return true;
  }
  return false;
}

/** The edits as GeoJSON (links as lines with their kind, closures as the closed segments), for export. */
export function networkEditsGeoJSON(edits: NetworkEdits, labels: { link: (k: LinkKind) => string; closure: string }) {
  return {
    type: 'FeatureCollection' as const,
    features: [
      ...edits.links.map((l) => ({
        type: 'Feature' as const,
        geometry: { type: 'LineString' as const, coordinates: l.coords },
        properties: { id: l.id, edit: 'link', kind: l.kind, label: labels.link(l.kind), proposed: true },
      })),
      ...edits.closures.map((c) => ({
        type: 'Feature' as const,
        geometry: { type: 'LineString' as const, coordinates: [c.a, c.b] },
        properties: { id: c.id, edit: 'closure', kind: 'closure', label: labels.closure, proposed: true },
      })),
    ],
  };
}

export interface EffectCount {
  communities: string[];
  residents: number;
}
export interface NetworkEffect {
  /** communities whose life circle (every mandatory category met) became complete / incomplete */
  completed: EffectCount;
  broken: EffectCount;
  /** per category: communities that came within / fell out of the threshold */
  perCategory: { category: string; threshold: number; gained: EffectCount; lost: EffectCount }[];
}

/**
 * What network edits change, community by community: `before` and `after` are the same scenario (standard,
 * settings, proposals) without and with the edits. Gains and losses are counted apart (a closure can cost
 * what a new link gives elsewhere), so the sentences never net them out.
 */
export function networkEffect(before: CoverageResult, after: CoverageResult): NetworkEffect {
  const empty = (): EffectCount => ({ communities: [], residents: 0 });
  const add = (c: EffectCount, id: string, r: number) => {
    c.communities.push(id);
    c.residents += r;
  };
  const completed = empty();
  const broken = empty();
  const perCategory = after.rules.map((r) => ({ category: r.category as string, threshold: r.threshold, gained: empty(), lost: empty() }));
  const idx = new Map(before.communities.map((c, i) => [c.id, i]));
  for (const a of after.communities) {
    const i = idx.get(a.id);
    if (i === undefined) continue;
    const b = before.communities[i];
    if (a.complete && !b.complete) add(completed, a.id, a.residents);
    if (!a.complete && b.complete) add(broken, a.id, a.residents);
    a.byCategory.forEach((ac, k) => {
      const bc = b.byCategory[k];
      if (!bc || bc.category !== ac.category || bc.met === ac.met) return;
      add(ac.met ? perCategory[k].gained : perCategory[k].lost, a.id, a.residents);
    });
  }
  return { completed, broken, perCategory: perCategory.filter((p) => p.gained.communities.length > 0 || p.lost.communities.length > 0) };
}
