/**
 * Walking network: jittered, rotated street grids per cluster, clipped to the district with a margin
 * from the rivers; links between clusters; canal crossings as bridge segments; only the largest
 * connected part kept; edges merged into OSM-like ways that share junction vertices.
 * O(N) in grid nodes and edges.
 */
import type { RoadClass, RoadFeature } from '../../src/lib/domain/types.ts';
import { CANALS, EXPRESSWAY, GRIDS, type GridSpec, LINEAR_BARRIERS, MARGINS, streetOf } from './sketch.ts';
import { type Ctx, distToBoundary, insideDistrict, synth } from './context.ts';
import { type P, crossLine, distM, distToLineM, inRing, lerp, roundP, toLL, toM } from './geo.ts';
import type { Rng } from './rng.ts';
export interface Node {
  key: string;
  p: P;
}
export interface Edge {
  a: Node;
  b: Node;
  /** line id for merging into OSM-like ways */
  line: string;
  order: number;
  cls: RoadClass;
  name: string | null;
  bridge: boolean;
  grid: string;
}
export interface Cell {
  grid: string;
  i: number;
  j: number;
  ring: P[];
  centre: P;
  street: string | null;
  ok: boolean;
  used: boolean;
}

export interface Network {
  nodes: Map<string, Node>;
  edges: Edge[];
  cells: Cell[];
  nodeAt: (grid: string, i: number, j: number) => Node | undefined;
}

export function spacings(rng: Rng, spec: GridSpec, total: number): number[] {
  // padded by 20 % on both sides so the rotated grid still covers the whole mask
  const pad = total * 0.2;
  const out = [-pad];
  let s = -pad;
  while (s < total + pad) {
    const long = rng.chance(spec.longBlock);
    s += long ? rng.range(260, 380) : rng.range(spec.spacing[0], spec.spacing[1]);
    out.push(s);
  }
  return out;
}

export function lineClass(k: number, primaryEvery: number, secondaryEvery: number): RoadClass {
  if (k % primaryEvery === 3) return 'primary';
  if (k % secondaryEvery === 1) return 'secondary';
  return 'residential';
}

export function buildNetwork(ctx: Ctx): Network {
  const { rng } = ctx;
  const nodes = new Map<string, Node>();
  const edges: Edge[] = [];
  const cells: Cell[] = [];
  const grids = new Map<string, { xs: number[]; ys: number[] }>();
  const nodeAt = (g: string, i: number, j: number) => nodes.get(`${g}:${i}:${j}`);

  for (const spec of GRIDS) {
    const xs = spacings(rng, spec, spec.width);
    const ys = spacings(rng, spec, spec.height);
    grids.set(spec.id, { xs, ys });
    const o = toM(spec.origin);
    const cx = spec.width / 2;
    const cy = spec.height / 2;
    const [cos, sin] = [Math.cos((spec.rotation * Math.PI) / 180), Math.sin((spec.rotation * Math.PI) / 180)];
    for (let i = 0; i < xs.length; i++) {
      for (let j = 0; j < ys.length; j++) {
        const lx = xs[i]! - cx + rng.range(-spec.jitter, spec.jitter);
        const ly = ys[j]! - cy + rng.range(-spec.jitter, spec.jitter);
        const m: P = [o[0] + cx + lx * cos - ly * sin, o[1] + cy + lx * sin + ly * cos];
        const p = roundP(toLL(m));
        if (!inRing(p, spec.mask)) continue;
        if (!insideDistrict(ctx, p)) continue;
        if (distToBoundary(ctx, p) < MARGINS.roadNode) continue;
        if ([...LINEAR_BARRIERS, ...CANALS].some((l) => distToLineM(p, l) < 30)) continue;
        const key = `${spec.id}:${i}:${j}`;
        nodes.set(key, { key, p });
      }
    }
    // line classes and names
    const nameX = [...spec.namesX];
    const nameY = [...spec.namesY];
    const clsX = xs.map((_, i) => lineClass(i, 8, 4));
    const clsY = ys.map((_, j) => lineClass(j, 7, 3));
    const namesOfX = clsX.map((c) => (c === 'residential' ? null : (nameX.shift() ?? null)));
    const namesOfY = clsY.map((c) => (c === 'residential' ? null : (nameY.shift() ?? null)));
    const edgeClass = (base: RoadClass): RoadClass | null => {
      if (base !== 'residential') return base;
      const r = rng.next();
      if (r < 0.08) return null; // dropped: long blocks, dead ends
      if (r < 0.08 + spec.pathShare) return 'path';
      if (r < 0.14 + spec.pathShare) return 'footway';
      if (r < 0.26 + spec.pathShare) return 'service';
      return 'residential';
    };
    const addEdge = (a: Node, b: Node, line: string, order: number, base: RoadClass, name: string | null) => {
      const cls = edgeClass(base);
      if (!cls) return;
      const major = cls === 'primary' || cls === 'secondary';
      // rail and expressway: only major roads pass (under/over-passes); others stop short
      if (LINEAR_BARRIERS.some((l) => crossLine(a.p, b.p, l) !== null) && !major) return;
      // canals: major roads always bridge, others sometimes
      let crossing: { t: number; canal: P[] } | null = null;
      for (const c of CANALS) {
        const t = crossLine(a.p, b.p, c);
        if (t !== null) crossing = { t, canal: c };
      }
      const nm = cls === 'residential' || cls === 'footway' || cls === 'path' || cls === 'service' ? null : name;
      if (!crossing) {
        edges.push({ a, b, line, order, cls, name: nm, bridge: false, grid: spec.id });
        return;
      }
      if (!major && !rng.chance(0.35)) return;
      const len = distM(a.p, b.p);
      const half = 16 / len;
      const t0 = Math.max(0.05, crossing.t - half);
      const t1 = Math.min(0.95, crossing.t + half);
      const p0: Node = { key: `${line}:${order}:b0`, p: roundP(lerp(a.p, b.p, t0)) };
      const p1: Node = { key: `${line}:${order}:b1`, p: roundP(lerp(a.p, b.p, t1)) };
      edges.push({ a, b: p0, line, order, cls, name: nm, bridge: false, grid: spec.id });
      edges.push({ a: p0, b: p1, line, order: order + 0.1, cls, name: nm, bridge: true, grid: spec.id });
      edges.push({ a: p1, b, line, order: order + 0.2, cls, name: nm, bridge: false, grid: spec.id });
    };
    for (let j = 0; j < ys.length; j++) {
      for (let i = 0; i + 1 < xs.length; i++) {
        const a = nodeAt(spec.id, i, j);
        const b = nodeAt(spec.id, i + 1, j);
        if (a && b) addEdge(a, b, `${spec.id}:h:${j}`, i, clsY[j]!, namesOfY[j]!);
      }
    }
    for (let i = 0; i < xs.length; i++) {
      for (let j = 0; j + 1 < ys.length; j++) {
        const a = nodeAt(spec.id, i, j);
        const b = nodeAt(spec.id, i, j + 1);
        if (a && b) addEdge(a, b, `${spec.id}:v:${i}`, j, clsX[i]!, namesOfX[i]!);
      }
    }
    // cells: candidate blocks for communities
    for (let i = 0; i + 1 < xs.length; i++) {
      for (let j = 0; j + 1 < ys.length; j++) {
        const c = [nodeAt(spec.id, i, j), nodeAt(spec.id, i + 1, j), nodeAt(spec.id, i + 1, j + 1), nodeAt(spec.id, i, j + 1)];
        if (c.some((n) => !n)) continue;
        const ring = c.map((n) => n!.p);
        const centre: P = [(ring[0]![0] + ring[2]![0]) / 2, (ring[0]![1] + ring[2]![1]) / 2];
        const closed = [...ring, ring[0]!];
        const barrierNear = [...LINEAR_BARRIERS, ...CANALS].some(
          (l) => l.some((q) => inRing(q, closed)) || ring.some((q, k) => crossLine(q, ring[(k + 1) % 4]!, l) !== null) || distToLineM(centre, l) < 60,
        );
        cells.push({ grid: spec.id, i, j, ring, centre, street: streetOf(spec.id, centre), ok: !barrierNear, used: false });
      }
    }
  }

  // connectors between the grids (nearest facing nodes)
  const connect = (ga: string, nearA: P, gb: string, nearB: P, cls: RoadClass, name: string | null) => {
    const pickNear = (g: string, near: P) => {
      let best: Node | undefined;
      let bd = Infinity;
      for (const n of nodes.values()) {
        if (!n.key.startsWith(g + ':')) continue;
        const d = distM(n.p, near);
        if (d < bd) {
          bd = d;
          best = n;
        }
      }
      return best!;
    };
    const a = pickNear(ga, nearA);
    const b = pickNear(gb, nearB);
    const line = `link:${ga}-${gb}:${nearA.join(',')}`;
    let crossing: number | null = null;
    for (const c of CANALS) crossing ??= crossLine(a.p, b.p, c);
    if (crossing === null) {
      edges.push({ a, b, line, order: 0, cls, name, bridge: false, grid: 'link' });
      return;
    }
    const len = distM(a.p, b.p);
    const t0 = crossing - 16 / len;
    const t1 = crossing + 16 / len;
    const p0: Node = { key: `${line}:b0`, p: roundP(lerp(a.p, b.p, t0)) };
    const p1: Node = { key: `${line}:b1`, p: roundP(lerp(a.p, b.p, t1)) };
    edges.push({ a, b: p0, line, order: 0, cls, name, bridge: false, grid: 'link' });
    edges.push({ a: p0, b: p1, line, order: 1, cls, name, bridge: true, grid: 'link' });
    edges.push({ a: p1, b, line, order: 2, cls, name, bridge: false, grid: 'link' });
  };
  connect('old', [121.536, 29.9165], 'north', [121.536, 29.9235], 'primary', '双东路');
  connect('old', [121.556, 29.9165], 'north', [121.556, 29.9235], 'secondary', '人民路');
  connect('old', [121.578, 29.9165], 'north', [121.578, 29.9235], 'secondary', '康庄南路');
  connect('north', [121.479, 29.946], 'cicheng', [121.4705, 29.947], 'primary', '北环西路');
  connect('north', [121.479, 29.97], 'cicheng', [121.4705, 29.972], 'secondary', '慈城东路');
  return { nodes, edges, cells, nodeAt };
}

/** keep only the largest connected component so every part of the network is walkable */
export function largestComponent(edges: Edge[]): Edge[] {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let r = k;
    while (parent.get(r) !== r) r = parent.get(r)!;
    let c = k;
    while (parent.get(c) !== r) {
      const n = parent.get(c)!;
      parent.set(c, r);
      c = n;
    }
    return r;
  };
  for (const e of edges) {
    if (!parent.has(e.a.key)) parent.set(e.a.key, e.a.key);
    if (!parent.has(e.b.key)) parent.set(e.b.key, e.b.key);
    const ra = find(e.a.key);
    const rb = find(e.b.key);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
  const size = new Map<string, number>();
  for (const e of edges) size.set(find(e.a.key), (size.get(find(e.a.key)) ?? 0) + 1);
  let best = '';
  let bs = -1;
  for (const [k, s] of [...size.entries()].sort()) {
    if (s > bs) {
      bs = s;
      best = k;
    }
  }
  return edges.filter((e) => find(e.a.key) === best);
}

export interface Seg {
  a: P;
  b: P;
  name: string | null;
  major: boolean;
}

export function roadsFromEdges(ctx: Ctx, edges: Edge[]): RoadFeature[] {
  const byLine = new Map<string, Edge[]>();
  for (const e of edges) {
    const l = byLine.get(e.line);
    if (l) l.push(e);
    else byLine.set(e.line, [e]);
  }
  const out: RoadFeature[] = [];
  for (const [, list] of byLine) {
    list.sort((x, y) => x.order - y.order);
    let cur: { coords: P[]; e: Edge } | null = null;
    const flush = () => {
      if (!cur) return;
      out.push({
        type: 'Feature',
        geometry: { type: 'LineString', coordinates: cur.coords },
        properties: {
          id: `R${String(out.length + 1).padStart(4, '0')}`,
          name: cur.e.name,
          highway: cur.e.cls,
          bridge: cur.e.bridge,
          ...synth(ctx),
        },
      });
      cur = null;
    };
    for (const e of list) {
      if (cur && cur.coords[cur.coords.length - 1] === e.a.p && cur.e.cls === e.cls && cur.e.bridge === e.bridge && cur.e.name === e.name) {
        cur.coords.push(e.b.p);
      } else {
        flush();
        cur = { coords: [e.a.p, e.b.p], e };
      }
    }
    flush();
  }
  // the expressway: drawn for context, excluded from walking by its class
  out.push({
    type: 'Feature',
    geometry: { type: 'LineString', coordinates: EXPRESSWAY.map((p) => roundP(p)) },
    properties: { id: `R${String(out.length + 1).padStart(4, '0')}`, name: '宁波绕城高速', highway: 'motorway', bridge: false, ...synth(ctx) },
  });
  return out;
}
