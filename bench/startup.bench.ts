/**
 * Cold start of the built app in headless Chromium: navigation → first map `idle` with all layers
 * (median of 5 fresh browser contexts), and the gzip size of the JS bundle excluding maplibre-gl.
 */
import { build, preview } from 'vite';
import { mkdtempSync, readdirSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(): Promise<void> {
  mkdirSync('.e2e', { recursive: true });
  const outDir = mkdtempSync(join('.e2e', 'bench-'));
  try {
    await build({ logLevel: 'error', build: { outDir, emptyOutDir: true } });
    const assets = readdirSync(join(outDir, 'assets')).filter((f) => f.endsWith('.js'));
    // what index.html loads up front (entry + modulepreload) vs chunks loaded on demand (panels, importers, worker)
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    const initial = new Set([...html.matchAll(/assets\/([^"']+\.js)/g)].map((m) => m[1]));
    const sizes = { initialApp: 0, lazyApp: 0, maplibre: 0 };
    for (const f of assets) {
      const gz = gzipSync(readFileSync(join(outDir, 'assets', f))).length;
      if (/^maplibre-gl/.test(f)) sizes.maplibre += gz;
      else if (initial.has(f)) sizes.initialApp += gz;
      else sizes.lazyApp += gz;
    }
    const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
    console.log(`JS gzip excluding maplibre-gl: ${kib(sizes.initialApp + sizes.lazyApp)} in all (${kib(sizes.initialApp)} loaded at start, ${kib(sizes.lazyApp)} in on-demand chunks); maplibre-gl: ${kib(sizes.maplibre)}`);

    const server = await preview({ logLevel: 'error', build: { outDir }, preview: { port: 0, host: '127.0.0.1' } });
    const url = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}/`;
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--enable-unsafe-swiftshader', '--use-angle=swiftshader', '--disable-background-networking'],
    });
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await ctx.newPage();
      await page.goto(url);
      const ms = await page.waitForFunction(() => (window as any).__planner?.firstIdleMs, null, { timeout: 120_000 });
      times.push(Math.round((await ms.jsonValue()) as number));
      await ctx.close();
    }
    console.log(`cold start to first map idle with all layers: median ${median(times)} ms over 5 runs (${times.join(', ')} ms)`);
    await browser.close();
    await server.close();
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
