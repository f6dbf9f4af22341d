/**
 * Figures and constraint checks for bundles: size (households, buildings, floor area, residents),
 * estimated investment with the plan's funding split (funding.ts), the facilities the bundle lacks
 * (in every member / in any member), compactness (Polsby–Popper of the outline) and the constraints a
 * bundle breaks, each with the limit and by how much. Used to warn — not forbid — after manual edits,
 * and to compare scenarios.
 *
 * Complexity: O(k²) per bundle of k members (span), O(k·v) contiguity; O(n) over a plan.
 * Pure: no DOM, no map; callable from a worker.
 */
import { dsatur } from './colouring';
import type { CommunityFeature } from '../domain/types';
import { componentsOf, projectCommunities, type Adjacency } from './adjacency';
import { communitySize, resolveBundleOptions, type Bundle, type BundleOptions, type ResolvedBundleOptions, type SizeMeasure } from './bundle';
import { shapeCentroid, type Pt } from './bundle-geom';
import { fundProject, sumSplits, type CostContext, type FundingSplit } from './funding';

export type ViolationKind =
  | 'contiguity'
  | 'street'
  | 'batch-year'
  | 'max-size'
  | 'min-size'
  | 'max-communities'
  | 'min-communities'
  | 'max-span'
  | 'owners-minimum';

export interface Violation {
  kind: ViolationKind;
  /** the limit that is broken (size in the size measure, count, metres, CNY) */
  limit?: number;
  /** the bundle's value */
  value?: number;
  /** by how much the limit is exceeded (or missed), in the same unit */
  by?: number;
  /** which size measure (size violations) */
  measure?: SizeMeasure;
  /** contiguity: the separate parts; street / batch-year: the distinct values */
  parts?: string[][];
  values?: (string | number | null)[];
}

export interface BundleMetrics {
  id: string;
  members: string[];
  communities: number;
  households: number;
  buildings: number;
  floorAreaM2: number;
  residents: number;
  /** size under the plan's size measure */
  size: number;
  funding: FundingSplit;
  /** categories missing in every member (one new facility could serve all) */
  lackingAll: string[];
  /** categories missing in at least one member */
  lackingAny: string[];
  /** largest distance between two members' centroids, m */
  spanM: number;
  /** Polsby–Popper of the outline when given, else null */
  compactness: number | null;
  streets: string[];
  violations: Violation[];
}

export interface MetricsContext {
  byId: Map<string, CommunityFeature>;
  centroid: Map<string, Pt>;
  adjacency: Adjacency;
  options: ResolvedBundleOptions;
  costParams: CostContext;
  gaps?: Readonly<Record<string, readonly string[]>>;
}

export function metricsContext(
  communities: readonly CommunityFeature[],
  adjacency: Adjacency,
  options: BundleOptions | ResolvedBundleOptions = {},
  extra: { costParams?: CostContext; gaps?: Readonly<Record<string, readonly string[]>> } = {},
): MetricsContext {
  const o = 'usesGaps' in options ? options : resolveBundleOptions(options);
  const { shapes } = projectCommunities(communities);
  const centroid = new Map<string, Pt>();
  communities.forEach((c, i) => centroid.set(c.properties.id, shapeCentroid(shapes[i])));
  return {
    byId: new Map(communities.map((c) => [c.properties.id, c] as const)),
    centroid,
    adjacency,
    options: o,
    costParams: extra.costParams ?? o.costParams,
    gaps: extra.gaps,
  };
}

/** Constraint violations of one group of communities under the plan's options. */
export function checkBundle(members: readonly string[], ctx: MetricsContext, funding?: FundingSplit): Violation[] {
  const o = ctx.options;
  const out: Violation[] = [];
  const recs = members.map((id) => {
    const c = ctx.byId.get(id);
    if (!c) throw new Error(`bundle metrics: unknown community "${id}"`);
    return c;
  });
  if (members.length < 2) out.push({ kind: 'min-communities', limit: 2, value: members.length, by: 2 - members.length });
  if (members.length > o.maxCommunities)
    out.push({ kind: 'max-communities', limit: o.maxCommunities, value: members.length, by: members.length - o.maxCommunities });
  const parts = componentsOf(ctx.adjacency, members);
  if (parts.length > 1) out.push({ kind: 'contiguity', parts, value: parts.length });
  const streets = [...new Set(recs.map((c) => c.properties.street))].sort();
  if (o.sameStreet && streets.length > 1) out.push({ kind: 'street', values: streets });
  if (o.sameBatchYear) {
    const years = [...new Set(recs.map((c) => c.properties.batch_year))].sort();
    if (years.length > 1) out.push({ kind: 'batch-year', values: years });
  }
  const size = recs.reduce((s, c) => s + communitySize(c, o.sizeMeasure, ctx.costParams), 0);
  if (o.maxSize !== null && size > o.maxSize)
    out.push({ kind: 'max-size', measure: o.sizeMeasure, limit: o.maxSize, value: size, by: size - o.maxSize });
  if (o.minSize !== null && size < o.minSize)
    out.push({ kind: 'min-size', measure: o.sizeMeasure, limit: o.minSize, value: size, by: o.minSize - size });
  const span = spanOf(members, ctx);
  if (span > o.maxSpanM) out.push({ kind: 'max-span', limit: o.maxSpanM, value: Math.round(span), by: Math.round(span - o.maxSpanM) });
  if (funding && !funding.owners.meetsMinimum)
    out.push({
      kind: 'owners-minimum',
      limit: funding.owners.requiredMinCny,
      value: funding.owners.fundsCny,
      by: funding.owners.shortfallCny,
    });
  return out;
}

function spanOf(members: readonly string[], ctx: MetricsContext): number {
  let s = 0;
  for (let i = 0; i < members.length; i++)
    for (let j = i + 1; j < members.length; j++) {
      const a = ctx.centroid.get(members[i])!,
        b = ctx.centroid.get(members[j])!;
      s = Math.max(s, Math.hypot(a[0] - b[0], a[1] - b[1]));
    }
  return s;
}

export function bundleMetrics(bundle: Bundle, ctx: MetricsContext, compactness: number | null = null): BundleMetrics {
  const recs = bundle.members.map((id) => {
    const c = ctx.byId.get(id);
    if (!c) throw new Error(`bundle metrics: bundle ${bundle.id} names unknown community "${id}"`);
    return c.properties;
  });
  const sum = (f: (p: (typeof recs)[number]) => number) => recs.reduce((s, p) => s + f(p), 0);
  const funding = fundProject(recs, ctx.costParams);
  let lackingAll: string[] = [];
  let lackingAny: string[] = [];
  if (ctx.gaps) {
    const sets = bundle.members.map((id) => new Set(ctx.gaps![id] ?? []));
    const any = new Set<string>();
    for (const s of sets) for (const g of s) any.add(g);
    lackingAny = [...any].sort();
    lackingAll = lackingAny.filter((g) => sets.every((s) => s.has(g)));
  }
  return {
    id: bundle.id,
    members: [...bundle.members],
    communities: recs.length,
    households: sum((p) => p.households),
    buildings: sum((p) => p.buildings),
    floorAreaM2: sum((p) => p.floor_area_m2),
    residents: sum((p) => p.residents),
    size: bundle.members.reduce((s, id) => s + communitySize(ctx.byId.get(id)!, ctx.options.sizeMeasure, ctx.costParams), 0),
    funding,
    lackingAll,
    lackingAny,
    spanM: Math.round(spanOf(bundle.members, ctx)),
    compactness,
    streets: [...new Set(recs.map((p) => p.street))].sort(),
    violations: checkBundle(bundle.members, ctx, funding),
  };
}

/** One line of a scenario comparison. */
export interface PlanSummary {
  bundles: number;
  bundledCommunities: number;
  unbundledCommunities: number;
  meanCommunities: number;
  households: { min: number; mean: number; max: number };
  /** mean Polsby–Popper over bundles with an outline, null if none */
  meanCompactness: number | null;
  /** bundles breaking at least one of the user's constraints (not counting the owners' 5%), and violations by kind */
  bundlesWithViolations: number;
  /** bundles whose owners contribute less than 5% of the total (a funding warning, from the plan's rules) */
  bundlesBelowOwnersMinimum: number;
  violationsByKind: Partial<Record<ViolationKind, number>>;
  funding: FundingSplit;
}

export function summarisePlan(metrics: readonly BundleMetrics[], totalCommunities: number): PlanSummary {
  const hh = metrics.map((m) => m.households);
  const bundled = metrics.reduce((s, m) => s + m.communities, 0);
  const comp = metrics.map((m) => m.compactness).filter((c): c is number => c !== null);
  const byKind: Partial<Record<ViolationKind, number>> = {};
  for (const m of metrics) for (const v of m.violations) byKind[v.kind] = (byKind[v.kind] ?? 0) + 1;
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    bundles: metrics.length,
    bundledCommunities: bundled,
    unbundledCommunities: totalCommunities - bundled,
    meanCommunities: metrics.length ? r3(bundled / metrics.length) : 0,
    households: {
      min: hh.length ? Math.min(...hh) : 0,
      mean: hh.length ? Math.round(hh.reduce((a, b) => a + b, 0) / hh.length) : 0,
      max: hh.length ? Math.max(...hh) : 0,
    },
    meanCompactness: comp.length ? r3(comp.reduce((a, b) => a + b, 0) / comp.length) : null,
    bundlesWithViolations: metrics.filter((m) => m.violations.some((v) => v.kind !== 'owners-minimum')).length,
    bundlesBelowOwnersMinimum: metrics.filter((m) => m.violations.some((v) => v.kind === 'owners-minimum')).length,
    violationsByKind: byKind,
    funding: sumSplits(metrics.map((m) => m.funding)),
  };
}

/**
 * Colour index per bundle such that touching bundles (an adjacency edge between members) and, with `near`,
 * nearby bundles (member centroids within `withinM`) never share a colour when the palette allows: DSATUR
 * colouring of the bundle neighbour graph (colouring.ts). O(B² · members² ) for `near`, fine at tens of bundles.
 */
export function colourBundles(
  bundles: readonly Bundle[],
  adj: Adjacency,
  paletteSize: number,
  near?: { centroid: ReadonlyMap<string, readonly [number, number]>; withinM: number },
): Record<string, number> {
  const of = new Map<string, string>();
  for (const b of bundles) for (const m of b.members) of.set(m, b.id);
  const touching = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    (touching.get(a) ?? touching.set(a, new Set()).get(a)!).add(b);
    (touching.get(b) ?? touching.set(b, new Set()).get(b)!).add(a);
  };
  for (const e of adj.edges) {
    const a = of.get(e.a),
      b = of.get(e.b);
    if (!a || !b || a === b) continue;
    link(a, b);
  }
  // "neighbouring" too: bundles with members whose centroids (projected metres) lie within `withinM`
  if (near) {
    const pts = bundles.map((b) => b.members.map((m) => near.centroid.get(m)).filter((c): c is readonly [number, number] => !!c));
    for (let i = 0; i < bundles.length; i++)
      for (let j = i + 1; j < bundles.length; j++)
        if (pts[i].some((p) => pts[j].some((q) => Math.hypot(p[0] - q[0], p[1] - q[1]) <= near.withinM))) link(bundles[i].id, bundles[j].id);
  }
  return dsatur(
    bundles.map((b) => b.id),
    touching,
    paletteSize,
    { balance: true },
  ).colour;
}
