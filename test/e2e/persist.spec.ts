/**
 * Issue 16 in a real browser: tampered project files and a bad autosave (item 3), the last edit survives a
 * reload at 0, 10 and 100 ms and a browser close (item 4), two tabs of one browser (item 5), the online
 * basemap offline and a 10,000-character view title (item 9).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, baseURL, blockOffsite, launch, openApp, shot, waitForMapIdle } from './browser';
import { TAMPER_CASES, baseProject } from '../fixtures/project/tamper';

let browser: Browser;
let page: Page;
let offsite: string[];
let errors: string[];
let id = '';

beforeAll(async () => {
  browser = await launch();
  ({ page, offsite, errors } = await openApp(browser));
  id = await page.evaluate(() => (window as any).__planner.app.dataset.communities.find((f: any) => f.properties.stage === 'POOL').properties.id);
  await page.evaluate((x) => ((window as any).__planner.app.selectedId = x), id);
  await page.getByTestId('mode-workflow').click();
  await page.locator('summary', { hasText: '修改小区属性' }).click();
});
afterAll(async () => {
  expect(offsite.filter((u) => !u.includes('tile.openstreetmap'))).toEqual([]);
  expect(errors).toEqual([]);
  await browser?.close();
});

const households = (p: Page = page) => p.getByTestId('attr-households').inputValue();
async function setHouseholds(p: Page, n: number) {
  await p.getByTestId('attr-households').fill(String(n));
  await p.getByTestId('attr-households').press('Enter');
}
/** The attribute editor after a reload (mode and community come back from the URL). */
async function openAttrs(p: Page) {
  await waitForMapIdle(p);
  await p.getByTestId('workflow-community').waitFor();
  if (!(await p.getByTestId('attr-households').isVisible())) await p.locator('summary', { hasText: '修改小区属性' }).click();
}
/**
 * Test shim for tab 2: its BroadcastChannel can hold incoming messages (`__holdTabs = true`) and deliver them
 * later (`__releaseTabs()`), so "both tabs edit before either hears of the other" happens every run.
 */
function holdableChannel() {
  const Orig = BroadcastChannel;
  const held: (() => void)[] = [];
  const w = window as any;
  w.__holdTabs = false;
  w.__releaseTabs = () => {
    w.__holdTabs = false;
    for (const f of held.splice(0)) f();
  };
  w.BroadcastChannel = class extends Orig {
    addEventListener(type: string, l: any) {
      if (type !== 'message') return super.addEventListener(type, l);
      super.addEventListener('message', (ev: MessageEvent) => (w.__holdTabs ? held.push(() => l(ev)) : l(ev)));
    }
  };
}
const projectFile = (text: string, name = 'project.json') => ({ name, mimeType: 'application/json', buffer: Buffer.from(text) });

describe('3. broken project files', () => {
  test('tampered files are refused with the part and field named, and change nothing', async () => {
    await setHouseholds(page, 777);
    await expect.poll(() => page.getByTestId('autosave-status').getAttribute('data-saved')).toBe('yes');
    for (const name of ['bundles: plan.bundles is a string', 'import: a feature without geometry', 'view: zoom "x"', 'pool: households 1e308']) {
      const c = TAMPER_CASES.find((x) => x.name === name)!;
      await page.getByTestId('project-file').setInputFiles(projectFile(c.text()));
      await expect.poll(() => page.getByTestId('session-message').textContent()).toContain('未做任何更改');
      expect(await page.getByTestId('session-message').textContent()).toContain(c.expect);
      expect(await households()).toBe('777');
      await page.getByTestId('session-message').getByRole('button').last().click();
    }
    const zoom = await page.evaluate(() => (window as any).__planner.map.getZoom());
    expect(Number.isFinite(zoom)).toBe(true);
    // the refused files left the autosave intact: a reload brings back the last edit
    await page.reload();
    await openAttrs(page);
    expect(await households()).toBe('777');
  });

  test('a bad autosave found at start is reported and kept (downloadable), not silently replaced', async () => {
    const bad = TAMPER_CASES.find((x) => x.name === 'bundles: plan.bundles is a string')!.text();
    await page.evaluate(async (text) => {
      localStorage.clear();
      await new Promise<void>((resolve, reject) => {
        const req = indexedDB.open('jiangbei-planner');
        req.onsuccess = () => {
          const tx = req.result.transaction('autosave', 'readwrite');
          tx.objectStore('autosave').put(text, 'project');
          tx.objectStore('autosave').put({ n: 999, tab: 'old' }, 'revision');
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
      });
    }, bad);
    await page.reload();
    await waitForMapIdle(page);
    await expect.poll(() => page.getByTestId('session-message').textContent()).toContain('无法恢复上次自动保存的工作');
    expect(await page.getByTestId('session-message').textContent()).toContain('plan.bundles');
    await shot(page, 'persist-bad-autosave');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-kept').click()]);
    expect(readFileSync((await download.path())!, 'utf8')).toBe(bad);
    const kept = await page.evaluate(
      () =>
        new Promise<string[]>((resolve) => {
          const req = indexedDB.open('jiangbei-planner');
          req.onsuccess = () => {
            const r = req.result.transaction('autosave').objectStore('autosave').getAllKeys();
            r.onsuccess = () => resolve((r.result as string[]).filter((k) => k.startsWith('project.unreadable.')));
          };
        }),
    );
    expect(kept.length).toBe(1);
  });
});

describe('4. the last edit survives', () => {
  test('a reload 0, 10 and 100 ms after the edit', async () => {
    await openAttrs(page);
    for (const ms of [0, 10, 100]) {
      await setHouseholds(page, 1000 + ms);
      if (ms) await page.waitForTimeout(ms);
      await page.reload();
      await openAttrs(page);
      expect(await households(), `reload ${ms} ms after the edit`).toBe(String(1000 + ms));
    }
  });

  test('the browser closing right after the edit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'planner-profile-'));
    try {
      const open = async () => {
        const ctx = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
        const p = ctx.pages()[0] ?? (await ctx.newPage());
        await blockOffsite(p);
        await p.goto(`${baseURL()}#c=${id}&m=workflow`);
        await openAttrs(p);
        return { ctx, p };
      };
      const first = await open();
      await setHouseholds(first.p, 4242);
      await first.ctx.close(); // no wait at all: the browser goes away with the edit just made
      const second = await open();
      expect(await households(second.p)).toBe('4242');
      await second.ctx.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('5. two tabs', () => {
  test("the second tab sees the first one's edits live; simultaneous edits are a conflict the user settles", async () => {
    await openAttrs(page);
    const page2 = await page.context().newPage();
    await blockOffsite(page2);
    await page2.addInitScript(holdableChannel);
    await page2.goto(`${baseURL()}#c=${id}&m=workflow`);
    await openAttrs(page2);
    await setHouseholds(page, 1500);
    await expect.poll(() => households(page2)).toBe('1500');
    await setHouseholds(page2, 1600);
    await expect.poll(() => households(page)).toBe('1600');

    // both tabs edit before either hears of the other: tab 2's messages are held back (as if it were slow)
    await page2.evaluate(() => ((window as any).__holdTabs = true));
    await setHouseholds(page, 1111);
    await page.waitForTimeout(300);
    await setHouseholds(page2, 2222);
    await page2.evaluate(() => (window as any).__releaseTabs());
    await expect.poll(() => page2.getByTestId('tab-conflict').count()).toBe(1);
    await expect.poll(() => page.getByTestId('tab-conflict').count()).toBe(1);
    // nothing was taken over silently: each tab still shows its own edit
    expect(await households(page)).toBe('1111');
    expect(await households(page2)).toBe('2222');
    await shot(page2, 'persist-two-tabs-conflict');
    await page2.getByTestId('lang-toggle').click();
    expect(await page2.getByTestId('tab-conflict').textContent()).toContain('Another tab changed this project');
    await shot(page2, 'persist-two-tabs-conflict-en');
    await page2.getByTestId('lang-toggle').click();

    await page2.getByTestId('conflict-keep-mine').click();
    await expect.poll(() => households(page)).toBe('2222');
    await expect.poll(() => page.getByTestId('tab-conflict').count()).toBe(0);
    expect(await page2.getByTestId('tab-conflict').count()).toBe(0);
    await page2.close();
    await page.reload();
    await openAttrs(page);
    expect(await households()).toBe('2222');
  });
});

describe('9. smaller', () => {
  test('the online basemap offline says so once and the map keeps working', async () => {
    await page.getByTestId('online-basemap').check();
    await expect.poll(() => page.getByTestId('session-message').textContent(), { timeout: 20_000 }).toContain('在线底图无法加载');
    await shot(page, 'persist-basemap-offline');
    await page.getByTestId('session-message').getByRole('button').last().click();
    // more tiles fail as the map moves: no second message
    await page.evaluate(() => (window as any).__planner.map.jumpTo({ center: [121.53, 29.9], zoom: 15 }));
    await page.waitForTimeout(1500);
    expect(await page.getByTestId('session-message').count()).toBe(0);
    expect(await page.evaluate(() => (window as any).__planner.map.queryRenderedFeatures({ layers: ['communities-fill'] }).length)).toBeGreaterThan(0);
    await page.getByTestId('online-basemap').uncheck();
  });

  test('a 10,000-character saved-view title keeps the slide controls on screen', async () => {
    const p = baseProject(id);
    delete p.slices.import;
    delete p.slices.bundles;
    const long = '很长的标题'.repeat(2000);
    p.slices.views.views = [
      { id: 'v1', title: long, note: 'N'.repeat(10_000), camera: { center: [121.55, 29.89], zoom: 13, bearing: 0, pitch: 0 }, mode: 'explore' },
      { id: 'v2', title: 'x'.repeat(10_000), camera: { center: [121.55, 29.89], zoom: 13, bearing: 0, pitch: 0 }, mode: 'explore' },
    ];
    await page.getByTestId('project-file').setInputFiles(projectFile(JSON.stringify(p)));
    await expect.poll(() => page.getByTestId('session-message').textContent()).toContain('已导入项目');
    const onScreen = async (testId: string, nth = 0) => {
      const box = (await page.getByTestId(testId).nth(nth).boundingBox())!;
      const vp = page.viewportSize()!;
      return box.x >= 0 && box.y >= 0 && box.x + box.width <= vp.width && box.y + box.height <= vp.height;
    };
    for (const [w, h] of [
      [1366, 768],
      [1920, 1080],
    ]) {
      await page.setViewportSize({ width: w, height: h });
      await page.getByTestId('mode-views').click();
      expect(await onScreen('view-delete', 0)).toBe(true);
      expect(await onScreen('view-delete', 1)).toBe(true);
      expect(await onScreen('views-play')).toBe(true);
      await shot(page, `persist-long-title-views-${w}`);
      await page.getByTestId('views-play').click();
      await page.getByTestId('present-mode').waitFor();
      for (const t of ['present-exit', 'present-next', 'present-counter', 'present-charts-toggle']) expect(await onScreen(t), `${t} at ${w}×${h}`).toBe(true);
      await shot(page, `persist-long-title-present-${w}`);
      await page.getByTestId('present-exit').click();
    }
  });
});
