/** The header figures and the record panel read app.records: the user's edits must show there. */
import { afterEach, describe, expect, test } from 'vitest';
import { app, emptyDataset } from '../../src/lib/state/app.svelte';
import { pool } from '../../src/lib/state/pool.svelte';
import type { CommunityFeature } from '../../src/lib/domain/types';

function community(id: string, households: number): CommunityFeature {
  return {
    type: 'Feature',
    geometry: { type: 'Polygon', coordinates: [[[121.55, 29.9], [121.551, 29.9], [121.551, 29.901], [121.55, 29.9]]] },
    properties: {
      synthetic: true, source: 'test', id, name: id, street: '孔浦街道', committee: null, build_year: 1990,
      housing_type: 'danwei', households, buildings: 10, floor_area_m2: households * 80, residents: households * 3,
      property_mgmt: 'none', maintenance_fund: 'none', dangerous_buildings: 0, lift_demand: 0,
      consent_area_share: 0.7, consent_headcount_share: 0.7, owner_contribution_share: 0.05,
      illegal_cleared_share: 1, safety_hazard: 'none', third_party_funding: false, batch_year: null,
      pool: '储备', stage: 'POOL', side_state: null,
    },
  };
}

afterEach(() => {
  pool.restore(undefined);
  app.setDataset(emptyDataset(), { synthetic: true, source: '' }, null);
});

describe('app.records', () => {
  test('totals follow an attribute edit and its undo-style restore', () => {
    app.setDataset({ ...emptyDataset(), communities: [community('A', 100), community('B', 200)] }, { synthetic: true, source: 'test' }, null);
    expect(app.totals.households).toBe(300);
    pool.setAttr('A', 'households', 150);
    expect(app.totals.households).toBe(350);
    expect(app.recordById.get('A')?.households).toBe(150);
    // the dataset itself is never mutated
    expect(app.dataset.communities[0].properties.households).toBe(100);
    pool.restore(undefined);
    expect(app.totals.households).toBe(300);
  });
  test('a stage or pool edit shows in the record', () => {
    app.setDataset({ ...emptyDataset(), communities: [community('A', 100)] }, { synthetic: true, source: 'test' }, null);
    pool.setPool('A', '实施');
    expect(app.recordById.get('A')?.pool).toBe('实施');
  });
});
