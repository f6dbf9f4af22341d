/**
 * Walking graph from road lines.
 *
 * What it computes: an undirected graph whose nodes are the road vertices (vertices with equal coordinates,
 * to 0.1 m, are one node — this is how ways are "split at shared vertices") and whose edges are the
 * straight segments between consecutive vertices, with their length in metres. Motorways are excluded
 * (pedestrians may not use them); footways and paths are included; one-way tags are ignored (walking is
 * two-way). Bridges are ordinary edges, so they connect the banks; rivers have no edges, so they separate
 * them. Two lines that cross without a shared vertex (a bridge over a road) do not connect — OSM semantics.
 *
 * Layout: compact typed arrays, adjacency in CSR form (adjStart/adjTo/adjEdge), plus a Flatbush R-tree
 * over edge bounding boxes for snapping. Keeping every vertex as a node (no degree-2 contraction) keeps
 * route geometry exact and makes each edge a straight segment, which snapping needs.
 *
 * Complexity: O(V + E) to build plus O(E log E) for the R-tree; memory ≈ 60 bytes per edge.
 */
import Flatbush from 'flatbush';
import type { LineString, MultiLineString, Position } from 'geojson';
import { emptyBBox, extendBBox, projectionForBBox, toXY, type LocalProjection } from './localproj';

/** The minimum a road record needs; RoadFeature satisfies it, and so do CLI-read line layers. */
export interface RoadLike {
  type: 'Feature';
  geometry: LineString | MultiLineString | null;
  properties: { id?: string | number | null; highway?: string | null; [k: string]: unknown } | null;
}

/** Road classes pedestrians may not use. */
export const EXCLUDED_HIGHWAYS: ReadonlySet<string> = new Set(['motorway', 'motorway_link']);

export interface WalkGraph {
  proj: LocalProjection;
  nodeCount: number;
  nodeX: Float64Array;
  nodeY: Float64Array;
  edgeCount: number;
  edgeA: Uint32Array;
  edgeB: Uint32Array;
  edgeLen: Float64Array;
  /** index into roadIds of the road each edge came from */
  edgeRoad: Uint32Array;
  roadIds: string[];
  /** CSR adjacency: neighbours of node n are adjTo[adjStart[n] .. adjStart[n+1]) via edge adjEdge[..] */
  adjStart: Uint32Array;
  adjTo: Uint32Array;
  adjEdge: Uint32Array;
  /** length of the edge adjEdge[k], stored beside it so the search reads one array, not two */
  adjLen: Float64Array;
  /** connected-component id per node (0-based; component sizes in componentSize) */
  component: Uint32Array;
  componentSize: Uint32Array;
  /** R-tree over edge bounding boxes (projected metres); item i = edge i */
  index: Flatbush | null;
  stats: { roads: number; roadsUsed: number; roadsExcluded: number; totalLengthM: number };
}

/** Quantum for merging vertices: 0.1 m. Numeric keys keep the hash map fast at city scale. */
const Q = 0.1;
const HALF = 2 ** 25; // ±3,355 km at 0.1 m — any city fits

export interface BuildOptions {
  /** use this projection (so several layers share one); default: centred on the roads' bbox */
  proj?: LocalProjection;
}

export function buildWalkGraph(roads: readonly RoadLike[], opts: BuildOptions = {}): WalkGraph {
  const bbox = emptyBBox();
  for (const r of roads) if (r.geometry) extendBBox(bbox, r.geometry.coordinates);
  const proj = opts.proj ?? projectionForBBox(bbox);

  const nodeOf = new Map<number, number>();
  let nx: number[] = [];
  let ny: number[] = [];
  const ea: number[] = [];
  const eb: number[] = [];
  const el: number[] = [];
  const er: number[] = [];
  const roadIds: string[] = [];
  let used = 0;
  let excluded = 0;
  let total = 0;

  const node = (pos: Position): number => {
    const [x, y] = toXY(proj, pos[0], pos[1]);
    const qx = Math.round(x / Q) + HALF;
    const qy = Math.round(y / Q) + HALF;
    if (qx < 0 || qy < 0 || qx >= 2 * HALF || qy >= 2 * HALF) throw new Error(`road vertex ${pos[0]},${pos[1]} is too far from the network centre`);
    const key = qx * 2 * HALF + qy;
    let n = nodeOf.get(key);
    if (n === undefined) {
      n = nx.length;
      nodeOf.set(key, n);
      nx.push(x);
      ny.push(y);
    }
    return n;
  };

  for (let ri = 0; ri < roads.length; ri++) {
    const r = roads[ri];
    const hw = r.properties?.highway ?? null;
    if (hw && EXCLUDED_HIGHWAYS.has(hw)) {
      excluded++;
      continue;
    }
    const g = r.geometry;
    if (!g) continue;
    const lines: Position[][] = g.type === 'LineString' ? [g.coordinates] : g.type === 'MultiLineString' ? g.coordinates : [];
    const roadIndex = roadIds.length;
    roadIds.push(String(r.properties?.id ?? ri));
    let any = false;
    for (const line of lines) {
      let prev = -1;
      for (const pos of line) {
        const n = node(pos);
        if (prev >= 0 && n !== prev) {
          const len = Math.hypot(nx[n] - nx[prev], ny[n] - ny[prev]);
          ea.push(prev);
          eb.push(n);
          el.push(len);
          er.push(roadIndex);
          total += len;
          any = true;
        }
        prev = n;
      }
    }
    if (any) used++;
  }

  const nodeCount = nx.length;
  const edgeCount = ea.length;
  const nodeX = Float64Array.from(nx);
  const nodeY = Float64Array.from(ny);
  nx = [];
  ny = [];
  const edgeA = Uint32Array.from(ea);
  const edgeB = Uint32Array.from(eb);
  const edgeLen = Float64Array.from(el);
  const edgeRoad = Uint32Array.from(er);

  // CSR adjacency (each undirected edge appears twice)
  const adjStart = new Uint32Array(nodeCount + 1);
  for (let e = 0; e < edgeCount; e++) {
    adjStart[edgeA[e] + 1]++;
    adjStart[edgeB[e] + 1]++;
  }
  for (let i = 0; i < nodeCount; i++) adjStart[i + 1] += adjStart[i];
  const fill = adjStart.slice(0, nodeCount);
  const adjTo = new Uint32Array(2 * edgeCount);
  const adjEdge = new Uint32Array(2 * edgeCount);
  const adjLen = new Float64Array(2 * edgeCount);
  for (let e = 0; e < edgeCount; e++) {
    const a = edgeA[e];
    const b = edgeB[e];
    adjTo[fill[a]] = b;
    adjLen[fill[a]] = edgeLen[e];
    adjEdge[fill[a]++] = e;
    adjTo[fill[b]] = a;
    adjLen[fill[b]] = edgeLen[e];
    adjEdge[fill[b]++] = e;
  }

  const { component, componentSize } = components(nodeCount, adjStart, adjTo);

  let index: Flatbush | null = null;
  if (edgeCount > 0) {
    index = new Flatbush(edgeCount);
    for (let e = 0; e < edgeCount; e++) {
      const a = edgeA[e];
      const b = edgeB[e];
      index.add(Math.min(nodeX[a], nodeX[b]), Math.min(nodeY[a], nodeY[b]), Math.max(nodeX[a], nodeX[b]), Math.max(nodeY[a], nodeY[b]));
    }
    index.finish();
  }

  return {
    proj,
    nodeCount,
    nodeX,
    nodeY,
    edgeCount,
    edgeA,
    edgeB,
    edgeLen,
    edgeRoad,
    roadIds,
    adjStart,
    adjTo,
    adjEdge,
    adjLen,
    component,
    componentSize,
    index,
    stats: { roads: roads.length, roadsUsed: used, roadsExcluded: excluded, totalLengthM: total },
  };
}

/** Connected components by iterative BFS; O(V + E). */
function components(n: number, adjStart: Uint32Array, adjTo: Uint32Array) {
  const component = new Uint32Array(n).fill(0xffffffff);
  const sizes: number[] = [];
  const stack = new Uint32Array(n);
  for (let s = 0; s < n; s++) {
    if (component[s] !== 0xffffffff) continue;
    const c = sizes.length;
    let top = 0;
    let size = 0;
    stack[top++] = s;
    component[s] = c;
    while (top > 0) {
      const u = stack[--top];
      size++;
      for (let k = adjStart[u]; k < adjStart[u + 1]; k++) {
        const v = adjTo[k];
        if (component[v] === 0xffffffff) {
          component[v] = c;
          stack[top++] = v;
        }
      }
    }
    sizes.push(size);
  }
  return { component, componentSize: Uint32Array.from(sizes) };
}

/** The edges of a graph as GeoJSON lines (for fixtures and debugging views). */
export function graphEdgesToLonLat(g: WalkGraph, e: number): [[number, number], [number, number]] {
  const a = g.edgeA[e];
  const b = g.edgeB[e];
  return [
    [g.proj.lon0 + g.nodeX[a] / g.proj.kx, g.proj.lat0 + g.nodeY[a] / g.proj.ky],
    [g.proj.lon0 + g.nodeX[b] / g.proj.kx, g.proj.lat0 + g.nodeY[b] / g.proj.ky],
  ];
}
