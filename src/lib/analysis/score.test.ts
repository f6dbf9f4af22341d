import { describe, expect, it } from 'vitest';
import { scoreCommunity, scoreAll } from './score';
import { rank, movers, TIE_BREAK_RULE } from './rank';
import { parseRubric, validateRubric, rubricMax, RubricError, type Rubric } from './rubric';
import { defaultRubric, DEFAULT_RUBRIC } from '../domain/rubric-default';
import { community, deepFreeze } from '../../../test/fixtures/project/community';

const R = deepFreeze(defaultRubric());

describe('default rubric', () => {
  it('is labelled as a default, not the official 附件4, and totals 100 + 10 bonus', () => {
    expect(R.official).toBe(false);
    expect(R.name.zh).toContain('默认');
    expect(R.name.zh).toContain('非官方');
    expect(rubricMax(R)).toEqual({ base: 100, bonus: 10 });
  });

  it('scores a typical record criterion by criterion', () => {
    const s = scoreCommunity(community(), R);
    expect(s.points).toEqual({ SC01: 10, SC02: 16, SC03: 10, SC04: 10, SC05: 3, SC06: 10, SC07: 0, SC08: 0, SC09: 3, SC10: 0, SC11: 0 });
    expect(s.total).toBe(62);
    expect(s.eligible).toBe(true);
    // bundling and coverage have not run: those criteria are marked as scored without data
    expect(s.missing).toEqual(['SC07', 'SC08']);
  });

  it('build-year bands: 1990 → 10, 1991 → 8, 2000 → 6, 2005 → 3, 2006 → 0', () => {
    const pts = [1990, 1991, 2000, 2005, 2006].map((y) => scoreCommunity(community({ build_year: y }), R).points.SC01);
    expect(pts).toEqual([10, 8, 6, 3, 0]);
  });

  it('consent gate: exactly 2/3 by area and headcount passes; below 2/3 by area OR by headcount is ineligible', () => {
    const exact = scoreCommunity(community({ consent_area_share: 2 / 3, consent_headcount_share: 2 / 3 }), R);
    expect(exact.eligible).toBe(true);
    expect(exact.points.SC02).toBe(12);
    const lowArea = scoreCommunity(community({ consent_area_share: 0.66, consent_headcount_share: 0.95 }), R);
    expect(lowArea.eligible).toBe(false);
    expect(lowArea.reasons[0].code).toBe('SC02');
    expect(lowArea.reasons[0].zh).toContain('双2/3');
    const lowHead = scoreCommunity(community({ consent_area_share: 0.95, consent_headcount_share: 0.66 }), R);
    expect(lowHead.eligible).toBe(false);
  });

  it('a recorded vote replaces the record shares and is checked exactly (one owner fewer fails)', () => {
    const vote = { kind: 'application' as const, date: '2021-01-10', areaInFavour: 200, areaTotal: 300, ownersInFavour: 200, ownersTotal: 300 };
    const p = community({ consent_area_share: 0.1, consent_headcount_share: 0.1 });
    expect(scoreCommunity(p, R, { vote }).eligible).toBe(true);
    const fewer = scoreCommunity(p, R, { vote: { ...vote, ownersInFavour: 199 } });
    expect(fewer.eligible).toBe(false);
    expect(fewer.reasons[0].en).toContain('199 / 300');
  });

  it('owner share: exactly 5% passes with 5 points, 4.9% is ineligible, 15%+ gives 15, linear between', () => {
    const at = (s: number) => scoreCommunity(community({ owner_contribution_share: s }), R);
    expect(at(0.05).eligible).toBe(true);
    expect(at(0.05).points.SC03).toBe(5);
    expect(at(0.049).eligible).toBe(false);
    expect(at(0.049).reasons.map((r) => r.code)).toEqual(['SC03']);
    expect(at(0.049).reasons[0].en).toContain('5%');
    expect(at(0.12).points.SC03).toBe(12);
    expect(at(0.3).points.SC03).toBe(15);
  });

  it('both gates failing lists both reasons', () => {
    const s = scoreCommunity(community({ owner_contribution_share: 0, consent_headcount_share: 0.5 }), R);
    expect(s.reasons.map((r) => r.code)).toEqual(['SC02', 'SC03']);
  });

  it('contiguity and facility gaps use the analysis context', () => {
    const p = community({ households: 300 });
    expect(scoreCommunity(p, R, { inBundleOfSize: 3, bundleHouseholds: 900 }).points.SC07).toBe(10);
    expect(scoreCommunity(p, R, { inBundleOfSize: 2, bundleHouseholds: 1200 }).points.SC07).toBe(10);
    expect(scoreCommunity(p, R, { inBundleOfSize: 2, bundleHouseholds: 800 }).points.SC07).toBe(5);
    // alone: its own households don't make a bundle
    expect(scoreCommunity(community({ households: 2000 }), R, { inBundleOfSize: 1, bundleHouseholds: 2000 }).points.SC07).toBe(0);
    const g = scoreCommunity(p, R, { mandatoryGapShare: 0.25, inBundleOfSize: 1 });
    expect(g.points.SC08).toBe(2.5);
    expect(g.missing).toEqual([]);
  });

  it('bonuses add on top', () => {
    const s = scoreCommunity(community({ lift_demand: 2, third_party_funding: true }), R);
    expect(s.points.SC10).toBe(5);
    expect(s.points.SC11).toBe(5);
    expect(s.total).toBe(72);
  });
});

describe('editing the rubric', () => {
  it('a weight multiplies a criterion; disabling removes it and its gates', () => {
    const r = defaultRubric();
    r.criteria.find((c) => c.code === 'SC01')!.weight = 2;
    expect(scoreCommunity(community(), r).points.SC01).toBe(20);
    const sc03 = r.criteria.find((c) => c.code === 'SC03')!;
    sc03.enabled = false;
    const s = scoreCommunity(community({ owner_contribution_share: 0 }), r);
    expect(s.eligible).toBe(true);
    expect('SC03' in s.points).toBe(false);
  });

  it('a threshold edit changes the result at the boundary', () => {
    const r = defaultRubric();
    const rule = r.criteria[0].rule;
    if (rule.kind !== 'steps') throw new Error('SC01 is a steps rule');
    rule.steps[0].when[0].value = 1988;
    expect(scoreCommunity(community({ build_year: 1989 }), r).points.SC01).toBe(8);
    expect(scoreCommunity(community({ build_year: 1988 }), r).points.SC01).toBe(10);
  });

  it('a 3/4 consent gate is exact', () => {
    const r = defaultRubric();
    r.criteria[1].gates = [{ kind: 'double-majority', num: 3, den: 4 }];
    expect(scoreCommunity(community({ consent_area_share: 0.75, consent_headcount_share: 0.75 }), r).eligible).toBe(true);
    expect(scoreCommunity(community({ consent_area_share: 0.74, consent_headcount_share: 0.9 }), r).eligible).toBe(false);
  });

  it('round-trips through a rubric file', () => {
    expect(parseRubric(JSON.stringify(DEFAULT_RUBRIC))).toEqual(DEFAULT_RUBRIC);
  });

  it('refuses a broken rubric file with the exact path of the problem', () => {
    const bad = defaultRubric() as unknown as { criteria: { rule: { steps: { when: { fact: string }[] }[] } }[] };
    bad.criteria[0].rule.steps[1].when[0].fact = 'age';
    expect(() => validateRubric(bad)).toThrow(RubricError);
    expect(() => validateRubric(bad)).toThrow('criteria[0].rule.steps[1].when[0].fact: unknown fact "age"');
    expect(() => parseRubric('{oops')).toThrow(/not valid JSON/);
    const dup = defaultRubric();
    dup.criteria[1].code = 'SC01';
    expect(() => validateRubric(dup)).toThrow('criteria[1].code: duplicate criterion code "SC01"');
    const badGate = defaultRubric() as Rubric;
    badGate.criteria[1].gates = [{ kind: 'double-majority', num: 4, den: 3 }];
    expect(() => validateRubric(badGate)).toThrow(/between 0 and 1/);
    const badOp = defaultRubric();
    (badOp.criteria[3].rule as { steps: { when: { op: string }[] }[] }).steps[0].when[0].op = '>=';
    expect(() => validateRubric(badOp)).toThrow(/cannot compare enum fact property_mgmt/);
  });
});

describe('ranking', () => {
  const records = [
    community({ id: 'A', build_year: 1995, households: 500 }), // total 60
    community({ id: 'B', build_year: 1988, households: 400 }), // 62
    community({ id: 'C', build_year: 1988, households: 700 }), // 62, more households than B
    community({ id: 'D', build_year: 1980, owner_contribution_share: 0.02 }), // ineligible
    community({ id: 'E', build_year: 1988, households: 700 }), // same as C: id decides
  ];
  const byId = new Map(records.map((p) => [p.id, p]));
  const ranked = rank(scoreAll(records, R), (id) => byId.get(id)!);

  it('follows the documented tie-break rule', () => {
    expect(ranked.map((r) => r.id)).toEqual(['C', 'E', 'B', 'A', 'D']);
    expect(ranked.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(ranked.at(-1)!.eligible).toBe(false);
    expect(TIE_BREAK_RULE.en).toContain('older');
  });

  it('older estate wins a tie on points', () => {
    const p = [community({ id: 'X', build_year: 1989 }), community({ id: 'Y', build_year: 1985 })];
    const m = new Map(p.map((x) => [x.id, x]));
    expect(rank(scoreAll(p, R), (id) => m.get(id)!).map((r) => r.id)).toEqual(['Y', 'X']);
  });

  it('movers: changing a weight reports who moved and by how much', () => {
    const r = defaultRubric();
    r.criteria.find((c) => c.code === 'SC01')!.weight = 0; // build year no longer counts
    r.criteria.find((c) => c.code === 'SC04')!.weight = 3;
    const recs = [...records, community({ id: 'F', build_year: 2003, property_mgmt: 'professional' })];
    const m = new Map(recs.map((x) => [x.id, x]));
    const before = rank(scoreAll(recs, R), (id) => m.get(id)!);
    const after = rank(scoreAll(recs, r), (id) => m.get(id)!);
    const mv = movers(before, after);
    expect(before.find((x) => x.id === 'F')!.rank).toBeGreaterThan(1);
    expect(after[0].id).toBe('F');
    expect(mv.F).toBe(before.find((x) => x.id === 'F')!.rank - 1);
    expect(Object.values(mv).every((d) => d !== 0)).toBe(true);
  });
});

describe('issue 16 item 8: missing data must not score', () => {
  it('an unknown build year or illegal-structure share scores 0 (not the best band) and is named as incomplete', () => {
    const s = scoreCommunity(deepFreeze(community({ build_year: null, illegal_cleared_share: null })), R);
    expect([s.points.SC01, s.points.SC06]).toEqual([0, 0]);
    expect(s.missing).toEqual(['SC01', 'SC06', 'SC07', 'SC08']);
    expect(s.incomplete).toEqual(['build_year', 'illegal_cleared_share']);
    expect(scoreCommunity(community(), R).incomplete).toEqual([]);
    // a field no enabled criterion reads is not "incomplete"
    const r = structuredClone(DEFAULT_RUBRIC);
    r.criteria.find((c) => c.code === 'SC01')!.enabled = false;
    expect(scoreCommunity(community({ build_year: null }), r).incomplete).toEqual([]);
  });

  it('unknown consent shares fail the double 2/3 with "no data", never 0.0 %; a recorded vote makes them known', () => {
    const s = scoreCommunity(community({ consent_area_share: null, consent_headcount_share: null }), R);
    expect(s.eligible).toBe(false);
    expect(s.reasons[0].en).toBe('consent below the double 2/3 (by area: no data; by headcount: no data)');
    expect(s.reasons[0].zh).toBe('同意率未达双2/3 (按面积: 无数据; 按人数: 无数据)');
    expect(s.incomplete).toEqual(['consent_area_share', 'consent_headcount_share']);
    const vote = { kind: 'application' as const, date: '2026-01-01', areaInFavour: 900, areaTotal: 1000, ownersInFavour: 90, ownersTotal: 100 };
    const v = scoreCommunity(community({ consent_area_share: null, consent_headcount_share: null }), R, { vote });
    expect([v.eligible, v.incomplete]).toEqual([true, []]);
  });

  it('consent reasons name the failed test at a precision that shows it (66.66 % below 66.67 %)', () => {
    const s = scoreCommunity(community({ consent_area_share: 0.6666, consent_headcount_share: 0.9 }), R);
    expect(s.reasons[0].en).toBe('consent below the double 2/3 (by area 66.66% is below 66.67%)');
    const h = scoreCommunity(community({ consent_area_share: 0.9, consent_headcount_share: 0.66666 }), R);
    expect(h.reasons[0].en).toBe('consent below the double 2/3 (by headcount 66.666% is below 66.667%)');
  });

  it('an unknown build year ranks after every known one in a tie', () => {
    const a = community({ id: 'A', build_year: null });
    const b = community({ id: 'B', build_year: 2004 });
    const byId = new Map([a, b].map((p) => [p.id, p]));
    const scores = scoreAll([a, b], R).map((s) => ({ ...s, total: 50 }));
    expect(rank(scores, (id) => byId.get(id)!).map((r) => r.id)).toEqual(['B', 'A']);
  });
});
