import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

describe('planner score', () => {
  it('writes id, points per criterion, total, eligible, reason and rank, sorted by rank', async () => {
    const { dir, p } = tmp('c.csv', [header, ...rows].join('\n'));
    const out = join(dir, 'scores.csv');
    expect(await run(['--communities', p, '--out', out])).toBe(0);
    const res = Papa.parse<Record<string, string>>(readFileSync(out, 'utf8'), { header: true, skipEmptyLines: true });
    expect(res.meta.fields).toEqual(['id', 'name', ...DEFAULT_RUBRIC.criteria.map((c) => c.code), 'total', 'eligible', 'reason', 'rank']);
    expect(res.data.map((r) => [r.id, r.rank, r.eligible])).toEqual([
      ['B', '1', 'yes'],
      ['A', '2', 'yes'],
      ['C', '3', 'no'],
    ]);
    expect(res.data[1].total).toBe('62');
    expect(res.data[2].reason).toContain('SC02: consent below the double 2/3');
  });

  it('uses a rubric file when given one', async () => {
    const r = structuredClone(DEFAULT_RUBRIC);
    r.criteria.find((c) => c.code === 'SC02')!.gates = [];
    const { dir, p } = tmp('c.csv', [header, ...rows].join('\n'));
    const rubric = join(dir, 'r.json');
    writeFileSync(rubric, JSON.stringify(r));
    const out = join(dir, 's.csv');
    expect(await run(['--communities', p, '--rubric', rubric, '--out', out])).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/\nC,丙小区,.*,yes,,3\n/);
  });

  it('names file, row and field for bad input', async () => {
    const { p } = tmp('bad.csv', [header, rows[0], rows[1].replace('0.95,0.95', '0.95,1.7')].join('\n'));
    await expect(run(['--communities', p])).rejects.toThrow('bad.csv: row 2 (id B): field "consent_headcount_share": a share must be between 0 and 1, got 1.7');
    const { dir } = tmp('x.csv', '');
    const badRubric = join(dir, 'r.json');
    writeFileSync(badRubric, '{"format":"jiangbei-rubric","version":1}');
    await expect(run(['--communities', p, '--rubric', badRubric])).rejects.toThrow(/r\.json: name: expected/);
  });
});
