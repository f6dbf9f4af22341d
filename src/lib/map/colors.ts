/**
 * Every colour the map and the charts use, in one place, with its source and class breaks.
 * Palettes: ColorBrewer 2.0 (Cynthia Brewer, Mark Harrower, Penn State; Apache-2.0 licence),
 * chosen colour-blind safe where a sequential scheme is used. Projector-safe: no light yellows on white.
 */
import type { FacilityCategoryCode } from '../domain/types';
import { schemeDark2, schemeOrRd } from 'd3-scale-chromatic';

/** ColorBrewer Set2 (8) + Dark2 accents: categorical, one colour per 2020 sub-district. */
export const STREET_COLORS: Record<string, string> = {
  中马街道: '#e7298a',
  白沙街道: '#d95f02',
  文教街道: '#7570b3',
  孔浦街道: '#1b9e77',
  甬江街道: '#66a61e',
  庄桥街道: '#e6ab02',
  洪塘街道: '#a6761d',
  慈城镇: '#1f78b4',
};
export const OTHER_COLOR = '#8c8c8c';

export interface ClassBreaks {
  /** upper bounds (inclusive) of each class but the last */
  breaks: number[];
  colors: string[];
  source: string;
}

/** Build year: ColorBrewer YlOrBr 5 (reversed: older = darker), breaks at the national pre-2000 rule's bands. */
export const BUILD_YEAR_CLASSES: ClassBreaks = {
  breaks: [1985, 1990, 1995, 2000],
  colors: ['#993404', '#d95f0e', '#fe9929', '#fec44f', '#a1d99b'],
  source: 'ColorBrewer YlOrBr; bands of the default rubric SC01 (≤1990, 1991–95, 1996–2000, >2000)',
};

/** Households: ColorBrewer Blues 5. */
export const HOUSEHOLD_CLASSES: ClassBreaks = {
  breaks: [300, 500, 800, 1200],
  colors: ['#c6dbef', '#9ecae1', '#6baed6', '#3182bd', '#08519c'],
  source: 'ColorBrewer Blues',
};

export function classOf(value: number, classes: ClassBreaks): number {
  for (let i = 0; i < classes.breaks.length; i++) if (value <= classes.breaks[i]) return i;
  return classes.breaks.length;
}

/** Facility categories: grouped hues (health = reds, education = blues, elderly/children = purples, daily life = greens/oranges). */
export const CATEGORY_COLORS: Record<FacilityCategoryCode, string> = {
  community_service: '#6a3d9a',
  kindergarten: '#1f78b4',
  nursery: '#a6cee3',
  elderly_daycare: '#cab2d6',
  health_station: '#fb9a99',
  health_center: '#e31a1c',
  hospital: '#99000d',
  primary_school: '#2166ac',
  junior_high: '#053061',
  school_other: '#92c5de',
  wet_market: '#ff7f00',
  convenience: '#fdbf6f',
  commercial: '#b15928',
  culture_station: '#c51b7d',
  sports_ground: '#33a02c',
  fitness: '#b2df8a',
  park: '#1b7837',
  bus_stop: '#636363',
  metro: '#0c2c84',
};

export const MAP_COLORS = {
  background: '#eef1f4',
  focusDistrict: '#fbfbf8',
  focusDistrictLine: '#3d4a5c',
  contextDistrict: '#e3e6ea',
  contextDistrictLine: '#b4bcc7',
  water: '#a9cfe8',
  waterLine: '#6fa8d2',
  rail: '#555555',
  expressway: '#d7a13a',
  road: '#c9cdd3',
  roadMajor: '#aab0b9',
  footway: '#d9c8a9',
  communityLine: '#2b2b2b',
  selected: '#ff1f5b',
  hover: '#ffd400',
  gate: '#111111',
  metro: '#0c2c84',
};

/**
 * Presentation charts (src/lib/present/): progress groups and funding payers. Progress groups take the
 * map's stage colours (STAGE_COLORS below): completed = ARCHIVED green, under construction = CONSTRUCTION
 * orange, not started = DRAFT_SCHEME purple, so the chart reads like the map coloured by stage.
 * Funding payers: ColorBrewer Paired, saturated so they survive a projector.
 */
export const PROGRESS_GROUP_COLORS = { completed: '#31a354', construction: '#f16913', notStarted: '#9e9ac8' } as const;
export const FUNDING_COLORS = { city: '#1f78b4', district: '#6a3d9a', owners: '#33a02c', outside: '#b15928' } as const;
/**
 * Renovation bundles (bundle mode): ColorBrewer Dark2 (8) + four dark Paired hues, categorical; assigned so
 * that neighbouring bundles never share a colour (analysis/bundle-metrics.ts colourBundles). Unbundled = grey.
 */
export const BUNDLE_COLORS = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#1f78b4', '#e31a1c', '#6a3d9a', '#b15928', '#33a02c'] as const;
export const UNBUNDLED_COLOR = '#d4d4d4';

/**
 * Project pool (issue 5). Score classes: ColorBrewer YlGnBu 5 over the total points of the rubric in use,
 * breaks every 10 points (the default rubric gives 0–100 + 10 bonus); projects failing a gate are grey.
 */
export const SCORE_CLASSES: ClassBreaks = {
  breaks: [40, 50, 60, 70],
  colors: ['#c7e9b4', '#7fcdbb', '#41b6c4', '#2c7fb8', '#253494'],
  source: 'ColorBrewer YlGnBu; breaks every 10 points',
};
export const INELIGIBLE_COLOR = '#b0b0b0';
/**
 * Workflow stages: purples before the scheme vote, blues through plan/approval/tender, orange under
 * construction, greens once completed (ColorBrewer Purples/Blues/Greens + Oranges); side states greys/red.
 */
export const STAGE_COLORS: Record<string, string> = {
  POOL: '#dadaeb',
  APPLIED: '#bcbddc',
  DRAFT_SCHEME: '#9e9ac8',
  SCHEME_VOTED: '#756bb1',
  PLANNED: '#9ecae1',
  APPROVED: '#4292c6',
  TENDERED: '#08519c',
  CONSTRUCTION: '#f16913',
  ACCEPTED: '#a1d99b',
  HANDED_OVER: '#74c476',
  ARCHIVED: '#31a354',
  EVALUATED: '#006d2c',
  DEFERRED: '#969696',
  SUSPENDED: '#525252',
  REJECTED: '#cb181d',
};
/** Batch years and pools: ColorBrewer Dark2 (categorical); not in a batch = light grey. */
export const BATCH_COLORS: Record<string, string> = { '2020': '#1b9e77', '2021': '#d95f02', '2022': '#7570b3', none: '#d0d0d0' };
export const POOL_COLORS: Record<string, string> = { 谋划: '#e6ab02', 生成: '#66a61e', 实施: '#e7298a', 储备: '#a6761d' };

/**
 * Life-circle coverage: number of mandatory (▲) categories a community lacks. Breaks: 0 (complete), 1–2,
 * 3–5, 6–9, ≥10. ColorBrewer RdYlGn-5 reversed (colorbrewer2.org, Cynthia Brewer, Apache-2.0).
 */
export const LACKING_CLASSES: ClassBreaks = {
  breaks: [0, 2, 5, 9],
  colors: ['#1a9641', '#a6d96a', '#ffffbf', '#fdae61', '#d7191c'],
  source: 'ColorBrewer RdYlGn-5 (reversed)',
};
/** One category: met / not met within its tier / not reachable on the network (RdYlGn ends + grey). */
export const MET_COLORS = { met: '#1a9641', unmet: '#d7191c', unreachable: '#7f7f7f' } as const;

/**
 * Renovation content (issue 13). Investment per household (CNY): d3-scale-chromatic schemeOrRd[6] without its
 * lightest step (projector-safe); breaks around the Ningbo 2022 benchmark of 33,960 CNY per household
 * (funding.yaml benchmarks.derived). Communities without a content plan are coloured by their floor-area
 * estimate, which the legend note says.
 */
export const INVESTMENT_PER_HH_CLASSES: ClassBreaks = {
  breaks: [20_000, 30_000, 40_000, 60_000],
  colors: schemeOrRd[6].slice(1),
  source: 'd3-scale-chromatic schemeOrRd (ColorBrewer OrRd); breaks around the Ningbo 2022 benchmark 33,960 CNY/household',
};
/** The three item classes (基础/完善/提升): ColorBrewer Dark2 (categorical, colour-blind safe); no plan = grey. */
export const CONTENT_CLASS_COLORS = { basic: schemeDark2[2], improve: schemeDark2[0], upgrade: schemeDark2[1], none: '#d0d0d0' } as const;
