/**
 * Import of special works (专项工程) from a department's table or layer (CSV/XLSX/GeoJSON/shapefile/FGB, read by
 * read.ts in the import worker): columns are recognised by their Chinese or English headers (牵头部门, 工程类型,
 * 计划开工, 计划完工, 状态, 预算（万元）, 涉及小区, 经度/纬度 or a geometry), each row becomes a WorkRecord.
 *
 * All or nothing: any row with an error (file, row, column, value, why) means no work is taken, so a half-read
 * table never mixes into the plan. A row needs a department, a type, and a place: a geometry (line, area, point)
 * or at least one community named in 涉及小区 (names or ids of the dataset). Unknown values stay unknown (null):
 * no start → timing unknown, no budget → budget unknown, never 0. Coordinates are converted from the detected
 * coordinate system (crs.ts) and must fall in or near Jiangbei. Pure; O(rows × columns + vertices).
 */
import type { Geometry } from 'geojson';
import { detectCrs, JIANGBEI_BBOX, toWgs84, transformGeometry } from '../crs';
import { DATE_RE, WORK_STATUSES, WORK_TYPES, type WorkGeometry, type WorkRecord, type WorkStatus, type WorkType } from '../../analysis/works';
import { normaliseHeader } from './mapping';
import { geometryProblem, parseNumber } from './stage';
import type { Cell, Issue, Message, Sheet } from './types';

export interface WorkField {
  key: 'id' | 'name' | 'department' | 'type' | 'start' | 'end' | 'status' | 'budget' | 'communities' | 'lon' | 'lat' | 'geometry';
  zh: string;
  en: string;
  aliases: string[];
}

/** The works table's columns (README "Special works table"). Aliases are compared after normaliseHeader. */
export const WORK_FIELDS: WorkField[] = [
  { key: 'id', zh: '工程编号', en: 'ID', aliases: ['工程编号', '项目编号', '编号', 'id', 'code'] },
  { key: 'name', zh: '工程名称', en: 'Name', aliases: ['工程名称', '项目名称', '名称', 'name', 'work', 'project'] },
  { key: 'department', zh: '牵头部门', en: 'Lead department', aliases: ['牵头部门', '牵头单位', '责任单位', '责任部门', '实施单位', '建设单位', '部门', '单位', 'department', 'dept', 'company', 'agency'] },
  { key: 'type', zh: '工程类型', en: 'Type', aliases: ['工程类型', '专项类型', '项目类型', '类型', '类别', 'type', 'category', 'kind'] },
  { key: 'start', zh: '计划开工', en: 'Planned start', aliases: ['计划开工', '计划开工时间', '开工时间', '开工日期', '开工年份', '开工', '计划开始', 'start', 'startdate', 'plannedstart'] },
  { key: 'end', zh: '计划完工', en: 'Planned end', aliases: ['计划完工', '计划完工时间', '完工时间', '完工日期', '竣工时间', '完工', '计划结束', 'end', 'enddate', 'plannedend'] },
  { key: 'status', zh: '状态', en: 'Status', aliases: ['状态', '工程状态', '进度', '项目状态', 'status', 'state'] },
  { key: 'budget', zh: '预算 (万元)', en: 'Budget (10k CNY)', aliases: ['预算', '预算金额', '投资', '总投资', '计划投资', 'budget', 'budgetwan', 'cost'] },
  { key: 'communities', zh: '涉及小区', en: 'Communities', aliases: ['涉及小区', '所在小区', '所属小区', '小区', '小区名称', 'communities', 'community', 'estate'] },
  { key: 'lon', zh: '经度', en: 'Longitude', aliases: ['经度', 'lon', 'lng', 'longitude', 'x'] },
  { key: 'lat', zh: '纬度', en: 'Latitude', aliases: ['纬度', 'lat', 'latitude', 'y'] },
  { key: 'geometry', zh: '几何 (GeoJSON)', en: 'Geometry (GeoJSON)', aliases: ['geometry', 'geom', 'the_geom', '几何', '线路', '范围'] },
];

/** Type words → type code (more specific first); the nine types of the plan and the utilities' pipelines. */
const TYPE_WORDS: [RegExp, WorkType][] = [
  [/主干道|道路|街道整治|road/i, 'road'],
  [/雨污|分流|排水|sewer|drain/i, 'sewer'],
  [/海绵|sponge/i, 'sponge'],
  [/退红|red.?zone|setback/i, 'red_zone'],
  [/电梯|lift|elevator/i, 'lift'],
  [/垃圾|waste|refuse/i, 'waste'],
  [/安防|监控|security|cctv/i, 'security'],
  [/服务中心|service.?cent/i, 'service_center'],
  [/管线|管网|电力|供电|燃气|给水|供水|通信|弱电|pipe|utility|power|gas|water|telecom/i, 'pipeline'],
];
const STATUS_WORDS: [RegExp, WorkStatus][] = [
  [/已完工|完工|竣工|done|complete|finished/i, 'done'],
  [/在建|施工|building|under.?construction|ongoing/i, 'building'],
  [/已立项|立项|批复|approved/i, 'approved'],
  [/计划|谋划|拟|planned|plan/i, 'planned'],
];

export function workTypeFrom(s: string): WorkType | null {
  const t = s.trim();
  if ((WORK_TYPES as readonly string[]).includes(t)) return t as WorkType;
  for (const [re, code] of TYPE_WORDS) if (re.test(t)) return code;
  return null;
}

export function workStatusFrom(s: string): WorkStatus | null {
  const t = s.trim();
  if ((WORK_STATUSES as readonly string[]).includes(t)) return t as WorkStatus;
  for (const [re, code] of STATUS_WORDS) if (re.test(t)) return code;
  return null;
}

/**
 * A planned date as 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD': from "2023", "2023年", "2023年5月", "2023/5/1", "2023.05",
 * an Excel date serial, or a year number. '' → null (unknown); anything else → undefined (an error).
 */
export function planDate(c: Cell): string | null | undefined {
  if (c === null || c === '') return null;
  if (typeof c === 'number') {
    if (Number.isInteger(c) && c >= 1900 && c <= 2100) return String(c);
    if (c > 20000 && c < 80000) {
      const d = new Date(Math.round((c - 25569) * 86400 * 1000)); // Excel serial (1900 system) → UTC date
      return d.toISOString().slice(0, 10);
    }
    return undefined;
  }
  const t = String(c).trim().replace(/\s+/g, '');
  if (!t) return null;
  const m = /^(\d{4})(?:年|[-/.](?=\d))?(?:(\d{1,2})(?:月|[-/.](?=\d))?(?:(\d{1,2})日?)?)?$/.exec(t);
  if (!m) return undefined;
  const y = m[1]!;
  const mo = m[2] ? m[2].padStart(2, '0') : null;
  const d = m[3] ? m[3].padStart(2, '0') : null;
  const out = mo ? (d ? `${y}-${mo}-${d}` : `${y}-${mo}`) : y;
  return DATE_RE.test(out) ? out : undefined;
}

export interface WorksStageOptions {
  /** the dataset's communities, to resolve 涉及小区 by name or id */
  communities: { id: string; name: string }[];
  /** ids already in the project (demonstration and earlier works): an imported id must not reuse one */
  existingIds: string[];
  /** prefix of generated ids ("imp-w-3-") */
  idPrefix: string;
  /** the source shown for people (the file name; the UI turns it into "导入: …") */
  source: string;
  /** the user's column choices over the recognised ones: field → header, or null = not mapped */
  columns?: Partial<Record<WorkField['key'], string | null>>;
}

export interface WorksStaged {
  file: string;
  sheet: string;
  rows: number;
  /** the columns recognised: field key → header */
  columns: Partial<Record<WorkField['key'], string>>;
  works: WorkRecord[];
  issues: Issue[];
}

const M = (zh: string, en: string): Message => ({ zh, en });
const text = (c: Cell | undefined) => (c === null || c === undefined ? '' : String(c).trim());

/** Match headers to fields: exact alias after normalising, first column wins. */
export function matchWorkColumns(headers: readonly string[]): Partial<Record<WorkField['key'], string>> {
  const out: Partial<Record<WorkField['key'], string>> = {};
  const norm = headers.map(normaliseHeader);
  for (const f of WORK_FIELDS) {
    const i = norm.findIndex((h, k) => f.aliases.includes(h) && !Object.values(out).includes(headers[k]!));
    if (i >= 0) out[f.key] = headers[i]!;
  }
  return out;
}

function inJiangbei(g: Geometry): boolean {
  const [x0, y0, x1, y1] = JIANGBEI_BBOX;
  const pad = 0.2; // ≈ 20 km, as the layer importer
  let ok = true;
  const walk = (c: unknown): void => {
    if (!ok || !Array.isArray(c)) return;
    if (typeof c[0] === 'number') ok = c[0] >= x0 - pad && c[0] <= x1 + pad && (c[1] as number) >= y0 - pad && (c[1] as number) <= y1 + pad;
    else c.forEach(walk);
  };
  walk((g as { coordinates?: unknown }).coordinates);
  return ok;
}

/** Stage every row of a sheet as works; `works` is empty when any row has an error (all or nothing). */
export function stageWorks(file: string, sheet: Sheet, o: WorksStageOptions): WorksStaged {
  const cols = matchWorkColumns(sheet.headers);
  for (const [k, h] of Object.entries(o.columns ?? {}) as [WorkField['key'], string | null][]) {
    if (h && sheet.headers.includes(h)) cols[k] = h;
    else delete cols[k];
  }
  const issues: Issue[] = [];
  const at = (key: WorkField['key']) => (cols[key] ? sheet.headers.indexOf(cols[key]!) : -1);
  const fileIssue = (code: string, column: string | null, message: Message) => issues.push({ severity: 'error', file, sheet: sheet.name, row: null, column, value: null, code, message });
  if (!cols.department) fileIssue('missing_column', null, M('缺少「牵头部门」列 (牵头部门/责任单位/department)', 'no lead department column (牵头部门/责任单位/department)'));
  if (!cols.type) fileIssue('missing_column', null, M('缺少「工程类型」列 (工程类型/类型/type)', 'no type column (工程类型/类型/type)'));
  const hasPlace = !!sheet.geometries || !!cols.geometry || (!!cols.lon && !!cols.lat) || !!cols.communities;
  if (!hasPlace) fileIssue('missing_column', null, M('缺少位置: 需要几何、经纬度或「涉及小区」列', 'no place: a geometry, longitude/latitude or a communities (涉及小区) column is needed'));
  if (issues.length) return { file, sheet: sheet.name, rows: sheet.rows.length, columns: cols, works: [], issues };

  const byName = new Map<string, string>();
  for (const c of o.communities) {
    byName.set(c.name, c.id);
    byName.set(c.id, c.id);
  }
  const taken = new Set(o.existingIds);
  const points: number[][] = [];
  const gi = at('geometry');
  const [xi, yi] = [at('lon'), at('lat')];
  const rawGeoms: (Geometry | null | 'bad')[] = sheet.rows.map((r, i) => {
    if (sheet.geometries?.[i]) return sheet.geometries[i]!;
    if (gi >= 0 && text(r[gi])) {
      try {
        const g = JSON.parse(text(r[gi])) as Geometry & { geometry?: Geometry };
        return g && typeof g === 'object' && 'type' in g ? ((g as { type: string }).type === 'Feature' ? g.geometry! : g) : 'bad';
      } catch {
        return 'bad';
      }
    }
    if (xi >= 0 && yi >= 0 && (text(r[xi]) || text(r[yi]))) {
      const x = parseNumber(text(r[xi]));
      const y = parseNumber(text(r[yi]));
      return x === null || y === null || Number.isNaN(x) || Number.isNaN(y) ? 'bad' : { type: 'Point', coordinates: [x, y] };
    }
    return null;
  });
  for (const g of rawGeoms) if (g && g !== 'bad') points.push(firstPos(g));
  const crs = sheet.declaredCrs ?? detectCrs(points, { prj: sheet.prj, hints: [file, sheet.name, cols.lon ?? '', cols.lat ?? ''] }).crs;
  const tf = toWgs84(crs);

  const works: WorkRecord[] = [];
  sheet.rows.forEach((r, i) => {
    const row = sheet.rowNumbers[i] ?? sheet.firstRow + i;
    const before = issues.length;
    const err = (key: WorkField['key'] | null, value: string | null, message: Message, code = 'invalid_value') =>
      issues.push({ severity: 'error', file, sheet: sheet.name, row, column: key ? (cols[key] ?? key) : null, value, code, message });
    const cell = (key: WorkField['key']) => (at(key) >= 0 ? r[at(key)]! : null);

    const department = text(cell('department'));
    if (!department) err('department', null, M('牵头部门为空', 'the lead department is empty'), 'missing_value');
    const typeText = text(cell('type'));
    const type = typeText ? workTypeFrom(typeText) : null;
    if (!typeText) err('type', null, M('工程类型为空', 'the type is empty'), 'missing_value');
    else if (!type) err('type', typeText, M(`无法识别的工程类型 (应为 主干道整治、雨污分流、海绵改造、退红区域改造、加装电梯、垃圾分类、智慧安防、社区服务中心标准化 或 管线整治)`, 'unknown type (expected one of the nine special works, e.g. 雨污分流, 管线整治)'));
    const start = planDate(cell('start'));
    if (start === undefined) err('start', text(cell('start')), M('计划开工不是日期或年份', 'the planned start is not a date or a year'));
    const end = planDate(cell('end'));
    if (end === undefined) err('end', text(cell('end')), M('计划完工不是日期或年份', 'the planned end is not a date or a year'));
    if (start && end && end.slice(0, 4) < start.slice(0, 4)) err('end', end, M(`计划完工早于计划开工 (${start})`, `the planned end is before the planned start (${start})`));
    const statusText = text(cell('status'));
    const status = statusText ? workStatusFrom(statusText) : null;
    if (statusText && !status) err('status', statusText, M('无法识别的状态 (计划、已立项、在建、已完工)', 'unknown status (planned, approved, under construction, done)'));
    const budgetText = text(cell('budget'));
    const budget = budgetText ? parseNumber(budgetText.replace(/万元?$/, '')) : null;
    if (budget !== null && (Number.isNaN(budget) || budget < 0)) err('budget', budgetText, M('预算应为不小于 0 的数 (万元)', 'the budget must be a number ≥ 0 (10k CNY)'));
    const names = text(cell('communities'))
      .split(/[、,，;；]/)
      .map((s) => s.trim())
      .filter(Boolean);
    const communities: string[] = [];
    for (const n of names) {
      const id = byName.get(n);
      if (id) communities.push(id);
      else err('communities', n, M(`数据中没有名为「${n}」的小区`, `no community named "${n}" in the data`));
    }

    let geometry: WorkGeometry | null = null;
    const g = rawGeoms[i]!;
    const gcol: WorkField['key'] = sheet.geometries ? 'geometry' : gi >= 0 ? 'geometry' : 'lon';
    if (g === 'bad') err(gcol, null, M('几何或坐标无法读取 (应为 GeoJSON 几何或经纬度数字)', 'the geometry or coordinates cannot be read (a GeoJSON geometry or numbers)'));
    else if (g) {
      const problem = geometryProblem(g);
      if (problem) err(gcol, null, problem);
      else if (!['Point', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'].includes(g.type)) err(gcol, g.type, M(`不支持的几何类型 ${g.type}`, `unsupported geometry type ${g.type}`));
      else {
        const w = transformGeometry(g, tf) as WorkGeometry;
        if (!inJiangbei(w)) err(gcol, null, M('位置远在江北区之外 (坐标系错误?)', 'the position is far outside Jiangbei (wrong coordinate system?)'));
        else geometry = w;
      }
    }
    if (!g && names.length === 0) err('communities', null, M('没有位置: 需要几何、经纬度或涉及小区', 'no place: a geometry, coordinates or a community is needed'), 'missing_place');

    let id = text(cell('id'));
    if (id && taken.has(id)) err('id', id, M('工程编号已被使用', 'the id is already used'), 'duplicate_id');
    if (!id) id = `${o.idPrefix}${row}`;
    taken.add(id);
    if (issues.length > before || !type) return;
    works.push({
      id,
      name: text(cell('name')) || `${department}${typeText}`,
      department,
      type,
      start: start ?? null,
      end: end ?? start ?? null,
      status,
      budgetWan: budget,
      geometry,
      communities,
      synthetic: false,
      source: o.source,
    });
  });
  if (sheet.rows.length === 0) fileIssue('empty', null, M('表中没有数据行', 'the table has no data rows'));
  return { file, sheet: sheet.name, rows: sheet.rows.length, columns: cols, works: issues.length ? [] : works, issues };
}

function firstPos(g: Geometry): number[] {
  let c: unknown = (g as { coordinates?: unknown }).coordinates;
  while (Array.isArray(c) && Array.isArray(c[0])) c = c[0];
  return Array.isArray(c) ? (c as number[]) : [NaN, NaN];
}
