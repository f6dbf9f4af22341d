import { describe, expect, it } from 'vitest';
import { expectedOutput, loadFixtures, type Fixture } from '../../../test/fixtures/bundle/harness';
import { buildAdjacency } from './adjacency';
import { generateBundles } from './bundle';
import { metricsContext } from './bundle-metrics';
import { unbundledReasons, type UnbundledReason } from './unbundled';
import { bundleNames, shortCommunityName, shortStreetName } from './bundle-names';

const fx = Object.fromEntries(loadFixtures('unbundled').map((f) => [f.name, f]));

function run(f: Fixture): { plan: { bundles: { id: string; members: string[] }[]; unbundled: string[] }; reasons: Record<string, UnbundledReason> } {
  const { maxGapM, gaps, plan: given, ...opts } = f.params;
  const adj = buildAdjacency(f.communities, { maxGapM, barriers: f.barriers });
  const plan = given ?? generateBundles(f.communities, adj, { ...opts, gaps });
  const ctx = metricsContext(f.communities, adj, opts);
  return { plan: { bundles: plan.bundles, unbundled: plan.unbundled }, reasons: unbundledReasons(plan, ctx) };
}

describe('why a community is in no bundle (fixtures: test/fixtures/unbundled)', () => {
  for (const f of Object.values(fx))
    it(`${f.name}: matches the expected reasons`, () => {
      const got = run(f);
      expect(got).toEqual(expectedOutput('unbundled', `${f.name}.json`, got));
    });

  it('no neighbour within the gap limit', () => {
    expect(run(fx['isolated']).reasons).toEqual({ Z: { kind: 'isolated', maxGapM: 300 } });
  });

  it('the only close community is across the river', () => {
    const r = run(fx['river-one-side']).reasons;
    expect(r.B1).toMatchObject({ kind: 'barrier', barrierKinds: ['river'] });
    expect((r.B1 as { neighbours: string[] }).neighbours.length).toBeGreaterThan(0);
  });

  it('neighbours only in another 街道 while bundles stay in one', () => {
    expect(run(fx['street-alone']).reasons.W1).toEqual({ kind: 'street', maxGapM: 300, neighbours: ['K1', 'K2'], streets: ['孔浦街道'] });
  });

  it('joining the neighbouring bundle would exceed the size limit', () => {
    const { plan, reasons } = run(fx['size-limit']);
    expect(plan.unbundled.length).toBeGreaterThan(0);
    for (const id of plan.unbundled) {
      const r = reasons[id];
      expect(r.kind).toBe('limit');
      if (r.kind === 'limit') expect(r.violation).toMatchObject({ kind: 'max-size', limit: 1000 });
    }
  });

  it('a community that could join is "left out", naming whom it could join', () => {
    expect(run(fx['left-out']).reasons).toEqual({
      A: { kind: 'left-out', bundle: null, with: ['B'] },
      B: { kind: 'left-out', bundle: null, with: ['A'] },
      Z: { kind: 'isolated', maxGapM: 300 },
    });
  });
});

describe('bundle names for people', () => {
  const recs: Record<string, { name: string; street: string; households: number }> = {
    C1: { name: '孔浦一村', street: '孔浦街道', households: 400 },
    C2: { name: '怡江小区', street: '孔浦街道', households: 900 },
    C3: { name: '慈湖人家', street: '慈城镇', households: 300 },
  };
  const words = { street: shortStreetName, format: (s: string, m: string) => `${s}·${m}片区` };

  it('takes the 街道 and the member with the most households, never the id', () => {
    const n = bundleNames(
      [
        { id: 'B01', members: ['C1', 'C2'] },
        { id: 'B02', members: ['C3'] },
      ],
      (id) => recs[id],
      words,
    );
    expect(n).toEqual({ B01: '孔浦·怡江片区', B02: '慈城·慈湖人家片区' });
  });

  it('tells two bundles with the same name apart', () => {
    const same = { A: { name: '新村', street: '孔浦街道', households: 1 }, B: { name: '新村', street: '孔浦街道', households: 1 } } as Record<string, { name: string; street: string; households: number }>;
    const n = bundleNames([{ id: 'B01', members: ['A'] }, { id: 'B02', members: ['B'] }], (id) => same[id], words);
    expect(new Set(Object.values(n)).size).toBe(2);
  });

  it('short forms keep names that are only the suffix', () => {
    expect(shortCommunityName('小区')).toBe('小区');
    expect(shortStreetName('慈城镇')).toBe('慈城');
  });
});
