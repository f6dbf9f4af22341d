/**
 * Labels with characters the built glyph ranges lack (issue 12 goal 3): a community renamed by an import to a
 * rare character must still draw its label, both in a range the map has already fetched (MapLibre is made to
 * fetch it again) and in a range with no built file. Pixels of the label vs the same view without it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, launch, openApp, waitForNextIdle } from './browser';
import { diffRatio } from './visual';
import { decodeGlyphRanges } from '../../src/lib/map/glyphs/pbf';
import { LABEL_STACKS, rangeName, rangeStart } from '../../src/lib/map/glyphs/ranges';

const STACK = LABEL_STACKS.communities;
const builtIds = (cp: number): Set<number> => {
  const f = `public/glyphs/${STACK}/${rangeName(rangeStart(cp))}.pbf`;
  return existsSync(f) ? new Set(decodeGlyphRanges(readFileSync(f)).flatMap((r) => r.glyphs.map((g) => g.id))) : new Set();
};

describe('labels with characters the built glyphs lack', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    browser = await launch();
    ({ page, errors } = await openApp(browser, '', { width: 1366, height: 768 }));
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
  });

  /** rename the first community (as an import's new dataset would), show only its label, return a map screenshot */
  async function labelShot(name: string | null): Promise<Buffer> {
    await waitForNextIdle(page, () =>
      page.evaluate((name) => {
        const { app, map } = (window as any).__planner;
        const ds = app.dataset;
        const first = ds.communities[0];
        if (name !== null) {
          const communities = ds.communities.map((f: any, i: number) => (i === 0 ? { ...f, properties: { ...f.properties, name } } : f));
          app.setDataset({ ...ds, communities }, { synthetic: true, source: 'test import' });
        }
        map.setFilter('communities-label', name === null ? ['==', ['get', 'id'], '-none-'] : ['==', ['get', 'id'], first.properties.id]);
      }, name),
    );
    await page.waitForTimeout(400); // symbol fade-in
    return page.getByTestId('map').screenshot({ path: `${ARTIFACTS}/glyphs-${name === null ? 'none' : [...name].map((c) => c.codePointAt(0)!.toString(16)).join('-')}.png` });
  }

  test('a rare character renders in an already fetched range and in a range with no built file', async () => {
    // the first community's name is drawn at z16: its ranges are fetched
    const original = await page.evaluate(() => (window as any).__planner.app.dataset.communities[0].properties.name as string);
    await waitForNextIdle(page, () =>
      page.evaluate(() => {
        const { app, map } = (window as any).__planner;
        const c = app.dataset.communities[0].geometry.coordinates[0];
        let x = 0;
        let y = 0;
        for (const p of c) ((x += p[0]), (y += p[1]));
        map.jumpTo({ center: [x / c.length, y / c.length], zoom: 16 });
      }),
    );
    const first = original.codePointAt(0)!;
    const inFetched = builtIds(first);
    expect(inFetched.has(first)).toBe(true);
    // a CJK character of the same (fetched) range that no built label uses
    let rare = rangeStart(first);
    while (inFetched.has(rare) || rare < 0x4e00) rare++;
    const rareInFetched = String.fromCodePoint(rare);
    const noFile = '鬯'; // U+9B2F: no community name uses its range
    expect(builtIds(0x9b2f).size).toBe(0);

    const empty = await labelShot(null);
    for (const name of [rareInFetched, noFile]) {
      const shot = await labelShot(name);
      const ratio = await diffRatio(page, shot, empty);
      expect(ratio, `label "${name}" (U+${name.codePointAt(0)!.toString(16)}) draws nothing`).toBeGreaterThan(0.0002);
    }
    // the glyph sits in MapLibre's glyph cache with ink
    const ink = await page.evaluate(
      ([stack, ch]) => {
        const g = (window as any).__planner.map.style.glyphManager.entries[stack]?.glyphs?.default?.[ch];
        return g ? g.metrics.width * g.metrics.height : 0;
      },
      [STACK, noFile],
    );
    expect(ink).toBeGreaterThan(50);
    expect(errors).toEqual([]);
  });
});
