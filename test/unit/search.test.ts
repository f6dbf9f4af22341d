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

describe('search by 街道 and 社区 (issue 10)', () => {
  const withAreas = Object.freeze({
    ...dataset,
    communities: [
      { type: 'Feature', geometry: square(121.55, 29.9), properties: { ...base, id: 'C1', name: '孔浦一村', street: '孔浦街道', committee: '怡江社区' } },
      { type: 'Feature', geometry: square(121.56, 29.91), properties: { ...base, id: 'C2', name: '白杨小区', street: '孔浦街道', committee: '白杨社区' } },
      { type: 'Feature', geometry: square(121.6, 29.95), properties: { ...base, id: 'C3', name: '槐树小区', street: '文教街道', committee: '怡江社区' } },
    ],
  }) as unknown as Dataset;

  test('a 街道 name finds the sub-district with its communities and their extent', () => {
    const h = search(withAreas, '孔浦街道')[0];
    expect(h).toMatchObject({ kind: 'street', name: '孔浦街道', members: ['C1', 'C2'] });
    expect(h.bbox).toEqual([121.55, 29.9, 121.561, 29.911]);
  });
  test('a 社区 name (or its pinyin) finds the committee with its communities', () => {
    expect(search(withAreas, '怡江社区')[0]).toMatchObject({ kind: 'committee', members: ['C1', 'C3'] });
    expect(search(withAreas, 'yjsq')[0]).toMatchObject({ kind: 'committee', name: '怡江社区' });
  });
  test('the English name of a 街道 finds it too', () => {
    expect(search(withAreas, 'Kongpu').find((h) => h.kind === 'street')).toMatchObject({ name: '孔浦街道' });
  });
});
