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

/** The parts of a walk graph a spatial-index check reads. */
interface EdgeGeometry {
  edgeCount: number;
  edgeA: ArrayLike<number>;
  edgeB: ArrayLike<number>;
  nodeX: ArrayLike<number>;
  nodeY: ArrayLike<number>;
}

/**
 * `count` random square queries over the graph's extent (half-side 5 m to 5 + `maxR` m), each with the edges
 * whose bounding box meets it, found by testing every edge (the reference an index must agree with).
 */
export function boxQueries(g: EdgeGeometry, rnd: () => number, count: number, maxR: number): { box: [number, number, number, number]; want: number[] }[] {
  const xs = Array.from(g.nodeX);
  const ys = Array.from(g.nodeY);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const out: { box: [number, number, number, number]; want: number[] }[] = [];
  for (let q = 0; q < count; q++) {
    const cx = x0 + rnd() * (x1 - x0);
    const cy = y0 + rnd() * (y1 - y0);
    const r = 5 + rnd() * maxR;
    const want: number[] = [];
    for (let e = 0; e < g.edgeCount; e++) {
      const [ax, bx, ay, by] = [g.nodeX[g.edgeA[e]], g.nodeX[g.edgeB[e]], g.nodeY[g.edgeA[e]], g.nodeY[g.edgeB[e]]];
      if (Math.min(ax, bx) <= cx + r && Math.max(ax, bx) >= cx - r && Math.min(ay, by) <= cy + r && Math.max(ay, by) >= cy - r) want.push(e);
    }
    out.push({ box: [cx - r, cy - r, cx + r, cy + r], want });
  }
  return out;
}
