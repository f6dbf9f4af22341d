import { afterAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
        features: [{ type: 'Feature', properties: { id: 'X', name: '某小区', street: 'S', households: 'many' }, geometry: { type: 'Polygon', coordinates: [[[121.55, 29.9], [121.551, 29.9], [121.55, 29.901], [121.55, 29.9]]] } }],
      }),
    );
    const logs: string[] = [];
    const err = vi.spyOn(console, 'error').mockImplementation((l: string) => void logs.push(l));
    expect(await run(['--communities', bad, '--out', join(dir, 'bad.csv')])).toBe(1);
    expect(logs.filter((l) => l.startsWith('error:'))).toEqual([expect.stringMatching(/^error: bad\.geojson (feature|row) 1 column "households": .*\(value: "many"\)$/)]);
    expect(existsSync(join(dir, 'bad.csv'))).toBe(false);
    err.mockImplementation(() => {});
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

describe('issue 16 item 7: bundle reads --communities through the same importer as score and coverage', () => {
  // what score and coverage accept: a CSV with lon/lat and Chinese column names, no id column
  const csv = [
    '小区名称,所属街道,户数,建筑面积,经度,纬度',
    '甲小区,孔浦街道,300,20000,121.5500,29.9000',
    '乙小区,孔浦街道,300,20000,121.5520,29.9000',
    '丙小区,孔浦街道,-5,20000,121.5540,29.9000',
    '丁小区,甬江街道,300,20000,121.5900,29.9300',
  ].join('\n');

  it('bundles CSV lon/lat communities with Chinese columns; points get the estimated outline, labelled', async () => {
    const p = join(dir, 'inventory.csv');
    writeFileSync(p, csv.split('\n').filter((l) => !l.startsWith('丙')).join('\n'));
    const out = join(dir, 'inv.geojson');
    const logs: string[] = [];
    const err = vi.spyOn(console, 'error').mockImplementation((l: string) => void logs.push(l));
    expect(await run(['--communities', p, '--out', out])).toBe(0);
    err.mockImplementation(() => {});
    const fc = JSON.parse(readFileSync(out, 'utf8'));
    const members = fc.features.filter((x: any) => x.properties.kind === 'community');
    expect(members.map((x: any) => [x.properties.name, x.properties.community_id, x.properties.outline, x.geometry.type])).toEqual([
      ['甲小区', 'imp-c-2', 'estimated', 'Polygon'],
      ['乙小区', 'imp-c-3', 'estimated', 'Polygon'],
      ['丁小区', 'imp-c-4', 'estimated', 'Polygon'],
    ]);
    // the two neighbours 200 m apart in one 街道 form a bundle; the third is in another 街道, far away
    const bundles = fc.features.filter((x: any) => x.properties.kind === 'bundle');
    expect(bundles.map((x: any) => x.properties.members)).toEqual(['imp-c-2;imp-c-3']);
    expect(logs.join('\n')).toMatch(/3 communities are only a point \(imp-c-2, imp-c-3, imp-c-4\): outline = a circle of the estimated site area/);
  });

  it('a row error (户数 −5): nothing written, exit 1; --keep-going writes the valid rows and exits 1', async () => {
    const p = join(dir, 'inventory-bad.csv');
    writeFileSync(p, csv);
    const out = join(dir, 'inv-bad.csv');
    const logs: string[] = [];
    const err = vi.spyOn(console, 'error').mockImplementation((l: string) => void logs.push(l));
    expect(await run(['--communities', p, '--out', out])).toBe(1);
    expect(existsSync(out)).toBe(false);
    expect(logs.filter((l) => l.startsWith('error:'))).toEqual(['error: inventory-bad.csv row 4 column "户数": households cannot be negative (value: "-5")']);
    expect(await run(['--communities', p, '--out', out, '--keep-going'])).toBe(1);
    err.mockImplementation(() => {});
    expect(readFileSync(out, 'utf8')).toBe('community_id,bundle_id\nimp-c-2,B01\nimp-c-3,B01\nimp-c-5,\n');
  });
});
