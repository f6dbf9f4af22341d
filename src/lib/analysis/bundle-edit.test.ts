import { describe, expect, it } from 'vitest';
import { deepFreeze, loadFixtures } from '../../../test/fixtures/bundle/harness';
import { buildAdjacency, projectCommunities } from './adjacency';
import { generateBundles, type BundlePlan } from './bundle';
import { shapeCentroid } from './bundle-geom';
import { dissolveBundle, formBundle, mergeBundles, moveCommunity, nextBundleId, skaterCut, splitBundle } from './bundle-edit';

const fx = Object.fromEntries(loadFixtures('bundle').map((f) => [f.name, f]));
const chain = fx['chain-size-limit'];
const adj = buildAdjacency(chain.communities);
const { shapes } = projectCommunities(chain.communities);
const cent = new Map(chain.communities.map((c, i) => [c.properties.id, shapeCentroid(shapes[i])]));
const centroid = (id: string) => cent.get(id)!;
const base: BundlePlan = deepFreeze(generateBundles(chain.communities, adj, { maxSize: 1000 })); // C1+C2, C3+C4, C5 out

const groups = (p: { bundles: { id: string; members: string[] }[] }) => p.bundles.map((b) => `${b.id}:${b.members.join('+')}`);

describe('bundle edits', () => {
  it('moves a community to another bundle, out of any, or into a new one, without touching the input', () => {
    expect(groups(moveCommunity(base, 'C5', 'B02'))).toEqual(['B01:C1+C2', 'B02:C3+C4+C5']);
    const out = moveCommunity(base, 'C2', null);
    expect(groups(out)).toEqual(['B01:C1', 'B02:C3+C4']);
    expect(out.unbundled).toEqual(['C2', 'C5']);
    expect(groups(moveCommunity(base, 'C5', 'new'))).toEqual(['B01:C1+C2', 'B02:C3+C4', 'B03:C5']);
    expect(groups(base)).toEqual(['B01:C1+C2', 'B02:C3+C4']);
    expect(() => moveCommunity(base, 'C5', 'B99')).toThrow(/unknown bundle B99/);
  });

  it('drops a bundle emptied by a move', () => {
    const p = moveCommunity(moveCommunity(base, 'C1', 'B02'), 'C2', 'B02');
    expect(groups(p)).toEqual(['B02:C1+C2+C3+C4']);
    expect(nextBundleId(p)).toBe('B03');
  });

  it('forms a bundle from a lasso selection, taking members out of their bundles', () => {
    const p = formBundle(base, ['C4', 'C5']);
    expect(groups(p)).toEqual(['B01:C1+C2', 'B02:C3', 'B03:C4+C5']);
    expect(p.unbundled).toEqual([]);
  });

  it('merges and dissolves', () => {
    expect(groups(mergeBundles(base, 'B01', 'B02'))).toEqual(['B01:C1+C2+C3+C4']);
    const d = dissolveBundle(base, 'B01');
    expect(groups(d)).toEqual(['B02:C3+C4']);
    expect(d.unbundled).toEqual(['C1', 'C2', 'C5']);
  });

  it('splits a chain at its middle (SKATER cut: the most compact pair of contiguous halves)', () => {
    const all = formBundle({ bundles: [], unbundled: [] }, ['C1', 'C2', 'C3', 'C4']);
    expect(groups(splitBundle(all, 'B01', adj, centroid))).toEqual(['B01:C1+C2', 'B02:C3+C4']);
    // five in a row: a 2/3 split either way (equal cost), never 1/4
    const [a, b] = skaterCut(['C1', 'C2', 'C3', 'C4', 'C5'], adj, centroid);
    expect([a.length, b.length].sort()).toEqual([2, 3]);
    expect(a[0]).toBe('C1');
  });

  it('splits a non-contiguous bundle into its parts', () => {
    const far = buildAdjacency(chain.communities, { maxGapM: 40 }); // gaps are 50 m: nobody is a neighbour
    expect(skaterCut(['C1', 'C2'], far, centroid)).toEqual([['C1'], ['C2']]);
    expect(() => skaterCut(['C1'], adj, centroid)).toThrow(/at least two/);
  });
});
