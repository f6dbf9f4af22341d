/**
 * Service levels: a second, deliberate pass over the generated facilities so that the life-circle
 * analysis finds what a real old town looks like — dense 5-minute services around the old cores
 * (中马/白沙 near 外滩, 文教, the 庄桥 and 慈城 centres), partly served estates elsewhere, and
 * spatially clustered gaps (no elderly day care and no wet market in 孔浦/甬江, no market in 洪塘,
 * no day care in 慈城 outside its old centre).
 *
 * What it computes: per street a service profile (how many of its estates, nearest the street's centre
 * first, are fully served "core" estates; the chance p that another estate has each category; the
 * categories the street lacks). For every GB 50180 ▲ category (+ nursery and health station, the
 * 完整居住社区 items, for core estates) and every estate that should have it, it adds a facility
 * beside the street one of the estate's gates opens onto — unless a facility of that category is
 * already within `MET_SHARE` of the tier distance in a straight line from a gate (walking detours are
 * ~1.2–1.5× the straight line on these grids, so such an estate is most likely met already).
 *
 * Deterministic with its own rng stream (so the facilities generated before it keep their ids and
 * places). Complexity: O(K · C · (F + S)) for K categories, C estates, F facilities, S road segments.
 * Tier distances: GB 50180-2018 §2.0.2–2.0.4 (300/500/1000 m; culture station and bus stop 500 m, App. C).
 * The measured result is in geodata/README.md and pinned (as ranges) by geodata/coverage-realism.test.ts.
 */
import type { FacilityCategoryCode, FacilityFeature } from '../../src/lib/domain/types.ts';
import { CANALS, MARGINS, STREET_SPECS } from './sketch.ts';
import { type Ctx, distToBoundary, insideDistrict, synth } from './context.ts';
import type { Seg } from './network.ts';
import { type Placed, committeeStemOf } from './communities.ts';
import { FACILITY_PLAN, besideRoad, nearestSeg } from './facilities.ts';
import { type P, clamp, distM, distToLineM, inRing, roundP, toLL, toM } from './geo.ts';
import type { Rng } from './rng.ts';

export interface ServiceProfile {
  /** the first `core` estates of the street (nearest its centre) get every category */
  core: number;
  /** chance that another estate of the street gets a 5/10-minute category */
  p: number;
  /** categories no estate of the street but its core ones gets from this pass (the clustered gaps) */
  gaps: FacilityCategoryCode[];
}

/** In the order of STREET_SPECS: 中马, 白沙, 文教, 孔浦, 甬江, 庄桥, 洪塘, 慈城. */
export const SERVICE_PROFILES: ServiceProfile[] = [
  { core: 5, p: 0.7, gaps: [] }, // 中马: 外滩/新马 old town, densely served
  { core: 3, p: 0.6, gaps: [] }, // 白沙
  { core: 3, p: 0.55, gaps: [] }, // 文教
  { core: 0, p: 0.45, gaps: ['elderly_daycare', 'wet_market'] }, // 孔浦: port-side danwei estates
  { core: 0, p: 0.35, gaps: ['elderly_daycare', 'wet_market'] }, // 甬江: 安置房 east of the canal
  { core: 1, p: 0.4, gaps: [] }, // 庄桥 centre
  { core: 0, p: 0.45, gaps: ['wet_market'] }, // 洪塘
  { core: 1, p: 0.4, gaps: ['elderly_daycare'] }, // 慈城 old town centre; day care only there
];

/** categories of the pass, with the tier distance (m) the placement aims at */
const FILL: { cat: FacilityCategoryCode; reach: number; big: boolean; coreOnly?: boolean; max?: number }[] = [
  { cat: 'community_service', reach: 300, big: false },
  { cat: 'kindergarten', reach: 300, big: false },
  { cat: 'elderly_daycare', reach: 300, big: false },
  { cat: 'convenience', reach: 300, big: false },
  { cat: 'fitness', reach: 300, big: false },
  { cat: 'nursery', reach: 300, big: false, coreOnly: true },
  { cat: 'health_station', reach: 300, big: false, coreOnly: true },
  { cat: 'culture_station', reach: 500, big: false },
  { cat: 'primary_school', reach: 500, big: true },
  { cat: 'wet_market', reach: 500, big: false },
  { cat: 'sports_ground', reach: 500, big: true },
  { cat: 'park', reach: 500, big: true },
  { cat: 'bus_stop', reach: 500, big: false },
  { cat: 'health_center', reach: 1000, big: true, coreOnly: true, max: 2 },
  { cat: 'hospital', reach: 1000, big: true },
  { cat: 'junior_high', reach: 1000, big: true },
  { cat: 'commercial', reach: 1000, big: true },
];

/** straight-line share of the tier distance within which an existing facility is taken as reachable */
const MET_SHARE = 0.65;

const EXTRA_LABELS: Partial<Record<FacilityCategoryCode, (s: string) => string[]>> = {
  primary_school: (s) => [`${s}小学`, `江北区${s}小学`, `${s}实验小学`],
  junior_high: (s) => [`${s}中学`, `江北区${s}初级中学`, `${s}实验中学`],
  hospital: (s) => [`${s}门诊部`, `${s}中医门诊部`, `${s}医院门诊部`],
  commercial: (s) => [`${s}商业广场`, `${s}购物中心`, `${s}商厦`],
};

function labelsOf(cat: FacilityCategoryCode, stem: string, seg: Seg): string[] {
  if (cat === 'bus_stop') return ['', '东', '西', '北', '南', '口'].map((d) => `${seg.name ?? stem}${d}站`);
  const plan = FACILITY_PLAN.find((x) => x.cat === cat);
  if (plan) return plan.label(stem);
  return EXTRA_LABELS[cat]!(stem);
}

/** the foot parameter of p on seg (0..1, unclamped), and the segment's length in metres */
function footOn(seg: Seg, p: P): { t: number; len: number } {
  const a = toM(seg.a);
  const b = toM(seg.b);
  const q = toM(p);
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  return { t: ((q[0] - a[0]) * dx + (q[1] - a[1]) * dy) / len2, len: Math.sqrt(len2) };
}

/** p mirrored across seg's line (the other side of the street) */
function across(seg: Seg, p: P): P {
  const a = toM(seg.a);
  const b = toM(seg.b);
  const q = toM(p);
  const { t } = footOn(seg, p);
  const f: P = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
  return toLL([2 * f[0] - q[0], 2 * f[1] - q[1]]);
}

export function fillServices(ctx: Ctx, rng: Rng, placed: Placed[], segs: Seg[], existing: readonly FacilityFeature[]): FacilityFeature[] {
  const out: FacilityFeature[] = [];
  const usedNames = new Set(existing.map((f) => f.properties.name));
  const serial = new Map<string, number>();
  for (const f of existing) {
    const m = /^gen-([a-z_]+)-(\d+)$/.exec(f.properties.id);
    if (m) serial.set(m[1]!, Math.max(serial.get(m[1]!) ?? 0, Number(m[2])));
  }
  const pointsOf = new Map<string, P[]>();
  for (const f of existing) {
    const list = pointsOf.get(f.properties.category) ?? [];
    list.push(f.geometry.coordinates as P);
    pointsOf.set(f.properties.category, list);
  }
  const walkable = segs.filter((s) => s.name !== '宁波绕城高速');
  const okPoint = (p: P) =>
    insideDistrict(ctx, p) &&
    distToBoundary(ctx, p) >= MARGINS.facility &&
    CANALS.every((c) => distToLineM(p, c) >= 20) &&
    !placed.some((pl) => inRing(p, pl.ring));

  // core estates: the first `core` of each street by rank (nearest the street's centre)
  const profileOf = (pl: Placed) => SERVICE_PROFILES[STREET_SPECS.indexOf(pl.street)]!;
  const isCore = (pl: Placed) => pl.rank < profileOf(pl).core;
  // visit core estates first so their facilities can serve the neighbours
  const order = [...placed.filter(isCore), ...placed.filter((pl) => !isCore(pl))];

  for (const fill of FILL) {
    let added = 0;
    for (const pl of order) {
      const prof = profileOf(pl);
      const core = isCore(pl);
      // drawn for every estate so one estate's outcome does not shift the others' draws
      const roll = rng.next();
      if (!core && prof.gaps.includes(fill.cat)) continue;
      if (!core && (fill.coreOnly || roll >= prof.p * (fill.reach >= 1000 ? 0.15 : fill.big ? 0.4 : 1))) continue;
      if (fill.max !== undefined && added >= fill.max) continue;
      const have = pointsOf.get(fill.cat) ?? [];
      if (pl.gates.some((g) => have.some((f) => distM(g, f) <= fill.reach * MET_SHARE))) continue;

      // beside the street a gate opens onto, a little along it, preferably across the street
      const stem = committeeStemOf(pl);
      const maxAlong = fill.big ? Math.min(160, fill.reach * 0.2) : Math.min(70, fill.reach * 0.2);
      for (let attempt = 0; attempt < 12; attempt++) {
        const g = pl.gates[attempt % pl.gates.length]!;
        const seg = nearestSeg(walkable, g);
        const { t, len } = footOn(seg, g);
        const along = rng.range(-maxAlong, maxAlong);
        const tt = clamp(t + along / len, 0.08, 0.92);
        const side = attempt < 6 ? across(seg, g) : g;
        const p = roundP(besideRoad(seg, side, fill.cat === 'bus_stop' ? 9 : 14, tt));
        if (!okPoint(p)) continue;
        const n = (serial.get(fill.cat) ?? 0) + 1;
        serial.set(fill.cat, n);
        const base = labelsOf(fill.cat, stem, seg);
        // a second branch of a named service is told apart by its street, as signs do: 外滩菜场(人民路店)
        const variants = [...base, ...(seg.name && fill.cat !== 'bus_stop' ? base.map((v) => `${v}(${seg.name}${fill.cat === 'wet_market' || fill.cat === 'convenience' ? '店' : ''})`) : [])];
        let name = variants.find((v) => !usedNames.has(v));
        for (let k = 2; name === undefined; k++) name = variants.map((v) => `${v}${k}号`).find((v) => !usedNames.has(v));
        usedNames.add(name);
        out.push({
          type: 'Feature',
          geometry: { type: 'Point', coordinates: p },
          properties: { id: `gen-${fill.cat}-${String(n).padStart(2, '0')}`, name, category: fill.cat, osm_id: null, ...synth(ctx) },
        });
        have.push(p);
        pointsOf.set(fill.cat, have);
        added++;
        break;
      }
    }
  }
  return out;
}
