/**
 * Special works (专项工程) as records, and the "dig once" coordination built on the rules of ./conflicts.ts:
 * which works touch which community or bundle, which of them will dig up a renovated community (a conflict,
 * with a severity and the facts its one-sentence explanation needs), which works of different departments should
 * share one trench, a per-department table for the coordination group (协调小组), and how the conflicts change
 * when a renovation moves to another batch year.
 *
 * Severity of "will dig up a renovated community": 3 (high) when the work starts 1 year after the renovation,
 * 2 (medium) after 2 years, 1 (low) later inside the horizon — the sooner a fresh surface is opened, the more is
 * lost. Works to bundle are severity 1 (a saving, not damage). Timing unknown (no batch year or no start) is
 * listed apart, never as "fine" and never as a conflict.
 *
 * Pure: plain data in and out, no DOM. Complexity O(W · C · s) for touches + O(W² · s) for pairs.
 */
import type { LineString, MultiLineString, MultiPolygon, Point, Polygon } from 'geojson';
import { timingClass, touches, worksToBundle, type Renovation, type Timing, type Touch, type Work } from './conflicts';

export const WORK_TYPES = ['road', 'sewer', 'sponge', 'red_zone', 'lift', 'waste', 'security', 'service_center', 'pipeline'] as const;
export type WorkType = (typeof WORK_TYPES)[number];
/** Chinese names of the types as the plan and the departments write them (also used to read imported tables) */
export const WORK_TYPE_ZH: Record<WorkType, string> = {
  road: '主干道整治',
  sewer: '雨污分流',
  sponge: '海绵改造',
  red_zone: '退红区域改造',
  lift: '加装电梯',
  waste: '垃圾分类',
  security: '智慧安防',
  service_center: '社区服务中心标准化',
  pipeline: '管线整治',
};
export const WORK_STATUSES = ['planned', 'approved', 'building', 'done'] as const;
export type WorkStatus = (typeof WORK_STATUSES)[number];
export const WORK_STATUS_ZH: Record<WorkStatus, string> = { planned: '计划', approved: '已立项', building: '在建', done: '已完工' };

export type WorkGeometry = Point | LineString | MultiLineString | Polygon | MultiPolygon;

/** One special work: a record with a stable id and its department, so it can be synced and edited per record. */
export interface WorkRecord {
  id: string;
  name: string;
  /** lead department or company (牵头部门), e.g. 区住建局, 区水利局, 供电公司 */
  department: string;
  type: WorkType;
  /** planned start / end: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'; null = unknown */
  start: string | null;
  end: string | null;
  status: WorkStatus | null;
  /** budget in 万元; null = unknown */
  budgetWan: number | null;
  geometry: WorkGeometry | null;
  /** communities the work is attached to (e.g. 加装电梯 in a community), in addition to its geometry */
  communities: string[];
  /** 演示数据 (generated) or not */
  synthetic: boolean;
  /** where it comes from, for people: "演示数据", the imported file's name, "drawn on the map" */
  source: string;
}

export const DATE_RE = /^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$/;

/** The year of a planned date ('2023', '2023-05', '2023-05-12'); null when unknown or malformed. */
export function yearOf(d: string | null): number | null {
  const m = d === null ? null : DATE_RE.exec(d);
  return m ? Number(m[1]) : null;
}

export function toWork(r: WorkRecord): Work {
  const start = yearOf(r.start);
  return { id: r.id, department: r.department, type: r.type, start, end: yearOf(r.end) ?? start, geometry: r.geometry, communities: r.communities };
}

export type Severity = 1 | 2 | 3;

export interface DigUp {
  kind: 'dig-up';
  key: string;
  severity: Severity;
  work: string;
  community: string;
  departments: string[];
  /** the renovation's year and the work's start year */
  renovationYear: number;
  startYear: number;
  yearsAfter: number;
  distanceM: number;
}

export interface SameTrench {
  kind: 'same-trench';
  key: string;
  severity: Severity;
  work: string;
  other: string;
  departments: string[];
  distanceM: number;
  /** the overlapping years */
  from: number;
  to: number;
}

export type Conflict = DigUp | SameTrench;

export interface CoordinationOptions {
  /** a work touches a community within this distance of its outline (m) */
  distanceM: number;
  /** after the renovation within this many years = conflict */
  horizonYears: number;
}
export const DEFAULT_COORDINATION: CoordinationOptions = { distanceM: 50, horizonYears: 3 };

export interface Coordination {
  touches: Touch[];
  /** touches per community id */
  byCommunity: Map<string, Touch[]>;
  conflicts: Conflict[];
  /** touching pairs whose timing cannot be judged (no batch year or no start) */
  unknown: Touch[];
}

export function digUpSeverity(yearsAfter: number): Severity {
  return yearsAfter <= 1 ? 3 : yearsAfter === 2 ? 2 : 1;
}

/** Every touch, conflict and unknown timing for the given works and renovations. */
export function coordinate(records: readonly WorkRecord[], renovations: readonly Renovation[], o: CoordinationOptions = DEFAULT_COORDINATION): Coordination {
  const works = records.map(toWork);
  const byId = new Map(records.map((r) => [r.id, r]));
  const ts = touches(works, renovations, o);
  const byCommunity = new Map<string, Touch[]>();
  for (const t of ts) {
    const list = byCommunity.get(t.community);
    if (list) list.push(t);
    else byCommunity.set(t.community, [t]);
  }
  const yearOfC = new Map(renovations.map((c) => [c.id, c.year]));
  const conflicts: Conflict[] = [];
  for (const t of ts) {
    if (t.timing !== 'conflict') continue;
    const w = byId.get(t.work)!;
    const ry = yearOfC.get(t.community)!;
    const ya = t.yearsAfter!;
    conflicts.push({
      kind: 'dig-up',
      key: `dig-up|${t.work}|${t.community}`,
      severity: digUpSeverity(ya),
      work: t.work,
      community: t.community,
      departments: [w.department],
      renovationYear: ry!,
      startYear: ry! + ya,
      yearsAfter: ya,
      distanceM: t.distanceM,
    });
  }
  const workOf = new Map(works.map((w) => [w.id, w]));
  for (const p of worksToBundle(works, o)) {
    const a = workOf.get(p.a)!;
    const b = workOf.get(p.b)!;
    conflicts.push({
      kind: 'same-trench',
      key: `same-trench|${p.a}|${p.b}`,
      severity: 1,
      work: p.a,
      other: p.b,
      departments: [a.department, b.department],
      distanceM: p.distanceM,
      from: Math.max(a.start!, b.start!),
      to: Math.min(a.end ?? a.start!, b.end ?? b.start!),
    });
  }
  return { touches: ts, byCommunity, conflicts: sortConflicts(conflicts, 'severity', byId), unknown: ts.filter((t) => t.timing === 'unknown') };
}

export type ConflictSort = 'severity' | 'department';

/** Sort by severity (high first), or by department (then severity); ties by start year and work name. */
export function sortConflicts(cs: readonly Conflict[], by: ConflictSort, works: ReadonlyMap<string, WorkRecord>): Conflict[] {
  const start = (c: Conflict) => (c.kind === 'dig-up' ? c.startYear : c.from);
  const name = (c: Conflict) => works.get(c.work)?.name ?? '';
  const cmp = (a: Conflict, b: Conflict) =>
    by === 'department'
      ? a.departments[0]!.localeCompare(b.departments[0]!, 'zh') || b.severity - a.severity || start(a) - start(b) || name(a).localeCompare(name(b), 'zh')
      : b.severity - a.severity || start(a) - start(b) || a.departments[0]!.localeCompare(b.departments[0]!, 'zh') || name(a).localeCompare(name(b), 'zh');
  return [...cs].sort((a, b) => cmp(a, b) || a.key.localeCompare(b.key));
}

/** The conflicts that involve some of the given communities (a bundle's members): dig-ups there, and works to bundle touching them. */
export function conflictsOf(c: Coordination, members: readonly string[]): Conflict[] {
  const set = new Set(members);
  const touching = new Set(c.touches.filter((t) => set.has(t.community)).map((t) => t.work));
  return c.conflicts.filter((x) => (x.kind === 'dig-up' ? set.has(x.community) : touching.has(x.work) || touching.has(x.other)));
}

export interface ConflictDiff {
  before: number;
  after: number;
  resolved: Conflict[];
  appeared: Conflict[];
}

/** What changes between two conflict lists (e.g. before and after moving a renovation to another year). */
export function diffConflicts(before: readonly Conflict[], after: readonly Conflict[]): ConflictDiff {
  const a = new Set(after.map((c) => c.key));
  const b = new Set(before.map((c) => c.key));
  return { before: before.length, after: after.length, resolved: before.filter((c) => !a.has(c.key)), appeared: after.filter((c) => !b.has(c.key)) };
}

/** The renovations with one community moved to another year (null = unscheduled). */
export function withYear(renovations: readonly Renovation[], id: string, year: number | null): Renovation[] {
  return renovations.map((r) => (r.id === id ? { ...r, year } : r));
}

export interface DepartmentRow {
  department: string;
  works: number;
  /** Σ budget of the works with a known budget, and how many have none */
  budgetWan: number;
  budgetUnknown: number;
  /** distinct communities the department's works touch */
  communities: number;
  integrated: number;
  digUps: number;
  sameTrench: number;
  unknown: number;
  /** earliest start and latest end year of its works (null when none is known) */
  from: number | null;
  to: number | null;
}

/** One row per department, for the coordination meeting; sorted by conflicts, then name. */
export function departmentTable(records: readonly WorkRecord[], c: Coordination): DepartmentRow[] {
  const rows = new Map<string, DepartmentRow & { seen: Set<string> }>();
  const row = (d: string) => {
    let r = rows.get(d);
    if (!r) {
      r = { department: d, works: 0, budgetWan: 0, budgetUnknown: 0, communities: 0, integrated: 0, digUps: 0, sameTrench: 0, unknown: 0, from: null, to: null, seen: new Set() };
      rows.set(d, r);
    }
    return r;
  };
  const dept = new Map(records.map((w) => [w.id, w.department]));
  for (const w of records) {
    const r = row(w.department);
    r.works++;
    if (w.budgetWan === null) r.budgetUnknown++;
    else r.budgetWan += w.budgetWan;
    const s = yearOf(w.start);
    const e = yearOf(w.end) ?? s;
    if (s !== null) r.from = r.from === null ? s : Math.min(r.from, s);
    if (e !== null) r.to = r.to === null ? e : Math.max(r.to, e);
  }
  for (const t of c.touches) {
    const r = row(dept.get(t.work)!);
    r.seen.add(t.community);
    if (t.timing === 'integrated') r.integrated++;
    if (t.timing === 'unknown') r.unknown++;
  }
  for (const x of c.conflicts) {
    if (x.kind === 'dig-up') row(x.departments[0]!).digUps++;
    else for (const d of x.departments) row(d).sameTrench++;
  }
  return [...rows.values()]
    .map(({ seen, ...r }) => ({ ...r, budgetWan: Math.round(r.budgetWan * 100) / 100, communities: seen.size }))
    .sort((a, b) => b.digUps + b.sameTrench - (a.digUps + a.sameTrench) || a.department.localeCompare(b.department, 'zh'));
}

export interface GanttBar {
  work: string;
  /** first and last year of the bar (end defaults to start) */
  from: number;
  to: number;
  timing: Timing;
}

/** The timeline of one community or bundle: one bar per touching work with a known start (its worst timing over the members). */
export function gantt(c: Coordination, records: readonly WorkRecord[], members: readonly string[]): { bars: GanttBar[]; undated: string[] } {
  const set = new Set(members);
  const byId = new Map(records.map((w) => [w.id, w]));
  const seen = new Map<string, Timing>();
  const rank: Record<Timing, number> = { conflict: 3, unknown: 2, integrated: 1, later: 0 };
  for (const t of c.touches) {
    if (!set.has(t.community)) continue;
    const prev = seen.get(t.work);
    if (!prev || rank[t.timing] > rank[prev]) seen.set(t.work, t.timing);
  }
  const bars: GanttBar[] = [];
  const undated: string[] = [];
  for (const [id, timing] of seen) {
    const w = byId.get(id)!;
    const from = yearOf(w.start);
    if (from === null) {
      undated.push(id);
      continue;
    }
    bars.push({ work: id, from, to: Math.max(from, yearOf(w.end) ?? from), timing });
  }
  bars.sort((a, b) => a.from - b.from || (byId.get(a.work)!.name.localeCompare(byId.get(b.work)!.name, 'zh')));
  return { bars, undated };
}

export { timingClass, type Renovation, type Timing, type Touch };
