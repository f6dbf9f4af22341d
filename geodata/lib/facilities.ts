/**
 * Facilities: OSM schools/hospitals/commercial areas classified by name, plus generated categories
 * placed beside streets near chosen estates — deliberately uneven.
 */
import type { FeatureCollection } from 'geojson';
import type { FacilityCategoryCode, FacilityFeature } from '../../src/lib/domain/types.ts';
import { CANALS, MARGINS, STREET_SPECS } from './sketch.ts';
import { type Ctx, distToBoundary, insideDistrict, synth } from './context.ts';
import type { Seg } from './network.ts';
import { type Placed, committeeStemOf } from './communities.ts';
import { type P, clamp, distM, distToLineM, distToSegM, inRing, lerp, roundP, toLL, toM } from './geo.ts';
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
export const FACILITY_PLAN: { cat: FacilityCategoryCode; perStreet: number[]; label: (stem: string) => string[] }[] = [
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

export function nearestSeg(segs: readonly Seg[], p: P): Seg {
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
export function besideRoad(seg: Seg, p: P, off: number, t?: number): P {
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

export function generatedFacilities(ctx: Ctx, placed: Placed[], segs: Seg[]): FacilityFeature[] {
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
        // an unnamed road's stop is named after the nearest estate's committee, as Ningbo stops often are
        name: uniqueName(['', '东', '西', '北', '南', '口'].map((d) => `${s.name ?? `${committeeStemOf(nearestPlaced(placed, p))}社区`}${d}站`)),
        category: 'bus_stop',
        osm_id: null,
        ...synth(ctx),
      },
    });
  }
  return out;
}

function nearestPlaced(placed: readonly Placed[], p: P): Placed {
  let best = placed[0]!;
  let bd = Infinity;
  for (const pl of placed) {
    const d = distM(pl.ring[0]!, p);
    if (d < bd) {
      bd = d;
      best = pl;
    }
  }
  return best;
}

export function osmFacilities(ctx: Ctx, fc: FeatureCollection, kind: 'school' | 'hospital' | 'commercial'): FacilityFeature[] {
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
