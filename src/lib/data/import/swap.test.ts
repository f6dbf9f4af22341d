/**
 * Issue 16 item 9 (part) — swapped X/Y columns. A surveyed table with the northing in the X column was
 * rejected row by row as "far outside Jiangbei: wrong coordinate system?". Now the swap is detected from the
 * values (as given they are recognised nowhere near Jiangbei; swapped they are, and land in it) and offered:
 * the app has a one-click swap, the CLI names the swap and the flag (--swap-xy) or mapping that fixes it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { fromWgs84 } from '../crs';
import { importFile, detectSwappedColumns, swapColumns } from './index';
import { run } from '../../../../scripts/cli/import';

const SITES: [string, number, number][] = [
  ['孔浦一村', 121.5702, 29.9071],
  ['白沙新村', 121.5495, 29.8985],
  ['中马小区', 121.5558, 29.8879],
];

/** a CSV whose X column holds northings and Y eastings, in the given reading */
function swappedCsv(crs: string, header = 'X,Y'): Uint8Array {
  const f = fromWgs84(crs);
  const lines = [`小区名称,${header}`, ...SITES.map(([n, lon, lat]) => {
    const [e, nth] = f([lon, lat]);
    return `${n},${nth.toFixed(crs === 'EPSG:4326' ? 6 : 2)},${e.toFixed(crs === 'EPSG:4326' ? 6 : 2)}`;
  })];
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

describe('issue 16 item 9: swapped X/Y columns', () => {
  for (const [crs, label] of [
    ['EPSG:4549', 'CGCS2000 Gauss-Krüger metres without zone (northing as X)'],
    ['EPSG:4528', 'CGCS2000 Gauss-Krüger metres with zone 40 (northing as X)'],
    ['EPSG:4326', 'degrees, latitude in the X column'],
  ] as const)
    it(`detected and offered: ${label}`, async () => {
      const p = await importFile('survey.csv', swappedCsv(crs), { year: 2026 });
      // as given: every row rejected as far outside
      expect(p.staged.counts.error).toBe(3);
      expect(p.swap).toMatchObject({ lon: 'Y', lat: 'X', crs });
      expect(p.swap!.reason.en).toContain('"X" holds northings');
      // accepting the offer: every row lands where it should
      const fixed = await importFile('survey.csv', swappedCsv(crs), { year: 2026, swapXY: true });
      expect(fixed.crs).toBe(crs);
      expect(fixed.staged.counts).toMatchObject({ ok: 3, error: 0 });
      fixed.staged.rows.forEach((r, i) => {
        expect(r.position![0]).toBeCloseTo(SITES[i][1], 5);
        expect(r.position![1]).toBeCloseTo(SITES[i][2], 5);
      });
      expect(fixed.swap).toBeNull();
    });

  it('not offered for correct columns, and the app can swap the mapping itself', async () => {
    const lines = ['小区名称,经度,纬度', ...SITES.map(([n, x, y]) => `${n},${x},${y}`)];
    const p = await importFile('ok.csv', new TextEncoder().encode(lines.join('\n')), { year: 2026 });
    expect(p.swap).toBeNull();
    expect(p.staged.counts.ok).toBe(3);
    expect(detectSwappedColumns(p.sheet, swapColumns(p.mapping), 'EPSG:4326')).toMatchObject({ lon: '经度', lat: '纬度', crs: 'EPSG:4326' });
  });

  it('CLI: the message names the swap and the flag; --swap-xy imports every row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swap-'));
    const input = join(dir, 'survey.csv');
    writeFileSync(input, swappedCsv('EPSG:4549'));
    const err: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((m: string) => void err.push(m));
    try {
      expect(await run(['--in', input, '--out', join(dir, 'a.geojson')])).toBe(1);
      expect(err.join('\n')).toContain('import: the X/Y columns look swapped: "X" holds northings (latitude/Y) and "Y" eastings (longitude/X)');
      expect(err.join('\n')).toContain('pass --swap-xy (or a --mapping file with "lon": "Y", "lat": "X")');
      err.length = 0;
      expect(await run(['--in', input, '--out', join(dir, 'b.geojson'), '--swap-xy'])).toBe(0);
      expect(err.join('\n')).toContain('X/Y swapped (--swap-xy): lon ← "Y", lat ← "X"');
    } finally {
      spy.mockRestore();
    }
    const fc = JSON.parse(readFileSync(join(dir, 'b.geojson'), 'utf8'));
    expect(fc.features.map((f: { properties: { name: string } }) => f.properties.name)).toEqual(SITES.map((s) => s[0]));
  });
});
