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
 * Layout: compact typed arrays, adjacency in CSR form (adjStart/adjTo/adjEdge), plus a uniform grid over
 * edge bounding boxes for snapping (edgegrid.ts: the same hits as an R-tree, built in linear time).
 * Keeping every vertex as a node (no degree-2 contraction) keeps
 * route geometry exact and makes each edge a straight segment, which snapping needs.
 *
 * Build: two passes over the vertices (bbox and count, then nodes and edges) into preallocated typed arrays;
 * vertices are merged through an open-addressing hash on the quantised coordinates (no Map, no boxed keys).
 * Complexity: O(V + E) to build, grid included; memory ≈ 90 bytes per edge.
 */
import { EdgeGrid, segmentBoxes, type EdgeIndex } from './edgegrid';
import type { LineString, MultiLineString, Position } from 'geojson';
import { emptyBBox, projectionForBBox, type LocalProjection } from './localproj';
import { hypot2 } from './hypot';
import { scratch } from './scratch';

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
  /** grid over edge bounding boxes (projected metres, edgegrid.ts; an edited graph's: its base's grid seen through the edit); search() returns edge ids */
  index: EdgeIndex | null;
  stats: { roads: number; roadsUsed: number; roadsExcluded: number; totalLengthM: number };
}

/** Quantum for merging vertices: 0.1 m. Numeric keys keep the hash map fast at city scale. */
const Q = 0.1;
const HALF = 2 ** 25; // ±3,355 km at 0.1 m — any city fits

export interface BuildOptions {
  /** use this projection (so several layers share one); default: centred on the roads' bbox */
  proj?: LocalProjection;
  /**
   * Renumber the nodes in breadth-first order (per connected component, components in the order of their
   * first vertex) so that nodes near each other in the network sit near each other in memory: searches on
   * large graphs then touch fewer cache lines. Edge ids, component ids and every distance are unchanged;
   * only node ids move. Default false (small graphs and fixtures keep the input order of their vertices).
   */
  reorder?: boolean;
}

/** Lines of a road geometry, without allocating for the common LineString case. */
function linesOf(g: LineString | MultiLineString): Position[][] {
  return g.type === 'LineString' ? [g.coordinates] : g.type === 'MultiLineString' ? g.coordinates : [];
}

/**
 * Open-addressing hash from quantised (ox, oy) (offset by HALF, so never negative) to node id, on typed arrays
 * (no Map, no boxed keys). A node's key is not stored: it is its first vertex's coordinates quantised again (the
 * same sum, the same key), which saves 8 bytes per vertex of garbage at every build.
 *
 * Slots follow the map: a vertex's cell (side 2^shift quanta, about the mean segment length) in Z order
 * (Morton), four slots per cell, the torus of cells folded over the table. Consecutive vertices of a line then
 * probe neighbouring slots, which stay in cache; with a hash that scatters keys, every vertex missed the cache
 * (60–70 of the ~150 ms a 250,000-edge build took). Where vertices crowd into a few cells far beyond the mean
 * (many short segments in a network of long ones), the probes grow: past one probe per vertex on average the
 * table is rebuilt with a scattering hash (`scatter`). Node ids do not depend on either: a node is numbered
 * when a line first reaches it.
 */
export class NodeTable {
  private slots: Int32Array;
  private mask: number;
  /** Z-order cells of 2^shift quanta; -1: a scattering hash */
  private shift: number;
  private probes = 0;
  private readonly budget: number;
  x: Float64Array;
  y: Float64Array;
  count = 0;
  constructor(maxNodes: number, shift: number) {
    // at most 3/4 full (vertices shared by several lines make it less)
    let cap = 16;
    while (cap < (4 * maxNodes) / 3) cap *= 2;
    // working arrays (scratch.ts): the graph keeps copies of the coordinates, in its own node order
    this.slots = scratch('walkgraph.slots', Int32Array, cap).fill(-1);
    this.mask = cap - 1;
    this.shift = shift;
    this.budget = maxNodes + 1024;
    this.x = scratch('walkgraph.x', Float64Array, maxNodes);
    this.y = scratch('walkgraph.y', Float64Array, maxNodes);
  }
  /** true once the table has given up its Z order for a scattering hash (tests) */
  get scattered(): boolean {
    return this.shift < 0;
  }
  private home(ox: number, oy: number): number {
    const s = this.shift;
    if (s < 0) {
      const h = (Math.imul(ox, 0x9e3779b1) ^ Math.imul(oy ^ (oy >>> 15), 0x85ebca77)) >>> 0;
      return (h ^ (h >>> 13)) & this.mask;
    }
    const z = spread16((ox >>> s) & 0xffff) | (spread16((oy >>> s) & 0xffff) << 1);
    return ((z << 2) | (Math.imul(ox ^ (oy << 7), 0x9e3779b1) >>> 30)) & this.mask;
  }
  /** the node at (x, y) quantised to (ox, oy) (offset by HALF), created if new */
  get(ox: number, oy: number, x: number, y: number): number {
    const mask = this.mask;
    const qx = ox - HALF;
    const qy = oy - HALF;
    let h = this.home(ox, oy);
    for (;;) {
      const n = this.slots[h];
      if (n < 0) break;
      const nx = this.x[n];
      const ny = this.y[n];
      // a vertex shared by several lines usually has the very same coordinates: no division for it
      if ((nx === x && ny === y) || (Math.round(nx / Q) === qx && Math.round(ny / Q) === qy)) return n;
      h = (h + 1) & mask;
      if (++this.probes > this.budget && this.shift >= 0) {
        this.scatter();
        return this.get(ox, oy, x, y);
      }
    }
    const n = this.count++;
    this.slots[h] = n;
    this.x[n] = x;
    this.y[n] = y;
    return n;
  }
  /** the nodes so far into a scattering hash (their keys are distinct: no comparisons) */
  private scatter() {
    this.shift = -1;
    const { slots, mask } = this;
    slots.fill(-1);
    for (let n = 0; n < this.count; n++) {
      let h = this.home(Math.round(this.x[n] / Q) + HALF, Math.round(this.y[n] / Q) + HALF);
      while (slots[h] >= 0) h = (h + 1) & mask;
      slots[h] = n;
    }
  }
}

/** the 16 low bits of v, a zero bit after each (one coordinate of a Z-order code) */
function spread16(v: number): number {
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  return (v | (v << 1)) & 0x55555555;
}

/** The cell shift for NodeTable: cells of about the mean segment length, in quanta (0.1 m), as a power of 2. */
function cellShift(meanSegmentM: number): number {
  if (!(meanSegmentM > 0)) return 0;
  return Math.min(24, Math.max(0, Math.floor(Math.log2(meanSegmentM / Q))));
}

/**
 * Pass 1: the roads' bounding box (lon/lat) and their number of vertices (an upper bound of nodes and edges),
 * no recursion. Each pass is a function of its own: V8 optimises a hot loop on the spot (on-stack
 * replacement), and in one long function the code after that loop, not yet run, had no type feedback and threw
 * the optimised code away on the way out, several times per build in a fresh page.
 */
function extentOf(roads: readonly RoadLike[]): { bbox: [number, number, number, number]; vertices: number; meanSegmentM: number } {
  const bbox = emptyBBox();
  let vertices = 0;
  // the segments' mean length (for the node table's cells): degrees, longitude scaled at the first vertex
  let cos = NaN;
  let length = 0;
  let segments = 0;
  // indexed loops, not for…of: an array iterator's checks threw away the optimised loop in a fresh worker
  for (let ri = 0; ri < roads.length; ri++) {
    const geom = roads[ri].geometry;
    if (!geom) continue;
    const lines = linesOf(geom);
    for (let li = 0; li < lines.length; li++) {
      const line = lines[li];
      vertices += line.length;
      if (line.length > 1) segments += line.length - 1;
      let plon = NaN;
      let plat = NaN;
      for (let k = 0; k < line.length; k++) {
        const p = line[k];
        const lon = p[0];
        const lat = p[1];
        if (lon < bbox[0]) bbox[0] = lon;
        if (lat < bbox[1]) bbox[1] = lat;
        if (lon > bbox[2]) bbox[2] = lon;
        if (lat > bbox[3]) bbox[3] = lat;
        if (k > 0) length += Math.sqrt(((lon - plon) * cos) ** 2 + (lat - plat) ** 2);
        else if (cos !== cos) cos = Math.cos((lat * Math.PI) / 180);
        plon = lon;
        plat = lat;
      }
    }
  }
  return { bbox, vertices, meanSegmentM: segments > 0 ? (length * 111_320) / segments : 0 };
}

/** The edges being built (pass 2): ends, length, road, as many as `count`. */
interface EdgeLists {
  ea: Uint32Array;
  eb: Uint32Array;
  el: Float64Array;
  er: Uint32Array;
  count: number;
}

/**
 * Pass 2: every vertex merged into its node (NodeTable), every segment between distinct nodes an edge; the
 * ids of the roads used into `roadIds`. Returns the roads used and excluded, and the total length.
 */
function addRoads(roads: readonly RoadLike[], proj: LocalProjection, nodes: NodeTable, edges: EdgeLists, roadIds: string[]) {
  const { lon0, lat0, kx, ky } = proj;
  const { ea, eb, el, er } = edges;
  let edgeCount = edges.count;
  let used = 0;
  let excluded = 0;
  let total = 0;
  for (let ri = 0; ri < roads.length; ri++) {
    const r = roads[ri];
    const hw = r.properties?.highway ?? null;
    if (hw && EXCLUDED_HIGHWAYS.has(hw)) {
      excluded++;
      continue;
    }
    const g = r.geometry;
    if (!g) continue;
    const roadIndex = roadIds.length;
    roadIds.push(String(r.properties?.id ?? ri));
    let any = false;
    const lines = linesOf(g);
    for (let li = 0; li < lines.length; li++) {
      const line = lines[li];
      let prev = -1;
      for (let k = 0; k < line.length; k++) {
        const pos = line[k];
        const x = (pos[0] - lon0) * kx;
        const y = (pos[1] - lat0) * ky;
        const ox = Math.round(x / Q) + HALF;
        const oy = Math.round(y / Q) + HALF;
        if (!(ox >= 0 && oy >= 0 && ox < 2 * HALF && oy < 2 * HALF)) throw new Error(`road vertex ${pos[0]},${pos[1]} is too far from the network centre`);
        const n = nodes.get(ox, oy, x, y);
        if (prev >= 0 && n !== prev) {
          const len = hypot2(nodes.x[n] - nodes.x[prev], nodes.y[n] - nodes.y[prev]);
          ea[edgeCount] = prev;
          eb[edgeCount] = n;
          el[edgeCount] = len;
          er[edgeCount++] = roadIndex;
          total += len;
          any = true;
        }
        prev = n;
      }
    }
    if (any) used++;
  }
  edges.count = edgeCount;
  return { used, excluded, total };
}

export function buildWalkGraph(roads: readonly RoadLike[], opts: BuildOptions = {}): WalkGraph {
  const { bbox, vertices, meanSegmentM } = extentOf(roads);
  const proj = opts.proj ?? projectionForBBox(bbox);
  const nodes = new NodeTable(vertices, cellShift(meanSegmentM));
  const edges: EdgeLists = { ea: new Uint32Array(vertices), eb: new Uint32Array(vertices), el: new Float64Array(vertices), er: new Uint32Array(vertices), count: 0 };
  const roadIds: string[] = [];
  const { used, excluded, total } = addRoads(roads, proj, nodes, edges, roadIds);
  const { ea, eb, el, er, count: edgeCount } = edges;

  const nodeCount = nodes.count;
  // views, not copies: the spare tail (one vertex per line) costs less than a second copy at build time
  const edgeA = ea.subarray(0, edgeCount);
  const edgeB = eb.subarray(0, edgeCount);
  const edgeLen = el.subarray(0, edgeCount);
  const edgeRoad = er.subarray(0, edgeCount);

  // the grid holds edge ids only, so it is built here, on the node table's coordinates: nodes are then numbered
  // in the order the roads first reach them, so consecutive edges read their ends from nearby memory (after the
  // breadth-first renumbering they are scattered). Renumbering moves node ids, not edges or coordinates: the
  // same grid serves the renumbered graph, reading its boxes from the final arrays (`boxesAre` below).
  const index = edgeCount > 0 ? new EdgeGrid(segmentBoxes(edgeA, edgeB, nodes.x.subarray(0, nodeCount), nodes.y.subarray(0, nodeCount))) : null;
  let nodeX: Float64Array;
  let nodeY: Float64Array;
  let reuse: Pick<ReturnType<typeof csr>, 'adjStart' | 'adjTo'> | undefined;
  let comps: ReturnType<typeof components> | null = null;
  if (opts.reorder && nodeCount > 0) {
    // the order needs the neighbours only: a first CSR without lengths and edge ids (its arrays are then
    // filled again with the renumbered graph's); the coordinates go from the node table to their new places
    reuse = csr(nodeCount, edgeCount, edgeA, edgeB, null);
    const bfs = bfsOrder(nodeCount, reuse.adjStart, reuse.adjTo);
    ({ nodeX, nodeY } = renumber(bfs.order, nodes.x, nodes.y, edgeA, edgeB));
    // the breadth-first order lists the components one after another: renumbered, each is a range of ids
    const component = new Uint32Array(nodeCount);
    for (let c = 0, i = 0; c < bfs.sizes.length; i += bfs.sizes[c++]) component.fill(c, i, i + bfs.sizes[c]);
    comps = { component, componentSize: bfs.sizes };
  } else {
    nodeX = nodes.x.slice(0, nodeCount);
    nodeY = nodes.y.slice(0, nodeCount);
  }
  const { adjStart, adjTo, adjEdge, adjLen } = csr(nodeCount, edgeCount, edgeA, edgeB, edgeLen, reuse);

  const { component, componentSize } = comps ?? components(nodeCount, adjStart, adjTo);

  index?.boxesAre(segmentBoxes(edgeA, edgeB, nodeX, nodeY));

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

/**
 * CSR adjacency (each undirected edge appears twice, in edge order per node). Without `edgeLen`, only the
 * neighbours (adjTo) are filled; adjEdge and adjLen are then empty. `into`: arrays of an earlier CSR of the
 * same sizes, filled again instead of new ones.
 */
export function csr(nodeCount: number, edgeCount: number, edgeA: Uint32Array, edgeB: Uint32Array, edgeLen: Float64Array | null, into?: { adjStart: Uint32Array; adjTo: Uint32Array }) {
  const adjStart = into ? into.adjStart.fill(0) : new Uint32Array(nodeCount + 1);
  for (let e = 0; e < edgeCount; e++) {
    adjStart[edgeA[e] + 1]++;
    adjStart[edgeB[e] + 1]++;
  }
  for (let i = 0; i < nodeCount; i++) adjStart[i + 1] += adjStart[i];
  const fill = scratch('csr.fill', Uint32Array, nodeCount);
  fill.set(adjStart.subarray(0, nodeCount));
  const adjTo = into ? into.adjTo : new Uint32Array(2 * edgeCount);
  const adjEdge = new Uint32Array(edgeLen ? 2 * edgeCount : 0);
  const adjLen = new Float64Array(edgeLen ? 2 * edgeCount : 0);
  for (let e = 0; e < edgeCount; e++) {
    const a = edgeA[e];
    const b = edgeB[e];
    const ka = fill[a]++;
    const kb = fill[b]++;
    adjTo[ka] = b;
    adjTo[kb] = a;
    if (edgeLen) {
      const len = edgeLen[e];
      adjLen[ka] = len;
      adjEdge[ka] = e;
      adjLen[kb] = len;
      adjEdge[kb] = e;
    }
  }
  return { adjStart, adjTo, adjEdge, adjLen };
}

/** Node `order[i]` becomes node i: new coordinate arrays; the edges' ends are rewritten in place. */
function renumber(order: Uint32Array, nodeX: Float64Array, nodeY: Float64Array, edgeA: Uint32Array, edgeB: Uint32Array) {
  const n = order.length;
  const newId = scratch('renumber.newId', Uint32Array, n);
  const nx = new Float64Array(n);
  const ny = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    newId[order[i]] = i;
    nx[i] = nodeX[order[i]];
    ny[i] = nodeY[order[i]];
  }
  for (let e = 0; e < edgeA.length; e++) {
    edgeA[e] = newId[edgeA[e]];
    edgeB[e] = newId[edgeB[e]];
  }
  return { nodeX: nx, nodeY: ny };
}

/**
 * Breadth-first order of all nodes: components one after another (each started at its lowest old id, in
 * old-id order), so component numbering by first node is the same before and after renumbering; and the
 * components' sizes in that order (`components` of the renumbered graph, without another pass).
 */
function bfsOrder(n: number, adjStart: Uint32Array, adjTo: Uint32Array) {
  const order = scratch('bfs.order', Uint32Array, n);
  const seen = scratch('bfs.seen', Uint8Array, n).fill(0);
  const sizes: number[] = [];
  let tail = 0;
  for (let s = 0; s < n; s++) {
    if (seen[s]) continue;
    const first = tail;
    let head = tail;
    order[tail++] = s;
    seen[s] = 1;
    while (head < tail) {
      const u = order[head++];
      for (let k = adjStart[u], end = adjStart[u + 1]; k < end; k++) {
        const v = adjTo[k];
        if (!seen[v]) {
          seen[v] = 1;
          order[tail++] = v;
        }
      }
    }
    sizes.push(tail - first);
  }
  return { order, sizes: Uint32Array.from(sizes) };
}

/** Connected components by iterative BFS; O(V + E). */
export function components(n: number, adjStart: Uint32Array, adjTo: Uint32Array) {
  const component = new Uint32Array(n).fill(0xffffffff);
  const sizes: number[] = [];
  const stack = scratch('components.stack', Uint32Array, n);
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
