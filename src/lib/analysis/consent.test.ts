import { describe, expect, it } from 'vitest';
import { checkVote, sharesPass, atLeastFraction, validateVote, type VoteRecord } from './consent';

const vote = (v: Partial<VoteRecord>): VoteRecord =>
  Object.freeze({
    kind: 'application',
    date: '2021-03-01',
    areaInFavour: 200,
    areaTotal: 300,
    ownersInFavour: 200,
    ownersTotal: 300,
    ...v,
  }) as VoteRecord;

describe('double two-thirds (双2/3), inclusive', () => {
  it('exactly 2/3 of area and of owners passes ("以上" includes the number itself)', () => {
    const r = checkVote(vote({}));
    expect(r.pass).toBe(true);
    expect(r.area.pass).toBe(true);
    expect(r.headcount.pass).toBe(true);
    expect(r.reasons).toEqual([]);
  });

  it('one owner fewer than 2/3 fails, and says how many are needed', () => {
    const r = checkVote(vote({ ownersInFavour: 199 }));
    expect(r.pass).toBe(false);
    expect(r.area.pass).toBe(true);
    expect(r.headcount.pass).toBe(false);
    expect(r.reasons).toHaveLength(1);
    expect(r.reasons[0].en).toContain('at least 200 needed');
    expect(r.reasons[0].zh).toContain('199 / 300');
  });

  it('2/3 of the area but not of the headcount fails', () => {
    const r = checkVote(vote({ areaInFavour: 250, ownersInFavour: 150 }));
    expect(r.pass).toBe(false);
    expect(r.area.pass).toBe(true);
    expect(r.headcount.pass).toBe(false);
  });

  it('2/3 of the headcount but not of the area fails', () => {
    const r = checkVote(vote({ areaInFavour: 199.99, ownersInFavour: 280 }));
    expect(r.pass).toBe(false);
    expect(r.area.pass).toBe(false);
    expect(r.headcount.pass).toBe(true);
    expect(r.reasons[0].en).toMatch(/floor area/);
  });

  it('decimal areas are compared exactly at 0.01 m² (no float drift at the boundary)', () => {
    // 0.1 + 0.2 style sums: 2/3 of 3000.03 m² is exactly 2000.02 m²
    expect(checkVote(vote({ areaInFavour: 2000.02, areaTotal: 3000.03 })).area.pass).toBe(true);
    expect(checkVote(vote({ areaInFavour: 2000.01, areaTotal: 3000.03 })).area.pass).toBe(false);
    // a total whose float 2/3 is not representable
    expect(checkVote(vote({ areaInFavour: 4846.9, areaTotal: 7270.35 })).area.pass).toBe(true);
    expect(checkVote(vote({ areaInFavour: 4846.89, areaTotal: 7270.35 })).area.pass).toBe(false);
  });

  it('headcounts not divisible by 3 round the requirement up', () => {
    expect(checkVote(vote({ ownersTotal: 100, ownersInFavour: 67 })).headcount.pass).toBe(true);
    expect(checkVote(vote({ ownersTotal: 100, ownersInFavour: 66 })).headcount.pass).toBe(false);
  });

  it('an invalid vote fails with field-specific reasons', () => {
    const r = checkVote(vote({ ownersInFavour: 301, areaTotal: 0, date: '2021-13-45' }));
    expect(r.pass).toBe(false);
    const en = r.reasons.map((x) => x.en).join('; ');
    expect(en).toMatch(/date/);
    expect(en).toMatch(/total exclusive floor area/);
    expect(en).toMatch(/exceed the total number of owners/);
    expect(validateVote(vote({ ownersInFavour: 1.5 }))[0].en).toMatch(/whole number/);
  });

  it('a different threshold fraction (e.g. 3/4) is honoured exactly', () => {
    expect(checkVote(vote({ ownersInFavour: 225, areaInFavour: 225 }), { num: 3, den: 4 }).pass).toBe(true);
    expect(checkVote(vote({ ownersInFavour: 224, areaInFavour: 225 }), { num: 3, den: 4 }).pass).toBe(false);
    expect(atLeastFraction(3, 4, { num: 3, den: 4 })).toBe(true);
  });

  it('shares on a record: exactly 2/3 passes, just below fails, both shares needed', () => {
    expect(sharesPass(2 / 3, 2 / 3)).toBe(true);
    expect(sharesPass(0.667, 0.7)).toBe(true);
    expect(sharesPass(0.6666, 0.9)).toBe(false);
    expect(sharesPass(0.9, 0.666)).toBe(false);
  });
});
