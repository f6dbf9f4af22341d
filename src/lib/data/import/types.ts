/**
 * Types of the import pipeline: parse (bytes → Source of Sheets) → map columns (ColumnMapping) →
 * stage (validate + transform to typed features, nothing committed) → commit (a NEW Dataset).
 */
import type { Geometry } from 'geojson';
import type { CrsId } from '../crs';
import type { ImportKind } from './fields';

export type Cell = string | number | boolean | null;

export type SourceFormat = 'csv' | 'xlsx' | 'geojson' | 'shapefile' | 'fgb' | 'osm';

/** One table of a source: a CSV, an XLSX sheet, a shapefile/GeoJSON/FGB layer, or one OSM layer. */
export interface Sheet {
  name: string;
  headers: string[];
  rows: Cell[][];
  /** for vector layers: one geometry per row (null = none); CSV/XLSX carry coordinates in columns */
  geometries?: (Geometry | null)[];
  /** for vector layers: the original properties of each feature (nested values intact) */
  properties?: (Record<string, unknown> | null)[];
  /** 1-based line/row number in the file of the first data row (for messages) */
  firstRow: number;
  /** 1-based file row (CSV line / sheet row) or feature number of each row, for messages */
  rowNumbers: number[];
  /** what the rows are numbered by in messages */
  rowLabel: 'row' | 'feature';
  /** .prj text of a shapefile */
  prj?: string | null;
  /** CRS declared by the file itself (FlatGeobuf header, GeoJSON crs member) */
  declaredCrs?: CrsId | null;
  /** text encoding used to decode the sheet (csv, dbf) */
  encoding?: string;
  /** the layer kind this sheet obviously is (OSM roads/facilities/barriers) */
  kindHint?: ImportKind | 'barriers';
  /** notes on how the file was read, shown to the user (merged header cells filled, encoding guessed, ...) */
  notes: Message[];
}

export interface Source {
  file: string;
  format: SourceFormat;
  sheets: Sheet[];
}

/** A bilingual message; the UI picks the language, the CLI prints English. */
export interface Message {
  zh: string;
  en: string;
}

export type Severity = 'error' | 'warning' | 'info';

/** A problem with a specific place in a file. `row` is the file's row/feature number. */
export interface Issue {
  severity: Severity;
  file: string;
  sheet: string | null;
  row: number | null;
  column: string | null;
  value: string | null;
  /** stable code for tests and grouping */
  code: string;
  message: Message;
}

/** The failure of a whole file (unreadable, wrong format): never an exception escaping the importer. */
export class ImportError extends Error {
  readonly zh: string;
  constructor(
    readonly file: string,
    message: Message,
  ) {
    super(`${file}: ${message.en}`);
    this.zh = `${file}: ${message.zh}`;
    this.name = 'ImportError';
  }
}

export type AreaUnit = 'm2' | 'wan_m2';

/** Serialisable column mapping: the UI remembers it, the CLI takes it as --mapping file.json. */
export interface ColumnMapping {
  kind: ImportKind;
  /** model field key → source header (exact header text), or null/absent when not mapped */
  columns: Record<string, string | null>;
  /** unit of the floor area column */
  areaUnit?: AreaUnit;
  /** coordinate system of coordinates in the file */
  crs?: CrsId;
}

/** What the user decided for a row with problems. */
export type RowDecision = { action: 'skip' } | { action: 'fix'; values: Record<string, string> };

/** Progress of a long parse step: what is happening and how far (0..1, null when unknown). */
export type Progress = (phase: Message, fraction: number | null) => void;
