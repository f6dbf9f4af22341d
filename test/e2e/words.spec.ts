/**
 * Issue 11, words for people: every mode, its panel, the print sheet, the tender and community sheets and
 * the report, rendered in Chinese and in English, must not show file paths or commands (*.ts, *.yaml,
 * "npm run"), internal ids where names exist (criteria SC01…, communities C001…), or words of the other
 * language (data values such as place and facility names excepted: they are what they are).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { writeFileSync, mkdirSync } from 'node:fs';
import { ARTIFACTS, launch, openApp } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const PATHS = /[\w-]+\.(ts|js|mjs|yaml|yml|csv|py)\b|npm run|geodata\//;
/**
 * criteria SC01…, communities C001…, bundles B01… (bundles are named "街道·main community片区"), and the row codes
 * of the standards tables (wz.kindergarten, gb15.health_center …)
 */
const IDS = /\bSC\d{2}\b|\bC\d{3}\b|\bB\d{2}\b|\b(?:wz|gb5|gb10|gb15|zj)\.[a-z_]+\b/;
/** Latin words a Chinese screen may show: units, formats, standards, licences and proper names. */
const ZH_LATIN_OK = new Set(
  (
    'GB PNG PDF CSV XLSX Excel GeoJSON FlatGeobuf Shapefile GIS OSM XML KML OpenStreetMap contributors ODbL OFL SIL MIT WTFPL Noto Sans ' +
    'Google REDCAP SKATER Polsby Popper Guo Duque Assun BOM UTF GBK WGS GCJ CGCS EPSG CRS Ctrl Esc zip dbf prj cpg shp MCLP Dijkstra ' +
    'min max km m² CNY EN Shift UTF- max-p ColorBrewer RdYlGn- YlGnBu HiGHS'
  ).split(' '),
);

/**
 * Known, not yet fixed (owned by other work in progress; listed so that anything NEW fails):
 * colour-scheme notes of map themes (map/colors.ts, being reworked in issue 10), the rubric editor's
 * raw condition values and transcribed basis notes (ScoringRubric), the export note naming the file's
 * `synthetic` column.
 */
const KNOWN = [
  // the record's own identifier row (labelled as such, beside the name): an attribute, not a stand-in for a name
  /^(编号|ID)\s/,
  /\(reversed\)|breaks every \d+ points/, /^(professional|self|none|established|committed|confirmed|partial|true|false|below)$/, /national|team default|brief|seed;|Civil Code|gate common practice/, /synthetic=true/,
  // the rubric editor: its Chinese-only condition joiner and transcribed basis notes
  /^或$/, /GB50180 \/ 完整居住社区/];

/** Text the user sees, minus data values (names from the dataset are what they are in any language). */
async function visibleText(page: Page, selector = 'body'): Promise<string> {
  return page.evaluate((sel) => {
    const p = (window as any).__planner;
    const ds = p.app.dataset;
    const names = new Set<string>();
    for (const layer of ['communities', 'facilities', 'metro', 'districts', 'barriers'])
      for (const f of ds[layer]) for (const k of ['name', 'committee', 'street']) if (f.properties[k]) names.add(String(f.properties[k]));
    // the short forms bundle names are made of ("孔浦街道" → "孔浦", "怡江小区" → "怡江") are the same data values
    for (const n of [...names]) for (const s of [n.replace(/小区$/, ''), n.replace(/(街道|镇)$/, '')]) if (s.length > 1) names.add(s);
    // special works' names and departments are data values too (as the departments write them)
    for (const w of p.works?.all ?? []) for (const k of ['name', 'department']) if (w[k]) names.add(String(w[k]));
    let text = [...document.querySelectorAll(sel)].map((e) => (e as HTMLElement).innerText).join('\n');
    for (const n of [...names].sort((a, b) => b.length - a.length)) text = text.split(n).join(' ');
    return text;
  }, selector);
}

function problems(text: string, lang: 'zh' | 'en'): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (KNOWN.some((k) => k.test(line.trim()))) continue;
    if (PATHS.test(line)) out.push(`path/command: ${line.trim().slice(0, 120)}`);
    if (IDS.test(line)) out.push(`id: ${line.trim().slice(0, 120)}`);
    if (lang === 'en' && /[\u3400-\u9fff]/.test(line.replace(/中文/g, ''))) out.push(`Chinese in English: ${line.trim().slice(0, 120)}`);
    if (lang === 'zh') {
      const words = (line.match(/[A-Za-z][A-Za-z'’-]{3,}/g) ?? []).filter((w) => !ZH_LATIN_OK.has(w));
      if (words.length) out.push(`English in Chinese (${words.join(' ')}): ${line.trim().slice(0, 120)}`);
    }
  }
  return [...new Set(out)];
}

describe.each(['zh', 'en'] as const)('words for people (%s)', (lang) => {
  test('every mode, panel, sheet and the report', async () => {
    const { page, context } = await openApp(browser, '', { width: 1400, height: 900 });
    if (lang === 'en') await page.getByTestId('lang-toggle').click();
    const found: string[] = [];
    const check = async (where: string, selector = 'body') => {
      for (const p of problems(await visibleText(page, selector), lang)) found.push(`${where}: ${p}`);
    };
    await page.evaluate(() => {
      const p = (window as any).__planner;
      p.app.selectedId = p.app.dataset.communities[4].properties.id;
    });
    const modes = await page.locator('[data-testid^="mode-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!));
    for (const m of modes) {
      await page.getByTestId(m).click();
      if (m === 'mode-coverage') await expect.poll(() => page.getByTestId('coverage-fig-complete').textContent(), { timeout: 30_000 }).toMatch(/\d+ \/ 73/);
      if (m === 'mode-bundle') {
        await page.getByTestId('bundle-generate').click();
        await expect.poll(() => page.locator('[data-testid^="bundle-row-"]').count(), { timeout: 30_000 }).toBeGreaterThan(3);
        // the map's bundle labels carry names, never ids
        const labelsNow = (): Promise<string[]> =>
          page.evaluate(() => (((d: any) => d?.features ?? d?.geojson?.features ?? [])((window as any).__planner.map.getSource('bundle-labels')?._data)).map((f: any) => String(f.properties.label)));
        await expect.poll(async () => (await labelsNow()).length, { timeout: 30_000 }).toBeGreaterThan(0);
        const labels = await labelsNow();
        for (const l of labels) if (/\bB\d{2}\b/.test(l)) found.push(`map label: ${l}`);
      }
      await page.waitForTimeout(800);
      await check(m);
      if (m === 'mode-scoring') {
        // an undo label names the criterion, never its code
        const w = page.locator('[data-testid^="weight-SC"]').first();
        await w.fill('1.5');
        await w.dispatchEvent('change');
        const title = (await page.getByTestId('undo').getAttribute('title')) ?? '';
        expect(title).not.toMatch(/SC\d{2}/);
        for (const p of problems(title, lang)) found.push(`undo label: ${p}`);
      }
      if (m === 'mode-views') {
        // a slide with a table beside the map, played: its words too
        await page.getByTestId('views-title').fill(lang === 'zh' ? '连片' : 'Bundles');
        await page.getByTestId('views-save').click();
        await page.getByTestId('view-panel').first().selectOption('table:bundles');
        await page.getByTestId('views-play').click();
        await page.waitForSelector('[data-testid="present-slide-panel"]', { timeout: 15_000 });
        await check('presentation slide with a table', '[data-testid="present-mode"]');
        await page.keyboard.press('Escape');
        await page.waitForSelector('[data-testid="present-mode"]', { state: 'detached', timeout: 15_000 });
      }
    }

    await page.getByTestId('output-menu').click();
    await page.getByTestId('output-print').click();
    await page.waitForSelector('[data-testid="print-sheet"][data-ready="true"]', { timeout: 30_000 });
    await check('print sheet', '[data-testid="print-sheet"]');
    await page.getByTestId('print-close').click();
    for (const which of ['output-tender', 'output-community']) {
      await page.getByTestId('output-menu').click();
      await page.getByTestId(which).click();
      await check(which, '[data-testid="doc-sheets"]');
      await page.getByTestId('sheet-close').click();
    }
    await page.getByTestId('output-menu').click();
    const [report] = await Promise.all([context.waitForEvent('page', { timeout: 120_000 }), page.getByTestId('output-report').click()]);
    await report.waitForLoadState();
    const reportText = await report.evaluate(() => document.body.innerText);
    for (const p of problems(await page.evaluate((t) => {
      const ds = (window as any).__planner.app.dataset;
      let text = t;
      const all = new Set<string>();
      for (const layer of ['communities', 'facilities', 'metro', 'districts', 'barriers'])
        for (const f of ds[layer]) for (const k of ['name', 'committee', 'street']) if (f.properties[k]) all.add(String(f.properties[k]));
      for (const n of [...all]) for (const s of [n.replace(/小区$/, ''), n.replace(/(街道|镇)$/, '')]) if (s.length > 1) all.add(s);
      for (const n of [...all].sort((a, b) => b.length - a.length)) text = text.split(n).join(' ');
      return text;
    }, reportText), lang))
      found.push(`report: ${p}`);
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(`${ARTIFACTS}/words-${lang}.txt`, found.join('\n'));
    expect(found).toEqual([]);
    await context.close();
  }, 300_000);
});
