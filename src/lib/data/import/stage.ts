/**
 * Stage step: validate and transform the rows of one Sheet under a ColumnMapping and a CRS into typed,
 * WGS84 features, with a specific Issue (file, row, column, value, why) for every problem.
 * Nothing is committed: the result is a plain value the UI shows and commit.ts turns into a new Dataset.
 * The user's per-row decisions (fix with edited values, or skip) are inputs, so re-staging after a fix
 * is just another call. O(rows × fields) plus O(vertices) per geometry.
 *
 * Checks: missing names; duplicates (communities: same name and street; facilities: same name and
 * category within 50 m) and duplicate ids; numbers that are not numbers;
 * impossible values (build year outside 1900..this year, negative counts, shares outside 0..1, floor area
 * per household outside 10..500 m² = probably a unit error); enum values we cannot map; invalid
 * geometries (non-finite or out-of-range coordinates, rings not closed or with < 4 positions,
 * self-intersections); positions far (>20 km) outside Jiangbei (an error: almost surely a wrong CRS) or
 * just outside it (a warning). Rows without coordinates are kept as unlocated (未定位).
 */
import { kinks } from '@turf/turf';
import type { Geometry, Polygon, MultiPolygon, LineString, MultiLineString, Point } from 'geojson';
import {
  FACILITY_CATEGORIES,
  ROAD_CLASSES,
  type BarrierFeature,
  type BarrierKind,
  type CommunityFeature,
  type CommunityProps,
  type FacilityFeature,
  type FacilityProps,
  type LonLat,
  type RoadFeature,
} from '../../domain/types';
import { JIANGBEI_BBOX, placementCheck, pointInArea, toWgs84, transformGeometry, type CrsId, type PlacementCheck } from '../crs';
import { categoryFromText, fieldsOf, roadClassFromOsm, type FieldDef, type ImportKind } from './fields';
import type { Cell, ColumnMapping, Issue, Message, RowDecision, Severity, Sheet } from './types';
import { haversine, summariseRoads, type RoadSummary } from './roads';
import type { SpareSiteFeature, SpareSiteKind } from '../../domain/spare-sites';

type Area = Polygon | MultiPolygon;
export type StagedFeature = CommunityFeature | FacilityFeature | RoadFeature | BarrierFeature | SpareSiteFeature;

export interface StagedRow {
  /** the file's row / feature number */
  row: number;
  /** index into sheet.rows */
  index: number;
  status: 'ok' | 'error' | 'skipped' | 'unlocated';
  /** mapped raw values (after the user's fixes), for display and editing */
  values: Record<string, string>;
  issues: Issue[];
  /** typed WGS84 feature (null when unlocated, skipped or in error) */
  feature: StagedFeature | null;
  /** properties of an unlocated community/facility, to be placed later */
  unlocated: CommunityProps | FacilityProps | null;
  /** representative WGS84 position for the preview and the placement check */
  position: LonLat | null;
  /** the typed values that parsed (also for rows in error), keyed by model field */
  props: Record<string, unknown>;
  /** the WGS84 geometry (also for rows with attribute errors), null when none or invalid */
  geometry: Geometry | null;
}

export interface Staged {
  file: string;
  sheet: string;
  kind: ImportKind | 'barriers';
  mapping: ColumnMapping;
  crs: CrsId;
  rows: StagedRow[];
  /** file-level notes and issues not tied to a row */
  notes: Issue[];
  placement: PlacementCheck;
  counts: { ok: number; error: number; skipped: number; unlocated: number; warnings: number };
  roads: RoadSummary | null;
}

export interface StageOptions {
  crs: CrsId;
  decisions?: Record<number, RowDecision>;
  /** Jiangbei outline and water polygons for the placement checks (optional) */
  district?: Area | null;
  water?: Area[];
  /** the current year, for the build-year check (injected for tests) */
  year?: number;
}

const TOTALS_ROW = /^(合计|总计|小计|共计|total|sum|subtotal)$/i;
const FAR_PAD = 0.2; // degrees ≈ 20 km

function cellText(c: Cell | undefined): string {
  if (c === null || c === undefined) return '';
  return typeof c === 'string' ? c.trim() : String(c);
}

const M = (zh: string, en: string): Message => ({ zh, en });

interface Ctx {
  file: string;
  sheet: string;
  row: number;
  issues: Issue[];
}
function issue(ctx: Ctx, severity: Severity, code: string, column: string | null, value: string | null, message: Message): void {
  ctx.issues.push({ severity, file: ctx.file, sheet: ctx.sheet, row: ctx.row, column, value, code, message });
}

/** "1,234" → 1234; "1995年" → 1995; "约500户" → 500; "" → null; anything else → NaN */
export function parseNumber(s: string): number | null {
  const t = s.replace(/[,，\s]/g, '');
  if (!t) return null;
  const m = /^[约~≈]?([-+]?\d*\.?\d+(?:e[-+]?\d+)?)(年代?|户|幢|栋|人|个|m²|㎡|平方米|%)?$/i.exec(t);
  return m ? Number(m[1]) : NaN;
}

function parseBool(s: string): boolean | null {
  const t = s.trim().toLowerCase();
  if (['true', 'yes', 'y', '1', '是', '有', '√', 'x'].includes(t)) return true;
  if (['false', 'no', 'n', '0', '否', '无', '没有', ''].includes(t)) return false;
  return null;
}

function parseEnum(f: FieldDef, s: string): string | null {
  const t = s.trim();
  const vals = (f.values ?? []) as readonly string[];
  if (vals.includes(t)) return t;
  const lower = vals.find((v) => v.toLowerCase() === t.toLowerCase());
  if (lower) return lower;
  if (f.synonyms && t in f.synonyms) return f.synonyms[t];
  if (f.synonyms) {
    const k = Object.keys(f.synonyms).find((k) => k.toLowerCase() === t.toLowerCase());
    if (k) return f.synonyms[k];
  }
  return null;
}

function finitePos(p: unknown): p is [number, number] {
  return Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]);
}

/** Structural check of a GeoJSON geometry; returns a reason or null when valid. */
export function geometryProblem(g: Geometry): Message | null {
  const ring = (r: unknown): Message | null => {
    if (!Array.isArray(r) || r.length < 4) return M('多边形的环少于 4 个点', 'a polygon ring has fewer than 4 positions');
    if (!r.every(finitePos)) return M('坐标不是有限数值', 'a coordinate is not a finite number');
    const a = r[0] as number[];
    const b = r[r.length - 1] as number[];
    if (a[0] !== b[0] || a[1] !== b[1]) return M('多边形的环没有闭合', 'a polygon ring is not closed');
    return null;
  };
  const line = (l: unknown): Message | null => {
    if (!Array.isArray(l) || l.length < 2) return M('线少于 2 个点', 'a line has fewer than 2 positions');
    if (!l.every(finitePos)) return M('坐标不是有限数值', 'a coordinate is not a finite number');
    return null;
  };
  switch (g?.type) {
    case 'Point':
      return finitePos(g.coordinates) ? null : M('点坐标不是有限数值', 'the point coordinates are not finite numbers');
    case 'MultiPoint':
      return Array.isArray(g.coordinates) && g.coordinates.length && g.coordinates.every(finitePos) ? null : M('多点坐标无效', 'invalid multipoint coordinates');
    case 'LineString':
      return line(g.coordinates);
    case 'MultiLineString':
      if (!Array.isArray(g.coordinates) || !g.coordinates.length) return M('多线为空', 'empty multilinestring');
      for (const l of g.coordinates) { const p = line(l); if (p) return p; }
      return null;
    case 'Polygon':
      if (!Array.isArray(g.coordinates) || !g.coordinates.length) return M('多边形为空', 'empty polygon');
      for (const r of g.coordinates) { const p = ring(r); if (p) return p; }
      return null;
    case 'MultiPolygon':
      if (!Array.isArray(g.coordinates) || !g.coordinates.length) return M('多多边形为空', 'empty multipolygon');
      for (const poly of g.coordinates) {
        if (!Array.isArray(poly) || !poly.length) return M('多边形为空', 'empty polygon');
        for (const r of poly) { const p = ring(r); if (p) return p; }
      }
      return null;
    default:
      return M(`不支持的几何类型 ${String((g as { type?: unknown })?.type)}`, `unsupported geometry type ${String((g as { type?: unknown })?.type)}`);
  }
}

function representative(g: Geometry): LonLat | null {
  switch (g.type) {
    case 'Point':
      return [g.coordinates[0], g.coordinates[1]];
    case 'LineString':
      return g.coordinates[g.coordinates.length >> 1] as LonLat;
    case 'MultiLineString':
      return g.coordinates[0][g.coordinates[0].length >> 1] as LonLat;
    case 'Polygon':
    case 'MultiPolygon': {
      const r = g.type === 'Polygon' ? g.coordinates[0] : g.coordinates[0][0];
      const n = r.length - 1;
      let x = 0;
      let y = 0;
      for (let i = 0; i < n; i++) { x += r[i][0]; y += r[i][1]; }
      return [x / n, y / n];
    }
    default:
      return null;
  }
}

/** A regular 16-gon of the given area (m²) around a point: the boundary of a community known only by a point. */
export function circlePolygon(c: LonLat, areaM2: number): Polygon {
  const r = Math.sqrt(areaM2 / Math.PI);
  const dLat = r / 111_320;
  const dLon = r / (111_320 * Math.cos((c[1] * Math.PI) / 180));
  const ring: [number, number][] = [];
  for (let i = 0; i < 16; i++) {
    const a = (i / 16) * 2 * Math.PI;
    ring.push([+(c[0] + dLon * Math.cos(a)).toFixed(7), +(c[1] + dLat * Math.sin(a)).toFixed(7)]);
  }
  ring.push(ring[0]);
  return { type: 'Polygon', coordinates: [ring] };
}

const DEFAULTS: Omit<CommunityProps, 'id' | 'name' | 'synthetic' | 'source'> = {
  street: '',
  committee: null,
  // unknown stays unknown (null): a missing 建成年代 or 违建 column must not score (issue #16 item 8)
  build_year: null,
  housing_type: 'commodity',
  households: 0,
  buildings: 0,
  floor_area_m2: 0,
  residents: 0,
  property_mgmt: 'none',
  maintenance_fund: 'none',
  dangerous_buildings: 0,
  lift_demand: 0,
  consent_area_share: null,
  consent_headcount_share: null,
  owner_contribution_share: 0,
  illegal_cleared_share: null,
  safety_hazard: 'none',
  third_party_funding: false,
  batch_year: null,
  pool: '储备',
  stage: 'POOL',
  side_state: null,
};

export function stageSheet(file: string, sheet: Sheet, mapping: ColumnMapping, opts: StageOptions): Staged {
  const kind: ImportKind | 'barriers' = sheet.kindHint === 'barriers' ? 'barriers' : mapping.kind;
  const fields = kind === 'barriers' ? [] : fieldsOf(kind);
  const year = opts.year ?? new Date().getFullYear();
  const tf = toWgs84(opts.crs);
  const notes: Issue[] = [];
  const colIndex: Record<string, number> = {};
  for (const [field, header] of Object.entries(mapping.columns)) {
    if (!header) continue;
    const i = sheet.headers.indexOf(header);
    if (i >= 0) colIndex[field] = i;
    else notes.push({ severity: 'error', file, sheet: sheet.name, row: null, column: header, value: null, code: 'mapping_missing_column', message: M(`映射的列 "${header}" 不在文件中`, `the mapped column "${header}" is not in the file`) });
  }
  const factor = mapping.areaUnit === 'wan_m2' ? 10_000 : 1;
  // a share column is in percent when its header says so, or when every value is ≤ 100 and most are > 1;
  // a lone 1.7 among 0.95s is an error, not 1.7 %
  const percentColumns = new Set<string>();
  for (const f of fields) {
    if (f.type !== 'share' || colIndex[f.key] === undefined) continue;
    const ci = colIndex[f.key];
    if (/%|百分/.test(sheet.headers[ci])) {
      percentColumns.add(f.key);
      continue;
    }
    const nums = sheet.rows.map((r) => parseNumber(cellText(r[ci]))).filter((x): x is number => x !== null && !Number.isNaN(x));
    if (nums.length && nums.every((x) => x >= 0 && x <= 100) && nums.filter((x) => x > 1).length > nums.length / 2) {
      percentColumns.add(f.key);
      notes.push({ severity: 'info', file, sheet: sheet.name, row: null, column: sheet.headers[ci], value: null, code: 'percent_column', message: M(`"${sheet.headers[ci]}" 的数值按百分数读取`, `values of "${sheet.headers[ci]}" read as percentages`) });
    }
  }
  const seenName = new Map<string, number>();
  const seenId = new Map<string, number>();
  const seenFacility = new Map<string, { row: number; pos: LonLat }[]>();
  const rows: StagedRow[] = [];
  const hasCoords = colIndex.lon !== undefined && colIndex.lat !== undefined;
  const hasGeometryCol = colIndex.geometry !== undefined;
  const idPrefix = `imp-${kind === 'communities' ? 'c' : kind === 'facilities' ? 'f' : kind === 'roads' ? 'r' : kind === 'spare_sites' ? 's' : 'b'}`;

  sheet.rows.forEach((raw, index) => {
    const rowNo = sheet.rowNumbers[index] ?? index + 1;
    const ctx: Ctx = { file, sheet: sheet.name, row: rowNo, issues: [] };
    const decision = opts.decisions?.[rowNo];
    const values: Record<string, string> = {};
    for (const [field, ci] of Object.entries(colIndex)) values[field] = cellText(raw[ci]);
    if (kind === 'barriers') { values.name = cellText(raw[1]); values.kind = cellText(raw[2]); values.id = cellText(raw[0]); }
    if (decision?.action === 'fix') Object.assign(values, decision.values);
    const base: StagedRow = { row: rowNo, index, status: 'ok', values, issues: ctx.issues, feature: null, unlocated: null, position: null, props: {}, geometry: null };
    if (decision?.action === 'skip') {
      rows.push({ ...base, status: 'skipped' });
      return;
    }
    if (TOTALS_ROW.test(values.name ?? '') || (!values.name && Object.values(values).some((v) => TOTALS_ROW.test(v)))) {
      issue(ctx, 'info', 'totals_row', null, values.name ?? null, M('合计行，已跳过', 'a totals row; skipped'));
      rows.push({ ...base, status: 'skipped' });
      return;
    }
    const colName = (field: string) => (colIndex[field] !== undefined ? sheet.headers[colIndex[field]] : field);

    // ---- attributes ----
    const props: Record<string, unknown> = {};
    base.props = props;
    for (const f of fields) {
      if (f.type === 'lon' || f.type === 'lat' || f.type === 'geometry') continue;
      const v = values[f.key];
      if (v === undefined || v === '') {
        if (f.required && f.key !== 'category') issue(ctx, 'error', `missing_${f.key}`, colName(f.key), '', M(`缺少${f.zh}`, `missing ${f.en.toLowerCase()}`));
        continue;
      }
      switch (f.type) {
        case 'string':
          props[f.key] = v;
          break;
        case 'int':
        case 'number':
        case 'area': {
          // a cell that carries its own unit ("5.2万", "5.2万㎡") overrides the column's unit
          const wan = f.type === 'area' && /^[^万]*\d\s*万\s*(m²|m2|㎡|平方米|平米)?$/.test(v);
          // "80年代" / "1980s" in a build-year column: the decade's first year, with a warning
          const decade = f.key === 'build_year' ? /^(\d{2}|\d{4})(年代|s)$/.exec(v.replace(/\s/g, '')) : null;
          let n = wan ? parseNumber(v.replace(/万.*$/, '')) : decade ? Number(decade[1]) : parseNumber(v);
          if (n === null) break;
          if (Number.isNaN(n)) {
            issue(ctx, 'error', 'not_a_number', colName(f.key), v, M(`${f.zh}不是数字`, `${f.en} is not a number`));
            break;
          }
          if (decade && n < 100) n += 1900;
          // areas rounded to 0.01 m² so 5.23 万m² is 52300, not 52300.00000000001
          props[f.key] = f.type === 'area' ? Math.round(n * (wan ? 10_000 : factor) * 100) / 100 : f.type === 'int' ? Math.round(n) : n;
          if (decade) issue(ctx, 'warning', 'decade', colName(f.key), v, M(`"${v}" 按 ${n} 年计`, `"${v}" taken as the year ${n}`));
          break;
        }
        case 'share': {
          let n = parseNumber(v);
          if (n === null) break;
          if (Number.isNaN(n)) {
            issue(ctx, 'error', 'not_a_number', colName(f.key), v, M(`${f.zh}不是数字`, `${f.en} is not a number`));
            break;
          }
          if (v.endsWith('%') || percentColumns.has(f.key)) n = n / 100;
          props[f.key] = n;
          break;
        }
        case 'bool': {
          const b = parseBool(v);
          if (b === null) issue(ctx, 'error', 'not_a_bool', colName(f.key), v, M(`${f.zh}应为 是/否`, `${f.en} must be yes/no`));
          else props[f.key] = b;
          break;
        }
        case 'enum': {
          if (f.key === 'category') break;
          if (f.key === 'highway') break;
          const e = parseEnum(f, v);
          if (e === null) issue(ctx, 'error', 'bad_enum', colName(f.key), v, M(`无法识别的${f.zh} (可用: ${(f.values ?? []).join(', ')})`, `unrecognised ${f.en.toLowerCase()} (expected one of ${(f.values ?? []).join(', ')})`));
          else props[f.key] = f.key === 'batch_year' ? Number(e) : e;
          break;
        }
      }
    }

    // ---- kind-specific checks ----
    if (kind === 'communities') {
      const by = props.build_year as number | undefined;
      if (by !== undefined && (by < 1900 || by > year))
        issue(ctx, 'error', 'impossible_year', colName('build_year'), values.build_year, M(`建成年代 ${by} 不可能 (应在 1900–${year} 之间)`, `build year ${by} is impossible (must be 1900–${year})`));
      for (const k of ['households', 'buildings', 'floor_area_m2', 'residents', 'dangerous_buildings', 'lift_demand'] as const) {
        const n = props[k] as number | undefined;
        if (n !== undefined && n < 0) issue(ctx, 'error', 'negative', colName(k), values[k], M(`${fields.find((f) => f.key === k)!.zh}不能为负数`, `${k.replace(/_/g, ' ')} cannot be negative`));
      }
      for (const k of ['consent_area_share', 'consent_headcount_share', 'owner_contribution_share', 'illegal_cleared_share'] as const) {
        const n = props[k] as number | undefined;
        if (n !== undefined && (n < 0 || n > 1)) issue(ctx, 'error', 'share_range', colName(k), values[k], M('比例应在 0–100% 之间', 'a share must be between 0 and 100%'));
      }
      const hh = props.households as number | undefined;
      const fa = props.floor_area_m2 as number | undefined;
      if (hh && fa && hh > 0 && fa > 0) {
        const per = fa / hh;
        if (per < 10 || per > 500)
          issue(ctx, 'warning', 'area_per_household', colName('floor_area_m2'), values.floor_area_m2, M(`每户 ${per.toFixed(1)} m²，请检查面积单位 (m² / 万m²)`, `${per.toFixed(1)} m² per household: check the area unit (m² / 万m²)`));
      }
      const b = props.buildings as number | undefined;
      const d = props.dangerous_buildings as number | undefined;
      if (b !== undefined && d !== undefined && d > b) issue(ctx, 'error', 'dangerous_gt_buildings', colName('dangerous_buildings'), values.dangerous_buildings, M(`危房幢数 ${d} 多于总幢数 ${b}`, `${d} dangerous buildings but only ${b} buildings`));
    }
    if (kind === 'facilities') {
      const v = values.category ?? '';
      const cat = v ? categoryFromText(v) : null;
      if (!v) issue(ctx, 'error', 'missing_category', colName('category'), '', M('缺少设施类别', 'missing facility category'));
      else if (!cat) issue(ctx, 'error', 'bad_category', colName('category'), v, M(`无法识别的设施类别 (可用: ${FACILITY_CATEGORIES.join(', ')})`, `unrecognised facility category (expected one of ${FACILITY_CATEGORIES.join(', ')} or a Chinese name)`));
      else props.category = cat;
    }
    if (kind === 'roads') {
      const v = values.highway ?? '';
      const cls = !v ? 'residential' : (ROAD_CLASSES as readonly string[]).includes(v) ? v : roadClassFromOsm(v) ?? (categoryFromText(v) ? null : /步行|人行|绿道/.test(v) ? 'footway' : /主干/.test(v) ? 'primary' : /次干|支路/.test(v) ? 'secondary' : null);
      if (!cls) issue(ctx, 'error', 'bad_road_class', colName('highway'), v, M(`无法识别的道路等级 (可用: ${ROAD_CLASSES.join(', ')})`, `unrecognised road class (expected one of ${ROAD_CLASSES.join(', ')} or an OSM highway value)`));
      else props.highway = cls;
    }
    if (kind === 'spare_sites') {
      const a = props.area_m2 as number | undefined;
      if (a !== undefined && a < 0) issue(ctx, 'error', 'negative', colName('area_m2'), values.area_m2, M('面积不能为负数', 'the area cannot be negative'));
    }
    if (kind === 'barriers') {
      const k = values.kind as BarrierKind;
      props.kind = ['river', 'canal', 'rail', 'expressway'].includes(k) ? k : 'river';
      props.name = values.name || null;
      if (values.id) props.id = values.id;
    }

    // duplicates (names within a street; ids)
    const name = (props.name as string | undefined) ?? '';
    if (name && kind === 'communities') {
      const key = `${name}\u0000${(props.street as string | undefined) ?? ''}`;
      const first = seenName.get(key);
      if (first !== undefined) issue(ctx, 'error', 'duplicate_name', colName('name'), name, M(`与第 ${first} 行重复`, `duplicate of row ${first}`));
      else seenName.set(key, rowNo);
    }
    const id = (props.id as string | undefined) || `${idPrefix}-${rowNo}`;
    if (seenId.has(id)) issue(ctx, 'error', 'duplicate_id', colName('id'), id, M(`编号与第 ${seenId.get(id)} 行重复`, `id duplicates row ${seenId.get(id)}`));
    else seenId.set(id, rowNo);

    // ---- geometry ----
    let geom: Geometry | null = null;
    let geomColumn: string | null = null;
    if (sheet.geometries && sheet.geometries[index]) {
      geom = sheet.geometries[index];
      geomColumn = 'geometry';
    }
    if (hasGeometryCol && values.geometry) {
      geomColumn = colName('geometry');
      try {
        const g = JSON.parse(values.geometry);
        geom = g && typeof g === 'object' && 'type' in g ? (g.type === 'Feature' ? g.geometry : g) : null;
        if (!geom) throw new Error('no type');
      } catch {
        issue(ctx, 'error', 'bad_geometry_text', geomColumn, values.geometry.slice(0, 60), M('几何列应为 GeoJSON 几何对象', 'the geometry column must hold a GeoJSON geometry'));
        geom = null;
      }
    } else if (hasCoords && (values.lon || values.lat)) {
      const x = parseNumber(values.lon ?? '');
      const y = parseNumber(values.lat ?? '');
      if (x === null || y === null || Number.isNaN(x) || Number.isNaN(y)) {
        const bad = x === null || Number.isNaN(x) ? 'lon' : 'lat';
        issue(ctx, 'error', 'bad_coordinate', colName(bad), values[bad] ?? '', M(`${bad === 'lon' ? '经度' : '纬度'}不是数字`, `${bad === 'lon' ? 'longitude' : 'latitude'} is not a number`));
      } else {
        geom = { type: 'Point', coordinates: [x, y] } as Point;
        geomColumn = colName('lon');
      }
    }
    let wgs: Geometry | null = null;
    if (geom) {
      const problem = geometryProblem(geom);
      if (problem) issue(ctx, 'error', 'invalid_geometry', geomColumn, null, problem);
      else {
        try {
          wgs = transformGeometry(geom, tf);
        } catch (e) {
          issue(ctx, 'error', 'invalid_geometry', geomColumn, null, M(`坐标无法转换: ${(e as Error).message.slice(0, 80)}`, `coordinates cannot be converted: ${(e as Error).message.slice(0, 80)}`));
        }
        if (wgs) {
          const p2 = geometryProblem(wgs);
          if (p2) {
            issue(ctx, 'error', 'invalid_geometry', geomColumn, null, M(`转换后${p2.zh} (坐标系错误?)`, `after conversion ${p2.en} (wrong coordinate system?)`));
            wgs = null;
          }
        }
      }
    }
    if (wgs) {
      // kind vs geometry type
      const t = wgs.type;
      if (kind === 'communities' && t !== 'Polygon' && t !== 'MultiPolygon' && t !== 'Point') {
        issue(ctx, 'error', 'wrong_geometry_type', geomColumn, t, M(`小区应为多边形或点，而不是 ${t}`, `a community must be a polygon or a point, not ${t}`));
        wgs = null;
      } else if (kind === 'facilities' && t !== 'Point' && t !== 'Polygon' && t !== 'MultiPolygon') {
        issue(ctx, 'error', 'wrong_geometry_type', geomColumn, t, M(`设施应为点，而不是 ${t}`, `a facility must be a point, not ${t}`));
        wgs = null;
      } else if (kind === 'spare_sites' && t !== 'Point' && t !== 'Polygon' && t !== 'MultiPolygon') {
        issue(ctx, 'error', 'wrong_geometry_type', geomColumn, t, M(`存量资源应为点或面，而不是 ${t}`, `a spare site must be a point or an area, not ${t}`));
        wgs = null;
      } else if (kind === 'roads' && t !== 'LineString' && t !== 'MultiLineString') {
        issue(ctx, 'error', 'wrong_geometry_type', geomColumn, t, M(`道路应为线，而不是 ${t}`, `a road must be a line, not ${t}`));
        wgs = null;
      }
    }
    if (wgs && (wgs.type === 'Polygon' || wgs.type === 'MultiPolygon')) {
      const nVerts = JSON.stringify(wgs.coordinates).length;
      if (nVerts < 400_000) {
        try {
          const k = kinks(wgs as Polygon);
          if (k.features.length) {
            const [x, y] = k.features[0].geometry.coordinates;
            issue(ctx, 'error', 'self_intersection', geomColumn, `${x.toFixed(6)},${y.toFixed(6)}`, M('边界自相交', 'the boundary intersects itself'));
            wgs = null;
          }
        } catch {
          // kinks cannot judge this geometry; the structural check above passed
        }
      }
    }
    const position = wgs ? representative(wgs) : null;
    // facilities: two branches of one chain share a name; the same name and category within 50 m is a duplicate
    if (name && kind === 'facilities' && position) {
      const key = `${name}\u0000${props.category}`;
      const prev = seenFacility.get(key) ?? [];
      const dup = prev.find((q) => haversine(q.pos, position) < 50);
      if (dup) issue(ctx, 'error', 'duplicate_name', colName('name'), name, M(`与第 ${dup.row} 行重复 (同名同类，相距不到 50 米)`, `duplicate of row ${dup.row} (same name and category within 50 m)`));
      else seenFacility.set(key, [...prev, { row: rowNo, pos: position }]);
    }
    if (position) {
      const [x0, y0, x1, y1] = JIANGBEI_BBOX;
      const far = position[0] < x0 - FAR_PAD || position[0] > x1 + FAR_PAD || position[1] < y0 - FAR_PAD || position[1] > y1 + FAR_PAD;
      const outside = position[0] < x0 || position[0] > x1 || position[1] < y0 || position[1] > y1 || (opts.district ? !pointInArea(position, opts.district) : false);
      const at = `${position[0].toFixed(5)}, ${position[1].toFixed(5)}`;
      if (far) issue(ctx, 'error', 'far_outside', geomColumn, at, M(`位置 (${at}) 远在江北区之外 (超过 20 公里)：坐标系是否选错?`, `position (${at}) is far outside Jiangbei (>20 km): wrong coordinate system?`));
      else if (outside && kind !== 'roads' && kind !== 'barriers') issue(ctx, 'warning', 'outside_district', geomColumn, at, M(`位置 (${at}) 在江北区边界之外`, `position (${at}) is outside the Jiangbei boundary`));
      else if (kind === 'communities' || kind === 'facilities') {
        if (opts.water?.some((w) => pointInArea(position, w))) issue(ctx, 'warning', 'in_water', geomColumn, at, M(`位置 (${at}) 落在水面上`, `position (${at}) falls in water`));
      }
    }

    base.props = props;
    base.geometry = wgs;
    const hasErrors = ctx.issues.some((i) => i.severity === 'error');
    const provenance = {
      synthetic: props.synthetic === true,
      source: (props.source as string | undefined) || file,
    };
    if (hasErrors) {
      rows.push({ ...base, status: 'error', position });
      return;
    }
    if (!wgs) {
      if (kind === 'spare_sites') {
        issue(ctx, 'error', 'missing_geometry', colName('lon'), null, M('存量资源需要位置 (经度/纬度)', 'a spare site needs a position (longitude/latitude)'));
        rows.push({ ...base, status: 'error' });
        return;
      }
      if (kind === 'roads' || kind === 'barriers') {
        issue(ctx, 'error', 'missing_geometry', geomColumn, null, M('没有几何', 'no geometry'));
        rows.push({ ...base, status: 'error' });
        return;
      }
      issue(ctx, 'warning', 'unlocated', colName('lon'), null, M('没有坐标：保留为“未定位”，稍后可在地图上放置', 'no coordinates: kept as unlocated (未定位), to be placed on the map later'));
      const p = kind === 'communities' ? communityProps(props, id, provenance) : facilityProps(props, id, provenance);
      rows.push({ ...base, status: 'unlocated', unlocated: p });
      return;
    }
    let feature: StagedFeature;
    if (kind === 'communities') {
      const p = communityProps(props, id, provenance);
      let g = wgs as Polygon | MultiPolygon | Point;
      if (g.type === 'Point') {
        // site area ≈ floor area / plot ratio 1.5, within a 40..250 m radius; the real boundary can be drawn later
        const site = Math.min(Math.max((p.floor_area_m2 || 30_000) / 1.5, Math.PI * 40 * 40), Math.PI * 250 * 250);
        g = circlePolygon([g.coordinates[0], g.coordinates[1]], site);
        issue(ctx, 'info', 'point_boundary', geomColumn, null, M('只有点坐标：边界按估算占地面积画成圆形，可稍后重绘', 'a point only: the boundary is a circle of the estimated site area; redraw it later'));
      }
      feature = { type: 'Feature', geometry: g, properties: p } as CommunityFeature;
    } else if (kind === 'facilities') {
      const p = facilityProps(props, id, provenance);
      const pt: Point = wgs.type === 'Point' ? wgs : { type: 'Point', coordinates: position! };
      if (wgs.type !== 'Point') issue(ctx, 'info', 'polygon_to_point', geomColumn, null, M('面状设施取其中心点', 'an area facility is represented by its centre point'));
      feature = { type: 'Feature', geometry: pt, properties: p } as FacilityFeature;
    } else if (kind === 'spare_sites') {
      const pt: Point = wgs.type === 'Point' ? wgs : { type: 'Point', coordinates: position! };
      if (wgs.type !== 'Point') issue(ctx, 'info', 'polygon_to_point', geomColumn, null, M('面状资源取其中心点', 'an area is represented by its centre point'));
      const area = props.area_m2 as number | undefined;
      feature = {
        type: 'Feature',
        geometry: pt,
        properties: { id, name: String(props.name ?? ''), kind: props.kind as SpareSiteKind, area_m2: area ?? null, owner: (props.owner as string | undefined) ?? null, community_id: null, ...provenance },
      } as SpareSiteFeature;
    } else if (kind === 'roads') {
      feature = {
        type: 'Feature',
        geometry: wgs as LineString | MultiLineString,
        properties: { id, name: (props.name as string) || null, highway: props.highway as RoadFeature['properties']['highway'], bridge: props.bridge === true, ...provenance },
      } as RoadFeature;
    } else {
      feature = { type: 'Feature', geometry: wgs as BarrierFeature['geometry'], properties: { id, name: (props.name as string) ?? null, kind: props.kind as BarrierKind, ...provenance } } as BarrierFeature;
    }
    rows.push({ ...base, status: 'ok', feature, position });
  });

  const points = rows.filter((r) => r.position && r.status !== 'skipped').map((r) => r.position!);
  const counts = { ok: 0, error: 0, skipped: 0, unlocated: 0, warnings: 0 };
  for (const r of rows) {
    counts[r.status]++;
    if (r.issues.some((i) => i.severity === 'warning')) counts.warnings++;
  }
  const roadFeatures = kind === 'roads' ? rows.filter((r) => r.feature).map((r) => r.feature as RoadFeature) : null;
  return {
    file,
    sheet: sheet.name,
    kind,
    mapping,
    crs: opts.crs,
    rows,
    notes,
    placement: placementCheck(points, opts.district, opts.water),
    counts,
    roads: roadFeatures ? summariseRoads(roadFeatures) : null,
  };
}

function communityProps(p: Record<string, unknown>, id: string, prov: { synthetic: boolean; source: string }): CommunityProps {
  const out = { ...DEFAULTS } as Record<string, unknown>;
  for (const k of Object.keys(DEFAULTS)) if (p[k] !== undefined) out[k] = p[k];
  return { ...(out as Omit<CommunityProps, 'id' | 'name' | 'synthetic' | 'source'>), id, name: String(p.name ?? ''), ...prov };
}
function facilityProps(p: Record<string, unknown>, id: string, prov: { synthetic: boolean; source: string }): FacilityProps {
  return { id, name: String(p.name ?? ''), category: p.category as FacilityProps['category'], osm_id: (p.osm_id as string | undefined) ?? null, ...prov };
}

/** All issues of a staged import, file-level first, in row order. */
export function allIssues(s: Staged): Issue[] {
  return [...s.notes, ...s.rows.flatMap((r) => r.issues)];
}
