/**
 * Rows for the four presentation charts, from results other features computed (passed in; nothing is
 * recomputed here). Colours come from src/lib/map/colors.ts so a chart reads like the map.
 */
import { CATEGORY_COLORS, FUNDING_COLORS, INELIGIBLE_COLOR, PROGRESS_GROUP_COLORS, SCORE_CLASSES, classOf } from '../map/colors';
import type { FacilityCategoryCode } from '../domain/types';
import { histogram, type BarRow } from './chartLayout';

export type Label = (key: string) => string;

export function coverageRows(
  figures: readonly { category: FacilityCategoryCode; mandatory: boolean; communityShare: number }[],
  categoryName: (c: FacilityCategoryCode) => string,
): BarRow[] {
  // mandatory categories first, then by share ascending so the worst gaps lead
  return [...figures]
    .sort((a, b) => Number(b.mandatory) - Number(a.mandatory) || a.communityShare - b.communityShare)
    .map((f) => ({
      label: `${f.mandatory ? '▲' : '△'} ${categoryName(f.category)}`,
      segments: [{ key: f.category, label: categoryName(f.category), value: f.communityShare, color: CATEGORY_COLORS[f.category] ?? '#555' }],
    }));
}

export type StageGroupCounts = { completed: number; construction: number; notStarted: number };

export function progressRows(rows: readonly { street: string; counts: StageGroupCounts }[], streetName: (s: string) => string, L: Label): BarRow[] {
  const groups = ['completed', 'construction', 'notStarted'] as const;
  return rows.map((r) => ({
    label: streetName(r.street),
    segments: groups.map((g) => ({ key: g, label: L(`present.stage.${g}`), value: r.counts[g], color: PROGRESS_GROUP_COLORS[g] })),
  }));
}

export interface FundingParts {
  cityCny: number;
  districtFiscalCny: number;
  ownersCny: number;
  outsideBaseCny: number;
}

/** One stacked bar per bundle (or one for the district) in 万元 (10,000 CNY). */
export function fundingRows(items: readonly { label: string; funding: FundingParts }[], L: Label): BarRow[] {
  const wan = (x: number) => Math.round(x / 1000) / 10;
  return items.map((it) => ({
    label: it.label,
    segments: [
      { key: 'city', label: L('present.funding.city'), value: wan(it.funding.cityCny), color: FUNDING_COLORS.city },
      { key: 'district', label: L('present.funding.district'), value: wan(it.funding.districtFiscalCny), color: FUNDING_COLORS.district },
      { key: 'owners', label: L('present.funding.owners'), value: wan(it.funding.ownersCny), color: FUNDING_COLORS.owners },
      { key: 'outside', label: L('present.funding.outside'), value: wan(it.funding.outsideBaseCny), color: FUNDING_COLORS.outside },
    ],
  }));
}

/**
 * Score bands of `width` points ([lo, lo+width), the last band closed), each split into eligible and
 * ineligible communities; highest band first. Eligible bars take the map's score-class colour of the band,
 * ineligible ones the map's grey, so the chart and the scoring map read alike.
 */
export function scoreRows(ranking: readonly { total: number; eligible: boolean }[], width: number, L: Label): BarRow[] {
  const bands = histogram(
    ranking.map((r) => r.total),
    width,
  );
  if (bands.length === 0) return [];
  const min = bands[0].lo;
  const eligible = bands.map(() => 0);
  for (const r of ranking) if (r.eligible) eligible[Math.min(bands.length - 1, Math.floor((r.total - min) / width))]++;
  return bands
    .map((b, i) => ({
      label: `${b.lo}–${b.hi}`,
      segments: [
        { key: 'eligible', label: L('present.col.eligible') + ': ' + L('present.yes'), value: eligible[i], color: SCORE_CLASSES.colors[classOf(b.lo + width / 2, SCORE_CLASSES)] },
        { key: 'ineligible', label: L('present.col.eligible') + ': ' + L('present.no'), value: b.count - eligible[i], color: INELIGIBLE_COLOR },
      ],
    }))
    .reverse();
}
