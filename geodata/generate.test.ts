/**
 * Invariants of the default dataset that the rest of the planner relies on. Geometry checks
 * use Turf (not the generator's own geometry kit) so a bug there cannot hide itself.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  booleanDisjoint,
  booleanPointInPolygon,
  distance,
  lineIntersect,
  lineString,
  point,
  pointToLineDistance,
  polygon as turfPolygon,
} from '@turf/turf';
import type { Feature, LineString, MultiPolygon, Polygon, Position } from 'geojson';
import { PLAN_TOTALS, STAGES, STREETS, type Stage } from '../src/lib/domain/types.ts';
import { buildDataset } from './build.ts';
import { MARGINS, commercialCategory, schoolCategory, type Layers } from './generate.ts';

let L: Layers;
let jiangbei: Feature<MultiPolygon>;
let edge: Feature<LineString>[];

beforeAll(() => {
  L = buildDataset().layers;
  jiangbei = L.districts.find((d) => d.properties.focus) as Feature<MultiPolygon>;
  edge = jiangbei.geometry.coordinates.flatMap((poly) => poly.map((ring) => lineString(ring)));
});

const inside = (p: Position) => booleanPointInPolygon(point(p), jiangbei);
const toEdgeM = (p: Position) => Math.min(...edge.map((l) => pointToLineDistance(point(p), l, { units: 'meters' })));
const ringOf = (f: Feature<Polygon | MultiPolygon>) =>
  f.geometry.type === 'Polygon' ? f.geometry.coordinates[0]! : f.geometry.coordinates[0]![0]!;
const centroid = (ring: Position[]) => {
  const pts = ring.slice(0, -1);
  return [pts.reduce((s, p) => s + p[0]!, 0) / pts.length, pts.reduce((s, p) => s + p[1]!, 0) / pts.length];
};
const stageIndex = (s: Stage) => STAGES.indexOf(s);

describe('communities', () => {
  it('match the action plan totals exactly', () => {
    const c = L.communities.map((f) => f.properties);
    expect(c.length).toBe(PLAN_TOTALS.communities);
    expect(c.reduce((s, x) => s + x.households, 0)).toBe(PLAN_TOTALS.households);
    expect(c.reduce((s, x) => s + x.buildings, 0)).toBe(PLAN_TOTALS.buildings);
    expect(c.reduce((s, x) => s + x.floor_area_m2, 0)).toBe(PLAN_TOTALS.floor_area_m2);
  });

  it('have unique ids and names and are labelled as demonstration data', () => {
    const c = L.communities.map((f) => f.properties);
    expect(new Set(c.map((x) => x.id)).size).toBe(73);
    expect(new Set(c.map((x) => x.name)).size).toBe(73);
    for (const x of c) {
      expect(x.id).toMatch(/^C\d{3}$/);
      expect(x.synthetic).toBe(true);
      expect(x.source).toMatch(/geodata\/generate\.ts \(seed \d+\)/);
    }
  });

  it('have plausible per-estate figures', () => {
    for (const { properties: x } of L.communities) {
      expect(x.households).toBeGreaterThanOrEqual(150);
      expect(x.households).toBeLessThanOrEqual(2000);
      const perHh = x.floor_area_m2 / x.households;
      expect(perHh).toBeGreaterThanOrEqual(70);
      expect(perHh).toBeLessThanOrEqual(110);
      expect(x.residents / x.households).toBeGreaterThan(2.55);
      expect(x.residents / x.households).toBeLessThan(2.95);
      expect(x.buildings).toBeGreaterThan(0);
      expect(x.lift_demand).toBeLessThanOrEqual(x.buildings);
      expect(x.dangerous_buildings).toBeLessThanOrEqual(x.buildings);
      expect(x.build_year).toBeGreaterThanOrEqual(1980);
      expect(x.build_year).toBeLessThanOrEqual(2008);
      expect(x.housing_type === 'resettlement').toBe(x.build_year! > 2000);
    }
    const late = L.communities.filter((f) => f.properties.build_year! > 2000).length;
    expect(late).toBeGreaterThan(0);
    expect(late).toBeLessThan(73 / 3); // mostly ≤ 2000
  });

  it('have a floor-area ratio plausible for 6-storey estates', () => {
    for (const f of L.communities) {
      const areaM2 = Math.abs(polygonAreaM2(ringOf(f)));
      const far = f.properties.floor_area_m2 / areaM2;
      expect(far, f.properties.id).toBeGreaterThan(1.0);
      expect(far, f.properties.id).toBeLessThan(2.2);
    }
  });

  it('split into batches 20 / 28 / 25 with stages consistent with the batch', () => {
    const by = (y: number) => L.communities.filter((f) => f.properties.batch_year === y).map((f) => f.properties);
    expect(by(2020).length).toBe(20);
    expect(by(2021).length).toBe(28);
    expect(by(2022).length).toBe(25);
    for (const x of by(2020)) expect(stageIndex(x.stage)).toBeGreaterThanOrEqual(stageIndex('TENDERED'));
    for (const x of by(2021)) {
      expect(stageIndex(x.stage)).toBeGreaterThanOrEqual(stageIndex('APPLIED'));
      expect(stageIndex(x.stage)).toBeLessThanOrEqual(stageIndex('TENDERED'));
    }
    for (const x of by(2022)) expect(stageIndex(x.stage)).toBeLessThanOrEqual(stageIndex('APPLIED'));
    const side = L.communities.filter((f) => f.properties.side_state !== null);
    expect(side.length).toBeGreaterThan(0);
    expect(side.length).toBeLessThan(8);
  });

  it('spread consent shares around the 2/3 threshold, some exactly at it', () => {
    const shares = L.communities.flatMap((f) => [f.properties.consent_area_share!, f.properties.consent_headcount_share!]);
    expect(shares.filter((s) => s === 2 / 3).length).toBeGreaterThanOrEqual(1);
    expect(shares.filter((s) => s < 2 / 3).length).toBeGreaterThan(5);
    expect(shares.filter((s) => s > 2 / 3).length).toBeGreaterThan(40);
    const contrib = L.communities.map((f) => f.properties.owner_contribution_share);
    const mean = contrib.reduce((s, x) => s + x, 0) / contrib.length;
    expect(mean).toBeGreaterThan(0.03);
    expect(mean).toBeLessThan(0.07);
  });

  it('lie inside Jiangbei with a margin from the rivers on the edge', () => {
    for (const f of L.communities) {
      for (const p of ringOf(f)) {
        expect(inside(p), `${f.properties.id} ${p}`).toBe(true);
        expect(toEdgeM(p), f.properties.id).toBeGreaterThanOrEqual(MARGINS.community - 1);
      }
    }
  });

  it('never overlap each other', () => {
    const polys = L.communities.map((f) => turfPolygon([ringOf(f)]));
    for (let i = 0; i < polys.length; i++)
      for (let j = i + 1; j < polys.length; j++) {
        expect(booleanDisjoint(polys[i]!, polys[j]!), `${L.communities[i]!.properties.id} / ${L.communities[j]!.properties.id}`).toBe(true);
      }
  });

  it('belong to the 2020 streets in spatially coherent groups', () => {
    const centre: Record<string, number[]> = {};
    for (const s of STREETS) {
      const members = L.communities.filter((f) => f.properties.street === s.zh);
      expect(members.length, s.zh).toBeGreaterThan(0);
      const cs = members.map((f) => centroid(ringOf(f)));
      const c = [cs.reduce((a, p) => a + p[0]!, 0) / cs.length, cs.reduce((a, p) => a + p[1]!, 0) / cs.length];
      centre[s.zh] = c;
      // every estate within 2 km of its street's centre
      for (const p of cs) expect(distance(point(p), point(c), { units: 'meters' }), s.zh).toBeLessThan(2000);
    }
    // north-west old centres: 慈城 west of 洪塘 west of 庄桥, all north of the old town
    expect(centre['慈城镇']![0]!).toBeLessThan(centre['洪塘街道']![0]!);
    expect(centre['洪塘街道']![0]!).toBeLessThan(centre['庄桥街道']![0]!);
    for (const s of ['中马街道', '白沙街道', '文教街道', '孔浦街道', '甬江街道']) {
      expect(centre[s]![1]!).toBeLessThan(centre['庄桥街道']![1]!);
    }
    // 孔浦 furthest east along the Yong; 中马 furthest south
    for (const s of STREETS) if (s.zh !== '孔浦街道') expect(centre[s.zh]![0]!).toBeLessThan(centre['孔浦街道']![0]!);
    for (const s of STREETS) if (s.zh !== '中马街道') expect(centre[s.zh]![1]!).toBeGreaterThan(centre['中马街道']![1]!);
  });
});

describe('gates', () => {
  it('one to three per community, exactly on its boundary', () => {
    for (const c of L.communities) {
      const gs = L.gates.filter((g) => g.properties.community_id === c.properties.id);
      expect(gs.length, c.properties.id).toBeGreaterThanOrEqual(1);
      expect(gs.length, c.properties.id).toBeLessThanOrEqual(3);
      const boundary = lineString(ringOf(c));
      gs.forEach((g, k) => {
        expect(g.properties.id).toBe(`${c.properties.id}-G${k + 1}`);
        expect(pointToLineDistance(point(g.geometry.coordinates), boundary, { units: 'meters' })).toBeLessThan(0.05);
      });
    }
    expect(L.gates.every((g) => L.communities.some((c) => c.properties.id === g.properties.community_id))).toBe(true);
  });

  it('are within a short walk of the street network', () => {
    const walk = L.roads.filter((r) => r.properties.highway !== 'motorway').map((r) => r.geometry as LineString);
    for (const g of L.gates) {
      const [x, y] = g.geometry.coordinates as [number, number];
      const near = walk.filter((l) => l.coordinates.some((p) => Math.abs(p[0]! - x) < 0.004 && Math.abs(p[1]! - y) < 0.004));
      const d = Math.min(...near.map((l) => pointToLineDistance(point([x, y]), lineString(l.coordinates), { units: 'meters' })));
      expect(d, g.properties.id).toBeLessThan(120);
    }
  });
});

describe('facilities', () => {
  it('all lie inside Jiangbei; OSM ones are real, the rest labelled 演示数据', () => {
    for (const f of L.facilities) {
      expect(inside(f.geometry.coordinates), f.properties.id).toBe(true);
      if (f.properties.id.startsWith('osm-')) {
        expect(f.properties.synthetic).toBe(false);
        expect(f.properties.source).toBe('OpenStreetMap');
      } else {
        expect(f.properties.synthetic).toBe(true);
      }
    }
    expect(new Set(L.facilities.map((f) => f.properties.id)).size).toBe(L.facilities.length);
  });

  it('cover every category the analysis needs except metro (in metro.fgb)', () => {
    const cats = new Set(L.facilities.map((f) => f.properties.category));
    for (const c of [
      'community_service', 'kindergarten', 'nursery', 'elderly_daycare', 'health_station', 'health_center', 'hospital',
      'primary_school', 'junior_high', 'wet_market', 'convenience', 'commercial', 'culture_station', 'sports_ground',
      'fitness', 'park', 'bus_stop',
    ]) {
      expect(cats.has(c as never), c).toBe(true);
    }
    expect(cats.has('metro')).toBe(false);
    const centres = L.facilities.filter((f) => f.properties.category === 'health_center');
    expect(centres.length).toBeGreaterThanOrEqual(6);
    expect(centres.length).toBeLessThanOrEqual(10);
  });

  it('are uneven: some estates well served, whole streets with real gaps', () => {
    const within500 = (cat: string) =>
      L.communities.map((c) => {
        const p = point(centroid(ringOf(c)));
        return L.facilities.some(
          (f) => f.properties.category === cat && distance(p, point(f.geometry.coordinates), { units: 'meters' }) <= 500,
        );
      });
    for (const cat of ['elderly_daycare', 'wet_market']) {
      const served = within500(cat);
      const share = served.filter(Boolean).length / served.length;
      expect(share, cat).toBeGreaterThan(0.15);
      expect(share, cat).toBeLessThan(0.85);
      // at least one street where no estate has this facility within 500 m
      const streetsWithGap = STREETS.filter((s) =>
        L.communities.every((c, i) => c.properties.street !== s.zh || !served[i]),
      );
      expect(streetsWithGap.length, cat).toBeGreaterThan(0);
    }
  });

  it('classifies OSM names into categories', () => {
    expect(schoolCategory('怡江小学')).toBe('primary_school');
    expect(schoolCategory('宁波市孔浦中学')).toBe('junior_high');
    expect(schoolCategory('育才实验学校')).toBe('junior_high');
    expect(schoolCategory('宁波大学')).toBe('school_other');
    expect(commercialCategory('路林市场')).toBe('wet_market');
    expect(commercialCategory('慈湖人家农贸市场')).toBe('wet_market');
    expect(commercialCategory('宁波市第一汽车市场')).toBe('commercial');
    expect(commercialCategory('万象城')).toBe('commercial');
  });
});

describe('walking network', () => {
  const walk = () => L.roads.filter((r) => r.properties.highway !== 'motorway');
  const key = (p: Position) => `${p[0]},${p[1]}`;

  it('has every class, an excluded motorway and bridges', () => {
    const classes = new Set(L.roads.map((r) => r.properties.highway));
    for (const c of ['motorway', 'primary', 'secondary', 'residential', 'service', 'footway', 'path']) expect(classes.has(c as never), c).toBe(true);
    expect(L.roads.filter((r) => r.properties.bridge).length).toBeGreaterThan(3);
    const motorway = L.roads.find((r) => r.properties.highway === 'motorway')!;
    const expressway = L.barriers.find((b) => b.properties.kind === 'expressway')!;
    expect(motorway.geometry.coordinates).toEqual(expressway.geometry.coordinates);
  });

  it('stays inside the district and out of the rivers', () => {
    const rivers = L.barriers.filter((b) => b.properties.kind === 'river') as Feature<Polygon>[];
    for (const r of walk()) {
      for (const p of (r.geometry as LineString).coordinates) {
        expect(inside(p), r.properties.id).toBe(true);
        for (const w of rivers) expect(booleanPointInPolygon(point(p), w), `${r.properties.id} in ${w.properties!['name']}`).toBe(false);
      }
    }
  });

  it('crosses canals only on bridges', () => {
    const canals = L.barriers.filter((b) => b.properties.kind === 'canal') as Feature<LineString>[];
    for (const r of walk()) {
      const crosses = canals.some((c) => lineIntersect(r as Feature<LineString>, c).features.length > 0);
      if (crosses) expect(r.properties.bridge, r.properties.id).toBe(true);
    }
  });

  it('is one connected graph when ways are split at shared vertices', () => {
    const parent = new Map<string, string>();
    const find = (k: string): string => {
      while (parent.get(k) !== k) k = parent.get(k)!;
      return k;
    };
    for (const r of walk()) {
      const cs = (r.geometry as LineString).coordinates;
      for (const p of cs) if (!parent.has(key(p))) parent.set(key(p), key(p));
      for (let i = 1; i < cs.length; i++) {
        const a = find(key(cs[i - 1]!));
        const b = find(key(cs[i]!));
        if (a !== b) parent.set(a, b);
      }
    }
    const roots = new Set([...parent.keys()].map(find));
    expect(roots.size).toBe(1);
  });

  it('has no crossing without a shared junction vertex', () => {
    // bucket segments on a ~200 m grid, then test pairs in the same bucket
    const segs: [Position, Position, string][] = [];
    for (const r of walk()) {
      const cs = (r.geometry as LineString).coordinates;
      for (let i = 1; i < cs.length; i++) segs.push([cs[i - 1]!, cs[i]!, r.properties.id]);
    }
    const cell = 0.002;
    const buckets = new Map<string, number[]>();
    segs.forEach(([a, b], i) => {
      for (let x = Math.floor(Math.min(a[0]!, b[0]!) / cell); x <= Math.floor(Math.max(a[0]!, b[0]!) / cell); x++)
        for (let y = Math.floor(Math.min(a[1]!, b[1]!) / cell); y <= Math.floor(Math.max(a[1]!, b[1]!) / cell); y++) {
          const k = `${x}:${y}`;
          const list = buckets.get(k);
          if (list) list.push(i);
          else buckets.set(k, [i]);
        }
    });
    const bad: string[] = [];
    const seen = new Set<string>();
    for (const list of buckets.values())
      for (let m = 0; m < list.length; m++)
        for (let n = m + 1; n < list.length; n++) {
          const [i, j] = [list[m]!, list[n]!];
          const pair = `${i}:${j}`;
          if (seen.has(pair)) continue;
          seen.add(pair);
          const [a, b, ra] = segs[i]!;
          const [c, d, rb] = segs[j]!;
          const shared = [a, b].some((p) => [c, d].some((q) => key(p) === key(q)));
          if (shared) continue;
          if (properCross(a, b, c, d)) bad.push(`${ra} x ${rb}`);
        }
    expect(bad).toEqual([]);
  });
});

describe('barriers, districts, metro', () => {
  it('barriers include both rivers, a canal, the railway and the expressway, all approximate', () => {
    const kinds = L.barriers.map((b) => b.properties.kind);
    expect(kinds.filter((k) => k === 'river').length).toBe(2);
    expect(kinds).toContain('canal');
    expect(kinds).toContain('rail');
    expect(kinds).toContain('expressway');
    expect(L.barriers.map((b) => b.properties.name)).toEqual(expect.arrayContaining(['姚江', '甬江']));
    expect(L.barriers.every((b) => b.properties.synthetic)).toBe(true);
  });

  it('no community, gate or facility lies in a river', () => {
    const rivers = L.barriers.filter((b) => b.properties.kind === 'river') as Feature<Polygon>[];
    const pts = [
      ...L.communities.flatMap((c) => ringOf(c).map((p) => [c.properties.id, p] as const)),
      ...L.gates.map((g) => [g.properties.id, g.geometry.coordinates] as const),
      ...L.facilities.map((f) => [f.properties.id, f.geometry.coordinates] as const),
    ];
    for (const [id, p] of pts) for (const r of rivers) expect(booleanPointInPolygon(point(p), r), `${id} in ${r.properties!['name']}`).toBe(false);
  });

  it('districts: Jiangbei in focus from OSM, neighbours as context', () => {
    const focus = L.districts.filter((d) => d.properties.focus);
    expect(focus.map((d) => d.properties.name)).toEqual(['江北区']);
    expect(L.districts.length).toBeGreaterThan(5);
    expect(L.districts.every((d) => !d.properties.synthetic)).toBe(true);
  });

  it('metro: the Jiangbei stations with their lines', () => {
    const names = L.metro.map((m) => m.properties.name);
    for (const n of ['庄桥火车站', '洪塘中路', '慈城', '孔浦', '路林', '倪家堰', '外滩大桥', '正大路']) expect(names).toContain(n);
    const dq = L.metro.find((m) => m.properties.name === '大通桥')!;
    expect(dq.properties.lines).toEqual(['2号线', '3号线']);
  });
});

function properCross(a: Position, b: Position, c: Position, d: Position): boolean {
  const o = (p: Position, q: Position, r: Position) => Math.sign((q[0]! - p[0]!) * (r[1]! - p[1]!) - (q[1]! - p[1]!) * (r[0]! - p[0]!));
  return o(a, b, c) * o(a, b, d) < 0 && o(c, d, a) * o(c, d, b) < 0;
}

function polygonAreaM2(ring: Position[]): number {
  const k = 111_320 * Math.cos((29.93 * Math.PI) / 180);
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    s += ring[j]![0]! * k * ring[i]![1]! * 110_574 - ring[i]![0]! * k * ring[j]![1]! * 110_574;
  }
  return s / 2;
}

describe('other seeds', () => {
  // the generator must not depend on a lucky draw: core invariants hold for other seeds too
  it.each([1, 42, 2022])('seed %i: exact totals, inside the district, no overlaps, gates on boundaries', (seed) => {
    const layers = buildDataset(seed).layers;
    const c = layers.communities.map((f) => f.properties);
    expect(c.length).toBe(73);
    expect(c.reduce((s, x) => s + x.households, 0)).toBe(PLAN_TOTALS.households);
    expect(c.reduce((s, x) => s + x.buildings, 0)).toBe(PLAN_TOTALS.buildings);
    expect(c.reduce((s, x) => s + x.floor_area_m2, 0)).toBe(PLAN_TOTALS.floor_area_m2);
    expect(Math.min(...c.map((x) => x.households))).toBeGreaterThanOrEqual(150);
    expect(Math.max(...c.map((x) => x.households))).toBeLessThanOrEqual(2000);
    for (const x of c) {
      expect(x.floor_area_m2 / x.households, x.id).toBeGreaterThanOrEqual(70);
      expect(x.floor_area_m2 / x.households, x.id).toBeLessThanOrEqual(110);
    }
    const polys = layers.communities.map((f) => turfPolygon([ringOf(f)]));
    for (const f of layers.communities) for (const p of ringOf(f)) expect(inside(p)).toBe(true);
    for (let i = 0; i < polys.length; i++)
      for (let j = i + 1; j < polys.length; j++) expect(booleanDisjoint(polys[i]!, polys[j]!)).toBe(true);
    for (const g of layers.gates) {
      const owner = layers.communities.find((f) => f.properties.id === g.properties.community_id)!;
      expect(pointToLineDistance(point(g.geometry.coordinates), lineString(ringOf(owner)), { units: 'meters' })).toBeLessThan(0.05);
    }
    for (const f of layers.facilities) expect(inside(f.geometry.coordinates)).toBe(true);
  });
});
