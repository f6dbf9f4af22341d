/**
 * Issue 7 in a real browser: saved views played in presentation mode with the keyboard, an A3 map printed
 * to PDF through the print layout (text checked with pdftotext, first page rendered with pdftoppm into
 * test-artifacts/ to look at), a PNG export at 2× and 3×, the one-click report, and all of it in English.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { ARTIFACTS, launch, openApp, shot, waitForMapIdle, waitForNextIdle } from './browser';

let browser: Browser;
let context: BrowserContext;
let page: Page;
let errors: string[];
let offsite: string[];

const SLIDES = [
  { title: '全区概览', note: '73个老旧小区', center: [121.55, 29.9], zoom: 12.2 },
  { title: '孔浦片区', note: '连片改造候选', center: [121.585, 29.907], zoom: 14.6 },
  { title: '慈城老城', note: '', center: [121.448, 29.968], zoom: 14.2 },
];

beforeAll(async () => {
  browser = await launch();
  ({ context, page, errors, offsite } = await openApp(browser));
  mkdirSync(ARTIFACTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

const center = () => page.evaluate(() => (window as any).__planner.map.getCenter().toArray() as [number, number]);
const distM = (a: number[], b: number[]) => {
  const lat = ((a[1] + b[1]) / 2) * (Math.PI / 180);
  return Math.hypot((a[0] - b[0]) * 111320 * Math.cos(lat), (a[1] - b[1]) * 110540);
};
/** wait until the map has finished flying to within 30 m of a slide's centre */
async function expectMapAt(target: number[]) {
  await expect.poll(async () => distM(await center(), target), { timeout: 20_000, interval: 200 }).toBeLessThan(30);
  await page.waitForFunction(() => !(window as any).__planner.map.isMoving(), null, { timeout: 20_000 });
}

async function saveView(s: (typeof SLIDES)[number]) {
  await waitForNextIdle(page, () => page.evaluate(({ center, zoom }) => (window as any).__planner.map.jumpTo({ center, zoom }), s));
  await page.getByTestId('views-title').fill(s.title);
  await page.getByTestId('views-note').fill(s.note);
  await page.getByTestId('views-save').click();
}

function pngSize(buf: Buffer): { width: number; height: number } {
  // PNG signature, then the IHDR chunk: width and height are big-endian u32 at bytes 16 and 20
  expect(buf.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

/**
 * Distinct colours (16 levels per channel) among the pixels of a PNG inside `region` (fractions of its width and
 * height: x0, y0, x1, y1), decoded in the page. A drawn map has dozens; a map lost on the way to paper or file
 * (a WebGL canvas read outside the frame that drew it) is one flat colour.
 */
async function coloursIn(png: Buffer, region: [number, number, number, number]): Promise<number> {
  return page.evaluate(
    async ([b64, r]) => {
      const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const bmp = await createImageBitmap(new Blob([bin], { type: 'image/png' }));
      const c = new OffscreenCanvas(bmp.width, bmp.height);
      const ctx = c.getContext('2d')!;
      ctx.drawImage(bmp, 0, 0);
      const [x0, y0, x1, y1] = [r[0] * bmp.width, r[1] * bmp.height, r[2] * bmp.width, r[3] * bmp.height].map(Math.round);
      const d = ctx.getImageData(x0, y0, x1 - x0, y1 - y0).data;
      const seen = new Set<number>();
      for (let i = 0; i < d.length; i += 4) seen.add(((d[i] >> 4) << 8) | ((d[i + 1] >> 4) << 4) | (d[i + 2] >> 4) | (d[i + 3] < 128 ? 4096 : 0));
      return seen.size;
    },
    [png.toString('base64'), region] as const,
  );
}

async function printPdf(name: string, paper: 'A3' | 'A4', orientation: 'landscape' | 'portrait') {
  await page.getByTestId('mode-views').click();
  await page.getByTestId('present-print-open').click();
  await page.getByTestId('print-paper').selectOption(paper);
  await page.getByTestId('print-orientation').selectOption(orientation);
  await page.waitForSelector('[data-testid="print-sheet"][data-ready="true"]', { timeout: 30_000 });
  await page.waitForFunction(() => [...document.images].every((i) => i.complete));
  await shot(page, `${name}-preview`);
  await page.emulateMedia({ media: 'print' });
  const path = `${ARTIFACTS}/${name}.pdf`;
  await page.pdf({ path, preferCSSPageSize: true, printBackground: true });
  await page.emulateMedia({ media: 'screen' });
  await page.getByTestId('print-close').click();
  const text = execFileSync('pdftotext', ['-layout', path, '-']).toString();
  const info = execFileSync('pdfinfo', [path]).toString();
  execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', '-singlefile', path, `${ARTIFACTS}/${name}-page1`]);
  return { text, info, page1: readFileSync(`${ARTIFACTS}/${name}-page1.png`) };
}

describe('presentation', () => {
  test('three saved views with titles at different map positions; rename, reorder and delete', async () => {
    await page.getByTestId('mode-views').click();
    for (const s of SLIDES) await saveView(s);
    // a fourth view to rename, move and delete
    await saveView({ title: '临时', note: '', center: [121.5, 29.95], zoom: 13 });
    const titles = () => page.getByTestId('view-show').allTextContents();
    expect(await titles()).toEqual([...SLIDES.map((s) => s.title), '临时']);
    const last = page.getByTestId('view-item').nth(3);
    await last.getByTestId('view-rename').click();
    await page.getByTestId('view-edit-title').fill('临时视图');
    await page.getByTestId('view-edit-ok').click();
    await page.getByTestId('view-item').nth(3).getByTestId('view-up').click();
    expect(await titles()).toEqual([SLIDES[0].title, SLIDES[1].title, '临时视图', SLIDES[2].title]);
    page.once('dialog', (d) => d.accept());
    await page.getByTestId('view-item').nth(2).getByTestId('view-delete').click();
    expect(await titles()).toEqual(SLIDES.map((s) => s.title));
    await shot(page, 'present-views-panel');
  });

  test('presentation mode plays the views with the keyboard: the map moves and the title changes', async () => {
    await page.getByTestId('present-start').click();
    await expect.poll(() => page.getByTestId('present-mode').isVisible()).toBe(true);
    // editing chrome is hidden
    expect(await page.getByTestId('header-figures').isVisible()).toBe(false);
    expect(await page.getByTestId('mode-views').isVisible()).toBe(false);
    expect(await page.getByTestId('present-title').textContent()).toBe(SLIDES[0].title);
    await expectMapAt(SLIDES[0].center);
    expect(await page.getByTestId('present-counter').textContent()).toBe('1 / 3');
    expect(await page.getByTestId('present-fig-communities').textContent()).toContain('73');
    expect(await page.getByTestId('present-fig-households').textContent()).toContain('47,000');
    // the trace is one click away (the footer stays one line)
    await page.getByTestId('present-details-toggle').click();
    expect(await page.getByTestId('present-trace').textContent()).toContain('演示数据');
    await page.getByTestId('present-details-toggle').click();
    await shot(page, 'present-slide-1');

    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('present-title').textContent()).toBe(SLIDES[1].title);
    await expectMapAt(SLIDES[1].center);
    expect((await page.evaluate(() => (window as any).__planner.map.getZoom())) as number).toBeCloseTo(SLIDES[1].zoom, 1);
    expect(await page.getByTestId('present-note').textContent()).toBe(SLIDES[1].note);
    await page.waitForFunction(() => (window as any).__planner.map.loaded());
    await shot(page, 'present-slide-2');

    await page.keyboard.press('PageDown'); // clickers send PageDown
    await expect.poll(() => page.getByTestId('present-title').textContent()).toBe(SLIDES[2].title);
    await expectMapAt(SLIDES[2].center);
    expect(await page.getByTestId('present-counter').textContent()).toBe('3 / 3');

    await page.keyboard.press('ArrowRight'); // past the end: stays on the last slide
    expect(await page.getByTestId('present-title').textContent()).toBe(SLIDES[2].title);

    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.getByTestId('present-title').textContent()).toBe(SLIDES[1].title);
    await expectMapAt(SLIDES[1].center);

    // "b" blanks the screen for questions; any key brings the slide back without moving on
    await page.keyboard.press('b');
    await expect.poll(() => page.getByTestId('present-blank').count()).toBe(1);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('present-blank').count()).toBe(0);
    expect(await page.getByTestId('present-title').textContent()).toBe(SLIDES[1].title);

    await page.keyboard.press(' ');
    await expect.poll(() => page.getByTestId('present-title').textContent()).toBe(SLIDES[2].title);

    // charts overlay on "c"
    await page.keyboard.press('c');
    await expect.poll(() => page.getByTestId('present-charts-overlay').isVisible()).toBe(true);
    // the charts page through (never clipped): turn to the progress chart
    for (let i = 0; i < 3 && (await page.getByTestId('chart-progress').count()) === 0; i++) await page.getByTestId('present-chart-next').click();
    expect(await page.getByTestId('chart-progress').locator('rect').count()).toBeGreaterThan(3);
    await shot(page, 'present-charts');
    await page.keyboard.press('c');

    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('present-mode').count()).toBe(0);
    expect(await page.getByTestId('header-figures').isVisible()).toBe(true);
    expect(errors).toEqual([]);
  });

  test('a five-view deck keeps each view\'s analysis (coverage gaps for elderly care, bundles) and survives a reload', async () => {
    const legend = () => page.getByTestId('legend-theme').textContent();
    // view 4: the coverage analysis, coloured by one category
    await page.getByTestId('mode-coverage').click();
    await page.getByTestId('coverage-color-by').selectOption('elderly_daycare');
    await expect.poll(legend, { timeout: 60_000 }).toContain('老年人日间照料中心');
    await waitForNextIdle(page, () => page.evaluate(() => (window as any).__planner.map.jumpTo({ center: [121.56, 29.895], zoom: 13.4 })));
    await page.getByTestId('view-quick-open').click();
    await page.getByTestId('view-quick-title').fill('养老设施缺口');
    await page.getByTestId('view-quick-save').click();
    // view 5: bundles generated with the default constraints
    await page.getByTestId('mode-bundle').click();
    await page.getByTestId('bundle-generate').click();
    await expect.poll(() => page.getByTestId('bundle-summary').count(), { timeout: 60_000 }).toBe(1);
    await waitForNextIdle(page, () => page.evaluate(() => (window as any).__planner.map.jumpTo({ center: [121.585, 29.907], zoom: 14.3 })));
    await page.getByTestId('view-quick-open').click();
    await page.getByTestId('view-quick-title').fill('孔浦连片片区');
    await page.getByTestId('view-quick-save').click();
    // somewhere else entirely, then play
    await page.getByTestId('mode-coverage').click();
    await page.getByTestId('coverage-color-by').selectOption('lacking');
    await page.getByTestId('mode-explore').click();
    await page.getByTestId('present-start').click();
    await expect.poll(() => page.getByTestId('present-counter').textContent()).toBe('1 / 5');
    await page.keyboard.press('End');
    await expect.poll(() => page.getByTestId('present-title').textContent()).toBe('孔浦连片片区');
    expect(await page.evaluate(() => (window as any).__planner.app.mode)).toBe('bundle');
    // the header now carries the features' figures
    expect(await page.getByTestId('present-fig-bundles').textContent()).not.toContain('—');
    expect(await page.getByTestId('present-fig-lifeCircle').textContent()).toMatch(/\d+(\.\d)?%/);
    await expectMapAt([121.585, 29.907]);
    await shot(page, 'present-slide-5-bundles');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.getByTestId('present-title').textContent()).toBe('养老设施缺口');
    expect(await page.evaluate(() => (window as any).__planner.app.mode)).toBe('coverage');
    // the view's own analysis parameter (colour by elderly care) is back
    await expect.poll(legend, { timeout: 30_000 }).toContain('老年人日间照料中心');
    await expectMapAt([121.56, 29.895]);
    await shot(page, 'present-slide-4-coverage');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('present-mode').count()).toBe(0);

    // the deck is part of the project: autosaved, back after a reload, and in the exported project file
    await expect.poll(() => page.getByTestId('autosave-status').getAttribute('data-saved'), { timeout: 20_000 }).toBe('yes');
    await page.waitForTimeout(1500);
    await page.reload();
    await waitForMapIdle(page);
    await page.getByTestId('mode-views').click();
    await expect.poll(() => page.getByTestId('view-show').allTextContents()).toEqual([...SLIDES.map((s) => s.title), '养老设施缺口', '孔浦连片片区']);
    await page.getByTestId('project-menu').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('project-export').click()]);
    const file = `${ARTIFACTS}/present-project.json`;
    await download.saveAs(file);
    const project = JSON.parse(readFileSync(file, 'utf8'));
    const views = project.slices.views.views;
    expect(views.map((v: any) => v.title)).toEqual([...SLIDES.map((s) => s.title), '养老设施缺口', '孔浦连片片区']);
    expect(views[3]).toMatchObject({ mode: 'coverage', params: { colorBy: 'elderly_daycare' } });
    expect(views[1].camera.center[0]).toBeCloseTo(SLIDES[1].center[0], 5);
  });

  test('an A3 landscape map prints to PDF with title, legend, scale, sources and the demo notice', async () => {
    await waitForNextIdle(page, () => page.evaluate(() => (window as any).__planner.map.jumpTo({ center: [121.56, 29.9], zoom: 13 })));
    const { text, info, page1 } = await printPdf('present-print-a3-zh', 'A3', 'landscape');
    // the map itself is on paper (the browser prints the live map's canvas), not an empty frame
    expect(await coloursIn(page1, [0.3, 0.3, 0.7, 0.85])).toBeGreaterThan(20);
    // A3 landscape: 420 × 297 mm = 1190.55 × 841.89 pt
    expect(info).toMatch(/Page size:\s+119[01]\.\d+ x 841\.\d+ pts \(A3\)/);
    expect(info).toMatch(/Pages:\s+1\n/);
    expect(text).toContain('江北区老旧小区改造规划');
    expect(text).toContain('图例');
    expect(text).toContain('所属街道');
    expect(text).toContain('OpenStreetMap');
    expect(text).toContain('数据来源');
    expect(text).toContain('演示数据');
    expect(text).toMatch(/\d+ (m|km)/); // scale bar
    expect(text).toMatch(/\d{4}-\d{2}-\d{2}/); // date
  });

  test('PNG export is 2× and 3× the map size, with its footer below the map', async () => {
    const css = await page.evaluate(() => {
      const c = (window as any).__planner.map.getCanvas();
      return { w: c.clientWidth, h: c.clientHeight, ratio: (window as any).__planner.map.getPixelRatio() };
    });
    for (const k of [2, 3]) {
      await page.getByTestId('png-scale').selectOption(String(k));
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('present-png').click()]);
      const file = `${ARTIFACTS}/present-export-${k}x.png`;
      await download.saveAs(file);
      expect(download.suggestedFilename()).toMatch(new RegExp(`@${k}x\\.png$`));
      const size = pngSize(readFileSync(file));
      // the map is in the picture (copied in the frame that drew it), not an empty or transparent area
      expect(await coloursIn(readFileSync(file), [0.2, 0.2, 0.8, 0.7])).toBeGreaterThan(20);
      // k × the map's width; the map's height plus a footer band below it (sources and trace never over the map)
      expect(size.width).toBe(css.w * k);
      expect(size.height).toBeGreaterThan(css.h * k);
      expect(size.height).toBeLessThan(css.h * k + 120 * k);
    }
    // the map is back at its own pixel ratio
    expect(await page.evaluate(() => (window as any).__planner.map.getPixelRatio())).toBe(css.ratio);
  });

  test('one-click report opens with figures, ranking and progress tables and the trace', async () => {
    const [report] = await Promise.all([context.waitForEvent('page', { timeout: 90_000 }), page.getByTestId('present-report').click()]);
    await report.waitForLoadState();
    const figures = await report.getByTestId('report-figures').textContent();
    expect(figures).toContain('73');
    expect(await report.getByTestId('report-trace').textContent()).toContain('演示数据');
    expect(await report.getByTestId('report-ranking').locator('tbody tr').count()).toBe(73);
    expect(await report.getByTestId('report-progress').locator('tfoot').textContent()).toContain('73');
    // the coverage matrix: one row per community, computed by the coverage feature when its mode was shown
    expect(await report.getByTestId('report-coverage').locator('tbody tr').count()).toBe(73);
    expect(await report.getByTestId('report-bundles').locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await report.locator('img.map').count()).toBeGreaterThan(1);
    await report.screenshot({ path: `${ARTIFACTS}/present-report.png`, fullPage: false });
    await report.pdf({ path: `${ARTIFACTS}/present-report.pdf` });
    await report.close();
  });

  test('in English: presentation labels, print and legend', async () => {
    await page.getByTestId('lang-toggle').click();
    await page.getByTestId('present-start').click();
    await expect.poll(() => page.getByTestId('present-mode').isVisible()).toBe(true);
    expect(await page.getByTestId('present-figures').textContent()).toContain('Households');
    expect(await page.getByTestId('present-figures').textContent()).toContain('4.27 million');
    await page.getByTestId('present-details-toggle').click();
    expect(await page.getByTestId('present-trace').textContent()).toContain('demonstration data');
    await page.getByTestId('present-details-toggle').click();
    await expectMapAt(SLIDES[0].center);
    await shot(page, 'present-slide-1-en');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('present-mode').count()).toBe(0);
    const { text, page1 } = await printPdf('present-print-a4-en', 'A4', 'portrait');
    expect(await coloursIn(page1, [0.1, 0.12, 0.9, 0.55])).toBeGreaterThan(20);
    expect(text).toContain('Jiangbei Old-Community Renewal Planner');
    expect(text).toContain('Legend');
    expect(text).toContain('Data sources');
    expect(text).toContain('OpenStreetMap');
    expect(text).toContain('Demonstration data');
    // the report in English
    const [report] = await Promise.all([context.waitForEvent('page', { timeout: 90_000 }), page.getByTestId('present-report').click()]);
    await report.waitForLoadState();
    expect(await report.locator('h1').textContent()).toBe('Jiangbei old-community renewal: briefing');
    expect(await report.getByTestId('report-figures').textContent()).toContain('Households');
    expect(await report.getByTestId('report-trace').textContent()).toContain('demonstration data');
    expect(await report.getByTestId('report-progress-batch').locator('thead').textContent()).toContain('Batch');
    await report.screenshot({ path: `${ARTIFACTS}/present-report-en.png` });
    await report.close();
    await page.getByTestId('lang-toggle').click();
    expect(offsite).toEqual([]);
    expect(errors).toEqual([]);
  });
});
