import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import * as XLSX from '@e965/xlsx';
import { run, COLUMNS } from './content.ts';
import { catalogueToRows } from '../../src/lib/analysis/content.ts';
import { defaultCatalogue } from '../../src/lib/domain/catalogue-default.ts';

const header =
  'id,name,lon,lat,build_year,households,buildings,floor_area_m2,residents,dangerous_buildings,lift_demand,consent_area_share,consent_headcount_share,owner_contribution_share,illegal_cleared_share,property_mgmt,maintenance_fund,safety_hazard,housing_type,third_party_funding';

/** A generated inventory: n communities with seeded, varied attributes (every suggestion rule fires somewhere). */
function inventory(n: number, seed = 7): string {
  let s = seed;
  const rnd = () => ((s = (s * 16807) % 2147483647) - 1) / 2147483646;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const lines = [header];
  for (let i = 0; i < n; i++) {
    const hh = 100 + Math.floor(rnd() * 1500);
    const b = 3 + Math.floor(rnd() * 40);
    lines.push(
      [
        `G${String(i).padStart(3, '0')}`,
        `生成小区${i}`,
        (121.5 + rnd() * 0.1).toFixed(5),
        (29.88 + rnd() * 0.05).toFixed(5),
        1970 + Math.floor(rnd() * 30),
        hh,
        b,
        hh * (60 + Math.floor(rnd() * 30)),
        hh * 2,
        rnd() < 0.2 ? 1 + Math.floor(rnd() * 3) : 0,
        rnd() < 0.4 ? Math.floor(rnd() * b) : 0,
        0.8,
        0.8,
        (Math.floor(rnd() * 12) / 100).toFixed(2),
        rnd() < 0.3 ? 0.5 : 1,
        pick(['professional', 'self', 'none']),
        pick(['established', 'committed', 'none']),
        pick(['confirmed', 'partial', 'none']),
        pick(['commodity', 'danwei', 'resettlement']),
        'false',
      ].join(','),
    );
  }
  return lines.join('\n') + '\n';
}

function tmpDir() {
  return mkdtempSync(join(tmpdir(), 'content-cli-'));
}
const readCsv = (p: string) => Papa.parse<Record<string, string>>(readFileSync(p, 'utf8').replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true });
const fen = (x: string) => Math.round(Number(x) * 100);

describe('planner content', () => {
  it('one row per item plus a total row per community; each total equals the sum of its rows, to the fen', async () => {
    const dir = tmpDir();
    writeFileSync(join(dir, 'inv.csv'), inventory(40));
    const out = join(dir, 'plan.csv');
    expect(await run(['--communities', join(dir, 'inv.csv'), '--out', out])).toBe(0);
    const res = readCsv(out);
    expect(res.meta.fields).toEqual([...COLUMNS]);
    const totals = res.data.filter((r) => r.row === 'total');
    expect(totals).toHaveLength(40);
    for (const t of totals) {
      const items = res.data.filter((r) => r.row === 'item' && r.community_id === t.community_id);
      expect(items.length).toBeGreaterThan(5);
      expect(items.reduce((s, r) => s + fen(r.cost_cny), 0)).toBe(fen(t.cost_cny));
      expect(items.every((r) => fen(r.cost_cny) === Math.round(Number(r.quantity) * Number(r.unit_cost_cny) * 100))).toBe(true);
      // base + separate = total; city + district = base (4:6)
      expect(fen(t.base_cny) + fen(t.separate_cny)).toBe(fen(t.cost_cny));
      expect(fen(t.city_cny) + fen(t.district_cny)).toBe(fen(t.base_cny));
      expect(items.filter((r) => r.funding !== 'base').reduce((s, r) => s + fen(r.cost_cny), 0)).toBe(fen(t.separate_cny));
      expect(t.owners_meet_5pct).toBe(Number(t.owners_share) >= 0.05 ? 'yes' : 'no');
    }
    // the rules fired: dangerous-building repair and lifts appear with their departments
    expect(res.data.some((r) => r.item_code === 'RB11' && r.lead_department.includes('住房'))).toBe(true);
    expect(res.data.some((r) => r.item_code === 'RI10' && r.funding.startsWith('separate'))).toBe(true);
    expect(res.data.every((r) => r.row === 'total' || r.cost_source === 'assumption (INF)')).toBe(true);
  });

  it('uses an edited catalogue and a survey (2/3 proposes an item); writes XLSX', async () => {
    const dir = tmpDir();
    writeFileSync(join(dir, 'inv.csv'), inventory(5));
    const cat = defaultCatalogue();
    cat.items.find((i) => i.code === 'RB01')!.unitCostCny = 1000;
    writeFileSync(join(dir, 'items.csv'), Papa.unparse(catalogueToRows(cat)));
    writeFileSync(join(dir, 'survey.csv'), '小区,改造内容,同意户数,征询户数\n生成小区1,智能快件箱/信包箱,2,3\nG002,RU01,1,3\n');
    const out = join(dir, 'plan.xlsx');
    expect(await run(['--communities', join(dir, 'inv.csv'), '--items', join(dir, 'items.csv'), '--survey', join(dir, 'survey.csv'), '--out', out])).toBe(0);
    const wb = XLSX.read(readFileSync(out));
    const rows = XLSX.utils.sheet_to_json<Record<string, string | number>>(wb.Sheets[wb.SheetNames[0]], { range: 1 });
    expect(rows.find((r) => r.item_code === 'RB01')!.unit_cost_cny).toBe(1000);
    expect(rows.find((r) => r.community_id === 'G001' && r.item_code === 'RI14')).toMatchObject({ asked_by: 'residents (≥ 2/3)' });
    expect(rows.some((r) => r.community_id === 'G002' && r.item_code === 'RU01')).toBe(false);
  });

  it('bad input names the file, row and field', async () => {
    const dir = tmpDir();
    writeFileSync(join(dir, 'inv.csv'), inventory(3));
    const out = join(dir, 'o.csv');
    const cat = catalogueToRows(defaultCatalogue());
    cat[3][5] = '-5';
    writeFileSync(join(dir, 'items.csv'), Papa.unparse(cat));
    await expect(run(['--communities', join(dir, 'inv.csv'), '--items', join(dir, 'items.csv'), '--out', out])).rejects.toThrow('items.csv: row 4: field "unit_cost_cny": expected a cost ≥ 0 CNY, got "-5"');
    writeFileSync(join(dir, 's.csv'), '小区,改造内容,同意户数,征询户数\nG000,RB01,5,3\n');
    await expect(run(['--communities', join(dir, 'inv.csv'), '--survey', join(dir, 's.csv'), '--out', out])).rejects.toThrow('s.csv: row 2: column "同意户数": 5 in favour is more than the 3 households asked');
    writeFileSync(join(dir, 's2.csv'), '小区,改造内容,同意户数,征询户数\nG000,RB01,1,3\n无此小区,RB01,1,3\n');
    await expect(run(['--communities', join(dir, 'inv.csv'), '--survey', join(dir, 's2.csv'), '--out', out])).rejects.toThrow('s2.csv: row 3: column "community": no community "无此小区"');
    writeFileSync(join(dir, 'bad-inv.csv'), inventory(2).replace(/\nG001,生成小区1,([\d.]+),([\d.]+),(\d+),\d+,/, '\nG001,生成小区1,$1,$2,$3,many,'));
    // the inventory is read by the importer: the row is named on stderr (file row, header = row 1) and nothing is written
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await expect(run(['--communities', join(dir, 'bad-inv.csv'), '--out', out])).rejects.toThrow('bad-inv.csv: 1 row(s) rejected');
      expect(logged.mock.calls.flat().join('\n')).toMatch(/bad-inv.csv row 3 column "households": .*not a number \(value: "many"\)/);
    } finally {
      logged.mockRestore();
    }
  });
});
