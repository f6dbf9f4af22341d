/**
 * The project workflow as a state machine (项目流程), with its consent gates.
 *
 * What it computes: whether a requested move of one community's project is allowed, and the new state
 * with a dated history. Rules:
 *  - stages advance one at a time in the order of workflow.yaml; skipping a stage or going back is refused
 *    (mistakes are taken back with undo, which restores the previous state with its history);
 *  - entering APPLIED (居民申请) or SCHEME_VOTED (方案确认) needs a recorded owners' vote of the matching kind
 *    that passes the double 2/3 rule (inclusive, exact: ./consent.ts), dated on or before the move;
 *  - side states (DEFERRED 暂缓, REJECTED 否决, SUSPENDED 中止) can be entered from any stage and left by
 *    RESUME, which returns to the stage the project was in; while in a side state no stage move is allowed;
 *  - every move carries an ISO date that is not earlier than the previous move's.
 * Refusals carry a code and a message in Chinese and English.
 *
 * Complexity: O(1) per move (O(history) to read dates). Source: geodata/standards/workflow.yaml
 * (from section 四 组织实施 of the action plan; its flow chart 附件7 is not public).
 */
import { SIDE_STATES, STAGES, type SideState, type Stage } from '../domain/types';
import { checkVote, TWO_THIRDS, type Fraction, type VoteRecord } from './consent';

export const STAGE_INFO: Record<Stage, { zh: string; en: string }> = {
  POOL: { zh: '排摸入库', en: 'In the pool' },
  APPLIED: { zh: '居民申请', en: 'Residents applied' },
  DRAFT_SCHEME: { zh: '初步方案', en: 'Draft scheme' },
  SCHEME_VOTED: { zh: '方案确认', en: 'Scheme voted' },
  PLANNED: { zh: '列入年度计划', en: 'In the annual plan' },
  APPROVED: { zh: '立项', en: 'Approved' },
  TENDERED: { zh: '招投标', en: 'Tendered' },
  CONSTRUCTION: { zh: '施工与过程监督', en: 'Under construction' },
  ACCEPTED: { zh: '竣工验收', en: 'Completed (accepted)' },
  HANDED_OVER: { zh: '移交维护', en: 'Handed over' },
  ARCHIVED: { zh: '档案归档', en: 'Archived' },
  EVALUATED: { zh: '后评估', en: 'Post-evaluated' },
};

export const SIDE_STATE_INFO: Record<SideState, { zh: string; en: string }> = {
  DEFERRED: { zh: '暂缓', en: 'Deferred' },
  REJECTED: { zh: '否决/退出', en: 'Rejected' },
  SUSPENDED: { zh: '中止', en: 'Suspended' },
};

/** Stages whose entry needs a passing vote, and the vote kind. */
export const VOTE_GATES: Partial<Record<Stage, VoteRecord['kind']>> = {
  APPLIED: 'application',
  SCHEME_VOTED: 'scheme',
};

export const CONSENT_RULE_TEXT = {
  zh: '双2/3规则: 专有部分面积占比2/3以上的业主且人数占比2/3以上的业主同意。"以上"包括本数 (民法典第1259条), 恰好2/3即通过。',
  en: 'Double 2/3 rule: owners holding at least 2/3 of the exclusive floor area AND at least 2/3 of all owners agree. "以上" includes the number itself (Civil Code art. 1259): exactly 2/3 passes.',
} as const;

export type Target = Stage | SideState | 'RESUME';

export interface StageEvent {
  from: Stage | SideState;
  to: Stage | SideState;
  /** ISO date YYYY-MM-DD */
  date: string;
  note?: string;
  vote?: VoteRecord;
}

export interface WorkflowState {
  stage: Stage;
  /** a side state overrides the stage until RESUME */
  side: SideState | null;
  history: StageEvent[];
}

export interface MoveRequest {
  to: Target;
  date: string;
  vote?: VoteRecord;
  note?: string;
}

export type RefusalCode =
  | 'bad-date'
  | 'date-order'
  | 'same-stage'
  | 'backwards'
  | 'skip'
  | 'final'
  | 'in-side-state'
  | 'not-in-side-state'
  | 'vote-required'
  | 'vote-kind'
  | 'vote-date'
  | 'vote-failed';

export interface Refusal {
  code: RefusalCode;
  zh: string;
  en: string;
}

export type MoveResult = { ok: true; state: WorkflowState } | { ok: false; refusal: Refusal };

export function isStage(x: string): x is Stage {
  return (STAGES as readonly string[]).includes(x);
}
export function isSideState(x: string): x is SideState {
  return (SIDE_STATES as readonly string[]).includes(x);
}

export function stageIndex(s: Stage): number {
  return STAGES.indexOf(s);
}

export function nextStage(s: Stage): Stage | null {
  const i = stageIndex(s);
  return i + 1 < STAGES.length ? STAGES[i + 1] : null;
}

export function initialWorkflow(stage: Stage = 'POOL', side: SideState | null = null): WorkflowState {
  return { stage, side, history: [] };
}

function validIsoDate(d: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return false;
  const t = new Date(d + 'T00:00:00Z');
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
}

const label = (t: Stage | SideState, lang: 'zh' | 'en') => (isStage(t) ? STAGE_INFO[t][lang] : SIDE_STATE_INFO[t][lang]);

/** Try a move; never mutates `state`. */
export function move(state: WorkflowState, req: MoveRequest, threshold: Fraction = TWO_THIRDS): MoveResult {
  const refuse = (code: RefusalCode, zh: string, en: string): MoveResult => ({ ok: false, refusal: { code, zh, en } });
  if (!validIsoDate(req.date)) return refuse('bad-date', `日期无效: "${req.date}" (应为 YYYY-MM-DD)`, `invalid date "${req.date}" (expected YYYY-MM-DD)`);
  const last = state.history.at(-1);
  if (last && req.date < last.date)
    return refuse('date-order', `日期 ${req.date} 早于上一步 (${last.date})`, `date ${req.date} is earlier than the previous step (${last.date})`);
  const current: Stage | SideState = state.side ?? state.stage;
  const event = (to: Stage | SideState): StageEvent => {
    const e: StageEvent = { from: current, to, date: req.date };
    if (req.note) e.note = req.note;
    if (req.vote) e.vote = { ...req.vote };
    return e;
  };

  if (req.to === 'RESUME') {
    if (!state.side) return refuse('not-in-side-state', '项目不在暂缓/否决/中止状态, 无需恢复', 'the project is not deferred, rejected or suspended; nothing to resume');
    return { ok: true, state: { stage: state.stage, side: null, history: [...state.history, event(state.stage)] } };
  }
  if (isSideState(req.to)) {
    if (state.side === req.to) return refuse('same-stage', `项目已处于「${label(req.to, 'zh')}」`, `the project is already ${label(req.to, 'en')}`);
    return { ok: true, state: { stage: state.stage, side: req.to, history: [...state.history, event(req.to)] } };
  }
  const to = req.to;
  if (state.side)
    return refuse(
      'in-side-state',
      `项目处于「${label(state.side, 'zh')}」, 请先恢复再推进`,
      `the project is ${label(state.side, 'en')}; resume it before moving it on`,
    );
  const from = stageIndex(state.stage);
  const target = stageIndex(to);
  if (target === from) return refuse('same-stage', `项目已处于「${STAGE_INFO[to].zh}」`, `the project is already at "${STAGE_INFO[to].en}"`);
  if (target < from)
    return refuse(
      'backwards',
      `不能从「${STAGE_INFO[state.stage].zh}」退回「${STAGE_INFO[to].zh}」; 如属误操作请撤销`,
      `cannot go back from "${STAGE_INFO[state.stage].en}" to "${STAGE_INFO[to].en}"; use undo to take back a mistake`,
    );
  if (target > from + 1) {
    const skipped = STAGES.slice(from + 1, target);
    return refuse(
      'skip',
      `不能跳过阶段: 需先经过 ${skipped.map((s) => `「${STAGE_INFO[s].zh}」`).join('、')}`,
      `cannot skip stages: first pass through ${skipped.map((s) => `"${STAGE_INFO[s].en}"`).join(', ')}`,
    );
  }
  const kind = VOTE_GATES[to];
  if (kind) {
    const what = kind === 'application' ? { zh: '改造申请', en: 'application' } : { zh: '改造方案', en: 'scheme' };
    if (!req.vote)
      return refuse(
        'vote-required',
        `进入「${STAGE_INFO[to].zh}」须先登记业主对${what.zh}的表决结果 (双${threshold.num}/${threshold.den})`,
        `moving to "${STAGE_INFO[to].en}" needs the owners' vote on the ${what.en} (double ${threshold.num}/${threshold.den})`,
      );
    if (req.vote.kind !== kind)
      return refuse('vote-kind', `须登记对${what.zh}的表决, 而非其他表决`, `this step needs the vote on the ${what.en}, not another vote`);
    if (req.vote.date > req.date)
      return refuse('vote-date', `表决日期 ${req.vote.date} 晚于阶段日期 ${req.date}`, `the vote (${req.vote.date}) is dated after the move (${req.date})`);
    const r = checkVote(req.vote, threshold);
    if (!r.pass)
      return refuse(
        'vote-failed',
        `表决未通过, 不能进入「${STAGE_INFO[to].zh}」: ${r.reasons.map((x) => x.zh).join('; ')}`,
        `the vote does not pass; cannot move to "${STAGE_INFO[to].en}": ${r.reasons.map((x) => x.en).join('; ')}`,
      );
  }
  return { ok: true, state: { stage: to, side: null, history: [...state.history, event(to)] } };
}

/** The date each stage (and side state) was last entered. */
export function stageDates(state: WorkflowState): Partial<Record<Stage | SideState, string>> {
  const out: Partial<Record<Stage | SideState, string>> = {};
  for (const e of state.history) out[e.to] = e.date;
  return out;
}

/** The latest recorded vote (optionally of one kind). */
export function latestVote(state: WorkflowState, kind?: VoteRecord['kind']): VoteRecord | undefined {
  for (let i = state.history.length - 1; i >= 0; i--) {
    const v = state.history[i].vote;
    if (v && (!kind || v.kind === kind)) return v;
  }
  return undefined;
}

/** Moves offered to the user from the current state (the UI lists these; others are refused anyway). */
export function availableMoves(state: WorkflowState): Target[] {
  if (state.side) return ['RESUME', ...SIDE_STATES.filter((s) => s !== state.side)];
  const n = nextStage(state.stage);
  return [...(n ? [n] : []), ...SIDE_STATES];
}
