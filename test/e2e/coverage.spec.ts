/**
 * Issue 3 in a real browser: the 15-minute life-circle coverage mode on the default dataset.
 * Open the mode, read the district figures, click a community and see its walking route, draw its isochrones,
 * add a what-if proposal and see a figure change, run suggested sites. Screenshots go to test-artifacts/.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, openApp, shot, waitForNextIdle } from './browser';

let browser: Browser;
let page: Page;
let offsite: string[];
let errors: string[];

beforeAll(async () => {
  browser = await launch();
  ({ page, offsite, errors } = await openApp(browser));
});
afterAll(async () => {
  await browser?.close();
});

const rendered = (layer: string) =>
  page.evaluate((l) => {
    const map = (window as any).__planner.map;
    return map.getLayer(l) ? map.queryRenderedFeatures({ layers: [l] }).length : -1;
  }, layer);

/** Zoom to a community and click a pixel inside its polygon on the map. */
async function clickCommunity(id: string, zoom = 15.5) {
  await waitForNextIdle(page, () =>
    page.evaluate(
      ([cid, z]) => {
        const { map, app } = (window as any).__planner;
        const c = app.dataset.communities.find((x: any) => x.properties.id === cid);
        const ring = c.geometry.type === 'Polygon' ? c.geometry.coordinates[0] : c.geometry.coordinates[0][0];
        const xs = ring.map((p: number[]) => p[0]);
        const ys = ring.map((p: number[]) => p[1]);
        map.jumpTo({ center: [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2], zoom: z });
      },
      [id, zoom] as const,
    ),
  );
  const box = await page.getByTestId('map').boundingBox();
  const point = await page.evaluate((cid) => {
    const { map } = (window as any).__planner;
    const c = map.getCanvas();
    const w = c.clientWidth;
    const h = c.clientHeight;
    for (let r = 0; r < 200; r += 6)
      for (const [dx, dy] of [[0, 0], [r, 0], [-r, 0], [0, r], [0, -r]]) {
        const hit = map.queryRenderedFeatures([w / 2 + dx, h / 2 + dy], { layers: ['communities-fill'] });
        if (hit.some((f: any) => f.properties.id === cid)) return [w / 2 + dx, h / 2 + dy];
      }
    return [w / 2, h / 2];
  }, id);
  await page.mouse.click(box!.x + point[0], box!.y + point[1]);
}

describe('life-circle coverage', () => {
  let target: { id: string; name: string; lacking: string[] };

  test('the coverage mode shows the standard in force, district figures and colours communities', async () => {
    await page.getByTestId('mode-coverage').click();
    await expect.poll(() => page.getByTestId('coverage-fig-complete').textContent(), { timeout: 30_000 }).toMatch(/^\d+ \/ 73 \(/);
    expect(await page.getByTestId('coverage-standard-in-force').textContent()).toContain('GB 50180-2018');
    expect(await page.getByTestId('coverage-fig-residents').textContent()).toMatch(/%\)$/);
    // one row per GB 50180 category; a per-category resident share
    expect(await page.locator('[data-testid^="coverage-fig-row-"]').count()).toBe(18);
    expect(await page.getByTestId('coverage-fig-res-kindergarten').textContent()).toMatch(/^\d+\.\d%$/);
    // the legend shows the coverage theme
    expect(await page.getByTestId('legend-theme').textContent()).toContain('缺少的必配设施类别数');
    await shot(page, 'coverage-overview');
    // the matrix has a row per community (rendered once scrolled to)
    await page.getByTestId('coverage-matrix').scrollIntoViewIfNeeded();
    await expect.poll(() => page.locator('[data-testid^="coverage-matrix-row-"]').count()).toBe(73);
  });

  test('clicking a community lists its gaps and draws the walking route to the nearest facility', async () => {
    target = await page.evaluate(() => {
      const app = (window as any).__planner.app;
      // the first community (in dataset order) that the matrix says lacks a mandatory category
      const lackingOf = (id: string) =>
        Number(document.querySelector(`[data-testid="coverage-matrix-row-${id}"] td:nth-child(2)`)?.textContent ?? '0');
      const c = app.dataset.communities.find((x: any) => lackingOf(x.properties.id) > 0);
      return { id: c.properties.id, name: c.properties.name, lacking: [] };
    });
    await clickCommunity(target.id);
    await expect.poll(() => page.getByTestId('coverage-community').textContent(), { timeout: 20_000 }).toContain(target.name);
    await expect.poll(() => page.getByTestId('coverage-route-info').textContent(), { timeout: 20_000 }).toMatch(/\d+ m$/);
    const gaps = (await page.getByTestId('coverage-community-gaps').textContent()) ?? '';
    target.lacking = await page.evaluate(() => {
      const rows = [...document.querySelectorAll('[data-testid^="coverage-gap-"]')];
      return rows.filter((r) => r.classList.contains('unmet')).map((r) => r.getAttribute('data-testid')!.replace('coverage-gap-', ''));
    });
    expect(gaps.length).toBeGreaterThan(0);
    await expect.poll(() => rendered('routes'), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.getByTestId('coverage-community').scrollIntoViewIfNeeded();
    await shot(page, 'coverage-community-route');
  });

  test('isochrones of the selected community come from the network and list the facilities inside', async () => {
    await page.getByTestId('coverage-iso-community').click();
    await expect.poll(() => page.getByTestId('coverage-iso-facilities').textContent(), { timeout: 20_000 }).toMatch(/\((\d+)\)/);
    await waitForNextIdle(page, () => page.evaluate(() => (window as any).__planner.map.zoomTo(14, { duration: 0 })));
    await expect.poll(() => rendered('isochrones-fill'), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.getByTestId('coverage-iso-facilities').scrollIntoViewIfNeeded();
    // one distance definition: the bands are the coverage tiers (GB 50180: 300/500/1000 m)
    const metres = await page.evaluate(() =>
      [...new Set((window as any).__planner.map.queryRenderedFeatures({ layers: ['isochrones-fill'] }).map((f: any) => Math.round(f.properties.distance_m)))].sort((a: any, b: any) => a - b),
    );
    expect(metres).toEqual([300, 500, 1000]);
    await shot(page, 'coverage-isochrones');
    // any clicked point works too
    const before = await page.getByTestId('coverage-iso-facilities').textContent();
    await page.getByTestId('coverage-iso-point').click();
    await expect.poll(() => page.getByTestId('coverage-armed').count()).toBe(1);
    const box = await page.getByTestId('map').boundingBox();
    await page.mouse.click(box!.x + box!.width * 0.7, box!.y + box!.height * 0.4);
    await expect.poll(() => page.getByTestId('coverage-armed').count()).toBe(0);
    await expect.poll(() => page.getByTestId('coverage-iso-facilities').textContent(), { timeout: 20_000 }).not.toBe(before);
  });

  test('a proposed facility placed on the map changes the figures, and removing it restores them', async () => {
    expect(target.lacking.length).toBeGreaterThan(0);
    const category = target.lacking[0];
    const before = await page.getByTestId(`coverage-fig-res-${category}`).textContent();
    await page.getByTestId('coverage-prop-category').selectOption(category);
    // click at the community's first gate: the proposed facility (an idle room by the gate) stands right there
    await clickCommunity(target.id, 16);
    await waitForNextIdle(page, () => page.evaluate(() => (window as any).__planner.map.triggerRepaint()));
    const gatePx = await page.evaluate((cid) => {
      const { map, app } = (window as any).__planner;
      const g = app.dataset.gates.find((x: any) => x.properties.community_id === cid);
      const p = map.project(g.geometry.coordinates);
      return [p.x, p.y];
    }, target.id);
    const box = await page.getByTestId('map').boundingBox();
    await page.getByTestId('coverage-prop-place').click();
    await expect.poll(() => page.getByTestId('coverage-armed').count()).toBe(1);
    // the matrix stays in view while the facility is placed: its cell for the community and category turns ✓ in
    // place (an edit redraws only the cells whose values changed)
    await page.getByTestId('coverage-matrix').scrollIntoViewIfNeeded();
    const cell = page.locator(`[data-testid="coverage-matrix-row-${target.id}"] td[data-cat="${category}"]`);
    await expect.poll(() => cell.textContent(), { timeout: 10_000 }).toMatch(/^[✗–]$/);
    const cellTitle = await cell.getAttribute('title');
    await page.mouse.click(box!.x + gatePx[0], box!.y + gatePx[1]);
    await expect.poll(() => page.getByTestId('coverage-prop-list').textContent(), { timeout: 10_000 }).toContain('P1');
    await expect.poll(() => cell.textContent(), { timeout: 20_000 }).toBe('✓');
    expect(await cell.getAttribute('title')).not.toBe(cellTitle);
    await expect.poll(() => page.getByTestId(`coverage-fig-res-${category}`).textContent(), { timeout: 20_000 }).not.toBe(before);
    await expect.poll(() => page.getByTestId(`coverage-diff-${category}`).textContent(), { timeout: 20_000 }).toMatch(/→/);
    await expect.poll(() => page.getByTestId(`coverage-gap-${category}`).textContent()).toContain('✓');
    await expect.poll(() => rendered('proposals'), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.getByTestId('coverage-diff').scrollIntoViewIfNeeded();
    await shot(page, 'coverage-proposal');
    // the proposal is exportable as GeoJSON
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('coverage-prop-export').click()]);
    expect(download.suggestedFilename()).toBe('coverage-proposals.geojson');
    await page.getByTestId('coverage-prop-remove-P1').click();
    await expect.poll(() => page.getByTestId(`coverage-fig-res-${category}`).textContent(), { timeout: 20_000 }).toBe(before);
    // an idle room of the selected community converted into the lacking category (闲置用房改…)
    await page.getByTestId('coverage-convert-category').selectOption(category);
    await page.getByTestId('coverage-convert').click();
    await expect.poll(() => page.getByTestId('coverage-prop-list').textContent()).toContain('闲置用房改');
    await expect.poll(() => page.getByTestId(`coverage-gap-${category}`).textContent(), { timeout: 20_000 }).toContain('✓');
    await page.locator('[data-testid^="coverage-prop-remove-"]').first().click();
    await expect.poll(() => page.getByTestId(`coverage-fig-res-${category}`).textContent(), { timeout: 20_000 }).toBe(before);
  });

  test('suggested sites name the method and the residents each site adds, and are drawn on the map', async () => {
    await page.getByTestId('coverage-suggest-category').selectOption('elderly_daycare');
    await page.getByTestId('coverage-suggest-k').fill('3');
    await page.getByTestId('coverage-suggest-run').click();
    await expect.poll(() => page.getByTestId('coverage-suggest-method').textContent(), { timeout: 30_000 }).toMatch(/精确解|最好解/);
    const text = (await page.getByTestId('coverage-suggest-result').textContent()) ?? '';
    expect(text).toMatch(/新增覆盖 [\d,]+ 人/);
    await waitForNextIdle(page, () => page.evaluate(() => (window as any).__planner.map.jumpTo({ center: [121.545, 29.9], zoom: 12.6 })));
    await expect.poll(() => rendered('suggested-sites'), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.getByTestId('coverage-suggest-result').scrollIntoViewIfNeeded();
    await shot(page, 'coverage-suggested-sites');
    // adopting them as proposals raises the elderly day-care resident share
    const before = await page.getByTestId('coverage-fig-res-elderly_daycare').textContent();
    await page.getByTestId('coverage-suggest-adopt').click();
    await expect.poll(() => page.getByTestId('coverage-fig-res-elderly_daycare').textContent(), { timeout: 20_000 }).not.toBe(before);
  });

  test('the straight-line buffer mode is offered side by side and says what it is', async () => {
    // parameters are folded below the headline (issue 10): open them
    await page.getByTestId('coverage-settings').evaluate((d) => ((d as HTMLDetailsElement).open = true));
    await page.getByTestId('coverage-mode-buffer').check();
    await expect.poll(() => page.getByTestId('coverage-buffer-note').count()).toBe(1);
    await expect.poll(() => page.getByTestId('legend-theme').textContent()).toContain('直线缓冲区');
    await page.getByTestId('coverage-mode-network').check();
    expect(offsite).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('in English, and without a road layer it falls back to straight line × detour factor and says so on screen', async () => {
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.getByTestId('coverage-standard-in-force').textContent()).toContain('Standard in force');
    await page.getByTestId('coverage-fig-complete').scrollIntoViewIfNeeded();
    await shot(page, 'coverage-english');
    await page.getByTestId('lang-toggle').click();
    // the same dataset without roads (as an import without a road layer would be)
    await page.evaluate(() => {
      const { app } = (window as any).__planner;
      app.setDataset({ ...app.dataset, roads: [] }, app.datasetInfo);
    });
    await expect.poll(() => page.getByTestId('coverage-fallback-note').textContent(), { timeout: 20_000 }).toContain('1.3');
    expect(await page.getByTestId('legend-theme').textContent()).toContain('直线×绕行系数');
    await page.getByTestId('coverage-fallback-note').scrollIntoViewIfNeeded();
    await shot(page, 'coverage-fallback');
    expect(errors).toEqual([]);
  });
});
