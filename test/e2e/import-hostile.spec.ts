/**
 * Issue 16 items 1, 2 and 9 in a real browser: untrusted files are parsed in a Web Worker (progress, a stop
 * button, the page keeps drawing frames), a crafted workbook pollutes nothing, hostile files end in a
 * specific message, and swapped X/Y columns are offered and fixed with one click.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import { launch, openApp, shot } from './browser';
import { fromWgs84 } from '../../src/lib/data/crs';
import { bigWorkbook, dbf, deflateBomb, makeZip, pointShp, protoCommentWorkbook } from '../hostile';

const dir = mkdtempSync(join(tmpdir(), 'import-hostile-e2e-'));
const file = (name: string, bytes: Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
};

let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  browser = await launch();
  ({ page, errors } = await openApp(browser, '', { width: 1366, height: 768 }));
  await page.getByTestId('mode-import').click();
});
afterAll(async () => {
  await browser?.close();
});

const prototypeKeys = () => page.evaluate(() => Object.getOwnPropertyNames(Object.prototype).sort().join(','));

describe('issue 16: hostile files in the app', () => {
  test('item 1: a workbook with a comment ref="__proto__" pollutes nothing and is read (in the import worker)', async () => {
    const before = await prototypeKeys();
    await page.getByTestId('import-file').setInputFiles(file('注释.xlsx', await protoCommentWorkbook()));
    await page.getByTestId('import-mapping').waitFor();
    expect(await prototypeKeys()).toBe(before);
    expect(await page.evaluate(() => { const o: Record<string, unknown> = {}; return o.c === undefined && o.t === undefined; })).toBe(true);
    expect(await page.getByTestId('map-name').inputValue()).toBe('小区名称');
    await page.getByTestId('import-cancel').click();
    expect(errors).toEqual([]);
  });

  test('items 1-2: a slow workbook shows progress, the page keeps drawing frames, and Stop ends the parse at once', async () => {
    await page.getByTestId('import-file').setInputFiles(file('大表.xlsx', await bigWorkbook(99_000, 10)));
    await page.getByTestId('import-progress').waitFor();
    // the main thread runs animation frames while the worker parses (a frozen page would not, until the end)
    const frames = await page.evaluate(() => new Promise<number>((resolve) => {
      let n = 0;
      const tick = () => (++n >= 5 ? resolve(n) : requestAnimationFrame(tick));
      requestAnimationFrame(tick);
    }));
    expect(frames).toBe(5);
    expect(await page.getByTestId('import-progress').isVisible()).toBe(true);
    await shot(page, 'import-hostile-1-progress-1366');
    await page.getByTestId('import-stop').click();
    await expect.poll(() => page.getByTestId('import-message').textContent()).toContain('已取消导入');
    expect(await page.getByTestId('import-progress').count()).toBe(0);
    expect(await page.getByTestId('import-mapping').count()).toBe(0);
  });

  test('item 2: hostile files end in a specific message (dBASE record count, zip bomb with a lying header)', async () => {
    await page.getByTestId('import-file').setInputFiles(file('dbf-2e9.zip', makeZip([{ name: 'a.shp', data: pointShp() }, { name: 'a.dbf', data: dbf(2e9) }])));
    await expect.poll(() => page.getByTestId('import-error').textContent()).toContain('a.dbf 无效: 表头声明 2000000000 条记录 × 11 字节');
    await page.getByTestId('import-file').setInputFiles(file('bomb.zip', makeZip([{ name: 'a.shp', data: pointShp() }, { name: 'a.dbf', deflated: deflateBomb(600), declared: 77 }])));
    await expect.poll(() => page.getByTestId('import-error').textContent(), { timeout: 30_000 }).toContain('a.dbf 解压超过 200 MB (文件头声明 77 字节；疑似压缩炸弹)，已停止');
    await shot(page, 'import-hostile-2-bomb-error');
    expect(errors).toEqual([]);
  });

  test('item 9: swapped X/Y columns are offered, and one click imports every row where it belongs', async () => {
    const f = fromWgs84('EPSG:4549');
    const sites: [string, number, number][] = [
      ['孔浦一村', 121.5702, 29.9071],
      ['白沙新村', 121.5495, 29.8985],
      ['中马小区', 121.5558, 29.8879],
    ];
    const csv = ['小区名称,X,Y', ...sites.map(([n, lon, lat]) => {
      const [e, nth] = f([lon, lat]);
      return `${n},${nth.toFixed(2)},${e.toFixed(2)}`;
    })].join('\n');
    await page.getByTestId('import-file').setInputFiles(file('测量坐标.csv', new TextEncoder().encode(csv)));
    await page.getByTestId('import-swap').waitFor();
    expect(await page.getByTestId('import-swap').textContent()).toContain('"X" 列是北坐标');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await shot(page, 'import-hostile-3-swap-offer-1920');
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByTestId('import-swap-button').click();
    expect(await page.getByTestId('import-swap').count()).toBe(0);
    await page.getByTestId('import-step-crs').click();
    expect(await page.getByTestId('import-crs-select').inputValue()).toBe('EPSG:4549');
    await expect.poll(() => page.getByTestId('import-placement').textContent()).toContain('全部位置都在江北区内');
    await shot(page, 'import-hostile-4-swapped-1366');
    await page.getByTestId('import-step-validate').click();
    await expect.poll(() => page.getByTestId('import-summary').textContent()).toContain('3 行可导入，0 行有错误');
  });
});
