/**
 * The 'works' slice: the special works the user imported or drew (records with a stable id and a department, so a
 * server can sync them per record and a department editor can be limited to their own), plus the coordination
 * settings (touch distance, horizon, whether the demonstration works are shown). The demonstration works are read
 * from the data folder (works.fgb, 演示数据) and never saved. Touches, conflicts, the department table and the
 * effect of moving a renovation to another year are `$derived` (analysis/works.ts).
 */
import type { MultiPolygon, Polygon } from 'geojson';
import { app } from './app.svelte';
import { pool } from './pool.svelte';
import { bundles } from './bundles.svelte';
import { edited, registerSlice } from './persisted';
import { validateWorks, workRecordSchema } from './schemas';
import * as v from 'valibot';
import type { BatchYear } from '../domain/types';
import {
  coordinate,
  DEFAULT_COORDINATION,
  departmentTable,
  diffConflicts,
  sortConflicts,
  withYear,
  type Conflict,
  type ConflictDiff,
  type ConflictSort,
  type Renovation,
  type WorkRecord,
} from '../analysis/works';

export interface WorksSettings {
  distanceM: number;
  horizonYears: number;
  showDemo: boolean;
}
export interface WorksSliceData {
  version: 1;
  works: WorkRecord[];
  settings?: Partial<WorksSettings>;
}

/** the source of a work drawn on the map (both languages: it is stored, and read by people in either) */
export const DRAWN_SOURCE = '地图上绘制 / drawn on the map';

const DEFAULT_SETTINGS: WorksSettings = { ...DEFAULT_COORDINATION, showDemo: true };

/** A clean record from checked data (absent optional fields become null / []). */
function clean(w: v.InferOutput<typeof workRecordSchema>): WorkRecord {
  return {
    id: w.id,
    name: w.name,
    department: w.department,
    type: w.type,
    start: w.start ?? null,
    end: w.end ?? null,
    status: w.status ?? null,
    budgetWan: w.budgetWan ?? null,
    geometry: (w.geometry ?? null) as WorkRecord['geometry'],
    communities: [...(w.communities ?? [])],
    synthetic: w.synthetic,
    source: w.source,
  };
}

/** Demonstration works as stored in works.fgb (budget_wan, communities as JSON text) → checked records. */
export function demoWorkFromFeature(f: { geometry: unknown; properties: Record<string, unknown> | null }, i: number): WorkRecord {
  const p = f.properties ?? {};
  const communities = typeof p.communities === 'string' ? (JSON.parse(p.communities) as unknown) : (p.communities ?? []);
  const r = v.safeParse(workRecordSchema, { ...p, budgetWan: p.budget_wan ?? null, communities, geometry: f.geometry });
  if (!r.success) throw new Error(`works.fgb: feature ${i}: field ${v.getDotPath(r.issues[0]) ?? ''}: ${r.issues[0].message}`);
  return clean(r.output);
}

export interface YearMove {
  communities: string[];
  from: number | null;
  to: number | null;
  diff: ConflictDiff;
}

class WorksState {
  /** the user's works (imported, drawn) */
  works = $state.raw<WorkRecord[]>([]);
  settings = $state.raw<WorksSettings>(DEFAULT_SETTINGS);
  /** demonstration works from the data folder (not saved) */
  demo = $state.raw<WorkRecord[]>([]);
  demoError = $state<string | null>(null);
  /** the last renovation moved from this view, with what it changed (shown until the next move) */
  lastMove = $state.raw<YearMove | null>(null);
  sortBy = $state<ConflictSort>('severity');
  /** the community or bundle whose timeline is shown */
  focus = $state<{ kind: 'community' | 'bundle'; id: string } | null>(null);

  all = $derived<WorkRecord[]>(this.settings.showDemo ? [...this.demo, ...this.works] : this.works);
  byId = $derived(new Map(this.all.map((w) => [w.id, w])));
  renovations = $derived<Renovation[]>(
    app.dataset.communities.map((f) => ({
      id: f.properties.id,
      outline: f.geometry as Polygon | MultiPolygon,
      year: app.recordById.get(f.properties.id)?.batch_year ?? null,
    })),
  );
  coordination = $derived(coordinate(this.all, this.renovations, this.settings));
  conflicts = $derived<Conflict[]>(sortConflicts(this.coordination.conflicts, this.sortBy, this.byId));
  departments = $derived(departmentTable(this.all, this.coordination));
  /** departments in use (for the draw form's suggestions) */
  departmentNames = $derived([...new Set(this.all.map((w) => w.department))].sort((a, b) => a.localeCompare(b, 'zh')));

  /** What moving these communities' renovation (one, or a bundle's members) to `year` would change (a preview; nothing is edited). */
  preview(ids: readonly string[], year: number | null): ConflictDiff {
    let moved = this.renovations;
    for (const id of ids) moved = withYear(moved, id, year);
    return diffConflicts(this.coordination.conflicts, coordinate(this.all, moved, this.settings).conflicts);
  }

  /** Move renovations to another batch year (the pool's batch_year overlay, one undo step) and keep what it changed. */
  moveRenovation(ids: readonly string[], year: BatchYear | null, label: string): void {
    if (ids.length === 0) return;
    const from = app.recordById.get(ids[0]!)?.batch_year ?? null;
    const diff = this.preview(ids, year);
    pool.assignMany(Object.fromEntries(ids.map((id) => [id, { batch_year: year }])), label);
    this.lastMove = { communities: [...ids], from, to: year, diff };
  }

  bundleMembers(id: string): string[] {
    return bundles.plan?.bundles.find((b) => b.id === id)?.members ?? [];
  }

  setSettings(s: Partial<WorksSettings>, label: string): void {
    this.settings = { ...this.settings, ...s };
    edited(`统筹设置: ${label}`);
  }

  /** Add works (an import or a drawing) as one undo step. Ids must be new. */
  add(ws: readonly WorkRecord[], label: string): void {
    const have = new Set(this.all.map((w) => w.id));
    const fresh = ws.filter((w) => !have.has(w.id));
    if (fresh.length === 0) return;
    this.works = [...this.works, ...fresh];
    edited(`专项工程: ${label}`);
  }

  remove(id: string): void {
    const w = this.works.find((x) => x.id === id);
    if (!w) return;
    this.works = this.works.filter((x) => x.id !== id);
    edited(`专项工程: 删除 ${w.name}`);
  }

  /** A new id for a drawn or imported work, unique in the project. */
  newId(prefix: string): string {
    const have = new Set(this.all.map((w) => w.id));
    for (let n = this.works.length + 1; ; n++) {
      const id = `${prefix}${String(n).padStart(3, '0')}`;
      if (!have.has(id)) return id;
    }
  }

  async loadDemo(baseUrl: string): Promise<void> {
    try {
      const manifest = app.manifest;
      const entry = manifest?.extra_layers?.find((l) => l.layer === 'works');
      if (!entry) return; // a data folder without demonstration works: nothing to show
      const res = await fetch(new URL(entry.file, baseUrl).href);
      if (!res.ok) throw new Error(`${entry.file}: missing (HTTP ${res.status})`);
      const { readFgbBytes } = await import('../data/import/fgb');
      const fs = readFgbBytes(new Uint8Array(await res.arrayBuffer()));
      this.demo = fs.map((f, i) => demoWorkFromFeature(f as never, i));
      this.demoError = null;
    } catch (e) {
      this.demoError = (e as Error).message;
    }
  }

  snapshot(): WorksSliceData {
    return { version: 1, works: $state.snapshot(this.works) as WorkRecord[], settings: { ...this.settings } };
  }

  restore(data: WorksSliceData | undefined): void {
    const d = validateWorks(data);
    this.works = d ? d.works.map(clean) : [];
    this.settings = { ...DEFAULT_SETTINGS, ...(d?.settings ?? {}) };
    this.lastMove = null;
  }
}

export const works = new WorksState();
// browser tests read the works' names and departments (data values, like community names) from the page hook
if (typeof window !== 'undefined') ((window as any).__planner ??= {}).works = works;

registerSlice<WorksSliceData>({ key: 'works', snapshot: () => works.snapshot(), restore: (d) => works.restore(d) });
