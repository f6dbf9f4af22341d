import { describe, expect, it } from 'vitest';
import { SliceDataError, validateSlice } from './schemas';
import { UndoManager } from './undo';
import { allSlices } from './persisted';
import { effectiveRoads, network, segmentAt } from './network.svelte';
import type { Dataset, RoadFeature } from '../domain/types';
import { checkNetwork } from '../analysis/netcheck';
import type { RoadLike } from '../analysis/walkgraph';

const link = { id: 'L1', kind: 'bridge', coords: [[121.53, 29.9], [121.531, 29.9]] };

describe('the network slice (慢行系统)', () => {
  it('a saved plan reads back; a bad one is refused with where and why', () => {
    const good = { version: 1, links: [link], closures: [{ id: 'C1', a: [121.53, 29.9], b: [121.531, 29.901] }], fixes: [] };
    expect(validateSlice('network', good)).toEqual(good);
    const bad = (x: unknown) => {
      try {
        validateSlice('network', x);
      } catch (e) {
        return e instanceof SliceDataError ? e.message : String(e);
      }
      return 'accepted';
    };
    expect(bad({ ...good, links: [{ ...link, kind: 'tunnel' }] })).toMatch(/^network\.links\.0\.kind: /);
    expect(bad({ ...good, links: [{ ...link, coords: [[121.53, 29.9]] }] })).toMatch(/^network\.links\.0\.coords/);
    expect(bad({ ...good, closures: [{ id: 'C1', a: [500, 29.9], b: [121.531, 29.901] }] })).toMatch(/^network\.closures\.0\.a/);
  });

  it('adding a link, closing a segment and fixing a near-miss are undo steps', () => {
    network.restore(undefined);
    const u = new UndoManager(() => allSlices().filter((s) => s.key === 'network'));
    u.reset();
    network.addLink('footpath', [
      [121.53, 29.9],
      [121.531, 29.9],
    ]);
    u.record('link');
    network.addClosure([121.53, 29.9], [121.531, 29.901]);
    u.record('close');
    expect(network.links.map((l) => l.id)).toEqual(['L1']);
    expect(network.closures.map((c) => c.id)).toEqual(['C1']);
    u.undo();
    expect(network.closures).toEqual([]);
    u.undo();
    expect(network.links).toEqual([]);
    u.redo();
    expect(network.links.map((l) => l.kind)).toEqual(['footpath']);
  });

  it('a near-miss fix joins the loose end to the other line in the roads the analysis uses', () => {
    network.restore(undefined);
    const road = (id: string, coordinates: number[][], highway = 'residential'): RoadFeature =>
      ({ type: 'Feature', properties: { id, name: id, highway, bridge: false, synthetic: false, source: 'test' }, geometry: { type: 'LineString', coordinates } }) as RoadFeature;
    const roads = [road('S', [[121.5, 29.95], [121.504, 29.95]]), road('P', [[121.502, 29.952], [121.502, 29.95 + 2 / 110900]], 'footway')];
    const ds = { roads } as unknown as Dataset;
    const before = checkNetwork(effectiveRoads(ds) as unknown as RoadLike[]);
    expect(before.nearMisses).toHaveLength(1);
    expect(before.parts).toHaveLength(2);
    network.fix(before.nearMisses[0]);
    const after = checkNetwork(effectiveRoads(ds) as unknown as RoadLike[]);
    expect(after.nearMisses).toEqual([]);
    expect(after.parts).toHaveLength(1);
    // the dataset itself is not changed: the fix is a layer over it (undo drops it)
    expect(roads[1].geometry.coordinates).toHaveLength(2);
    // clicking near the street picks its segment; far from any road, nothing
    expect(segmentAt(roads, 121.501, 29.95005, 30)?.road).toBe('S');
    expect(segmentAt(roads, 121.6, 29.99, 30)).toBeNull();
  });
});
