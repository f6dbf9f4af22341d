import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE } from '../domain/catalogue-default';
import { isConcentrated, surveyFromRows } from './survey';

describe('群众需求集中: ≥ 2/3 of the households asked, exact', () => {
  it('exactly 2/3 passes, one household fewer fails', () => {
    expect(isConcentrated({ inFavour: 400, asked: 600 })).toBe(true);
    expect(isConcentrated({ inFavour: 399, asked: 600 })).toBe(false);
    expect(isConcentrated({ inFavour: 2, asked: 3 })).toBe(true);
    expect(isConcentrated({ inFavour: 1, asked: 3 })).toBe(false);
  });
  it('no rounding of a share: 667/1000 passes, 666/1000 does not (666/1000 < 2/3)', () => {
    expect(isConcentrated({ inFavour: 667, asked: 1000 })).toBe(true);
    expect(isConcentrated({ inFavour: 666, asked: 1000 })).toBe(false);
  });
  it('nobody asked is never a priority', () => {
    expect(isConcentrated({ inFavour: 0, asked: 0 })).toBe(false);
  });
});

describe('survey tables', () => {
  const H = ['小区', '改造内容', '同意户数', '征询户数'];
  it('reads Chinese headers, item names or codes, per community', () => {
    const t = surveyFromRows('s.csv', H, [['孔浦一村', '加装电梯', '80', '100'], ['孔浦一村', 'RB01', 50, 100], ['槐树小区', 'parcel and mail lockers', '9', '12']], [2, 3, 4], DEFAULT_CATALOGUE);
    expect(t.byCommunity.get('孔浦一村')).toEqual([{ code: 'RI10', inFavour: 80, asked: 100 }, { code: 'RB01', inFavour: 50, asked: 100 }]);
    expect(t.byCommunity.get('槐树小区')).toEqual([{ code: 'RI14', inFavour: 9, asked: 12 }]);
  });
  it('bad input names file, row and column', () => {
    expect(() => surveyFromRows('s.csv', H, [['A', '加装电梯', '80', '100'], ['A', '飞行汽车', '1', '2']], [2, 3], DEFAULT_CATALOGUE)).toThrow('s.csv: row 3: column "改造内容": unknown item "飞行汽车"');
    expect(() => surveyFromRows('s.csv', H, [['A', '加装电梯', '8.5', '100']], [7], DEFAULT_CATALOGUE)).toThrow('s.csv: row 7: column "同意户数": expected a whole number of households ≥ 0, got "8.5"');
    expect(() => surveyFromRows('s.csv', H, [['A', '加装电梯', '101', '100']], [2], DEFAULT_CATALOGUE)).toThrow('s.csv: row 2: column "同意户数": 101 in favour is more than the 100 households asked');
    expect(() => surveyFromRows('s.csv', ['item', 'yes'], [['RB01', '1']], [2], DEFAULT_CATALOGUE)).toThrow(/s.csv: no column for "asked"/);
    expect(() => surveyFromRows('s.csv', H, [['A', 'RB01', '1', '2'], ['A', '屋面防水/渗漏水维修', '1', '2']], [2, 3], DEFAULT_CATALOGUE)).toThrow(/row 3: .*appears twice/);
  });
});
