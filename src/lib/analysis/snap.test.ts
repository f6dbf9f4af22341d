import { describe, expect, it } from 'vitest';
import { buildWalkGraph, type RoadLike } from './walkgraph';
import { snapLonLat, SnapTable, type Snap } from './snap';

const road = (id: string, coords: [number, number][]): RoadLike => ({ type: 'Feature', geometry: { type: 'LineString', coordinates: coords }, properties: { id, highway: 'residential' } });

describe('SnapTable: the coverage cache keeps facility snaps in typed arrays', () => {
  const g = buildWalkGraph([road('a', [[121.55, 29.89], [121.56, 29.89], [121.56, 29.9]]), road('b', [[121.55, 29.9], [121.555, 29.895]])]);
  const points: [number, number][] = [[121.552, 29.8903], [121.5598, 29.897], [121.554, 29.896], [122.5, 30.5]];
  const snaps = points.map(([lon, lat]) => snapLonLat(g, lon, lat));

  it('gives back every snap it was given, number for number; null for a point with no street within reach', () => {
    expect(snaps[3]).toBeNull();
    const t = new SnapTable(points.length);
    snaps.forEach((s, i) => t.set(i, s));
    snaps.forEach((s, i) => {
      const got = t.at(i);
      if (!s) return expect(got).toBeNull();
      const fields: (keyof Snap)[] = ['edge', 'toA', 'toB', 'snapDist', 'x', 'y', 'sx', 'sy'];
      expect(Object.fromEntries(fields.map((k) => [k, got![k]]))).toEqual(Object.fromEntries(fields.map((k) => [k, s[k]])));
    });
  });

  it('tells a point not snapped yet from one with no street within reach', () => {
    const t = new SnapTable(2);
    expect(t.snapped(0)).toBe(false);
    t.set(0, null);
    expect(t.snapped(0)).toBe(true);
    expect(t.at(0)).toBeNull();
    expect(t.snapped(1)).toBe(false);
  });
});
