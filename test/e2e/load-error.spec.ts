/** A missing or malformed data file gives a visible, specific error, not a blank map. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseURL, launch, shot } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function openWith(route: (url: string) => { status: number; body: Buffer | string } | null) {
  const ctx = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  const page = await ctx.newPage();
  await page.route('**/data/**', async (r) => {
    const answer = route(r.request().url());
    if (answer) await r.fulfill({ status: answer.status, body: answer.body });
    else await r.continue();
  });
  await page.goto(baseURL());
  return { ctx, page };
}

test('a missing layer file names the file and the HTTP status', async () => {
  const { ctx, page } = await openWith((url) => (url.endsWith('/communities.fgb') ? { status: 404, body: 'not found' } : null));
  const err = page.getByTestId('load-error');
  await err.waitFor({ timeout: 60_000 });
  const text = await err.textContent();
  expect(text).toContain('communities.fgb');
  expect(text).toContain('404');
  await shot(page, 'load-error-missing');
  await ctx.close();
});

test('a file that is not FlatGeobuf is reported as such', async () => {
  const { ctx, page } = await openWith((url) => (url.endsWith('/facilities.fgb') ? { status: 200, body: Buffer.from('<html>oops</html>') } : null));
  const err = page.getByTestId('load-error');
  await err.waitFor({ timeout: 60_000 });
  expect(await err.textContent()).toContain('facilities.fgb');
  await ctx.close();
});
