/**
 * Issue 5 in a real browser: scoring, ranking, pools, the workflow with its consent gates, and "never lose
 * work" (autosave survives a reload; undo/redo; project file export and refused import; the view in the URL).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launch, openApp, shot, waitForMapIdle } from './browser';
import { STAGE_COLORS } from '../../src/lib/map/colors';

let browser: Browser;
let page: Page;
let offsite: string[];
let errors: string[];
let id = '';
let name = '';

beforeAll(async () => {
  browser = await launch();
  ({ page, offsite, errors } = await openApp(browser));
  // a community still in the pool (no stage history): the one the test moves through the first gate
  ({ id, name } = await page.evaluate(() => {
    const app = (window as any).__planner.app;
    const c = app.dataset.communities.find((f: any) => f.properties.stage === 'POOL' && !f.properties.side_state);
    return { id: c.properties.id, name: c.properties.name };
  }));
});
afterAll(async () => {
  await browser?.close();
});

async function selectCommunity(cid: string) {
  await page.evaluate((x) => ((window as any).__planner.app.selectedId = x), cid);
}

describe('workflow with consent gates', () => {
  test('skipping a stage and a vote below 2/3 are refused with their messages', async () => {
    await page.getByTestId('mode-workflow').click();
    await selectCommunity(id);
    await expect.poll(() => page.getByTestId('workflow-stage').textContent()).toBe('排摸入库');

    await page.getByTestId('workflow-target').selectOption('DRAFT_SCHEME');
    await page.getByTestId('workflow-submit').click();
    await expect.poll(() => page.getByTestId('workflow-refusal').textContent()).toContain('不能跳过阶段');

    await page.getByTestId('workflow-target').selectOption('APPLIED');
    await page.getByTestId('workflow-date').fill('2021-03-02');
    await page.getByTestId('workflow-submit').click();
    await expect.poll(() => page.getByTestId('workflow-refusal').textContent()).toContain('须先登记业主');

    // the rule is on screen
    expect(await page.getByTestId('consent-rule').textContent()).toContain('民法典第1259条');
    await page.getByTestId('vote-date').fill('2021-03-01');
    await page.getByTestId('vote-area-in').fill('2000');
    await page.getByTestId('vote-area-total').fill('3000');
    await page.getByTestId('vote-owners-in').fill('199');
    await page.getByTestId('vote-owners-total').fill('300');
    await expect.poll(() => page.getByTestId('vote-check').textContent()).toContain('未通过');
    await page.getByTestId('workflow-submit').click();
    await expect.poll(() => page.getByTestId('workflow-refusal').textContent()).toContain('至少需 200 人');
    expect(await page.getByTestId('workflow-stage').textContent()).toBe('排摸入库');
    await shot(page, 'pool-workflow-refused');
  });

  test('exactly 2/3 passes and moves the community to 居民申请', async () => {
    await page.getByTestId('vote-owners-in').fill('200');
    await expect.poll(() => page.getByTestId('vote-check').textContent()).not.toContain('未通过');
    await page.getByTestId('workflow-submit').click();
    await expect.poll(() => page.getByTestId('workflow-stage').textContent()).toBe('居民申请');
    expect(await page.getByTestId('workflow-history').textContent()).toContain('200/300');
    // the map is coloured by stage: the legend lists the new stage
    expect(await page.locator('body').textContent()).toContain('流程阶段');
    await shot(page, 'pool-workflow-moved');
  });
});

describe('scoring', () => {
  test('a weight edit re-ranks at once, highlights movers, and undo/redo work', async () => {
    await page.getByTestId('mode-scoring').click();
    expect(await page.getByTestId('rubric-name').textContent()).toContain('默认评分标准 (非官方附件4)');
    const order = () => page.getByTestId('ranking-compact').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')));
    const before = await order();
    const weight = page.getByTestId('weight-SC01');
    await weight.fill('3');
    await weight.press('Enter');
    await weight.blur();
    await expect.poll(() => page.getByTestId('max-SC01').textContent()).toBe('30');
    await expect.poll(() => page.getByTestId('movers-note').count()).toBe(1);
    expect(await page.locator('[data-testid^="mover-"]').count()).toBeGreaterThan(0);
    expect(await order()).not.toEqual(before);
    await shot(page, 'pool-scoring-weight');

    await page.getByTestId('undo').click();
    await expect.poll(() => page.getByTestId('max-SC01').textContent()).toBe('10');
    await page.getByTestId('redo').click();
    await expect.poll(() => page.getByTestId('max-SC01').textContent()).toBe('30');
    // keyboard too (focus outside any field)
    await page.locator('h3').first().click();
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByTestId('max-SC01').textContent()).toBe('10');
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => page.getByTestId('max-SC01').textContent()).toBe('30');

    await page.getByTestId('ranking-sheet-toggle').click();
    await expect.poll(() => page.getByTestId('ranking-sheet').count()).toBe(1);
    await shot(page, 'pool-ranking-sheet');
    await page.getByTestId('ranking-sheet-toggle').click();
  });

  test('a gate can be added (built before 2000) and removed again', async () => {
    const sc01Fails = () => page.getByTestId('ranking-compact').locator('tbody tr[title*="不满足「建成年代」门槛"]').count();
    expect(await sc01Fails()).toBe(0);
    await page.getByTestId('add-gate-SC01').click();
    const v = page.getByTestId('gate-value-SC01-0');
    await v.fill('2000');
    await v.press('Enter');
    await v.blur();
    // the estates built after 2000 in the demo data now fail the new gate, with SC01 named as the reason
    await expect.poll(sc01Fails).toBeGreaterThan(0);
    await page.getByTestId('gate-SC02-0').scrollIntoViewIfNeeded();
    await shot(page, 'pool-rubric-gate');
    await page.getByTestId('remove-gate-SC01-0').click();
    await expect.poll(sc01Fails).toBe(0);
  });

  test('a rubric file can be exported and loaded; a broken one is refused with the field named', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('rubric-export').click()]);
    const rubric = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(rubric.official).toBe(false);
    expect(rubric.criteria[0].weight).toBe(3);
    rubric.criteria[0].rule.steps[0].when[0].fact = 'age';
    await page.getByTestId('rubric-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(rubric)) });
    await expect.poll(() => page.getByTestId('rubric-message').textContent()).toContain('criteria[0].rule.steps[0].when[0].fact: unknown fact "age"');
    expect(await page.getByTestId('weight-SC01').inputValue()).toBe('3');
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.getByTestId('rubric-name').textContent()).toContain('not the official');
    await shot(page, 'pool-scoring-en');
    await page.getByTestId('lang-toggle').click();
  });
});

describe('scores read the analyses', () => {
  test('after the coverage and bundling analyses ran, SC07/SC08 are no longer scored without data', async () => {
    await page.getByTestId('mode-scoring').click();
    await page.getByTestId('ranking-sheet-toggle').click();
    expect(await page.getByTestId('ranking-sheet').textContent()).toContain('无数据 (缺少字段或尚未运行连片/生活圈分析)');
    await page.getByTestId('ranking-sheet-toggle').click();
    await page.getByTestId('mode-coverage').click();
    // the coverage analysis runs in a worker; wait for its figures before moving on
    await page.getByTestId('coverage-fig-complete').waitFor({ timeout: 110_000 });
    await page.getByTestId('mode-bundle').click();
    await page.getByTestId('bundle-generate').click();
    await page.getByTestId('mode-scoring').click();
    await page.getByTestId('ranking-sheet-toggle').click();
    await expect.poll(() => page.getByTestId('ranking-sheet').textContent(), { timeout: 60_000 }).not.toContain('无数据 (缺少字段或尚未运行连片/生活圈分析)');
    await shot(page, 'pool-ranking-with-analyses');
    await page.getByTestId('ranking-sheet-toggle').click();
  }, 240_000); // the coverage analysis of the whole district runs first
});

describe('pools and batches', () => {
  test('top N within a budget goes into the plan; totals per batch follow', async () => {
    await page.getByTestId('mode-pool').click();
    const inPlan = async () => Number(await page.getByTestId('pool-row-实施').locator('td').nth(1).textContent());
    const before = await inPlan();
    await page.getByTestId('topn-n').fill('5');
    await page.getByTestId('topn-year').selectOption('2022');
    await page.getByTestId('topn-budget').fill('5000');
    await page.getByTestId('topn-preview').click();
    await expect.poll(() => page.getByTestId('topn-result').count()).toBe(1);
    const chosen = await page.getByTestId('topn-result').locator('ol li').count();
    expect(chosen).toBeGreaterThan(0);
    await shot(page, 'pool-topn-preview');
    await page.getByTestId('topn-apply').click();
    await expect.poll(() => inPlan()).toBe(before + chosen);
    await shot(page, 'pool-batches');
  });
});

describe('never lose work', () => {
  test('the stage (with its vote) and the weight survive a reload; the URL reopens the view', async () => {
    // an attribute edit too
    await selectCommunity(id);
    await page.getByTestId('mode-workflow').click();
    await page.locator('summary', { hasText: '修改小区属性' }).click();
    await page.getByTestId('attr-households').fill('999');
    await page.getByTestId('attr-households').press('Enter');
    await page.getByTestId('mode-scoring').click();
    await expect.poll(() => page.getByTestId('autosave-status').getAttribute('data-saved'), { timeout: 10_000 }).toBe('yes');
    expect(await page.getByTestId('autosave-status').getAttribute('title')).toContain('已自动保存');
    // move the map away from the default view, so the reload must really reopen it
    await page.evaluate(() => (window as any).__planner.map.jumpTo({ center: [121.5432, 29.8876], zoom: 14.3 }));
    await expect.poll(() => page.url()).toContain('z=14.3');
    await page.evaluate(() => new Promise((r) => setTimeout(r, 500)));
    const url = page.url();
    expect(url).toContain(`c=${id}`);
    expect(url).toContain('m=scoring');
    expect(url).toMatch(/ll=[\d.]+,[\d.]+&z=[\d.]+/);

    const [, lon, lat, zoom] = url.match(/ll=([\d.]+),([\d.]+)&z=([\d.]+)/)!.map(Number);

    await page.reload();
    await waitForMapIdle(page);
    // the map opens where the link says
    const cam = await page.evaluate(() => {
      const m = (window as any).__planner.map;
      return { lon: m.getCenter().lng, lat: m.getCenter().lat, zoom: m.getZoom() };
    });
    expect(Math.abs(cam.lon - lon)).toBeLessThan(1e-4);
    expect(Math.abs(cam.lat - lat)).toBeLessThan(1e-4);
    expect(Math.abs(cam.zoom - zoom)).toBeLessThan(0.01);
    expect(await page.getByTestId('panel-scoring').count()).toBe(1);
    await expect.poll(() => page.getByTestId('weight-SC01').inputValue()).toBe('3');
    expect(await page.getByTestId(`rank-row-${id}`).getAttribute('class')).toContain('sel');
    await page.getByTestId('mode-workflow').click();
    await expect.poll(() => page.getByTestId('workflow-stage').textContent()).toBe('居民申请');
    expect(await page.getByTestId('workflow-history').textContent()).toContain('2021-03-02');
    // the map colours the community by its restored stage (居民申请 = APPLIED)
    const fill = await page.evaluate((cid) => (window as any).__planner.map.getFeatureState({ source: 'communities', id: cid }).fill ?? null, id);
    expect(fill).toBe(STAGE_COLORS.APPLIED);
    expect(await page.getByTestId('workflow-community').locator('h3').textContent()).toContain(name);
    await page.locator('summary', { hasText: '修改小区属性' }).click();
    expect(await page.getByTestId('attr-households').inputValue()).toBe('999');
    await shot(page, 'pool-after-reload');
    await page.getByTestId('progress-timeline').scrollIntoViewIfNeeded();
    expect(await page.getByTestId('progress-timeline').locator('circle').count()).toBeGreaterThan(0);
    await shot(page, 'pool-progress');
  });

  test('project export holds every slice; a newer-version file is refused and changes nothing', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('project-menu').click().then(() => page.getByTestId('project-export').click())]);
    const path = await download.path();
    const project = JSON.parse(readFileSync(path!, 'utf8'));
    expect(project.format).toBe('jiangbei-renewal-project');
    expect(project.schema_version).toBe(2);
    expect(project.slices.pool.overlay[id].workflow.stage).toBe('APPLIED');
    expect(project.slices.pool.rubric.criteria[0].weight).toBe(3);
    // other features' work went through the same autosave and reload: the bundle plan generated before the reload
    expect(project.slices.bundles.plan.bundles.length).toBeGreaterThan(0);
    expect(project.slices.coverage.version).toBe(1);

    await page.getByTestId('project-file').setInputFiles('test/fixtures/project/v3-newer.json');
    await expect.poll(() => page.getByTestId('session-message').textContent()).toContain('更新版本');
    expect(await page.getByTestId('workflow-stage').textContent()).toBe('居民申请');
    await shot(page, 'pool-import-refused');

    // English: the refusal and rule texts are translated
    await page.getByTestId('lang-toggle').click();
    await page.getByTestId('workflow-target').selectOption('SCHEME_VOTED');
    await page.getByTestId('workflow-submit').click();
    await expect.poll(() => page.getByTestId('workflow-refusal').textContent()).toContain('cannot skip stages');
    expect(await page.getByTestId('consent-rule').textContent()).toContain('Civil Code art. 1259');
    await shot(page, 'pool-workflow-en');
    await page.getByTestId('lang-toggle').click();

    // importing the exported file restores it (and says so)
    await page.getByTestId('project-file').setInputFiles(path!);
    await expect.poll(() => page.getByTestId('session-message').textContent()).toContain('已导入项目');
    expect(await page.getByTestId('workflow-stage').textContent()).toBe('居民申请');
    expect(offsite).toEqual([]);
    expect(errors).toEqual([]);
  });
});
