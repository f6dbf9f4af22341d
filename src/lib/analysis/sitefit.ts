/**
 * Which spare sites (存量资源) are big enough for a facility category: the area check that limits the
 * suggested-sites analysis (siting.ts) to idle rooms and spare plots that fit the standard's minimum size.
 *
 * Rules (the minimum sizes come from the standards, domain/spare-sites.ts FACILITY_MIN_SIZES):
 *  - area unknown → excluded ('area_unknown'): a missing area never passes a minimum;
 *  - the category has no minimum in the standards → kept, the area not checked ('no_minimum');
 *  - the category has a LAND minimum (kindergarten ≥ 3,500 m² land, outdoor grounds): it needs a plot;
 *    idle rooms are excluded ('needs_land'); plots are compared with the land minimum;
 *  - only a FLOOR minimum: idle rooms are compared with it by floor area; plots by land area, read as the
 *    footprint of a one-storey building (an assumption, stated as measure 'floor-on-land');
 *  - below the minimum → excluded ('too_small').
 * Complexity: O(S) for S sites.
 */
import { FACILITY_MIN_SIZES, SPARE_SITE_KIND_INFO, type MinSize, type SpareSiteKind } from '../domain/spare-sites';

export interface SiteForFit {
  id: string;
  kind: SpareSiteKind;
  area_m2: number | null;
}

export type FitReason = 'fits' | 'no_minimum' | 'area_unknown' | 'needs_land' | 'too_small';

export interface SiteFit {
  id: string;
  fits: boolean;
  reason: FitReason;
  /** the minimum the site was compared with (null: none applies) */
  rule: MinSize | null;
  /** how the site's area was read against the rule */
  measure: 'floor' | 'land' | 'floor-on-land' | null;
  areaM2: number | null;
}

export interface FitResult {
  category: string;
  /** the minima of the category in the standards (empty: no minimum known) */
  minima: readonly MinSize[];
  fits: SiteFit[];
  kept: string[];
  excluded: SiteFit[];
}

/** The minimum sizes of one category (land first). */
export function minimaOf(category: string, sizes: readonly MinSize[] = FACILITY_MIN_SIZES): MinSize[] {
  return sizes.filter((m) => m.category === category).sort((a, b) => (a.measure === b.measure ? 0 : a.measure === 'land' ? -1 : 1));
}

/** Check one site against a category's minima. */
export function fitSite(site: SiteForFit, minima: readonly MinSize[]): SiteFit {
  const area = site.area_m2 !== null && Number.isFinite(site.area_m2) && site.area_m2 >= 0 ? site.area_m2 : null;
  const base = { id: site.id, areaM2: area };
  if (minima.length === 0) return { ...base, fits: true, reason: 'no_minimum', rule: null, measure: null };
  const siteMeasure = SPARE_SITE_KIND_INFO[site.kind].measure;
  const land = minima.find((m) => m.measure === 'land');
  const floor = minima.find((m) => m.measure === 'floor');
  if (land && siteMeasure === 'floor') return { ...base, fits: false, reason: 'needs_land', rule: land, measure: 'floor' };
  const rule = land ?? floor!;
  const measure = land ? 'land' : siteMeasure === 'floor' ? 'floor' : 'floor-on-land';
  if (area === null) return { ...base, fits: false, reason: 'area_unknown', rule, measure };
  return area >= rule.minM2 ? { ...base, fits: true, reason: 'fits', rule, measure } : { ...base, fits: false, reason: 'too_small', rule, measure };
}

/** Check every site against the category's minima; `kept` keeps the input order. Inputs are not mutated. */
export function fitSites(sites: readonly SiteForFit[], category: string, sizes: readonly MinSize[] = FACILITY_MIN_SIZES): FitResult {
  const minima = minimaOf(category, sizes);
  const fits = sites.map((s) => fitSite(s, minima));
  return { category, minima, fits, kept: fits.filter((f) => f.fits).map((f) => f.id), excluded: fits.filter((f) => !f.fits) };
}
