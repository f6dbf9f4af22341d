import { describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection } from 'geojson';
import { DEFAULT_PARAMS, STANDARDS, type Standard, type StandardId } from '../domain/standards';
import { buildWalkGraph, type RoadLike } from './walkgraph';
import {
  assembleCoverage,
  computeCoverage,
  coverageLayout,
  coverageTables,
  coverageCsv,
  coverageRoute,
  diffCoverage,
  prepareCoverage,
  type CommunityInput,
  type CoverageMode,
  type FacilityInput,
  type GateInput,
} from './coverage';
import { byRole, deepFreeze, expectedFor, fixtureCases, type FixtureCase } from './fixtures.testutil';

function load(c: FixtureCase) {
  const std = STANDARDS[(c.params.standard as StandardId) ?? 'gb50180'];
  const cats = c.params.categories as string[] | undefined;
  const standard: Standard = cats ? { ...std, rules: std.rules.filter((r) => cats.includes(r.category)) } : std;
  const roads = byRole<RoadLike>(c.input, 'road');
  const communities = byRole<CommunityInput>(c.input, 'community');
  const gates = byRole<GateInput>(c.input, 'gate');
  const facilities = byRole<FacilityInput>(c.input, 'facility');
  const graph = roads.length > 0 ? buildWalkGraph(roads) : null;
  const ctx = prepareCoverage(communities, gates, graph);
  return { standard, roads, communities, gates, facilities, graph, ctx };
}

function run(c: FixtureCase, mode: CoverageMode = 'network') {
  const l = load(c);
  return { ...l, result: computeCoverage(l.ctx, l.facilities, l.standard, DEFAULT_PARAMS, { mode }) };
}

describe('coverage fixtures', () => {
  for (const c of fixtureCases('coverage')) {
    it(c.name, () => {
      const net = run(c, 'network');
      const buf = run(c, 'buffer');
      const features: Feature[] = [];
      net.result.communities.forEach((cc, i) => {
        const props: Record<string, unknown> = {
          id: cc.id,
          complete: cc.complete,
          lacking: cc.lacking.join(' '),
          fill: cc.complete ? '#1a9850' : '#d73027',
          'fill-opacity': 0.4,
        };
        cc.byCategory.forEach((b, k) => {
          props[`network:${b.category}`] = b.distance;
          props[`network:${b.category}:met`] = b.met;
          props[`network:${b.category}:facility`] = b.facilityId;
          const bb = buf.result.communities[i].byCategory[k];
          props[`buffer:${b.category}`] = bb.distance;
          props[`buffer:${b.category}:met`] = bb.met;
        });
        features.push({ type: 'Feature', properties: props, geometry: net.communities[i].geometry });
        for (const b of cc.byCategory) {
          const r = coverageRoute(net.ctx, net.facilities, cc.id, b.category);
          if (r) features.push({ ...r, properties: { ...r.properties, met: b.met, stroke: b.met ? '#1a9850' : '#d73027', 'stroke-width': 3 } });
        }
      });
      const out = { type: 'FeatureCollection', properties: { network: net.result.figures, buffer: buf.result.figures, warnings: net.result.warnings }, features } as FeatureCollection;
      const { actual, expected } = expectedFor(c, out);
      expect(actual).toEqual(expected);
    });
  }
});

const cases = Object.fromEntries(fixtureCases('coverage').map((c) => [c.name, c]));
const cat = (r: ReturnType<typeof run>['result'], id: string, category: string) =>
  r.communities.find((c) => c.id === id)!.byCategory.find((b) => b.category === category)!;

describe('computeCoverage', () => {
  it('counts a facility exactly at the threshold as met, and 1 m beyond as not met', () => {
    const { result } = run(cases['threshold-exact']);
    expect(cat(result, 'c1', 'kindergarten')).toMatchObject({ distance: 300, threshold: 300, met: true, facilityId: 'k-300m' });
    expect(cat(result, 'c1', 'elderly_daycare')).toMatchObject({ distance: 301, met: false });
  });

  it('adds the snap distance of a facility that stands off the road', () => {
    const { result } = run(cases['threshold-exact']);
    expect(cat(result, 'c1', 'community_service').distance).toBeCloseTo(10, 1);
  });

  it('fails a community across a river that straight-line buffers call covered', () => {
    const net = run(cases['river-long-block'], 'network').result;
    const buf = run(cases['river-long-block'], 'buffer').result;
    expect(cat(buf, 'north-c', 'wet_market')).toMatchObject({ met: true });
    expect(cat(buf, 'north-c', 'wet_market').distance).toBeCloseTo(120, 0);
    // round the long block over the bridge; the motorway straight across is not walkable
    expect(cat(net, 'north-c', 'wet_market').distance).toBeCloseTo(800 + 120 + 800, 0);
    expect(cat(net, 'north-c', 'wet_market').met).toBe(false);
  });

  it('reports no distance for a community on a disconnected network component', () => {
    const net = run(cases['disconnected']).result;
    expect(cat(net, 'on-island', 'primary_school')).toMatchObject({ distance: null, met: false, facilityId: null });
    expect(cat(net, 'on-main', 'primary_school').met).toBe(true);
    // the straight-line estimate would call it reachable: that is why the network matters
    const straight = run(cases['disconnected'], 'straight').result;
    expect(cat(straight, 'on-island', 'primary_school').distance).not.toBeNull();
  });

  it('marks every community as lacking a category that has no facility at all', () => {
    const { result } = run(cases['empty-category']);
    const c1 = result.communities[0];
    expect(c1.lacking).toHaveLength(result.rules.filter((r) => r.mandatory).length - 1);
    expect(c1.lacking).not.toContain('kindergarten');
    expect(cat(result, 'c1', 'nursery')).toMatchObject({ distance: null, met: false });
    expect(result.warnings.some((w) => w.includes('"nursery"'))).toBe(true);
    expect(result.figures.completeCommunities).toBe(0);
  });

  it('uses the best gate, counts facilities beyond the district edge, and falls back to the centroid without gates', () => {
    const { result } = run(cases['district-edge']);
    const edge = cat(result, 'edge-c', 'kindergarten');
    expect(edge.originId).toBe('edge-c-east');
    expect(edge.distance).toBeCloseTo(15 + 210, 0);
    expect(edge.met).toBe(true);
    const ng = result.communities.find((c) => c.id === 'no-gates')!;
    expect(ng.originKind).toBe('centroid');
    expect(cat(result, 'no-gates', 'kindergarten').distance).toBeCloseTo(40 + 650, 0);
  });

  it('weights district figures by residents', () => {
    const { result } = run(cases['district-edge']);
    const f = result.figures.perCategory[0];
    expect(f.communitiesMet).toBe(1);
    expect(f.communityShare).toBeCloseTo(0.5);
    expect(f.residentShare).toBeCloseTo(1000 / 4000);
    expect(result.figures.residentsComplete).toBe(1000);
  });

  it('falls back to straight line × detour factor without roads, and says so', () => {
    const c = cases['river-long-block'];
    const l = load(c);
    const ctx = prepareCoverage(l.communities, l.gates, null);
    const r = computeCoverage(ctx, l.facilities, l.standard, DEFAULT_PARAMS);
    expect(r.fallback).toBe(true);
    expect(r.mode).toBe('straight');
    expect(r.warnings.join(' ')).toMatch(/no road network/);
    expect(cat(r, 'north-c', 'wet_market').distance).toBeCloseTo(120 * 1.3, 0);
  });

  it('respects edited tier distances', () => {
    const l = load(cases['threshold-exact']);
    const r = computeCoverage(l.ctx, l.facilities, l.standard, { ...DEFAULT_PARAMS, tierDistanceM: { 5: 250, 10: 500, 15: 1000 } });
    expect(cat(r, 'c1', 'kindergarten')).toMatchObject({ threshold: 250, met: false });
  });

  it('shows the effect of a proposed facility as a before → after difference', () => {
    const l = load(cases['river-long-block']);
    const before = computeCoverage(l.ctx, l.facilities, l.standard, DEFAULT_PARAMS);
    const proposal = deepFreeze({
      type: 'Feature' as const,
      properties: { id: 'p1', category: 'wet_market', proposed: true },
      geometry: { type: 'Point' as const, coordinates: l.gates[0].geometry.coordinates.map((v, i) => v + (i === 0 ? 0.002 : 0)) },
    });
    const after = computeCoverage(l.ctx, [...l.facilities, proposal], l.standard, DEFAULT_PARAMS);
    const d = diffCoverage(before, after);
    expect(d.perCategory.find((p) => p.category === 'wet_market')!.residentsMet).toBe(3000);
    expect(d.changed).toEqual([expect.objectContaining({ id: 'north-c', category: 'wet_market', met: true })]);
  });

  it('keeps the objects of what an edit did not change, and assembles the same result as from scratch', () => {
    // a school proposed on the island: only the island's community gains it (the main one has one already)
    const l = load(cases['disconnected']);
    const gate = l.gates.find((g) => g.properties.community_id === 'on-island')!;
    const proposal = deepFreeze({
      type: 'Feature' as const,
      properties: { id: 'p1', category: 'primary_school', proposed: true },
      geometry: { type: 'Point' as const, coordinates: gate.geometry.coordinates },
    });
    const layout = coverageLayout(l.ctx);
    const facs = [...l.facilities, proposal];
    const id = (i: number) => facs[i].properties.id;
    const before = assembleCoverage(layout, coverageTables(l.ctx, l.facilities, l.standard, DEFAULT_PARAMS), id);
    const afterTables = coverageTables(l.ctx, facs, l.standard, DEFAULT_PARAMS);
    const after = assembleCoverage(layout, afterTables, id, before);
    expect(after).toEqual(assembleCoverage(layout, afterTables, id));
    expect(after.communities.length).toBeGreaterThan(1);
    for (const [i, c] of after.communities.entries()) {
      if (c.id !== 'on-island') expect(c).toBe(before.communities[i]);
      else {
        expect(c).not.toBe(before.communities[i]);
        c.byCategory.forEach((b, k) => (b.category === 'primary_school' ? expect(b).not.toBe(before.communities[i].byCategory[k]) : expect(b).toBe(before.communities[i].byCategory[k])));
      }
    }
    // other tiers: nothing is shared (each entry carries its threshold)
    const tighter = { ...DEFAULT_PARAMS, tierDistanceM: { 5: 250, 10: 450, 15: 900 } };
    const other = assembleCoverage(layout, coverageTables(l.ctx, facs, l.standard, tighter), id, after);
    expect(other.communities.some((c, i) => c === after.communities[i])).toBe(false);
  });

  it('draws the walking route over the bridge, ending at the facility', () => {
    const l = load(cases['river-long-block']);
    const r = coverageRoute(l.ctx, l.facilities, 'north-c', 'wet_market')!;
    expect(r.properties.distance_m).toBeCloseTo(1720, 0);
    expect(r.geometry.coordinates.at(-1)).toEqual(l.facilities[0].geometry.coordinates);
    // passes the bridge at x = 800 m east of the gate
    const xs = r.geometry.coordinates.map((p) => p[0]);
    expect(Math.max(...xs)).toBeGreaterThan(l.gates[0].geometry.coordinates[0] + 0.008);
  });

  it('writes the documented CSV columns, empty distance when unreachable', () => {
    const { result } = run(cases['disconnected']);
    const lines = coverageCsv(result).trim().split('\n');
    expect(lines[0]).toBe('community_id,category,distance_m,threshold_m,met,nearest_facility_id');
    expect(lines).toContain('on-island,primary_school,,500,false,');
  });
});
