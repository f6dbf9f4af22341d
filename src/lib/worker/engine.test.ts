import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseLayer } from '../data/load';
import type { Dataset } from '../domain/types';
import type { Feature } from 'geojson';
import { DEFAULT_PARAMS } from '../domain/standards';
import { CoverageEngine, createApi, throttleProgress, type BundleData, type CoverageRequest, type EngineData } from './engine';
import { deepFreeze } from '../analysis/fixtures.testutil';
import type { BarrierFeature, CommunityFeature } from '../domain/types';
import { buildAdjacency } from '../analysis/adjacency';
import { walkGapMeasure } from '../analysis/bundle-walk';
import { buildWalkGraph, type RoadLike } from '../analysis/walkgraph';
import { generateBundles } from '../analysis/bundle';
import { optimiseBundles } from '../analysis/bundle-opt';
import { loadSolver } from '../analysis/solver';
import { bundleHull } from '../analysis/hull';
import { BarrierIndex, projectionFor } from '../analysis/bundle-geom';

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

  it('what-ifs, thresholds and the baseline from cached fields equal a fresh computation from scratch', () => {
    const fresh = new CoverageEngine();
    const proposals = data.gates.slice(0, 40).map((g, i) => ({
      type: 'Feature' as const,
      properties: { id: `P${i}`, category: ['elderly_daycare', 'kindergarten', 'clinic', 'primary_school'][i % 4], proposed: true },
      geometry: g.geometry,
    }));
    const reqs: CoverageRequest[] = [
      { ...req, extraFacilities: proposals },
      { ...req, params: { ...DEFAULT_PARAMS, tierDistanceM: { 5: 250, 10: 450, 15: 900 } }, extraFacilities: proposals.slice(0, 5) },
      { ...req, mode: 'buffer' as const, extraFacilities: proposals },
      req,
    ];
    for (const r of reqs) {
      engine.coverage(r); // warm the cache, then ask again: the answer must not drift
      // from nothing: the proposals loaded as ordinary facilities, one full search per category
      fresh.load({ ...data, facilities: [...data.facilities, ...(r.extraFacilities ?? [])] });
      expect(engine.coverage(r)).toEqual(fresh.coverage({ ...r, extraFacilities: [] }));
    }
  });

  it('answers a threshold change and a what-if without a new full search, with typed tables', () => {
    engine.coverageTables({ ...req, withBuffer: true });
    const searches = engine.searchCount;
    const proposal = { type: 'Feature' as const, properties: { id: 'PX', category: 'kindergarten', proposed: true }, geometry: data.gates[3].geometry };
    const a = engine.coverageTables({ ...req, params: { ...DEFAULT_PARAMS, tierDistanceM: { 5: 200, 10: 400, 15: 800 } }, extraFacilities: [proposal], withBuffer: true, withBaseline: true });
    expect(engine.searchCount).toBe(searches);
    expect(a.result.dist).toBeInstanceOf(Float64Array);
    expect(a.result.dist.length).toBe(73 * a.result.rules.length);
    expect(a.baseline).not.toBeNull();
    expect(a.buffer!.mode).toBe('buffer');
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

  it('makes isochrones for a community with the facilities inside; the bands are the tiers in force (one distance definition)', () => {
    const iso = engine.isochrone({ communityId: data.communities[0].properties.id, params: DEFAULT_PARAMS });
    expect(iso.bands.map((b) => b.properties.distance_m)).toEqual([1000, 500, 300]);
    expect(iso.bands.map((b) => b.properties.minutes)).toEqual([1000 / 80, 500 / 80, 300 / 80]);
    expect(iso.facilities.length).toBeGreaterThan(0);
    expect(iso.facilities.every((f) => f.distance_m <= 1000)).toBe(true);
    const edited = engine.isochrone({ communityId: data.communities[0].properties.id, params: { ...DEFAULT_PARAMS, tierDistanceM: { 5: 250, 10: 450, 15: 800 } } });
    expect(edited.bands.map((b) => b.properties.distance_m)).toEqual([800, 450, 250]);
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

  it('suggests sites that add the residents they claim', async () => {
    const s = await engine.suggest({ ...req, category: 'elderly_daycare', k: 3 });
    expect(s.sites.length).toBeGreaterThan(0);
    expect(s.sites.length).toBeLessThanOrEqual(3);
    expect(s.method).toBe('exact'); // the solver proves it on the default data
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

describe('bundling in the engine (the same walk graph as coverage)', async () => {
  const data = await defaultData();
  const bundleData: BundleData = deepFreeze({
    communities: data.communities as unknown as CommunityFeature[],
    barriers: await layer<BarrierFeature>('barriers'),
    roads: data.roads,
  });
  const options = { sameStreet: true, maxSize: 3000, maxCommunities: 6, maxSpanM: 1000 };

  it('gives the adjacency and the plan the pure modules give, walking gaps on the graph coverage built', async () => {
    const engine = new CoverageEngine();
    engine.load(data);
    expect(engine.graphBuilds).toBe(1);
    expect(engine.loadBundleData(bundleData).graphRebuilt).toBe(false);
    const adj = engine.bundleAdjacency({ maxGapM: 300, measure: 'walking' });
    const g = buildWalkGraph(data.roads as readonly RoadLike[]);
    const direct = buildAdjacency(bundleData.communities, { maxGapM: 300, barriers: bundleData.barriers, walk: walkGapMeasure(g) });
    expect(adj.measure).toBe('walking');
    expect(adj).toEqual(direct);
    const r = await engine.generateBundles({ maxGapM: 300, measure: 'walking', options });
    expect(r.adjacency).toBe(adj); // cached per gap and measure, not measured again
    expect(r.plan).toEqual(optimiseBundles(bundleData.communities, direct, options, await loadSolver()));
    expect(r.plan.quality?.status).toBe('exact');
    const h = await engine.generateBundles({ maxGapM: 300, measure: 'walking', options: { ...options, method: 'heuristic' } });
    expect(h.plan).toEqual(generateBundles(bundleData.communities, direct, options));
    expect(r.plan.bundles.length).toBeGreaterThan(5);
    // asking for walking gaps, loading bundles or coverage again with the same roads never rebuilds the graph
    engine.loadBundleData(bundleData);
    engine.load(data);
    engine.bundleAdjacency({ maxGapM: 200, measure: 'walking' });
    expect(engine.graphBuilds).toBe(1);
  }, 180_000); // two exact optimisations of the default data (seconds each on a loaded machine)

  it('builds the graph once when bundling comes first, and coverage then reuses it', () => {
    const engine = new CoverageEngine();
    expect(engine.loadBundleData(bundleData).graphRebuilt).toBe(true);
    expect(engine.load(data).graphRebuilt).toBe(false);
    expect(engine.graphBuilds).toBe(1);
    // other roads: a new graph, and the walking adjacency is measured on it
    const before = engine.bundleAdjacency({ maxGapM: 300, measure: 'walking' });
    engine.load({ ...data, roads: data.roads.slice(0, Math.floor(data.roads.length / 2)) });
    expect(engine.graphBuilds).toBe(2);
    expect(engine.bundleAdjacency({ maxGapM: 300, measure: 'walking' })).not.toBe(before);
  });

  it('generates on the attributes sent with the request (the pool edits), not the loaded ones', async () => {
    const engine = new CoverageEngine();
    engine.loadBundleData(bundleData);
    const props = bundleData.communities.map((c) => ({ ...c.properties, households: c.properties.households * 10 }));
    const r = await engine.generateBundles({ maxGapM: 300, measure: 'straight', properties: props, options });
    const edited = bundleData.communities.map((c, i) => ({ ...c, properties: props[i] }));
    expect(r.adjacency.measure).toBe('straight-line');
    expect(r.plan).toEqual(optimiseBundles(edited, r.adjacency, options, await loadSolver()));
    await expect(engine.generateBundles({ maxGapM: 300, measure: 'straight', properties: props.slice(1), options })).rejects.toThrow(/72 attribute records for 73 loaded communities/);
  });

  it('draws the outlines hull.ts draws, and says which bundle it could not draw', async () => {
    const api = createApi();
    api.loadBundleData(bundleData);
    const { plan, adjacency } = await api.generateBundles({ maxGapM: 300, measure: 'walking', options });
    const b = plan.bundles.find((x) => x.members.length > 2)!;
    const edges = adjacency.edges.filter((e) => b.members.includes(e.a) && b.members.includes(e.b));
    const [reply, missing] = api.bundleHulls([
      { key: 'k', members: b.members, edges },
      { key: 'none', members: ['NOPE'], edges: [] },
    ]);
    const proj = projectionFor(bundleData.communities.map((c) => c.geometry));
    const byId = new Map(bundleData.communities.map((c) => [c.properties.id, c] as const));
    const direct = bundleHull(
      b.members.map((m) => byId.get(m)!),
      edges,
      proj,
      { barrierIndex: new BarrierIndex(bundleData.barriers.map((x) => x.geometry), proj) },
    );
    expect(reply).toEqual({ key: 'k', geometry: direct.geometry, polsbyPopper: direct.polsbyPopper });
    expect(missing).toMatchObject({ key: 'none', geometry: null, error: 'no member in the loaded data' });
  });
});

describe('progress across the worker boundary', () => {
  it('passes nothing in the first 200 ms, then at most one call per 100 ms, with its arguments', () => {
    let clock = 0;
    const got: [number, number, string][] = [];
    const p = throttleProgress((d, t, l) => got.push([d, t, l]), 200, 100, () => clock)!;
    for (clock = 0; clock <= 450; clock += 10) p(clock / 10, 45, `step ${clock}`);
    expect(got).toEqual([
      [20, 45, 'step 200'],
      [30, 45, 'step 300'],
      [40, 45, 'step 400'],
    ]);
    // a quick request (an edit on the default dataset) sends no progress message at all
    const none: number[] = [];
    clock = 0;
    const q = throttleProgress((d) => none.push(d), 200, 100, () => clock)!;
    for (let k = 0; k <= 19; k++, clock += 2) q(k, 19, 'c');
    expect(none).toEqual([]);
    expect(throttleProgress(undefined)).toBeUndefined();
  });
});
