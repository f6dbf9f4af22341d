/**
 * Parse step: file bytes → Source (one or more Sheets). Every format is read by a well-kept library:
 * papaparse (CSV), SheetJS xlsx (XLSX/XLS), shpjs (shapefile geometry + DBF) with JSZip to open the
 * archive, flatgeobuf (FGB), fast-xml-parser (OSM XML). Any failure becomes an ImportError with a
 * specific message; no exception of another type escapes readSource().
 */
import Papa from 'papaparse';
import * as XLSX from '@e965/xlsx';
import type JSZip from 'jszip';
import { parseShp, parseDbf } from 'shpjs';
import type { Geometry, Feature } from 'geojson';
import { decodeText, dbfLanguageDriver, isUtf8, normaliseEncodingLabel } from './encoding';
import { sheetFromGrid, type Merge } from './table';
import { ImportError, type Cell, type Message, type Progress, type Sheet, type Source, type SourceFormat } from './types';
import { LIMITS, MB, MBzh } from './limits';
import { checkDeclared, inflateEntry, inflateText, openZip } from './unzip';
import { parseCrs, type CrsId } from '../crs';
import { parseOsm } from './osm';
import { readFgbBytes } from './fgb';

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

/**
 * Read any supported file. Throws ImportError only. Hostile input is bounded by LIMITS (limits.ts): file
 * size, CSV record length, zip entry/total inflated size (declared and actual), spreadsheet rows.
 * `progress` hears what is being done (the app's import worker forwards it to the progress bar).
 */
export async function readSource(file: string, bytes: Uint8Array, progress: Progress = () => {}): Promise<Source> {
  if (bytes.length === 0) throw new ImportError(file, msg('文件为空', 'the file is empty'));
  if (bytes.length > LIMITS.fileBytes) throw new ImportError(file, msg(`文件超过 ${MBzh(LIMITS.fileBytes)}`, `the file is larger than ${MB(LIMITS.fileBytes)}`));
  const detected = detectFormat(file, bytes);
  let format: SourceFormat = detected === 'zip' ? 'shapefile' : detected;
  try {
    let zip: JSZip | null = null;
    if (detected === 'zip') {
      zip = await openZip(file, bytes);
      format = zipKind(zip);
    }
    progress(msg(`正在解析 ${formatName(format)}`, `parsing ${formatName(format)}`), null);
    switch (format) {
      case 'csv':
        return { file, format, sheets: [readCsv(file, bytes)] };
      case 'xlsx':
        return { file, format, sheets: await readXlsx(file, bytes, zip, progress) };
      case 'geojson':
        return { file, format, sheets: [readGeoJson(file, bytes)] };
      case 'shapefile':
        return { file, format, sheets: await readShapefileZip(file, bytes, zip, progress) };
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

function zipKind(zip: JSZip): SourceFormat {
  const names = Object.keys(zip.files);
  if (names.some((n) => n.startsWith('xl/') || n === '[Content_Types].xml')) return 'xlsx';
  return 'shapefile';
}

// ---------- CSV ----------
const QUOTE = 0x22;
const LF = 0x0a;
/** bytes after which a quote opens a quoted field: start of a line or a field separator (, ; tab |) */
const FIELD_START = new Set([LF, 0x0d, 0x2c, 0x3b, 0x09, 0x7c]);

/**
 * Refuse a CSV with a record longer than LIMITS.csvRecordBytes before it is decoded or parsed (a 200 MB
 * line without a newline would otherwise take minutes and gigabytes). A record ends at a line break outside
 * a quoted field; a quote opens a field only at the start of a field, as papaparse reads it. One pass over
 * the bytes, O(n); line breaks and quotes are single bytes in UTF-8, GB18030 and UTF-16.
 */
export function checkCsvRecords(file: string, bytes: Uint8Array, limit: number = LIMITS.csvRecordBytes): void {
  let start = 0;
  let line = 1;
  let startLine = 1;
  const tooLong = () =>
    new ImportError(
      file,
      msg(
        `第 ${startLine} 行起的一条记录超过 ${MBzh(limit)} (没有换行或引号未闭合)：不是表格文件；单条记录上限 ${MBzh(limit)}`,
        `the record starting on line ${startLine} is longer than ${MB(limit)} (no line break, or an unclosed quote): not a table; the limit is ${MB(limit)} per record`,
      ),
    );
  if (bytes.indexOf(QUOTE) < 0) {
    // no quotes: records are lines, found by the native indexOf
    while (start < bytes.length) {
      const nl = bytes.indexOf(LF, start);
      const end = nl < 0 ? bytes.length : nl;
      if (end - start > limit) throw tooLong();
      start = end + 1;
      startLine = ++line;
    }
    return;
  }
  let quoted = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === QUOTE) {
      if (quoted) quoted = false;
      else if (i === start || FIELD_START.has(bytes[i - 1])) quoted = true;
    } else if (b === LF) {
      line++;
      if (!quoted) {
        start = i + 1;
        startLine = line;
      }
    }
    if (i - start > limit) throw tooLong();
  }
}

export function readCsv(file: string, bytes: Uint8Array): Sheet {
  checkCsvRecords(file, bytes);
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
/** Count `<row` / `<x:row` start tags across inflated chunks of a sheet's XML (tags may straddle chunks). */
function rowCounter(onCount: (n: number) => void): (chunk: Uint8Array) => void {
  let n = 0;
  let tail = '';
  const dec = new TextDecoder('latin1');
  return (chunk) => {
    const text = tail + dec.decode(chunk);
    const re = /<(?:\w+:)?row[\s>/]/g;
    while (re.exec(text)) n++;
    // keep a short tail that may hold the start of a tag cut by the chunk boundary (and no whole tag)
    const lt = text.lastIndexOf('<');
    tail = lt >= 0 && text.length - lt < 24 && !/^<(?:\w+:)?row[\s>/]/.test(text.slice(lt)) ? text.slice(lt) : '';
    onCount(n);
  };
}

/**
 * XLSX is a zip: its entries are size-checked and inflated as bounded streams first (declared sizes, actual
 * sizes, and the rows of each sheet counted in the stream), so a bomb or a sheet of a million rows is refused
 * before SheetJS materialises anything; `sheetRows` bounds SheetJS itself (legacy .xls included).
 */
async function checkWorkbook(file: string, zip: JSZip, progress: Progress): Promise<void> {
  const entries = Object.values(zip.files).filter((f) => !f.dir);
  checkDeclared(file, entries);
  const budget = { used: 0 };
  const names = await sheetNames(file, zip, budget);
  for (const e of entries) {
    const sheet = /^xl\/worksheets\/[^/]+\.xml$/i.test(e.name);
    const name = names.get(e.name.toLowerCase()) ?? e.name.replace(/^.*\//, '').replace(/\.xml$/i, '');
    const inspect = sheet
      ? rowCounter((n) => {
          if (n > LIMITS.sheetRows) throw tooManyRows(file, name, `> ${LIMITS.sheetRows.toLocaleString('en')}`);
        })
      : undefined;
    await inflateEntry(file, e, { budget, keep: false, inspect, progress });
  }
}

/** worksheet part ("xl/worksheets/sheet1.xml") → the sheet's name as Excel shows it, from workbook.xml and its rels */
async function sheetNames(file: string, zip: JSZip, budget: { used: number }): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const wb = zip.file('xl/workbook.xml');
  const rels = zip.file('xl/_rels/workbook.xml.rels');
  if (!wb || !rels) return out;
  const text = async (e: JSZip.JSZipObject) => new TextDecoder().decode(await inflateEntry(file, e, { budget, limit: 16 * 1024 * 1024 }));
  const target = new Map<string, string>();
  for (const m of (await text(rels)).matchAll(/<Relationship\b[^>]*>/g)) {
    const id = /\bId="([^"]*)"/.exec(m[0])?.[1];
    const t = /\bTarget="([^"]*)"/.exec(m[0])?.[1];
    if (id && t) target.set(id, t.startsWith('/') ? t.slice(1) : `xl/${t}`);
  }
  for (const m of (await text(wb)).matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(m[0])?.[1];
    const id = /\br:id="([^"]*)"/.exec(m[0])?.[1];
    const t = id ? target.get(id) : undefined;
    if (name && t) out.set(t.toLowerCase(), name.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'"));
  }
  return out;
}

function tooManyRows(file: string, sheet: string, n: string): ImportError {
  const lim = LIMITS.sheetRows.toLocaleString('en');
  return new ImportError(
    file,
    msg(`工作表 "${sheet}" 有 ${n} 行，超过上限 ${lim} 行：请拆分表格或只保留需要的行`, `sheet "${sheet}" has ${n} rows, more than the limit of ${lim}: split the table or keep only the rows needed`),
  );
}

export async function readXlsx(file: string, bytes: Uint8Array, zip: JSZip | null = null, progress: Progress = () => {}): Promise<Sheet[]> {
  if (zip) await checkWorkbook(file, zip, progress);
  progress(msg('正在读取工作表', 'reading the sheets'), null);
  const wb = XLSX.read(bytes, { type: 'array', cellDates: false, dense: false, sheetRows: LIMITS.sheetRows + 1 });
  const sheets: Sheet[] = [];
  for (const name of wb.SheetNames) {
    const ws = wb.Sheets[name];
    if (!ws || !ws['!ref']) continue;
    const full = XLSX.utils.decode_range(ws['!fullref'] ?? ws['!ref']);
    if (full.e.r - full.s.r + 1 > LIMITS.sheetRows) throw tooManyRows(file, name, (full.e.r - full.s.r + 1).toLocaleString('en'));
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
  // a CRS name is short; a long one is not one (and would make the pattern below quadratic)
  if (typeof s !== 'string' || s.length > 200) return null;
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

/**
 * A .dbf header states its record count and record length; parsedbf trusts them (a 458-byte zip claiming
 * 2×10⁹ records ran for minutes into gigabytes), so they are checked against the file size first.
 */
export function checkDbf(file: string, name: string, dbf: Uint8Array): void {
  const bad = (zh: string, en: string) => new ImportError(file, msg(`${name} 无效: ${zh}`, `${name} is not valid: ${en}`));
  if (dbf.length < 33) throw bad('文件太短', 'too short for a dBASE file');
  const dv = new DataView(dbf.buffer, dbf.byteOffset, dbf.byteLength);
  const records = dv.getUint32(4, true);
  const headerLen = dv.getUint16(8, true);
  const recLen = dv.getUint16(10, true);
  if (headerLen < 33 || headerLen > dbf.length) throw bad(`表头长度 ${headerLen} 与文件大小 ${dbf.length} 字节不符`, `header length ${headerLen} does not fit the file (${dbf.length} bytes)`);
  if (records > 0 && recLen < 1) throw bad('记录长度为 0', 'record length 0');
  const need = headerLen + records * recLen;
  if (need > dbf.length)
    throw bad(
      `表头声明 ${records} 条记录 × ${recLen} 字节 (共 ${need} 字节)，但文件只有 ${dbf.length} 字节`,
      `the header claims ${records} records of ${recLen} bytes (${need} bytes) but the file has ${dbf.length} bytes`,
    );
}

export async function readShapefileZip(file: string, bytes: Uint8Array, opened: JSZip | null = null, progress: Progress = () => {}): Promise<Sheet[]> {
  const zip = opened ?? (await openZip(file, bytes));
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
  const budget = { used: 0 };
  if (!layers.length) {
    const geo = entries.find((f) => /\.(geo)?json$/i.test(f.name));
    if (geo) {
      checkDeclared(file, [geo]);
      return [readGeoJson(geo.name, await inflateEntry(file, geo, { budget, progress }))];
    }
    throw new ImportError(file, msg('压缩包中没有 .shp 文件', 'the archive holds no .shp file'));
  }
  // every entry that will be read, checked on its declared size before anything is inflated
  const side = new Set(layers.flatMap(([, g]) => [g.prj, g.cpg]).filter(Boolean));
  checkDeclared(
    file,
    layers.flatMap(([, g]) => [g.shp, g.dbf, g.prj, g.cpg].filter(Boolean)),
    (e) => (side.has(e) ? LIMITS.zipSideFileBytes : LIMITS.zipEntryBytes),
  );
  const sheets: Sheet[] = [];
  for (const [base, g] of layers) sheets.push(await readShapefileLayer(file, base, g, budget, progress));
  return sheets;
}

async function readShapefileLayer(file: string, base: string, g: Record<string, JSZip.JSZipObject>, budget: { used: number }, progress: Progress): Promise<Sheet> {
  const notes: Message[] = [];
  const shp = await inflateEntry(file, g.shp, { budget, progress });
  let geometries: (Geometry | null)[];
  try {
    geometries = parseShp(shp) as (Geometry | null)[];
  } catch (e) {
    throw new ImportError(file, msg(`${base}.shp 无法解析: ${(e as Error).message}`, `${base}.shp cannot be parsed: ${(e as Error).message}`));
  }
  let records: Record<string, unknown>[] = [];
  let encoding: string | undefined;
  if (g.dbf) {
    const dbf = await inflateEntry(file, g.dbf, { budget, progress });
    checkDbf(file, g.dbf.name, dbf);
    const cpgText = g.cpg ? (await inflateText(file, g.cpg, budget)).trim() : null;
    const fromCpg = cpgText ? normaliseEncodingLabel(cpgText.slice(0, 64)) : null;
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
  const prj = g.prj ? await inflateText(file, g.prj, budget) : null;
  if (!prj) notes.push(msg('没有 .prj 文件: 坐标系需根据数值判断', 'no .prj file: the coordinate system is guessed from the values'));
  const features: Feature<Geometry | null>[] = geometries.map((geometry, i) => ({ type: 'Feature', geometry, properties: records[i] ?? {} }));
  const name = base.split('/').pop() ?? base;
  return layerSheet(name, features, { prj, encoding, notes });
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
