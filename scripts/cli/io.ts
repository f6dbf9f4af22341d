/**
 * Shared CLI reader for the coverage, bundle, score and import commands:
 *   readLayer(path, { kind?, crs?, mapping? })
 * reads every format the app imports (CSV/XLSX/GeoJSON/zipped shapefile/FlatGeobuf/OSM XML) through the
 * same parse → map → convert pipeline (src/lib/data/import), and returns WGS84 features.
 *
 * - With `kind`, columns are mapped onto the model (guessed from the headers, or --mapping file.json)
 *   and values typed and checked (numbers, shares, enums, categories, 万m² → m²) exactly as `import` and
 *   the app do; every problem is printed to stderr as "file row N column "X": why"; a row with an error
 *   is left out and counted in the RowReport (or makes the read throw); rows without a position are left
 *   out (named); communities given as points get the app's stand-in outline (a circle of the estimated
 *   site area), listed in RowReport.standIn. Ids are the importer's (the file's id, else imp-c-<row>).
 * - Without `kind`, properties pass through untouched (gates, metro, barriers, custom layers).
 * - The CRS is --crs when given, else the file's declaration (.prj, FGB header, GeoJSON crs), else
 *   guessed from the values; a guess that is not WGS84 is reported on stderr.
 */
import { readFile, stat } from 'node:fs/promises';
import { LIMITS, MB } from '../../src/lib/data/import/limits.ts';
import { basename } from 'node:path';
import type { Feature, Geometry } from 'geojson';
import type { CommunityFeature, FacilityFeature, RoadFeature } from '../../src/lib/domain/types.ts';
import { parseCrs, toWgs84, transformGeometry } from '../../src/lib/data/crs.ts';
import { ImportError, formatIssue, guessCrs, guessKind, guessMapping, parseMapping, pickSheet, prepareSheet, readSource, type ColumnMapping, type Prepared, type SwapHint } from '../../src/lib/data/import/index.ts';
import { fieldsOf, type ImportKind } from '../../src/lib/data/import/fields.ts';

export interface ReadLayerOptions {
  /** wgs84 | cgcs2000 | gcj02 | bd09 | EPSG:nnnn */
  crs?: string;
  /** a mapping JSON file path, or the mapping itself */
  mapping?: string | ColumnMapping;
  kind?: ImportKind;
  /** sheet (XLSX) or layer (zip, OSM) name */
  sheet?: string;
  /** exchange the lon and lat (X/Y) columns: northing given as X */
  swapXY?: boolean;
  /** where problems go (default: stderr) */
  log?: (line: string) => void;
  /** collects rejected rows (see RowReport); without it a rejected row makes readLayer throw */
  rows?: RowReport;
  /** model fields a row must give for this command (else the row is rejected), with why */
  required?: { field: string; why: string }[];
}

async function loadMapping(m: string | ColumnMapping | undefined): Promise<ColumnMapping | undefined> {
  if (m === undefined) return undefined;
  if (typeof m !== 'string') return m;
  try {
    return parseMapping(await readFile(m, 'utf8'));
  } catch (e) {
    throw new Error(`--mapping ${m}: ${(e as Error).message}`);
  }
}

/** Read a whole input file, refusing one above the import size limit before reading it. */
async function readInput(path: string): Promise<Uint8Array> {
  try {
    const size = (await stat(path)).size;
    if (size > LIMITS.fileBytes) throw new Error(`${path}: the file is larger than ${MB(LIMITS.fileBytes)} (${MB(size)})`);
    const b = await readFile(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength); // a view, not a copy
  } catch (e) {
    if (!(e as NodeJS.ErrnoException).code) throw e;
    throw new Error(`${path}: cannot read the file (${(e as NodeJS.ErrnoException).code})`);
  }
}

/** Parse, map and stage a file (also used by the import command). Throws Error with the file named. */
export async function prepareFile(path: string, opts: ReadLayerOptions = {}): Promise<Prepared> {
  const file = basename(path);
  const bytes = await readInput(path);
  const mapping = await loadMapping(opts.mapping);
  if (opts.crs) parseCrs(opts.crs); // a bad --crs fails before any work, with its own message
  try {
    const source = await readSource(file, bytes);
    const sheet = pickSheet(source, opts.sheet, mapping?.kind ?? opts.kind);
    return prepareSheet(source, sheet, { kind: opts.kind, mapping: mapping && opts.kind ? { ...mapping, kind: opts.kind } : mapping, crs: opts.crs, swapXY: opts.swapXY });
  } catch (e) {
    if (e instanceof ImportError) throw new Error(e.message);
    throw e;
  }
}

/** What to tell a CLI user whose X/Y columns look swapped: the swap, and the two ways to fix it. */
export function swapAdvice(s: SwapHint, flag = false): string {
  const mapping = `a --mapping file with "lon": ${JSON.stringify(s.lon)}, "lat": ${JSON.stringify(s.lat)}`;
  return `${s.reason.en}. To read them swapped, ${flag ? `pass --swap-xy (or ${mapping})` : `use ${mapping}`}`;
}

/**
 * What a typed read found besides its features. A command that reads with a `rows` report decides itself
 * (nothing written and exit 1, or --keep-going: the valid rows and exit 1); without one, readLayer throws
 * when any row is rejected, so no command can use a partial file by accident.
 */
export interface RowReport {
  /** rows (and file-level problems) rejected with an error, across every file read with this report */
  rejected: number;
  /** ids of communities known only by a point: their outline is the estimated stand-in circle (as in the app) */
  standIn: string[];
  /** per model field, the number of accepted rows in which the file gives no value */
  blank: Record<string, number>;
}

export function newRowReport(): RowReport {
  return { rejected: 0, standIn: [], blank: {} };
}

export function readLayer(path: string, opts: ReadLayerOptions & { kind: 'communities' }): Promise<CommunityFeature[]>;
export function readLayer(path: string, opts: ReadLayerOptions & { kind: 'facilities' }): Promise<FacilityFeature[]>;
export function readLayer(path: string, opts: ReadLayerOptions & { kind: 'roads' }): Promise<RoadFeature[]>;
export function readLayer(path: string, opts?: ReadLayerOptions): Promise<Feature[]>;
export async function readLayer(path: string, opts: ReadLayerOptions = {}): Promise<Feature[]> {
  const log = opts.log ?? ((l: string) => console.error(l));
  const file = basename(path);
  if (!opts.kind) return readRaw(path, opts, log);
  const p = await prepareFile(path, opts);
  if (p.crsGuess.crs !== 'EPSG:4326' && !opts.crs) log(`${file}: coordinates read as ${p.crs} (${p.crsGuess.reason.en})`);
  if (p.swap) log(`${file}: ${swapAdvice(p.swap)}`);
  const report = opts.rows ?? newRowReport();
  const before = report.rejected;
  for (const n of p.staged.notes) if (n.severity !== 'info') log(formatIssue(n));
  report.rejected += p.staged.notes.filter((n) => n.severity === 'error').length;
  const out: Feature[] = [];
  let left = 0;
  for (const r of p.staged.rows) {
    for (const i of r.issues) if (i.severity !== 'info' && i.code !== 'unlocated') log(formatIssue(i));
    if (r.status === 'skipped') continue;
    // a row with an error is reported (above) and left out: it is never scored, bundled or measured
    if (r.status === 'error') {
      report.rejected++;
      continue;
    }
    if (!r.feature) {
      left++;
      continue;
    }
    const lacking = (opts.required ?? []).filter((q) => !r.values[q.field]);
    for (const q of lacking) log(`error: ${file}${p.sheet.name && p.sheet.name !== file ? ` [${p.sheet.name}]` : ''} row ${r.row} column "${p.mapping.columns[q.field] ?? q.field}": missing (${q.why})`);
    if (lacking.length) {
      report.rejected++;
      continue;
    }
    const raw = p.sheet.rows[r.index];
    const passthrough: Record<string, unknown> = {};
    p.sheet.headers.forEach((h, k) => {
      if (raw[k] !== null && raw[k] !== undefined && raw[k] !== '') passthrough[h] = raw[k];
    });
    for (const key of fieldKeys(p.staged.kind)) if (!r.values[key]) report.blank[key] = (report.blank[key] ?? 0) + 1;
    if (r.issues.some((i) => i.code === 'point_boundary')) report.standIn.push(String(r.feature.properties?.id));
    out.push({ ...r.feature, properties: { ...passthrough, ...r.feature.properties } });
  }
  if (left) log(`${file}: ${left} row(s) without a position left out (未定位)`);
  if (!opts.rows && report.rejected > before) throw new Error(`${file}: ${report.rejected - before} row(s) rejected (see above)`);
  return out;
}

function fieldKeys(kind: ImportKind | 'barriers'): string[] {
  return kind === 'barriers' ? [] : fieldsOf(kind).map((f) => f.key);
}

/** Pass-through read: features as in the file, coordinates converted to WGS84. */
async function readRaw(path: string, opts: ReadLayerOptions, log: (l: string) => void): Promise<Feature[]> {
  const file = basename(path);
  const bytes = await readInput(path);
  let source;
  try {
    source = await readSource(file, bytes);
  } catch (e) {
    throw new Error(e instanceof ImportError ? e.message : `${file}: ${(e as Error).message}`);
  }
  const sheet = pickSheet(source, opts.sheet);
  const mapping = guessMapping(sheet, guessKind(sheet)).mapping;
  const guess = guessCrs(file, sheet, mapping);
  const crs = opts.crs ? parseCrs(opts.crs) : guess.crs;
  if (crs !== 'EPSG:4326' && !opts.crs) log(`${file}: coordinates read as ${crs} (${guess.reason.en})`);
  const tf = toWgs84(crs);
  const xi = mapping.columns.lon ? sheet.headers.indexOf(mapping.columns.lon) : -1;
  const yi = mapping.columns.lat ? sheet.headers.indexOf(mapping.columns.lat) : -1;
  const out: Feature[] = [];
  sheet.rows.forEach((row, i) => {
    let g: Geometry | null = sheet.geometries?.[i] ?? null;
    if (!g && xi >= 0 && yi >= 0) {
      const x = Number(row[xi]);
      const y = Number(row[yi]);
      if (row[xi] !== null && row[yi] !== null && Number.isFinite(x) && Number.isFinite(y)) g = { type: 'Point', coordinates: [x, y] };
    }
    if (!g) return;
    let geometry: Geometry;
    try {
      geometry = transformGeometry(g, tf);
    } catch (e) {
      log(`${file}: ${sheet.rowLabel} ${sheet.rowNumbers[i]}: invalid geometry skipped (${(e as Error).message.slice(0, 80)})`);
      return;
    }
    const properties: Record<string, unknown> = { ...(sheet.properties?.[i] ?? {}) };
    if (!sheet.properties)
      sheet.headers.forEach((h, k) => {
        if (row[k] !== null) properties[h] = row[k];
      });
    out.push({ type: 'Feature', geometry, properties });
  });
  return out;
}
