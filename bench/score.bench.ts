/**
 * Scoring and ranking at district and city scale: the ranking is $derived in the app and recomputed on every
 * rubric or attribute edit, so it must stay well under a frame (16 ms) for the district and usable for a city.
 * Also: the project-file snapshot (what autosave writes after each edit) for a busy project.
 */
import { defaultRubric } from '../src/lib/domain/rubric-default.ts';
import { scoreAll } from '../src/lib/analysis/score.ts';
import { rank, movers } from '../src/lib/analysis/rank.ts';
import { move, initialWorkflow } from '../src/lib/analysis/workflow.ts';
import type { CommunityProps } from '../src/lib/domain/types.ts';
import { STAGES } from '../src/lib/domain/types.ts';

function records(n: number, seed = 1): CommunityProps[] {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  return Array.from({ length: n }, (_, i) => ({
    synthetic: true,
    source: 'bench',
    id: `B${i}`,
    name: `B${i}`,
    street: '孔浦街道',
    committee: null,
    build_year: 1975 + Math.floor(rnd() * 35),
    housing_type: pick(['commodity', 'danwei', 'resettlement'] as const),
    households: 100 + Math.floor(rnd() * 1500),
    buildings: 5 + Math.floor(rnd() * 40),
    floor_area_m2: 10000 + Math.floor(rnd() * 150000),
    residents: 300 + Math.floor(rnd() * 4000),
    property_mgmt: pick(['professional', 'self', 'none'] as const),
    maintenance_fund: pick(['established', 'committed', 'none'] as const),
    dangerous_buildings: Math.floor(rnd() * 3),
    lift_demand: Math.floor(rnd() * 4),
    consent_area_share: 0.5 + rnd() * 0.5,
    consent_headcount_share: 0.5 + rnd() * 0.5,
    owner_contribution_share: rnd() * 0.2,
    illegal_cleared_share: rnd(),
    safety_hazard: pick(['confirmed', 'partial', 'none'] as const),
    third_party_funding: rnd() < 0.2,
    batch_year: null,
    pool: '储备',
    stage: pick(STAGES),
    side_state: null,
  }));
}

function time(label: string, reps: number, f: () => unknown): number {
  f(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) f();
  const ms = (performance.now() - t0) / reps;
  console.log(`${label.padEnd(44)} ${ms.toFixed(3)} ms`);
  return ms;
}

export async function run(): Promise<void> {
  const rubric = defaultRubric();
  const results: Record<number, number> = {};
  for (const n of [73, 1000, 5000]) {
    const recs = records(n);
    const byId = new Map(recs.map((p) => [p.id, p]));
    const ctx = () => ({ inBundleOfSize: 2, bundleHouseholds: 900, mandatoryGapShare: 0.3 });
    results[n] = time(`score + rank, ${n} communities`, n > 1000 ? 10 : 100, () => rank(scoreAll(recs, rubric, ctx), (id) => byId.get(id)!));
  }
  console.log(`ratio 5000/73 = ${(results[5000] / results[73]).toFixed(1)}× for ${(5000 / 73).toFixed(1)}× the communities (n log n ranking)`);

  const recs = records(5000);
  const byId = new Map(recs.map((p) => [p.id, p]));
  const a = rank(scoreAll(recs, rubric), (id) => byId.get(id)!);
  const r2 = defaultRubric();
  r2.criteria[0].weight = 2;
  const b = rank(scoreAll(recs, r2), (id) => byId.get(id)!);
  time('movers between two rankings, 5000', 20, () => movers(a, b));

  // a busy project: 73 communities each with a full workflow history and two votes
  const overlay: Record<string, unknown> = {};
  for (const p of records(73)) {
    let w = initialWorkflow();
    STAGES.slice(1).forEach((to, i) => {
      const date = `2021-${String(1 + Math.floor(i / 2)).padStart(2, '0')}-${String(1 + (i % 2) * 14).padStart(2, '0')}`;
      const vote = to === 'APPLIED' || to === 'SCHEME_VOTED' ? { kind: to === 'APPLIED' ? ('application' as const) : ('scheme' as const), date, areaInFavour: 2000, areaTotal: 3000, ownersInFavour: 200, ownersTotal: 300 } : undefined;
      const r = move(w, { to, date, vote });
      if (r.ok) w = r.state;
    });
    overlay[p.id] = { workflow: w, pool: '实施', batch_year: 2021 };
  }
  const snap = { version: 1, overlay, rubric };
  let text = '';
  time('snapshot → JSON (autosave payload), busy project', 100, () => (text = JSON.stringify(snap)));
  console.log(`autosave payload: ${(text.length / 1024).toFixed(1)} KiB for 73 communities × ${STAGES.length - 1} dated moves`);
}
