/**
 * The planner's domain model. Types and plain constants only: no logic with side effects.
 * Every layer on disk (public/data/*.fgb) and every imported file is turned into these types
 * by src/lib/data/schema.ts before anything else sees it.
 */
import type { Feature, MultiPolygon, Point, Polygon, LineString, MultiLineString } from 'geojson';

export type LonLat = [number, number];

/** Where a record comes from. `synthetic` records are generated demonstration data (演示数据). */
export interface Provenance {
  /** true for generated demonstration data; the UI labels such records 演示数据 everywhere. */
  synthetic: boolean;
  /** Human-readable source: a file name, "OpenStreetMap", or "geodata/generate.ts (seed …)". */
  source: string;
}

/** Workflow stages of the action plan (../shared/standards/workflow.yaml). Codes are ours. */
export const STAGES = [
  'POOL',
  'APPLIED',
  'DRAFT_SCHEME',
  'SCHEME_VOTED',
  'PLANNED',
  'APPROVED',
  'TENDERED',
  'CONSTRUCTION',
  'ACCEPTED',
  'HANDED_OVER',
  'ARCHIVED',
  'EVALUATED',
] as const;
export type Stage = (typeof STAGES)[number];
export const SIDE_STATES = ['DEFERRED', 'REJECTED', 'SUSPENDED'] as const;
export type SideState = (typeof SIDE_STATES)[number];

/** Project pools: 谋划一批、生成一批、实施一批、储备一批. */
export const POOLS = ['谋划', '生成', '实施', '储备'] as const;
export type Pool = (typeof POOLS)[number];

export const BATCH_YEARS = [2020, 2021, 2022] as const;
export type BatchYear = (typeof BATCH_YEARS)[number];

export type PropertyManagement = 'professional' | 'self' | 'none';
export type MaintenanceFund = 'established' | 'committed' | 'none';
export type SafetyHazard = 'confirmed' | 'partial' | 'none';
export type HousingType = 'commodity' | 'danwei' | 'resettlement';

/** Attributes of one old residential community (老旧小区). */
export interface CommunityProps extends Provenance {
  id: string;
  name: string;
  /** 2020 sub-district (街道/镇) name in Chinese, e.g. "孔浦街道"; see STREETS. */
  street: string;
  /** 社区 (residents' committee) the estate belongs to, if known. */
  committee: string | null;
  /** null = unknown (not in the source): scores nothing and is named as missing, never read as 0 */
  build_year: number | null;
  housing_type: HousingType;
  households: number;
  buildings: number;
  floor_area_m2: number;
  residents: number;
  property_mgmt: PropertyManagement;
  maintenance_fund: MaintenanceFund;
  dangerous_buildings: number;
  /** number of buildings whose residents want a lift retrofit (加装电梯) */
  lift_demand: number;
  /** share of owners' exclusive floor area in favour of renovation, 0..1; null = unknown (no data) */
  consent_area_share: number | null;
  /** share of owners by headcount in favour of renovation, 0..1; null = unknown (no data) */
  consent_headcount_share: number | null;
  /** owners' (and social) contribution as a share of total investment, 0..1 */
  owner_contribution_share: number;
  /** share of illegal structures cleared (1 when none present), 0..1; null = unknown (never "all cleared") */
  illegal_cleared_share: number | null;
  safety_hazard: SafetyHazard;
  third_party_funding: boolean;
  batch_year: BatchYear | null;
  pool: Pool;
  stage: Stage;
  side_state: SideState | null;
}

export type CommunityFeature = Feature<Polygon | MultiPolygon, CommunityProps>;

/** A gate (小区出入口): residents leave a community through its gates. */
export interface GateProps extends Provenance {
  id: string;
  community_id: string;
}
export type GateFeature = Feature<Point, GateProps>;

export interface FacilityProps extends Provenance {
  id: string;
  name: string;
  category: FacilityCategoryCode;
  /** OSM element id for OSM-derived records */
  osm_id: string | null;
}
export type FacilityFeature = Feature<Point, FacilityProps>;

export interface MetroProps extends Provenance {
  id: string;
  name: string;
  lines: string[];
}
export type MetroFeature = Feature<Point, MetroProps>;

/** Road classes of the walking network; `motorway` is excluded from walking. */
export const ROAD_CLASSES = ['motorway', 'primary', 'secondary', 'residential', 'service', 'footway', 'path'] as const;
export type RoadClass = (typeof ROAD_CLASSES)[number];
export interface RoadProps extends Provenance {
  id: string;
  name: string | null;
  highway: RoadClass;
  bridge: boolean;
}
export type RoadFeature = Feature<LineString | MultiLineString, RoadProps>;

/** Barriers for bundling and context: rivers (water), rail lines, expressways. */
export type BarrierKind = 'river' | 'canal' | 'rail' | 'expressway';
export interface BarrierProps extends Provenance {
  id: string;
  name: string | null;
  kind: BarrierKind;
}
/** Water is drawn as polygons (rivers) or lines (canals); rail lines and expressways as lines. */
export type BarrierFeature = Feature<Polygon | MultiPolygon | LineString | MultiLineString, BarrierProps>;

export interface DistrictProps extends Provenance {
  name: string;
  /** true for Jiangbei itself, false for neighbouring context districts */
  focus: boolean;
}
export type DistrictFeature = Feature<Polygon | MultiPolygon, DistrictProps>;

/**
 * Facility categories used by the analysis. Codes are ours; each standard in
 * src/lib/domain/standards.ts maps its items onto these codes.
 */
export const FACILITY_CATEGORIES = [
  'community_service',
  'kindergarten',
  'nursery',
  'elderly_daycare',
  'health_station',
  'health_center',
  'hospital',
  'primary_school',
  'junior_high',
  'school_other',
  'wet_market',
  'convenience',
  'commercial',
  'culture_station',
  'sports_ground',
  'fitness',
  'park',
  'bus_stop',
  'metro',
] as const;
export type FacilityCategoryCode = (typeof FACILITY_CATEGORIES)[number];

export interface FacilityCategoryInfo {
  code: FacilityCategoryCode;
  zh: string;
  en: string;
}

export const FACILITY_CATEGORY_INFO: Record<FacilityCategoryCode, FacilityCategoryInfo> = {
  community_service: { code: 'community_service', zh: '社区服务站', en: 'Community service station' },
  kindergarten: { code: 'kindergarten', zh: '幼儿园', en: 'Kindergarten' },
  nursery: { code: 'nursery', zh: '托育点', en: 'Nursery (0–3)' },
  elderly_daycare: { code: 'elderly_daycare', zh: '老年人日间照料中心', en: 'Elderly day care' },
  health_station: { code: 'health_station', zh: '社区卫生服务站', en: 'Community health station' },
  health_center: { code: 'health_center', zh: '社区卫生服务中心', en: 'Community health centre' },
  hospital: { code: 'hospital', zh: '医院', en: 'Hospital' },
  primary_school: { code: 'primary_school', zh: '小学', en: 'Primary school' },
  junior_high: { code: 'junior_high', zh: '初中', en: 'Junior middle school' },
  school_other: { code: 'school_other', zh: '其他学校', en: 'Other school' },
  wet_market: { code: 'wet_market', zh: '菜市场/生鲜超市', en: 'Wet market' },
  convenience: { code: 'convenience', zh: '便利店/社区商业', en: 'Convenience shops' },
  commercial: { code: 'commercial', zh: '商业中心', en: 'Commercial centre' },
  culture_station: { code: 'culture_station', zh: '文化活动站', en: 'Cultural activity station' },
  sports_ground: { code: 'sports_ground', zh: '多功能运动场地', en: 'Multi-sport ground' },
  fitness: { code: 'fitness', zh: '室外健身场地', en: 'Outdoor fitness ground' },
  park: { code: 'park', zh: '公园/游园', en: 'Park / pocket park' },
  bus_stop: { code: 'bus_stop', zh: '公交站', en: 'Bus stop' },
  metro: { code: 'metro', zh: '轨道交通站点', en: 'Metro station' },
};

/** The 2020 sub-districts named in the action plan (中马 and 白沙 later merged into 外滩). */
export const STREETS = [
  { zh: '中马街道', en: 'Zhongma' },
  { zh: '白沙街道', en: 'Baisha' },
  { zh: '文教街道', en: 'Wenjiao' },
  { zh: '孔浦街道', en: 'Kongpu' },
  { zh: '甬江街道', en: 'Yongjiang' },
  { zh: '庄桥街道', en: 'Zhuangqiao' },
  { zh: '洪塘街道', en: 'Hongtang' },
  { zh: '慈城镇', en: 'Cicheng' },
] as const;

/** The action plan's own totals (江北区城镇老旧小区改造三年行动方案 2020-2022). */
export const PLAN_TOTALS = {
  communities: 73,
  households: 47000,
  buildings: 1744,
  floor_area_m2: 4270000,
} as const;

/** The whole loaded dataset, as the app state holds it. */
export interface Dataset {
  communities: CommunityFeature[];
  gates: GateFeature[];
  facilities: FacilityFeature[];
  metro: MetroFeature[];
  roads: RoadFeature[];
  barriers: BarrierFeature[];
  districts: DistrictFeature[];
}

/** One entry of public/data/manifest.json. */
export interface ManifestLayer {
  layer: keyof Dataset;
  file: string;
  count: number;
  bbox: [number, number, number, number];
  source: string;
  licence: string;
  synthetic: boolean;
  /** sha256 of the file, so the app and tests can check integrity */
  sha256: string;
}
export interface Manifest {
  generated_by: string;
  seed: number;
  layers: ManifestLayer[];
  attribution: string[];
  /** layers a feature loads on its own, not part of the Dataset (e.g. the demonstration special works) */
  extra_layers?: ExtraManifestLayer[];
}
export interface ExtraManifestLayer extends Omit<ManifestLayer, 'layer'> {
  layer: string;
}
