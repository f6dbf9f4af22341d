/**
 * The shape of life-circle coverage on a generated dataset, measured with the planner's own coverage
 * engine (src/lib/analysis/coverage.ts over src/lib/analysis/walkgraph.ts), exactly as the app runs it:
 * network distance from the gates, metro stations joining the facilities as category "metro".
 *
 * Why: the generator places facilities "deliberately unevenly" (issue 2); this measures whether the
 * result is still useful — some complete life circles, most categories partly met, real clustered gaps —
 * for the realism test (geodata/coverage-realism.test.ts) and for `npx tsx geodata/lib/measure.ts`.
 * Complexity: one multi-source search per category (the engine's), O(K · (V + E) log V).
 */
import { DEFAULT_PARAMS, STANDARDS, type StandardId } from '../../src/lib/domain/standards.ts';
import { buildWalkGraph, type RoadLike } from '../../src/lib/analysis/walkgraph.ts';
import {
  computeCoverage,
  prepareCoverage,
  type CommunityInput,
  type CoverageResult,
  type FacilityInput,
  type GateInput,
} from '../../src/lib/analysis/coverage.ts';
import type { Layers } from '../generate.ts';

export interface CoverageShape {
  standardId: StandardId;
  result: CoverageResult;
  communities: number;
  complete: number;
  /** communities lacking at least 1, 3, 6 mandatory categories */
  lackingAtLeast: Record<1 | 3 | 6, number>;
  perCategory: { category: string; mandatory: boolean; threshold: number; met: number; share: number }[];
  /** per street: communities, and how many lack each mandatory category */
  byStreet: Record<string, { n: number; lacking: Record<string, number> }>;
}

/** The app's facility list: the facilities layer plus metro stations as category "metro". */
export function coverageInputs(L: Pick<Layers, 'communities' | 'gates' | 'facilities' | 'roads' | 'metro'>) {
  const facilities: FacilityInput[] = [
    ...(L.facilities as unknown as FacilityInput[]),
    ...L.metro.map(
      (m) => ({ type: 'Feature', geometry: m.geometry, properties: { id: m.properties.id, name: m.properties.name, category: 'metro' } }) as FacilityInput,
    ),
  ];
  return {
    communities: L.communities as unknown as CommunityInput[],
    gates: L.gates as unknown as GateInput[],
    facilities,
    roads: L.roads as unknown as RoadLike[],
  };
}

export function coverageShapes(L: Pick<Layers, 'communities' | 'gates' | 'facilities' | 'roads' | 'metro'>): Record<StandardId, CoverageShape> {
  const inp = coverageInputs(L);
  const ctx = prepareCoverage(inp.communities, inp.gates, buildWalkGraph(inp.roads));
  const out = {} as Record<StandardId, CoverageShape>;
  for (const id of ['gb50180', 'complete-community'] as const) {
    const result = computeCoverage(ctx, inp.facilities, STANDARDS[id], DEFAULT_PARAMS, { mode: 'network' });
    const byStreet: CoverageShape['byStreet'] = {};
    for (const c of result.communities) {
      const s = (byStreet[c.street] ??= { n: 0, lacking: {} });
      s.n++;
      for (const cat of c.lacking) s.lacking[cat] = (s.lacking[cat] ?? 0) + 1;
    }
    const n = result.communities.length;
    const atLeast = (k: number) => result.communities.filter((c) => c.lacking.length >= k).length;
    out[id] = {
      standardId: id,
      result,
      communities: n,
      complete: result.figures.completeCommunities,
      lackingAtLeast: { 1: atLeast(1), 3: atLeast(3), 6: atLeast(6) },
      perCategory: result.figures.perCategory.map((f) => ({
        category: f.category,
        mandatory: f.mandatory,
        threshold: f.threshold,
        met: f.communitiesMet,
        share: f.communityShare,
      })),
      byStreet,
    };
  }
  return out;
}

/** A plain-text report of the shapes (used by measure.ts and printed by the realism test). */
export function formatShapes(shapes: Record<StandardId, CoverageShape>): string {
  const lines: string[] = [];
  for (const s of Object.values(shapes)) {
    lines.push(
      `${s.standardId}: complete ${s.complete}/${s.communities} (${((100 * s.complete) / s.communities).toFixed(0)}%); ` +
        `lacking ≥1: ${s.lackingAtLeast[1]}, ≥3: ${s.lackingAtLeast[3]}, ≥6: ${s.lackingAtLeast[6]}`,
    );
    for (const c of s.perCategory)
      lines.push(`  ${c.mandatory ? '▲' : '△'} ${c.category.padEnd(18)} ≤${String(c.threshold).padStart(4)} m  ${String(c.met).padStart(2)}/${s.communities}  ${(100 * c.share).toFixed(0).padStart(3)}%`);
    for (const [street, v] of Object.entries(s.byStreet))
      lines.push(`  ${street} (${v.n}): ${Object.entries(v.lacking).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  }
  return lines.join('\n');
}
