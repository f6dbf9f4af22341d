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
    let appGz = 0;
    let mapGz = 0;
    for (const f of assets) {
      const gz = gzipSync(readFileSync(join(outDir, 'assets', f))).length;
      if (/maplibre/i.test(f)) mapGz += gz;
      else appGz += gz;
    }
    console.log(`JS gzip excluding maplibre-gl: ${(appGz / 1024).toFixed(1)} KiB (${assets.length - assets.filter((f) => /maplibre/i.test(f)).length} chunks); maplibre-gl chunk(s): ${(mapGz / 1024).toFixed(1)} KiB`);

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
