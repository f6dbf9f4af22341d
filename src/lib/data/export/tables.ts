/**
 * Analysis results as flat tables for XLSX/CSV export: the coverage matrix (one row per community and
 * category, the same columns as `planner coverage`), the scores and ranking, the progress counts (district,
 * per street, per batch), bundle membership and bundle figures. Pure: they take the results as values.
 */
import type { CoverageResult } from '../../analysis/coverage';
import type { Ranked } from '../../analysis/rank';
import type { Progress, ProgressCounts } from '../../analysis/pool';
import type { CommunityProps } from '../../domain/types';

type Row = Record<string, unknown>;

export function coverageRows(r: CoverageResult): Row[] {
  const out: Row[] = [];
  for (const c of r.communities)
    c.byCategory.forEach((b) => {
      out.push({
        community_id: c.id,
        name: c.name,
        street: c.street,
        category: b.category,
        distance_m: b.distance === null ? null : Math.round(b.distance),
        threshold_m: b.threshold,
        met: b.met,
        nearest_facility_id: b.facilityId,
        mode: r.mode + (r.fallback ? ' (fallback)' : ''),
        standard: r.standardId,
      });
    });
  return out;
}

export function scoreRows(ranking: readonly Ranked[], recordOf: (id: string) => CommunityProps | undefined): Row[] {
  return ranking.map((s) => {
    const p = recordOf(s.id);
    return {
      rank: s.rank,
      id: s.id,
      name: p?.name ?? '',
      street: p?.street ?? '',
      total: s.total,
      eligible: s.eligible,
      ...s.points,
      not_scored: s.missing.join(' '),
      reasons: s.reasons.map((x) => `${x.code}: ${x.zh}`).join('; '),
      synthetic: p?.synthetic ?? null,
    };
  });
}

function countsRow(scope: string, key: string, c: ProgressCounts): Row {
  return { scope, key, total: c.total, started: c.started, under_construction: c.underConstruction, completed: c.completed, side_state: c.side, ...c.byStage };
}

export function progressRows(p: Progress): Row[] {
  return [
    { ...countsRow('district', 'all', p.district), target: p.district.target, deadline: p.district.deadline, completed_share: p.district.completedShare, remaining: p.district.remaining },
    ...Object.entries(p.byStreet).map(([k, c]) => countsRow('street', k, c)),
    ...Object.entries(p.byBatch).map(([k, c]) => countsRow('batch', k, c)),
  ];
}

/** Objects with nested values flattened to primitive columns ("a.b"); arrays joined with spaces. */
export function flatRows(objs: readonly object[]): Row[] {
  const flat = (o: object, prefix: string, out: Row) => {
    for (const [k, v] of Object.entries(o)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (Array.isArray(v)) out[key] = v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(' ');
      else if (v !== null && typeof v === 'object') flat(v, key, out);
      else out[key] = v;
    }
    return out;
  };
  return objs.map((o) => flat(o, '', {}));
}
