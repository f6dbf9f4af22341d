/**
 * Mapping guesses on English/Chinese headers, unit detection, and the commit step: a NEW dataset, the
 * old one untouched (deep-frozen), refused while errors remain, replace/extend semantics, placing 未定位.
 */
import { describe, expect, it } from 'vitest';
import { commitImport, placeUnlocated } from './commit';
import { guessAreaUnit, guessKind, guessMapping, normaliseHeader, parseMapping } from './mapping';
import { sheetFromGrid } from './table';
import { stageSheet } from './stage';
import { circlePolygon } from './stage';
import type { CommunityFeature, Dataset, FacilityFeature, GateFeature } from '../../domain/types';
import type { Cell } from './types';

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

const sheet = (grid: Cell[][]) => sheetFromGrid('t.csv', grid);

function demo(): Dataset {
  const c = (id: string): CommunityFeature => ({
    type: 'Feature',
    geometry: circlePolygon([121.55, 29.9], 20000),
    properties: { id, name: id, synthetic: true, source: 'demo' } as CommunityFeature['properties'],
  });
  const f = (id: string, category: FacilityFeature['properties']['category']): FacilityFeature => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [121.55, 29.9] },
    properties: { id, name: id, category, osm_id: null, synthetic: true, source: 'demo' },
  });
  const g: GateFeature = { type: 'Feature', geometry: { type: 'Point', coordinates: [121.55, 29.9] }, properties: { id: 'G1', community_id: 'C001', synthetic: true, source: 'demo' } };
  return deepFreeze({ communities: [c('C001'), c('C002')], gates: [g], facilities: [f('F1', 'park'), f('F2', 'kindergarten')], metro: [], roads: [], barriers: [], districts: [] });
}

describe('mapping guess', () => {
  it('English headers', () => {
    const m = guessMapping(sheet([['Name', 'Street', 'Year built', 'Households', 'Buildings', 'Floor area', 'lng', 'lat'], ['A', 'x', 1990, 100, 3, 7000, 121.55, 29.9]]));
    expect(m.mapping.kind).toBe('communities');
    expect(m.mapping.columns).toMatchObject({ name: 'Name', street: 'Street', build_year: 'Year built', households: 'Households', buildings: 'Buildings', floor_area_m2: 'Floor area', lon: 'lng', lat: 'lat' });
  });
  it('栋数 and 人口 and 物业; consent share is not taken for the floor area', () => {
    const m = guessMapping(sheet([['小区名', '栋数', '人口', '物业', 'consent_area_share', '总建筑面积'], ['A', 3, 300, '有', 0.7, 9000]]), 'communities');
    expect(m.mapping.columns).toMatchObject({ name: '小区名', buildings: '栋数', residents: '人口', property_mgmt: '物业', consent_area_share: 'consent_area_share', floor_area_m2: '总建筑面积' });
  });
  it('a facility list is recognised as facilities', () => {
    expect(guessKind(sheet([['名称', '类别', '经度', '纬度'], ['幼儿园', '幼儿园', 121.5, 29.9]]))).toBe('facilities');
  });
  it('万m² by magnitude when the header does not say so', () => {
    const s = sheet([['小区名称', '户数', '建筑面积'], ['A', 500, 3.5], ['B', 800, 5.2], ['C', 300, 2.1]]);
    const u = guessAreaUnit(s, '建筑面积', '户数');
    expect(u.unit).toBe('wan_m2');
    expect(u.reason.en).toMatch(/per household/);
    expect(normaliseHeader('建筑面积（万㎡）')).toBe('建筑面积');
  });
  it('parseMapping validates a stored mapping with specific messages', () => {
    expect(() => parseMapping('{"kind":"parks","columns":{}}')).toThrow(/mapping\.kind must be one of/);
    expect(() => parseMapping('{"kind":"roads","columns":{"name":3}}')).toThrow(/mapping\.columns\.name must be a string or null/);
    expect(parseMapping('{"kind":"roads","columns":{"name":"路名"}}').columns.name).toBe('路名');
  });
});

describe('awkward cell values', () => {
  it('"80年代" and "1990s" are decades (with a warning); "5.2万" carries its own unit; "812户" is 812', () => {
    const g: Cell[][] = [
      ['小区名称', '建成年代', '户数', '建筑面积(m²)', '经度', '纬度'],
      ['甲', '80年代', '812户', '5.2万', 121.55, 29.9],
      ['乙', '1990s', '300', '21000', 121.56, 29.9],
      ['丙', '1995年', '200', '约1.5万㎡', 121.57, 29.9],
    ];
    const st = stageSheet('x.csv', sheet(g), guessMapping(sheet(g), 'communities').mapping, { crs: 'EPSG:4326' });
    expect(st.rows.map((r) => [r.props.build_year, r.props.households, r.props.floor_area_m2])).toEqual([
      [1980, 812, 52000],
      [1990, 300, 21000],
      [1995, 200, 15000],
    ]);
    expect(st.rows[0].issues.map((i) => i.code)).toContain('decade');
    expect(st.rows[2].issues.map((i) => i.code)).not.toContain('decade');
  });
});

describe('commit', () => {
  const grid: Cell[][] = [
    ['小区名称', '户数', '经度', '纬度'],
    ['新甲', 100, 121.56, 29.9],
    ['新乙', -1, 121.57, 29.9],
    ['新丙', 50, null, null],
  ];
  const stage = (decisions = {}) => stageSheet('inv.csv', sheet(grid), guessMapping(sheet(grid), 'communities').mapping, { crs: 'EPSG:4326', decisions });

  it('is refused while a row is in error, and the dataset is unchanged', () => {
    const ds = demo();
    const r = commitImport(ds, stage());
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.en).toMatch(/1 problems are unresolved/);
  });
  it('replace: a new dataset with real records, gates of removed communities gone; the old dataset untouched', () => {
    const ds = demo();
    const before = JSON.stringify(ds);
    const r = commitImport(ds, stage({ 3: { action: 'skip' } }), 'replace');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.dataset).not.toBe(ds);
    expect(r.dataset.communities.map((c) => c.properties.name)).toEqual(['新甲']);
    expect(r.dataset.communities[0].properties).toMatchObject({ synthetic: false, source: 'inv.csv', households: 100 });
    expect(r.dataset.gates).toEqual([]);
    expect(r.dataset.facilities).toBe(ds.facilities);
    expect(r.unlocated.map((u) => u.props.name)).toEqual(['新丙']);
    expect(r.removed).toBe(2);
    expect(JSON.stringify(ds)).toBe(before);
  });
  it('fix: the edited value is used', () => {
    const r = commitImport(demo(), stage({ 3: { action: 'fix', values: { households: '120' } } }));
    expect(r.ok && r.dataset.communities.find((c) => c.properties.name === '新乙')!.properties.households).toBe(120);
  });
  it('extend keeps the existing records and renames colliding ids', () => {
    const ds = demo();
    const g2: Cell[][] = [['id', '小区名称', '户数', '经度', '纬度'], ['C001', '新甲', 100, 121.56, 29.9]];
    const s = stageSheet('x.csv', sheet(g2), guessMapping(sheet(g2), 'communities').mapping, { crs: 'EPSG:4326' });
    const r = commitImport(ds, s, 'extend');
    expect(r.ok && r.dataset.communities.map((c) => c.properties.id)).toEqual(['C001', 'C002', 'C001~2']);
  });
  it('facilities replace-categories swaps only the imported categories', () => {
    const g3: Cell[][] = [['名称', '类别', '经度', '纬度'], ['新幼儿园', '幼儿园', 121.56, 29.9]];
    const s = stageSheet('f.csv', sheet(g3), guessMapping(sheet(g3), 'facilities').mapping, { crs: 'EPSG:4326' });
    const r = commitImport(demo(), s, 'replace-categories');
    expect(r.ok && r.dataset.facilities.map((f) => `${f.properties.name}:${f.properties.category}`)).toEqual(['F1:park', '新幼儿园:kindergarten']);
  });
  it('placing an unlocated community adds it as a polygon to a new dataset', () => {
    const r = commitImport(demo(), stage({ 3: { action: 'skip' } }));
    if (!r.ok) throw new Error('commit failed');
    const placed = placeUnlocated(r.dataset, r.unlocated[0], circlePolygon([121.58, 29.91], 10000));
    expect(placed.communities.map((c) => c.properties.name)).toEqual(['新甲', '新丙']);
    expect(r.dataset.communities).toHaveLength(1);
    expect(() => placeUnlocated(r.dataset, r.unlocated[0], { type: 'Point', coordinates: [121.5, 29.9] })).toThrow(/polygon/);
  });
});
