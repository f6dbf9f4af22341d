import { beforeEach, describe, expect, it } from 'vitest';
import { app, emptyDataset } from './app.svelte';
import { pool } from './pool.svelte';
import { stewardship } from './stewardship.svelte';
import { sites } from './sites.svelte';
import { validateSlice } from './schemas';
import { UndoManager } from './undo';
import { allSlices } from './persisted';
import { loadFixtures } from '../../../test/fixtures/bundle/harness';
import type { SpareSiteFeature } from '../domain/spare-sites';

const chain = loadFixtures('bundle').find((f) => f.name === 'chain-size-limit')!;

beforeEach(() => {
  // C1 handed over, C2 accepted (completed but not handed over)
  const communities = chain.communities.map((c, i) => ({ ...c, properties: { ...c.properties, stage: i === 0 ? ('HANDED_OVER' as const) : i === 1 ? ('ACCEPTED' as const) : c.properties.stage, side_state: null } }));
  app.setDataset({ ...emptyDataset(), communities }, { synthetic: true, source: 'test fixture' }, null);
  pool.restore(undefined);
  stewardship.restore(undefined);
  sites.restore(undefined);
});

const ev = { date: '2023-05-01', quality: 92, management: 88, surveyed: 120, satisfied: 110 };

describe('stewardship slice', () => {
  it('records an evaluation only past handover; its class follows the rule in force', () => {
    expect(stewardship.setEvaluation('C2', ev)).toBe(false);
    expect(stewardship.evaluations).toEqual({});
    expect(stewardship.setEvaluation('C1', ev)).toBe(true);
    // 0.4·92 + 0.3·88 + 0.3·91.67 = 90.7 → excellent under the default rule
    expect(stewardship.results.C1.cls).toBe('excellent');
    stewardship.setRule({ ...stewardship.rule, thresholds: { excellent: 95, good: 85, pass: 60 } });
    expect(stewardship.results.C1.cls).toBe('good');
    expect(stewardship.counts.good).toBe(1);
  });

  it('keeps edits keyed by community id, passes its own schema, and undo takes one edit back', () => {
    const undo = new UndoManager(() => allSlices());
    stewardship.setManagement('C2', { property: 'professional', since: '2022-01-01', fundCoverage: 0.8, publicIncomeCny: 50_000 });
    undo.record('mgmt');
    stewardship.setEvaluation('C1', ev);
    undo.record('eval');
    const snap = JSON.parse(JSON.stringify(stewardship.snapshot()));
    expect(Object.keys(snap.management)).toEqual(['C2']);
    expect(Object.keys(snap.evaluations)).toEqual(['C1']);
    expect(snap.rule).toBeNull(); // the default rule is not stored
    expect(validateSlice('stewardship', snap)).toEqual(snap);
    expect(() => validateSlice('stewardship', { ...snap, evaluations: { C1: { ...ev, quality: 101 } } })).toThrow(/evaluations\.C1\.quality/);
    expect(stewardship.figures.professional.after).toMatchObject({ count: 1, known: 1 });
    undo.undo();
    expect(stewardship.evaluations).toEqual({});
    expect(stewardship.management.C2.property).toBe('professional');
  });
});

describe('sites slice', () => {
  const site = (id: string, area: number | null): SpareSiteFeature => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [121.55, 29.9] },
    properties: { id, name: `空地 ${id}`, kind: 'vacant_land', area_m2: area, owner: null, community_id: null, synthetic: false, source: '空地.xlsx' },
  });

  it('adds sites, imports (extend renames colliding ids; replace sets the demonstration sites aside) and round-trips', () => {
    sites.demo = [{ ...site('S001', 500), properties: { ...site('S001', 500).properties, synthetic: true } }];
    const id = sites.addSite({ name: '闲置用房', kind: 'idle_room', area_m2: null, owner: '街道办事处', community_id: 'C1' }, 121.5, 29.9);
    expect(id).toBe('U1');
    sites.importSites([site('S001', 4000)], 'extend', '空地.xlsx');
    expect(sites.all.map((s) => s.properties.id)).toEqual(['S001', 'U1', 'S001~2']);
    sites.importSites([site('S001', 4000)], 'replace', '空地.xlsx');
    expect(sites.all.map((s) => s.properties.id)).toEqual(['S001']);
    expect(sites.all[0].properties.synthetic).toBe(false);
    const snap = JSON.parse(JSON.stringify(sites.snapshot()));
    expect(validateSlice('sites', snap)).toEqual(snap);
    expect(() => validateSlice('sites', { ...snap, sites: [site('X', -1)] })).toThrow(/area_m2/);
    sites.restore(undefined);
    expect(sites.useDemo).toBe(true);
  });
});

describe('stewardship as per-community records (server mode)', () => {
  it('splits into one part per community and the rule, joins back, and refuses a bad part', async () => {
    const { PARTS } = await import('./parts');
    const def = PARTS.stewardship;
    stewardship.setManagement('C2', { property: 'self', since: null, fundCoverage: null, publicIncomeCny: 1200 });
    stewardship.setEvaluation('C1', ev);
    stewardship.setRule({ ...stewardship.rule, minSurveyed: 10 });
    const snap = JSON.parse(JSON.stringify(stewardship.snapshot()));
    const { rest, parts } = def.split(snap);
    expect(Object.keys(parts).sort()).toEqual(['C1', 'C2']);
    expect(parts.C1).toEqual({ evaluation: ev });
    expect(def.join(rest, parts)).toEqual(snap);
    expect(() => def.validatePart('C1', { evaluation: { ...ev, date: '30/06/2023' } })).toThrow(/date/);
    expect(() => def.validatePart('C1', { votes: 1 })).toThrow(/unknown field votes/);
    def.validateRest(rest);
  });
});
