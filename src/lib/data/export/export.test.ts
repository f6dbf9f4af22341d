/**
 * Exports carry attribution and the demonstration flag, CSV has a BOM, and every layer export re-opens
 * in the importer with nothing lost (round trip on the real default dataset in public/data).
 */
import { readFgbBytes } from '../import/fgb';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as XLSX from '@e965/xlsx';
import { exportLayer, layerToCsv, layerToGeoJson, tablesToXlsx, tableToCsv, type LayerFormat } from './index';
import { importFile, type ImportKind } from '../import';
import { parseLayer } from '../load';
import type { Dataset } from '../../domain/types';

const DATA = join(__dirname, '../../../../public/data');
const ATTR = { attribution: ['© OpenStreetMap contributors, ODbL 1.0', 'demo: geodata/generate.ts'] };

async function layer<K extends 'communities' | 'facilities' | 'roads'>(k: K): Promise<Dataset[K]> {
  return parseLayer(k, new Uint8Array(readFileSync(join(DATA, `${k}.fgb`))), `${k}.fgb`);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

describe('export format details', () => {
  it('GeoJSON carries the attribution and counts demonstration records', async () => {
    const cs = deepFreeze((await layer('communities')).slice(0, 5));
    const fc = JSON.parse(layerToGeoJson(cs, { layer: 'communities', ...ATTR }));
    expect(fc.properties.attribution).toContain('OpenStreetMap');
    expect(fc.properties.demonstration_records).toBe(cs.filter((c) => c.properties.synthetic).length);
    expect(fc.features[0].properties.synthetic).toBe(cs[0].properties.synthetic);
  });
  it('CSV starts with a UTF-8 BOM and an attribution line naming the demonstration records', async () => {
    const fs = deepFreeze((await layer('facilities')).slice(0, 3));
    const csv = layerToCsv(fs, { layer: 'facilities', ...ATTR });
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const [title, header] = csv.slice(1).split('\r\n');
    expect(title).toContain('OpenStreetMap');
    if (fs.some((f) => f.properties.synthetic)) expect(title).toContain('演示数据');
    expect(header.split(',')).toEqual(expect.arrayContaining(['id', 'name', 'category', 'synthetic', 'source', 'lon', 'lat']));
  });
  it('tables as XLSX: one sheet per table, attribution title row, Chinese intact; CSV with BOM', () => {
    const rows = [
      { 小区: '孔浦一村', 覆盖率: 0.8, synthetic: true },
      { 小区: '白沙新村', 覆盖率: 0.55, synthetic: false },
    ];
    const wb = XLSX.read(tablesToXlsx([{ name: 'coverage', rows }, { name: 'scores', rows: [{ a: 1 }] }], { layer: 'tables', ...ATTR }), { type: 'array' });
    expect(wb.SheetNames).toEqual(['coverage', 'scores']);
    const aoa = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets.coverage, { header: 1 });
    expect(String(aoa[0][0])).toMatch(/Attribution.*演示数据.*1 \/ 2/);
    expect(aoa[1]).toEqual(['小区', '覆盖率', 'synthetic']);
    expect(aoa[2]).toEqual(['孔浦一村', 0.8, true]);
    const csv = tableToCsv({ name: 'coverage', rows }, { layer: 'tables', ...ATTR });
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain('孔浦一村,0.8,true');
  });
});

describe('FlatGeobuf export', () => {
  it('carries the attribution in every record (the JS writer has no header metadata)', async () => {
    const original = await layer('facilities');
    const file = exportLayer(original, 'fgb', { layer: 'facilities', ...ATTR });
    const back = readFgbBytes(file.bytes);
    expect(back).toHaveLength(original.length);
    for (const f of back) expect(f.properties?.attribution).toBe(ATTR.attribution.join('; '));
  });
});

describe('round trip: export → import loses nothing', () => {
  const kinds: ImportKind[] = ['communities', 'facilities', 'roads'];
  const formats: LayerFormat[] = ['geojson', 'fgb', 'csv', 'xlsx'];
  for (const kind of kinds)
    for (const format of formats)
      it(`${kind} as ${format}`, async () => {
        const original = deepFreeze(await layer(kind as 'communities'));
        expect(original.length).toBeGreaterThan(0);
        const file = exportLayer(original, format, { layer: kind, ...ATTR });
        const p = await importFile(file.name, file.bytes, { kind, year: 2026 });
        expect(p.mapping.kind).toBe(kind);
        expect(p.crs).toBe('EPSG:4326');
        const errors = p.staged.rows.flatMap((r) => r.issues).filter((i) => i.severity === 'error');
        expect(errors).toEqual([]);
        const back = p.staged.rows.map((r) => r.feature);
        expect(back).toHaveLength(original.length);
        // the same records, properties and coordinates (bit-exact doubles), ids, synthetic flags and sources
        expect(back).toEqual(original.map((f) => ({ type: 'Feature', geometry: f.geometry, properties: f.properties })));
      });
});
