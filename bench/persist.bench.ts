/**
 * Durable edits (issue 16 items 3–4): what one edit costs now that it is written ahead to a journal
 * synchronously (snapshot of every slice → JSON → localStorage) before the UI says "saved", and what the
 * schema check costs when a project is read (start, import, another tab) or saved to the database.
 * Payload: a busy district project (73 communities with workflow histories and votes) plus an imported
 * facility layer of 5,000 points and 73 imported community outlines of 64 vertices.
 * Baseline (the strongest simple alternative): the debounced database save alone, which costs nothing per
 * edit but loses the edit on a reload within ~300 ms; and a write on page hide only (same work as one
 * journal write, once, but Chromium does not wait for it on close).
 */
import { performance } from 'node:perf_hooks';
import { Autosave } from '../src/lib/state/persist.ts';
import { checkProject, parseProject } from '../src/lib/state/project.ts';
import { community } from '../test/fixtures/project/community.ts';
import type { PersistedSlice } from '../src/lib/state/persisted.ts';

class MemoryStorage {
  m = new Map<string, string>();
  getItem(k: string) {
    return this.m.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.m.set(k, v);
  }
  removeItem(k: string) {
    this.m.delete(k);
  }
}

function payload(): PersistedSlice[] {
  const overlay: Record<string, unknown> = {};
  for (let i = 0; i < 73; i++) {
    const vote = { kind: 'application', date: '2021-03-01', areaInFavour: 2000, areaTotal: 3000, ownersInFavour: 200, ownersTotal: 300 };
    overlay[`C${i}`] = {
      attrs: { households: 500 + i },
      workflow: { stage: 'SCHEME_VOTED', side: null, history: [{ from: 'POOL', to: 'APPLIED', date: '2021-03-01', vote }, { from: 'APPLIED', to: 'DRAFT_SCHEME', date: '2021-04-01' }, { from: 'DRAFT_SCHEME', to: 'SCHEME_VOTED', date: '2021-05-01', vote: { ...vote, kind: 'scheme' } }] },
    };
  }
  const ring = (x: number, y: number) => {
    const r = Array.from({ length: 64 }, (_, k) => [x + 0.002 * Math.cos((k / 64) * 2 * Math.PI), y + 0.002 * Math.sin((k / 64) * 2 * Math.PI)]);
    return [...r, r[0]];
  };
  const communities = Array.from({ length: 73 }, (_, i) => ({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring(121.5 + (i % 10) * 0.01, 29.85 + Math.floor(i / 10) * 0.01)] }, properties: { ...community({ id: `I${i}`, name: `导入${i}` }) } }));
  const facilities = Array.from({ length: 5000 }, (_, i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [121.5 + (i % 100) * 0.001, 29.85 + Math.floor(i / 100) * 0.001] }, properties: { id: `F${i}`, name: `设施${i}`, category: 'kindergarten', osm_id: null, synthetic: false, source: 'bench.csv' } }));
  const fixed = (key: string, data: unknown): PersistedSlice => ({ key, snapshot: () => data, restore: () => {} });
  return [fixed('pool', { version: 1, overlay, rubric: null }), fixed('import', { source: 'bench.csv', communities, facilities, unlocated: [] })];
}

function time(label: string, reps: number, f: () => unknown): void {
  const runs: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) f();
    runs.push((performance.now() - t0) / reps);
  }
  runs.sort((a, b) => a - b);
  console.log(`${label}: median ${runs[3].toFixed(2)} ms (min ${runs[0].toFixed(2)} – max ${runs[6].toFixed(2)}), 7 runs × ${reps}`);
}

export async function run(): Promise<void> {
  const slices = payload();
  const journal = new MemoryStorage();
  const a = new Autosave({ journal: journal as unknown as Storage, slices: () => slices, debounceMs: 1e9, target: { addEventListener() {}, removeEventListener() {} } as never });
  time('one edit, written ahead (snapshot → JSON → journal)', 20, () => a.edit());
  const text = journal.getItem('jiangbei-planner.journal')!;
  console.log(`journal entry: ${(text.length / 1024).toFixed(0)} KB`);
  const b = new Autosave({ journal: null, slices: () => slices, debounceMs: 1e9, target: { addEventListener() {}, removeEventListener() {} } as never });
  time('baseline: one edit, database save only scheduled (not durable for ~300 ms)', 20, () => b.schedule());
  time('baseline: write on page hide only (one full snapshot → JSON, no reuse)', 5, () => JSON.stringify(slices.map((s) => JSON.parse(JSON.stringify(s.snapshot())))));
  const projectText = text.slice(text.indexOf('\n') + 1);
  time('read a project: parse + check every slice (start, import, other tab)', 10, () => parseProject(projectText));
  const parsed = JSON.parse(projectText);
  time('  of which the schema check alone', 10, () => checkProject(parsed));
  a.stop();
  b.stop();
}
