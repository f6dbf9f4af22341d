import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './import.ts';
import { newRowReport, readLayer } from './io.ts';
import { haversine } from '../../src/lib/data/import/roads.ts';

const dir = mkdtempSync(join(tmpdir(), 'import-cli-'));
const F = 'test/fixtures/import/in';
const truth = JSON.parse(readFileSync(`${F}/truth.json`, 'utf8'));

async function cli(argv: string[]): Promise<{ code: number; err: string[] }> {
  const err: string[] = [];
  const spy = vi.spyOn(console, 'error').mockImplementation((m: string) => void err.push(m));
  try {
    return { code: await run(argv), err };
  } finally {
    spy.mockRestore();
  }
}

describe('planner import', () => {
  it('rejected rows: stderr names file, row, column and reason; exit 1; nothing written', async () => {
    const out = join(dir, 'a.geojson');
    const { code, err } = await cli(['--in', `${F}/communities-gbk.csv`, '--out', out]);
    expect(code).toBe(1);
    expect(err).toContain('error: communities-gbk.csv row 8 column "建成年代": build year 2099 is impossible (must be 1900–2026) (value: "2099")');
    expect(err).toContain('error: communities-gbk.csv row 10 column "户数": households cannot be negative (value: "-5")');
    expect(err.join('\n')).toMatch(/encoding: GBK/);
    expect(err.join('\n')).toMatch(/floor area unit: 万m²/);
    expect(existsSync(out)).toBe(false);
  });
  it('--keep-going writes the accepted and unlocated rows but still exits 1', async () => {
    const out = join(dir, 'b.geojson');
    const { code } = await cli(['--in', `${F}/communities-gbk.csv`, '--out', out, '--keep-going']);
    expect(code).toBe(1);
    const fc = JSON.parse(readFileSync(out, 'utf8'));
    expect(fc.features).toHaveLength(7);
    expect(fc.features.filter((f: { geometry: unknown }) => f.geometry === null).map((f: { properties: { name: string } }) => f.properties.name)).toEqual(['无坐标小区']);
    expect(fc.properties.attribution).toContain('communities-gbk.csv');
  });
  it('a clean file converts (GK shapefile → WGS84 FlatGeobuf) with exit 0, and the output reads back', async () => {
    const out = join(dir, 'c.fgb');
    const { code, err } = await cli(['--in', `${F}/communities-cgcs2000-gk-4549.zip`, '--out', out]);
    expect(code).toBe(0);
    expect(err.join('\n')).toMatch(/EPSG:4549.*\.prj/);
    const back = await readLayer(out, { kind: 'communities', log: () => {} });
    expect(back).toHaveLength(6);
    expect(back.map((f) => f.properties.name)).toEqual(Object.keys(truth['communities-gbk.csv']));
    expect(back.every((f) => f.properties.synthetic === false && f.properties.source === 'communities-cgcs2000-gk-4549.zip')).toBe(true);
  });
  it('--write-mapping saves the guess; an edited --mapping is used (here: the category column unmapped)', async () => {
    const m = join(dir, 'm.json');
    await cli(['--in', `${F}/facilities-gbk-nocpg.zip`, '--out', join(dir, 'd.geojson'), '--write-mapping', m]);
    const mapping = JSON.parse(readFileSync(m, 'utf8'));
    expect(mapping).toMatchObject({ kind: 'facilities', columns: { name: 'NAME', category: 'CATEGORY' }, crs: 'EPSG:4326' });
    mapping.columns.category = null;
    writeFileSync(m, JSON.stringify(mapping));
    const { code, err } = await cli(['--in', `${F}/facilities-gbk-nocpg.zip`, '--out', join(dir, 'e.geojson'), '--mapping', m]);
    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(/missing facility category/);
  });
  it('--crs overrides the guess; a wrong one is visible as points far outside Jiangbei', async () => {
    const { code, err } = await cli(['--in', `${F}/points-gcj02.csv`, '--out', join(dir, 'f.geojson'), '--crs', 'EPSG:3857']);
    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(/far outside Jiangbei|after conversion/);
  });
  it('usage errors exit 2', async () => {
    expect((await cli(['--in', 'x.csv'])).code).toBe(2);
    expect((await cli(['--in', 'x.csv', '--out', 'y.txt'])).code).toBe(2);
    expect((await cli(['--in', 'x.csv', '--out', 'y.geojson', '--bogus'])).code).toBe(2);
  });
  it('a missing file fails with its name', async () => {
    const { code, err } = await cli(['--in', join(dir, 'nope.csv'), '--out', join(dir, 'g.geojson')]);
    expect(code).toBe(1);
    expect(err[0]).toMatch(/nope\.csv: cannot read the file \(ENOENT\)/);
  });
});

describe('readLayer (shared by coverage, bundle, score)', () => {
  it('reads an XLSX inventory with --crs gcj02 into typed WGS84 communities', async () => {
    const logs: string[] = [];
    const rows = newRowReport();
    const cs = await readLayer(`${F}/inventory-merged-header-gcj02.xlsx`, { kind: 'communities', crs: 'gcj02', log: (l) => logs.push(l), rows });
    const kongpu = cs.find((c) => c.properties.name === '孔浦一村')!;
    expect(kongpu.properties.households).toBe(812);
    const ring = (kongpu.geometry as { coordinates: number[][][] }).coordinates[0];
    const cx = ring.slice(0, -1).reduce((s, p) => s + p[0], 0) / (ring.length - 1);
    const cy = ring.slice(0, -1).reduce((s, p) => s + p[1], 0) / (ring.length - 1);
    expect(haversine([cx, cy], truth['inventory-merged-header-gcj02.xlsx']['孔浦一村'])).toBeLessThan(1);
    // the bad row is reported once and left out (counted, so the command can decide: nothing written, or --keep-going)
    expect(logs.filter((l) => /row 10 column "建成年代"/.test(l))).toHaveLength(1);
    expect(rows.rejected).toBe(1);
    // without a report, a rejected row makes the read fail instead of giving a partial layer
    await expect(readLayer(`${F}/inventory-merged-header-gcj02.xlsx`, { kind: 'communities', crs: 'gcj02', log: () => {} })).rejects.toThrow(/1 row\(s\) rejected/);
  });
  it('without a kind, properties pass through as in the file (arrays intact)', async () => {
    const p = join(dir, 'm.geojson');
    writeFileSync(p, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'M1', lines: ['1', '2'] }, geometry: { type: 'Point', coordinates: [121.55, 29.9] } }] }));
    const fs = await readLayer(p);
    expect(fs[0].properties).toEqual({ id: 'M1', lines: ['1', '2'] });
  });
  it('rejects an unknown --crs before reading', async () => {
    await expect(readLayer(`${F}/points-gcj02.csv`, { kind: 'facilities', crs: 'tokyo' })).rejects.toThrow(/unknown coordinate system "tokyo"/);
  });
});
