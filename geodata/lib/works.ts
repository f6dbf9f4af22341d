/**
 * Demonstration special works (专项工程, 演示数据) so the coordination view is not empty: the departments' and
 * utility companies' works of the plan's list (主干道整治, 雨污分流, 海绵改造, 退红区域改造, 加装电梯, 垃圾分类,
 * 智慧安防, 社区服务中心标准化, 管线整治) laid along the generated named roads next to the communities, as areas
 * around communities, or attached to a community. Years 2019–2025 around the 2020–2022 batches, so some works
 * are integrated with the renovation and some would dig up a renovated community.
 *
 * A stream of its own (seed + constant), so adding the works leaves every other layer byte-identical.
 */
import type { Feature, MultiLineString, Point, Polygon } from 'geojson';
import type { CommunityFeature, RoadFeature } from '../../src/lib/domain/types.ts';
import { makeRng } from './rng.ts';
import { distToLineM, round, toLL, toM } from './geo.ts';

type WorkProps = {
  id: string;
  name: string;
  department: string;
  type: string;
  start: string;
  end: string;
  status: string;
  budget_wan: number;
  communities: string[];
  synthetic: boolean;
  source: string;
};

const PIPELINE: [string, string][] = [
  ['供电公司', '电力管线整治'],
  ['水务集团', '给水管网改造'],
  ['燃气公司', '燃气管网改造'],
  ['电信公司', '通信管线整治'],
];
const ATTACHED: [string, string, string][] = [
  ['lift', '区住建局', '加装电梯'],
  ['waste', '区综合行政执法局', '垃圾分类设施'],
  ['security', '区公安分局', '智慧安防小区'],
  ['service_center', '区民政局', '社区服务中心标准化'],
];

function centroid(f: CommunityFeature): [number, number] {
  const ring = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0]! : f.geometry.coordinates[0]![0]!;
  let x = 0,
    y = 0;
  for (const p of ring.slice(0, -1)) {
    x += p[0]!;
    y += p[1]!;
  }
  const n = ring.length - 1;
  return [x / n, y / n];
}

/** An axis-aligned box around a community, grown by `m` metres (a 雨污分流/海绵改造 area). */
function around(f: CommunityFeature, m: number): Polygon {
  const ring = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0]! : f.geometry.coordinates[0]![0]!;
  const xy = ring.map((p) => toM(p));
  const xs = xy.map((p) => p[0]);
  const ys = xy.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs) - m, Math.max(...xs) + m, Math.min(...ys) - m, Math.max(...ys) + m];
  const ll = (x: number, y: number) => toLL([x, y]).map((v) => round(v, 6));
  return { type: 'Polygon', coordinates: [[ll(x0, y0), ll(x1, y0), ll(x1, y1), ll(x0, y1), ll(x0, y0)]] };
}

/** The segments of the nearest named major road within `maxM` of the community, within 500 m of it. */
function roadNear(f: CommunityFeature, roads: readonly RoadFeature[], maxM: number): { name: string; geometry: MultiLineString } | null {
  const c = centroid(f);
  let best: RoadFeature | null = null;
  let bestD = maxM;
  for (const r of roads) {
    if (!r.properties.name || (r.properties.highway !== 'primary' && r.properties.highway !== 'secondary')) continue;
    const lines = r.geometry.type === 'LineString' ? [r.geometry.coordinates] : r.geometry.coordinates;
    const d = Math.min(...lines.map((l) => distToLineM(c, l)));
    if (d < bestD) [best, bestD] = [r, d];
  }
  if (!best) return null;
  const name = best.properties.name!;
  const parts: number[][][] = [];
  for (const r of roads) {
    if (r.properties.name !== name) continue;
    const lines = r.geometry.type === 'LineString' ? [r.geometry.coordinates] : r.geometry.coordinates;
    for (const l of lines) if (distToLineM(c, l) < 500) parts.push(l);
  }
  return { name, geometry: { type: 'MultiLineString', coordinates: parts } };
}

export function generateWorks(communities: readonly CommunityFeature[], roads: readonly RoadFeature[], seed: number, source: string): Feature<Polygon | MultiLineString | Point, WorkProps>[] {
  const rng = makeRng((seed + 0x3011c5) >>> 0);
  const out: Feature<Polygon | MultiLineString | Point, WorkProps>[] = [];
  const add = (g: Polygon | MultiLineString | Point, p: Omit<WorkProps, 'id' | 'status' | 'synthetic' | 'source'>) => {
    const s = Number(p.start.slice(0, 4));
    const status = s <= 2020 ? 'done' : s <= 2021 ? 'building' : s <= 2022 ? 'approved' : 'planned';
    out.push({ type: 'Feature', geometry: g, properties: { id: `W${String(out.length + 1).padStart(3, '0')}`, ...p, status, synthetic: true, source } });
  };
  const year = () => 2019 + rng.weighted([1, 2, 3, 3, 3, 2, 1]);
  const usedRoads = new Set<string>();
  // pipeline and main-road works along named major roads next to every third community
  communities.forEach((c, k) => {
    if (k % 3 !== 0) return;
    const road = roadNear(c, roads, 250);
    if (!road || usedRoads.has(road.name)) return;
    usedRoads.add(road.name);
    const y = year();
    const [dept, what] = rng.chance(0.25) ? ['区交通运输局', '主干道整治'] : rng.pick(PIPELINE);
    const type = what === '主干道整治' ? 'road' : 'pipeline';
    add(road.geometry, { name: `${road.name}${what}`, department: dept, type, start: String(y), end: String(y + rng.int(0, 1)), budget_wan: rng.int(8, 60) * 10, communities: [] });
    // a second company in the same street segment, sometimes in the same period (works to bundle)
    if (rng.chance(0.5)) {
      const [dept2, what2] = rng.pick(PIPELINE.filter(([d]) => d !== dept));
      const y2 = rng.chance(0.6) ? y : y + rng.int(1, 3);
      add(road.geometry, { name: `${road.name}${what2}`, department: dept2, type: 'pipeline', start: `${y2}-${String(rng.int(3, 9)).padStart(2, '0')}`, end: String(y2), budget_wan: rng.int(5, 40) * 10, communities: [] });
    }
  });
  // 雨污分流 / 海绵改造 / 退红区域改造 as areas around communities
  communities.forEach((c, k) => {
    if (k % 4 !== 1) return;
    const [type, dept, what] = rng.pick([
      ['sewer', '区水利局', '雨污分流'],
      ['sponge', '区住建局', '海绵城市改造'],
      ['red_zone', '区自然资源和规划局', '退红区域改造'],
    ] as const);
    const y = year();
    add(around(c, 15), { name: `${c.properties.name}${what}`, department: dept, type, start: String(y), end: String(y + rng.int(0, 1)), budget_wan: rng.int(10, 80) * 10, communities: [] });
  });
  // works attached to a community (a point at its centre, and the community's id)
  communities.forEach((c, k) => {
    if (k % 5 !== 2) return;
    const [type, dept, what] = rng.pick(ATTACHED);
    const y = year();
    const ctr = centroid(c).map((v) => round(v, 6));
    add({ type: 'Point', coordinates: ctr }, { name: `${c.properties.name}${what}`, department: dept, type, start: String(y), end: String(y), budget_wan: rng.int(2, 30) * 10, communities: [c.properties.id] });
  });
  return out;
}
