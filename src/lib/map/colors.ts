/**
 * Every colour the map and the charts use, in one place, with its source and class breaks.
 * Palettes: ColorBrewer 2.0 (Cynthia Brewer, Mark Harrower, Penn State; Apache-2.0 licence),
 * chosen colour-blind safe where a sequential scheme is used. Projector-safe: no light yellows on white.
 */
import {
  interpolateBlues,
  interpolateOranges,
  interpolateGreens,
  interpolatePurples,
  interpolateRdYlBu,
  interpolateReds,
  interpolateYlGnBu,
  interpolateYlOrBr,
} from 'd3-scale-chromatic';
import { formatHex, parse } from 'culori';
import type { FacilityCategoryCode } from '../domain/types';

/**
 * n colours sampled evenly from a d3-scale-chromatic interpolator between t = lo and t = hi (a ramp's
 * palest end is usually cut: it vanishes on the map's pale background and on projectors). Hex output.
 */
/** Colours of an interpolator at the given positions t (for classes that must skip a ramp's pale middle). */
export function pick(interpolator: (t: number) => string, ts: readonly number[]): string[] {
  return ts.map((t) => formatHex(parse(interpolator(t)))!);
}

export function ramp(interpolator: (t: number) => string, n: number, lo: number, hi: number, reverse = false): string[] {
  const out = Array.from({ length: n }, (_, i) => formatHex(parse(interpolator(n === 1 ? hi : lo + ((hi - lo) * i) / (n - 1))))!);
  return reverse ? out.reverse() : out;
}

/**
 * Categorical: one colour per 2020 sub-district, the 8 colour-vision-safe hues of BUNDLE_COLORS (Okabe & Ito
 * 2008 + Paul Tol 2021; every pair ΔE ≥ 10 under normal vision, deuteranopia and protanopia, colors.test.ts).
 */
export const STREET_COLORS: Record<string, string> = {
  中马街道: '#cc79a7',
  白沙街道: '#d55e00',
  文教街道: '#332288',
  孔浦街道: '#009e73',
  甬江街道: '#56b4e9',
  庄桥街道: '#e69f00',
  洪塘街道: '#882255',
  慈城镇: '#0072b2',
};
export const OTHER_COLOR = '#b5b5b5';

export interface ClassBreaks {
  /** upper bounds (inclusive) of each class but the last */
  breaks: number[];
  colors: string[];
  source: string;
}

/**
 * Build year: ColorBrewer YlOrBr 5 (d3-scale-chromatic, t 0.1–1, reversed: older = darker), breaks at the
 * bands of the default rubric SC01. Every ordinal ramp below is checked by src/lib/map/colors.test.ts:
 * neighbouring classes differ by CIEDE2000 ΔE ≥ 10 under normal vision, deuteranopia and protanopia, and
 * every class stands off the map background by the same margin.
 */
export const BUILD_YEAR_CLASSES: ClassBreaks = {
  breaks: [1985, 1990, 1995, 2000],
  colors: ramp(interpolateYlOrBr, 5, 0.1, 1, true),
  source: 'ColorBrewer YlOrBr; bands of the default rubric SC01 (≤1990, 1991–95, 1996–2000, >2000)',
};

/** Households: ColorBrewer Blues 5 (t 0.35–1). */
export const HOUSEHOLD_CLASSES: ClassBreaks = {
  breaks: [300, 500, 800, 1200],
  colors: ramp(interpolateBlues, 5, 0.35, 1),
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
export const PROGRESS_GROUP_COLORS = {
  get completed() {
    return STAGE_COLORS.ARCHIVED;
  },
  get construction() {
    return STAGE_COLORS.CONSTRUCTION;
  },
  get notStarted() {
    return STAGE_COLORS.DRAFT_SCHEME;
  },
} as const;
export const FUNDING_COLORS = { city: '#1f78b4', district: '#6a3d9a', owners: '#33a02c', outside: '#b15928' } as const;
/**
 * Renovation bundles (bundle mode): 8 categorical hues, Okabe & Ito (2008) "Color Universal Design" without
 * black and yellow, plus Paul Tol's indigo and wine (2021); every pair differs by ΔE ≥ 10 under normal vision,
 * deuteranopia and protanopia (colors.test.ts). Assigned by DSATUR colouring of the bundle neighbour graph
 * (map/graphColour.ts), so touching or nearby bundles never share a colour while 8 suffice. Unbundled = grey.
 */
export const BUNDLE_COLORS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#332288', '#882255'] as const;
export const UNBUNDLED_COLOR = '#b5b5b5';

/**
 * Project pool (issue 5). Score classes: ColorBrewer YlGnBu 5 over the total points of the rubric in use,
 * breaks every 10 points (the default rubric gives 0–100 + 10 bonus); projects failing a gate are grey.
 */
export const SCORE_CLASSES: ClassBreaks = {
  breaks: [40, 50, 60, 70],
  colors: ramp(interpolateYlGnBu, 5, 0.25, 1),
  source: 'ColorBrewer YlGnBu; breaks every 10 points',
};
export const INELIGIBLE_COLOR = '#b0b0b0';
/**
 * Workflow stages: a sequential ramp in stage order with a break at each phase of the action plan: the
 * preparation phase (pool → scheme vote) light → dark purples, approval (plan → tender) light → dark blues,
 * construction orange, completion (acceptance → evaluation) light → dark greens (ColorBrewer single-hue ramps
 * via d3-scale-chromatic). Consecutive stages differ by ΔE ≥ 10 under normal and deficient colour vision;
 * the hue change marks the phase break. Side states are greys and a brick red (never shown against green alone:
 * the legend names them).
 */
const STAGE_RAMP = [
  ...ramp(interpolatePurples, 4, 0.35, 0.95),
  ...ramp(interpolateBlues, 3, 0.4, 0.95),
  ramp(interpolateOranges, 1, 0, 0.6)[0],
  ...ramp(interpolateGreens, 4, 0.35, 1),
];
export const STAGE_PHASES: readonly (readonly string[])[] = [
  ['POOL', 'APPLIED', 'DRAFT_SCHEME', 'SCHEME_VOTED'],
  ['PLANNED', 'APPROVED', 'TENDERED'],
  ['CONSTRUCTION'],
  ['ACCEPTED', 'HANDED_OVER', 'ARCHIVED', 'EVALUATED'],
];
export const STAGE_COLORS: Record<string, string> = {
  ...Object.fromEntries(STAGE_PHASES.flat().map((s, i) => [s, STAGE_RAMP[i]])),
  DEFERRED: '#969696',
  SUSPENDED: '#525252',
  REJECTED: '#a50f15',
};
/** Batch years: ColorBrewer Dark2 (categorical); pools: Okabe-Ito hues; not in a batch = grey. */
export const BATCH_COLORS: Record<string, string> = { '2020': '#1b9e77', '2021': '#d95f02', '2022': '#7570b3', none: '#b5b5b5' };
export const POOL_COLORS: Record<string, string> = { 谋划: '#e69f00', 生成: '#009e73', 实施: '#cc79a7', 储备: '#0072b2' };

/**
 * Life-circle coverage: number of mandatory (▲) categories a community lacks. Breaks: 0 (complete), 1–2,
 * 3–5, 6–9, ≥10. ColorBrewer YlOrBr 5 (t 0.15–1): pale = complete, dark brown = most lacking (a sequential
 * ramp for a count; the old RdYlGn put a pale yellow in the middle that vanished on projectors).
 */
export const LACKING_CLASSES: ClassBreaks = {
  breaks: [0, 2, 5, 9],
  colors: ramp(interpolateYlOrBr, 5, 0.15, 1),
  source: 'ColorBrewer YlOrBr',
};
/**
 * One category: met / not met within its tier / not reachable on the network. Blue and vermillion (Okabe-Ito),
 * not green and red, so the pair survives deuteranopia and protanopia; the legend and the matrix also say ✓ / ✗.
 */
export const MET_COLORS = { met: '#0072b2', unmet: '#d55e00', unreachable: '#7f7f7f' } as const;

/**
 * Accessibility surface (coverage mode): walking distance to the nearest facility, in the tiers in force
 * (≤ 5-min tier, ≤ 10-min, ≤ 15-min, beyond) from ColorBrewer RdYlBu (at t 0.95/0.78/0.3/0.04, skipping the pale middle: near = blue, far = red), plus
 * grey for streets no facility reaches. Same classes colour the network and label the legend.
 */
export const ACCESS_COLORS = pick(interpolateRdYlBu, [0.95, 0.78, 0.3, 0.04]);
export const ACCESS_UNREACHABLE = '#6b6b6b';
/** Residents lacking the category (coverage mode symbols): one colour, size carries the number. */
export const UNSERVED_COLOR = '#b2182b';

/**
 * Renovation content (issue 13). Investment per household (CNY): ColorBrewer Reds (d3-scale-chromatic) from t 0.2
 * (its palest end vanishes on the map and on projectors); breaks around the Ningbo 2022 benchmark of 33,960 CNY
 * per household (funding.yaml benchmarks.derived). Communities without a content plan are coloured by their
 * floor-area estimate, which the legend note says.
 */
export const INVESTMENT_PER_HH_CLASSES: ClassBreaks = {
  breaks: [20_000, 30_000, 40_000, 60_000],
  colors: ramp(interpolateReds, 5, 0.2, 1),
  source: 'ColorBrewer Reds (d3-scale-chromatic); breaks around the Ningbo 2022 benchmark 33,960 CNY/household',
};
/** The three item classes (基础/完善/提升): three of the colour-vision-safe bundle hues; no plan = mid grey. */
export const CONTENT_CLASS_COLORS = { basic: '#0072b2', improve: '#e69f00', upgrade: '#009e73', none: '#999999' } as const;

/** Coordination (dig once, issue 14): a work's or community's timing against the renovation; Okabe–Ito hues. */
export const TIMING_COLORS = { conflict: '#d55e00', unknown: '#e69f00', integrated: '#009e73', later: '#56b4e9', none: '#8c8c8c' } as const;
/** The walking network plan (慢行系统): new links by kind and closed segments (NetworkLayer). */
export const NETWORK_COLORS = { footpath: '#009e73', crossing: '#0072b2', bridge: '#cc79a7', closure: '#d55e00' } as const;
/** The network check's findings (NetCheckLayer). */
export const NETCHECK_COLORS = { nearMiss: '#d55e00', crossing: '#e69f00', deadEnd: '#56b4e9', part: '#882255' } as const;

/**
 * Spare sites (存量资源): idle rooms (floor area) wine, spare plots (land area) bluish green (Tol / Okabe–Ito hues);
 * sites left out by the area check of a suggestion grey.
 */
export const SPARE_SITE_COLORS = { floor: '#882255', land: '#009e73', excluded: '#8c8c8c' } as const;
/**
 * Post-evaluation reward classes (后评估): ordinal, ColorBrewer RdYlBu at the accessibility ramp's positions
 * (excellent blue … fail red, the pale middle skipped); incomplete dark grey; not evaluated light grey.
 */
export const REWARD_COLORS = (() => {
  const [excellent, good, pass, fail] = pick(interpolateRdYlBu, [0.95, 0.78, 0.3, 0.04]);
  return { excellent, good, pass, fail, incomplete: '#6b6b6b', none: '#b5b5b5' } as const;
})();
/**
 * Every palette a map theme uses, as data, for the colour test (colors.test.ts) and for outputs that render
 * from the same themes. 'ordinal': neighbouring classes must stay apart; 'categorical': every pair must.
 */
export interface PaletteSpec {
  name: string;
  kind: 'ordinal' | 'categorical';
  colors: readonly string[];
}
export const PALETTES: readonly PaletteSpec[] = [
  { name: 'build year', kind: 'ordinal', colors: BUILD_YEAR_CLASSES.colors },
  { name: 'households', kind: 'ordinal', colors: HOUSEHOLD_CLASSES.colors },
  { name: 'score', kind: 'ordinal', colors: SCORE_CLASSES.colors },
  { name: 'mandatory categories lacking', kind: 'ordinal', colors: LACKING_CLASSES.colors },
  { name: 'workflow stage', kind: 'ordinal', colors: STAGE_PHASES.flat().map((s) => STAGE_COLORS[s]) },
  { name: 'accessibility surface', kind: 'ordinal', colors: [...ACCESS_COLORS, ACCESS_UNREACHABLE] },
  { name: 'one category met/unmet', kind: 'categorical', colors: [MET_COLORS.met, MET_COLORS.unmet, MET_COLORS.unreachable] },
  { name: 'bundles', kind: 'categorical', colors: [...BUNDLE_COLORS, UNBUNDLED_COLOR] },
  { name: 'sub-districts', kind: 'categorical', colors: [...Object.values(STREET_COLORS), OTHER_COLOR] },
  { name: 'batch year', kind: 'categorical', colors: Object.values(BATCH_COLORS) },
  { name: 'pool', kind: 'categorical', colors: Object.values(POOL_COLORS) },
  { name: 'investment per household', kind: 'ordinal', colors: INVESTMENT_PER_HH_CLASSES.colors },
  { name: 'content class mix', kind: 'categorical', colors: Object.values(CONTENT_CLASS_COLORS) },
  { name: 'spare sites', kind: 'categorical', colors: [SPARE_SITE_COLORS.floor, SPARE_SITE_COLORS.land, SPARE_SITE_COLORS.excluded] },
  { name: 'post-evaluation class', kind: 'ordinal', colors: [REWARD_COLORS.excellent, REWARD_COLORS.good, REWARD_COLORS.pass, REWARD_COLORS.fail, REWARD_COLORS.incomplete] },
  { name: 'works timing', kind: 'categorical', colors: Object.values(TIMING_COLORS) },
  { name: 'walking network plan', kind: 'categorical', colors: Object.values(NETWORK_COLORS) },
  { name: 'network check', kind: 'categorical', colors: Object.values(NETCHECK_COLORS) },
];
/** The map's background colours every theme colour must stand out from. */
export const BACKGROUNDS: readonly string[] = [MAP_COLORS.background, MAP_COLORS.focusDistrict];

