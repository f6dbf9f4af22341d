/**
 * Issue 14 (parts 3 and 4) in a real browser: spare sites (存量资源) limit the suggested sites, a what-if from a
 * spare site carries its area; a post-evaluation after handover shows its class in the progress view and on the
 * map (workflow mode, evaluation theme). Screenshots at 1366×768 and 1920×1080 go to test-artifacts/.
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
  ({ page, offsite, errors } = await openApp(browser, '', { width: 1366, height: 768 }));
});
afterAll(async () => {
  await browser?.close();
});

/** ids of the spare sites in the map source (demonstration sites of the default dataset) */
const spareIds = () =>
  page.evaluate(() => {
    const map = (window as any).__planner.map;
    return [...new Set(map.querySourceFeatures('spare-sites').map((f: any) => String(f.properties.id)))] as string[];
  });

describe('spare sites', () => {
  test('the coverage mode shows the demonstration spare sites, labelled as such', async () => {
    await page.getByTestId('mode-coverage').click();
    await expect.poll(() => page.getByTestId('coverage-fig-complete').textContent(), { timeout: 30_000 }).toMatch(/^\d+ \/ 73 \(/);
    await page.getByTestId('sites-section').evaluate((d) => ((d as HTMLDetailsElement).open = true));
    await expect.poll(() => page.getByTestId('sites-count').textContent(), { timeout: 20_000 }).toMatch(/^共 \d+ 处: 闲置用房 \d+ 处/);
    expect(await page.getByTestId('sites-section').textContent()).toContain('演示数据');
    await expect.poll(async () => (await spareIds()).length, { timeout: 20_000 }).toBeGreaterThan(20);
  });

  test('suggested sites limited to spare sites suggest only spare sites that fit, and say which were left out and why', async () => {
    await page.getByTestId('coverage-suggest-category').selectOption('elderly_daycare');
    await page.getByTestId('coverage-suggest-k').fill('3');
    await page.getByTestId('coverage-suggest-spare').check();
    await page.getByTestId('coverage-suggest-run').click();
    await expect.poll(() => page.getByTestId('coverage-suggest-method').textContent(), { timeout: 60_000 }).toMatch(/精确解|最好解/);
    const suggested = await page.getByTestId('coverage-suggest-site').evaluateAll((els) => els.map((e) => e.getAttribute('data-site')!));
    expect(suggested.length).toBeGreaterThan(0);
    const spare = new Set(await spareIds());
    for (const id of suggested) expect(spare.has(id), id).toBe(true);
    // the minimum that applied (elderly day care: floor area ≥ 350 m², 完整居住社区) and the excluded sites with reasons
    const fit = await page.getByTestId('coverage-suggest-fit').textContent();
    expect(fit).toMatch(/建筑面积 ≥ 350 m²/);
    expect(fit).toContain('完整居住社区'); // the standard, named for people
    expect(fit).not.toMatch(/\b(?:wz|gb\d+)\.[a-z_]+/); // never the table's row code
    const excluded = (await page.getByTestId('coverage-suggest-excluded').textContent()) ?? '';
    expect(excluded).toMatch(/面积 [\d,]+ m² 小于 350 m²/);
    expect(excluded).toContain('面积未知');
    await waitForNextIdle(page, () => page.evaluate(() => (window as any).__planner.map.jumpTo({ center: [121.545, 29.9], zoom: 12.8 })));
    await page.getByTestId('coverage-suggest-result').scrollIntoViewIfNeeded();
    await shot(page, 'sites-suggest-1366');
    // adopting: the what-if carries the spare site's area
    await page.getByTestId('coverage-suggest-adopt').click();
    await expect.poll(() => page.locator('[data-testid^="coverage-prop-area-"]').count(), { timeout: 10_000 }).toBe(suggested.length);
    expect(await page.locator('[data-testid^="coverage-prop-area-"]').first().textContent()).toMatch(/(建筑|用地)面积 [\d,]+ m²/);
  });
});

describe('post-evaluation', () => {
  let handed: { id: string; name: string };

  test('only communities past handover can be evaluated', async () => {
    await page.getByTestId('mode-workflow').click();
    const accepted = await page.evaluate(() => (window as any).__planner.app.records.find((r: any) => r.stage === 'ACCEPTED' && !r.side_state).id as string);
    await page.evaluate((id) => ((window as any).__planner.app.selectedId = id), accepted);
    await page.getByTestId('eval-section').evaluate((d) => ((d as HTMLDetailsElement).open = true));
    expect(await page.getByTestId('eval-blocked').textContent()).toContain('只有移交维护以后的小区可以后评估');
  });

  test('a recorded evaluation gets its class, counted in the progress view and coloured on the map', async () => {
    handed = await page.evaluate(() => {
      const r = (window as any).__planner.app.records.find((x: any) => x.stage === 'HANDED_OVER' && !x.side_state);
      return { id: r.id as string, name: r.name as string };
    });
    await page.evaluate((id) => ((window as any).__planner.app.selectedId = id), handed.id);
    await page.getByTestId('eval-section').evaluate((d) => ((d as HTMLDetailsElement).open = true));
    await page.getByTestId('eval-date').fill('2023-06-30');
    await page.getByTestId('eval-quality').fill('92');
    await page.getByTestId('eval-management').fill('88');
    await page.getByTestId('eval-surveyed').fill('120');
    await page.getByTestId('eval-satisfied').fill('110');
    await page.getByTestId('eval-save').click();
    await expect.poll(() => page.getByTestId('eval-result').textContent()).toContain('优秀');
    await expect.poll(() => page.getByTestId('eval-count-excellent').textContent()).toContain('1');
    // the map: workflow mode coloured by post-evaluation class
    await page.getByTestId('wf-colorby-evaluation').check();
    await expect.poll(() => page.getByTestId('legend-theme').textContent()).toContain('后评估等级');
    // the community's map colour is the colour of its class (the swatch of the progress view's count)
    const colourOf = (id: string) =>
      page.evaluate(async (cid) => {
        // the district-zoom circles carry each community's theme colour as data
        const src = (window as any).__planner.map.getSource('community-symbols');
        const fc = typeof src.getData === 'function' ? await src.getData() : src._data;
        const f = fc.features.find((x: any) => x.properties.id === cid);
        const n = parseInt(String(f?.properties.color ?? '#000000').slice(1), 16);
        return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
      }, id);
    const swatch = (cls: string) => page.locator(`[data-testid="eval-count-${cls}"] .swatch`).evaluate((e) => getComputedStyle(e).backgroundColor);
    await expect.poll(() => colourOf(handed.id)).toBe(await swatch('excellent'));
    // a stricter rule, applied in the progress view, changes the class everywhere
    await page.getByTestId('eval-rule').evaluate((d) => ((d as HTMLDetailsElement).open = true));
    await page.getByTestId('eval-threshold-excellent').fill('95');
    await page.getByTestId('eval-rule-apply').click();
    await expect.poll(() => page.getByTestId('eval-result').textContent()).toContain('良好');
    await expect.poll(() => page.getByTestId('eval-count-good').textContent()).toContain('1');
    await expect.poll(() => colourOf(handed.id)).toBe(await swatch('good'));
    await waitForNextIdle(page, () =>
      page.evaluate((id) => {
        const { map, app } = (window as any).__planner;
        const c = app.dataset.communities.find((x: any) => x.properties.id === id);
        map.jumpTo({ center: c.geometry.coordinates[0][0], zoom: 12.6 });
      }, handed.id),
    );
    await page.getByTestId('eval-result').scrollIntoViewIfNeeded();
    await shot(page, 'sites-evaluation-1366');
    await page.getByTestId('stewardship-district').scrollIntoViewIfNeeded();
    await shot(page, 'sites-evaluation-district-1366');
  });

  test('long-term management: an after-record changes the district figure; blank stays unknown', async () => {
    await page.getByTestId('mgmt-section').evaluate((d) => ((d as HTMLDetailsElement).open = true));
    const before = await page.getByTestId('mgmt-fig-professional').textContent();
    expect(before).toMatch(/未知/);
    await page.getByTestId('mgmt-property').selectOption('professional');
    await page.getByTestId('mgmt-since').fill('2022-03-01');
    await page.getByTestId('mgmt-fund').fill('75');
    await page.getByTestId('mgmt-save').click();
    await expect.poll(() => page.getByTestId('mgmt-fig-professional').textContent()).toMatch(/→\s*100% \(1\/1\)/);
    expect(offsite).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('at 1920×1080 the evaluation theme and the spare sites read as well', async () => {
    const big = await openApp(browser, '', { width: 1920, height: 1080 });
    await big.page.getByTestId('mode-coverage').click();
    await expect.poll(() => big.page.getByTestId('coverage-fig-complete').textContent(), { timeout: 30_000 }).toMatch(/^\d+ \/ 73 \(/);
    await big.page.getByTestId('sites-section').evaluate((d) => ((d as HTMLDetailsElement).open = true));
    await waitForNextIdle(big.page, () => big.page.evaluate(() => (window as any).__planner.map.jumpTo({ center: [121.55, 29.9], zoom: 13.2 })));
    await big.page.getByTestId('sites-section').scrollIntoViewIfNeeded();
    await shot(big.page, 'sites-layer-1920');
    // English on its own: the spare-site words and the progress view's management figures
    await big.page.getByTestId('lang-toggle').click();
    await expect.poll(() => big.page.getByTestId('sites-count').textContent()).toMatch(/^\d+ in all: \d+ idle rooms, \d+ plots$/);
    await big.page.getByTestId('mode-workflow').click();
    await big.page.getByTestId('stewardship-district').scrollIntoViewIfNeeded();
    expect(await big.page.getByTestId('stewardship-district').textContent()).toContain('Professional property management');
    await shot(big.page, 'sites-district-en-1920');
    await big.context.close();
  });
});
