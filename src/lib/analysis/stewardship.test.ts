import { describe, expect, it } from 'vitest';
import { DEFAULT_EVALUATION_RULE, canEvaluate, checkRule, classCounts, evaluate, managementFigures, type EvaluationRecord, type ManagementInput, type ManagementRecord } from './stewardship';
import { deepFreeze } from './fixtures.testutil';

const rule = DEFAULT_EVALUATION_RULE;
const rec = (x: Partial<EvaluationRecord>): EvaluationRecord => ({ date: '2023-06-30', quality: 90, management: 90, surveyed: 100, satisfied: 90, ...x });

describe('evaluate', () => {
  it('weights quality, management and the survey share into a score and a class at the thresholds', () => {
    // 0.4·90 + 0.3·90 + 0.3·90 = 90: exactly the excellent threshold
    expect(evaluate(rec({}), rule)).toMatchObject({ score: 90, satisfaction: 90, cls: 'excellent', missing: [] });
    // 0.4·90 + 0.3·90 + 0.3·89 = 89.7: just below
    expect(evaluate(rec({ satisfied: 89 }), rule).cls).toBe('good');
    expect(evaluate(rec({ quality: 60, management: 60, satisfied: 60 }), rule).cls).toBe('pass');
    expect(evaluate(rec({ quality: 59, management: 60, satisfied: 60 }), rule).cls).toBe('fail');
  });

  it('never gives a class when a part is missing or the survey is too small (never the best class)', () => {
    expect(evaluate(rec({ quality: null }), rule)).toMatchObject({ cls: 'incomplete', score: null, missing: ['quality'] });
    expect(evaluate(rec({ management: null, surveyed: null }), rule).missing).toEqual(['management', 'satisfaction']);
    expect(evaluate(rec({ surveyed: 29, satisfied: 29 }), rule)).toMatchObject({ cls: 'incomplete', missing: ['survey_small'] });
    expect(evaluate(rec({ surveyed: 30, satisfied: 30 }), rule).cls).toBe('excellent');
    expect(evaluate(rec({ satisfied: 101 }), rule).missing).toEqual(['satisfaction']);
  });

  it('follows an edited rule, and refuses a broken one', () => {
    const onlySurvey = { ...rule, weights: { quality: 0, management: 0, satisfaction: 1 } };
    expect(evaluate(rec({ quality: 10, management: 10, satisfied: 95 }), onlySurvey)).toMatchObject({ score: 95, cls: 'excellent' });
    expect(checkRule(rule)).toEqual([]);
    expect(checkRule({ ...rule, thresholds: { excellent: 70, good: 80, pass: 60 } })).toEqual(['thresholds_order']);
    expect(checkRule({ ...rule, weights: { quality: 0, management: 0, satisfaction: 0 } })).toEqual(['weights_zero']);
    expect(evaluate(rec({}), { ...rule, weights: { quality: -1, management: 1, satisfaction: 1 } }).cls).toBe('incomplete');
  });

  it('counts classes', () => {
    const rs = [rec({}), rec({ quality: null }), rec({ quality: 0 })].map((r) => evaluate(r, rule));
    expect(classCounts(rs)).toEqual({ excellent: 1, good: 0, pass: 0, fail: 1, incomplete: 1 });
  });
});

describe('canEvaluate', () => {
  it('only after handover, and not while set aside', () => {
    expect(canEvaluate({ stage: 'ACCEPTED', side_state: null })).toBe(false);
    expect(canEvaluate({ stage: 'HANDED_OVER', side_state: null })).toBe(true);
    expect(canEvaluate({ stage: 'EVALUATED', side_state: null })).toBe(true);
    expect(canEvaluate({ stage: 'HANDED_OVER', side_state: 'SUSPENDED' })).toBe(false);
  });
});

describe('managementFigures', () => {
  const records: ManagementInput[] = deepFreeze([
    { id: 'a', stage: 'ACCEPTED', property_mgmt: 'none', maintenance_fund: 'none' },
    { id: 'b', stage: 'HANDED_OVER', property_mgmt: 'self', maintenance_fund: 'established' },
    { id: 'c', stage: 'ARCHIVED', property_mgmt: 'professional', maintenance_fund: 'committed' },
    { id: 'd', stage: 'HANDED_OVER', property_mgmt: 'none', maintenance_fund: null },
    { id: 'x', stage: 'CONSTRUCTION', property_mgmt: 'professional', maintenance_fund: 'established' },
  ]);
  const after: Record<string, ManagementRecord> = deepFreeze({
    a: { property: 'professional', since: '2021-05-01', fundCoverage: 0.8, publicIncomeCny: 120_000 },
    b: { property: 'professional', since: null, fundCoverage: 0.4, publicIncomeCny: null },
    c: { property: 'professional', since: '2021-01-01', fundCoverage: null, publicIncomeCny: 30_000 },
    x: { property: 'professional', since: null, fundCoverage: 1, publicIncomeCny: 1 },
  });

  it('compares before and after over the renovated communities only, unknown counted apart, never as "none"', () => {
    const f = managementFigures(records, after);
    expect(f.renovated).toBe(4);
    expect(f.professional.before).toEqual({ count: 1, known: 4, unknown: 0, share: 0.25 });
    // d has no after-record: unknown, so 3 of 3 known, not 3 of 4
    expect(f.professional.after).toEqual({ count: 3, known: 3, unknown: 1, share: 1 });
    expect(f.fund.before).toEqual({ count: 1, known: 3, unknown: 1, share: 1 / 3 });
    expect(f.fund.after).toEqual({ count: 1, known: 2, unknown: 2, share: 0.5 });
    expect(f.meanFundCoverage).toBeCloseTo(0.6);
    expect(f.publicIncome).toEqual({ totalCny: 150_000, known: 2, unknown: 2 });
  });

  it('says nothing is known rather than 0 % when no record exists', () => {
    const f = managementFigures(records, {});
    expect(f.professional.after).toEqual({ count: 0, known: 0, unknown: 4, share: null });
    expect(f.meanFundCoverage).toBeNull();
  });
});
