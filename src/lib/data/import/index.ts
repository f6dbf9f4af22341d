/**
 * The importer's public facade: parse → guess mapping and CRS → stage (validate + transform) → commit.
 * The UI calls the steps one by one (the user corrects each guess); the CLI and readLayer() run them in
 * one go with `importFile`. No step changes a Dataset; commitImport() returns a new one.
 */
import { crsLabel, detectCrs, detectSwap, parseCrs, type CrsGuess, type CrsId } from '../crs';
import type { Polygon, MultiPolygon } from 'geojson';
import { readSource } from './read';
import { guessKind, guessMapping, checkMapping, type MappingGuess } from './mapping';
import { stageSheet, type Staged } from './stage';
import { ImportError, type ColumnMapping, type Message, type RowDecision, type Sheet, type Source } from './types';
import type { ImportKind } from './fields';

export * from './types';
export { readSource, detectFormat, formatName } from './read';
export { guessMapping, guessKind, guessAreaUnit, parseMapping, checkMapping, normaliseHeader, type MappingGuess } from './mapping';
export { stageSheet, allIssues, circlePolygon, type Staged, type StagedRow } from './stage';
export { commitImport, placeUnlocated, type CommitMode, type CommitResult, type UnlocatedRecord } from './commit';
export { summariseRoads, type RoadSummary } from './roads';
export { fieldsOf, IMPORT_KINDS, type ImportKind, type FieldDef } from './fields';

/** Raw coordinate pairs of a sheet under a mapping (before any CRS conversion), for CRS detection. */
export function rawPoints(sheet: Sheet, mapping: ColumnMapping, limit = 2000): number[][] {
  const out: number[][] = [];
  if (sheet.geometries) {
    for (const g of sheet.geometries) {
      if (out.length >= limit) break;
      const first = firstPosition(g);
      if (first) out.push(first);
    }
    if (out.length) return out;
  }
  const xi = mapping.columns.lon ? sheet.headers.indexOf(mapping.columns.lon) : -1;
  const yi = mapping.columns.lat ? sheet.headers.indexOf(mapping.columns.lat) : -1;
  if (xi >= 0 && yi >= 0)
    for (const r of sheet.rows) {
      if (out.length >= limit) break;
      const x = Number(String(r[xi] ?? '').replace(/[,\s]/g, ''));
      const y = Number(String(r[yi] ?? '').replace(/[,\s]/g, ''));
      if (r[xi] !== null && r[yi] !== null && Number.isFinite(x) && Number.isFinite(y)) out.push([x, y]);
    }
  const gi = mapping.columns.geometry ? sheet.headers.indexOf(mapping.columns.geometry) : -1;
  if (gi >= 0 && !out.length)
    for (const r of sheet.rows) {
      if (out.length >= limit) break;
      try {
        const p = firstPosition(JSON.parse(String(r[gi] ?? '')));
        if (p) out.push(p);
      } catch {
        // not a geometry; the stage step reports it
      }
    }
  return out;
}

function firstPosition(g: unknown): number[] | null {
  let c: unknown = (g as { coordinates?: unknown } | null)?.coordinates;
  while (Array.isArray(c) && Array.isArray(c[0])) c = c[0];
  return Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'number' ? [c[0], c[1]] : null;
}

/** Guess the CRS of a sheet: the file's declaration (.prj, FGB header, GeoJSON crs) beats the values. */
export function guessCrs(file: string, sheet: Sheet, mapping: ColumnMapping): CrsGuess {
  if (sheet.declaredCrs)
    return { crs: sheet.declaredCrs, basis: 'header', reason: { zh: `文件声明的坐标系: ${sheet.declaredCrs}`, en: `declared by the file: ${sheet.declaredCrs}` } };
  const hints = [file, sheet.name, mapping.columns.lon ?? '', mapping.columns.lat ?? ''];
  return detectCrs(rawPoints(sheet, mapping), { prj: sheet.prj, hints });
}

/** Swapped coordinate columns: map `lon` to this column and `lat` to that one, and read them as `crs`. */
export interface SwapHint {
  lon: string;
  lat: string;
  crs: CrsId;
  reason: Message;
}

/**
 * Do the mapped lon/lat (X/Y) columns hold northing and easting the wrong way round? Only for coordinates
 * in columns (a vector layer's geometry is read by its own axis rules). `crs` is the reading chosen so far.
 */
export function detectSwappedColumns(sheet: Sheet, mapping: ColumnMapping, crs?: CrsId): SwapHint | null {
  const lon = mapping.columns.lon;
  const lat = mapping.columns.lat;
  if (!lon || !lat || sheet.geometries?.some((g) => g)) return null;
  const g = detectSwap(rawPoints(sheet, mapping), crs);
  if (!g) return null;
  return {
    lon: lat,
    lat: lon,
    crs: g.crs,
    reason: {
      zh: `X/Y 列似乎填反了："${lon}" 列是北坐标 (纬度/Y)，"${lat}" 列是东坐标 (经度/X)。交换后按 ${crsLabel(g.crs, 'zh')} 读取，位置落在江北区`,
      en: `the X/Y columns look swapped: "${lon}" holds northings (latitude/Y) and "${lat}" eastings (longitude/X); swapped and read as ${crsLabel(g.crs, 'en')}, the positions fall in Jiangbei`,
    },
  };
}

/** The mapping with its lon and lat columns exchanged. */
export function swapColumns(mapping: ColumnMapping): ColumnMapping {
  return { ...mapping, columns: { ...mapping.columns, lon: mapping.columns.lat ?? null, lat: mapping.columns.lon ?? null } };
}

export interface ImportOptions {
  /** exchange the mapped lon and lat columns (northing given as X) */
  swapXY?: boolean;
  kind?: ImportKind;
  mapping?: ColumnMapping;
  crs?: string;
  /** sheet name or index; default: the first sheet matching `kind`, else the first */
  sheet?: string | number;
  decisions?: Record<number, RowDecision>;
  district?: Polygon | MultiPolygon | null;
  water?: (Polygon | MultiPolygon)[];
  year?: number;
}

export interface Prepared {
  source: Source;
  sheet: Sheet;
  guess: MappingGuess;
  mapping: ColumnMapping;
  crsGuess: CrsGuess;
  crs: CrsId;
  staged: Staged;
  /** the coordinate columns look swapped (null when they do not, or when swapXY was asked for) */
  swap: SwapHint | null;
}

export function pickSheet(source: Source, sheet?: string | number, kind?: ImportKind): Sheet {
  if (typeof sheet === 'number') {
    const s = source.sheets[sheet];
    if (!s) throw new ImportError(source.file, { zh: `没有第 ${sheet + 1} 个工作表/图层`, en: `there is no sheet/layer number ${sheet + 1}` });
    return s;
  }
  if (typeof sheet === 'string') {
    const s = source.sheets.find((x) => x.name === sheet);
    if (!s) throw new ImportError(source.file, { zh: `没有名为 "${sheet}" 的工作表/图层`, en: `there is no sheet/layer named "${sheet}"` });
    return s;
  }
  if (kind) {
    const s = source.sheets.find((x) => x.kindHint === kind) ?? source.sheets.find((x) => !x.kindHint && guessKind(x) === kind);
    if (s) return s;
  }
  return source.sheets[defaultSheetIndex(source)];
}

/** Workbooks often open with a cover or notes sheet: take the sheet with the most rows. Other formats: the first. */
export function defaultSheetIndex(source: Source): number {
  if (source.format !== 'xlsx') return 0;
  let best = 0;
  source.sheets.forEach((s, i) => {
    if (s.rows.length > source.sheets[best].rows.length) best = i;
  });
  return best;
}

/** Stage a sheet with explicit mapping and CRS (what the UI calls after each correction). */
export function prepareSheet(source: Source, sheet: Sheet, opts: ImportOptions = {}): Prepared {
  const kind = opts.mapping?.kind ?? opts.kind ?? guessKind(sheet);
  const guess = guessMapping(sheet, kind);
  const given = opts.mapping ?? guess.mapping;
  const problems = opts.mapping ? checkMapping(sheet, given) : [];
  if (problems.length) throw new ImportError(source.file, { zh: problems.map((p) => p.zh).join('; '), en: problems.map((p) => p.en).join('; ') });
  const mapping = opts.swapXY ? swapColumns(given) : given;
  const crsGuess = guessCrs(source.file, sheet, mapping);
  const crs = opts.crs ? parseCrs(opts.crs) : mapping.crs && !opts.swapXY ? parseCrs(mapping.crs) : crsGuess.crs;
  const staged = stageSheet(source.file, sheet, mapping, { crs, decisions: opts.decisions, district: opts.district, water: opts.water, year: opts.year });
  const swap = opts.swapXY ? null : detectSwappedColumns(sheet, mapping, crs);
  return { source, sheet, guess, mapping, crsGuess, crs, staged, swap };
}

/** Parse and stage in one go (CLI, readLayer). Throws ImportError for unreadable files only. */
export async function importFile(file: string, bytes: Uint8Array, opts: ImportOptions = {}): Promise<Prepared> {
  const source = await readSource(file, bytes);
  const sheet = pickSheet(source, opts.sheet, opts.mapping?.kind ?? opts.kind);
  try {
    return prepareSheet(source, sheet, opts);
  } catch (e) {
    if (e instanceof ImportError) throw e;
    throw new ImportError(file, { zh: (e as Error).message, en: (e as Error).message });
  }
}

/** One line per issue: "file:row:column: why (value)". English; for stderr and logs. */
export function formatIssue(i: { file: string; sheet: string | null; row: number | null; column: string | null; value: string | null; message: { en: string }; severity: string }): string {
  const where = [i.file, i.sheet && i.sheet !== i.file ? `[${i.sheet}]` : '', i.row !== null ? `row ${i.row}` : '', i.column ? `column "${i.column}"` : ''].filter(Boolean).join(' ');
  const value = i.value !== null && i.value !== '' ? ` (value: ${JSON.stringify(i.value)})` : '';
  return `${i.severity}: ${where}: ${i.message.en}${value}`;
}
