/**
 * Spare sites (存量资源) through the existing importer: Chinese headers are mapped (名称, 类型, 面积, 产权单位,
 * 经度, 纬度), kinds read from Chinese words, 万㎡ areas converted, and every bad row named (row, column, why).
 */
import { describe, expect, it } from 'vitest';
import { allIssues, importFile } from './index';
import type { SpareSiteFeature } from '../../domain/spare-sites';

const csv = (text: string) => new TextEncoder().encode(text);
const FILE = '存量资源.csv';

describe('spare sites import', () => {
  it('maps Chinese headers, reads the kind words and the area, keeps a missing owner unknown', async () => {
    const p = await importFile(
      FILE,
      csv('名称,类型,面积,产权单位,经度,纬度\n孔浦新村闲置用房,闲置用房,420,街道办事处,121.553,29.905\n庄桥边角地,边角地,0.38万㎡,,121.56,29.93\n洪塘空地,空地,,区国资公司,121.50,29.92\n'),
      { year: 2026 },
    );
    expect(p.mapping.kind).toBe('spare_sites');
    expect(p.mapping.columns).toMatchObject({ name: '名称', kind: '类型', area_m2: '面积', owner: '产权单位', lon: '经度', lat: '纬度' });
    const fs = p.staged.rows.map((r) => r.feature as SpareSiteFeature);
    expect(p.staged.counts.ok).toBe(3);
    expect(fs.map((f) => [f.properties.kind, f.properties.area_m2, f.properties.owner])).toEqual([
      ['idle_room', 420, '街道办事处'],
      ['corner_land', 3800, null],
      ['vacant_land', null, '区国资公司'],
    ]);
    expect(fs.every((f) => f.properties.source === FILE && !f.properties.synthetic)).toBe(true);
  });

  it('names the row, column and reason of a bad kind, a negative area and a site without a position', async () => {
    const p = await importFile(FILE, csv('名称,类型,面积,权属,经度,纬度\n甲,仓库,100,x,121.55,29.9\n乙,空地,-5,x,121.55,29.9\n丙,空地,800,x,,\n'), { year: 2026, kind: 'spare_sites' });
    const issues = allIssues(p.staged).filter((i) => i.severity === 'error');
    expect(issues.map((i) => [i.row, i.column, i.code])).toEqual([
      [2, '类型', 'bad_enum'],
      [3, '面积', 'negative'],
      [4, '经度', 'missing_geometry'],
    ]);
    expect(issues[2].message.zh).toContain('存量资源需要位置');
    expect(p.staged.counts.error).toBe(3);
  });
});
