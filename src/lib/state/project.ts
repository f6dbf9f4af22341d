/**
 * The project file: one JSON document holding every registered persisted slice (./persisted.ts) plus the
 * view, with a schema version, so a whole planning session can be exported, imported and migrated.
 *
 * Current format (schema_version 2):
 *   { "format": "jiangbei-renewal-project", "schema_version": 2, "saved_at": ISO time,
 *     "dataset": { "source", "synthetic" }?, "view": { selected, mode, center, zoom }?,
 *     "slices": { "<slice key>": <slice snapshot>, ... } }
 *
 * Version 1 was the first prototype's file (before the slice registry): per-community edits at the top
 * level with snake-case vote fields and a `stage_dates` map instead of a dated history:
 *   { "version": 1, "saved": ISO time, "rubric": <rubric>|null,
 *     "communities": { "<id>": { "stage", "side_state"?, "pool"?, "batch_year"?, "stage_dates"?: {STAGE: date},
 *                                "votes"?: [{ "kind", "date", "area_yes", "area_total", "owners_yes", "owners_total" }] } } }
 * MIGRATIONS[1] turns it into version 2 (the 'pool' slice). Files are migrated one version at a time.
 *
 * Import is all-or-nothing: the file is parsed, migrated and validated first; then every slice is restored
 * and, if any slice refuses its data, every slice is put back as it was and the error is reported.
 * A file written by a newer version is refused (this build cannot know what it would drop).
 */
import { allSlices, type PersistedSlice } from './persisted';
import { isSideState, isStage, type StageEvent, type WorkflowState } from '../analysis/workflow';
import type { CommunityEdit, PoolSliceData } from '../analysis/pool';
import type { VoteRecord } from '../analysis/consent';
import type { ViewState } from './url';
import { SliceDataError, checkTextShape, hasSliceSchema, sliceName, validateSlice, validateView } from './schemas';

export const PROJECT_FORMAT = 'jiangbei-renewal-project';
export const PROJECT_SCHEMA_VERSION = 2;

export interface ProjectFile {
  format: typeof PROJECT_FORMAT;
  schema_version: typeof PROJECT_SCHEMA_VERSION;
  saved_at: string;
  dataset?: { source: string; synthetic: boolean };
  view?: ViewState;
  slices: Record<string, unknown>;
  /** never written: keys of parts of a read file that this build does not know (dropped, reported) */
  dropped?: string[];
}

export class ProjectError extends Error {
  constructor(
    public zh: string,
    public en: string,
  ) {
    super(en);
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Snapshot every registered slice into a project file. */
export function buildProject(
  extra: { dataset?: ProjectFile['dataset']; view?: ViewState } = {},
  slices: PersistedSlice[] = allSlices(),
  now: Date = new Date(),
): ProjectFile {
  const out: ProjectFile = { format: PROJECT_FORMAT, schema_version: PROJECT_SCHEMA_VERSION, saved_at: now.toISOString(), slices: {} };
  if (extra.dataset) out.dataset = extra.dataset;
  if (extra.view) out.view = extra.view;
  for (const s of slices) {
    const snap = s.snapshot();
    // JSON round trip: the file must hold plain data only, and the snapshot must not alias live state
    if (snap !== undefined) out.slices[s.key] = JSON.parse(JSON.stringify(snap));
  }
  return out;
}

export function projectToText(p: ProjectFile): string {
  const { dropped: _, ...file } = p;
  void _;
  return JSON.stringify(file, null, 2) + '\n';
}

/** Version 1 → 2: the prototype's per-community edits become the 'pool' slice. */
function migrate1to2(v1: Record<string, unknown>): Record<string, unknown> {
  const comms = v1.communities ?? {};
  if (!isObj(comms)) throw new ProjectError('版本1文件的 communities 应为对象', 'version-1 file: "communities" must be an object');
  const overlay: Record<string, CommunityEdit> = {};
  for (const [id, c] of Object.entries(comms)) {
    if (!isObj(c)) throw new ProjectError(`版本1文件: 小区 ${id} 的记录无效`, `version-1 file: the record of community ${id} is not an object`);
    const e: CommunityEdit = {};
    if (c.pool !== undefined) e.pool = c.pool as CommunityEdit['pool'];
    if (c.batch_year !== undefined) e.batch_year = c.batch_year as CommunityEdit['batch_year'];
    if (c.stage !== undefined) {
      const stage = String(c.stage);
      if (!isStage(stage)) throw new ProjectError(`版本1文件: 小区 ${id} 的阶段 "${stage}" 未知`, `version-1 file: community ${id} has unknown stage "${stage}"`);
      const side = c.side_state ?? null;
      if (side !== null && !isSideState(String(side)))
        throw new ProjectError(`版本1文件: 小区 ${id} 的状态 "${String(side)}" 未知`, `version-1 file: community ${id} has unknown side state "${String(side)}"`);
      const votes = Array.isArray(c.votes) ? (c.votes as Record<string, unknown>[]) : [];
      const toVote = (v: Record<string, unknown>): VoteRecord => ({
        kind: v.kind === 'scheme' ? 'scheme' : 'application',
        date: String(v.date),
        areaInFavour: Number(v.area_yes),
        areaTotal: Number(v.area_total),
        ownersInFavour: Number(v.owners_yes),
        ownersTotal: Number(v.owners_total),
      });
      // v1 kept only the date each stage was entered; rebuild the dated history in stage-date order
      const dates = isObj(c.stage_dates) ? (c.stage_dates as Record<string, string>) : {};
      const entries = Object.entries(dates).sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0));
      const history: StageEvent[] = [];
      let from = 'POOL' as StageEvent['from'];
      for (const [to, date] of entries) {
        if (!isStage(to) && !isSideState(to)) throw new ProjectError(`版本1文件: 小区 ${id} 的阶段日期 "${to}" 未知`, `version-1 file: community ${id} dates an unknown stage "${to}"`);
        const ev: StageEvent = { from, to, date };
        const kind = to === 'APPLIED' ? 'application' : to === 'SCHEME_VOTED' ? 'scheme' : null;
        const v = kind ? votes.find((x) => (x.kind ?? 'application') === kind) : undefined;
        if (v) ev.vote = toVote(v);
        history.push(ev);
        from = to;
      }
      const wf: WorkflowState = { stage, side: side as WorkflowState['side'], history };
      e.workflow = wf;
    }
    overlay[id] = e;
  }
  const pool: PoolSliceData = { version: 1, overlay, rubric: (v1.rubric ?? null) as PoolSliceData['rubric'] };
  return {
    format: PROJECT_FORMAT,
    schema_version: 2,
    saved_at: typeof v1.saved === 'string' ? v1.saved : new Date(0).toISOString(),
    slices: { pool },
  };
}

/** MIGRATIONS[n] turns a version-n file into version n+1. */
export const MIGRATIONS: Record<number, (old: Record<string, unknown>) => Record<string, unknown>> = {
  1: migrate1to2,
};

function versionOf(x: Record<string, unknown>): number {
  if (x.format === PROJECT_FORMAT && typeof x.schema_version === 'number') return x.schema_version;
  if (x.format === undefined && typeof x.version === 'number' && 'communities' in x) return x.version; // v1 had no format tag
  throw new ProjectError(
    '不是本工具的项目文件 (缺少 format: "jiangbei-renewal-project" 与 schema_version)',
    'not a project file of this planner (no format "jiangbei-renewal-project" with a schema_version)',
  );
}

/** Parse, migrate and check a project file's text. Throws ProjectError; never touches app state. */
export function parseProject(text: string): ProjectFile {
  const shape = checkTextShape(text);
  if (shape) throw new ProjectError(shape.zh, shape.en);
  let x: unknown;
  try {
    x = JSON.parse(text);
  } catch (e) {
    throw new ProjectError(`文件不是有效的 JSON: ${(e as Error).message}`, `the file is not valid JSON: ${(e as Error).message}`);
  }
  if (!isObj(x)) throw new ProjectError('项目文件应为 JSON 对象', 'a project file must be a JSON object');
  let v = versionOf(x);
  if (!Number.isInteger(v) || v < 1)
    throw new ProjectError(`无效的版本号 ${String(v)}`, `invalid schema version ${String(v)}`);
  if (v > PROJECT_SCHEMA_VERSION)
    throw new ProjectError(
      `该文件由更新版本的工具写入 (版本 ${v}); 本工具只能读取版本 ${PROJECT_SCHEMA_VERSION} 及以下。未做任何更改。`,
      `this file was written by a newer version of the planner (schema ${v}); this build reads up to schema ${PROJECT_SCHEMA_VERSION}. Nothing was changed.`,
    );
  while (v < PROJECT_SCHEMA_VERSION) {
    const m = MIGRATIONS[v];
    if (!m) throw new ProjectError(`无法从版本 ${v} 迁移`, `no migration from schema ${v}`);
    x = m(x as Record<string, unknown>);
    v += 1;
  }
  const p = x as Record<string, unknown>;
  if (!isObj(p.slices)) throw new ProjectError('项目文件缺少 slices', 'the project file has no "slices" object');
  if (typeof p.saved_at !== 'string') throw new ProjectError('项目文件缺少保存时间 saved_at', 'the project file has no "saved_at" time');
  return checkProject(p as unknown as ProjectFile);
}

/**
 * Check every slice and the view against its schema (./schemas.ts) before anything is applied. Returns the
 * project with cleaned data; slices this build does not know are dropped (listed in `dropped`). Throws a
 * ProjectError naming the part and the field of the first problem.
 */
export function checkProject(p: ProjectFile): ProjectFile {
  const out: ProjectFile = { format: PROJECT_FORMAT, schema_version: PROJECT_SCHEMA_VERSION, saved_at: p.saved_at.slice(0, 64), slices: {}, dropped: [] };
  const refuse = (e: unknown): never => {
    const part = e instanceof SliceDataError ? e.slice : '?';
    const why = e instanceof SliceDataError ? `${e.path ? `${e.path}: ` : ''}${e.why}` : String((e as Error).message);
    throw new ProjectError(`「${sliceName(part, 'zh')}」数据无效 (${why}); 未做任何更改`, `the ${sliceName(part, 'en')} data is invalid (${why}); nothing was changed`);
  };
  for (const [k, data] of Object.entries(p.slices)) {
    if (!hasSliceSchema(k)) {
      out.dropped!.push(k);
      continue;
    }
    try {
      const clean = validateSlice(k, data);
      if (clean !== undefined) out.slices[k] = clean;
    } catch (e) {
      refuse(e);
    }
  }
  try {
    const view = validateView(p.view);
    if (view) out.view = view;
  } catch (e) {
    refuse(e);
  }
  const ds = p.dataset as unknown;
  if (ds !== undefined) {
    const d = ds as Record<string, unknown>;
    if (!isObj(ds) || typeof d.source !== 'string' || typeof d.synthetic !== 'boolean')
      throw new ProjectError('项目文件的 dataset 应为 { source, synthetic }', 'the project file\'s "dataset" must be { source, synthetic }');
    out.dataset = { source: d.source.slice(0, 2000), synthetic: d.synthetic };
  }
  return out;
}

/** "ignored parts this build does not know: …" for messages, or '' when nothing was dropped. */
export function droppedNote(p: ProjectFile): { zh: string; en: string } {
  const d = p.dropped ?? [];
  if (d.length === 0) return { zh: '', en: '' };
  const names = d.slice(0, 5).map((k) => `"${k.slice(0, 40)}"`).join(', ') + (d.length > 5 ? ` …(+${d.length - 5})` : '');
  return { zh: `; 已忽略本版本不认识的部分 ${names} (不会保存)`, en: `; ignored parts this build does not know: ${names} (not kept)` };
}

export interface ApplyResult {
  /** slice keys restored from the file */
  restored: string[];
  /** slices of this build absent from the file: reset to their defaults */
  reset: string[];
  /** checked slices of features not loaded in this session yet: carried, restored when they register */
  notLoaded: string[];
}

/**
 * Restore every slice from a parsed project, all or nothing: if any slice refuses its data, every slice
 * is restored to its state before the import and a ProjectError naming the slice is thrown.
 */
export function applyProject(p: ProjectFile, slices: PersistedSlice[] = allSlices()): ApplyResult {
  const before = slices.map((s) => ({ s, data: JSON.parse(JSON.stringify(s.snapshot() ?? null)) }));
  const res: ApplyResult = { restored: [], reset: [], notLoaded: Object.keys(p.slices).filter((k) => !slices.some((s) => s.key === k)) };
  try {
    for (const s of slices) {
      if (s.key in p.slices) {
        s.restore(structuredClone(p.slices[s.key]));
        res.restored.push(s.key);
      } else {
        s.restore(undefined);
        res.reset.push(s.key);
      }
    }
  } catch (err) {
    for (const { s, data } of before) {
      try {
        s.restore(data === null ? undefined : data);
      } catch {
        // the previous state came from this very slice's snapshot; if it cannot take it back there is nothing better to do
      }
    }
    const why = err instanceof ProjectError ? err.en : (err as Error).message;
    const whyZh = err instanceof ProjectError ? err.zh : (err as Error).message;
    throw new ProjectError(`导入失败, 未做任何更改: ${whyZh}`, `import refused, nothing was changed: ${why}`);
  }
  return res;
}

/** Parse + apply in one step (what the import button does). */
export function importProjectText(text: string, slices: PersistedSlice[] = allSlices()): { project: ProjectFile; result: ApplyResult } {
  const project = parseProject(text);
  return { project, result: applyProject(project, slices) };
}
