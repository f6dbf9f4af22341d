/** Analysis tables for export, on the default dataset, and their XLSX/CSV round trip through the importer's reader. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coverageRows, flatRows, progressRows, scoreRows } from './tables';
import { tablesToXlsx, tableToCsv } from './index';
import { readSource } from '../import';
import { parseLayer } from '../load';
import { computeCoverage, prepareCoverage } from '../../analysis/coverage';
import { DEFAULT_PARAMS, STANDARDS } from '../../domain/standards';
import { scoreAll } from '../../analysis/score';
import { rank } from '../../analysis/rank';
import { progress } from '../../analysis/pool';
import { defaultRubric } from '../../domain/rubric-default';

const DATA = join(__dirname, '../../../../public/data');
const load = <K extends 'communities' | 'facilities'>(k: K) => parseLayer(k, new Uint8Array(readFileSync(join(DATA, `${k}.fgb`))), `${k}.fgb`);

describe('analysis tables', () => {
  it('coverage matrix: one row per community and category, like `planner coverage`', async () => {
    const cs = await load('communities');
    const fs = await load('facilities');
    const r = computeCoverage(prepareCoverage(cs as never, [], null), fs as never, STANDARDS.gb50180, DEFAULT_PARAMS, { mode: 'straight' });
    const rows = coverageRows(r);
    expect(rows).toHaveLength(cs.length * r.rules.length);
    expect(Object.keys(rows[0])).toEqual(['community_id', 'name', 'street', 'category', 'distance_m', 'threshold_m', 'met', 'nearest_facility_id', 'mode', 'standard']);
    // a faithful copy of the result: the same met/unmet cells, community by community
    const met = r.communities.flatMap((c) => c.byCategory.map((b) => `${c.id}:${b.category}:${b.met}`));
    expect(rows.map((x) => `${x.community_id}:${x.category}:${x.met}`)).toEqual(met);
    expect(rows.some((x) => x.met === false)).toBe(true);
  });
  it('scores: ranked rows with points per criterion and the demonstration flag; progress: district, streets, batches', async () => {
    const recs = (await load('communities')).map((c) => c.properties);
    const byId = new Map(recs.map((p) => [p.id, p]));
    const ranked = rank(scoreAll(recs, defaultRubric()), (id) => byId.get(id)!);
    const rows = scoreRows(ranked, (id) => byId.get(id));
    expect(rows.map((r) => r.rank)).toEqual(ranked.map((r) => r.rank));
    expect(rows[0]).toMatchObject({ rank: 1, synthetic: true });
    expect(Object.keys(rows[0])).toEqual(expect.arrayContaining(['SC01', 'total', 'eligible', 'reasons']));
    const prog = progressRows(progress(recs));
    expect(prog[0]).toMatchObject({ scope: 'district', key: 'all', total: recs.length, target: 73 });
    expect(prog.filter((r) => r.scope === 'street').reduce((s, r) => s + (r.total as number), 0)).toBe(recs.length);
  });
  it('flatRows flattens nested figures and joins arrays', () => {
    expect(flatRows([{ id: 'B1', members: ['C001', 'C002'], funding: { city: 1, owners: 2 } }])).toEqual([{ id: 'B1', members: 'C001 C002', 'funding.city': 1, 'funding.owners': 2 }]);
  });
  it('XLSX and CSV tables re-open with their headers and values (title row skipped)', async () => {
    const rows = [{ id: 'C001', 名称: '孔浦一村', total: 71.5, eligible: true }];
    const meta = { layer: 'tables', attribution: ['© OpenStreetMap contributors'] };
    const x = await readSource('t.xlsx', tablesToXlsx([{ name: 'scores', rows }], meta));
    expect(x.sheets[0].headers).toEqual(['id', '名称', 'total', 'eligible']);
    expect(x.sheets[0].rows[0]).toEqual(['C001', '孔浦一村', 71.5, true]);
    const c = await readSource('t.csv', new TextEncoder().encode(tableToCsv({ name: 'scores', rows }, meta)));
    expect(c.sheets[0].headers).toEqual(['id', '名称', 'total', 'eligible']);
    expect(c.sheets[0].rows[0]).toEqual(['C001', '孔浦一村', '71.5', 'true']);
  });
});
