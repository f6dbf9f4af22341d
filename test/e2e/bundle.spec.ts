/**
 * Issue 4 in a real browser: generate renovation bundles on the default dataset, see them on the map,
 * move a community by clicking it, undo, form a bundle with the lasso, split, and save two scenarios and
 * compare them. Screenshots go to test-artifacts/bundle-*.png.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, openApp, shot } from './browser';

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

/** Wait until the map has rendered after a change (idle counter moves, or already idle). */
async function settle() {
  await page.waitForFunction(() => {
    const m = (window as any).__planner.map;
    return m && m.loaded() && !m.isMoving() && m.areTilesLoaded();
  });
  await page.waitForTimeout(300);
}

/** Screen position inside a community (its vertex average; the generated estates are convex). */
async function communityPoint(id: string): Promise<{ x: number; y: number }> {
  return page.evaluate((cid) => {
    const p = (window as any).__planner;
    const f = p.app.dataset.communities.find((c: any) => c.properties.id === cid);
    const ring = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : f.geometry.coordinates[0][0];
    const pts = ring.slice(0, -1);
    const lon = pts.reduce((s: number, q: number[]) => s + q[0], 0) / pts.length;
    const lat = pts.reduce((s: number, q: number[]) => s + q[1], 0) / pts.length;
    const xy = p.map.project([lon, lat]);
    const r = p.map.getCanvas().getBoundingClientRect();
    return { x: r.left + xy.x, y: r.top + xy.y };
  }, id);
}

/** Generate and wait until the worker's answer is in (the optimiser takes seconds: the button is disabled meanwhile). */
async function generate() {
  await page.getByTestId('bundle-generate').click();
  await expect.poll(() => page.getByTestId('bundle-generate').isEnabled(), { timeout: 90_000 }).toBe(true);
}

/** the selected community's bundle (its id, from the element's data; the text shows the bundle's name) */
async function bundleOfRow(): Promise<string> {
  return (await page.getByTestId('bundle-current').getAttribute('data-bundle')) ?? '';
}

describe('bundles', () => {
  let firstBundle = '';
  let member = '';
  let bundleCount = 0;

  test('generate bundles and see them on the map as coloured areas with labels', async () => {
    await page.getByTestId('mode-bundle').click();
    await generate();
    await expect.poll(() => page.getByTestId('bundle-summary').textContent()).toMatch(/\d+ 个片区/);
    // the optimiser proves its answer on the default data: no valid bundling leaves fewer out
    await expect.poll(() => page.getByTestId('bundle-quality').getAttribute('data-status')).toBe('exact');
    expect(await page.getByTestId('bundle-quality').textContent()).toMatch(/已证明最优: \d+ 个小区成片/);
    expect(await page.getByTestId('bundle-summary').textContent()).toMatch(/; [01] 个小区未成片/);
    bundleCount = await page.locator('[data-testid^="bundle-row-"]').count();
    expect(bundleCount).toBeGreaterThan(5);
    // outlines are computed in chunks after the click; wait until every bundle has one on the map
    await page.waitForFunction(
      (n) => {
        const src = (window as any).__planner.map.getSource('bundles');
        return src && src._data && (src._data.features?.length ?? src._data.geojson?.features?.length) === n;
      },
      bundleCount,
      { timeout: 30_000 },
    );
    await settle();
    const drawn = await page.evaluate(() => (window as any).__planner.map.queryRenderedFeatures({ layers: ['bundles-line'] }).length);
    expect(drawn).toBeGreaterThan(0);
    const labels = await page.evaluate(() => (window as any).__planner.map.queryRenderedFeatures({ layers: ['bundles-label'] }).length);
    expect(labels).toBeGreaterThan(0);
    // the legend is the bundle theme, and the table carries figures and funding
    expect(await page.getByTestId('bundle-econ-total').textContent()).toMatch(/\d/);
    expect(await page.getByTestId('bundle-econ-chart').locator('rect').count()).toBeGreaterThan(bundleCount);
    await shot(page, 'bundle-generated');

    const first = await page.evaluate(() => {
      const rows = [...document.querySelectorAll('[data-testid^="bundle-row-"]')].map((r) => r.getAttribute('data-testid')!.replace('bundle-row-', ''));
      return rows[0];
    });
    firstBundle = first;
  });

  test('bundles are named for people (街道·main community), ids nowhere; every unbundled community says why', async () => {
    const names = await page.locator('[data-testid^="bundle-row-"] td:first-child').allTextContents();
    expect(names.length).toBe(bundleCount);
    for (const n of names) expect(n).toMatch(/^\S+·\S+片区$/);
    expect(new Set(names).size).toBe(names.length);
    const panelText = await page.locator('.bundle-panel').innerText();
    expect(panelText).not.toMatch(/\bB\d{2}\b/);
    expect(await page.getByTestId('legend').innerText()).not.toMatch(/\bB\d{2}\b/);
    if (await page.getByTestId('headline-unbundled').count()) {
      // the headline gives the computed reason (not a pointer to the table), and so does the community's record
      const hl = (await page.getByTestId('headline-unbundled').textContent()) ?? '';
      await page.getByTestId('headline-unbundled').click(); // outlines the communities it speaks of
      const unbundled: string[] = await page.evaluate(() => [...(window as any).__planner.app.highlightIds]);
      expect(unbundled.length).toBeGreaterThan(0);
      expect(hl).toMatch(/(没有|隔着|到不了|超出|低于|可并入|批次)/);
      expect(hl).not.toMatch(/见下方/);
      await page.evaluate((id) => ((window as any).__planner.app.selectedId = id), unbundled[0]);
      await page.getByTestId('mode-explore').click();
      await expect.poll(() => page.getByTestId('rec-bundle').textContent()).toMatch(/未成片原因.*(没有|隔着|到不了|超出|低于|可并入|批次)/);
      await shot(page, 'bundle-unbundled-record');
      await page.getByTestId('mode-bundle').click();
    }
  });

  test('click a community on the map and move it to another bundle; undo puts it back', async () => {
    await page.getByTestId(`bundle-row-${firstBundle}`).click(); // selects the bundle and flies to it
    await page.waitForTimeout(900);
    await settle();
    const text = (await page.getByTestId('bundle-selected').locator('.muted').first().textContent())!;
    const firstName = text.replace(/^成员:\s*/, '').split('、')[0];
    member = await page.evaluate((nm) => (window as any).__planner.app.dataset.communities.find((c: any) => c.properties.name === nm).properties.id, firstName);
    const pt = await communityPoint(member);
    await page.mouse.click(pt.x, pt.y);
    await expect.poll(() => page.evaluate(() => (window as any).__planner.app.selectedId)).toBe(member);
    expect(await bundleOfRow()).toContain(firstBundle);

    const target = await page.getByTestId('bundle-move-target').locator('option').nth(1).getAttribute('value');
    expect(target).toMatch(/^B\d+/);
    await page.getByTestId('bundle-move-target').selectOption(target!);
    await page.getByTestId('bundle-move').click();
    await expect.poll(bundleOfRow).toContain(target!);
    await settle();
    await shot(page, 'bundle-moved');

    // the proof is about the generated plan, and the panel says the plan was edited since
    await expect.poll(() => page.getByTestId('bundle-quality-edited').count()).toBe(1);
    await page.getByTestId('undo').click();
    await expect.poll(bundleOfRow).toContain(firstBundle);
    await page.getByTestId('redo').click();
    await expect.poll(bundleOfRow).toContain(target!);
    // the proof is about the generated plan, and the panel says the plan was edited since
    await expect.poll(() => page.getByTestId('bundle-quality-edited').count()).toBe(1);
    await page.getByTestId('undo').click();
    await expect.poll(bundleOfRow).toContain(firstBundle);
  });

  test('click-to-assign: with a target chosen, clicking communities moves them there', async () => {
    const target = await page.getByTestId('bundle-paint').locator('option').nth(1).getAttribute('value');
    const goal = target === firstBundle ? await page.getByTestId('bundle-paint').locator('option').nth(2).getAttribute('value') : target;
    await page.getByTestId('bundle-paint').selectOption(goal!);
    expect(await page.getByTestId('bundle-paint-active').isVisible()).toBe(true);
    const pt = await communityPoint(member);
    await page.mouse.click(pt.x, pt.y);
    await page.evaluate((m) => ((window as any).__planner.app.selectedId = m), member);
    await expect.poll(bundleOfRow).toContain(goal!);
    await page.getByTestId('bundle-paint').selectOption('');
    // the proof is about the generated plan, and the panel says the plan was edited since
    await expect.poll(() => page.getByTestId('bundle-quality-edited').count()).toBe(1);
    await page.getByTestId('undo').click();
    await expect.poll(bundleOfRow).toContain(firstBundle);
  });

  test('a move that breaks a constraint is allowed and warned about', async () => {
    // take the member out: its old bundle may drop to one community or stay; moving a far community in breaks contiguity
    const far = await page.evaluate((m) => {
      const p = (window as any).__planner;
      const street = p.app.communityById.get(m).properties.street;
      // a community of another street: joining it breaks the street constraint (and contiguity)
      return p.app.dataset.communities.find((x: any) => x.properties.street !== street).properties.id;
    }, member);
    await page.evaluate((x) => ((window as any).__planner.app.selectedId = x), far);
    await page.getByTestId('bundle-move-target').selectOption(firstBundle);
    await page.getByTestId('bundle-move').click();
    await expect.poll(() => page.getByTestId(`bundle-row-${firstBundle}`).getAttribute('class')).toContain('warn');
    const warnings = await page.locator('[data-testid^="bundle-warning-"]').allTextContents();
    expect(warnings.join(' ')).toMatch(/跨街道|不连片/);
    await page.getByTestId('undo').click();
  });

  test('lasso round communities forms a bundle; split divides it again', async () => {
    await page.getByTestId('bundle-lasso').click();
    expect(await page.getByTestId('bundle-lasso-active').isVisible()).toBe(true);
    // draw a ring round the member community, centred on the map (clear of the legend)
    await page.evaluate((m) => {
      const p = (window as any).__planner;
      const f = p.app.communityById.get(m);
      const ring = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : f.geometry.coordinates[0][0];
      const pts = ring.slice(0, -1);
      p.map.jumpTo({ center: [pts.reduce((s: number, q: number[]) => s + q[0], 0) / pts.length, pts.reduce((s: number, q: number[]) => s + q[1], 0) / pts.length] });
    }, member);
    await settle();
    const c = await communityPoint(member);
    await page.mouse.move(c.x - 150, c.y - 150);
    await page.mouse.down();
    for (const [dx, dy] of [
      [150, -150],
      [150, 150],
      [-150, 150],
      [-150, -150],
    ])
      await page.mouse.move(c.x + dx, c.y + dy, { steps: 6 });
    await page.mouse.up();
    await expect.poll(() => page.getByTestId('bundle-selected').textContent()).toContain(await page.evaluate((m) => (window as any).__planner.app.communityById.get(m).properties.name, member));
    const formed = (await page.getByTestId('bundle-selected').locator('strong').textContent())!;
    const n = await page.evaluate(() => document.querySelector('[data-testid="bundle-selected"]')!.textContent!.split('、').length);
    await settle();
    await shot(page, 'bundle-lasso');
    if (n >= 2) {
      await page.getByTestId('bundle-split').click();
      await expect.poll(() => page.locator('[data-testid^="bundle-row-"]').count()).toBeGreaterThan(0);
    }
    // the new bundle is shown by its name (街道·main community), never its id
    expect(formed).toMatch(/^\S+·\S+片区$/);
  });

  test('save two scenarios and compare them side by side', async () => {
    await generate();
    await page.getByTestId('bundle-scenario-name').fill('最多6个小区');
    await page.getByTestId('bundle-save-scenario').click();
    await page.getByTestId('bundle-max-communities').fill('2');
    await page.getByTestId('bundle-max-communities').dispatchEvent('change');
    await generate();
    await page.getByTestId('bundle-scenario-name').fill('最多2个小区');
    await page.getByTestId('bundle-save-scenario').click();
    await expect.poll(() => page.locator('[data-testid^="bundle-compare-col-S"]').count()).toBe(2);
    const a = Number(await page.getByTestId('bundle-compare-bundles-S1').textContent());
    const b = Number(await page.getByTestId('bundle-compare-bundles-S2').textContent());
    expect(b).toBeGreaterThan(a); // at most 2 per bundle → more, smaller bundles
    const meanA = Number(await page.getByTestId('bundle-compare-meanCommunities-S1').textContent());
    const meanB = Number(await page.getByTestId('bundle-compare-meanCommunities-S2').textContent());
    expect(meanB).toBeLessThanOrEqual(2);
    expect(meanA).toBeGreaterThan(meanB);
    await page.getByTestId('bundle-scenarios').scrollIntoViewIfNeeded();
    await settle();
    await shot(page, 'bundle-scenarios');

    // English
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.getByTestId('bundle-summary').textContent()).toMatch(/bundles of \d+ communities/);
    expect(await page.getByTestId('bundle-quality').textContent()).toMatch(/Proved optimal: \d+ communities in bundles/);
    await shot(page, 'bundle-en');
    await page.getByTestId('lang-toggle').click();
  });

  test('with the coverage gaps computed, bundles name the facilities their members lack', async () => {
    await page.getByTestId('bundle-max-communities').fill('6');
    await page.getByTestId('bundle-max-communities').dispatchEvent('change');
    await page.getByTestId('bundle-compute-gaps').click();
    await expect.poll(() => page.getByTestId('bundle-constraints').textContent(), { timeout: 60_000 }).toMatch(/已使用 \d+ 个小区的设施缺口/);
    await generate();
    const lacking = await page.locator('[data-testid^="bundle-lacking-"]').allTextContents();
    expect(lacking.length).toBeGreaterThan(0);
    // with gaps in play at least one bundle shares a missing category across all its members
    expect(lacking.some((x) => !x.includes('无 (或未计算覆盖)'))).toBe(true);
    await page.getByTestId('bundle-table-section').scrollIntoViewIfNeeded();
    await shot(page, 'bundle-gaps');
  });

  test('the plan and the scenarios survive a reload (autosave)', async () => {
    await page.waitForTimeout(1500); // autosave is debounced
    await page.reload();
    await page.waitForFunction(() => (window as any).__planner?.ready === true && (window as any).__planner?.mapIdle > 0, null, { timeout: 60_000 });
    await page.getByTestId('mode-bundle').click();
    await expect.poll(() => page.getByTestId('bundle-summary').textContent()).toMatch(/\d+ 个片区/);
    await expect.poll(() => page.locator('[data-testid^="bundle-compare-col-S"]').count()).toBe(2);
  });

  test('the exact/gap statement at 1366×768 (zh) and 1920×1080 (en)', async () => {
    for (const [width, height, lang] of [
      [1366, 768, 'zh'],
      [1920, 1080, 'en'],
    ] as const) {
      const other = await openApp(browser, '', { width, height });
      const p = other.page;
      await p.getByTestId('mode-bundle').click();
      if (lang === 'en') await p.getByTestId('lang-toggle').click();
      await p.getByTestId('bundle-generate').click();
      await expect.poll(() => p.getByTestId('bundle-quality').getAttribute('data-status'), { timeout: 90_000 }).toBe('exact');
      expect(await p.getByTestId('bundle-quality').textContent()).toMatch(lang === 'zh' ? /已证明最优/ : /Proved optimal/);
      await p.getByTestId('bundle-quality').scrollIntoViewIfNeeded();
      await p.waitForTimeout(500);
      await shot(p, `bundle-quality-${width}-${lang}`);
      expect(other.errors).toEqual([]);
      expect(other.offsite).toEqual([]);
      await p.context().close();
    }
  });

  test('no page errors, nothing fetched from outside', () => {
    expect(errors).toEqual([]);
    expect(offsite).toEqual([]);
  });
});
