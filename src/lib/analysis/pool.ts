/**
 * The project pool (项目库): per-community edits over the loaded dataset, batch planning and progress.
 *
 * What it computes:
 *  - effective records: the dataset's community record with the user's edits laid over it (attributes,
 *    pool, batch year, workflow state); the dataset itself is never changed, so edits survive a reload of
 *    the demonstration data;
 *  - "take the top N eligible into next year's plan within a budget cap": walks the ranking in order, takes
 *    eligible communities not yet in a batch (and not rejected) while the running investment stays within the
 *    cap; a community that would exceed the cap is skipped (reported, with why) and the walk continues, so a
 *    cheaper lower-ranked project can still use the remaining budget. Stops after N are taken;
 *  - totals per batch year (households, floor area, investment from ./funding.ts);
 *  - progress (进度表): started (construction or later), under construction, completed (accepted or later)
 *    per street and per batch, and the district figures against the plan's target: all 73 by 2022-12-31.
 *
 * Complexity: O(N) for totals and progress, O(N) for top-N over a ranking. Sources: workflow.yaml (pools,
 * deadline), funding.yaml via ./funding.ts (investment estimate), PLAN_TOTALS (73 communities).
 */
import { PLAN_TOTALS, STAGES, type BatchYear, type CommunityProps, type Pool, type Stage } from '../domain/types';
import { communityInvestment } from './funding';
import type { Ranked } from './rank';
import { initialWorkflow, stageIndex, type WorkflowState } from './workflow';

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

/** Pick the top N eligible, unbatched, not rejected communities of a ranking within a budget cap. */
export function takeTopN(ranking: readonly Ranked[], propsOf: (id: string) => CommunityProps, o: TopNOptions): TopNResult {
  if (!Number.isInteger(o.n) || o.n < 0) throw new Error(`top N: N must be a whole number ≥ 0, got ${o.n}`);
  if (!(o.budgetCapCny >= 0)) throw new Error(`top N: the budget cap must be ≥ 0 CNY, got ${o.budgetCapCny}`);
  const inv = o.investmentOf ?? defaultInvestment;
  const res: TopNResult = { chosen: [], skipped: [], totalCny: 0 };
  for (const r of [...ranking].sort((a, b) => a.rank - b.rank)) {
    if (res.chosen.length >= o.n) break;
    if (!r.eligible) continue;
    const p = propsOf(r.id);
    if (p.batch_year !== null || p.side_state === 'REJECTED') continue;
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
    byBatch: groups((p) => (p.batch_year === null ? 'none' : String(p.batch_year))),
  };
}

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
