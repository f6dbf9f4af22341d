import { describe, expect, it } from 'vitest';
import type { Feature } from 'geojson';
import { barrierStyle, community, deepFreeze, expectedOutput, FIXTURE_COLOURS, loadFixtures, type Fixture } from '../../../test/fixtures/bundle/harness';
import { buildAdjacency } from './adjacency';
import { assignmentOf, generateBundles, resolveBundleOptions, type BundlePlan } from './bundle';

function plan(fx: Fixture, extra: Record<string, unknown> = {}): BundlePlan {
  const { maxGapM, gaps, ...opts } = { ...fx.params, ...extra } as Record<string, any>;
  const adj = buildAdjacency(fx.communities, { maxGapM, barriers: fx.barriers });
  return generateBundles(fx.communities, adj, { ...opts, gaps });
}

function render(fx: Fixture, p: BundlePlan) {
  const asg = assignmentOf(p);
  const colour = new Map(p.bundles.map((b, i) => [b.id, FIXTURE_COLOURS[i % FIXTURE_COLOURS.length]]));
  const feats: Feature[] = [
    ...fx.communities.map((c) => {
      const b = asg[c.properties.id];
      return {
        type: 'Feature' as const,
        geometry: c.geometry,
        properties: {
          id: c.properties.id,
          street: c.properties.street,
          households: c.properties.households,
          bundle: b,
          fill: b ? colour.get(b)! : '#ffffff',
          'fill-opacity': 0.7,
          stroke: '#333333',
        },
      };
    }),
    ...fx.barriers.map(barrierStyle),
  ];
  return JSON.parse(JSON.stringify({ type: 'FeatureCollection', properties: fx.params, features: feats }));
}

const groups = (p: BundlePlan) => p.bundles.map((b) => b.members.join('+'));

describe('bundle fixtures', () => {
  for (const fx of loadFixtures('bundle')) {
    it(fx.name, () => {
      const out = render(fx, plan(fx));
      expect(out).toEqual(expectedOutput('bundle', `${fx.name}.geojson`, out));
    });
  }
});

describe('bundle behaviour', () => {
  const fx = Object.fromEntries(loadFixtures('bundle').map((f) => [f.name, f]));

  it('never joins communities across a river', () => {
    const p = plan(fx['river-split']);
    expect(groups(p)).toEqual(['A1+A2', 'B1+B2']);
  });

  it('cuts a chain where the next member would exceed the size limit', () => {
    const p = plan(fx['chain-size-limit']);
    expect(groups(p)).toEqual(['C1+C2', 'C3+C4']);
    expect(p.unbundled).toEqual(['C5']);
    for (const b of p.bundles) expect(b.members.length * 400).toBeLessThanOrEqual(1000);
    // without the limit the chain becomes one bundle (5 ≤ 6 communities, span ≤ 1000 m)
    expect(groups(plan(fx['chain-size-limit'], { maxSize: undefined }))).toEqual(['C1+C2+C3+C4+C5']);
  });

  it('leaves a community with no neighbour within the gap unbundled', () => {
    const p = plan(fx['isolated']);
    expect(groups(p)).toEqual(['A+B']);
    expect(p.unbundled).toEqual(['Z']);
    expect(assignmentOf(p)).toEqual({ A: 'B01', B: 'B01', Z: null });
  });

  it('keeps bundles inside one 街道 when the street constraint is on, and mixes them when off', () => {
    expect(groups(plan(fx['streets-on']))).toEqual(['K1+K2', 'W1+W2']);
    expect(groups(plan(fx['streets-off']))).toEqual(['K1+K2+W1+W2']);
  });

  it('prefers joining communities that lack the same facilities', () => {
    // M is as close to A as to C; A shares M's gaps, C does not
    expect(groups(plan(fx['shared-gaps']))).toEqual(['A+M']);
    expect(groups(plan(fx['shared-gaps'], { gaps: { A: ['park'], M: ['kindergarten'], C: ['kindergarten'] } }))).toEqual(['C+M']);
  });

  it('dissolves groups below the minimum size into neighbours, else leaves them unbundled (max-p enclaves)', () => {
    const p = plan(fx['min-size-enclave']);
    expect(groups(p)).toEqual(['E1+E2', 'F1+F2']);
    expect(p.unbundled).toEqual(['E3']);
  });

  it('respects the maximum number of communities', () => {
    const p = plan(fx['chain-size-limit'], { maxSize: undefined, maxCommunities: 3 });
    for (const b of p.bundles) expect(b.members.length).toBeLessThanOrEqual(3);
    expect(p.bundles.flatMap((b) => b.members).length + p.unbundled.length).toBe(5);
  });

  it('keeps the same batch year when asked', () => {
    const cs = deepFreeze([
      community({ id: 'P', batch_year: 2020 }, sq(0)),
      community({ id: 'Q', batch_year: 2020 }, sq(250)),
      community({ id: 'R', batch_year: 2021 }, sq(500)),
      community({ id: 'S', batch_year: 2021 }, sq(750)),
    ]);
    const adj = buildAdjacency(cs);
    expect(groups(generateBundles(cs, adj, { sameBatchYear: true }))).toEqual(['P+Q', 'R+S']);
    expect(groups(generateBundles(cs, adj, { sameBatchYear: false }))).toEqual(['P+Q+R+S']);
  });

  it('is deterministic and does not mutate its inputs', () => {
    const f = fx['chain-size-limit'];
    const cs = deepFreeze(structuredClone(f.communities));
    const adj = deepFreeze(buildAdjacency(cs));
    const a = generateBundles(cs, adj, { maxSize: 1000 });
    const b = generateBundles(cs, adj, { maxSize: 1000 });
    expect(a).toEqual(b);
  });

  it('refuses an adjacency from another list, and contradictory limits', () => {
    const f = fx['isolated'];
    const adj = buildAdjacency(f.communities);
    expect(() => generateBundles(f.communities.slice(1), adj)).toThrow(/different community list/);
    expect(() => resolveBundleOptions({ minSize: 2000, maxSize: 1000 })).toThrow(/min size \(2000\) is larger than max size \(1000\)/);
    expect(() => resolveBundleOptions({ maxCommunities: 1 })).toThrow(/max communities/);
  });

  it('bounds investment when the size measure is investment', () => {
    const f = fx['chain-size-limit'];
    // each fixture community: 40,000 m² × 324.5 CNY/m² = 12.98 million CNY
    const p = plan(f, { maxSize: undefined, sizeMeasure: 'investment' });
    expect(p.bundles).toHaveLength(1);
    const q = plan(f, { maxSize: 30e6, sizeMeasure: 'investment' });
    expect(groups(q)).toEqual(['C1+C2', 'C3+C4']);
  });
});

function sq(x: number) {
  const k = 1 / 96_000;
  const y = 1 / 111_195;
  return {
    type: 'Polygon' as const,
    coordinates: [
      [
        [121.55 + x * k, 29.89],
        [121.55 + (x + 200) * k, 29.89],
        [121.55 + (x + 200) * k, 29.89 + 200 * y],
        [121.55 + x * k, 29.89 + 200 * y],
        [121.55 + x * k, 29.89],
      ],
    ],
  };
}
