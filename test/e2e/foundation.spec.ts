/**
 * Issue 2 in a real browser: the offline map of Jiangbei with the 73 communities.
 * Every request that leaves 127.0.0.1 is aborted and fails the test: the app must work offline.
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

describe('foundation', () => {
  test('header figures read the action plan totals', async () => {
    await expect.poll(() => page.getByTestId('fig-communities').textContent()).toBe('73');
    expect(await page.getByTestId('fig-households').textContent()).toBe('47,000');
    expect(await page.getByTestId('fig-buildings').textContent()).toBe('1,744');
    expect(await page.getByTestId('fig-floor-area').textContent()).toBe('427万 m²');
    expect(await page.getByTestId('demo-badge').textContent()).toContain('演示数据');
  });

  test('the explore panel sums households by 街道 and lists every layer with its source and licence', async () => {
    const cells = await page.locator('[data-testid="street-summary"] tbody tr td:nth-child(3)').allTextContents();
    expect(cells).toHaveLength(8);
    expect(cells.reduce((s, c) => s + Number(c.replace(/,/g, '')), 0)).toBe(47000);
    await page.getByTestId('data-sources').locator('summary').click();
    const rows = page.locator('[data-testid="data-sources"] tbody tr');
    expect(await rows.count()).toBe(7);
    const text = (await page.getByTestId('data-sources').textContent()) ?? '';
    expect(text).toContain('ODbL');
    expect(text).toContain('演示数据');
    await shot(page, 'foundation-sources');
  });

  test('the map has every data layer and renders offline', async () => {
    const layers = await page.evaluate(() => (window as any).__planner.map.getStyle().layers.map((l: any) => l.id));
    for (const id of ['districts-fill', 'barriers-water-fill', 'roads-minor', 'communities-fill', 'facilities', 'metro', 'communities-label']) {
      expect(layers).toContain(id);
    }
    const rendered = await page.evaluate(
      () => (window as any).__planner.map.queryRenderedFeatures({ layers: ['communities-fill'] }).length,
    );
    expect(rendered).toBeGreaterThan(0);
    // attribution credits OSM and the other sources
    const attrib = await page.locator('.maplibregl-ctrl-attrib').textContent();
    expect(attrib).toContain('OpenStreetMap');
    expect(attrib).toContain('Noto Sans SC');
    await expect.poll(() => page.locator('.maplibregl-ctrl-scale').count()).toBe(1);
    await shot(page, 'foundation-overview');
    expect(offsite).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('hovering names a community; clicking shows its record in the side panel', async () => {
    // zoom to the first community and click its centre
    const target = await page.evaluate(() => {
      const app = (window as any).__planner.app;
      const c = app.dataset.communities[0];
      return { id: c.properties.id, name: c.properties.name };
    });
    await waitForNextIdle(page, () =>
      page.evaluate((id) => {
        const { map, app } = (window as any).__planner;
        const c = app.dataset.communities.find((x: any) => x.properties.id === id);
        const ring = c.geometry.type === 'Polygon' ? c.geometry.coordinates[0] : c.geometry.coordinates[0][0];
        const xs = ring.map((p: number[]) => p[0]);
        const ys = ring.map((p: number[]) => p[1]);
        map.jumpTo({ center: [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2], zoom: 16.5 });
      }, target.id),
    );
    const box = await page.getByTestId('map').boundingBox();
    // find a pixel inside the polygon near the map centre
    const point = await page.evaluate((id) => {
      const { map } = (window as any).__planner;
      const c = map.getCanvas();
      const w = c.clientWidth, h = c.clientHeight;
      for (let r = 0; r < 200; r += 6)
        for (const [dx, dy] of [[0, 0], [r, 0], [-r, 0], [0, r], [0, -r]]) {
          const hit = map.queryRenderedFeatures([w / 2 + dx, h / 2 + dy], { layers: ['communities-fill'] });
          if (hit.some((f: any) => f.properties.id === id)) return [w / 2 + dx, h / 2 + dy];
        }
      return [w / 2, h / 2];
    }, target.id);
    await page.mouse.move(box!.x + point[0], box!.y + point[1]);
    await expect.poll(() => page.getByTestId('hover-tip').textContent()).toContain(target.name);
    await page.mouse.click(box!.x + point[0], box!.y + point[1]);
    await expect.poll(() => page.getByTestId('record-name').textContent()).toBe(target.name);
    expect(await page.getByTestId('community-record').textContent()).toContain('户数');
    await shot(page, 'foundation-community-record');
  });

  test('toggling a facility category hides its points', async () => {
    const count = () =>
      page.evaluate(() => (window as any).__planner.map.queryRenderedFeatures({ layers: ['facilities'] }).filter((f: any) => f.properties.category === 'kindergarten').length);
    await waitForNextIdle(page, () => page.evaluate(() => (window as any).__planner.map.jumpTo({ center: [121.545, 29.905], zoom: 13 })));
    expect(await count()).toBeGreaterThan(0);
    await waitForNextIdle(page, () => page.getByTestId('legend-cat-kindergarten').click());
    expect(await count()).toBe(0);
    expect(await page.getByTestId('legend-cat-kindergarten').getAttribute('aria-pressed')).toBe('false');
    await waitForNextIdle(page, () => page.getByTestId('legend-cat-kindergarten').click());
    expect(await count()).toBeGreaterThan(0);
  });

  test('clicking a facility shows what it is and where the record comes from', async () => {
    await waitForNextIdle(page, () => page.evaluate(() => (window as any).__planner.map.jumpTo({ center: [121.552, 29.892], zoom: 16 })));
    const target = await page.evaluate(() => {
      const { map } = (window as any).__planner;
      const c = map.getCanvas();
      const pts = map.queryRenderedFeatures({ layers: ['facilities', 'metro'] }).map((f: any) => {
        const p = map.project(f.geometry.coordinates);
        return { name: f.properties.name as string, synthetic: f.properties.synthetic as boolean, facility: f.layer.id === 'facilities', x: p.x, y: p.y };
      });
      // a facility standing clear of every other marker, well inside the map, so the click is unambiguous
      const clear = pts.filter(
        (a: any) =>
          a.facility && a.x > 60 && a.y > 60 && a.x < c.clientWidth - 60 && a.y < c.clientHeight - 60 &&
          pts.every((b: any) => b === a || Math.hypot(a.x - b.x, a.y - b.y) > 16),
      );
      return clear.find((a: any) => !a.synthetic) ?? clear[0];
    });
    expect(target).toBeTruthy();
    const box = await page.getByTestId('map').boundingBox();
    await page.getByTestId('mode-explore').click();
    await page.mouse.click(box!.x + target.x, box!.y + target.y);
    const rec = page.getByTestId('point-record');
    await expect.poll(() => rec.textContent()).toContain(target.name);
    expect(await rec.textContent()).toContain(target.synthetic ? '演示数据' : 'OpenStreetMap');
  });

  test('search finds a community by pinyin initials and flies to it', async () => {
    const name: string = await page.evaluate(() => (window as any).__planner.app.dataset.communities[5].properties.name);
    const { pinyin } = await import('pinyin-pro');
    const initials = (pinyin(name, { pattern: 'first', toneType: 'none', type: 'array' }) as string[]).join('');
    await page.getByTestId('search-input').fill(initials);
    await expect.poll(() => page.getByTestId('search-hit').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining(name)]));
    await waitForNextIdle(page, () => page.getByTestId('search-hit').filter({ hasText: name }).first().click());
    await expect.poll(() => page.getByTestId('record-name').textContent()).toBe(name);
  });

  test('switching language changes the UI to English and back', async () => {
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Jiangbei Renewal Planner');
    expect(await page.evaluate(() => document.title)).toBe('Jiangbei Old-Community Renewal Planner');
    expect(await page.getByTestId('header-figures').textContent()).toContain('households');
    expect(await page.getByTestId('demo-badge').textContent()).toContain('Demonstration data');
    expect(await page.getByTestId('fig-floor-area').textContent()).toBe('4.27 million m²');
    await shot(page, 'foundation-english');
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('江北区老旧小区改造规划');
  });
});
