import { describe, expect, it } from 'vitest';
import { batchTotals, effectiveProps, planEdits, progress, takeTopN, timeline, workflowOf, defaultInvestment } from './pool';
import { scoreAll } from './score';
import { rank } from './rank';
import { move } from './workflow';
import { communityInvestment } from './funding';
import { defaultRubric } from '../domain/rubric-default';
import { community, deepFreeze } from '../../../test/fixtures/project/community';
import type { CommunityProps } from '../domain/types';

describe('effective records', () => {
  it('lays edits over the dataset record without mutating it', () => {
    const p = community();
    const w = move(workflowOf(p, undefined), { to: 'DEFERRED', date: '2021-01-01' });
    if (!w.ok) throw new Error('refused');
    const e = deepFreeze({ attrs: { households: 650 }, pool: '实施' as const, batch_year: 2021 as const, workflow: w.state });
    const q = effectiveProps(p, e);
    expect(q.households).toBe(650);
    expect(q.pool).toBe('实施');
    expect(q.batch_year).toBe(2021);
    expect(q.side_state).toBe('DEFERRED');
    expect(p.households).toBe(600);
    expect(effectiveProps(p, undefined)).toBe(p);
    // explicit null takes a community out of its batch
    expect(effectiveProps(community({ batch_year: 2020 }), { batch_year: null }).batch_year).toBeNull();
  });

  it('a community without an edited workflow starts at its dataset stage', () => {
    expect(workflowOf(community({ stage: 'TENDERED' }), undefined)).toEqual({ stage: 'TENDERED', side: null, history: [] });
  });
});

describe('take the top N eligible within a budget', () => {
  // investment is made explicit per id so the budget arithmetic is visible in the test
  const cost: Record<string, number> = { A: 10e6, B: 30e6, C: 15e6, D: 5e6, E: 8e6, F: 1e6 };
  const recs: CommunityProps[] = [
    community({ id: 'A', build_year: 1980 }),
    community({ id: 'B', build_year: 1981 }),
    community({ id: 'C', build_year: 1982, pool: '实施', batch_year: 2020 }), // already in an annual plan
    community({ id: 'D', build_year: 1983, owner_contribution_share: 0 }), // ineligible
    community({ id: 'E', build_year: 1984 }),
    community({ id: 'F', build_year: 1985, side_state: 'REJECTED' }),
  ];
  const byId = new Map(recs.map((p) => [p.id, p]));
  const ranking = rank(scoreAll(recs, defaultRubric()), (id) => byId.get(id)!);
  const inv = (p: CommunityProps) => cost[p.id];

  it('takes in rank order, skips what would exceed the cap, keeps going', () => {
    const r = takeTopN(ranking, (id) => byId.get(id)!, { n: 3, year: 2021, budgetCapCny: 20e6, investmentOf: inv });
    expect(r.chosen.map((c) => c.id)).toEqual(['A', 'E']);
    expect(r.skipped.map((c) => c.id)).toEqual(['B']);
    expect(r.skipped[0].zh).toContain('超出预算');
    expect(r.totalCny).toBe(18e6);
  });

  it('only takes communities not yet planned: pool other than 实施, stage before PLANNED', () => {
    const recs2 = [
      community({ id: 'P', build_year: 1970, stage: 'PLANNED' }),
      community({ id: 'Q', build_year: 1971, stage: 'SCHEME_VOTED', pool: '生成', batch_year: 2022 }),
    ];
    const m = new Map(recs2.map((p) => [p.id, p]));
    const r = takeTopN(rank(scoreAll(recs2, defaultRubric()), (x) => m.get(x)!), (x) => m.get(x)!, { n: 5, year: 2021, budgetCapCny: Infinity, investmentOf: () => 1 });
    expect(r.chosen.map((c) => c.id)).toEqual(['Q']);
  });

  it('stops at N; an exact fit is within the cap', () => {
    const r = takeTopN(ranking, (id) => byId.get(id)!, { n: 1, year: 2021, budgetCapCny: 10e6, investmentOf: inv });
    expect(r.chosen.map((c) => c.id)).toEqual(['A']);
    const all = takeTopN(ranking, (id) => byId.get(id)!, { n: 10, year: 2022, budgetCapCny: Infinity, investmentOf: inv });
    expect(all.chosen.map((c) => c.id)).toEqual(['A', 'B', 'E']);
    expect(planEdits(all, 2022)).toEqual({ A: { pool: '实施', batch_year: 2022 }, B: { pool: '实施', batch_year: 2022 }, E: { pool: '实施', batch_year: 2022 } });
  });

  it('refuses a nonsense N or budget', () => {
    expect(() => takeTopN(ranking, (id) => byId.get(id)!, { n: -1, year: 2021, budgetCapCny: 1 })).toThrow(/N must be/);
    expect(() => takeTopN(ranking, (id) => byId.get(id)!, { n: 1, year: 2021, budgetCapCny: NaN })).toThrow(/budget cap/);
  });

  it('default investment comes from funding.ts (floor area × unit cost + lifts + repairs)', () => {
    const p = community({ lift_demand: 1, dangerous_buildings: 1 });
    expect(defaultInvestment(p)).toBe(communityInvestment(p).totalCny);
    expect(defaultInvestment(p)).toBeGreaterThan(45000 * 300);
  });
});

describe('totals and progress', () => {
  const recs = deepFreeze([
    community({ id: 'A', street: '孔浦街道', batch_year: 2020, stage: 'EVALUATED', households: 100, floor_area_m2: 1000 }),
    community({ id: 'B', street: '孔浦街道', batch_year: 2020, stage: 'CONSTRUCTION', households: 200, floor_area_m2: 2000 }),
    community({ id: 'C', street: '文教街道', batch_year: 2021, stage: 'CONSTRUCTION', side_state: 'SUSPENDED', households: 300, floor_area_m2: 3000 }),
    community({ id: 'D', street: '文教街道', batch_year: null, stage: 'POOL', households: 400, floor_area_m2: 4000 }),
    community({ id: 'E', street: '慈城镇', batch_year: 2021, stage: 'ACCEPTED', households: 500, floor_area_m2: 5000 }),
  ]);

  it('sums households, floor area and investment per batch and per pool', () => {
    const t = batchTotals(recs, (p) => p.floor_area_m2 * 100);
    expect(t.byBatch['2020']).toEqual({ communities: 2, households: 300, floor_area_m2: 3000, investmentCny: 300000 });
    expect(t.byBatch['2021'].households).toBe(800);
    expect(t.byBatch.none.communities).toBe(1);
    expect(t.all.households).toBe(1500);
    expect(t.byPool['储备'].communities).toBe(5);
  });

  it('counts started, under construction and completed against the target of 73 by 2022-12-31', () => {
    const p = progress(recs);
    expect(p.district.started).toBe(4);
    expect(p.district.underConstruction).toBe(1); // C is suspended
    expect(p.district.completed).toBe(2);
    expect(p.district.side).toBe(1);
    expect(p.district.target).toBe(73);
    expect(p.district.remaining).toBe(71);
    expect(p.district.deadline).toBe('2022-12-31');
    expect(p.byStreet['孔浦街道'].completed).toBe(1);
    expect(Object.keys(p.byStreet)).toEqual(['孔浦街道', '慈城镇', '文教街道'].sort());
    expect(p.byBatch['2021'].started).toBe(2);
    expect(p.byBatch.none.byStage.POOL).toBe(1);
  });

  it('timeline lists dated moves oldest first', () => {
    const a = move(workflowOf(community(), undefined), { to: 'DEFERRED', date: '2021-05-01' });
    const b = move(workflowOf(community({ stage: 'TENDERED' }), undefined), { to: 'CONSTRUCTION', date: '2021-03-01' });
    if (!a.ok || !b.ok) throw new Error('refused');
    expect(timeline({ X: a.state, Y: b.state }).map((e) => `${e.id}:${e.to}`)).toEqual(['Y:CONSTRUCTION', 'X:DEFERRED']);
  });
});
