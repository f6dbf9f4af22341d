/**
 * The project pool (项目库): per-community edits over the loaded dataset, batch planning and progress.
 *
 * What it computes:
 *  - effective records: the dataset's community record with the user's edits laid over it (attributes,
 *    pool, batch year, workflow state); the dataset itself is never changed, so edits survive a reload of
 *    the demonstration data;
 *  - "take the top N eligible into next year's plan within a budget cap": walks the ranking in order, takes
 *    eligible communities that are not yet in an annual plan (pool other than 实施, stage before PLANNED) and
 *    not rejected, while the running investment stays within the cap; a community that would exceed the cap is
 *    skipped (reported, with why) and the walk continues, so a cheaper lower-ranked project can still use the
 *    remaining budget. Stops after N are taken. Taking a community sets its pool to 实施 and its batch year;
 *  - totals per batch year (households, floor area, investment from ./funding.ts);
 *  - progress (进度表): started (construction or later), under construction, completed (accepted or later)
 *    per street and per batch, and the district figures against the plan's target: all 73 by 2022-12-31.
 *
 * Complexity: O(N) for totals and progress, O(N) for top-N over a ranking. Sources: workflow.yaml (pools,
 * deadline), funding.yaml via ./funding.ts (investment estimate), PLAN_TOTALS (73 communities).
 */
import { BATCH_YEARS, PLAN_TOTALS, POOLS, STAGES, type BatchYear, type CommunityProps, type Pool, type Stage } from '../domain/types';
import { communityInvestment } from './funding';
import type { Ranked } from './rank';
import { validateRubric, type Rubric } from './rubric';
import { initialWorkflow, isSideState, isStage, stageIndex, type WorkflowState } from './workflow';

/** Attributes a user may edit by hand (the rest are identity and provenance). */
export const EDITABLE_ATTRS = [
  'build_year',
  'households',
  'buildings',
  'floor_area_m2',
  'residents',
  'property_mgmt',
  'maintenance_fund',
  'dangerous_buildings',
  'lift_demand',
  'consent_area_share',
  'consent_headcount_share',
  'owner_contribution_share',
  'illegal_cleared_share',
  'safety_hazard',
  'third_party_funding',
] as const satisfies readonly (keyof CommunityProps)[];
export type EditableAttr = (typeof EDITABLE_ATTRS)[number];

/** The user's edits to one community. Absent fields mean "as in the dataset". */
export interface CommunityEdit {
  attrs?: Partial<Pick<CommunityProps, EditableAttr>>;
  pool?: Pool;
  /** null = explicitly taken out of any batch */
  batch_year?: BatchYear | null;
  /** once set, the workflow (stage, side state, dated history with votes) replaces the dataset's stage */
  workflow?: WorkflowState;
}

export type Overlay = Record<string, CommunityEdit>;

/** The record as the user sees it: dataset values with edits laid over. Never mutates its inputs. */
export function effectiveProps(p: CommunityProps, e: CommunityEdit | undefined): CommunityProps {
  if (!e) return p;
  const out: CommunityProps = { ...p, ...(e.attrs ?? {}) };
  if (e.pool !== undefined) out.pool = e.pool;
  if (e.batch_year !== undefined) out.batch_year = e.batch_year;
  if (e.workflow) {
    out.stage = e.workflow.stage;
    out.side_state = e.workflow.side;
  }
  return out;
}

/** The workflow of a community: its edited one, or a fresh one starting at the dataset's stage. */
export function workflowOf(p: CommunityProps, e: CommunityEdit | undefined): WorkflowState {
  return e?.workflow ?? initialWorkflow(p.stage, p.side_state);
}

export type InvestmentOf = (p: CommunityProps) => number;

/** Default investment: floor area × unit cost + lifts + dangerous-building repair (./funding.ts). */
export const defaultInvestment: InvestmentOf = (p) => communityInvestment(p).totalCny;

export interface TopNOptions {
  n: number;
  /** the plan year the chosen communities go into */
  year: BatchYear;
  /** CNY; Infinity for no cap */
  budgetCapCny: number;
  investmentOf?: InvestmentOf;
}

export interface TopNResult {
  chosen: { id: string; rank: number; investmentCny: number }[];
  skipped: { id: string; rank: number; investmentCny: number; zh: string; en: string }[];
  totalCny: number;
}

/** Is the community a candidate for next year's plan (in the pool, not yet planned, not rejected)? */
export function isPlanCandidate(p: CommunityProps): boolean {
  return p.pool !== '实施' && stageIndex(p.stage) < stageIndex('PLANNED') && p.side_state !== 'REJECTED';
}

/** Pick the top N eligible plan candidates (isPlanCandidate) of a ranking within a budget cap. */
export function takeTopN(ranking: readonly Ranked[], propsOf: (id: string) => CommunityProps, o: TopNOptions): TopNResult {
  if (!Number.isInteger(o.n) || o.n < 0) throw new Error(`top N: N must be a whole number ≥ 0, got ${o.n}`);
  if (!(o.budgetCapCny >= 0)) throw new Error(`top N: the budget cap must be ≥ 0 CNY, got ${o.budgetCapCny}`);
  const inv = o.investmentOf ?? defaultInvestment;
  const res: TopNResult = { chosen: [], skipped: [], totalCny: 0 };
  for (const r of [...ranking].sort((a, b) => a.rank - b.rank)) {
    if (res.chosen.length >= o.n) break;
    if (!r.eligible) continue;
    const p = propsOf(r.id);
    if (!isPlanCandidate(p)) continue;
    const cost = inv(p);
    if (res.totalCny + cost > o.budgetCapCny) {
      const wan = (x: number) => (x / 1e4).toFixed(0);
      res.skipped.push({
        id: r.id,
        rank: r.rank,
        investmentCny: cost,
        zh: `超出预算: 需 ${wan(cost)} 万元, 剩余 ${wan(o.budgetCapCny - res.totalCny)} 万元`,
        en: `over budget: needs ${wan(cost)} ×10k CNY, ${wan(o.budgetCapCny - res.totalCny)} ×10k CNY left`,
      });
      continue;
    }
    res.chosen.push({ id: r.id, rank: r.rank, investmentCny: cost });
    res.totalCny += cost;
  }
  return res;
}

/** The edits that put the chosen communities into the plan year (pool 实施). */
export function planEdits(result: TopNResult, year: BatchYear): Record<string, Pick<CommunityEdit, 'pool' | 'batch_year'>> {
  const out: Record<string, Pick<CommunityEdit, 'pool' | 'batch_year'>> = {};
  for (const c of result.chosen) out[c.id] = { pool: '实施', batch_year: year };
  return out;
}

export interface Totals {
  communities: number;
  households: number;
  floor_area_m2: number;
  investmentCny: number;
}

const zero = (): Totals => ({ communities: 0, households: 0, floor_area_m2: 0, investmentCny: 0 });

/** Totals per batch year ('none' = not in a batch), and per pool. */
export function batchTotals(
  records: readonly CommunityProps[],
  investmentOf: InvestmentOf = defaultInvestment,
): { byBatch: Record<string, Totals>; byPool: Record<string, Totals>; all: Totals } {
  const byBatch: Record<string, Totals> = {};
  const byPool: Record<string, Totals> = {};
  const all = zero();
  for (const p of records) {
    const inv = investmentOf(p);
    for (const t of [(byBatch[p.batch_year === null ? 'none' : String(p.batch_year)] ??= zero()), (byPool[p.pool] ??= zero()), all]) {
      t.communities += 1;
      t.households += p.households;
      t.floor_area_m2 += p.floor_area_m2;
      t.investmentCny += inv;
    }
  }
  return { byBatch, byPool, all };
}

export interface ProgressCounts {
  total: number;
  /** stage counts (a project in a side state is counted at its stage and in `side`) */
  byStage: Record<Stage, number>;
  /** construction started: CONSTRUCTION or later */
  started: number;
  /** at CONSTRUCTION and not suspended/deferred/rejected */
  underConstruction: number;
  /** ACCEPTED or later */
  completed: number;
  /** in a side state */
  side: number;
}

const CONSTRUCTION = stageIndex('CONSTRUCTION');
const ACCEPTED = stageIndex('ACCEPTED');

function count(records: readonly CommunityProps[]): ProgressCounts {
  const byStage = Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>;
  const c: ProgressCounts = { total: 0, byStage, started: 0, underConstruction: 0, completed: 0, side: 0 };
  for (const p of records) {
    const i = stageIndex(p.stage);
    c.total += 1;
    byStage[p.stage] += 1;
    if (i >= CONSTRUCTION) c.started += 1;
    if (p.stage === 'CONSTRUCTION' && !p.side_state) c.underConstruction += 1;
    if (i >= ACCEPTED) c.completed += 1;
    if (p.side_state) c.side += 1;
  }
  return c;
}

export interface Progress {
  district: ProgressCounts & {
    /** the plan's target: all communities completed by the deadline */
    target: number;
    deadline: string;
    /** completed / target, 0..1 */
    completedShare: number;
    remaining: number;
  };
  byStreet: Record<string, ProgressCounts>;
  byBatch: Record<string, ProgressCounts>;
  /** keyed `${street}|${batch year or 'none'}`: the cells of the street × batch timeline */
  byStreetBatch: Record<string, ProgressCounts>;
}

export const PLAN_DEADLINE = '2022-12-31';

export function progress(records: readonly CommunityProps[], target: number = PLAN_TOTALS.communities): Progress {
  const groups = (key: (p: CommunityProps) => string) => {
    const m = new Map<string, CommunityProps[]>();
    for (const p of records) {
      const k = key(p);
      if (!m.has(k)) m.set(k, []);
      m.get(k)!.push(p);
    }
    return Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, count(v)]));
  };
  const d = count(records);
  return {
    district: {
      ...d,
      target,
      deadline: PLAN_DEADLINE,
      completedShare: target > 0 ? d.completed / target : 0,
      remaining: Math.max(0, target - d.completed),
    },
    byStreet: groups((p) => p.street),
    byBatch: groups(batchKey),
    byStreetBatch: groups((p) => `${p.street}|${batchKey(p)}`),
  };
}

const batchKey = (p: CommunityProps) => (p.batch_year === null ? 'none' : String(p.batch_year));

export interface TimelineEvent {
  id: string;
  date: string;
  to: string;
  from: string;
}

/** All dated workflow moves, oldest first (for the progress timeline). */
export function timeline(workflows: Record<string, WorkflowState>): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  for (const [id, w] of Object.entries(workflows)) for (const e of w.history) out.push({ id, date: e.date, to: e.to, from: e.from });
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The persisted 'pool' slice: the user's per-community edits and the rubric in use (null = the default). */
export interface PoolSliceData {
  version: 1;
  overlay: Overlay;
  rubric: Rubric | null;
}

/**
 * Validate untrusted pool-slice data (autosave, project file). Throws an Error naming the exact path of the
 * first problem, e.g. `overlay["C07"].workflow.history[2].date: expected YYYY-MM-DD`.
 */
export function validatePoolSlice(x: unknown): PoolSliceData {
  const fail = (path: string, why: string): never => {
    throw new Error(`pool.${path}: ${why}`);
  };
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(x)) return fail('(root)', 'expected an object');
  if (x.version !== 1) fail('version', `unsupported pool data version ${JSON.stringify(x.version)}`);
  if (!isObj(x.overlay)) fail('overlay', 'expected an object keyed by community id');
  const overlay: Overlay = {};
  const date = (v: unknown, path: string) => {
    if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) fail(path, `expected YYYY-MM-DD, got ${JSON.stringify(v)}`);
  };
  const vote = (v: unknown, path: string) => {
    if (!isObj(v)) return fail(path, 'expected a vote record');
    if (v.kind !== 'application' && v.kind !== 'scheme') fail(`${path}.kind`, `expected "application" or "scheme", got ${JSON.stringify(v.kind)}`);
    date(v.date, `${path}.date`);
    for (const k of ['areaInFavour', 'areaTotal', 'ownersInFavour', 'ownersTotal'])
      if (typeof v[k] !== 'number' || !Number.isFinite(v[k])) fail(`${path}.${k}`, `expected a number, got ${JSON.stringify(v[k])}`);
    if (v.content_version !== undefined && !(Number.isInteger(v.content_version) && (v.content_version as number) >= 1))
      fail(`${path}.content_version`, `expected a content version ≥ 1, got ${JSON.stringify(v.content_version)}`);
  };
  if (Object.keys(x.overlay as object).length > 100_000) fail('overlay', 'more than 100,000 communities');
  for (const [id, e] of Object.entries(x.overlay as Record<string, unknown>)) {
    const p = `overlay[${JSON.stringify(id.length > 60 ? id.slice(0, 57) + '...' : id)}]`;
    if (id.length > 200) fail(p, 'a community id is at most 200 characters');
    if (!isObj(e)) return fail(p, 'expected an edit object');
    const out: CommunityEdit = {};
    if (e.attrs !== undefined) {
      if (!isObj(e.attrs)) fail(`${p}.attrs`, 'expected an object');
      const attrs = e.attrs as Record<string, unknown>;
      for (const [k, v] of Object.entries(attrs)) {
        if (!(EDITABLE_ATTRS as readonly string[]).includes(k)) fail(`${p}.attrs.${k}`, 'not an editable attribute');
        const want = ATTR_TYPES[k as EditableAttr];
        const ok = Array.isArray(want) ? want.includes(v as string) : typeof v === want && (want !== 'number' || Number.isFinite(v));
        if (!ok) fail(`${p}.attrs.${k}`, `expected ${Array.isArray(want) ? want.join(' | ') : want}, got ${JSON.stringify(v)}`);
        const range = ATTR_RANGES[k];
        if (range && typeof v === 'number' && (v < range[0] || v > range[1] || (range[2] === 'int' && !Number.isInteger(v))))
          fail(`${p}.attrs.${k}`, `expected ${range[2] === 'int' ? 'a whole number' : 'a number'} from ${range[0]} to ${range[1]}, got ${JSON.stringify(v)}`);
      }
      out.attrs = attrs as CommunityEdit['attrs'];
    }
    if (e.pool !== undefined) {
      if (!(POOLS as readonly unknown[]).includes(e.pool)) fail(`${p}.pool`, `expected one of ${POOLS.join(' ')}, got ${JSON.stringify(e.pool)}`);
      out.pool = e.pool as Pool;
    }
    if (e.batch_year !== undefined) {
      if (e.batch_year !== null && !(BATCH_YEARS as readonly unknown[]).includes(e.batch_year))
        fail(`${p}.batch_year`, `expected ${BATCH_YEARS.join(', ')} or null, got ${JSON.stringify(e.batch_year)}`);
      out.batch_year = e.batch_year as BatchYear | null;
    }
    if (e.workflow !== undefined) {
      const w = e.workflow;
      if (!isObj(w)) return fail(`${p}.workflow`, 'expected an object');
      if (!isStage(String(w.stage))) fail(`${p}.workflow.stage`, `unknown stage ${JSON.stringify(w.stage)}`);
      if (w.side !== null && !isSideState(String(w.side))) fail(`${p}.workflow.side`, `unknown side state ${JSON.stringify(w.side)}`);
      if (!Array.isArray(w.history)) fail(`${p}.workflow.history`, 'expected a list');
      (w.history as unknown[]).forEach((h, i) => {
        const hp = `${p}.workflow.history[${i}]`;
        if (!isObj(h)) return fail(hp, 'expected a dated move');
        for (const k of ['from', 'to'] as const) {
          const s = String(h[k]);
          if (!isStage(s) && !isSideState(s)) fail(`${hp}.${k}`, `unknown stage ${JSON.stringify(h[k])}`);
        }
        date(h.date, `${hp}.date`);
        if (h.vote !== undefined) vote(h.vote, `${hp}.vote`);
      });
      out.workflow = w as unknown as WorkflowState;
    }
    overlay[id] = out;
  }
  let rubric: Rubric | null = null;
  if (x.rubric !== null && x.rubric !== undefined) {
    try {
      rubric = validateRubric(x.rubric);
    } catch (err) {
      fail('rubric', (err as Error).message);
    }
  }
  return { version: 1, overlay, rubric };
}

/** Plausible ranges of the numeric attributes a user edits (the same as a dataset record's schema, bounded above). */
const ATTR_RANGES: Partial<Record<string, readonly [number, number, 'int' | 'real']>> = {
  build_year: [1900, 2100, 'int'],
  households: [0, 1_000_000, 'int'],
  buildings: [0, 100_000, 'int'],
  floor_area_m2: [0, 1e8, 'real'],
  residents: [0, 10_000_000, 'int'],
  dangerous_buildings: [0, 100_000, 'int'],
  lift_demand: [0, 100_000, 'int'],
  consent_area_share: [0, 1, 'real'],
  consent_headcount_share: [0, 1, 'real'],
  owner_contribution_share: [0, 1, 'real'],
  illegal_cleared_share: [0, 1, 'real'],
};

/** The range a hand-edited numeric attribute must fall in, as [min, max, whole numbers only], or null. */
export function attrRange(key: EditableAttr): readonly [number, number, boolean] | null {
  const r = ATTR_RANGES[key];
  return r ? [r[0], r[1], r[2] === 'int'] : null;
}

const ATTR_TYPES: Record<EditableAttr, 'number' | 'boolean' | readonly string[]> = {
  build_year: 'number',
  households: 'number',
  buildings: 'number',
  floor_area_m2: 'number',
  residents: 'number',
  property_mgmt: ['professional', 'self', 'none'],
  maintenance_fund: ['established', 'committed', 'none'],
  dangerous_buildings: 'number',
  lift_demand: 'number',
  consent_area_share: 'number',
  consent_headcount_share: 'number',
  owner_contribution_share: 'number',
  illegal_cleared_share: 'number',
  safety_hazard: ['confirmed', 'partial', 'none'],
  third_party_funding: 'boolean',
};
