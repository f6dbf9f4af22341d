/**
 * Property test: random, truncated and mutated bytes at every importer (CSV, XLSX, GeoJSON, zipped
 * shapefile, FlatGeobuf, OSM XML). Each case must end in a result or an ImportError — never another
 * exception, never a hang. Seeded (mulberry32), bounded case count; cases run in a worker thread so a
 * hang is detected (no progress for 10 s) and reported with the case that caused it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { exportLayer } from '../export';
import type { Feature } from 'geojson';

const IN = join(__dirname, '../../../../test/fixtures/import/in');

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seeds(): { name: string; bytes: Uint8Array<ArrayBufferLike> }[] {
  const files = readdirSync(IN).filter((f) => !/truth\.json|README/.test(f));
  const out: { name: string; bytes: Uint8Array<ArrayBufferLike> }[] = files.map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(IN, f))) }));
  const pts: Feature[] = [0, 1, 2].map((i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [121.55 + i / 100, 29.9] }, properties: { name: `点${i}`, category: 'park', n: i } }));
  out.push({ name: 'export.fgb', bytes: exportLayer(pts, 'fgb', { layer: 'x', attribution: [] }).bytes });
  out.push({ name: 'export.geojson', bytes: exportLayer(pts, 'geojson', { layer: 'x', attribution: [] }).bytes });
  return out;
}

function cases(seed: number): { name: string; bytes: Uint8Array<ArrayBufferLike> }[] {
  const rnd = mulberry32(seed);
  const out: { name: string; bytes: Uint8Array<ArrayBufferLike> }[] = [];
  for (const s of seeds()) {
    const n = s.bytes.length;
    // truncations: the first bytes, a spread of lengths, and one short of complete
    const lengths = new Set([0, 1, 2, 3, 4, 7, 8, 11, 12, 16, 31, 64, 100, n - 1, n >> 1]);
    for (let k = 0; k < 10; k++) lengths.add(Math.floor(rnd() * n));
    for (const l of lengths) if (l >= 0 && l < n) out.push({ name: s.name, bytes: s.bytes.slice(0, l) });
    // mutations: flip 1..16 random bytes
    for (let k = 0; k < 15; k++) {
      const b = s.bytes.slice();
      const flips = 1 + Math.floor(rnd() * 16);
      for (let j = 0; j < flips; j++) b[Math.floor(rnd() * n)] = Math.floor(rnd() * 256);
      out.push({ name: s.name, bytes: b });
    }
    // pure noise with the same name (so the format is chosen by extension), and noise after a valid prefix
    for (let k = 0; k < 4; k++) {
      const len = 1 + Math.floor(rnd() * 2048);
      out.push({ name: s.name, bytes: Uint8Array.from({ length: len }, () => Math.floor(rnd() * 256)) });
      const cut = Math.floor(rnd() * n);
      const b = new Uint8Array(cut + len);
      b.set(s.bytes.subarray(0, cut));
      for (let j = cut; j < b.length; j++) b[j] = Math.floor(rnd() * 256);
      out.push({ name: s.name, bytes: b });
    }
  }
  return out;
}

function runInWorker(all: { name: string; bytes: Uint8Array }[]): Promise<{ escaped: string[]; hung: string | null; results: number; errors: number }> {
  return new Promise((resolve, reject) => {
    // the worker runs TypeScript through tsx's loader (vitest does not transform worker_threads code)
    const entry = new URL('./fuzz.worker.ts', import.meta.url).href;
    const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
    const worker = new Worker(boot, { eval: true, workerData: { cases: all } });
    const escaped: string[] = [];
    let results = 0;
    let errors = 0;
    let current = -1;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void worker.terminate();
        const c = all[current];
        resolve({ escaped, hung: c ? `${c.name} (${c.bytes.length} bytes, case ${current})` : 'startup', results, errors });
      }, 10_000);
    };
    arm();
    worker.on('message', (m: { type: string; i: number; outcome?: string }) => {
      current = m.i;
      arm();
      if (m.type !== 'done') return;
      if (m.outcome === 'result') results++;
      else if (m.outcome === 'import-error') errors++;
      else escaped.push(`${all[m.i].name} (${all[m.i].bytes.length} bytes, case ${m.i}): ${m.outcome}`);
      if (m.i === all.length - 1) {
        clearTimeout(timer);
        void worker.terminate();
        resolve({ escaped, hung: null, results, errors });
      }
    });
    worker.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

describe('importer fuzz', () => {
  it('random, truncated and mutated bytes: always a result or an ImportError, never an escaping exception or a hang', async () => {
    const all = cases(20260601);
    expect(all.length).toBeGreaterThan(400);
    const r = await runInWorker(all);
    expect(r.hung).toBeNull();
    expect(r.escaped).toEqual([]);
    expect(r.results + r.errors).toBe(all.length);
    // both outcomes occur: mutations of text formats often still parse, truncated binaries do not
    expect(r.results).toBeGreaterThan(20);
    expect(r.errors).toBeGreaterThan(100);
  }, 240_000);
});
