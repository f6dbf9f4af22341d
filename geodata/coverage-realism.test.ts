/**
 * The default dataset must give the life-circle analysis something real to find (issue 2: "some
 * communities are well served, some have real gaps"). Measured with the planner's own coverage engine
 * on the committed public/data files, read the way the app reads them (src/lib/data/load.ts), network
 * distance, default tiers. Ranges, not exact figures: a generator change may move the numbers, but it
 * must not make coverage all-or-nothing. The measured figures are in geodata/README.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseLayer } from '../src/lib/data/load.ts';
import type { Dataset } from '../src/lib/domain/types.ts';
import { coverageShapes, formatShapes, type CoverageShape } from './lib/coverage-shape.ts';
import type { Layers } from './generate.ts';

const PUBLIC = join(import.meta.dirname, '..', 'public', 'data');
const layer = async <K extends keyof Dataset>(name: K) =>
  parseLayer(name, new Uint8Array(readFileSync(join(PUBLIC, `${name}.fgb`))), `${name}.fgb`);

let gb: CoverageShape;
let wz: CoverageShape;

beforeAll(async () => {
  const L = {
    communities: await layer('communities'),
    gates: await layer('gates'),
    facilities: await layer('facilities'),
    roads: await layer('roads'),
    metro: await layer('metro'),
  } as unknown as Layers;
  const shapes = coverageShapes(L);
  gb = shapes.gb50180;
  wz = shapes['complete-community'];
  if (process.env['SHOW_COVERAGE']) console.log(formatShapes(shapes));
});

const mandatory = (s: CoverageShape) => s.perCategory.filter((c) => c.mandatory);
const lackShare = (s: CoverageShape, street: string, cat: string) => (s.byStreet[street]!.lacking[cat] ?? 0) / s.byStreet[street]!.n;

describe('life-circle coverage of the default dataset (GB 50180-2018, network distance)', () => {
  it('15–30% of the communities have a complete life circle', () => {
    expect(gb.communities).toBe(73);
    expect(gb.complete / gb.communities).toBeGreaterThanOrEqual(0.15);
    expect(gb.complete / gb.communities).toBeLessThanOrEqual(0.3);
  });

  it('most ▲ categories are met for 40–90% of the communities, and every one has an unmet community', () => {
    const m = mandatory(gb);
    expect(m.length).toBeGreaterThanOrEqual(12);
    const midRange = m.filter((c) => c.share >= 0.4 && c.share <= 0.9);
    expect(midRange.length, m.map((c) => `${c.category} ${(c.share * 100).toFixed(0)}%`).join(', ')).toBeGreaterThanOrEqual(
      Math.ceil(m.length * 0.7),
    );
    for (const c of m) {
      expect(c.met, `${c.category}: nobody served`).toBeGreaterThan(0);
      expect(c.met, `${c.category}: everybody served`).toBeLessThan(gb.communities);
    }
  });

  it('leaves some communities with many gaps: several lack ≥ 3 ▲ categories, a few ≥ 6', () => {
    expect(gb.lackingAtLeast[3]).toBeGreaterThanOrEqual(8);
    expect(gb.lackingAtLeast[6]).toBeGreaterThanOrEqual(3);
    // … but the district is not a desert either
    expect(gb.lackingAtLeast[6]).toBeLessThanOrEqual(gb.communities / 2);
  });

  it('gaps are spatially clustered: ≥ 2 streets where most estates lack both elderly day care and a wet market', () => {
    const clustered = Object.keys(gb.byStreet).filter(
      (s) => gb.byStreet[s]!.n >= 3 && lackShare(gb, s, 'elderly_daycare') >= 0.75 && lackShare(gb, s, 'wet_market') >= 0.75,
    );
    expect(clustered.length, JSON.stringify(gb.byStreet)).toBeGreaterThanOrEqual(2);
  });

  it('the old town (中马) is well served: at least 40% of its estates complete', () => {
    const zm = gb.result.communities.filter((c) => c.street === '中马街道');
    expect(zm.length).toBeGreaterThan(0);
    expect(zm.filter((c) => c.complete).length / zm.length).toBeGreaterThanOrEqual(0.4);
  });
});

describe('life-circle coverage of the default dataset (完整居住社区, network distance)', () => {
  it('some communities complete, most not; every item has an unmet community', () => {
    expect(wz.complete / wz.communities).toBeGreaterThanOrEqual(0.1);
    expect(wz.complete / wz.communities).toBeLessThanOrEqual(0.5);
    for (const c of mandatory(wz)) {
      expect(c.met, c.category).toBeGreaterThan(0);
      expect(c.met, c.category).toBeLessThan(wz.communities);
    }
  });
});
