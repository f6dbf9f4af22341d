/**
 * Shared browser-test helpers: Debian's Chromium driven by playwright-core, headless, WebGL on SwiftShader.
 * No browser is ever downloaded. Screenshots go to test-artifacts/ for people to look at.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
import { inject } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = 'test-artifacts';

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run "apt-get install -y chromium" (see .ci/run)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-dev-shm-usage',
  '--enable-unsafe-swiftshader',
  '--use-angle=swiftshader',
  '--ignore-gpu-blocklist',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Refuse (and record) every request that would leave the machine. */
export async function blockOffsite(page: Page, offsite: string[] = []): Promise<string[]> {
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('http://127.0.0.1') || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    offsite.push(url);
    return route.abort();
  });
  return offsite;
}

export function baseURL(): string {
  return inject('baseURL');
}

/** Open the app (optionally with a query/hash), fail on any request that leaves localhost, wait for the map to be idle. */
export async function openApp(browser: Browser, suffix = '', opts: { width?: number; height?: number; locale?: string } = {}) {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1400, height: opts.height ?? 900 },
    locale: opts.locale ?? 'zh-CN',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const offsite = await blockOffsite(page);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(baseURL() + suffix);
  await waitForMapIdle(page);
  return { context, page, offsite, errors };
}

/** The app counts MapLibre `idle` events in `window.__planner.mapIdle` and records `firstIdleMs` once ready. */
export async function waitForMapIdle(page: Page, timeout = 60_000) {
  // firstIdleMs is set at the first `idle` after the data and every layer are in place
  await page.waitForFunction(() => (window as any).__planner?.ready === true && (window as any).__planner?.firstIdleMs > 0, null, {
    timeout,
  });
}

/** Wait until the map has gone idle again after an action. */
export async function waitForNextIdle(page: Page, action: () => Promise<unknown>, timeout = 60_000) {
  const before = await page.evaluate(() => (window as any).__planner.mapIdle as number);
  await action();
  await page.waitForFunction((b) => (window as any).__planner.mapIdle > b, before, { timeout });
}

export async function shot(page: Page, name: string) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png` });
}
