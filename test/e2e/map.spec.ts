/**
 * Issue 10, a decision-first map, in a real browser at 1366×768 and 1920×1080: per mode the headline is visible
 * without scrolling and the communities are symbols at district zoom; coverage by one category draws only that
 * category's facilities; the accessibility surface appears and changes after a what-if proposal; a reference
 * screenshot per mode and size (visual.ts). Also measures the time from choosing a category to the surface drawn.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, openApp, waitForNextIdle } from './browser';
import { matchReference } from './visual';

const MODES = ['explore', 'coverage', 'scoring', 'pool', 'workflow', 'bundle'] as const;
const SIZES: [number, number][] = [
  [1366, 768],
  [1920, 1080],
];

const idle = (page: Page) => waitForNextIdle(page, () => page.evaluate(() => (window as any).__planner.map.triggerRepaint()));

async function ready(page: Page, mode: string) {
  if (mode === 'coverage') await expect.poll(() => page.getByTestId('headline-lacking').count(), { timeout: 60_000 }).toBe(1);
  if (mode === 'bundle') {
    await page.getByTestId('bundle-generate').click();
    await expect.poll(() => page.getByTestId('headline-plan').count(), { timeout: 60_000 }).toBe(1);
  }
  await expect.poll(() => page.getByTestId('headline').count(), { timeout: 30_000 }).toBe(1);
}

for (const [width, height] of SIZES) {
  describe(`decision-first map at ${width}×${height}`, () => {
    let browser: Browser;
    let page: Page;
    let errors: string[];
    beforeAll(async () => {
      browser = await launch();
      ({ page, errors } = await openApp(browser, '', { width, height }));
    }, 90_000);
    afterAll(async () => {
      await browser?.close();
    });

    for (const mode of MODES) {
      test(`${mode}: headline first, community symbols at district zoom, matches the reference`, async () => {
        await page.getByTestId(`mode-${mode}`).click();
        await ready(page, mode);
        // the first sentence is on screen without scrolling the panel
        const box = await page.getByTestId('headline').locator(':scope > *').first().boundingBox();
        expect(box).toBeTruthy();
        expect(box!.y + box!.height).toBeLessThanOrEqual(height);
        expect(await page.locator('.panel').evaluate((el) => el.scrollTop)).toBe(0);
        // district zoom: communities are symbols, one per community in view
        expect(await page.evaluate(() => (window as any).__planner.map.getZoom())).toBeLessThan(13.6);
        await idle(page);
        const symbols = await page.evaluate(() => new Set((window as any).__planner.map.queryRenderedFeatures({ layers: ['communities-symbol'] }).map((f: any) => f.properties.id)).size);
        expect(symbols).toBe(73);
        await matchReference(page, `map-${mode}-${width}x${height}`);
      });
    }

    test('coverage by one category draws only that category, and the legend says what is hidden', async () => {
      await page.getByTestId('mode-coverage').click();
      await ready(page, 'coverage');
      const t0 = await page.evaluate(() => performance.now());
      await page.getByTestId('coverage-color-by').selectOption('wet_market');
      await page.waitForFunction(() => String((window as any).__planner.surfaceDrawn ?? '').startsWith('wet_market|'), null, { timeout: 60_000 });
      const t1 = await page.evaluate(() => (window as any).__planner.surfaceDrawnAt as number);
      console.log(`[measure] ${width}x${height}: choosing a category → surface drawn: ${(t1 - t0).toFixed(0)} ms`);
      await idle(page);
      const cats = await page.evaluate(() => [...new Set((window as any).__planner.map.queryRenderedFeatures({ layers: ['facilities'] }).map((f: any) => f.properties.category))]);
      expect(cats).toEqual(['wet_market']);
      expect(await page.getByTestId('legend-focus').textContent()).toMatch(/仅显示菜市场/);
      // one click shows them all again
      await page.getByTestId('focus-show-all').click();
      await idle(page);
      const all = await page.evaluate(() => new Set((window as any).__planner.map.queryRenderedFeatures({ layers: ['facilities'] }).map((f: any) => f.properties.category)).size);
      expect(all).toBeGreaterThan(5);
      await page.getByTestId('focus-refocus').click();
    });

    test('the accessibility surface appears and changes after a what-if proposal', async () => {
      await page.waitForFunction(() => String((window as any).__planner.surfaceDrawn ?? '').startsWith('wet_market|'));
      await idle(page);
      expect(await page.evaluate(() => (window as any).__planner.map.queryRenderedFeatures({ layers: ['access-surface'] }).length)).toBeGreaterThan(0);
      const before: number[] = await page.evaluate(() => (window as any).__planner.surfaceLengths);
      const beforeKey: string = await page.evaluate(() => (window as any).__planner.surfaceDrawn);
      // place a wet market at the community with the most residents lacking one (the biggest circle)
      const at = await page.evaluate(() => {
        const { map } = (window as any).__planner;
        const fs = map.queryRenderedFeatures({ layers: ['communities-symbol'] });
        const big = fs.sort((a: any, b: any) => b.properties.r - a.properties.r)[0];
        const p = map.project(big.geometry.coordinates);
        return [p.x, p.y];
      });
      await page.getByTestId('coverage-prop-category').selectOption('wet_market');
      await page.getByTestId('coverage-prop-place').click();
      const box = await page.getByTestId('map').boundingBox();
      await page.mouse.click(box!.x + at[0], box!.y + at[1]);
      await page.waitForFunction((k) => (window as any).__planner.surfaceDrawn !== k, beforeKey, { timeout: 60_000 });
      const after: number[] = await page.evaluate(() => (window as any).__planner.surfaceLengths);
      // more of the network lies within the first tier, less beyond it
      expect(after[0]).toBeGreaterThan(before[0]);
      expect(after[3]).toBeLessThan(before[3]);
      await expect.poll(() => page.getByTestId('headline-whatif').textContent(), { timeout: 30_000 }).toMatch(/1 处方案设施/);
      await idle(page);
      await matchReference(page, `map-coverage-whatif-${width}x${height}`);
      expect(errors).toEqual([]);
    });
  });
}
