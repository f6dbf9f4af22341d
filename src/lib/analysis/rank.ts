/**
 * Ranking of scored communities (按评分标准计分排序) and movers between two rankings.
 *
 * Order (the documented tie-break rule, applied in this sequence):
 *   1. eligible projects before ineligible ones (a failed gate cannot be outranked into the plan);
 *   2. total points, descending;
 *   3. build year, ascending (older estates first: the national rule prioritises pre-2000 stock; an unknown
 *      build year comes after every known one, never first);
 *   4. households, descending (more residents benefit);
 *   5. community id, ascending (stable and reproducible).
 * Every community gets a distinct rank 1..N, so a ranking is a total order and reruns are identical.
 *
 * Complexity: O(N log N).
 */
import type { CommunityProps } from '../domain/types';
import type { CommunityScore } from './score';

export interface Ranked extends CommunityScore {
  rank: number;
}

export const TIE_BREAK_RULE = {
  zh: '排序规则: 符合门槛者优先; 总分高者优先; 同分时建成年代早者优先; 再按户数多者优先; 最后按编号',
  en: 'Order: eligible first; higher total first; ties go to the older estate, then more households, then the id',
} as const;

export function compareScores(a: CommunityScore, b: CommunityScore, pa: CommunityProps, pb: CommunityProps): number {
  if (a.eligible !== b.eligible) return a.eligible ? -1 : 1;
  if (a.total !== b.total) return b.total - a.total;
  if (pa.build_year !== pb.build_year) return (pa.build_year ?? Infinity) - (pb.build_year ?? Infinity);
  if (pa.households !== pb.households) return pb.households - pa.households;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Rank scores; `propsOf` gives the record used for the tie-break (build year, households). */
export function rank(scores: readonly CommunityScore[], propsOf: (id: string) => CommunityProps): Ranked[] {
  const withProps = scores.map((s) => ({ s, p: propsOf(s.id) }));
  withProps.sort((x, y) => compareScores(x.s, y.s, x.p, y.p));
  return withProps.map(({ s }, i) => ({ ...s, rank: i + 1 }));
}

/**
 * Rank changes from `prev` to `next`: positive = moved up (e.g. +3 means three places better).
 * Only communities present in both and whose rank changed are listed.
 */
export function movers(prev: readonly Ranked[], next: readonly Ranked[]): Record<string, number> {
  const before = new Map(prev.map((r) => [r.id, r.rank]));
  const out: Record<string, number> = {};
  for (const r of next) {
    const b = before.get(r.id);
    if (b !== undefined && b !== r.rank) out[r.id] = b - r.rank;
  }
  return out;
}
