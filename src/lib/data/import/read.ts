/**
 * Parse step: file bytes → Source (one or more Sheets). Every format is read by a well-kept library:
 * papaparse (CSV), SheetJS xlsx (XLSX/XLS), shpjs (shapefile geometry + DBF) with JSZip to open the
 * archive, flatgeobuf (FGB), fast-xml-parser (OSM XML). Any failure becomes an ImportError with a
 * specific message; no exception of another type escapes readSource().
 */
import Papa from 'papaparse';
import * as XLSX from '@e965/xlsx';
import JSZip from 'jszip';
import { parseShp, parseDbf } from 'shpjs';
import type { Geometry, Feature } from 'geojson';
import { decodeText, dbfLanguageDriver, isUtf8, normaliseEncodingLabel } from './encoding';
import { sheetFromGrid, type Merge } from './table';
import { ImportError, type Cell, type Message, type Sheet, type Source, type SourceFormat } from './types';
import { parseCrs, type CrsId } from '../crs';
import { parseOsm } from './osm';
import { readFgbBytes } from './fgb';

const MAX_BYTES = 200 * 1024 * 1024;

/** 'zip' = a zip archive whose content (XLSX or shapefile) is decided by its entries. */
export function detectFormat(file: string, bytes: Uint8Array): SourceFormat | 'zip' {
  const lower = file.toLowerCase();
  const b = bytes;
  if (b.length >= 3 && b[0] === 0x66 && b[1] === 0x67 && b[2] === 0x62) return 'fgb';
  if (b.length >= 2 && b[0] === 0x50 && b[1] === 0x4b) return 'zip';
  if (b.length >= 8 && b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0) return 'xlsx'; // legacy .xls (OLE2)
  if (lower.endsWith('.fgb')) return 'fgb';
  if (lower.endsWith('.osm') || lower.endsWith('.xml')) return 'osm';
  if (lower.endsWith('.geojson') || lower.endsWith('.json')) return 'geojson';
  if (lower.endsWith('.xlsx') || lower.endsWith('.xls')) return 'xlsx';
  if (lower.endsWith('.zip')) return 'shapefile';
  // sniff text
  const head = new TextDecoder('utf-8').decode(b.subarray(0, 512)).replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('<')) return 'osm';
  if (head.startsWith('{')) return 'geojson';
  return 'csv';
}

const msg = (zh: string, en: string): Message => ({ zh, en });

/** Read any supported file. Throws ImportError only. */
export async function readSource(file: string, bytes: Uint8Array): Promise<Source> {
  if (bytes.length === 0) throw new ImportError(file, msg('文件为空', 'the file is empty'));
  if (bytes.length > MAX_BYTES) throw new ImportError(file, msg('文件超过 200 MB', 'the file is larger than 200 MB'));
  const detected = detectFormat(file, bytes);
  let format: SourceFormat = detected === 'zip' ? 'shapefile' : detected;
  try {
    if (detected === 'zip') format = await zipKind(bytes);
    switch (format) {
      case 'csv':
        return { file, format, sheets: [readCsv(file, bytes)] };
      case 'xlsx':
        return { file, format, sheets: readXlsx(file, bytes) };
      case 'geojson':
        return { file, format, sheets: [readGeoJson(file, bytes)] };
      case 'shapefile':
        return { file, format, sheets: await readShapefileZip(file, bytes) };
      case 'fgb':
        return { file, format, sheets: [await readFgb(file, bytes)] };
      case 'osm':
        return { file, format, sheets: parseOsm(file, decodeText(bytes).text) };
    }
  } catch (e) {
    if (e instanceof ImportError) throw e;
    const detail = e instanceof Error ? e.message : String(e);
    throw new ImportError(file, msg(`无法读取为 ${formatName(format)}: ${detail}`, `cannot be read as ${formatName(format)}: ${detail}`));
  }
  throw new ImportError(file, msg('不支持的文件类型', 'unsupported file type'));
}

export function formatName(f: SourceFormat): string {
  return { csv: 'CSV', xlsx: 'Excel', geojson: 'GeoJSON', shapefile: 'Shapefile (zip)', fgb: 'FlatGeobuf', osm: 'OSM XML' }[f] ?? f;
}

async function zipKind(bytes: Uint8Array): Promise<SourceFormat> {
  const zip = await JSZip.loadAsync(bytes);
  const names = Object.keys(zip.files);
  if (names.some((n) => n.startsWith('xl/') || n === '[Content_Types].xml')) return 'xlsx';
  return 'shapefile';
}

// ---------- CSV ----------
export function readCsv(file: string, bytes: Uint8Array): Sheet {
  const { text, encoding } = decodeText(bytes);
  if (text.includes('\u0000')) throw new ImportError(file, msg('不是文本文件 (含二进制内容)', 'not a text file (contains binary data)'));
  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: false, dynamicTyping: false });
  const grid: Cell[][] = parsed.data.map((r) => (Array.isArray(r) ? r.map((c) => (c === '' ? null : c)) : []));
  while (grid.length && grid[grid.length - 1].every((c) => c === null)) grid.pop();
  if (!grid.length) throw new ImportError(file, msg('没有数据行', 'no rows'));
  const sheet = sheetFromGrid(file, grid, [], encoding);
  const enc: Message =
    encoding === 'gb18030'
      ? msg('编码: GBK/GB18030 (不是有效的 UTF-8，按中文 Windows 编码读取)', 'encoding: GBK/GB18030 (not valid UTF-8; read as Chinese Windows encoding)')
      : msg(`编码: ${encoding.toUpperCase()}`, `encoding: ${encoding.toUpperCase()}`);
  sheet.notes.unshift(enc);
  for (const e of parsed.errors.slice(0, 5))
    if (e.code !== 'UndetectableDelimiter') sheet.notes.push(msg(`CSV 第 ${(e.row ?? 0) + 1} 行: ${e.message}`, `CSV row ${(e.row ?? 0) + 1}: ${e.message}`));
  return sheet;
}

// ---------- XLSX ----------
export function readXlsx(file: string, bytes: Uint8Array): Sheet[] {
  const wb = XLSX.read(bytes, { type: 'array', cellDates: false, dense: false });
  const sheets: Sheet[] = [];
  for (const name of wb.SheetNames) {
    const ws = wb.Sheets[name];
    if (!ws || !ws['!ref']) continue;
    const grid = XLSX.utils.sheet_to_json<Cell[]>(ws, { header: 1, raw: true, defval: null, blankrows: true });
    // sheet_to_json starts at the sheet's range; shift merges to match
    const range = XLSX.utils.decode_range(ws['!ref']);
    const merges: Merge[] = (ws['!merges'] ?? []).map((m) => ({
      s: { r: m.s.r - range.s.r, c: m.s.c - range.s.c },
      e: { r: m.e.r - range.s.r, c: m.e.c - range.s.c },
    }));
    if (!grid.some((r) => r.some((c) => c !== null && c !== ''))) continue;
    const sheet = sheetFromGrid(name, grid, merges);
    // row numbers relative to the sheet's first row
    sheet.rowNumbers = sheet.rowNumbers.map((n) => n + range.s.r);
    sheet.firstRow += range.s.r;
    sheets.push(sheet);
  }
  if (!sheets.length) throw new ImportError(file, msg('工作簿中没有含数据的工作表', 'the workbook has no sheet with data'));
  return sheets;
}

// ---------- vector layers ----------
function layerSheet(name: string, features: Feature<Geometry | null>[], extra: Partial<Sheet> = {}): Sheet {
  const headers: string[] = [];
  const index = new Map<string, number>();
  for (const f of features)
    for (const k of Object.keys(f.properties ?? {}))
      if (!index.has(k)) {
        index.set(k, headers.length);
        headers.push(k);
      }
  const rows: Cell[][] = features.map((f) => {
    const r: Cell[] = headers.map(() => null);
    for (const [k, v] of Object.entries(f.properties ?? {})) {
      r[index.get(k)!] = v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : (v as Cell);
    }
    return r;
  });
  return {
    name,
    headers,
    rows,
    geometries: features.map((f) => f.geometry ?? null),
    properties: features.map((f) => (f.properties as Record<string, unknown> | null) ?? null),
    firstRow: 1,
    rowNumbers: features.map((_, i) => i + 1),
    rowLabel: 'feature',
    notes: [],
    ...extra,
  };
}

function crsFromUrn(s: unknown): CrsId | null {
  if (typeof s !== 'string') return null;
  const m = /EPSG:{1,2}(?:[\d.]*:)?(\d+)$/i.exec(s) ?? /(CRS84)$/i.exec(s);
  if (!m) return null;
  try {
    return m[1].toUpperCase() === 'CRS84' ? 'EPSG:4326' : parseCrs(`EPSG:${m[1]}`);
  } catch {
    return null;
  }
}

export function readGeoJson(file: string, bytes: Uint8Array): Sheet {
  const { text } = decodeText(bytes);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ImportError(file, msg(`不是有效的 JSON: ${(e as Error).message}`, `not valid JSON: ${(e as Error).message}`));
  }
  if (!json || typeof json !== 'object') throw new ImportError(file, msg('不是 GeoJSON 对象', 'not a GeoJSON object'));
  const o = json as { type?: string; features?: unknown; crs?: { properties?: { name?: string } }; properties?: Record<string, unknown> };
  let features: Feature[];
  if (o.type === 'FeatureCollection') {
    if (!Array.isArray(o.features)) throw new ImportError(file, msg('FeatureCollection 缺少 features 数组', 'FeatureCollection without a features array'));
    features = o.features.map((f, i) => {
      if (!f || typeof f !== 'object' || (f as Feature).type !== 'Feature')
        throw new ImportError(file, msg(`第 ${i + 1} 个要素不是 Feature`, `feature ${i + 1} is not a Feature`));
      return f as Feature;
    });
  } else if (o.type === 'Feature') features = [o as unknown as Feature];
  else if (typeof o.type === 'string' && /Point|LineString|Polygon|GeometryCollection/.test(o.type))
    features = [{ type: 'Feature', properties: {}, geometry: o as unknown as Geometry }];
  else throw new ImportError(file, msg(`未知的 GeoJSON 类型 "${String(o.type)}"`, `unknown GeoJSON type "${String(o.type)}"`));
  const sheet = layerSheet(file, features, { declaredCrs: crsFromUrn(o.crs?.properties?.name) });
  // our own exports carry attribution in the collection's properties: keep it visible
  const attribution = o.properties?.attribution;
  if (typeof attribution === 'string') sheet.notes.push(msg(`文件署名: ${attribution}`, `file attribution: ${attribution}`));
  return sheet;
}

export async function readShapefileZip(file: string, bytes: Uint8Array): Promise<Sheet[]> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch (e) {
    throw new ImportError(file, msg(`不是有效的 zip 压缩包: ${(e as Error).message}`, `not a valid zip archive: ${(e as Error).message}`));
  }
  const entries = Object.values(zip.files).filter((f) => !f.dir && !f.name.includes('__MACOSX'));
  const byBase = new Map<string, Record<string, JSZip.JSZipObject>>();
  for (const f of entries) {
    const m = /^(.*)\.(shp|dbf|prj|cpg|shx)$/i.exec(f.name);
    if (!m) continue;
    const g = byBase.get(m[1]) ?? {};
    g[m[2].toLowerCase()] = f;
    byBase.set(m[1], g);
  }
  const layers = [...byBase.entries()].filter(([, g]) => g.shp);
  if (!layers.length) {
    const geo = entries.find((f) => /\.(geo)?json$/i.test(f.name));
    if (geo) return [readGeoJson(geo.name, await geo.async('uint8array'))];
    throw new ImportError(file, msg('压缩包中没有 .shp 文件', 'the archive holds no .shp file'));
  }
  const sheets: Sheet[] = [];
  for (const [base, g] of layers) {
    const notes: Message[] = [];
    const shp = await g.shp.async('uint8array');
    let geometries: (Geometry | null)[];
    try {
      geometries = parseShp(shp) as (Geometry | null)[];
    } catch (e) {
      throw new ImportError(file, msg(`${base}.shp 无法解析: ${(e as Error).message}`, `${base}.shp cannot be parsed: ${(e as Error).message}`));
    }
    let records: Record<string, unknown>[] = [];
    let encoding: string | undefined;
    if (g.dbf) {
      const dbf = await g.dbf.async('uint8array');
      const cpgText = g.cpg ? (await g.cpg.async('string')).trim() : null;
      const fromCpg = cpgText ? normaliseEncodingLabel(cpgText) : null;
      if (fromCpg) {
        encoding = fromCpg;
        notes.push(msg(`属性编码来自 .cpg: ${cpgText}`, `attribute encoding from the .cpg: ${cpgText}`));
      } else {
        encoding = dbfLanguageDriver(dbf) ?? (isUtf8(dbf.subarray(32)) ? 'utf-8' : 'gb18030');
        notes.push(
          encoding === 'gb18030'
            ? msg('没有 .cpg 文件: 属性不是有效 UTF-8，按 GBK/GB18030 读取', 'no .cpg file: attributes are not valid UTF-8; read as GBK/GB18030')
            : msg(`没有 .cpg 文件: 属性按 ${encoding} 读取`, `no .cpg file: attributes read as ${encoding}`),
        );
      }
      try {
        records = parseDbf(dbf, encoding);
      } catch (e) {
        throw new ImportError(file, msg(`${base}.dbf 无法解析: ${(e as Error).message}`, `${base}.dbf cannot be parsed: ${(e as Error).message}`));
      }
    } else notes.push(msg('没有 .dbf 文件: 只有几何，没有属性', 'no .dbf file: geometry only, no attributes'));
    const prj = g.prj ? await g.prj.async('string') : null;
    if (!prj) notes.push(msg('没有 .prj 文件: 坐标系需根据数值判断', 'no .prj file: the coordinate system is guessed from the values'));
    const features: Feature<Geometry | null>[] = geometries.map((geometry, i) => ({ type: 'Feature', geometry, properties: records[i] ?? {} }));
    const name = base.split('/').pop() ?? base;
    sheets.push(layerSheet(name, features, { prj, encoding, notes }));
  }
  return sheets;
}

export async function readFgb(file: string, bytes: Uint8Array): Promise<Sheet> {
  let declared: CrsId | null = null;
  const features = readFgbBytes(bytes, (h) => {
    if (h.crs?.code) {
      try {
        declared = parseCrs(`EPSG:${h.crs.code}`);
      } catch {
        declared = null;
      }
    }
  });
  if (!features.length) throw new ImportError(file, msg('FlatGeobuf 文件中没有要素', 'the FlatGeobuf file holds no features'));
  return layerSheet(file, features, { declaredCrs: declared });
}
