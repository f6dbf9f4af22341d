/**
 * Schema validation of raw records (as FlatGeobuf or an import hands them over): FlatGeobuf
 * conventions (omitted nulls, JSON-string arrays) are accepted, anything else is refused with
 * a message naming the feature, field and value.
 */
import { describe, expect, it } from 'vitest';
import type { Geometry } from 'geojson';
import { SchemaError, validateCommunityProps, validateLayer, type RawFeature } from './schema';

const square: Geometry = { type: 'Polygon', coordinates: [[[121.5, 29.9], [121.501, 29.9], [121.501, 29.901], [121.5, 29.9]]] };
const pt: Geometry = { type: 'Point', coordinates: [121.5, 29.9] };

const community = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'C001', name: '孔浦一村', street: '孔浦街道', committee: '绿梅社区', build_year: 1988, housing_type: 'danwei',
  households: 600, buildings: 20, floor_area_m2: 54000, residents: 1650, property_mgmt: 'none', maintenance_fund: 'none',
  dangerous_buildings: 0, lift_demand: 3, consent_area_share: 0.7, consent_headcount_share: 2 / 3,
  owner_contribution_share: 0.05, illegal_cleared_share: 1, safety_hazard: 'partial', third_party_funding: false,
  batch_year: 2021, pool: '生成', stage: 'APPLIED', side_state: null, synthetic: true, source: 'test', ...over,
});

function schemaError(fn: () => unknown): SchemaError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SchemaError);
    return e as SchemaError;
  }
  throw new Error('expected a SchemaError');
}

describe('community records', () => {
  it('accept a complete record and keep exact values (2/3 stays 2/3)', () => {
    const p = validateCommunityProps(community(), 0);
    expect(p.consent_headcount_share).toBe(2 / 3);
    expect(p.side_state).toBeNull();
  });

  it('read omitted nullable fields as null (FlatGeobuf does not store nulls)', () => {
    const raw = community();
    delete raw['committee'];
    delete raw['side_state'];
    delete raw['batch_year'];
    const p = validateCommunityProps(raw, 0);
    expect([p.committee, p.side_state, p.batch_year]).toEqual([null, null, null]);
  });

  it('refuse an omitted required field, naming it', () => {
    const raw = community();
    delete raw['households'];
    const e = schemaError(() => validateCommunityProps(raw, 4));
    expect(e.message).toBe('feature 4: field households: expected a non-negative integer, got nothing (field missing)');
  });

  it.each([
    ['households', 12.5, 'expected a non-negative integer'],
    ['consent_area_share', 1.2, 'expected a share from 0 to 1'],
    ['stage', 'BUILDING', 'expected one of POOL, APPLIED'],
    ['batch_year', 2019, 'expected one of 2020, 2021, 2022 or null'],
    ['third_party_funding', 'yes', 'expected true or false'],
    ['name', '  ', 'expected a non-empty string'],
    ['build_year', 1850, 'expected an integer from 1900 to 2100'],
    ['floor_area_m2', -1, 'expected a non-negative number'],
  ])('refuse %s = %j', (field, value, why) => {
    const e = schemaError(() => validateCommunityProps(community({ [field]: value }), 7));
    expect(e.index).toBe(7);
    expect(e.field).toBe(field);
    expect(e.message).toContain(why);
    expect(e.message).toContain(`feature 7: field ${field}:`);
  });

  it('accept 0/1 booleans from other writers', () => {
    expect(validateCommunityProps(community({ third_party_funding: 1, synthetic: 0 }), 0)).toMatchObject({
      third_party_funding: true,
      synthetic: false,
    });
  });

  it('drop fields that are not in the model', () => {
    const p = validateCommunityProps(community({ extra: 'x' }), 0) as unknown as Record<string, unknown>;
    expect('extra' in p).toBe(false);
  });
});

describe('layers', () => {
  it('metro lines stored as a JSON string come back as an array', () => {
    const [m] = validateLayer('metro', [{ geometry: pt, properties: { id: 'M1', name: '孔浦', lines: '["2号线"]', synthetic: false, source: 'x' } }]);
    expect(m!.properties.lines).toEqual(['2号线']);
    const e = schemaError(() =>
      validateLayer('metro', [{ geometry: pt, properties: { id: 'M1', name: '孔浦', lines: '2号线', synthetic: false, source: 'x' } }]),
    );
    expect(e.message).toBe('feature 0: field lines: expected a JSON array of strings, got "2号线"');
  });

  it('check the geometry type of each layer', () => {
    const e = schemaError(() => validateLayer('communities', [{ geometry: pt, properties: community() }]));
    expect(e.message).toBe('feature 0: field geometry: expected Polygon or MultiPolygon, got "Point"');
    const bad: RawFeature = { geometry: { type: 'Point', coordinates: [NaN, 29.9] }, properties: { id: 'G', community_id: 'C', synthetic: true, source: 's' } };
    expect(schemaError(() => validateLayer('gates', [bad])).message).toContain('expected finite coordinates');
  });

  it('refuse duplicate ids, naming both features', () => {
    const e = schemaError(() =>
      validateLayer('communities', [
        { geometry: square, properties: community() },
        { geometry: square, properties: community({ name: '另一村' }) },
      ]),
    );
    expect(e.message).toBe('feature 1: field id: expected a unique id (also used by feature 0), got "C001"');
  });

  it('validate roads, barriers, facilities and districts', () => {
    const line: Geometry = { type: 'LineString', coordinates: [[121.5, 29.9], [121.51, 29.9]] };
    const [r] = validateLayer('roads', [{ geometry: line, properties: { id: 'R1', highway: 'footway', bridge: true, synthetic: true, source: 's' } }]);
    expect(r!.properties).toEqual({ id: 'R1', name: null, highway: 'footway', bridge: true, synthetic: true, source: 's' });
    expect(schemaError(() => validateLayer('roads', [{ geometry: line, properties: { id: 'R1', highway: 'trunk', bridge: false, synthetic: true, source: 's' } }])).field).toBe('highway');
    expect(schemaError(() => validateLayer('barriers', [{ geometry: line, properties: { id: 'B', kind: 'wall', synthetic: true, source: 's' } }])).field).toBe('kind');
    expect(schemaError(() => validateLayer('facilities', [{ geometry: pt, properties: { id: 'F', name: 'x', category: 'library', synthetic: true, source: 's' } }])).field).toBe('category');
    const [d] = validateLayer('districts', [{ geometry: square, properties: { name: '江北区', focus: true, synthetic: false, source: 'OSM' } }]);
    expect(d!.properties.focus).toBe(true);
  });
});
