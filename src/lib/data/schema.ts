/**
 * Runtime validation of layer records against the domain model (src/lib/domain/types.ts).
 *
 * Raw properties come from FlatGeobuf files (or imports) where: nulls are omitted (a missing
 * nullable field means null), numbers are doubles, and arrays are stored as JSON strings
 * (metro `lines`). Each validator turns one raw record into the typed model or throws a
 * SchemaError naming the feature index, the field, the value and why it was refused.
 * Unknown extra fields are dropped so the typed model holds exactly the documented fields.
 */
import type { Geometry } from 'geojson';
import {
  BATCH_YEARS,
  FACILITY_CATEGORIES,
  POOLS,
  ROAD_CLASSES,
  SIDE_STATES,
  STAGES,
  type BarrierFeature,
  type CommunityFeature,
  type CommunityProps,
  type Dataset,
  type DistrictFeature,
  type FacilityFeature,
  type GateFeature,
  type MetroFeature,
  type RoadFeature,
} from '../domain/types';
import { SPARE_SITE_KINDS, type SpareSiteFeature } from '../domain/spare-sites';

/** A record that does not match the schema. `index` is the feature's position in its layer. */
export class SchemaError extends Error {
  readonly index: number;
  readonly field: string;
  readonly value: unknown;
  readonly why: string;
  constructor(index: number, field: string, value: unknown, why: string) {
    super(`feature ${index}: field ${field}: ${why}, got ${show(value)}`);
    this.name = 'SchemaError';
    this.index = index;
    this.field = field;
    this.value = value;
    this.why = why;
  }
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing (field missing)';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 57) + '...' : v);
  try {
    const s = JSON.stringify(v);
    return s.length > 60 ? s.slice(0, 57) + '...' : s;
  } catch {
    return String(v);
  }
}

type Raw = Record<string, unknown>;

/** Field readers bound to one feature, so every error carries index + field. */
function reader(raw: Raw, index: number) {
  const fail = (field: string, why: string): never => {
    throw new SchemaError(index, field, raw[field], why);
  };
  const r = {
    str(field: string): string {
      const v = raw[field];
      if (typeof v !== 'string' || v.trim() === '') return fail(field, 'expected a non-empty string');
      return v;
    },
    strOrNull(field: string): string | null {
      const v = raw[field];
      if (v === undefined || v === null || v === '') return null;
      if (typeof v !== 'string') return fail(field, 'expected a string or null');
      return v;
    },
    num(field: string): number {
      const v = raw[field];
      if (typeof v !== 'number' || !Number.isFinite(v)) return fail(field, 'expected a finite number');
      return v;
    },
    count(field: string): number {
      const v = raw[field];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return fail(field, 'expected a non-negative integer');
      return v;
    },
    intRange(field: string, lo: number, hi: number): number {
      const v = raw[field];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
        return fail(field, `expected an integer from ${lo} to ${hi}`);
      }
      return v;
    },
    share(field: string): number {
      const v = raw[field];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) return fail(field, 'expected a share from 0 to 1');
      return v;
    },
    /** a field that may be unknown: null (or absent) stays null, never a default value */
    orNull<T>(field: string, read: (f: string) => T): T | null {
      return raw[field] === null || raw[field] === undefined ? null : read(field);
    },
    bool(field: string): boolean {
      const v = raw[field];
      // FlatGeobuf Bool columns read back as booleans; tolerate 0/1 from other writers
      if (v === true || v === 1) return true;
      if (v === false || v === 0) return false;
      return fail(field, 'expected true or false');
    },
    oneOf<T extends string | number>(field: string, allowed: readonly T[]): T {
      const v = raw[field];
      if (!allowed.includes(v as T)) return fail(field, `expected one of ${allowed.join(', ')}`);
      return v as T;
    },
    oneOfOrNull<T extends string | number>(field: string, allowed: readonly T[]): T | null {
      const v = raw[field];
      if (v === undefined || v === null || v === '') return null;
      if (!allowed.includes(v as T)) return fail(field, `expected one of ${allowed.join(', ')} or null`);
      return v as T;
    },
    /** string[] stored as a JSON string (FlatGeobuf has no array type) or given as an array */
    strArray(field: string): string[] {
      let v = raw[field];
      if (typeof v === 'string') {
        try {
          v = JSON.parse(v);
        } catch {
          return fail(field, 'expected a JSON array of strings');
        }
      }
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) return fail(field, 'expected an array of strings');
      return v as string[];
    },
    provenance() {
      return { synthetic: r.bool('synthetic'), source: r.str('source') };
    },
  };
  return r;
}

function checkGeometry(geometry: Geometry | null | undefined, index: number, allowed: readonly Geometry['type'][]): void {
  if (!geometry || !allowed.includes(geometry.type)) {
    throw new SchemaError(index, 'geometry', geometry ? geometry.type : geometry, `expected ${allowed.join(' or ')}`);
  }
  const bad = (c: unknown): boolean =>
    Array.isArray(c) && typeof c[0] === 'number'
      ? !(c.length >= 2 && c.every((x) => typeof x === 'number' && Number.isFinite(x)))
      : Array.isArray(c)
        ? c.some(bad)
        : true;
  if (!('coordinates' in geometry) || bad(geometry.coordinates)) {
    throw new SchemaError(index, 'geometry', geometry.type, 'expected finite coordinates');
  }
}

export interface RawFeature {
  geometry: Geometry | null;
  properties: Raw | null;
}

export function validateCommunityProps(raw: Raw, index: number): CommunityProps {
  const r = reader(raw, index);
  return {
    id: r.str('id'),
    name: r.str('name'),
    street: r.str('street'),
    committee: r.strOrNull('committee'),
    build_year: r.orNull('build_year', (f) => r.intRange(f, 1900, 2100)),
    housing_type: r.oneOf('housing_type', ['commodity', 'danwei', 'resettlement'] as const),
    households: r.count('households'),
    buildings: r.count('buildings'),
    floor_area_m2: (() => {
      const v = r.num('floor_area_m2');
      if (v < 0) throw new SchemaError(index, 'floor_area_m2', v, 'expected a non-negative number');
      return v;
    })(),
    residents: r.count('residents'),
    property_mgmt: r.oneOf('property_mgmt', ['professional', 'self', 'none'] as const),
    maintenance_fund: r.oneOf('maintenance_fund', ['established', 'committed', 'none'] as const),
    dangerous_buildings: r.count('dangerous_buildings'),
    lift_demand: r.count('lift_demand'),
    consent_area_share: r.orNull('consent_area_share', r.share),
    consent_headcount_share: r.orNull('consent_headcount_share', r.share),
    owner_contribution_share: r.share('owner_contribution_share'),
    illegal_cleared_share: r.orNull('illegal_cleared_share', r.share),
    safety_hazard: r.oneOf('safety_hazard', ['confirmed', 'partial', 'none'] as const),
    third_party_funding: r.bool('third_party_funding'),
    batch_year: r.oneOfOrNull('batch_year', BATCH_YEARS),
    pool: r.oneOf('pool', POOLS),
    stage: r.oneOf('stage', STAGES),
    side_state: r.oneOfOrNull('side_state', SIDE_STATES),
    ...r.provenance(),
  };
}

type Validator<F> = (f: RawFeature, index: number) => F;

const community: Validator<CommunityFeature> = (f, i) => {
  checkGeometry(f.geometry, i, ['Polygon', 'MultiPolygon']);
  return { type: 'Feature', geometry: f.geometry as CommunityFeature['geometry'], properties: validateCommunityProps(f.properties ?? {}, i) };
};

const gate: Validator<GateFeature> = (f, i) => {
  checkGeometry(f.geometry, i, ['Point']);
  const r = reader(f.properties ?? {}, i);
  return {
    type: 'Feature',
    geometry: f.geometry as GateFeature['geometry'],
    properties: { id: r.str('id'), community_id: r.str('community_id'), ...r.provenance() },
  };
};

const facility: Validator<FacilityFeature> = (f, i) => {
  checkGeometry(f.geometry, i, ['Point']);
  const r = reader(f.properties ?? {}, i);
  return {
    type: 'Feature',
    geometry: f.geometry as FacilityFeature['geometry'],
    properties: {
      id: r.str('id'),
      name: r.str('name'),
      category: r.oneOf('category', FACILITY_CATEGORIES),
      osm_id: r.strOrNull('osm_id'),
      ...r.provenance(),
    },
  };
};

const metro: Validator<MetroFeature> = (f, i) => {
  checkGeometry(f.geometry, i, ['Point']);
  const r = reader(f.properties ?? {}, i);
  return {
    type: 'Feature',
    geometry: f.geometry as MetroFeature['geometry'],
    properties: { id: r.str('id'), name: r.str('name'), lines: r.strArray('lines'), ...r.provenance() },
  };
};

const road: Validator<RoadFeature> = (f, i) => {
  checkGeometry(f.geometry, i, ['LineString', 'MultiLineString']);
  const r = reader(f.properties ?? {}, i);
  return {
    type: 'Feature',
    geometry: f.geometry as RoadFeature['geometry'],
    properties: {
      id: r.str('id'),
      name: r.strOrNull('name'),
      highway: r.oneOf('highway', ROAD_CLASSES),
      bridge: r.bool('bridge'),
      ...r.provenance(),
    },
  };
};

const barrier: Validator<BarrierFeature> = (f, i) => {
  checkGeometry(f.geometry, i, ['Polygon', 'MultiPolygon', 'LineString', 'MultiLineString']);
  const r = reader(f.properties ?? {}, i);
  return {
    type: 'Feature',
    geometry: f.geometry as BarrierFeature['geometry'],
    properties: {
      id: r.str('id'),
      name: r.strOrNull('name'),
      kind: r.oneOf('kind', ['river', 'canal', 'rail', 'expressway'] as const),
      ...r.provenance(),
    },
  };
};

const district: Validator<DistrictFeature> = (f, i) => {
  checkGeometry(f.geometry, i, ['Polygon', 'MultiPolygon']);
  const r = reader(f.properties ?? {}, i);
  return {
    type: 'Feature',
    geometry: f.geometry as DistrictFeature['geometry'],
    properties: { name: r.str('name'), focus: r.bool('focus'), ...r.provenance() },
  };
};

export const VALIDATORS: { [K in keyof Dataset]: Validator<Dataset[K][number]> } = {
  communities: community,
  gates: gate,
  facilities: facility,
  metro,
  roads: road,
  barriers: barrier,
  districts: district,
};

export const LAYERS = Object.keys(VALIDATORS) as (keyof Dataset)[];

/** Validate a whole layer; the first bad record throws a SchemaError. */
export function validateLayer<K extends keyof Dataset>(layer: K, features: readonly RawFeature[]): Dataset[K] {
  const v = VALIDATORS[layer] as Validator<Dataset[K][number]>;
  const out = features.map((f, i) => v(f, i)) as Dataset[K];
  // every layer but districts carries ids that other layers and the UI refer to
  if (layer !== 'districts') {
    const seen = new Map<string, number>();
    (out as { properties: { id: string } }[]).forEach((f, i) => {
      const prev = seen.get(f.properties.id);
      if (prev !== undefined) throw new SchemaError(i, 'id', f.properties.id, `expected a unique id (also used by feature ${prev})`);
      seen.set(f.properties.id, i);
    });
  }
  return out;
}

/** Spare sites (存量资源: idle rooms and spare plots), a file outside the Dataset (manifest `extra_layers`). */
export function validateSpareSites(features: readonly RawFeature[]): SpareSiteFeature[] {
  const out = features.map((f, i): SpareSiteFeature => {
    checkGeometry(f.geometry, i, ['Point']);
    const r = reader(f.properties ?? {}, i);
    const area = r.orNull('area_m2', (k) => {
      const v = r.num(k);
      if (v < 0) throw new SchemaError(i, k, v, 'expected an area in m² of 0 or more');
      return v;
    });
    return {
      type: 'Feature',
      geometry: f.geometry as SpareSiteFeature['geometry'],
      properties: {
        id: r.str('id'),
        name: r.str('name'),
        kind: r.oneOf('kind', SPARE_SITE_KINDS),
        area_m2: area,
        owner: r.strOrNull('owner'),
        community_id: r.strOrNull('community_id'),
        ...r.provenance(),
      },
    };
  });
  const seen = new Map<string, number>();
  out.forEach((f, i) => {
    const prev = seen.get(f.properties.id);
    if (prev !== undefined) throw new SchemaError(i, 'id', f.properties.id, `expected a unique id (also used by feature ${prev})`);
    seen.set(f.properties.id, i);
  });
  return out;
}
