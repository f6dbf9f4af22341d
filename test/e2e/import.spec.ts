/**
 * Issue 6 in a real browser: import an XLSX inventory with GCJ-02 coordinates and one bad row, map a
 * column the guess missed, choose GCJ-02, fix the row, confirm, and see the communities replace the
 * demonstration data at their WGS84 positions; then export the layer and re-import it with nothing lost.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import * as XLSX from '@e965/xlsx';
import type { Browser, Page } from 'playwright-core';
import { launch, openApp, shot, waitForMapIdle } from './browser';
import { fromWgs84 } from '../../src/lib/data/crs';
import { haversine } from '../../src/lib/data/import/roads';

const dir = mkdtempSync(join(tmpdir(), 'import-e2e-'));
// WGS84 truth of eight fictional estates in south Jiangbei
const TRUTH: [string, string, number, number, number, number, number][] = [
  ['孔浦一村', '孔浦街道', 1988, 812, 24, 121.5702, 29.9071],
  ['白沙新村', '白沙街道', 1992, 640, 18, 121.5495, 29.8985],
  ['中马小区', '中马街道', 1985, 455, 15, 121.5558, 29.8879],
  ['文教花园', '文教街道', 1996, 1020, 30, 121.5431, 29.8951],
  ['甬江人家', '甬江街道', 2001, 388, 11, 121.5902, 29.9032],
  ['庄桥老街区', '庄桥街道', 1983, 290, 12, 121.5435, 29.9445],
  ['洪塘里', '洪塘街道', 1999, 510, 16, 121.5205, 29.9372],
  ['慈城古县小区', '慈城镇', 1990, 330, 10, 121.4452, 29.9690],
];
const BAD = '洪塘里'; // its build year is 2099 in the file

function inventory(): string {
  const gcj = fromWgs84('GCJ02');
  const aoa: (string | number | null)[][] = [
    ['附件2 江北区城镇老旧小区改造清册 (浏览器测试)', null, null, null, null, null, null, null],
    // "居住户" is not a header the guess knows: the test maps it by hand. lng/lat do not say GCJ-02.
    ['小区名称', '街道', '建成年代', '居住户', '幢数', '建筑面积(万㎡)', 'lng', 'lat'],
    ...TRUTH.map(([name, street, year, hh, b, x, y]) => {
      const [gx, gy] = gcj([x, y]);
      return [name, street, name === BAD ? 2099 : year, hh, b, +((hh * 70) / 10000).toFixed(2), +gx.toFixed(6), +gy.toFixed(6)];
    }),
  ];
  const ws = XLSX.utils.aoa_to_sheet(aoa);
  ws['!merges'] = [{ s: { r: 0, c: 0 }, e: { r: 0, c: 7 } }];
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, '清册');
  const p = join(dir, '江北区老旧小区清册.xlsx');
  writeFileSync(p, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }));
  return p;
}

let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  browser = await launch();
  ({ page, errors } = await openApp(browser));
});
afterAll(async () => {
  await browser?.close();
});

const communities = () =>
  page.evaluate(() =>
    (window as any).__planner.app.dataset.communities.map((c: any) => {
      const ring = c.geometry.type === 'Polygon' ? c.geometry.coordinates[0] : c.geometry.coordinates[0][0];
      const n = ring.length - 1;
      let x = 0;
      let y = 0;
      for (let i = 0; i < n; i++) {
        x += ring[i][0];
        y += ring[i][1];
      }
      return { name: c.properties.name, synthetic: c.properties.synthetic, source: c.properties.source, build_year: c.properties.build_year, households: c.properties.households, floor: c.properties.floor_area_m2, centre: [x / n, y / n] };
    }),
  ) as Promise<{ name: string; synthetic: boolean; source: string; build_year: number; households: number; floor: number; centre: [number, number] }[]>;

describe('import an inventory', () => {
  test('the demonstration data is shown first', async () => {
    expect(await page.getByTestId('demo-badge').count()).toBe(1);
    expect(await page.getByTestId('fig-communities').textContent()).toBe('73');
  });

  test('file → columns (one mapped by hand) → GCJ-02 → fix the bad row → confirm', async () => {
    await page.getByTestId('mode-import').click();
    await page.getByTestId('import-file').setInputFiles(inventory());
    await page.getByTestId('import-mapping').waitFor();
    // the guess: name/street/year/buildings/area/lon/lat found, households not
    expect(await page.getByTestId('map-name').inputValue()).toBe('小区名称');
    expect(await page.getByTestId('map-lon').inputValue()).toBe('lng');
    expect(await page.getByTestId('map-households').inputValue()).toBe('');
    expect(await page.getByTestId('import-area-unit').inputValue()).toBe('wan_m2');
    await page.getByTestId('map-households').selectOption('居住户');
    await expect.poll(() => page.getByTestId('import-preview-table').textContent()).toContain('812');
    await shot(page, 'import-1-mapping');

    await page.getByTestId('import-next').click();
    // lng/lat alone cannot tell WGS84 from GCJ-02: the guess says so, the user picks GCJ-02
    expect(await page.getByTestId('import-crs-reason').textContent()).toContain('GCJ-02');
    expect(await page.getByTestId('import-crs-select').inputValue()).toBe('EPSG:4326');
    // the same values read as WGS84, GCJ-02 and BD-09, side by side; pick GCJ-02 from the comparison
    expect(await page.getByTestId('import-crs-compare').locator('tbody tr').count()).toBe(3);
    await page.getByTestId('import-use-GCJ02').click();
    expect(await page.getByTestId('import-crs-select').inputValue()).toBe('GCJ02');
    await expect.poll(() => page.getByTestId('import-placement').textContent()).toContain('全部位置都在江北区内');
    await page.getByTestId('import-zoom').click();
    await page.waitForTimeout(800);
    await shot(page, 'import-2-crs-preview');

    await page.getByTestId('import-next').click();
    await expect.poll(() => page.getByTestId('import-summary').textContent()).toContain('1 行有错误');
    const badRow = 3 + TRUTH.findIndex((r) => r[0] === BAD); // title row 1, header row 2, data from row 3
    const row = page.getByTestId(`import-row-${badRow}`);
    expect(await row.textContent()).toContain('建成年代 2099 不可能');
    expect(await page.getByTestId('import-confirm').isDisabled()).toBe(true);
    await page.getByTestId(`import-fix-${badRow}-build_year`).fill('1999');
    await shot(page, 'import-3-validation');
    await page.getByTestId(`import-apply-${badRow}`).click();
    await expect.poll(() => page.getByTestId('import-summary').textContent()).toContain('8 行可导入，0 行有错误');

    await page.getByTestId('import-confirm').click();
    await expect.poll(() => page.getByTestId('import-message').textContent()).toContain('已导入 8 条小区记录');
  });

  test('the communities replaced the demonstration data, at their WGS84 positions, marked as real', async () => {
    expect(await page.getByTestId('fig-communities').textContent()).toBe('8');
    expect(await page.getByTestId('demo-badge').count()).toBe(0);
    // the communities are imported, the walking network is still demonstration data: the badge says so (issue 10)
    expect(await page.getByTestId('mixed-badge').textContent()).toContain('江北区老旧小区清册.xlsx');
    expect(await page.getByTestId('prov-roads').getAttribute('data-kind')).toBe('demo');
    expect(await page.getByTestId('prov-communities').getAttribute('data-kind')).toBe('imported');
    const cs = await communities();
    expect(cs.map((c) => c.name).sort()).toEqual(TRUTH.map((r) => r[0]).sort());
    for (const c of cs) {
      const t = TRUTH.find((r) => r[0] === c.name)!;
      // GCJ-02 → WGS84: within a few metres of the truth (the raw GCJ-02 values are ~490 m off)
      expect(haversine(c.centre, [t[5], t[6]])).toBeLessThan(3);
      expect(c.synthetic).toBe(false);
      expect(c.source).toBe('江北区老旧小区清册.xlsx');
      expect(c.households).toBe(t[3]);
      expect(c.build_year).toBe(c.name === BAD ? 1999 : t[2]);
    }
    await page.waitForTimeout(500);
    await shot(page, 'import-4-replaced');
  });

  test('export the layer and re-import it: nothing lost', async () => {
    const before = await communities();
    await page.getByTestId('export-layer').selectOption('communities');
    await page.getByTestId('export-format').selectOption('csv');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-button').click()]);
    const saved = join(dir, download.suggestedFilename());
    await download.saveAs(saved);
    const csv = readFileSync(saved, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain('孔浦一村');

    await page.getByTestId('import-again').click();
    await page.getByTestId('import-file').setInputFiles(saved);
    await page.getByTestId('import-mapping').waitFor();
    await page.getByTestId('import-next').click();
    expect(await page.getByTestId('import-crs-select').inputValue()).toBe('EPSG:4326');
    await page.getByTestId('import-next').click();
    await expect.poll(() => page.getByTestId('import-summary').textContent()).toContain('8 行可导入，0 行有错误');
    await page.getByTestId('import-confirm').click();
    await expect.poll(() => page.getByTestId('import-message').textContent()).toContain('已导入 8 条小区记录');
    const after = await communities();
    expect(after).toEqual(before);
  });

  test('the import can be undone and redone, and survives a reload (autosave)', async () => {
    const before = await communities();
    // undo the re-import, then the first import: the demonstration data is back
    await page.getByTestId('undo').click();
    await page.getByTestId('undo').click();
    await expect.poll(() => page.getByTestId('fig-communities').textContent()).toBe('73');
    expect(await page.getByTestId('demo-badge').count()).toBe(1);
    await page.getByTestId('redo').click();
    await page.getByTestId('redo').click();
    await expect.poll(() => page.getByTestId('fig-communities').textContent()).toBe('8');
    expect(await communities()).toEqual(before);
    // autosave is debounced (300 ms): wait until it reports a save, then past one more debounce
    await expect.poll(() => page.getByTestId('autosave-status').getAttribute('data-saved'), { timeout: 10_000 }).toBe('yes');
    await page.waitForTimeout(1000);
    await page.reload();
    await waitForMapIdle(page);
    await expect.poll(() => page.getByTestId('fig-communities').textContent()).toBe('8');
    expect(await communities()).toEqual(before);
    expect(await page.getByTestId('demo-badge').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});

describe('analysis tables', () => {
  test('all tables as one XLSX workbook, with the attribution row', async () => {
    await page.getByTestId('mode-import').click();
    await page.getByTestId('export-table').selectOption('all');
    await page.getByTestId('export-table-format').selectOption('xlsx');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-tables-button').click()]);
    const saved = join(dir, download.suggestedFilename());
    await download.saveAs(saved);
    const wb = XLSX.read(readFileSync(saved), { type: 'buffer' });
    expect(wb.SheetNames).toEqual(expect.arrayContaining(['communities', 'scores', 'progress']));
    const scores = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets.scores, { header: 1 });
    expect(String(scores[0][0])).toContain('Attribution');
    expect(scores[1]).toEqual(expect.arrayContaining(['rank', 'id', 'name', 'total', 'eligible']));
    expect(scores.length).toBe(2 + 8);
  });
});

describe('drop anywhere, 未定位 records, road network', () => {
  let p2: Page;
  let errors2: string[];
  beforeAll(async () => {
    ({ page: p2, errors: errors2 } = await openApp(browser));
  });

  async function drop(file: string) {
    const b64 = readFileSync(join('test/fixtures/import/in', file)).toString('base64');
    const dt = await p2.evaluateHandle(
      ({ name, b64 }) => {
        const dt = new DataTransfer();
        dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name));
        return dt;
      },
      { name: file, b64 },
    );
    await p2.dispatchEvent('main', 'drop', { dataTransfer: dt });
  }

  test('a GBK CSV dropped on the map opens the import; its row without coordinates is placed by a click', async () => {
    expect(await p2.getByTestId('panel-explore').count()).toBe(1);
    await drop('communities-gbk.csv');
    await p2.getByTestId('import-mapping').waitFor();
    expect(await p2.getByTestId('map-name').inputValue()).toBe('小区名称');
    await p2.getByTestId('import-step-validate').click();
    await expect.poll(() => p2.getByTestId('import-summary').textContent()).toContain('6 行可导入，4 行有错误，1 行未定位');
    await p2.getByTestId('import-skip-all').click();
    await p2.getByTestId('import-commit-mode').selectOption('extend');
    await p2.getByTestId('import-confirm').click();
    await expect.poll(() => p2.getByTestId('fig-communities').textContent()).toBe('79');
    // still demonstration data in the layer: the badge stays
    expect(await p2.getByTestId('demo-badge').count()).toBe(1);
    expect(await p2.getByTestId('import-unlocated').textContent()).toContain('无坐标小区');
    await shot(p2, 'import-5-unlocated');
    await p2.getByTestId('place-0').click();
    const box = (await p2.locator('.maplibregl-canvas').boundingBox())!;
    await p2.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => p2.getByTestId('fig-communities').textContent()).toBe('80');
    expect(await p2.getByTestId('import-unlocated').count()).toBe(0);
    const placed = await p2.evaluate(() => {
      const c = (window as any).__planner.app.dataset.communities.find((f: any) => f.properties.name === '无坐标小区');
      return { source: c.properties.source, synthetic: c.properties.synthetic, type: c.geometry.type };
    });
    expect(placed).toEqual({ source: 'communities-gbk.csv', synthetic: false, type: 'Polygon' });
  });

  test('an unlocated community gets a drawn boundary; a crossing boundary is refused', async () => {
    await p2.getByTestId('import-again').click();
    await drop('communities-utf8-bom.csv');
    await p2.getByTestId('import-step-validate').click();
    await p2.getByTestId('import-skip-all').click();
    await p2.getByTestId('import-commit-mode').selectOption('extend');
    await p2.getByTestId('import-confirm').click();
    await expect.poll(() => p2.getByTestId('fig-communities').textContent()).toBe('86');
    await p2.getByTestId('draw-0').click();
    const box = (await p2.locator('.maplibregl-canvas').boundingBox())!;
    const at = (dx: number, dy: number) => p2.mouse.click(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy);
    // a bow tie first: refused
    await at(0, 0);
    await at(60, 60);
    await at(60, 0);
    await at(0, 60);
    await p2.getByTestId('draw-finish').click();
    await expect.poll(() => p2.getByTestId('import-error').textContent()).toContain('边界自相交');
    await p2.keyboard.press('Escape');
    await p2.getByTestId('draw-0').click();
    await at(0, 0);
    await at(80, 0);
    await at(80, 50);
    await at(0, 50);
    expect(await p2.getByTestId('import-error').count()).toBe(0);
    await p2.waitForTimeout(600);
    await shot(p2, 'import-6a-drawing');
    await p2.getByTestId('draw-finish').click();
    await expect.poll(() => p2.getByTestId('fig-communities').textContent()).toBe('87');
    const drawn = await p2.evaluate(() => {
      const c = (window as any).__planner.app.dataset.communities.find((f: any) => f.properties.name === '无坐标小区' && f.properties.source === 'communities-utf8-bom.csv');
      return { type: c.geometry.type, n: c.geometry.coordinates[0].length };
    });
    expect(drawn).toEqual({ type: 'Polygon', n: 5 });
  });

  test('an OSM extract replaces the road network, with a summary first', async () => {
    await drop('roads-footways-river.osm');
    await p2.getByTestId('import-sheet').waitFor();
    // three layers in the file: roads first (the sheet step is shown because there is a choice)
    expect(await p2.getByTestId('import-sheet').locator('option').allTextContents()).toEqual(['roads — 5 行', 'facilities — 4 行', 'barriers — 3 行']);
    await p2.getByTestId('import-step-validate').click();
    const summary = await p2.getByTestId('import-roads-summary').textContent();
    expect(summary).toContain('5 条路段，9 条边');
    expect(summary).toContain('2 个连通部分');
    expect(summary).toContain('1 座桥');
    // says plainly that a road import is not autosaved
    expect(await p2.getByTestId('import-roads-session').textContent()).toContain('不自动保存');
    await shot(p2, 'import-6-roads');
    await p2.getByTestId('import-confirm').click();
    await expect.poll(() => p2.evaluate(() => (window as any).__planner.app.dataset.roads.length)).toBe(5);
    expect(await p2.evaluate(() => (window as any).__planner.app.dataset.roads.every((r: any) => r.properties.synthetic === false && r.properties.source === 'roads-footways-river.osm'))).toBe(true);
    expect(errors2).toEqual([]);
  });

  test('in English: the steps, the CRS reason and the export note', async () => {
    await p2.getByTestId('lang-toggle').click();
    await p2.getByTestId('import-again').click();
    await drop('facilities-gbk-nocpg.zip');
    await p2.getByTestId('import-mapping').waitFor();
    expect(await p2.getByTestId('import-panel').textContent()).toContain('Import data');
    await p2.getByTestId('import-next').click();
    expect(await p2.getByTestId('import-crs-reason').textContent()).toContain('from the .prj file');
    expect(await p2.getByTestId('export-menu').textContent()).toContain('synthetic=true');
    await shot(p2, 'import-7-english');
    await p2.getByTestId('import-cancel').click();
    expect(await p2.getByTestId('import-message').textContent()).toBe('Import cancelled; nothing was changed.');
    expect(errors2).toEqual([]);
  });
});
