import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseLayer } from '../data/load';
import type { Dataset } from '../domain/types';
import type { Feature } from 'geojson';
import { DEFAULT_PARAMS } from '../domain/standards';
import { CoverageEngine, type EngineData } from './engine';
import { deepFreeze } from '../analysis/fixtures.testutil';

async function layer<T = Feature>(name: keyof Dataset): Promise<T[]> {
  return (await parseLayer(name, new Uint8Array(readFileSync(`public/data/${name}.fgb`)), `${name}.fgb`)) as unknown as T[];
}

/** The default dataset as the app loads it; metro stations join the facilities as category "metro". */
async function defaultData(): Promise<EngineData> {
  const metro = await layer<Feature<import('geojson').Point, { id: string; name: string }>>('metro');
  return deepFreeze({
    communities: await layer('communities'),
    gates: await layer('gates'),
    facilities: [...(await layer('facilities')), ...metro.map((m) => ({ ...m, properties: { id: m.properties.id, name: m.properties.name, category: 'metro' } }))],
    roads: await layer('roads'),
  } as unknown as EngineData);
}

describe('CoverageEngine on the default dataset', async () => {
  const data = await defaultData();
  const engine = new CoverageEngine();
  const summary = engine.load(data);
  const req = { standardId: 'gb50180' as const, params: DEFAULT_PARAMS, mode: 'network' as const };

  it('builds one mostly connected walking network and snaps every community', () => {
    expect(summary.communities).toBe(73);
    expect(summary.edges).toBeGreaterThan(1000);
    expect(summary.largestComponentShare).toBeGreaterThan(0.9);
    expect(summary.warnings.filter((w) => w.includes('no walkable road'))).toEqual([]);
  });

  it('does not rebuild the graph when only communities or facilities change', () => {
    expect(engine.load({ ...data, facilities: data.facilities.slice(1) }).graphRebuilt).toBe(false);
    engine.load(data);
  });

  it('finds uneven coverage: some communities complete-ish, some with real gaps', () => {
    const r = engine.coverage(req);
    expect(r.mode).toBe('network');
    expect(r.fallback).toBe(false);
    const lacking = r.communities.map((c) => c.lacking.length);
    expect(Math.min(...lacking)).toBeLessThan(Math.max(...lacking));
    // walking is never shorter than the straight line
    const buf = engine.coverage({ ...req, mode: 'buffer' });
    r.communities.forEach((c, i) =>
      c.byCategory.forEach((b, k) => {
        const s = buf.communities[i].byCategory[k].distance;
        if (b.distance !== null && s !== null) expect(b.distance).toBeGreaterThanOrEqual(s - 0.01);
      }),
    );
  });

  it('a proposed facility at a lacking community meets that category there', () => {
    const before = engine.coverage(req);
    const c = before.communities.find((x) => x.lacking.includes('elderly_daycare'))!;
    const gate = data.gates.find((g) => g.properties.community_id === c.id) ?? null;
    expect(gate).not.toBeNull();
    const proposal = { type: 'Feature' as const, properties: { id: 'P1', category: 'elderly_daycare', proposed: true }, geometry: gate!.geometry };
    const after = engine.coverage({ ...req, extraFacilities: [proposal] });
    const ac = after.communities.find((x) => x.id === c.id)!;
    expect(ac.lacking).not.toContain('elderly_daycare');
    expect(after.figures.perCategory.find((p) => p.category === 'elderly_daycare')!.residentsMet).toBeGreaterThan(
      before.figures.perCategory.find((p) => p.category === 'elderly_daycare')!.residentsMet,
    );
  });

  it('draws a route from a gate of the community to the nearest facility', () => {
    const r = engine.coverage(req);
    const c = r.communities[0];
    const k = c.byCategory.findIndex((b) => b.distance !== null);
    const route = engine.route({ ...req, communityId: c.id, category: c.byCategory[k].category })!;
    expect(route.properties.distance_m).toBeCloseTo(c.byCategory[k].distance!, 1);
    expect(route.properties.facility_id).toBe(c.byCategory[k].facilityId);
    expect(route.geometry.coordinates.length).toBeGreaterThan(2);
  });

  it('makes isochrones for a community with the facilities inside', () => {
    const iso = engine.isochrone({ communityId: data.communities[0].properties.id, params: DEFAULT_PARAMS });
    expect(iso.bands.map((b) => b.properties.minutes)).toEqual([15, 10, 5]);
    expect(iso.facilities.length).toBeGreaterThan(0);
    expect(iso.facilities.every((f) => f.distance_m <= 15 * DEFAULT_PARAMS.walkSpeedMPerMin)).toBe(true);
  });

  it('makes isochrones from any clicked point; a point far from every street is reported off the network', () => {
    const c = data.gates[0].geometry.coordinates;
    const iso = engine.isochrone({ lonLat: [c[0], c[1]], params: DEFAULT_PARAMS, minutes: [5] });
    expect(iso.originOnNetwork).toBe(true);
    expect(iso.bands).toHaveLength(1);
    const far = engine.isochrone({ lonLat: [c[0] + 0.2, c[1] + 0.2], params: DEFAULT_PARAMS });
    expect(far.originOnNetwork).toBe(false);
    expect(far.bands).toEqual([]);
  });

  it('suggests sites that add the residents they claim', () => {
    const s = engine.suggest({ ...req, category: 'elderly_daycare', k: 3 });
    expect(s.sites.length).toBeGreaterThan(0);
    expect(s.sites.length).toBeLessThanOrEqual(3);
    expect(['exact', 'greedy']).toContain(s.method);
    const proposals = s.sites.map((x, i) => ({ type: 'Feature' as const, properties: { id: `S${i}`, category: 'elderly_daycare', proposed: true }, geometry: { type: 'Point' as const, coordinates: [x.lon, x.lat] } }));
    const before = engine.coverage(req).figures.perCategory.find((p) => p.category === 'elderly_daycare')!.residentsMet;
    const after = engine.coverage({ ...req, extraFacilities: proposals }).figures.perCategory.find((p) => p.category === 'elderly_daycare')!.residentsMet;
    expect(after - before).toBe(s.totalAdded);
  });

  it('falls back to straight line × detour without roads, and says so', () => {
    const e2 = new CoverageEngine();
    e2.load({ ...data, roads: [] });
    const r = e2.coverage(req);
    expect(r.fallback).toBe(true);
    expect(e2.isochrone({ communityId: data.communities[0].properties.id, params: DEFAULT_PARAMS }).fallback).toBe(true);
  });
});
