import { describe, expect, it } from 'vitest';
import { readSource } from './read';
import { planDate, stageWorks, workTypeFrom } from './works';
import { validateSlice } from '../../state/schemas';

const communities = [
  { id: 'C001', name: '孔浦一村' },
  { id: 'C002', name: '湖西小区' },
];
const opts = { communities, existingIds: ['W001'], idPrefix: 'imp-w-1-', source: '水务集团工程表.csv' };
const csv = (text: string) => readSource('水务集团工程表.csv', new TextEncoder().encode(text)).then((s) => s.sheets[0]!);

describe('importing a works table (all or nothing, row and field messages)', () => {
  it('reads Chinese headers, dates, statuses, budgets in 万元 and communities by name; unknowns stay unknown', async () => {
    const sheet = await csv(
      [
        '工程名称,牵头部门,工程类型,计划开工,计划完工,状态,预算（万元）,涉及小区,经度,纬度',
        '孔浦路给水管网改造,水务集团,管线整治,2023年5月,2023-10,已立项,120,孔浦一村,,',
        '湖西电力入地,供电公司,电力管线,2024,,计划,,湖西小区、孔浦一村,121.55,29.9',
        '无名工程,区住建局,雨污分流,,,,,,121.56,29.91',
      ].join('\n'),
    );
    const s = stageWorks('水务集团工程表.csv', sheet, opts);
    expect(s.issues).toEqual([]);
    expect(s.works.map((w) => [w.name, w.department, w.type, w.start, w.end, w.status, w.budgetWan, w.communities, w.geometry?.type ?? null])).toEqual([
      ['孔浦路给水管网改造', '水务集团', 'pipeline', '2023-05', '2023-10', 'approved', 120, ['C001'], null],
      ['湖西电力入地', '供电公司', 'pipeline', '2024', '2024', 'planned', null, ['C002', 'C001'], 'Point'],
      ['无名工程', '区住建局', 'sewer', null, null, null, null, [], 'Point'],
    ]);
    expect(s.works.every((w) => w.synthetic === false && w.source === '水务集团工程表.csv')).toBe(true);
    expect(new Set(s.works.map((w) => w.id)).size).toBe(3);
    // the records pass the project file's schema
    expect(() => validateSlice('works', { version: 1, works: s.works })).not.toThrow();
  });

  it('one bad row means nothing is imported, and every problem names its row, column, value and why', async () => {
    const sheet = await csv(
      [
        '工程编号,牵头部门,工程类型,计划开工,计划完工,预算,涉及小区',
        'A1,水务集团,管线整治,2023,2024,50,孔浦一村',
        'W001,,挖坑,明年,2020,-3,不存在小区',
        'A3,燃气公司,燃气管网,2025,2024,10,',
      ].join('\n'),
    );
    const s = stageWorks('水务集团工程表.csv', sheet, opts);
    expect(s.works).toEqual([]);
    const at = (row: number) => s.issues.filter((i) => i.row === row).map((i) => [i.column, i.value]);
    expect(at(3)).toEqual([
      ['牵头部门', null],
      ['工程类型', '挖坑'],
      ['计划开工', '明年'],
      ['预算', '-3'],
      ['涉及小区', '不存在小区'],
      ['工程编号', 'W001'],
    ]);
    expect(at(4)).toEqual([
      ['计划完工', '2024'],
      ['涉及小区', null],
    ]);
    expect(s.issues.find((i) => i.row === 3 && i.column === '涉及小区')!.message.zh).toContain('不存在小区');
  });

  it('refuses a table without the department or type column, with a message naming the column', async () => {
    const s = stageWorks('x.csv', await csv('名称,开工\n甲,2023'), opts);
    expect(s.works).toEqual([]);
    expect(s.issues.map((i) => i.message.en)).toEqual([
      expect.stringContaining('lead department'),
      expect.stringContaining('type column'),
      expect.stringContaining('no place'),
    ]);
  });

  it('the user can map a column the headers do not name, or unmap one', async () => {
    const sheet = await csv(['单位名称,专项,年份,小区', '水务集团,管线整治,2023,孔浦一村'].join('\n'));
    expect(stageWorks('x.csv', sheet, opts).works).toEqual([]);
    const s = stageWorks('x.csv', sheet, { ...opts, columns: { department: '单位名称', type: '专项', start: '年份' } });
    expect(s.issues).toEqual([]);
    expect(s.works.map((w) => [w.department, w.type, w.start, w.communities])).toEqual([['水务集团', 'pipeline', '2023', ['C001']]]);
    const unmapped = stageWorks('x.csv', sheet, { ...opts, columns: { department: '单位名称', type: '专项', start: '年份', communities: null } });
    expect(unmapped.issues.map((i) => i.code)).toEqual(['missing_column']);
  });

  it('reads planned dates in the ways tables write them', () => {
    expect([planDate('2023'), planDate('2023年'), planDate('2023年5月'), planDate('2023/5/1'), planDate('2023.05'), planDate(2024), planDate(45000), planDate(''), planDate('soon'), planDate('2023-13')]).toEqual([
      '2023',
      '2023',
      '2023-05',
      '2023-05-01',
      '2023-05',
      '2024',
      '2023-03-15',
      null,
      undefined,
      undefined,
    ]);
    expect([workTypeFrom('雨污分流改造'), workTypeFrom('燃气管网'), workTypeFrom('加装电梯'), workTypeFrom('sewer'), workTypeFrom('绿化')]).toEqual(['sewer', 'pipeline', 'lift', 'sewer', null]);
  });
});

describe('the works slice schema', () => {
  it('refuses a work with an unknown type, a malformed date or a reused id, naming where', () => {
    const w = { id: 'a', name: 'x', department: 'd', type: 'pipeline', start: '2023', end: null, status: null, budgetWan: null, geometry: null, communities: [], synthetic: false, source: 's' };
    expect(() => validateSlice('works', { version: 1, works: [w] })).not.toThrow();
    expect(() => validateSlice('works', { version: 1, works: [{ ...w, type: 'dig' }] })).toThrow(/works\.works\.0\.type/);
    expect(() => validateSlice('works', { version: 1, works: [{ ...w, start: '23' }] })).toThrow(/start/);
    expect(() => validateSlice('works', { version: 1, works: [w, w] })).toThrow(/twice/);
  });
});
