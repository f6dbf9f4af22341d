import { beforeEach, describe, expect, it } from 'vitest';
import { app, emptyDataset } from './app.svelte';
import { bundles, bundleTheme, type BundleSliceData } from './bundles.svelte';
import { allSlices, onEdited } from './persisted';
import { UndoManager } from './undo';
import { loadFixtures } from '../../../test/fixtures/bundle/harness';
import { UNBUNDLED_COLOR } from '../map/colors';

const chain = loadFixtures('bundle').find((f) => f.name === 'chain-size-limit')!;

beforeEach(() => {
  app.setDataset({ ...emptyDataset(), communities: chain.communities }, { synthetic: true, source: 'test fixture' }, null);
  bundles.restore(undefined);
  bundles.options = { ...bundles.options, measure: 'straight', maxSize: 1000 };
});

const groups = () => bundles.plan!.bundles.map((b) => `${b.id}:${b.members.join('+')}`);

describe('bundles slice', () => {
  it('generates, shows figures and colours the communities by bundle', async () => {
    await bundles.generate();
    expect(groups()).toEqual(['B01:C1+C2', 'B02:C3+C4']);
    expect(bundles.summary).toMatchObject({ bundles: 2, bundledCommunities: 4, unbundledCommunities: 1 });
    expect(bundles.metrics.map((m) => m.households)).toEqual([800, 800]);
    const theme = bundleTheme()!;
    expect(theme.colorOf.C1).toBe(theme.colorOf.C2);
    expect(theme.colorOf.C1).not.toBe(theme.colorOf.C3); // neighbouring bundles differ
    expect(theme.colorOf.C5).toBe(UNBUNDLED_COLOR);
  });

  it('records every edit for global undo, and undo restores the plan', async () => {
    const undo = new UndoManager(allSlices).start();
    const labels: string[] = [];
    const off = onEdited((l) => labels.push(l));
    await bundles.generate();
    bundles.move('C5', 'B02');
    expect(groups()).toEqual(['B01:C1+C2', 'B02:C3+C4+C5']);
    // the move breaks the size limit: warned, not refused
    expect(bundles.metrics[1].violations.map((v) => v.kind)).toContain('max-size');
    undo.undo();
    expect(groups()).toEqual(['B01:C1+C2', 'B02:C3+C4']);
    undo.redo();
    expect(groups()).toEqual(['B01:C1+C2', 'B02:C3+C4+C5']);
    off();
    undo.stop();
    expect(labels).toHaveLength(2);
  });

  it('round-trips its snapshot through JSON (autosave, project file)', async () => {
    await bundles.generate();
    bundles.saveScenario('A');
    bundles.merge('B01', 'B02');
    const slice = allSlices().find((s) => s.key === 'bundles')!;
    const snap = JSON.parse(JSON.stringify(slice.snapshot())) as BundleSliceData;
    slice.restore(undefined);
    expect(bundles.plan).toBeNull();
    slice.restore(snap);
    expect(groups()).toEqual(['B01:C1+C2+C3+C4']);
    expect(bundles.scenarios.map((s) => s.name)).toEqual(['A']);
    expect(bundles.scenarioSummary(bundles.scenarios[0])!.bundles).toBe(2);
  });

  it('hides a plan whose communities are not in the loaded data, instead of failing', async () => {
    await bundles.generate();
    app.setDataset(emptyDataset(), { synthetic: true, source: 'empty' }, null);
    expect(bundles.planFits).toBe(false);
    expect(bundles.metrics).toEqual([]);
    expect(bundles.hullFeatures()).toEqual([]);
  });

  it('after a reload (a new dataset object, the plan restored) fetches the neighbours again before showing figures', async () => {
    await bundles.generate();
    const snap = JSON.parse(JSON.stringify(bundles.snapshot())) as BundleSliceData;
    // the reload: the same communities in new objects, then the saved slice
    app.setDataset({ ...emptyDataset(), communities: structuredClone(chain.communities) }, { synthetic: true, source: 'test fixture' }, null);
    bundles.restore(snap);
    expect(bundles.planFits).toBe(true);
    expect(bundles.adjacency).toBeNull();
    expect(bundles.metrics).toEqual([]);
    await bundles.ensureAdjacency();
    expect(bundles.adjacency!.measure).toBe('straight-line');
    expect(bundles.metrics.map((m) => m.households)).toEqual([800, 800]);
    expect(bundles.summary).toMatchObject({ bundles: 2, bundledCommunities: 4 });
  });

  it('draws an outline per bundle, computed by the analysis engine', async () => {
    await bundles.generate();
    await bundles.ensureHulls();
    const hulls = bundles.hullFeatures();
    expect(hulls.map((h) => h.properties.id)).toEqual(['B01', 'B02']);
    for (const h of hulls) expect(['Polygon', 'MultiPolygon']).toContain(h.geometry.type);
    // the compactness figure of each bundle now comes from its outline
    expect(bundles.metrics.every((m) => m.compactness !== null && m.compactness > 0)).toBe(true);
  });

  it('drops a Generate answer when the dataset was replaced while the worker was busy', async () => {
    const running = bundles.generate();
    expect(bundles.generating).toBe(true);
    app.setDataset(emptyDataset(), { synthetic: true, source: 'another dataset' }, null);
    await running;
    expect(bundles.plan).toBeNull();
    expect(bundles.generating).toBe(false);
  });
});
