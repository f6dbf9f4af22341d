/**
 * Where the presentation reads other features' results. It never recomputes an analysis: it reads the
 * state modules of the life-circle (coverage), bundling and project-pool features and reports `null`
 * while a feature has no result yet (coverage not run, no bundle plan), so the header, charts and report
 * say "not available" rather than inventing numbers.
 */
import { app } from '../state/app.svelte';
import type { FacilityCategoryCode } from '../domain/types';
import { DEFAULT_COST_PARAMS, fundProject, NINGBO_2022_CNY_PER_M2, sumSplits, type FundingSplit } from '../analysis/funding';
import { content, costContext } from '../state/content.svelte';
import { BUNDLE_METHOD } from '../analysis/bundle';
import { BUNDLE_OPT_METHOD } from '../analysis/bundle-opt';
import { coverage } from '../state/coverage.svelte';
import { bundles } from '../state/bundles.svelte';
import { pool } from '../state/pool.svelte';
import type { FundingParts } from './chartData';
import { bundleName } from './tender';
import type { InvestmentBasis } from './reportTables';

function basisOf(members: readonly string[]): InvestmentBasis {
  const m = content.investmentOfMany(members);
  return m.estimated === 0 ? 'items' : m.itemBased === 0 ? 'estimate' : 'mixed';
}

// ---- project pool (src/lib/state/pool.svelte.ts): always loaded (it holds the user's record edits) ----
export function poolState(): typeof pool {
  return pool;
}

// ---- life-circle coverage (src/lib/state/coverage.svelte.ts) ----
export interface CoverageFigureLike {
  category: FacilityCategoryCode;
  mandatory: boolean;
  threshold: number;
  communityShare: number;
  residentShare: number;
}
export interface CoverageRowLike {
  id: string;
  name: string;
  street: string;
  lacking: string[];
  complete: boolean;
  byCategory: { category: string; distance: number | null; threshold: number; met: boolean }[];
}
export interface CoverageSummary {
  standard: string;
  params: string;
  figures: CoverageFigureLike[];
  rows: CoverageRowLike[];
  completeShare: number;
  residentCompleteShare: number | null;
}

export function coverageSummary(): CoverageSummary | null {
  return readCoverage(coverage);
}

// ---- bundles (src/lib/state/bundles.svelte.ts) ----
export interface BundleRowLike {
  id: string;
  label: string;
  street: string;
  members: string[];
  households: number;
  floor_area_m2: number;
  investmentCny: number | null;
  /** item-based (every member has a content plan), the floor-area estimate, or both */
  investmentBasis: InvestmentBasis;
  lacking: string[];
  funding?: FundingParts;
}
export interface BundlesSummary {
  params: string;
  method: string;
  rows: BundleRowLike[];
  unbundled: number;
  funding: { cityCny: number; districtFiscalCny: number; ownersCny: number; outsideBaseCny: number; totalCny: number } | null;
}

export function bundlesSummary(): BundlesSummary | null {
  return readBundles(bundles);
}

// Adapters are kept apart so the structural reads are in one place per feature.
function readCoverage(cov: typeof coverage): CoverageSummary | null {
  const r = cov.result;
  const std = cov.standard;
  if (!r) return null;
  const p = r.params;
  const zh = app.lang === 'zh';
  const modeName: Record<string, [string, string]> = {
    network: ['步行路网距离', 'network walking distance'],
    straight: ['直线距离×绕行系数', 'straight line × detour factor'],
    buffer: ['直线缓冲区', 'straight-line buffer'],
  };
  const proposals = cov.proposals.length;
  const parts = [
    `${zh ? '5/10/15分钟' : '5/10/15 min'}: ${p.tierDistanceM[5]}/${p.tierDistanceM[10]}/${p.tierDistanceM[15]} m`,
    (modeName[r.mode] ?? [r.mode, r.mode])[zh ? 0 : 1] + (r.mode === 'straight' ? ` ${p.detourFactor}` : ''),
    `${p.walkSpeedMPerMin} m/min`,
  ];
  if (r.fallback) parts.push(zh ? '无路网,改用直线距离' : 'no road network: straight line used');
  if (proposals) parts.push(zh ? `含 ${proposals} 处拟建设施` : `includes ${proposals} proposed facilities`);
  return {
    standard: zh ? std.zh : std.en,
    params: parts.join(' · '),
    figures: r.figures.perCategory.map((f) => ({
      category: f.category,
      mandatory: f.mandatory,
      threshold: f.threshold,
      communityShare: f.communityShare,
      residentShare: f.residentShare,
    })),
    rows: r.communities,
    completeShare: r.figures.completeShare,
    residentCompleteShare: r.figures.residentShare,
  };
}
function readBundles(b: typeof bundles): BundlesSummary | null {
  const plan = b.plan;
  const metrics = b.metrics;
  const costs = b.costParams;
  if (!plan || !metrics) return null;
  const zh = app.lang === 'zh';
  const o = plan.options;
  const parts: string[] = [];
  const measureWord = plan.measure === 'walking' ? (zh ? '沿道路步行' : 'walking on roads') : zh ? '直线' : 'straight line';
  parts.push(`${zh ? '间距' : 'gap'} ≤ ${String(o.maxGapM)} m (${measureWord})`);
  if (o.sameStreet) parts.push(zh ? '同一街道' : 'same sub-district');
  if (o.sameBatchYear) parts.push(zh ? '同一批次' : 'same batch year');
  const measures: Record<string, [string, string]> = {
    households: ['户数', 'households'],
    floor_area_m2: ['建筑面积 m²', 'floor area m²'],
    investment: ['投资 元', 'investment CNY'],
  };
  const measure = (measures[String(o.sizeMeasure)] ?? [String(o.sizeMeasure), String(o.sizeMeasure)])[zh ? 0 : 1];
  if (o.maxSize != null) parts.push(`${measure} ≤ ${String(o.maxSize)}`);
  if (o.minSize != null) parts.push(`${measure} ≥ ${String(o.minSize)}`);
  parts.push(`${zh ? '每片最多' : 'max'} ${String(o.maxCommunities)} ${zh ? '个小区' : 'communities'}`);
  if (typeof o.maxSpanM === 'number') parts.push(`${zh ? '跨度' : 'span'} ≤ ${o.maxSpanM} m`);
  if (plan.usedGaps) parts.push(zh ? '优先共缺设施' : 'shared gaps preferred');
  if (plan.edits) parts.push(zh ? `手工调整 ${plan.edits} 次` : `${plan.edits} hand edits`);
  if (costs && typeof costs.unitCostCnyPerM2 === 'number') parts.push(`${costs.unitCostCnyPerM2} ${zh ? '元/m²' : 'CNY/m²'}`);
  const street = (id: string) => app.communityById.get(id)?.properties.street ?? '';
  const rows = metrics.map((m) => ({
    id: m.id,
    label: bundleName(m.id),
    street: [...new Set(m.members.map(street))].join('/'),
    members: m.members,
    households: m.households,
    floor_area_m2: m.floorAreaM2,
    investmentCny: m.funding.totalCny,
    investmentBasis: basisOf(m.members),
    lacking: m.lackingAll,
    funding: partsOf(m.funding),
  }));
  return {
    params: parts.join(' · '),
    method: plan.quality ? BUNDLE_OPT_METHOD : BUNDLE_METHOD,
    rows,
    unbundled: plan.unbundled.length,
    funding: metrics.length ? partsOf(sumSplits(metrics.map((m) => m.funding))) : null,
  };
}

// ---- progress ----
export type StageGroup = 'notStarted' | 'construction' | 'completed';
export const STAGE_GROUPS: StageGroup[] = ['completed', 'construction', 'notStarted'];

/** Stage counts per street, from the pool feature (the user's stage edits included). */
export function progressByStreet(): { source: 'pool'; rows: { street: string; counts: Record<StageGroup, number> }[] } {
  const rows = Object.entries(pool.progress.byStreet).map(([street, c]) => ({
    street,
    counts: { completed: c.completed, construction: c.started - c.completed, notStarted: c.total - c.started },
  }));
  return { source: 'pool', rows };
}

export function districtProgress(): { started: number; completed: number; target: number; source: 'pool' } | null {
  if (app.dataset.communities.length === 0) return null;
  const d = pool.progress.district;
  return { started: d.started, completed: d.completed, target: d.target, source: 'pool' };
}

// ---- funding ----

export function partsOf(s: FundingSplit): FundingParts & { totalCny: number } {
  return { cityCny: s.cityCny, districtFiscalCny: s.district.fiscalCny, ownersCny: s.owners.fundsCny, outsideBaseCny: s.outsideBase.totalCny, totalCny: s.totalCny };
}

/**
 * The funding split: per bundle from the bundling feature when it has a plan (its cost parameters),
 * otherwise the whole programme through the plan's funding rules (analysis/funding.ts) at the default
 * Ningbo 2022 unit cost — said in `note` so the chart is never mistaken for a bundle result.
 */
export function fundingItems(lang: 'zh' | 'en'): { items: { label: string; funding: FundingParts }[]; note: string } | null {
  const b = bundlesSummary();
  if (b?.funding && b.rows.length) {
    const all = { label: lang === 'zh' ? `全部 ${b.rows.length} 个片区` : `All ${b.rows.length} areas`, funding: b.funding };
    // one bar per area while that stays readable on a projector
    const per = b.rows.length <= 10 ? b.rows.flatMap((r) => (r.funding ? [{ label: r.label, funding: r.funding }] : [])) : [];
    return { items: [all, ...per], note: b.params };
  }
  const records = app.records;
  if (records.length === 0) return null;
  const split = fundProject(records, costContext(DEFAULT_COST_PARAMS));
  const planned = Object.keys(content.planned).length;
  return {
    items: [{ label: lang === 'zh' ? `全区 ${records.length} 个小区` : `All ${records.length} communities`, funding: partsOf(split) }],
    note:
      lang === 'zh'
        ? `按《行动方案》资金规则: ${planned} 个小区按改造内容清单计, 其余按默认单价 ${NINGBO_2022_CNY_PER_M2} 元/m² 估算`
        : `Plan funding rules: ${planned} communities from their content plans, the rest estimated at ${NINGBO_2022_CNY_PER_M2} CNY/m²`,
  };
}
