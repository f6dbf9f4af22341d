/**
 * Spare sites (存量资源): idle rooms (闲置用房, measured by floor area) and spare plots (空地/闲置地/边角地,
 * measured by land area) that could host a missing facility; and the minimum sizes facilities need.
 * Types and constants only.
 *
 * FACILITY_MIN_SIZES transcribes geodata/standards/facility-min-sizes.csv (checked by spare-sites.test.ts),
 * which reads the `scale` column of 住建部《完整居住社区建设标准(试行)》(2020) (facilities-complete-community.csv)
 * and one GB 50180-2018 row (facilities-gb50180.csv).
 */
import type { Feature, Point } from 'geojson';
import type { FacilityCategoryCode, Provenance } from './types';

export const SPARE_SITE_KINDS = ['idle_room', 'vacant_land', 'idle_land', 'corner_land'] as const;
export type SpareSiteKind = (typeof SPARE_SITE_KINDS)[number];
/** floor: the area is a building's floor area; land: the area is a plot's land area */
export type AreaMeasure = 'floor' | 'land';

export const SPARE_SITE_KIND_INFO: Record<SpareSiteKind, { zh: string; en: string; measure: AreaMeasure }> = {
  idle_room: { zh: '闲置用房', en: 'idle room', measure: 'floor' },
  vacant_land: { zh: '空地', en: 'vacant plot', measure: 'land' },
  idle_land: { zh: '闲置地', en: 'idle land', measure: 'land' },
  corner_land: { zh: '边角地', en: 'corner plot', measure: 'land' },
};

export interface SpareSiteProps extends Provenance {
  id: string;
  name: string;
  kind: SpareSiteKind;
  /** floor area (idle rooms) or land area (plots) in m²; null = unknown (never fits a minimum) */
  area_m2: number | null;
  /** 权属 / 产权单位; null = unknown */
  owner: string | null;
  /** the community the site lies in or next to, when known */
  community_id: string | null;
}
export type SpareSiteFeature = Feature<Point, SpareSiteProps>;

export function isSpareSiteKind(x: unknown): x is SpareSiteKind {
  return typeof x === 'string' && (SPARE_SITE_KINDS as readonly string[]).includes(x);
}

/** One minimum size of a facility category, with the standard row it comes from. */
export interface MinSize {
  category: FacilityCategoryCode;
  measure: AreaMeasure;
  minM2: number;
  /** row code in geodata/standards (wz.* = 完整居住社区建设标准, gb5.* = GB 50180-2018) */
  code: string;
  /** the standard's words, quoted from the row's scale column */
  scaleText: string;
  ver: string;
  note: string;
}

const WZ = { zh: '完整居住社区建设标准(试行) 2020', en: 'Standard for Complete Residential Communities (trial), 2020' };
const GB = { zh: 'GB 50180-2018', en: 'GB 50180-2018' };
export const MIN_SIZE_SOURCES: Record<string, { zh: string; en: string }> = { wz: WZ, gb5: GB };

export const FACILITY_MIN_SIZES: readonly MinSize[] = Object.freeze([
  { category: 'community_service', measure: 'floor', minM2: 800, code: 'wz.service_station', scaleText: '≈800 m² floor', ver: 'V', note: 'the standard gives an approximate floor area (≈); read as the minimum' },
  { category: 'kindergarten', measure: 'land', minM2: 3500, code: 'wz.kindergarten', scaleText: '≥3500 m² land', ver: 'V', note: '' },
  { category: 'kindergarten', measure: 'floor', minM2: 2200, code: 'wz.kindergarten', scaleText: '≥2200 m² floor', ver: 'V', note: '' },
  { category: 'nursery', measure: 'floor', minM2: 200, code: 'wz.nursery', scaleText: '≥200 m² floor', ver: 'V', note: '' },
  {
    category: 'elderly_daycare', measure: 'floor', minM2: 350, code: 'wz.elderly_station', scaleText: '日间照料中心 ≥350 m²', ver: 'V',
    note: 'INF: the standard does not say floor or land; a day-care centre is a building so floor area is our reading',
  },
  { category: 'health_station', measure: 'floor', minM2: 120, code: 'wz.health_station', scaleText: '≥120 m² floor', ver: 'V', note: 'the 绿色完整社区 variant asks ≥150 m²; the lower figure of the base standard is used' },
  {
    category: 'convenience', measure: 'floor', minM2: 300, code: 'wz.supermarket', scaleText: '≥300 m²', ver: 'V/P',
    note: 'INF: shop floor area; old estates may use 2–3 shops of 50–100 m² instead (not checked)',
  },
  { category: 'fitness', measure: 'land', minM2: 150, code: 'wz.activity_ground', scaleText: '≥150 m²', ver: 'P', note: 'an outdoor ground: land area (GB 50180 gb5.outdoor_fitness also ≥150 m²)' },
  {
    category: 'sports_ground', measure: 'land', minM2: 800, code: 'gb5.small_sports_ground', scaleText: '(≥800 m²)', ver: 'U',
    note: 'GB 50180 gives ≥800 m² for the SMALL (5-min) ground; our category is read as the 10-min medium ground so this is a lower bound',
  },
] satisfies MinSize[]);

/** The standard a minimum-size row comes from, for people. */
export function minSizeSource(m: MinSize, lang: 'zh' | 'en' = 'zh'): string {
  const src = MIN_SIZE_SOURCES[m.code.split('.')[0]!];
  return src ? src[lang] : lang === 'zh' ? '标准' : 'the standard';
}
