import { afterAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gapsFromCoverageCsv, run } from './bundle.ts';

const dir = mkdtempSync(join(tmpdir(), 'bundle-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Split a fixture into a communities file and a barriers file, as a user would have them. */
function split(name: string): { communities: string; barriers: string } {
  const fc = JSON.parse(readFileSync(join(import.meta.dirname, '../../test/fixtures/bundle/in', `${name}.geojson`), 'utf8'));
  const communities = join(dir, `${name}-communities.geojson`);
  const barriers = join(dir, `${name}-barriers.geojson`);
  writeFileSync(communities, JSON.stringify({ type: 'FeatureCollection', features: fc.features.filter((f: any) => !f.properties.kind) }));
  writeFileSync(barriers, JSON.stringify({ type: 'FeatureCollection', features: fc.features.filter((f: any) => f.properties.kind) }));
  return { communities, barriers };
}

describe('planner bundle', () => {
  vi.spyOn(console, 'error').mockImplementation(() => {});

  it('writes community_id,bundle_id and keeps the river between bundles', async () => {
    const f = split('river-split');
    const out = join(dir, 'river.csv');
    expect(await run(['--communities', f.communities, '--barriers', f.barriers, '--out', out])).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('community_id,bundle_id\nA1,B01\nA2,B01\nB1,B02\nB2,B02\n');
    // without the barrier file the four join (the clustering makes one bundle; the optimiser prefers the
    // more compact pairs, which the river happens to separate anyway)
    const out2 = join(dir, 'river2.csv');
    await run(['--communities', f.communities, '--method', 'heuristic', '--out', out2]);
    expect(readFileSync(out2, 'utf8')).toBe('community_id,bundle_id\nA1,B01\nA2,B01\nB1,B01\nB2,B01\n');
  });

  it('applies --max-households and leaves the rest unbundled (empty bundle id)', async () => {
    const f = split('chain-size-limit');
    const out = join(dir, 'chain.csv');
    await run(['--communities', f.communities, '--max-households', '1000', '--out', out]);
    expect(readFileSync(out, 'utf8')).toBe('community_id,bundle_id\nC1,B01\nC2,B01\nC3,B02\nC4,B02\nC5,\n');
  });

  it('mixes streets only with --any-street', async () => {
    const f = split('streets-on');
    const a = join(dir, 's1.csv');
    const b = join(dir, 's2.csv');
    await run(['--communities', f.communities, '--same-street', '--method', 'heuristic', '--out', a]);
    await run(['--communities', f.communities, '--any-street', '--method', 'heuristic', '--out', b]);
    expect(new Set(readFileSync(a, 'utf8').trim().split('\n').slice(1).map((r) => r.split(',')[1])).size).toBe(2);
    expect(new Set(readFileSync(b, 'utf8').trim().split('\n').slice(1).map((r) => r.split(',')[1])).size).toBe(1);
  });

  it('writes bundle outlines with figures as GeoJSON', async () => {
    const f = split('river-split');
    const out = join(dir, 'river.geojson');
    await run(['--communities', f.communities, '--barriers', f.barriers, '--out', out]);
    const fc = JSON.parse(readFileSync(out, 'utf8'));
    const bundles = fc.features.filter((x: any) => x.properties.kind === 'bundle');
    expect(bundles.map((x: any) => [x.properties.bundle_id, x.properties.members, x.properties.households])).toEqual([
      ['B01', 'A1;A2', 1000],
      ['B02', 'B1;B2', 1000],
    ]);
    expect(fc.properties.summary.bundles).toBe(2);
  });

  it('by default bundles the most communities the limits allow, with the app\'s household cap, and says it is proved', async () => {
    // the 慈城镇-shaped case: no --max-households given, so the app's 3,000 applies
    const fc = JSON.parse(readFileSync(join(import.meta.dirname, '../../test/fixtures/bundle/opt/in/cicheng-five.geojson'), 'utf8'));
    const file = join(dir, 'cicheng.geojson');
    writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: fc.features }));
    const err = vi.mocked(console.error);
    err.mockClear();
    const out = join(dir, 'cicheng.csv');
    await run(['--communities', file, '--out', out]);
    expect(readFileSync(out, 'utf8')).toBe('community_id,bundle_id\nC069,B01\nC070,B02\nC071,B02\nC072,B02\nC073,B01\n');
    expect(err.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(/exact — 5 communities in bundles, proved optimal \(no valid bundling includes more; REDCAP alone: 4\)/);
    // the clustering alone leaves C073 out; lifting the cap (and widening the span) still bundles all five
    await run(['--communities', file, '--method', 'heuristic', '--out', out]);
    expect(readFileSync(out, 'utf8')).toMatch(/C073,\n/);
    await run(['--communities', file, '--max-households', 'none', '--max-span', '2000', '--out', out]);
    expect(readFileSync(out, 'utf8')).not.toMatch(/,\n/);
    await expect(run(['--communities', file, '--objective', 'area'])).rejects.toThrow(/--objective: expected communities or households/);
  });

  it('names the file, row and field of bad input', async () => {
    const bad = join(dir, 'bad.geojson');
    writeFileSync(
      bad,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [{ type: 'Feature', properties: { id: 'X', street: 'S', households: 'many' }, geometry: { type: 'Polygon', coordinates: [[[0, 0], [0.001, 0], [0, 0.001], [0, 0]]] } }],
      }),
    );
    await expect(run(['--communities', bad])).rejects.toThrow('bad.geojson: row 1 (id X): field "households": expected a number ≥ 0, got "many"');
    await expect(run(['--communities', bad, '--size-by', 'acres'])).rejects.toThrow(/--size-by/);
    expect(() => gapsFromCoverageCsv('a,b\n1,2\n', 'cov.csv')).toThrow(/cov.csv: expected columns community_id, category, met/);
  });

  it('reads gaps from the coverage CSV (rows not met)', () => {
    const g = gapsFromCoverageCsv('community_id,category,distance_m,threshold_m,met,nearest_id\nA,park,900,300,false,\nA,kindergarten,200,300,true,k1\nB,park,,300,false,\n', 'c.csv');
    expect(g).toEqual({ A: ['park'], B: ['park'] });
    // only the standard's mandatory categories count, as in the app
    expect(gapsFromCoverageCsv('community_id,category,met\nA,park,false\nA,metro,false\n', 'c.csv', new Set(['park']))).toEqual({ A: ['park'] });
  });
});
