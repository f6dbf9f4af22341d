/**
 * Issue 16 item 6 — CSV formula injection. Names starting with = + - @ (and TAB/CR, per OWASP) were written
 * raw into every CSV export; now every writer (layer CSV/XLSX, analysis tables, the CLI's coverage, score and
 * bundle outputs) prefixes such text cells with ', numbers stay numbers, and re-importing our own export
 * gives back the original text.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import * as XLSX from '@e965/xlsx';
import Papa from 'papaparse';
import type { Feature, Point } from 'geojson';
import { exportLayer, tableToCsv, tablesToXlsx } from './index';
import { neutralise, restoreCell, safeCell } from './cells';
import { readSource } from '../import';
import { coverageCsv, type CoverageResult } from '../../analysis/coverage';
import { run as score } from '../../../../scripts/cli/score';
import { gapsFromCoverageCsv } from '../../../../scripts/cli/bundle';

const HOSTILE = ['=HYPERLINK("http://x.test","点我")', '+1+cmd|\' /C calc\'!A0', '-2+3', '@SUM(A1:A9)', '\tTAB开头', '\r回车开头', '=1+1小区'];
const META = { layer: 'communities', attribution: ['测试'] };

const points: Feature<Point>[] = HOSTILE.map((name, i) => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [121.55 + i / 1000, 29.9] },
  properties: { name, households: -5 - i, note: '-7', plain: '普通文字' },
}));

const csvData = (text: string) => Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;

describe('issue 16 item 6: CSV formula injection', () => {
  it('the rule: text starting with = + - @ TAB CR gets a leading apostrophe; numbers and plain-number text do not', () => {
    for (const s of HOSTILE) expect(neutralise(s)).toBe(`'${s}`);
    expect(safeCell(-5)).toBe(-5);
    expect(safeCell('-5')).toBe('-5');
    expect(safeCell('+3.5e2')).toBe('+3.5e2');
    expect(safeCell('普通')).toBe('普通');
    expect(safeCell(null)).toBe('');
    for (const s of [...HOSTILE, '-5', "'普通", "'"]) expect(restoreCell(safeCell(s) as string)).toBe(s);
  });

  it('layer CSV: hostile names are neutralised, negative numbers stay unquoted numbers; re-import restores the text', async () => {
    const out = exportLayer(points, 'csv', META);
    const text = new TextDecoder().decode(out.bytes);
    const rows = csvData(text);
    const header = rows[1];
    const body = rows.slice(2);
    const name = header.indexOf('name');
    expect(body.map((r) => r[name])).toEqual(HOSTILE.map((s) => `'${s}`));
    expect(body.map((r) => r[header.indexOf('households')])).toEqual(HOSTILE.map((_, i) => String(-5 - i)));
    expect(text).toContain(',-5,');
    const back = await readSource('communities.csv', out.bytes);
    const sheet = back.sheets[0];
    expect(sheet.rows.map((r) => r[sheet.headers.indexOf('name')])).toEqual(HOSTILE.map((s) => s.trim()));
    expect(sheet.rows.map((r) => Number(r[sheet.headers.indexOf('households')]))).toEqual(HOSTILE.map((_, i) => -5 - i));
  });

  it('layer and table XLSX: hostile text cells carry the apostrophe, numbers are numeric cells; re-import restores the text', async () => {
    const out = exportLayer(points, 'xlsx', META);
    const wb = XLSX.read(out.bytes, { type: 'array' });
    const ws = wb.Sheets[wb.SheetNames[0]];
    const grid = XLSX.utils.sheet_to_json<unknown[]>(ws, { header: 1, raw: true });
    const header = grid[1] as string[];
    expect(grid.slice(2).map((r) => r[header.indexOf('name')])).toEqual(HOSTILE.map((s) => `'${s}`));
    expect(grid.slice(2).map((r) => r[header.indexOf('households')])).toEqual(HOSTILE.map((_, i) => -5 - i));
    const back = await readSource('communities.xlsx', out.bytes);
    const sheet = back.sheets[0];
    expect(sheet.rows.map((r) => r[sheet.headers.indexOf('name')])).toEqual(HOSTILE.map((s) => s.trim()));

    const tables = tablesToXlsx([{ name: '评分', rows: [{ id: '=A1', total: -3 }] }], META);
    const t = XLSX.read(tables, { type: 'array' });
    const tws = t.Sheets[t.SheetNames[0]];
    expect(tws.A3.v).toBe("'=A1");
    expect(tws.B3).toMatchObject({ t: 'n', v: -3 });
    const csv = tableToCsv({ name: '评分', rows: [{ id: '@x', total: -3 }] }, META);
    expect(csvData(csv)[2]).toEqual(["'@x", '-3']);
  });

  it('a column header taken from an imported file is neutralised too', () => {
    const text = new TextDecoder().decode(exportLayer([{ geometry: null, properties: { '=bad': 1 } }], 'csv', META).bytes);
    expect(csvData(text)[1][0]).toBe("'=bad");
  });

  it('CLI outputs: coverage CSV, score CSV, and the bundle command reads a neutralised coverage CSV back', async () => {
    const result = {
      communities: [{ id: '=cmd', name: 'x', street: 's', byCategory: [{ category: 'park', distance: 120.25, threshold: 300, met: false, facilityId: '+f1' }] }],
    } as unknown as CoverageResult;
    const cov = coverageCsv(result);
    expect(csvData(cov)[1]).toEqual(["'=cmd", 'park', '120.3', '300', 'false', "'+f1"]);
    expect(gapsFromCoverageCsv(cov, 'coverage.csv')).toEqual({ '=cmd': ['park'] });

    const dir = mkdtempSync(join(tmpdir(), 'formula-'));
    const input = join(dir, 'c.csv');
    writeFileSync(input, 'id,name,lon,lat,build_year,households\nA,=HYPERLINK("x"),121.55,29.89,1988,600\n');
    const out = join(dir, 'scores.csv');
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await score(['--communities', input, '--out', out]);
    } finally {
      spy.mockRestore();
    }
    const rows = Papa.parse<Record<string, string>>(readFileSync(out, 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(rows[0].name).toBe('\'=HYPERLINK("x")');
  });
});
