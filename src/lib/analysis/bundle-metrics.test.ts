import { describe, expect, it } from 'vitest';
import { deepFreeze, loadFixtures } from '../../../test/fixtures/bundle/harness';
import { buildAdjacency } from './adjacency';
import { generateBundles } from './bundle';
import { bundleMetrics, checkBundle, metricsContext, summarisePlan } from './bundle-metrics';

const fx = Object.fromEntries(loadFixtures('bundle').map((f) => [f.name, f]));

describe('bundle metrics', () => {
  it('sums households, buildings, floor area and costs the bundle as one project', () => {
    const f = fx['chain-size-limit'];
    const adj = buildAdjacency(f.communities);
    const ctx = metricsContext(f.communities, adj, { maxSize: 1000 });
    const m = bundleMetrics({ id: 'B01', members: ['C1', 'C2'] }, ctx, 0.5);
    expect(m).toMatchObject({ communities: 2, households: 800, buildings: 20, floorAreaM2: 80_000, residents: 2400, size: 800, compactness: 0.5 });
    expect(m.funding.baseCny).toBe(80_000 * 324.5);
    expect(m.funding.owners.meetsMinimum).toBe(true);
    expect(m.violations).toEqual([]);
    expect(m.spanM).toBe(250);
  });

  it('names the facilities every member lacks and those any member lacks', () => {
    const f = fx['shared-gaps'];
    const adj = buildAdjacency(f.communities);
    const ctx = metricsContext(f.communities, adj, {}, { gaps: f.params.gaps });
    const m = bundleMetrics({ id: 'B01', members: ['A', 'M', 'C'] }, ctx);
    expect(m.lackingAll).toEqual([]);
    expect(m.lackingAny).toEqual(['elderly_daycare', 'kindergarten', 'park']);
    expect(bundleMetrics({ id: 'B02', members: ['A', 'M'] }, ctx).lackingAll).toEqual(['elderly_daycare', 'park']);
  });
});

describe('constraint warnings after edits', () => {
  it('says which constraint an edit breaks and by how much', () => {
    const f = fx['chain-size-limit'];
    const adj = buildAdjacency(f.communities, { maxGapM: 200 }); // C2–C4 are 300 m apart
    const ctx = metricsContext(f.communities, adj, { maxSize: 1000, maxCommunities: 3 });
    const v = checkBundle(['C1', 'C2', 'C4', 'C5'], ctx);
    const kinds = v.map((x) => x.kind).sort();
    expect(kinds).toEqual(['contiguity', 'max-communities', 'max-size']);
    expect(v.find((x) => x.kind === 'max-size')).toMatchObject({ limit: 1000, value: 1600, by: 600, measure: 'households' });
    expect(v.find((x) => x.kind === 'max-communities')).toMatchObject({ limit: 3, value: 4, by: 1 });
    expect(v.find((x) => x.kind === 'contiguity')!.parts).toEqual([
      ['C1', 'C2'],
      ['C4', 'C5'],
    ]);
  });

  it('flags mixing 街道 only when the street constraint is on', () => {
    const f = fx['streets-on'];
    const adj = buildAdjacency(f.communities);
    expect(checkBundle(['K1', 'W1'], metricsContext(f.communities, adj, { sameStreet: true }))).toEqual([
      { kind: 'street', values: ['孔浦街道', '文教街道'] },
    ]);
    expect(checkBundle(['K1', 'W1'], metricsContext(f.communities, adj, { sameStreet: false }))).toEqual([]);
  });

  it('flags a bundle below the minimum size and a bundle of one', () => {
    const f = fx['min-size-enclave'];
    const adj = buildAdjacency(f.communities);
    const ctx = metricsContext(f.communities, adj, { minSize: 700 });
    expect(checkBundle(['E3'], ctx).map((x) => x.kind)).toEqual(['min-communities', 'min-size']);
    expect(checkBundle(['E3'], ctx)[1]).toMatchObject({ limit: 700, value: 300, by: 400 });
  });

  it('flags owners contributing less than 5% of the total', () => {
    const f = fx['isolated'];
    const cs = deepFreeze(f.communities.map((c) => ({ ...c, properties: { ...c.properties, owner_contribution_share: 0.03 } })));
    const adj = buildAdjacency(cs);
    const m = bundleMetrics({ id: 'B01', members: ['A', 'B'] }, metricsContext(cs, adj));
    expect(m.violations.map((v) => v.kind)).toEqual(['owners-minimum']);
  });
});

describe('plan summary for scenario comparison', () => {
  it('counts bundles, sizes, compactness and violations', () => {
    const f = fx['chain-size-limit'];
    const adj = buildAdjacency(f.communities);
    const plan = generateBundles(f.communities, adj, { maxSize: 1000 });
    const ctx = metricsContext(f.communities, adj, plan.options);
    const ms = plan.bundles.map((b, i) => bundleMetrics(b, ctx, i === 0 ? 0.4 : 0.6));
    const s = summarisePlan(ms, f.communities.length);
    expect(s).toMatchObject({
      bundles: 2,
      bundledCommunities: 4,
      unbundledCommunities: 1,
      meanCommunities: 2,
      households: { min: 800, mean: 800, max: 800 },
      meanCompactness: 0.5,
      bundlesWithViolations: 0,
    });
    expect(s.funding.totalCny).toBe(ms[0].funding.totalCny + ms[1].funding.totalCny);
  });
});

describe('bundle colours', () => {
  it('gives neighbouring bundles different colours', async () => {
    const { colourBundles } = await import('./bundle-metrics');
    const f = fx['streets-on'];
    const adj = buildAdjacency(f.communities);
    const c = colourBundles(
      [
        { id: 'B01', members: ['K1', 'K2'] },
        { id: 'B02', members: ['W1', 'W2'] },
      ],
      adj,
      12,
    );
    expect(c.B01).not.toBe(c.B02);
    // far apart bundles are not constrained; the colours spread over the palette (each a valid index)
    const g = fx['isolated'];
    const adj2 = buildAdjacency(g.communities);
    const c2 = colourBundles([{ id: 'B01', members: ['A', 'B'] }, { id: 'B02', members: ['Z'] }], adj2, 12);
    expect(Object.values(c2).every((i) => i >= 0 && i < 12)).toBe(true);
  });
});
