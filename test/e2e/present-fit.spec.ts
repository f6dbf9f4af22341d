/**
 * Issue 11: the presentation fits laptop and projector screens. At 1280×720, 1366×768 and 1920×1080 a
 * slide with a long title: no text is cut (no element whose text overflows its box), the legend covers at
 * most a fifth of the map, the map controls are clear of the header, footer and legend, the footer is one
 * line, and the charts page through without clipping. Screenshots: test-artifacts/present-fit-*.png.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, openApp, shot } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const LONG_TITLE = '南部片区生活圈缺项与连片改造候选区域总览(2026年第四季度街道联席会)';

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Elements inside `root` whose own text is wider or taller than their box while they hide the rest. */
async function cutText(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const out: string[] = [];
    for (const root of document.querySelectorAll(sel))
      for (const el of [root, ...root.querySelectorAll('*')] as HTMLElement[]) {
        const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim());
        if (!own || !el.offsetParent) continue;
        const cs = getComputedStyle(el);
        const hides = cs.overflowX !== 'visible' || cs.textOverflow === 'ellipsis';
        if (hides && (el.scrollWidth > el.clientWidth + 1 || (cs.overflowY === 'hidden' && el.scrollHeight > el.clientHeight + 1)))
          out.push(`${el.tagName}.${el.className}: ${el.textContent!.trim().slice(0, 40)}`);
        // text that leaves the window is cut too (unless a scroll box it sits in brings it into view)
        let scroller = false;
        for (let a = el.parentElement; a && !scroller; a = a.parentElement) scroller = /auto|scroll/.test(getComputedStyle(a).overflowY);
        const r = el.getBoundingClientRect();
        if (!scroller && (r.right > innerWidth + 1 || r.bottom > innerHeight + 1)) out.push(`outside the window: ${el.textContent!.trim().slice(0, 40)}`);
      }
    return out;
  }, selector);
}

describe.each([
  [1280, 720],
  [1366, 768],
  [1920, 1080],
])('presentation at %i×%i', (width, height) => {
  test('titles wrap, legend ≤ 20 % of the map, controls clear, charts page through', async () => {
    const { page, context } = await openApp(browser, '', { width, height });
    await page.getByTestId('mode-views').click();
    await page.getByTestId('views-title').fill(LONG_TITLE);
    await page.getByTestId('views-note').fill('缺项最多的是养老和托育设施');
    await page.getByTestId('views-save').click();
    await page.getByTestId('present-start').click();
    await expect.poll(() => page.getByTestId('present-title').textContent()).toBe(LONG_TITLE);
    await page.waitForTimeout(2200); // the slide's camera flight
    await shot(page, `present-fit-${width}x${height}`);

    expect(await cutText(page, '[data-testid="present-mode"], [data-testid="legend"]')).toEqual([]);

    const header = (await page.locator('.present header.bar').boundingBox())!;
    const footer = (await page.locator('.present footer.bar').boundingBox())!;
    // the footer is one line: no taller than its tallest control plus padding
    expect(footer.height).toBeLessThan(60);
    const mapArea = width * (height - header.height - footer.height);
    const legend = (await page.getByTestId('legend').boundingBox())!;
    expect((legend.width * legend.height) / mapArea).toBeLessThanOrEqual(0.2);
    for (const sel of ['.maplibregl-ctrl-top-right', '[data-testid="reset-view"]', '[data-testid="present-prev"]', '[data-testid="present-next"]']) {
      const b = (await page.locator(sel).boundingBox())!;
      for (const other of [header, footer, legend]) expect(overlap(b, other), `${sel} overlaps`).toBe(false);
    }

    await page.getByTestId('present-charts-toggle').click();
    for (let i = 0; i < 4; i++) {
      expect(await page.getByTestId('present-chart-page').textContent()).toBe(`${i + 1} / 4`);
      const clipped = await page.getByTestId('present-charts-overlay').evaluate((el) => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1);
      expect(clipped, `chart ${i + 1} clipped`).toBe(false);
      if (i === 0) await shot(page, `present-fit-${width}x${height}-charts`);
      await page.getByTestId('present-chart-next').click();
    }
    await page.getByTestId('present-charts-toggle').click();
    await page.getByTestId('present-exit').click();
    await page.getByTestId('mode-views').click(); // playing a slide switched to its mode

    // the deck's own choice of figures and charts, and slides that put a table or a chart beside the map
    await page.getByTestId('deck-fig-floorArea').uncheck();
    await page.getByTestId('deck-fig-progress').uncheck();
    await page.getByTestId('deck-chart-scores').uncheck();
    await page.getByTestId('views-title').fill('评分前十');
    await page.getByTestId('views-save').click();
    await page.getByTestId('view-panel').nth(1).selectOption('table:ranking');
    await page.getByTestId('views-title').fill('进度');
    await page.getByTestId('views-save').click();
    await page.getByTestId('view-panel').nth(2).selectOption('chart:progress');
    await page.getByTestId('present-start').click();
    await expect.poll(() => page.locator('[data-testid^="present-fig-"]').count()).toBe(4);
    expect(await page.getByTestId('present-fig-floorArea').count()).toBe(0);
    for (const [k, what] of [
      [1, 'slide-table-ranking'],
      [2, 'chart-progress'],
    ] as const) {
      await page.keyboard.press('End');
      if (k === 1) await page.keyboard.press('ArrowLeft');
      await expect.poll(() => page.getByTestId(what).count()).toBe(1);
      await page.waitForTimeout(2200);
      await shot(page, `present-fit-${width}x${height}-panel-${k}`);
      const panel = (await page.getByTestId('present-slide-panel').boundingBox())!;
      const h = (await page.locator('.present header.bar').boundingBox())!;
      const f = (await page.locator('.present footer.bar').boundingBox())!;
      const lg = (await page.getByTestId('legend').boundingBox())!;
      for (const sel of ['.maplibregl-ctrl-top-right', '.maplibregl-ctrl-bottom-right', '[data-testid="reset-view"]', '[data-testid="present-next"]', '[data-testid="present-prev"]']) {
        const b = (await page.locator(sel).boundingBox())!;
        expect(overlap(b, panel), `${sel} under the slide's ${what}`).toBe(false);
      }
      for (const other of [h, f, lg]) expect(overlap(panel, other), `the slide's ${what} overlaps`).toBe(false);
      // the map keeps more than half the width between legend and panel
      expect(panel.x - (lg.x + lg.width)).toBeGreaterThan(width * 0.3);
      expect(await cutText(page, '[data-testid="present-slide-panel"]')).toEqual([]);
      const clipped = await page.getByTestId('present-slide-panel').evaluate((el) => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1);
      expect(clipped, `the slide's ${what} needs scrolling`).toBe(false);
    }
    await page.getByTestId('present-charts-toggle').click();
    expect(await page.getByTestId('present-chart-page').textContent()).toBe('1 / 3');
    await context.close();
  });
});
