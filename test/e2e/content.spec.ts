/**
 * Issue 13 in a real browser: open a community, accept the suggested content plan, edit a quantity, import
 * a residents' survey; the investment, the bundle's economics and the batch total follow; a reload finds it all.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, openApp, shot, waitForMapIdle } from './browser';

let browser: Browser;
let page: Page;
let offsite: string[];
let errors: string[];
let id = '';
let name = '';
let year = '';
let bundleId = '';

beforeAll(async () => {
  browser = await launch();
  ({ page, offsite, errors } = await openApp(browser, '', { width: 1366, height: 768 }));
});
afterAll(async () => {
  await browser?.close();
});

const select = (cid: string) => page.evaluate((x) => ((window as any).__planner.app.selectedId = x), cid);
const text = async (testid: string) => (await page.getByTestId(testid).textContent()) ?? '';
const money = (s: string) => Number(s.replace(/[^\d.]/g, ''));

async function bundleRowInvestment(): Promise<string> {
  await page.getByTestId('mode-bundle').click();
  return (await page.getByTestId(`bundle-row-${bundleId}`).locator('td').nth(5).textContent()) ?? '';
}
async function batchInvestment(): Promise<string> {
  await page.getByTestId('mode-pool').click();
  return (await page.getByTestId(`batch-row-${year}`).locator('td').nth(4).textContent()) ?? '';
}

describe('content plan of one community', () => {
  let bundleBefore = '';
  let batchBefore = '';

  test('pick a community in a batch and in a bundle; without a plan its investment is the labelled estimate', async () => {
    await page.getByTestId('mode-bundle').click();
    await page.getByTestId('bundle-generate').click();
    await expect.poll(() => text('bundle-summary'), { timeout: 30_000 }).toMatch(/\d+ 个片区/);
    const candidates: { id: string; name: string; year: number }[] = await page.evaluate(() =>
      (window as any).__planner.app.records.filter((r: any) => r.batch_year !== null).map((r: any) => ({ id: r.id, name: r.name, year: r.batch_year })),
    );
    for (const c of candidates) {
      await select(c.id);
      // the text names the bundle ("孔浦·怡江片区"); its id is only in the element's data
      const b = (await page.getByTestId('bundle-current').getAttribute('data-bundle')) ?? '';
      if (b) {
        ({ id, name } = c);
        year = String(c.year);
        bundleId = b;
        break;
      }
    }
    expect(id, 'a community in a batch and in a bundle').not.toBe('');
    bundleBefore = await bundleRowInvestment();
    batchBefore = await batchInvestment();

    await page.getByTestId('mode-workflow').click();
    await select(id);
    await expect.poll(() => text('content-investment-kind')).toContain('估算');
    expect(await text('content-empty')).toContain('尚无改造内容清单');
    expect(await text('content-suggestions')).toContain('基础包');
  });

  test('accept the suggested plan: every line says why; the investment becomes item-based', async () => {
    await page.getByTestId('content-accept-all').click();
    await expect.poll(() => text('content-investment-kind')).toBe('按改造内容计');
    expect(await page.getByTestId('content-line-RB01').textContent()).toContain('数量规则: 建筑面积 ÷ 6');
    expect(await text('content-version')).toBe('第 1 版');
    expect(await text('content-by-class')).toMatch(/基础 [\d.]+ 万元/);
    expect(await text('content-owners')).toMatch(/%/);
  });

  test('edit one quantity: cost and investment change, the version grows', async () => {
    const before = money(await text('content-investment'));
    const qty = Number(await page.getByTestId('content-qty-RB01').inputValue());
    await page.getByTestId('content-qty-RB01').fill(String(qty + 1000));
    await page.getByTestId('content-qty-RB01').press('Enter');
    // 1000 m² more roof at 150 CNY/m² = 15 万元
    await expect.poll(async () => Math.round((money(await text('content-investment')) - before) * 10) / 10).toBe(15);
    expect(await text('content-version')).toBe('第 2 版');
    expect(await page.getByTestId('content-line-RB01').textContent()).not.toContain('数量规则');
  });

  test('a broken survey is refused naming the row and column; a good one marks the residents’ priorities', async () => {
    const bad = '改造内容,同意户数,征询户数\r\n智能快件箱/信包箱,400,600\r\n飞行汽车,1,2\r\n';
    await page.getByTestId('content-survey-file').setInputFiles({ name: 'bad-survey.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await expect.poll(() => text('content-survey-message')).toContain('bad-survey.csv: row 3: column "改造内容": unknown item "飞行汽车"');
    expect(await page.getByTestId('content-survey-rows').count()).toBe(0);

    const csv = `小区,改造内容,同意户数,征询户数\r\n${name},智能快件箱/信包箱,400,600\r\n${name},健身步道与文体设施,399,600\r\n${name},屋面防水/渗漏水维修,500,600\r\n`;
    await page.getByTestId('content-survey-file').setInputFiles({ name: 'survey.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expect.poll(() => text('content-survey-message')).toContain('已导入 3 项');
    expect(await text('content-survey-RI14')).toContain('群众需求集中');
    expect(await text('content-survey-RI08')).not.toContain('群众需求集中');
    // exactly 2/3 is proposed; the roof line already in the plan is now "asked by residents"
    await expect.poll(() => text('content-suggestions')).toContain('群众需求集中: 400/600 户');
    expect(await text('content-source-RB01')).toBe('居民提出');
    await page.getByTestId('content-accept-RI14').click();
    await expect.poll(() => text('content-source-RI14')).toBe('居民提出');
    expect(await text('content-source-RB02')).toBe('部门增列');
    await shot(page, 'content-plan-1366');
  });

  test('the bundle’s economics and the batch total change with the plan', async () => {
    expect(await bundleRowInvestment()).not.toBe(bundleBefore);
    expect(await batchInvestment()).not.toBe(batchBefore);
    expect(await text('content-district')).toContain('1 个小区有改造内容清单');
    expect(await text('content-total-RI14')).toContain('1 处');
    await page.getByTestId('content-dept').selectOption({ index: 1 });
    await shot(page, 'content-district-1366');
  });

  test('the map can be coloured by investment per household and by content mix', async () => {
    await page.getByTestId('mode-pool').click();
    await page.getByTestId('pool-color-by').selectOption('investment');
    await expect.poll(() => page.locator('body').textContent()).toContain('户均投资 (元/户)');
    expect(await page.locator('body').textContent()).toContain('1 个小区按改造内容清单计');
    await shot(page, 'content-theme-investment');
    await page.getByTestId('pool-color-by').selectOption('classmix');
    await expect.poll(() => page.locator('body').textContent()).toContain('尚无清单');
    await page.getByTestId('pool-color-by').selectOption('batch');
  });

  test('the catalogue: a unit cost edit changes the investment; a broken file is refused naming row and field', async () => {
    await page.getByTestId('mode-pool').click();
    await page.getByTestId('content-catalogue').locator('summary').click();
    const before = await text('content-scope-investment');
    await page.getByTestId('catalogue-cost-RB02').fill('240');
    await page.getByTestId('catalogue-cost-RB02').press('Enter');
    await expect.poll(() => text('content-scope-investment')).not.toBe(before);
    expect(await text('content-catalogue')).toContain('已修改');
    const broken = 'code,class,item_zh,item_en,unit,unit_cost_cny,cost_source,funding,department_zh,department_en,refs\r\nRB01,基础类,屋面,roof,m²,150,,base,,,B12\r\nRB02,基础类,外墙,facade,km,120,,base,,,B12\r\n';
    await page.getByTestId('catalogue-file').setInputFiles({ name: 'items.csv', mimeType: 'text/csv', buffer: Buffer.from(broken) });
    await expect.poll(() => text('catalogue-message')).toContain('items.csv: row 3: field "unit"');
    expect(await text('content-catalogue')).toContain('已修改');
  });

  test('reload: plan, edited quantity, survey and investment are all there (and the edited household size)', async () => {
    // issue 10: the household size used for estimated residents is saved with the project
    await page.getByTestId('mode-explore').click();
    await page.getByTestId('household-size-input').fill('2.7');
    await page.getByTestId('household-size-input').dispatchEvent('change');
    await expect.poll(() => page.getByTestId('undo').getAttribute('title')).toContain('户均人口 = 2.7');
    await page.getByTestId('mode-workflow').click();
    await select(id);
    const inv = await text('content-investment');
    const qty = await page.getByTestId('content-qty-RB01').inputValue();
    // the status says "saved" since the first save: give the debounced save of the last edit time to land
    await page.waitForTimeout(1500);
    await expect.poll(() => page.getByTestId('autosave-status').getAttribute('data-saved'), { timeout: 10_000 }).toBe('yes');
    await page.reload();
    await waitForMapIdle(page);
    await page.getByTestId('mode-workflow').click();
    await select(id);
    await expect.poll(() => text('content-investment')).toBe(inv);
    expect(await page.getByTestId('content-qty-RB01').inputValue()).toBe(qty);
    expect(await text('content-survey-RI14')).toContain('群众需求集中');
    expect(await text('content-source-RI14')).toBe('居民提出');
    expect(await text('content-version')).toBe('第 3 版');
    expect(await batchInvestment()).not.toBe(batchBefore);
    await page.getByTestId('mode-explore').click();
    expect(await page.getByTestId('household-size-input').inputValue()).toBe('2.7');
  });

  test('the scheme vote records the content version; a later change is flagged', async () => {
    const other: string = await page.evaluate(() => {
      const a = (window as any).__planner.app;
      return a.records.find((r: any) => r.stage === 'DRAFT_SCHEME' && !r.side_state).id;
    });
    await page.getByTestId('mode-workflow').click();
    await select(other);
    await page.getByTestId('content-accept-all').click();
    await expect.poll(() => text('content-version')).toBe('第 1 版');
    await page.getByTestId('workflow-target').selectOption('SCHEME_VOTED');
    await page.getByTestId('workflow-date').fill('2021-06-02');
    await page.getByTestId('vote-date').fill('2021-06-01');
    await page.getByTestId('vote-area-in').fill('2000');
    await page.getByTestId('vote-area-total').fill('3000');
    await page.getByTestId('vote-owners-in').fill('200');
    await page.getByTestId('vote-owners-total').fill('300');
    await page.getByTestId('workflow-submit').click();
    await expect.poll(() => text('content-approved')).toContain('第 1 版');
    expect(await text('workflow-history')).toContain('第 1 版');
    await page.getByTestId('content-qty-RB03').fill('10');
    await page.getByTestId('content-qty-RB03').press('Enter');
    await expect.poll(() => text('content-changed')).toContain('方案表决通过的是第 1 版内容, 现为第 2 版');
  });

  test('a missing facility links to a what-if: coverage on that category, placement armed near the community', async () => {
    await page.getByTestId('mode-coverage').click();
    await expect.poll(() => page.getByTestId('coverage-fig-complete').textContent(), { timeout: 60_000 }).toMatch(/\d+ \/ 73/);
    await page.getByTestId('mode-workflow').click();
    const ids: string[] = await page.evaluate(() => (window as any).__planner.app.records.map((r: any) => r.id));
    let found = '';
    for (const cid of ids) {
      await select(cid);
      if (await page.locator('[data-testid^="content-whatif-"]').count()) {
        found = cid;
        break;
      }
    }
    expect(found, 'a community lacking a facility no renovation item provides').not.toBe('');
    const link = page.locator('[data-testid^="content-whatif-"]').first();
    const cat = (await link.getAttribute('data-testid'))!.replace('content-whatif-', '');
    await link.click();
    await expect.poll(() => page.evaluate(() => (window as any).__planner.app.mode)).toBe('coverage');
    expect(await page.evaluate(() => (window as any).__planner.app.selectedId)).toBe(found);
    const foundName: string = await page.evaluate((x) => (window as any).__planner.app.recordById.get(x).name, found);
    await expect.poll(() => text('coverage-armed')).toContain(foundName);
    expect(await page.getByTestId('coverage-color-by').inputValue()).toBe(cat);
    expect(await page.getByTestId('coverage-prop-category').inputValue()).toBe(cat);
    await waitForMapIdle(page);
    await shot(page, 'content-whatif-armed');
    const before = await page.locator('[data-testid="coverage-prop-list"] li').count();
    await page.getByTestId('coverage-whatif-here').click();
    await expect.poll(() => page.locator('[data-testid="coverage-prop-list"] li').count()).toBe(before + 1);
    expect(await page.getByTestId('coverage-armed').count()).toBe(0);
    await expect.poll(() => page.getByTestId('headline-whatif').count(), { timeout: 60_000 }).toBe(1);
    await shot(page, 'content-whatif-placed');
  });

  test('English is complete and the wide screen reads well', async () => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.getByTestId('mode-workflow').click();
    await select(id);
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => text('content-investment-kind')).toBe('from the content items');
    await shot(page, 'content-plan-1920-en');
    await page.getByTestId('lang-toggle').click();
    expect(offsite).toEqual([]);
    expect(errors).toEqual([]);
  });
});
