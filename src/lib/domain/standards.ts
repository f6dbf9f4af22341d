/**
 * Life-circle standards as data: which facility categories a community must reach, within which walking
 * tier, and whether the standard makes it mandatory. Two selectable standards:
 *
 *  - 'gb50180': GB 50180-2018《城市居住区规划设计标准》, Appendix B (配套设施设置规定, ▲ 应配建 / △ 宜配置)
 *    and Appendix C (服务半径). Rows from geodata/standards/facilities-gb50180.csv and parks-gb50180.csv.
 *  - 'complete-community': 住建部《完整居住社区建设标准(试行)》(建科规〔2020〕7号), the "基本公共服务设施"
 *    and "便民商业服务设施" items, all required ("1 per community"). Rows from
 *    geodata/standards/facilities-complete-community.csv.
 *
 * Each rule says which parts are normative (copied from the standard) and which are our defaults
 * (our mapping of a standard's item onto one of our FACILITY_CATEGORIES, or a distance where the standard
 * names only a tier). Tier distances default to GB 50180-2018 §2.0.2–2.0.4 / Table 4.0.1: 5 min → 300 m,
 * 10 min → 500 m, 15 min → 1000 m (800 m as the strict reading of "800–1000 m"); walking speed 80 m/min is
 * our default (1000 m / 15 min ≈ 67 m/min would also be defensible) and, like the tier distances, editable.
 */
import type { FacilityCategoryCode } from './types';

export type StandardId = 'gb50180' | 'complete-community';
export type Tier = 5 | 10 | 15;
export const TIERS: readonly Tier[] = [5, 10, 15];

export interface StandardRule {
  category: FacilityCategoryCode;
  tier: Tier;
  /** ▲ in GB 50180 (应配建); every listed item in the 完整居住社区 standard */
  mandatory: boolean;
  /** the standard's own item name */
  zh: string;
  en: string;
  /** a walking distance stated for this item by the standard itself (Appendix C), overriding the tier distance */
  maxWalkM?: number;
  /** where the row comes from (standard, table/appendix, and the row code in geodata/standards/) */
  source: string;
  /** verification mark from geodata/standards/README.md: V, P, U, or INF (our default) */
  ver: string;
  /**
   * true when tier and mandatory flag are copied from the standard; false when the mapping onto our
   * category or the tier is our interpretation (shown to users as 默认 / "our default").
   */
  normative: boolean;
  /** why we mapped it this way, when it is our choice */
  note?: string;
}

export interface Standard {
  id: StandardId;
  zh: string;
  en: string;
  citation: string;
  citationZh: string;
  rules: readonly StandardRule[];
}

export interface CoverageParams {
  /** walking distance per tier, metres */
  tierDistanceM: Record<Tier, number>;
  /** walking speed, metres per minute (used for isochrones and minute labels) */
  walkSpeedMPerMin: number;
  /** factor applied to straight-line distance when no road network exists */
  detourFactor: number;
  /** when true, a stated maxWalkM overrides the tier distance (Appendix C); false: tier distance only */
  useItemDistances: boolean;
}

/** GB 50180-2018 tier distances (§2.0.2–2.0.4): normative. */
export const GB_TIER_DISTANCE_M: Readonly<Record<Tier, number>> = Object.freeze({ 5: 300, 10: 500, 15: 1000 });
/** the strict reading of the 15-minute tier ("800–1000 m") */
export const STRICT_15_MIN_M = 800;
/** our default: 80 m/min (a common planning assumption; not set by GB 50180) */
export const DEFAULT_WALK_SPEED_M_PER_MIN = 80;
/** our default detour factor for straight-line fallback (street networks in old Chinese urban areas: 1.2–1.4) */
export const DEFAULT_DETOUR_FACTOR = 1.3;

export const DEFAULT_PARAMS: Readonly<CoverageParams> = Object.freeze({
  tierDistanceM: GB_TIER_DISTANCE_M,
  walkSpeedMPerMin: DEFAULT_WALK_SPEED_M_PER_MIN,
  detourFactor: DEFAULT_DETOUR_FACTOR,
  useItemDistances: true,
});

/** which parameters are normative (from a standard) and which are ours, for the UI */
export const PARAM_PROVENANCE = {
  tierDistanceM: { normative: true, source: 'GB 50180-2018 §2.0.2–2.0.4' },
  strict15: { normative: true, source: 'GB 50180-2018 §2.0.2 (800–1000 m)' },
  walkSpeedMPerMin: { normative: false, source: 'default (80 m/min)' },
  detourFactor: { normative: false, source: 'default (1.3)' },
} as const;

const GB = 'GB 50180-2018';
const GB_STANDARD: Standard = {
  id: 'gb50180',
  zh: 'GB 50180-2018 城市居住区规划设计标准',
  en: 'GB 50180-2018 Standard for urban residential area planning and design',
  citation: 'GB 50180-2018, Appendix B (▲/△) and Appendix C (service radius); §4.0.4 (parks)',
  citationZh: 'GB 50180-2018 附录B(▲应配建/△宜配置)、附录C(服务半径);第4.0.4条(居住区公园)',
  rules: [
    { category: 'community_service', tier: 5, mandatory: true, zh: '社区服务站', en: 'community service station', source: `${GB} App. B/C (gb5.community_service_station)`, ver: 'U', normative: true },
    { category: 'kindergarten', tier: 5, mandatory: true, zh: '幼儿园', en: 'kindergarten', source: `${GB} App. B/C (gb5.kindergarten)`, ver: 'P', normative: true },
    { category: 'nursery', tier: 5, mandatory: false, zh: '托儿所', en: 'nursery (0–3)', source: `${GB} App. B/C (gb5.nursery)`, ver: 'U', normative: true },
    { category: 'elderly_daycare', tier: 5, mandatory: true, zh: '老年人日间照料中心(托老所)', en: 'elderly day-care centre', source: `${GB} App. B/C (gb5.elderly_daycare)`, ver: 'U', normative: true },
    { category: 'health_station', tier: 5, mandatory: false, zh: '社区卫生服务站', en: 'community health station', source: `${GB} App. B/C (gb5.health_station)`, ver: 'U', normative: true },
    { category: 'convenience', tier: 5, mandatory: true, zh: '社区商业网点', en: 'neighbourhood shops', source: `${GB} App. B (gb5.convenience_retail)`, ver: 'U', normative: true },
    { category: 'culture_station', tier: 5, mandatory: true, zh: '文化活动站', en: 'cultural activity station', maxWalkM: 500, source: `${GB} App. B/C (gb5.culture_station; radius 500 m)`, ver: 'U', normative: true },
    { category: 'fitness', tier: 5, mandatory: true, zh: '室外综合健身场地', en: 'outdoor fitness ground', source: `${GB} App. B/C (gb5.outdoor_fitness)`, ver: 'U', normative: true },
    { category: 'primary_school', tier: 10, mandatory: true, zh: '小学', en: 'primary school', source: `${GB} App. B/C (gb10.primary_school)`, ver: 'P', normative: true },
    { category: 'wet_market', tier: 10, mandatory: true, zh: '菜市场或生鲜超市', en: 'wet market / fresh-food supermarket', source: `${GB} App. B/C (gb10.wet_market)`, ver: 'U', normative: true },
    {
      category: 'sports_ground', tier: 10, mandatory: true, zh: '中型多功能运动场地', en: 'medium multi-sport ground',
      source: `${GB} App. B/C (gb10.mid_sports_ground)`, ver: 'U', normative: false,
      note: 'our mapping: GB lists small (5-min), medium (10-min) and large (15-min) grounds; our one category is read as the 10-min medium ground',
    },
    {
      category: 'park', tier: 10, mandatory: true, zh: '居住区公园', en: 'residential park',
      source: `${GB} §4.0.4 (gb10.park)`, ver: 'V', normative: false,
      note: 'our mapping: the 10-min park (≥1 ha) is required by §4.0.4; GB sets park size per tier, not an Appendix B row',
    },
    {
      category: 'bus_stop', tier: 10, mandatory: true, zh: '公交车站', en: 'bus stop', maxWalkM: 500,
      source: `${GB} App. B/C (gb15.bus_stop; radius 500 m)`, ver: 'U', normative: true,
    },
    { category: 'health_center', tier: 15, mandatory: true, zh: '卫生服务中心(社区医院)', en: 'community health service centre', source: `${GB} App. B/C (gb15.health_center)`, ver: 'U', normative: true },
    {
      category: 'hospital', tier: 15, mandatory: true, zh: '门诊部', en: 'outpatient clinic',
      source: `${GB} App. B/C (gb15.outpatient)`, ver: 'U', normative: false,
      note: 'our mapping: a hospital (OSM) provides the 门诊部 (outpatient) item',
    },
    { category: 'junior_high', tier: 15, mandatory: true, zh: '初中', en: 'junior middle school', source: `${GB} App. B/C (gb15.junior_high)`, ver: 'P', normative: true },
    { category: 'commercial', tier: 15, mandatory: true, zh: '商场', en: 'shopping mall', source: `${GB} App. B (gb15.mall)`, ver: 'U', normative: true },
    { category: 'metro', tier: 15, mandatory: false, zh: '轨道交通站点', en: 'metro station', maxWalkM: 800, source: `${GB} App. B/C (gb15.metro_station; radius 800 m)`, ver: 'U', normative: true },
  ],
};

const WZ = '完整居住社区建设标准(试行) 2020';
const WZ_TIER_NOTE = 'the standard sets a 5–10-minute community without a per-item distance; tier 10 (500 m) is our default';
const COMPLETE_STANDARD: Standard = {
  id: 'complete-community',
  zh: '完整居住社区建设标准(试行)(2020)',
  en: 'Complete residential community construction standard (trial, 2020)',
  citation: 'MOHURD 建科规〔2020〕7号: basic public services, convenience commerce, public activity space',
  citationZh: '住房和城乡建设部 建科规〔2020〕7号:基本公共服务设施、便民商业服务设施、公共活动空间',
  rules: [
    { category: 'community_service', tier: 10, mandatory: true, zh: '社区综合服务站', en: 'community integrated service station', source: `${WZ} (wz.service_station)`, ver: 'V', normative: false, note: WZ_TIER_NOTE },
    { category: 'kindergarten', tier: 10, mandatory: true, zh: '幼儿园', en: 'kindergarten', source: `${WZ} (wz.kindergarten)`, ver: 'V', normative: false, note: WZ_TIER_NOTE },
    { category: 'nursery', tier: 10, mandatory: true, zh: '托儿所', en: 'nursery (0–3)', source: `${WZ} (wz.nursery)`, ver: 'V', normative: false, note: WZ_TIER_NOTE },
    { category: 'elderly_daycare', tier: 10, mandatory: true, zh: '老年服务站', en: 'elderly service station', source: `${WZ} (wz.elderly_station)`, ver: 'V', normative: false, note: WZ_TIER_NOTE },
    { category: 'health_station', tier: 10, mandatory: true, zh: '社区卫生服务站', en: 'community health station', source: `${WZ} (wz.health_station)`, ver: 'V', normative: false, note: WZ_TIER_NOTE },
    { category: 'convenience', tier: 10, mandatory: true, zh: '综合超市', en: 'supermarket', source: `${WZ} (wz.supermarket)`, ver: 'V/P', normative: false, note: WZ_TIER_NOTE },
    { category: 'fitness', tier: 10, mandatory: true, zh: '公共活动场地', en: 'public activity ground', source: `${WZ} (wz.activity_ground)`, ver: 'P', normative: false, note: WZ_TIER_NOTE },
    { category: 'park', tier: 10, mandatory: true, zh: '公共绿地', en: 'public green', source: `${WZ} (wz.green)`, ver: 'P', normative: false, note: WZ_TIER_NOTE },
    {
      category: 'bus_stop', tier: 10, mandatory: true, zh: '公交站点(慢行系统)', en: 'bus stop (walking network)',
      source: `${WZ} (wz.slow_traffic: bus stop within 10-min walk)`, ver: 'P', normative: true,
    },
  ],
};

export const STANDARDS: Readonly<Record<StandardId, Standard>> = Object.freeze({
  gb50180: GB_STANDARD,
  'complete-community': COMPLETE_STANDARD,
});
export const STANDARD_IDS: readonly StandardId[] = ['gb50180', 'complete-community'];

export function isStandardId(s: string): s is StandardId {
  return s === 'gb50180' || s === 'complete-community';
}

/** The walking-distance threshold of a rule under the given parameters, metres. */
export function thresholdOf(rule: StandardRule, params: CoverageParams): number {
  if (params.useItemDistances && rule.maxWalkM !== undefined) return rule.maxWalkM;
  return params.tierDistanceM[rule.tier];
}

/** Validate user-edited parameters; returns a list of problems (empty when fine). */
export function checkParams(p: CoverageParams): string[] {
  const out: string[] = [];
  for (const t of TIERS) {
    const d = p.tierDistanceM[t];
    if (!Number.isFinite(d) || d <= 0) out.push(`tier ${t} min: distance must be a positive number of metres (got ${d})`);
  }
  if (p.tierDistanceM[5] > p.tierDistanceM[10] || p.tierDistanceM[10] > p.tierDistanceM[15])
    out.push('tier distances must not decrease from 5 to 10 to 15 minutes');
  if (!Number.isFinite(p.walkSpeedMPerMin) || p.walkSpeedMPerMin <= 0) out.push(`walking speed must be positive (got ${p.walkSpeedMPerMin})`);
  if (!Number.isFinite(p.detourFactor) || p.detourFactor < 1) out.push(`detour factor must be ≥ 1 (got ${p.detourFactor})`);
  return out;
}
