/**
 * Issue 11 in a real browser: outputs from the mode you are in. Print/PDF from coverage mode with one
 * category (Ctrl+P) and from bundle mode: the legend names what the map shows, the parameters are on the
 * sheet, the map fills its frame (no blank band), the selection outline stays off; tender sheets (one
 * page per bundle, with the members' names) and a community sheet. Artifacts: test-artifacts/outputs-*.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { ARTIFACTS, launch, openApp, shot } from './browser';
import { blankBand, pdfPages, pdfText, rasterise } from './pdfcheck';
import { sheetLayout } from '../../src/lib/present/printLayout';

let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  browser = await launch();
  ({ page, errors } = await openApp(browser, '', { width: 1366, height: 768 }));
  mkdirSync(ARTIFACTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

/** Print what is open (print media, the sheet's own @page size) and return the PDF path. */
async function toPdf(name: string): Promise<string> {
  await page.waitForFunction(() => [...document.images].every((i) => i.complete));
  await page.emulateMedia({ media: 'print' });
  const path = `${ARTIFACTS}/${name}.pdf`;
  await page.pdf({ path, preferCSSPageSize: true, printBackground: true });
  await page.emulateMedia({ media: 'screen' });
  return path;
}

async function printReady(): Promise<number> {
  await page.waitForSelector('[data-testid="print-sheet"][data-ready="true"]', { timeout: 30_000 });
  return page.evaluate(() => (window as any).__planner.printReadyMs as number);
}

/** The map box of an A3 landscape sheet must be painted edge to edge. */
function expectNoBlankBand(path: string, name: string) {
  const r = rasterise(path, 1, 40, `${ARTIFACTS}/${name}-page1`);
  const band = blankBand(r, sheetLayout('A3', 'landscape').map);
  expect(band.rows).toBeLessThan(0.03);
  expect(band.cols).toBeLessThan(0.03);
}

describe('outputs from the mode you are in', () => {
  test('coverage mode, one category: Ctrl+P prints the A3 sheet with that category in the legend and the parameters', async () => {
    await page.getByTestId('mode-coverage').click();
    await expect.poll(() => page.getByTestId('coverage-fig-complete').textContent(), { timeout: 30_000 }).toMatch(/^\d+ \/ 73 \(/);
    const option = page.getByTestId('coverage-color-by').locator('option').nth(1);
    const category = (await option.getAttribute('value'))!;
    const label = ((await option.textContent()) ?? '').trim();
    await page.getByTestId('coverage-color-by').selectOption(category);
    // a selected community: its outline must not be printed unless asked
    await page.evaluate(() => {
      const p = (window as any).__planner;
      p.app.selectedId = p.app.dataset.communities[0].properties.id;
    });
    const legendTitle = (await page.getByTestId('legend-theme').locator('h3').textContent())!.trim();
    // the browser's print dialogue would hold the page: count the calls instead
    await page.evaluate(() => {
      (window as any).__printCalls = 0;
      window.print = () => void (window as any).__printCalls++;
    });
    await page.keyboard.press('Control+P');
    const ms = await printReady();
    console.log(`print-ready (A3 landscape, coverage): ${Math.round(ms)} ms, map render ${Math.round(await page.evaluate(() => (window as any).__planner.printRenderMs))} ms`);
    // Ctrl+P opened the sheet and then the print dialogue, once the map was in place
    await expect.poll(() => page.evaluate(() => (window as any).__printCalls)).toBe(1);
    expect(await page.getByTestId('print-selection').isChecked()).toBe(false);
    await shot(page, 'outputs-coverage-a3-preview');
    const path = await toPdf('outputs-coverage-a3');
    expect(pdfPages(path)).toBe(1);
    const text = pdfText(path).replace(/\s+/g, ' ');
    expect(text).toContain(legendTitle);
    expect(label).toContain(legendTitle.split(' ')[0]);
    expect(text).toContain('5/10/15分钟');
    expect(text).toMatch(/1:\d[\d,]*/);
    expectNoBlankBand(path, 'outputs-coverage-a3');
    await page.getByTestId('print-close').click();
  });

  test('bundle mode: print from the output menu, the bundle legend and parameters are on the sheet', async () => {
    await page.getByTestId('mode-bundle').click();
    await page.getByTestId('bundle-generate').click();
    await expect.poll(() => page.getByTestId('bundle-summary').textContent(), { timeout: 30_000 }).toMatch(/\d+ 个片区/);
    await page.getByTestId('output-menu').click();
    await page.getByTestId('output-print').click();
    await page.getByTestId('print-paper').selectOption('A3');
    await page.getByTestId('print-orientation').selectOption('landscape');
    await page.getByTestId('print-subtitle').fill('街道联席会');
    const ms = await printReady();
    console.log(`print-ready (A3 landscape, bundles): ${Math.round(ms)} ms, map render ${Math.round(await page.evaluate(() => (window as any).__planner.printRenderMs))} ms`);
    await shot(page, 'outputs-bundle-a3-preview');
    const path = await toPdf('outputs-bundle-a3');
    const text = pdfText(path).replace(/\s+/g, ' ');
    expect(text).toContain('连片改造片区');
    expect(text).toContain('街道联席会');
    expect(text).toMatch(/间距 ≤ \d+ m/);
    expectNoBlankBand(path, 'outputs-bundle-a3');
    await page.getByTestId('print-close').click();
  });

  test('tender sheets: one page per bundle, each with its members’ names', async () => {
    await page.getByTestId('output-menu').click();
    await page.getByTestId('output-tender').click();
    const pages = page.getByTestId('sheet-page');
    // the sheets' code loads when first opened (not at start): wait for them, then count
    await pages.first().waitFor();
    const n = await pages.count();
    expect(n).toBeGreaterThan(5);
    const members: string[][] = [];
    for (let i = 0; i < n; i++) members.push(await pages.nth(i).locator('[data-testid="tender-members"] tbody tr td:first-child').allTextContents());
    await shot(page, 'outputs-tender-preview');
    const path = await toPdf('outputs-tender');
    expect(pdfPages(path)).toBe(n);
    for (let i = 0; i < n; i++) {
      const text = pdfText(path, i + 1).replace(/\s+/g, '');
      for (const name of members[i]) expect(text).toContain(name.replace(/\s+/g, ''));
      expect(text).toContain('市级财政');
    }
    rasterise(path, 1, 60, `${ARTIFACTS}/outputs-tender-page1`);
    await page.getByTestId('sheet-close').click();
  });

  test('community sheet: record, gaps with distances, score per criterion, stage', async () => {
    const name = await page.evaluate(() => {
      const p = (window as any).__planner;
      return p.app.recordById.get(p.app.selectedId).name as string;
    });
    await page.getByTestId('output-menu').click();
    await page.getByTestId('output-community').click();
    await expect.poll(() => page.getByTestId('sheet-page-title').textContent()).toBe(name);
    expect(await page.getByTestId('community-gaps').textContent()).toMatch(/\d+ m/);
    await shot(page, 'outputs-community-preview');
    const path = await toPdf('outputs-community');
    expect(pdfPages(path)).toBe(1);
    const text = pdfText(path);
    expect(text).toContain(name);
    rasterise(path, 1, 60, `${ARTIFACTS}/outputs-community-page1`);
    await page.getByTestId('sheet-close').click();
    expect(errors).toEqual([]);
  });
});
