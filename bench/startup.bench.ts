/**
 * Cold start (issue #12 goal 3), measured in ONE run with a FRESH Chromium per run (a new browser process, so no
 * cache, no compiled code, no warm GPU state is shared), runs interleaved so load drifts hit every variant alike:
 *   (a) the app: navigation → first map `idle` with every layer of the explore mode in place (`__planner.firstIdleMs`);
 *   (b) a minimal MapLibre page served by the same preview server: maplibre-gl, flatgeobuf's reader and the same
 *       FlatGeobuf files fetched in parallel, the same layers (copied from the app's style at its first idle:
 *       types, paint, layout, filters, zoom ranges, label layers with the same glyph ranges) at the same camera;
 *   (c) the same minimal page without its label layers;
 *   (d) the app built without label layers (bench-only define VITE_BENCH_NO_LABELS=1; never in the app's build).
 * Reported: app ÷ minimal (goal ≤ 1.1), what labels cost (minimal with ÷ without, app with ÷ without; goal ≤ 25 %),
 * and the bytes of fonts and glyph ranges the app fetches before its first idle (goal ≤ 300 KB), counted from the
 * browser's network responses. Also the gzip size of the JS bundle (start vs on-demand chunks).
 */
import { build, preview, type PreviewServer } from 'vite';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { chromium, type Page } from 'playwright-core';
import { compare, line, machine, record } from './figures.ts';

const RUNS = Number(process.env.STARTUP_RUNS ?? 5);
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARGS = ['--no-sandbox', '--disable-dev-shm-usage', '--enable-unsafe-swiftshader', '--use-angle=swiftshader', '--ignore-gpu-blocklist', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync'];
const VIEWPORT = { width: 1400, height: 900 };
const require = createRequire(import.meta.url);

/** the app's map sources → the FlatGeobuf file the minimal page loads for them */
const SOURCE_FILES: Record<string, { file: string; points?: boolean }> = {
  districts: { file: 'districts' },
  barriers: { file: 'barriers' },
  roads: { file: 'roads' },
  communities: { file: 'communities' },
  'community-symbols': { file: 'communities', points: true },
  gates: { file: 'gates' },
  facilities: { file: 'facilities' },
  metro: { file: 'metro' },
};

interface AppStyle {
  layers: { id: string; source?: string; [k: string]: unknown }[];
  center: [number, number];
  zoom: number;
}

function minimalPage(style: AppStyle, labels: boolean): string {
  const layers = style.layers.filter((l) => l.id !== 'background' && (labels || l.type !== 'symbol'));
  for (const l of layers) if (l.source && !SOURCE_FILES[l.source]) throw new Error(`startup bench: the app's source "${l.source}" has no FlatGeobuf file in SOURCE_FILES`);
  const sources = [...new Set(layers.map((l) => l.source!).filter(Boolean))];
  const files = [...new Set(sources.map((s) => SOURCE_FILES[s]!.file))];
  const cfg = { layers, sources: Object.fromEntries(sources.map((s) => [s, SOURCE_FILES[s]])), files, center: style.center, zoom: style.zoom, labels };
  return `<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="maplibre-gl.css">
<style>html,body,#map{margin:0;height:100%}</style></head><body><div id="map"></div>
<script type="module">
const cfg = ${JSON.stringify(cfg)};
// everything in parallel: the map library, the FlatGeobuf reader and the data
const reader = new Promise((ok, fail) => { const s = document.createElement('script'); s.src = 'flatgeobuf-geojson.min.js'; s.onload = () => ok(globalThis.flatgeobuf); s.onerror = fail; document.head.append(s); });
const bytes = cfg.files.map((f) => fetch('../data/' + f + '.fgb').then((r) => r.arrayBuffer()));
const [ml, fgb, ...bufs] = await Promise.all([import('./maplibre-gl.mjs'), reader, ...bytes]);
ml.setWorkerUrl(new URL('maplibre-gl-worker.mjs', location.href).href);
const data = {};
await Promise.all(cfg.files.map(async (f, i) => {
  const fc = fgb.deserialize(new Uint8Array(bufs[i]));
  let features = fc.features;
  if (!features) { features = []; for await (const x of fc) features.push(x); }
  data[f] = { type: 'FeatureCollection', features };
}));
const pointOf = (g) => { const ring = g.type === 'Polygon' ? g.coordinates[0] : g.coordinates[0][0]; let x = 0, y = 0; for (const c of ring) { x += c[0]; y += c[1]; } return [x / ring.length, y / ring.length]; };
const sources = {};
for (const [id, s] of Object.entries(cfg.sources)) {
  const fc = data[s.file];
  sources[id] = { type: 'geojson', data: s.points ? { type: 'FeatureCollection', features: fc.features.map((f) => ({ type: 'Feature', properties: f.properties, geometry: { type: 'Point', coordinates: pointOf(f.geometry) } })) } : fc };
}
const style = { version: 8, sources, layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eef1f4' } }, ...cfg.layers] };
if (cfg.labels) style.glyphs = new URL('../glyphs/', location.href).href + '{fontstack}/{range}.pbf';
const map = new ml.Map({ container: 'map', style, center: cfg.center, zoom: cfg.zoom, attributionControl: false, localIdeographFontFamily: false, fadeDuration: 0 });
map.once('idle', () => { window.__firstIdleMs = performance.now(); });
</script></body></html>`;
}

export async function serve(outDir: string): Promise<{ server: PreviewServer; url: string }> {
  const server = await preview({ logLevel: 'error', build: { outDir }, preview: { port: 0, host: '127.0.0.1' } });
  return { server, url: `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}/` };
}

interface Run {
  ms: number;
  fontBytes: number;
  fontFiles: number;
}

/** One cold start in a new Chromium process; `probe` waits for the first idle and returns its time. */
async function coldStart(url: string, probe: (p: Page) => Promise<number>, after?: (p: Page) => Promise<void>): Promise<Run> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const page = await browser.newPage({ viewport: VIEWPORT, locale: 'zh-CN' });
    const pending: Promise<void>[] = [];
    let fontBytes = 0;
    let fontFiles = 0;
    let counting = true;
    page.on('response', (r) => {
      if (!counting || !/\/glyphs\/|\.woff2?(\?|$)/.test(r.url())) return;
      pending.push(r.body().then((b) => void ((fontBytes += b.length), fontFiles++)).catch(() => {}));
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    await page.goto(url);
    const ms = await probe(page).catch((e) => {
      throw new Error(`${url}: ${(e as Error).message}; page errors: ${errors.join(' | ') || 'none'}`);
    });
    counting = false;
    await Promise.all(pending);
    await after?.(page);
    return { ms, fontBytes, fontFiles };
  } finally {
    await browser.close();
  }
}

const appProbe = async (p: Page) => (await (await p.waitForFunction(() => (window as any).__planner?.firstIdleMs, null, { timeout: 120_000 })).jsonValue()) as number;
const minimalProbe = async (p: Page) => (await (await p.waitForFunction(() => (window as any).__firstIdleMs, null, { timeout: 120_000 })).jsonValue()) as number;

function jsSizes(outDir: string): string {
  const assets = readdirSync(join(outDir, 'assets')).filter((f) => f.endsWith('.js'));
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
  return `JS gzip excluding maplibre-gl: ${kib(sizes.initialApp + sizes.lazyApp)} in all (${kib(sizes.initialApp)} loaded at start, ${kib(sizes.lazyApp)} in on-demand chunks); maplibre-gl: ${kib(sizes.maplibre)}`;
}

export async function run(): Promise<void> {
  mkdirSync('.e2e', { recursive: true });
  const outDir = mkdtempSync(join('.e2e', 'bench-'));
  const noLabelsDir = mkdtempSync(join('.e2e', 'bench-nolabels-'));
  const servers: PreviewServer[] = [];
  try {
    await build({ logLevel: 'error', build: { outDir, emptyOutDir: true } });
    await build({ logLevel: 'error', define: { 'import.meta.env.VITE_BENCH_NO_LABELS': JSON.stringify('1') }, build: { outDir: noLabelsDir, emptyOutDir: true } });
    console.log(jsSizes(outDir));

    // the minimal page's files, served by the same preview server as the app
    const benchDir = join(outDir, 'bench');
    mkdirSync(benchDir, { recursive: true });
    const mlDist = dirname(require.resolve('maplibre-gl/dist/maplibre-gl.mjs'));
    for (const f of ['maplibre-gl.mjs', 'maplibre-gl-worker.mjs', 'maplibre-gl.css']) copyFileSync(join(mlDist, f), join(benchDir, f));
    copyFileSync(require.resolve('flatgeobuf/dist/flatgeobuf-geojson.min.js'), join(benchDir, 'flatgeobuf-geojson.min.js'));

    const app = await serve(outDir);
    const appNL = await serve(noLabelsDir);
    servers.push(app.server, appNL.server);

    // warm-up (not counted): the app's layers and camera at its first idle, for the minimal page
    let style: AppStyle | undefined;
    await coldStart(app.url, appProbe, async (p) => {
      style = (await p.evaluate(() => {
        const map = (window as any).__planner.map;
        const c = map.getCenter();
        return { layers: map.getStyle().layers, center: [c.lng, c.lat], zoom: map.getZoom() };
      })) as AppStyle;
    });
    writeFileSync(join(benchDir, 'minimal.html'), minimalPage(style!, true));
    writeFileSync(join(benchDir, 'minimal-nolabels.html'), minimalPage(style!, false));
    const labelLayers = style!.layers.filter((l) => l.type === 'symbol').length;
    console.log(`layers at the app's first idle: ${style!.layers.length - 1} (+ background), ${labelLayers} of them labels; camera z${style!.zoom.toFixed(2)}`);
    console.log(`${RUNS} runs of each variant, a new Chromium each run, interleaved; ${machine()}`);

    const variants = {
      app: () => coldStart(app.url, appProbe),
      minimal: () => coldStart(app.url + 'bench/minimal.html', minimalProbe),
      minimalNoLabels: () => coldStart(app.url + 'bench/minimal-nolabels.html', minimalProbe),
      appNoLabels: () => coldStart(appNL.url, appProbe),
    };
    const runs: Record<keyof typeof variants, Run[]> = { app: [], minimal: [], minimalNoLabels: [], appNoLabels: [] };
    for (let i = 0; i < RUNS; i++) {
      for (const k of Object.keys(variants) as (keyof typeof variants)[]) runs[k].push(await variants[k]());
    }
    const ms = (k: keyof typeof runs) => runs[k].map((r) => r.ms);
    const fontNote = (k: keyof typeof runs) => {
      const b = runs[k].map((r) => r.fontBytes);
      return `fonts+glyphs fetched before idle: ${(Math.max(...b) / 1024).toFixed(1)} KiB max in ${Math.max(...runs[k].map((r) => r.fontFiles))} files`;
    };
    const minimal = record('startup/minimal-first-idle', ms('minimal'), { note: fontNote('minimal') });
    const minimalNoLabels = record('startup/minimal-nolabels-first-idle', ms('minimalNoLabels'));
    const appFig = record('startup/app-first-idle', ms('app'), { note: fontNote('app') });
    const appNoLabels = record('startup/app-nolabels-first-idle', ms('appNoLabels'));
    compare(appFig, minimal);
    compare(minimal, minimalNoLabels);
    compare(appNoLabels, minimalNoLabels);
    for (const f of [appFig, minimal, minimalNoLabels, appNoLabels]) console.log(line(f));
    const pct = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(1)} %`;
    console.log(`  app ÷ minimal page (same layers, labels): ${(appFig.median_ms / minimal.median_ms).toFixed(2)}×   (goal ≤ 1.1×)`);
    console.log(`  app without labels ÷ minimal page without labels: ${(appNoLabels.median_ms / minimalNoLabels.median_ms).toFixed(2)}×`);
    console.log(`  labels cost, minimal page: +${pct(minimal.median_ms, minimalNoLabels.median_ms)}; app: +${pct(appFig.median_ms, appNoLabels.median_ms)}   (goal ≤ 25 %)`);
    const appBytes = Math.max(...runs.app.map((r) => r.fontBytes));
    console.log(`  fonts + glyph ranges the app fetched before its first idle: ${(appBytes / 1024).toFixed(1)} KiB (max over runs; goal ≤ 300 KB)`);
  } finally {
    await Promise.all(servers.map((s) => s.close()));
    rmSync(outDir, { recursive: true, force: true });
    rmSync(noLabelsDir, { recursive: true, force: true });
  }
}
