import 'fake-indexeddb/auto';
import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { createStore, get, keys, set } from 'idb-keyval';
import { pool } from '../../src/lib/state/pool.svelte';
import { app } from '../../src/lib/state/app.svelte';
import { allSlices, edited, onRegistered, registerSlice } from '../../src/lib/state/persisted';
import { Autosave, AUTOSAVE_KEY, PendingSlices, readAutosave, restoreAutosave } from '../../src/lib/state/persist';
import { UndoManager } from '../../src/lib/state/undo';
import { registerSliceSchema } from '../../src/lib/state/schemas';
import { datasetOf } from '../fixtures/project/dataset';

const vote = { kind: 'application' as const, date: '2021-02-28', areaInFavour: 2000, areaTotal: 3000, ownersInFavour: 200, ownersTotal: 300 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let n = 0;
let store: ReturnType<typeof createStore>;
let autosave: Autosave | undefined;

beforeEach(() => {
  // a fresh database per test: no shared mutable state between cases
  store = createStore(`persist-test-${n++}`, 'autosave');
  app.setDataset(datasetOf(['C01', 'C02', 'C03']), { synthetic: true, source: 'test' });
  pool.restore(undefined);
});
afterEach(() => autosave?.stop());

describe('autosave to IndexedDB and restore on start', () => {
  it('a stage move with its vote and a weight edit survive a "reload"', async () => {
    autosave = new Autosave({ store, debounceMs: 10 });
    expect(pool.move('C02', { to: 'APPLIED', date: '2021-03-01', vote }).ok).toBe(true);
    pool.editRubric((r) => (r.criteria.find((c) => c.code === 'SC04')!.weight = 2.5), '权重 SC04');
    await autosave.flush();
    autosave.stop();

    // the reload: state back to defaults, then restore from the database
    pool.restore(undefined);
    expect(pool.recordById.get('C02')!.stage).toBe('POOL');
    const r = await restoreAutosave(store, allSlices());
    expect(r.status).toBe('restored');
    expect(pool.recordById.get('C02')!.stage).toBe('APPLIED');
    expect(pool.workflow('C02')!.history[0].vote).toEqual(vote);
    expect(pool.rubric.criteria.find((c) => c.code === 'SC04')!.weight).toBe(2.5);
    // the restored rubric scores: SC04 'self' = 10 × 2.5
    expect(pool.scores.find((s) => s.id === 'C01')!.points.SC04).toBe(25);
  });

  it('debounces: edits inside the delay are written once, with the latest state', async () => {
    let saves = 0;
    autosave = new Autosave({ store, debounceMs: 40, onSaved: () => saves++ });
    pool.setPool('C01', '生成');
    pool.setPool('C01', '实施');
    pool.setBatch('C01', 2022);
    expect(await get(AUTOSAVE_KEY, store)).toBeUndefined();
    await sleep(120);
    expect(saves).toBe(1);
    const saved = await readAutosave(store);
    expect((saved!.slices.pool as { overlay: Record<string, unknown> }).overlay.C01).toEqual({ pool: '实施', batch_year: 2022 });
  });

  it('flushes when the page is hidden (pagehide)', async () => {
    const target = new EventTarget();
    autosave = new Autosave({ store, debounceMs: 60_000, target: target as unknown as Window });
    pool.setAttr('C03', 'households', 777);
    target.dispatchEvent(new Event('pagehide'));
    await autosave.flush();
    const saved = await readAutosave(store);
    expect((saved!.slices.pool as { overlay: Record<string, { attrs: object }> }).overlay.C03.attrs).toEqual({ households: 777 });
  });

  it('an empty database restores nothing and changes nothing', async () => {
    pool.setPool('C01', '生成');
    expect((await restoreAutosave(store, allSlices())).status).toBe('empty');
    expect(pool.recordById.get('C01')!.pool).toBe('生成');
  });

  it('an unreadable autosave is kept aside, reported, and the state is untouched', async () => {
    await set(AUTOSAVE_KEY, '{"format":"jiangbei-renewal-project","schema_version":9,"saved_at":"x","slices":{}}', store);
    pool.setPool('C01', '生成');
    const r = await restoreAutosave(store, allSlices());
    expect(r.status).toBe('failed');
    if (r.status !== 'failed') return;
    expect(r.en).toContain('newer version');
    expect(await get(r.keptAs, store)).toContain('"schema_version":9');
    expect((await keys(store)).length).toBe(2);
    expect(pool.recordById.get('C01')!.pool).toBe('生成');
  });
});

describe('undo/redo over all slices', () => {
  let undo: UndoManager;
  beforeEach(() => {
    undo = new UndoManager().start();
  });
  afterEach(() => undo.stop());

  it('undoes a weight edit, then a stage move, and redoes them', () => {
    pool.move('C02', { to: 'APPLIED', date: '2021-03-01', vote });
    pool.editRubric((r) => (r.criteria[0].weight = 3), '权重 SC01 = 3');
    expect(undo.status()).toMatchObject({ canUndo: true, canRedo: false, undoLabel: '权重 SC01 = 3', depth: 2 });

    expect(undo.undo()).toBe('权重 SC01 = 3');
    expect(pool.rubric.criteria[0].weight).toBe(1);
    expect(pool.recordById.get('C02')!.stage).toBe('APPLIED');

    expect(undo.undo()).toMatch(/^阶段: 小区C02 → 居民申请/);
    expect(pool.recordById.get('C02')!.stage).toBe('POOL');
    expect(undo.status().canUndo).toBe(false);

    undo.redo();
    undo.redo();
    expect(pool.recordById.get('C02')!.stage).toBe('APPLIED');
    expect(pool.rubric.criteria[0].weight).toBe(3);
  });

  it('a new edit clears the redo stack; a no-op edit leaves no step', () => {
    pool.setPool('C01', '生成');
    undo.undo();
    expect(undo.status().canRedo).toBe(true);
    pool.setPool('C01', '实施');
    expect(undo.status().canRedo).toBe(false);
    edited('nothing changed');
    expect(undo.status().depth).toBe(1);
  });

  it('a refused workflow move records no step', () => {
    const r = pool.move('C01', { to: 'APPLIED', date: '2021-03-01' });
    expect(r.ok).toBe(false);
    expect(undo.status().canUndo).toBe(false);
  });
});

describe('slices of features not opened in this session', () => {
  it('are carried through autosave verbatim, so their work is not dropped', async () => {
    const plan = { bundles: [{ id: 'B1', members: ['C01', 'C02'] }], unbundled: ['C03'], measure: 'walking', usedGaps: true, edits: 0 };
    autosave = new Autosave({ store, debounceMs: 10, carry: () => ({ bundles: { version: 1, plan, scenarios: [] } }) });
    pool.setPool('C01', '生成');
    await autosave.flush();
    const saved = await readAutosave(store);
    expect(saved!.slices.bundles).toEqual({ version: 1, plan, scenarios: [] });
    expect(saved!.slices.pool).toBeDefined();
  });
});

describe('a feature that registers after the restore (lazily loaded)', () => {
  it('gets its autosaved data when it registers, and an undo baseline', async () => {
    // a feature of this build (it has a schema) whose module is not loaded yet
    registerSliceSchema('late-feature', (x) => x);
    // what a previous session saved, including a slice this session has not registered yet
    autosave = new Autosave({ store, debounceMs: 10, carry: () => ({ 'late-feature': { n: 42 } }) });
    pool.setPool('C01', '生成');
    await autosave.flush();
    autosave.stop();
    autosave = undefined;

    const r = await restoreAutosave(store, allSlices());
    expect(r.status).toBe('restored');
    if (r.status !== 'restored') return;
    expect(r.result.notLoaded).toEqual(['late-feature']);
    const pending = new PendingSlices();
    pending.replace(r.project.slices, r.result.notLoaded);
    const undo = new UndoManager().start();
    const off = onRegistered((s) => {
      pending.adopt(s);
      undo.noteSlice(s);
    });

    let n = 0;
    registerSlice<{ n: number }>({ key: 'late-feature', snapshot: () => ({ n }), restore: (d) => void (n = d?.n ?? 0) });
    expect(n).toBe(42);
    expect(pending.carry()).toEqual({});
    n = 43;
    undo.record('late edit');
    undo.undo();
    expect(n).toBe(42);
    off();
    undo.stop();
  });

  it('a slice that refuses its data keeps it pending and names itself', () => {
    const pending = new PendingSlices();
    pending.replace({ picky: { bad: true } }, ['picky']);
    const picky = { key: 'picky', snapshot: () => null, restore: () => { throw new Error('bad data'); } };
    expect(() => pending.adopt(picky)).toThrow('slice "picky": bad data');
    expect(pending.carry()).toEqual({ picky: { bad: true } });
  });
});
