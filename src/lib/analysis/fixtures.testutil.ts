/**
 * Turf-style fixture harness shared by the analysis tests: test/fixtures/<algorithm>/in/*.geojson are run,
 * the output is compared with out/<same name>.geojson, and the expected file is rewritten only when the
 * test runs with REGEN=1. Inputs are deep-frozen so a function that mutates its input throws.
 * Fixture features carry `properties.role` (road | community | gate | facility | district | candidate | origin);
 * a case's parameters live in the FeatureCollection's top-level `properties`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Feature, FeatureCollection } from 'geojson';

export interface FixtureCase {
  name: string;
  input: FeatureCollection & { properties?: Record<string, unknown> };
  params: Record<string, unknown>;
  outPath: string;
}

const ROOT = join(process.cwd(), 'test', 'fixtures');

export function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as Record<string, unknown>)) deepFreeze(v);
  }
  return o;
}

export function fixtureCases(algorithm: string): FixtureCase[] {
  const dir = join(ROOT, algorithm, 'in');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.geojson'))
    .sort()
    .map((f) => {
      const input = JSON.parse(readFileSync(join(dir, f), 'utf8')) as FixtureCase['input'];
      return { name: f.replace(/\.geojson$/, ''), input: deepFreeze(input), params: input.properties ?? {}, outPath: join(ROOT, algorithm, 'out', f) };
    });
}

export function byRole<T = Feature>(fc: FeatureCollection, role: string): T[] {
  return fc.features.filter((f) => f.properties?.role === role) as T[];
}

/** Round every number in a JSON value (coordinates to 1e-7°, other numbers to 0.01) so files are stable. */
export function stable(v: unknown, key = ''): unknown {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return null;
    return key === 'coordinates' ? Math.round(v * 1e7) / 1e7 : Math.round(v * 100) / 100;
  }
  if (Array.isArray(v)) return v.map((x) => stable(x, key));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = stable(x, k === 'coordinates' || key === 'coordinates' ? 'coordinates' : k);
    return out;
  }
  return v;
}

/** Compare with the expected file; REGEN=1 rewrites it. Returns the parsed expected value for toEqual. */
export function expectedFor(c: FixtureCase, actual: FeatureCollection): { actual: unknown; expected: unknown } {
  const a = stable(actual);
  if (process.env.REGEN === '1') {
    mkdirSync(join(c.outPath, '..'), { recursive: true });
    writeFileSync(c.outPath, JSON.stringify(a, null, 1) + '\n');
  }
  if (!existsSync(c.outPath)) throw new Error(`${c.outPath} is missing: run the test with REGEN=1, then inspect the file in a GIS viewer`);
  return { actual: a, expected: JSON.parse(readFileSync(c.outPath, 'utf8')) };
}
