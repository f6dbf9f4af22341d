import { beforeEach, describe, expect, it } from 'vitest';
import { app, emptyDataset } from './app.svelte';
import { content } from './content.svelte';
import { pool } from './pool.svelte';
import { bundles } from './bundles.svelte';
import { allSlices } from './persisted';
import { UndoManager } from './undo';
import { loadFixtures } from '../../../test/fixtures/bundle/harness';
import { communityInvestment } from '../analysis/funding';

const chain = loadFixtures('bundle').find((f) => f.name === 'chain-size-limit')!;

beforeEach(() => {
  app.setDataset({ ...emptyDataset(), communities: chain.communities }, { synthetic: true, source: 'test fixture' }, null);
  content.restore(undefined);
  pool.restore(undefined);
  bundles.restore(undefined);
});

describe('content slice', () => {
  it('a plan replaces the estimate in the pool totals and in bundle figures; clearing it brings the estimate back', async () => {
    const c1 = pool.recordById.get('C1')!;
    const estimate = communityInvestment(c1).totalCny;
    const before = pool.totals.all.investmentCny;
    const s = content.suggestions('C1', null)!;
    content.acceptSuggestions('C1', s.lines);
    const inv = content.investment('C1')!;
    expect(inv.kind).toBe('items');
    expect(pool.totals.all.investmentCny).toBeCloseTo(before - estimate + inv.totalCny, 2);
    bundles.options = { ...bundles.options, measure: 'straight', maxSize: 1000 };
    await bundles.generate();
    const b = bundles.metrics.find((m) => m.members.includes('C1'))!;
    const others = b.members.filter((m) => m !== 'C1').reduce((sum, m) => sum + communityInvestment(pool.recordById.get(m)!).totalCny, 0);
    expect(b.funding.totalCny).toBeCloseTo(inv.totalCny + others, 2);
    content.clearPlan('C1');
    expect(content.investment('C1')!.kind).toBe('estimate');
    expect(pool.totals.all.investmentCny).toBeCloseTo(before, 2);
  });

  it('edits are undoable, the version grows, and snapshot → restore round-trips', () => {
    const undo = new UndoManager(allSlices).start();
    content.addItem('C2', 'RI10');
    content.setQty('C2', 'RI10', 3);
    expect(content.plans.C2).toMatchObject({ version: 2, lines: [{ code: 'RI10', qty: 3, origin: 'office' }] });
    undo.undo();
    expect(content.plans.C2.lines[0].qty).toBe(1);
    undo.redo();
    content.setSurvey('C2', { source: 'a.csv', rows: [{ code: 'RI10', inFavour: 2, asked: 3 }] });
    content.setUnitCost('RI10', 700_000);
    const snap = JSON.parse(JSON.stringify(content.snapshot()));
    expect(snap.catalogue.items.find((i: { code: string }) => i.code === 'RI10').unitCostCny).toBe(700_000);
    content.restore(undefined);
    expect(content.plans).toEqual({});
    content.restore(snap);
    expect(content.investment('C2')!.totalCny).toBe(2_100_000);
    expect(content.surveys.C2.rows).toHaveLength(1);
    undo.stop();
  });

  it('restore refuses bad data and keeps the state', () => {
    content.addItem('C3', 'RB01');
    expect(() => content.restore({ version: 1, catalogue: null, plans: { C3: { version: 1, owners: null, lines: [{ code: 'RB01', qty: 'x' }] } }, surveys: {} } as never)).toThrow(
      'content.plans["C3"].lines[0].qty: expected a quantity ≥ 0, got "x"',
    );
    expect(content.plans.C3.lines[0].code).toBe('RB01');
  });
});
