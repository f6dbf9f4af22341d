/**
 * Export: every layer as GeoJSON, FlatGeobuf, CSV and an XLSX attribute table; tables as XLSX and CSV. Pure functions returning
 * bytes/strings; the UI turns them into downloads, the CLI writes files.
 *
 * - Every export carries the attribution (GeoJSON: collection `properties.attribution`; CSV and XLSX: a
 *   first line "数据来源/Attribution: …", which the importer skips as a title row; FGB: header description).
 * - Demonstration records keep `synthetic: true` and a `source`; the GeoJSON collection and the CSV/XLSX
 *   title say how many records are 演示数据.
 * - Text cells that a spreadsheet would run as a formula (= + - @ …) get a leading ' (cells.ts, one rule for
 *   every CSV/XLSX writer); the importer strips it again.
 * - CSV is UTF-8 with a BOM so Excel opens Chinese correctly; geometry goes into lon/lat columns for
 *   points and a `geometry` column holding GeoJSON otherwise, so the importer reads it back losslessly.
 */
import * as XLSX from '@e965/xlsx';
import Papa from 'papaparse';
import { serialize } from 'flatgeobuf/lib/mjs/geojson.js';
import type { FeatureCollection, Geometry } from 'geojson';
import { csvRows, safeCell } from './cells';

/** 'xlsx' = the layer's attribute table (geometry as lon/lat or GeoJSON text, like CSV) */
export type LayerFormat = 'geojson' | 'fgb' | 'csv' | 'xlsx';
export type TableFormat = 'xlsx' | 'csv';

export interface ExportMeta {
  /** layer or table name, e.g. "communities" */
  layer: string;
  /** attribution lines (from the manifest), e.g. "© OpenStreetMap contributors, ODbL 1.0" */
  attribution: string[];
}

/** any GeoJSON-like feature: typed domain features (CommunityFeature, …) and plain ones */
export interface AnyFeature {
  geometry: Geometry | null;
  properties: object | null;
}
const propsOf = (f: AnyFeature) => (f.properties ?? {}) as Record<string, unknown>;

const BOM = '\uFEFF';

function syntheticCount(features: readonly AnyFeature[]): number {
  return features.filter((f) => propsOf(f).synthetic === true).length;
}

/** The one-line title of CSV/XLSX exports: attribution + demonstration-data count. */
export function titleLine(meta: ExportMeta, total: number, synthetic: number): string {
  const demo = synthetic ? ` | 演示数据 (demonstration data): ${synthetic} / ${total} 条记录 (synthetic=true)` : '';
  return `数据来源 / Attribution: ${meta.attribution.join('; ') || '—'} | 图层 / layer: ${meta.layer}${demo}`;
}

export function layerToGeoJson(features: readonly AnyFeature[], meta: ExportMeta): string {
  const synthetic = syntheticCount(features);
  const fc: FeatureCollection & { properties: Record<string, unknown> } = {
    type: 'FeatureCollection',
    properties: {
      layer: meta.layer,
      attribution: meta.attribution.join('; '),
      demonstration_records: synthetic,
      ...(synthetic ? { demonstration_note: '演示数据: synthetic=true 的记录是生成的演示数据，不是实测数据 (generated demonstration data, not survey data)' } : {}),
    },
    features: features.map((f) => ({ type: 'Feature', geometry: f.geometry as Geometry, properties: { ...propsOf(f) } })),
  };
  return JSON.stringify(fc);
}

/** FGB columns are typed from the values: arrays/objects are stored as JSON text. */
export function layerToFgb(features: readonly AnyFeature[], meta: ExportMeta): Uint8Array {
  const attribution = meta.attribution.join('; ');
  const flat = features
    .filter((f) => f.geometry)
    .map((f) => {
      const p: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(propsOf(f))) p[k] = v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
      // flatgeobuf's JS serialize() writes no header title/description, so the attribution travels as a column
      p.attribution = attribution;
      return { type: 'Feature' as const, geometry: f.geometry as Geometry, properties: p };
    });
  const fc = { type: 'FeatureCollection' as const, features: flat };
  return serialize(fc, 4326);
}

function columnsOf(rows: readonly Record<string, unknown>[]): string[] {
  const cols: string[] = [];
  const seen = new Set<string>();
  for (const r of rows)
    for (const k of Object.keys(r))
      if (!seen.has(k)) {
        seen.add(k);
        cols.push(k);
      }
  return cols;
}

/** Flatten features to rows: points → lon/lat, other geometries → a GeoJSON `geometry` column. */
export function featureRows(features: readonly AnyFeature[]): Record<string, unknown>[] {
  return features.map((f) => {
    const row: Record<string, unknown> = { ...propsOf(f) };
    const g = f.geometry;
    if (g && g.type === 'Point') {
      row.lon = g.coordinates[0];
      row.lat = g.coordinates[1];
    } else if (g) row.geometry = JSON.stringify(g);
    else {
      row.lon = '';
      row.lat = '';
    }
    return row;
  });
}

export function rowsToCsv(rows: readonly Record<string, unknown>[], title: string | null, columns = columnsOf(rows)): string {
  const body = csvRows(columns, rows);
  return BOM + (title ? Papa.unparse([[title]], { newline: '\r\n' }) + '\r\n' : '') + body + '\r\n';
}

export function layerToCsv(features: readonly AnyFeature[], meta: ExportMeta): string {
  return rowsToCsv(featureRows(features), titleLine(meta, features.length, syntheticCount(features)));
}

export interface TableSheet {
  name: string;
  rows: readonly Record<string, unknown>[];
  /** column order; default: keys in order of first appearance */
  columns?: string[];
}

/** One workbook, one sheet per table, each with the attribution title row merged across it. */
export function tablesToXlsx(tables: readonly TableSheet[], meta: ExportMeta): Uint8Array {
  const wb = XLSX.utils.book_new();
  for (const t of tables) {
    const cols = t.columns ?? columnsOf(t.rows);
    const synthetic = t.rows.filter((r) => r.synthetic === true).length;
    const aoa: (string | number | boolean)[][] = [[titleLine({ ...meta, layer: t.name }, t.rows.length, synthetic)], cols.map(safeCell), ...t.rows.map((r) => cols.map((c) => safeCell(r[c])))];
    const ws = XLSX.utils.aoa_to_sheet(aoa);
    if (cols.length > 1) ws['!merges'] = [{ s: { r: 0, c: 0 }, e: { r: 0, c: cols.length - 1 } }];
    XLSX.utils.book_append_sheet(wb, ws, safeSheetName(t.name));
  }
  return new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx', compression: true }));
}

export function tableToCsv(t: TableSheet, meta: ExportMeta): string {
  const synthetic = t.rows.filter((r) => r.synthetic === true).length;
  return rowsToCsv(t.rows, titleLine({ ...meta, layer: t.name }, t.rows.length, synthetic), t.columns);
}

function safeSheetName(s: string): string {
  return s.replace(/[\\/?*[\]:]/g, '_').slice(0, 31) || 'Sheet';
}

/** Export a layer in one format; returns the bytes and a file name. */
export function exportLayer(features: readonly AnyFeature[], format: LayerFormat, meta: ExportMeta): { name: string; bytes: Uint8Array; mime: string } {
  const enc = new TextEncoder();
  switch (format) {
    case 'geojson':
      return { name: `${meta.layer}.geojson`, bytes: enc.encode(layerToGeoJson(features, meta)), mime: 'application/geo+json' };
    case 'fgb':
      return { name: `${meta.layer}.fgb`, bytes: layerToFgb(features, meta), mime: 'application/octet-stream' };
    case 'csv':
      return { name: `${meta.layer}.csv`, bytes: enc.encode(layerToCsv(features, meta)), mime: 'text/csv;charset=utf-8' };
    case 'xlsx':
      return {
        name: `${meta.layer}.xlsx`,
        bytes: tablesToXlsx([{ name: meta.layer, rows: featureRows(features) }], meta),
        mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      };
  }
}
