/**
 * Issue 16 item 3 — broken project files are refused whole, before anything is applied; unknown parts are
 * dropped (and never saved); a bad autosave is kept aside and reported; an autosave that fails says so.
 * Restored into the app's real slice registry (pool, coverage, bundles, views, import).
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { createStore, get, keys, set } from 'idb-keyval';
import { app } from '../../src/lib/state/app.svelte';
import { pool } from '../../src/lib/state/pool.svelte';
import '../../src/lib/state/coverage.svelte';
import '../../src/lib/state/bundles.svelte';
import '../../src/lib/state/views.svelte';
import '../../src/lib/state/import.svelte';
import { allSlices } from '../../src/lib/state/persisted';
import { buildProject, importProjectText, parseProject, ProjectError } from '../../src/lib/state/project';
import { Autosave, AUTOSAVE_KEY, restoreAutosave } from '../../src/lib/state/persist';
import { datasetOf } from '../fixtures/project/dataset';
import { TAMPER_CASES, baseProject, withGiantUnknownSlice } from '../fixtures/project/tamper';

let n = 0;
const state = () => JSON.stringify(allSlices().map((s) => [s.key, s.snapshot() ?? null]));

beforeEach(() => {
  app.setDataset(datasetOf(['C01', 'C02', 'C03']), { synthetic: true, source: 'test' });
  for (const s of allSlices()) s.restore(undefined);
  pool.setPool('C02', '实施'); // work in progress that a refused file must not touch
});

describe('3. broken project files are refused before anything is applied', () => {
  it('the untampered base project is accepted (so each case below fails for its one broken part)', () => {
    const { project, result } = importProjectText(JSON.stringify(baseProject()));
    expect(result.restored.sort()).toEqual(['bundles', 'coverage', 'import', 'pool', 'views']);
    expect(project.view?.zoom).toBe(13);
    expect(pool.recordById.get('C01')!.pool).toBe('生成');
  });

  it('an imported record with values the importer leaves unknown (empty street, build year 0) is accepted', () => {
    const p = baseProject();
    Object.assign(p.slices.import.communities[0].properties, { street: '', build_year: 0, households: 0, committee: null, extra_note: 'kept' });
    p.slices.import.unlocated = [{ kind: 'facilities', row: 7, props: { id: 'F9', name: '无坐标设施', category: 'kindergarten', osm_id: null, synthetic: false, source: 'x.csv' } }];
    const { project } = importProjectText(JSON.stringify(p));
    const imp = project.slices.import as { communities: { properties: Record<string, unknown> }[]; unlocated: unknown[] };
    expect(imp.communities[0].properties.extra_note).toBe('kept');
    expect(imp.unlocated.length).toBe(1);
  });

  it('values the settings forms let through read back (so an autosave of them is never refused)', () => {
    const p = baseProject();
    p.slices.coverage.params = { tierDistanceM: { 5: 0, 10: 900, 15: 800 }, walkSpeedMPerMin: 0, detourFactor: 1, useItemDistances: false };
    p.slices.bundles.options = { maxCommunities: 2.5, maxGapM: 1e300, maxSize: null };
    p.slices.bundles.costParams = { unitCostCnyPerM2: 0 };
    expect(() => importProjectText(JSON.stringify(p))).not.toThrow();
  });

  it('fields a schema does not describe (a newer feature of a slice) are kept, not dropped', () => {
    const p = baseProject();
    p.slices.bundles.options = { objective: 'households' };
    p.slices.bundles.plan.quality = { proven: true };
    const { project } = importProjectText(JSON.stringify(p));
    const b = project.slices.bundles as { options: Record<string, unknown>; plan: Record<string, unknown> };
    expect(b.options.objective).toBe('households');
    expect(b.plan.quality).toEqual({ proven: true });
  });

  for (const c of TAMPER_CASES) {
    it(`${c.name}: refused, naming the part and field; every slice unchanged`, () => {
      const before = state();
      let err: unknown;
      try {
        importProjectText(c.text());
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ProjectError);
      expect((err as ProjectError).en).toContain(c.expect);
      expect((err as ProjectError).zh.length).toBeGreaterThan(5);
      expect(state()).toBe(before);
      expect(pool.recordById.get('C02')!.pool).toBe('实施');
    });
  }

  it('a valid file with a 50 MB unknown slice is read; the unknown part is dropped, reported, and never saved', () => {
    const { project, result } = importProjectText(withGiantUnknownSlice(50));
    expect(project.dropped).toEqual(['giant']);
    expect(result.restored).toContain('pool');
    expect('giant' in project.slices).toBe(false);
    const saved = buildProject({}, allSlices());
    expect(Object.keys(saved.slices)).not.toContain('giant');
    expect(JSON.stringify(saved).length).toBeLessThan(100_000);
  });

  it('a file larger than the limit is refused without being parsed', () => {
    expect(() => parseProject('{"x":"' + 'y'.repeat(65 * 1024 * 1024) + '"}')).toThrow(/too large/);
  });
});

describe('3. the same checks guard the autosave at startup', () => {
  it('a bad autosave is kept aside, exactly, and reported; the state is not replaced', async () => {
    const store = createStore(`tamper-${n++}`, 'autosave');
    const bad = TAMPER_CASES.find((c) => c.name.startsWith('bundles: plan.bundles'))!.text();
    await set(AUTOSAVE_KEY, bad, store);
    const before = state();
    const r = await restoreAutosave(store, allSlices(), null);
    expect(r.status).toBe('failed');
    if (r.status !== 'failed') return;
    expect(r.en).toContain('plan.bundles');
    expect(r.keptText).toBe(bad);
    expect(await get(r.keptAs, store)).toBe(bad);
    expect((await keys(store)).map(String)).toContain(AUTOSAVE_KEY);
    expect(state()).toBe(before);
  });

  it('an autosave that fails says so (a snapshot that cannot be written, a save that could not be read back)', async () => {
    const store = createStore(`tamper-${n++}`, 'autosave');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const errors: string[] = [];
    let saved = 0;
    const a = new Autosave({ store, journal: null, slices: () => [{ key: 'pool', snapshot: () => cyclic, restore: () => {} }], onError: (e) => errors.push(e.message), onSaved: () => saved++ });
    a.schedule();
    await a.flush();
    expect(errors.length).toBe(1);
    expect(saved).toBe(0);
    a.stop();

    // data this build would refuse on reload: the save reports it now instead of showing "saved"
    const b = new Autosave({ store, journal: null, slices: () => [{ key: 'pool', snapshot: () => ({ version: 1, overlay: { C01: { attrs: { households: 1e308 } } }, rubric: null }), restore: () => {} }], onError: (e) => errors.push(e.message), onSaved: () => saved++ });
    b.schedule();
    await b.flush();
    expect(errors[1]).toContain('households');
    expect(saved).toBe(0);
    b.stop();
  });
});
