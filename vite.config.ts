import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

/**
 * index.html preloads manifest.json and the layer files it lists (public/data, built by `npm run geodata`), so
 * the data is on its way while the scripts load; src/lib/data/load.ts's fetches then take the preloaded responses
 * (as="fetch" + crossorigin matches fetch()'s defaults). No waterfall manifest → files on the first map's path.
 */
function preloadData(): Plugin {
  return {
    name: 'planner-preload-data',
    transformIndexHtml(_html, ctx) {
      const manifest = JSON.parse(readFileSync(new URL('./public/data/manifest.json', import.meta.url), 'utf8')) as { layers: { file: string }[] };
      const data = ['manifest.json', ...manifest.layers.map((l) => l.file)].map((f) => ({
        tag: 'link',
        attrs: { rel: 'preload', href: `./data/${f}`, as: 'fetch', crossorigin: '' },
        injectTo: 'head' as const,
      }));
      return [...data, ...startPreloads(ctx.bundle as Record<string, BundleChunk> | undefined)];
    },
  };
}

/**
 * Modules every start imports dynamically, in chunks of their own: the FlatGeobuf reader (src/lib/data/import/fgb.ts,
 * imported by data/load.ts when the data loads) and maplibre-gl (map/library.ts imports map/maplibre-parts.ts, kept
 * out of the start bundle's module graph so that the start bundle runs while the library is fetched and compiled).
 * Their chunks are modulepreloaded beside the start bundle (issue 12 goal 3).
 */
const DYNAMIC_AT_START = [/[\\/]src[\\/]lib[\\/]data[\\/]import[\\/]fgb\.ts$/, /[\\/]src[\\/]lib[\\/]map[\\/]maplibre-parts\.ts$/];

type BundleChunk = {
  type: string;
  fileName: string;
  isEntry?: boolean;
  facadeModuleId?: string | null;
  moduleIds?: string[];
  imports?: string[];
};

/** modulepreload tags for the chunks of DYNAMIC_AT_START and their imports, except what the entry loads anyway. Build only. */
function startPreloads(bundle: Record<string, BundleChunk> | undefined) {
  if (!bundle) return [];
  const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
  const closure = (roots: BundleChunk[]) => {
    const files = new Set<string>();
    const visit = (fileName: string) => {
      if (files.has(fileName)) return;
      files.add(fileName);
      for (const i of chunks.find((c) => c.fileName === fileName)?.imports ?? []) visit(i);
    };
    roots.forEach((c) => visit(c.fileName));
    return files;
  };
  const loaded = closure(chunks.filter((c) => c.isEntry));
  // the chunk that holds the module, or the facade that a dynamic import of it loads (re-exports from other chunks);
  // a module that the entry's chunks hold loads with them
  const holds = (c: BundleChunk) => [c.facadeModuleId ?? '', ...(c.moduleIds ?? [])].some((id) => DYNAMIC_AT_START.some((re) => re.test(id)));
  const roots = chunks.filter((c) => !loaded.has(c.fileName) && holds(c));
  return [...closure(roots)]
    .filter((f) => !loaded.has(f))
    .map((f) => ({ tag: 'link', attrs: { rel: 'modulepreload', href: `./${f}`, crossorigin: '' }, injectTo: 'head' as const }));
}

/**
 * `$initial` (statically imported from the entry) is decided before tree-shaking, so the start group would also take
 * what the start reaches only through a barrel's re-exports and never uses: @turf/turf's polygon clipping (polyclip-ts
 * and its big-number library), used by lazily loaded features (hulls, bundling). It stays in their chunks.
 */
const LAZY_ONLY = /node_modules[\\/](@turf[\\/](union|difference|intersect|dissolve)|polyclip-ts|bignumber\.js|splaytree-ts)[\\/]/;

// One config for the app, the unit tests and the browser tests.
export default defineConfig({
  plugins: [svelte(), preloadData()],
  base: './',
  // unit tests exercise Svelte runes (.svelte.ts state modules) with the client runtime
  resolve: process.env.VITEST ? { conditions: ['browser'] } : undefined,
  // real 404s for missing files (a missing .fgb must not read as index.html)
  appType: 'mpa',
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // maplibre-gl in a chunk of its own: cached across releases, measured apart (bench/startup), and loaded
            // beside the start bundle, not before it (map/library.ts); its worker's URL and CSS go with the start
            { name: 'maplibre-gl', test: /node_modules[\\/]maplibre-gl[\\/]dist[\\/]maplibre-gl\.mjs$/, priority: 2 },
            // everything else the start loads in one chunk, not ~35 (issue 12 goal 3): over HTTP/1.1 the browser
            // fetched them six at a time, and the data's preloads waited behind them. Only the modules that pass the
            // test (not their dependencies too, which would bring LAZY_ONLY back through the barrel)
            {
              name: 'start',
              tags: ['$initial'],
              test: (id) => !LAZY_ONLY.test(id),
              includeDependenciesRecursively: false,
              priority: 1,
            },
          ],
        },
      },
    },
  },
  test: {
    // system prerequisites (Chromium, CJK font, poppler, PostgreSQL) are checked once, before any project runs
    globalSetup: ['test/prereq-setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts', 'server/**/*.test.ts', 'geodata/**/*.test.ts', 'scripts/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.spec.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
