/**
 * Why a community is in no bundle (issue 10): one computed reason per unbundled community, from the same
 * adjacency and the same constraint check (bundle-metrics `checkBundle`) the bundling uses, so the reason
 * is the rule that actually stopped it, not a guess.
 *
 * In the order they are tested (the first that applies is the reason):
 *  1. no neighbour at all within the gap limit: because the close ones are across a barrier (river, canal,
 *     rail, expressway), or not within the limit on foot, or there is simply nobody within the limit;
 *  2. neighbours, but none in the same 街道 (when bundles stay inside one 街道), or the same batch year;
 *  3. every admissible neighbour's bundle (or the neighbour alone, if it is unbundled too) would break a
 *     limit when joined: size, number of communities, span, or stay below the minimum size;
 *  4. otherwise it could join one, and the plan leaves it out (a hand edit or the optimiser's trade-off).
 *
 * Pure: no DOM, no map, no Svelte.
 */
import type { BarrierKind } from '../domain/types';
import type { BundlePlan } from './bundle';
import { checkBundle, type MetricsContext, type Violation } from './bundle-metrics';

/** a broken limit: which, the limit, the value joining would reach, and (size limits) the size measure */
export type LimitViolation = Violation & { kind: 'max-size' | 'min-size' | 'max-communities' | 'max-span'; limit: number; value: number };

export type UnbundledReason =
  | { kind: 'isolated'; maxGapM: number }
  | { kind: 'barrier'; maxGapM: number; barrierKinds: BarrierKind[]; neighbours: string[] }
  | { kind: 'walk'; maxGapM: number; neighbours: string[] }
  | { kind: 'street'; maxGapM: number; neighbours: string[]; streets: string[] }
  | { kind: 'batch-year'; maxGapM: number; neighbours: string[] }
  /** joining `bundle` (or the unbundled neighbour `with`) would break `violation` */
  | { kind: 'limit'; bundle: string | null; with: string[]; violation: LimitViolation }
  /** it could join `bundle` (or pair with the unbundled neighbour `with`) within every constraint */
  | { kind: 'left-out'; bundle: string | null; with: string[] };

const LIMIT_KINDS = new Set<Violation['kind']>(['max-size', 'max-communities', 'max-span', 'min-size']);
const isLimit = (v: Violation): v is LimitViolation => LIMIT_KINDS.has(v.kind);

/** The reason for every community of `plan.unbundled`, by id. */
export function unbundledReasons(plan: Pick<BundlePlan, 'bundles' | 'unbundled'>, ctx: MetricsContext): Record<string, UnbundledReason> {
  const adj = ctx.adjacency;
  const pos = new Map(adj.ids.map((id, i) => [id, i] as const));
  const bundleOf = new Map<string, { id: string; members: string[] }>();
  for (const b of plan.bundles) for (const m of b.members) bundleOf.set(m, b);
  const out: Record<string, UnbundledReason> = {};
  for (const id of plan.unbundled) {
    const i = pos.get(id);
    const me = ctx.byId.get(id);
    if (i === undefined || !me) continue;
    out[id] = reasonFor(id, i, ctx, bundleOf);
  }
  return out;
}

function reasonFor(id: string, i: number, ctx: MetricsContext, bundleOf: Map<string, { id: string; members: string[] }>): UnbundledReason {
  const adj = ctx.adjacency;
  const o = ctx.options;
  const maxGapM = adj.maxGapM;
  const me = ctx.byId.get(id)!.properties;
  const nbrs = adj.neighbours[i].map((j) => adj.ids[j]);
  if (nbrs.length === 0) {
    const blocked = adj.blocked.filter((b) => b.a === id || b.b === id);
    const other = (b: { a: string; b: string }) => (b.a === id ? b.b : b.a);
    const byBarrier = blocked.filter((b) => b.reason === 'barrier');
    if (byBarrier.length)
      return {
        kind: 'barrier',
        maxGapM,
        barrierKinds: [...new Set(byBarrier.map((b) => b.barrierKind!).filter(Boolean))].sort(),
        neighbours: [...new Set(byBarrier.map(other))].sort(),
      };
    if (blocked.length) return { kind: 'walk', maxGapM, neighbours: [...new Set(blocked.map(other))].sort() };
    return { kind: 'isolated', maxGapM };
  }
  let cands = nbrs;
  if (o.sameStreet) {
    cands = cands.filter((n) => ctx.byId.get(n)?.properties.street === me.street);
    if (!cands.length)
      return { kind: 'street', maxGapM, neighbours: [...nbrs].sort(), streets: [...new Set(nbrs.map((n) => ctx.byId.get(n)!.properties.street))].sort() };
  }
  if (o.sameBatchYear) {
    cands = cands.filter((n) => ctx.byId.get(n)?.properties.batch_year === me.batch_year);
    if (!cands.length) return { kind: 'batch-year', maxGapM, neighbours: [...nbrs].sort() };
  }
  // each admissible neighbour's group: its bundle, or itself when it is unbundled too (deduplicated, in id order)
  const groups = new Map<string, { bundle: string | null; members: string[] }>();
  for (const n of [...cands].sort()) {
    const b = bundleOf.get(n);
    const key = b ? `b:${b.id}` : `c:${n}`;
    if (!groups.has(key)) groups.set(key, b ? { bundle: b.id, members: b.members } : { bundle: null, members: [n] });
  }
  let first: { bundle: string | null; with: string[]; violation: LimitViolation } | null = null;
  for (const g of groups.values()) {
    const limits = checkBundle([...g.members, id].sort(), ctx).filter(isLimit);
    if (!limits.length) return { kind: 'left-out', bundle: g.bundle, with: g.bundle ? [] : g.members };
    if (!first) first = { bundle: g.bundle, with: g.bundle ? [] : g.members, violation: limits[0] };
  }
  return { kind: 'limit', ...first! };
}
