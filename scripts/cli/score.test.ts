import { afterEach, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { run } from './score.ts';
import { DEFAULT_RUBRIC } from '../../src/lib/domain/rubric-default.ts';

const header =
  'id,name,lon,lat,build_year,households,buildings,floor_area_m2,residents,dangerous_buildings,lift_demand,consent_area_share,consent_headcount_share,owner_contribution_share,illegal_cleared_share,property_mgmt,maintenance_fund,safety_hazard,housing_type,third_party_funding';
const rows = [
  'A,甲小区,121.55,29.89,1988,600,20,45000,1500,0,0,0.85,0.82,0.10,1,self,committed,partial,danwei,false',
  'B,乙小区,121.56,29.89,1985,500,15,30000,1200,0,2,0.95,0.95,0.15,1,professional,established,confirmed,danwei,true',
  'C,丙小区,121.57,29.89,1990,400,10,20000,1000,0,0,0.70,0.60,0.10,1,self,none,none,commodity,false',
];

function tmp(name: string, text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'score-cli-'));
  const p = join(dir, name);
  writeFileSync(p, text);
  return { dir, p };
}

/** Collect what the command writes to stderr (one entry per line). */
function captureErrors(): string[] {
  const logs: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((l: string) => void logs.push(...String(l).split('\n')));
  return logs;
}
afterEach(() => vi.restoreAllMocks());

describe('planner score', () => {
  it('writes id, points per criterion, total, eligible, reason and rank, sorted by rank', async () => {
    const { dir, p } = tmp('c.csv', [header, ...rows].join('\n'));
    const out = join(dir, 'scores.csv');
    expect(await run(['--communities', p, '--out', out])).toBe(0);
    const res = Papa.parse<Record<string, string>>(readFileSync(out, 'utf8'), { header: true, skipEmptyLines: true });
    expect(res.meta.fields).toEqual(['id', 'name', ...DEFAULT_RUBRIC.criteria.map((c) => c.code), 'total', 'eligible', 'reason', 'incomplete', 'rank']);
    expect(res.data.map((r) => [r.id, r.rank, r.eligible])).toEqual([
      ['B', '1', 'yes'],
      ['A', '2', 'yes'],
      ['C', '3', 'no'],
    ]);
    expect(res.data[1].total).toBe('62');
    // which test failed, with the share and threshold at a precision that shows it
    expect(res.data[2].reason).toContain('SC02: consent below the double 2/3 (by headcount 60.00% is below 66.67%)');
    expect(res.data.map((r) => r.incomplete)).toEqual(['', '', '']);
  });

  it('uses a rubric file when given one', async () => {
    const r = structuredClone(DEFAULT_RUBRIC);
    r.criteria.find((c) => c.code === 'SC02')!.gates = [];
    const { dir, p } = tmp('c.csv', [header, ...rows].join('\n'));
    const rubric = join(dir, 'r.json');
    writeFileSync(rubric, JSON.stringify(r));
    const out = join(dir, 's.csv');
    expect(await run(['--communities', p, '--rubric', rubric, '--out', out])).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/\nC,丙小区,.*,yes,,,3\n/);
  });

  it('names file, row and field for bad input', async () => {
    const { p } = tmp('bad.csv', [header, rows[0], rows[1].replace('0.95,0.95', '0.95,1.7')].join('\n'));
    const logs = captureErrors();
    expect(await run(['--communities', p])).toBe(1);
    expect(logs.filter((l) => l.startsWith('error:'))).toEqual(['error: bad.csv row 3 column "consent_headcount_share": a share must be between 0 and 100% (value: "1.7")']);
    const { dir } = tmp('x.csv', '');
    const badRubric = join(dir, 'r.json');
    writeFileSync(badRubric, '{"format":"jiangbei-rubric","version":1}');
    await expect(run(['--communities', p, '--rubric', badRubric])).rejects.toThrow(/r\.json: name: expected/);
  });
});

/** The inventory as a district office sends it: Chinese column names, lon/lat, no id column. */
const CN_HEADER = '小区名称,所属街道,建成年代,户数,幢数,建筑面积,经度,纬度,同意面积占比,同意人数占比,居民出资占比,违建拆除比例,物业管理,维修资金,安全隐患,住房类型';
const CN_ROWS = [
  '甲小区,孔浦街道,1988,600,20,45000,121.55,29.89,0.85,0.82,0.10,1,self,committed,partial,danwei',
  '乙小区,孔浦街道,1985,-500,15,30000,121.56,29.89,0.95,0.95,0.15,1,professional,established,confirmed,danwei',
  '丙小区,孔浦街道,1990,400,10,20000,121.57,29.89,0.70,0.70,0.10,1,self,none,none,commodity',
];

describe('issue 16 item 7: score with a row error', () => {
  it('writes nothing and exits 1, with one error line naming the real problem', async () => {
    const { dir, p } = tmp('inventory.csv', [CN_HEADER, ...CN_ROWS].join('\n'));
    const out = join(dir, 'scores.csv');
    const logs = captureErrors();
    expect(await run(['--communities', p, '--out', out])).toBe(1);
    expect(existsSync(out)).toBe(false);
    expect(logs.filter((l) => /^error|row \d/.test(l))).toEqual(['error: inventory.csv row 3 column "户数": households cannot be negative (value: "-500")']);
    expect(logs.join('\n')).toContain('nothing written');
  });

  it('with --keep-going writes only the valid rows, with the importer ids, and still exits 1', async () => {
    const { dir, p } = tmp('inventory.csv', [CN_HEADER, ...CN_ROWS].join('\n'));
    const out = join(dir, 'scores.csv');
    captureErrors();
    expect(await run(['--communities', p, '--out', out, '--keep-going'])).toBe(1);
    const res = Papa.parse<Record<string, string>>(readFileSync(out, 'utf8'), { header: true, skipEmptyLines: true });
    // the same id scheme as `import` and the app (imp-c-<file row>) for every row; the rejected row is absent
    expect(res.data.map((r) => [r.id, r.name]).sort()).toEqual([
      ['imp-c-2', '甲小区'],
      ['imp-c-4', '丙小区'],
    ]);
  });
});

describe('issue 16 item 8: missing data must not score', () => {
  it('a missing 建成年代 and a missing 违建 column are unknown: 0 points and "incomplete data" naming the fields', async () => {
    const header = CN_HEADER.replace(',违建拆除比例', '');
    const body = [CN_ROWS[0], CN_ROWS[2].replace(',1990,', ',,')].map((r) => r.replace(/,1,(self|professional)/, ',$1'));
    const { dir, p } = tmp('inventory.csv', [header, ...body].join('\n'));
    const out = join(dir, 'scores.csv');
    const logs = captureErrors();
    expect(await run(['--communities', p, '--out', out])).toBe(0);
    const res = Papa.parse<Record<string, string>>(readFileSync(out, 'utf8'), { header: true, skipEmptyLines: true });
    const jia = res.data.find((r) => r.name === '甲小区')!;
    const bing = res.data.find((r) => r.name === '丙小区')!;
    expect([bing.SC01, bing.SC06, jia.SC06]).toEqual(['0', '0', '0']); // not 10 (build year 0) nor 10 ("all cleared")
    expect(jia.SC01).toBe('10');
    expect(bing.incomplete).toBe('incomplete data: build year; illegal structures cleared');
    expect(jia.incomplete).toBe('incomplete data: illegal structures cleared');
    expect(logs.join('\n')).toMatch(/2 with incomplete data/);
  });

  it('consent reasons name the failed test with enough precision, and "no data" instead of 0.0 %', async () => {
    const header = CN_HEADER;
    const body = [
      CN_ROWS[0].replace('0.85,0.82', '0.6666,0.9'),
      CN_ROWS[2].replace('0.70,0.70', ','),
    ];
    const { dir, p } = tmp('inventory.csv', [header, ...body].join('\n'));
    const out = join(dir, 'scores.csv');
    captureErrors();
    expect(await run(['--communities', p, '--out', out])).toBe(0);
    const res = Papa.parse<Record<string, string>>(readFileSync(out, 'utf8'), { header: true, skipEmptyLines: true });
    expect(res.data.find((r) => r.name === '甲小区')!.reason).toBe('SC02: consent below the double 2/3 (by area 66.66% is below 66.67%)');
    const bing = res.data.find((r) => r.name === '丙小区')!;
    expect(bing.reason).toContain('SC02: consent below the double 2/3 (by area: no data; by headcount: no data)');
    expect(bing.reason).not.toContain('0.0%');
    expect(bing.incomplete).toBe('incomplete data: consent share by area; consent share by headcount');
  });
});
