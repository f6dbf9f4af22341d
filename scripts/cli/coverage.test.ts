import { describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './coverage.ts';

const dir = mkdtempSync(join(tmpdir(), 'coverage-cli-'));
const D = 'public/data';

describe('planner coverage', () => {
  it('writes one CSV row per community and category on the default dataset', async () => {
    const out = join(dir, 'cov.csv');
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const code = await run(['--communities', `${D}/communities.fgb`, '--facilities', `${D}/facilities.fgb`, '--roads', `${D}/roads.fgb`, '--gates', `${D}/gates.fgb`, '--metro', `${D}/metro.fgb`, '--out', out]);
    err.mockRestore();
    expect(code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('community_id,category,distance_m,threshold_m,met,nearest_facility_id');
    expect(lines).toHaveLength(1 + 73 * 18);
    for (const l of lines.slice(1)) {
      const [id, cat, d, thr, met] = l.split(',');
      expect(id).toMatch(/^C\d{3}$/);
      expect(cat).not.toBe('');
      expect(met === 'true' || met === 'false').toBe(true);
      if (d !== '') expect(met).toBe(String(Number(d) <= Number(thr)));
    }
    expect(lines.some((l) => l.split(',')[1] === 'metro' && l.split(',')[2] !== '')).toBe(true);
  });

  it('reads CSV inputs with lon/lat columns and writes GeoJSON, saying when it falls back to straight lines', async () => {
    writeFileSync(join(dir, 'c.csv'), 'id,name,residents,lon,lat\nA,甲小区,1000,121.55,29.9\nB,乙小区,500,121.56,29.9\n');
    writeFileSync(join(dir, 'f.csv'), 'id,name,category,lon,lat\nK1,幼儿园,kindergarten,121.551,29.9\n');
    const out = join(dir, 'cov.geojson');
    const msgs: string[] = [];
    const err = vi.spyOn(console, 'error').mockImplementation((m: string) => void msgs.push(m));
    const code = await run(['--communities', join(dir, 'c.csv'), '--facilities', join(dir, 'f.csv'), '--standard', 'complete-community', '--out', out]);
    err.mockRestore();
    expect(code).toBe(0);
    const fc = JSON.parse(readFileSync(out, 'utf8'));
    const a = fc.features.find((f: { properties: { id: string } }) => f.properties.id === 'A').properties;
    // 96.6 m straight × 1.3
    expect(a.kindergarten_m).toBeCloseTo(125.6, 0);
    expect(a.kindergarten_met).toBe(true);
    expect(fc.features.find((f: { properties: { id: string } }) => f.properties.id === 'B').properties.kindergarten_met).toBe(false);
    expect(msgs.join('\n')).toMatch(/no road network: straight-line distance × 1.3/);
  });

  it('names the file, row and field of a bad facility category', async () => {
    writeFileSync(join(dir, 'c2.csv'), 'id,name,residents,lon,lat\nA,甲,10,121.55,29.9\n');
    writeFileSync(join(dir, 'bad.csv'), 'id,name,category,lon,lat\nK1,幼儿园,kindergarten,121.55,29.9\nX9,火箭站,spaceport,121.55,29.9\n');
    const logs: string[] = [];
    const err = vi.spyOn(console, 'error').mockImplementation((l: string) => void logs.push(l));
    const out = join(dir, 'bad-cov.csv');
    // issue 16 item 7: a command that reports an error writes nothing and exits 1
    expect(await run(['--communities', join(dir, 'c2.csv'), '--facilities', join(dir, 'bad.csv'), '--out', out])).toBe(1);
    expect(existsSync(out)).toBe(false);
    expect(logs.filter((l) => l.startsWith('error:'))).toEqual([expect.stringMatching(/^error: bad\.csv row 3 column "category": unrecognised facility category .*\(value: "spaceport"\)$/)]);
    // --keep-going measures the valid rows and still exits 1
    expect(await run(['--communities', join(dir, 'c2.csv'), '--facilities', join(dir, 'bad.csv'), '--out', out, '--keep-going'])).toBe(1);
    expect(readFileSync(out, 'utf8')).toContain('A,kindergarten,');
    err.mockRestore();
  });

  it('rejects an unknown standard with exit code 2', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await run(['--communities', 'x', '--facilities', 'y', '--standard', 'gb99999'])).toBe(2);
    err.mockRestore();
  });
  it('--crs converts inputs copied from web maps (GCJ-02) to WGS84 before measuring', async () => {
    // a point copied from Amap (GCJ-02); its WGS84 position is ≈ 0.0042° further west and 0.0026° further north
    writeFileSync(join(dir, 'g.csv'), 'id,name,residents,lon,lat\nG,丙小区,800,121.5542,29.8974\n');
    writeFileSync(join(dir, 'gf.csv'), 'id,name,category,lon,lat\nK9,幼儿园,kindergarten,121.5552,29.8974\n');
    const positionOf = async (extra: string[]) => {
      const out = join(dir, `crs${extra.length}.geojson`);
      const err = vi.spyOn(console, 'error').mockImplementation(() => {});
      const code = await run(['--communities', join(dir, 'g.csv'), '--facilities', join(dir, 'gf.csv'), '--mode', 'buffer', '--out', out, ...extra]);
      err.mockRestore();
      expect(code).toBe(0);
      const f = JSON.parse(readFileSync(out, 'utf8')).features.find((x: { properties: { id: string } }) => x.properties.id === 'G');
      // CSV rows become small polygons around the point: take the centre of their bounds
      const ring: [number, number][] = f.geometry.type === 'Point' ? [f.geometry.coordinates] : f.geometry.coordinates[0];
      const xs = ring.map((c) => c[0]);
      const ys = ring.map((c) => c[1]);
      return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2] as [number, number];
    };
    const [lon0, lat0] = await positionOf([]);
    const [lon1, lat1] = await positionOf(['--crs', 'gcj02']);
    expect(lon0).toBeCloseTo(121.5542, 5);
    expect(lon0 - lon1).toBeGreaterThan(0.0035);
    expect(lon0 - lon1).toBeLessThan(0.005);
    expect(lat1 - lat0).toBeGreaterThan(0.0015);
    expect(lat1 - lat0).toBeLessThan(0.0035);
  });
});
