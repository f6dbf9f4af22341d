import { describe, expect, test } from 'vitest';
import { scoreName, search } from '../../src/lib/panels/searchIndex';
import type { Dataset } from '../../src/lib/domain/types';

const square = (x: number, y: number) => ({
  type: 'Polygon' as const,
  coordinates: [[[x, y], [x + 0.001, y], [x + 0.001, y + 0.001], [x, y + 0.001], [x, y]]],
});
const base = { synthetic: true, source: 'test' };
const dataset = Object.freeze({
  communities: [
    { type: 'Feature', geometry: square(121.55, 29.9), properties: { ...base, id: 'C1', name: '孔浦一村' } },
    { type: 'Feature', geometry: square(121.56, 29.91), properties: { ...base, id: 'C2', name: '白杨小区' } },
  ],
  facilities: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [121.5, 29.9] }, properties: { ...base, id: 'F1', name: '孔浦菜场', category: 'wet_market', osm_id: null } }],
  metro: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [121.54, 29.9] }, properties: { ...base, id: 'M1', name: '孔浦', lines: ['2号线'] } }],
  gates: [],
  roads: [],
  barriers: [],
  districts: [],
}) as unknown as Dataset;

describe('search', () => {
  test('exact Chinese name ranks first, then prefix matches', () => {
    const hits = search(dataset, '孔浦');
    expect(hits[0]).toMatchObject({ kind: 'metro', name: '孔浦' });
    expect(hits.map((h) => h.name)).toEqual(['孔浦', '孔浦一村', '孔浦菜场']);
  });
  test('full pinyin and initials find Chinese names', () => {
    expect(search(dataset, 'baiyang').map((h) => h.id)).toEqual(['C2']);
    expect(search(dataset, 'kpyc').map((h) => h.id)).toEqual(['C1']);
  });
  test('a community hit carries its bounds for fly-to', () => {
    const [hit] = search(dataset, '白杨小区');
    expect(hit.bbox).toEqual([121.56, 29.91, 121.561, 29.911]);
  });
  test('nothing matches an empty or unrelated query', () => {
    expect(search(dataset, '  ')).toEqual([]);
    expect(scoreName('孔浦一村', 'zzzz')).toBe(0);
  });
});
