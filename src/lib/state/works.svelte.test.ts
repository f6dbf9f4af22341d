import { beforeEach, describe, expect, it } from 'vitest';
import { app, emptyDataset } from './app.svelte';
import { pool } from './pool.svelte';
import { works, demoWorkFromFeature } from './works.svelte';
import { allSlices } from './persisted';
import { UndoManager } from './undo';
import { loadFixtures } from '../../../test/fixtures/bundle/harness';
import type { WorkRecord } from '../analysis/works';

const chain = loadFixtures('bundle').find((f) => f.name === 'chain-size-limit')!;
const gas: WorkRecord = { id: 'g1', name: '燃气管网改造', department: '燃气公司', type: 'pipeline', start: '2022-03', end: '2022', status: 'planned', budgetWan: 80, geometry: null, communities: ['C1'], synthetic: false, source: 'plan.csv' };

beforeEach(() => {
  app.setDataset({ ...emptyDataset(), communities: chain.communities }, { synthetic: true, source: 'test fixture' }, null);
  pool.restore(undefined);
  works.restore(undefined);
  works.demo = [];
  pool.setBatch('C1', 2020);
});

describe('works slice', () => {
  it('a work two years after the renovation is a conflict; moving the renovation resolves it, as one undo step', () => {
    const undo = new UndoManager(allSlices).start();
    works.add([gas], '导入 1 项');
    expect(works.conflicts.map((c) => [c.kind, c.work, c.severity])).toEqual([['dig-up', 'g1', 2]]);
    expect(works.preview(['C1'], 2022)).toMatchObject({ before: 1, after: 0 });
    works.moveRenovation(['C1'], 2022, 'move');
    expect(pool.recordById.get('C1')!.batch_year).toBe(2022);
    expect(works.conflicts).toEqual([]);
    expect(works.lastMove).toMatchObject({ communities: ['C1'], from: 2020, to: 2022, diff: { before: 1, after: 0 } });
    expect(works.lastMove!.diff.resolved.map((c) => c.work)).toEqual(['g1']);
    undo.undo();
    expect(pool.recordById.get('C1')!.batch_year).toBe(2020);
    expect(works.conflicts).toHaveLength(1);
    undo.undo();
    expect(works.works).toEqual([]);
    undo.stop();
  });

  it('a community without a batch year is unknown, not fine and not a conflict', () => {
    pool.setBatch('C1', null);
    works.add([gas], 'x');
    expect(works.conflicts).toEqual([]);
    expect(works.coordination.unknown.map((t) => t.work)).toEqual(['g1']);
  });

  it('settings change the result; snapshot → restore round-trips; bad data is refused and the state kept', () => {
    works.add([gas], 'x');
    works.setSettings({ horizonYears: 1 }, 'h');
    expect(works.conflicts).toEqual([]); // 2 years after is outside a 1-year horizon
    const snap = JSON.parse(JSON.stringify(works.snapshot()));
    works.restore(undefined);
    expect([works.works.length, works.settings.horizonYears]).toEqual([0, 3]);
    works.restore(snap);
    expect([works.works.length, works.settings.horizonYears]).toEqual([1, 1]);
    expect(() => works.restore({ version: 1, works: [{ ...gas, department: '' }] } as never)).toThrow(/works\.works\.0\.department/);
    expect(works.works).toHaveLength(1);
  });

  it('reads a demonstration work as stored in works.fgb, and names a bad one by feature and field', () => {
    const f = { geometry: { type: 'Point', coordinates: [121.5, 29.9] }, properties: { id: 'W1', name: 'n', department: 'd', type: 'lift', start: '2021', end: '2021', status: 'done', budget_wan: 30, communities: '["C1"]', synthetic: true, source: '演示数据' } };
    expect(demoWorkFromFeature(f, 0)).toMatchObject({ id: 'W1', budgetWan: 30, communities: ['C1'], synthetic: true });
    expect(() => demoWorkFromFeature({ ...f, properties: { ...f.properties, type: 'x' } }, 4)).toThrow('works.fgb: feature 4: field type');
  });
});
