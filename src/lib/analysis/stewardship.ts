/**
 * Long-term management (长效管理) and post-evaluation (后评估, 效果共评) of renovated communities.
 *
 * What it computes:
 *  - `managementFigures`: district figures before and after renovation over the renovated communities
 *    (accepted or later): share with professional property management, share with a maintenance fund, public
 *    income. "Before" is the community record (`property_mgmt`, `maintenance_fund`: the survey before
 *    renovation, the values scoring reads); "after" is the management record entered after renovation. A
 *    community without an after-record is unknown: shares are over the known ones and the unknown are counted,
 *    never read as "none" or as 0.
 *  - `evaluate`: a post-evaluation record (engineering quality, management, residents' satisfaction survey,
 *    date) turned into a reward class by an editable rule (weights, class thresholds, minimum survey size).
 *    A missing component makes the evaluation incomplete: it never gets a class (never the best one).
 *  - `canEvaluate`: only communities past handover (移交维护 or later) can be evaluated.
 * The plan (江北区城镇老旧小区改造三年行动方案) asks for post-evaluation linked to rewards (以奖代补) but gives no
 * scoring rule here: DEFAULT_EVALUATION_RULE is our proposal (INF), editable and saved in the project.
 * Complexity: O(n) over communities.
 */
import { STAGES, type PropertyManagement, type MaintenanceFund, type SideState, type Stage } from '../domain/types';

export const PROPERTY_KINDS = ['professional', 'self', 'none'] as const satisfies readonly PropertyManagement[];

/** Management after renovation, per community (keyed by community id in the slice). */
export interface ManagementRecord {
  /** property management: professional (专业物业) / self-managed (自治) / none; null = unknown */
  property: PropertyManagement | null;
  /** since when (YYYY-MM-DD); null = unknown */
  since: string | null;
  /** share of households whose maintenance fund (维修资金) is collected, 0..1; null = unknown */
  fundCoverage: number | null;
  /** public income (公共收益: parking, advertising, rent) per year, CNY; null = unknown */
  publicIncomeCny: number | null;
}

/** A post-evaluation (后评估) after handover. Scores 0..100; null = not assessed. */
export interface EvaluationRecord {
  date: string;
  /** engineering quality (工程质量) */
  quality: number | null;
  /** long-term management (长效管理) */
  management: number | null;
  /** residents' satisfaction survey: respondents and those satisfied */
  surveyed: number | null;
  satisfied: number | null;
}

export interface EvaluationRule {
  weights: { quality: number; management: number; satisfaction: number };
  /** lowest weighted score (0..100) of each class; excellent ≥ good ≥ pass */
  thresholds: { excellent: number; good: number; pass: number };
  /** fewer survey respondents than this: satisfaction is unknown */
  minSurveyed: number;
}

export const DEFAULT_EVALUATION_RULE: EvaluationRule = Object.freeze({
  weights: Object.freeze({ quality: 0.4, management: 0.3, satisfaction: 0.3 }),
  thresholds: Object.freeze({ excellent: 90, good: 80, pass: 60 }),
  minSurveyed: 30,
}) as EvaluationRule;

export const REWARD_CLASSES = ['excellent', 'good', 'pass', 'fail'] as const;
export type RewardClass = (typeof REWARD_CLASSES)[number];

export interface EvaluationResult {
  /** weighted score 0..100, null when incomplete */
  score: number | null;
  /** satisfied / surveyed × 100, null when unknown or the survey is too small */
  satisfaction: number | null;
  cls: RewardClass | 'incomplete';
  /** what is missing, when incomplete */
  missing: ('quality' | 'management' | 'satisfaction' | 'survey_small')[];
}

const ok = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

export type RuleProblem = 'weights' | 'weights_zero' | 'thresholds_range' | 'thresholds_order' | 'min_surveyed';

/** Problems of a rule (empty = usable): weights ≥ 0 summing to > 0, thresholds within 0..100 and in order. */
export function checkRule(r: EvaluationRule): RuleProblem[] {
  const out: RuleProblem[] = [];
  const w = [r.weights.quality, r.weights.management, r.weights.satisfaction];
  if (w.some((x) => !ok(x) || x < 0)) out.push('weights');
  else if (w.reduce((s, x) => s + x, 0) <= 0) out.push('weights_zero');
  const t = [r.thresholds.excellent, r.thresholds.good, r.thresholds.pass];
  if (t.some((x) => !ok(x) || x < 0 || x > 100)) out.push('thresholds_range');
  else if (!(t[0] >= t[1] && t[1] >= t[2])) out.push('thresholds_order');
  if (!ok(r.minSurveyed) || r.minSurveyed < 1 || !Number.isInteger(r.minSurveyed)) out.push('min_surveyed');
  return out;
}

/** Turn an evaluation into a reward class under a rule (see header). */
export function evaluate(e: EvaluationRecord, rule: EvaluationRule): EvaluationResult {
  const missing: EvaluationResult['missing'] = [];
  let satisfaction: number | null = null;
  if (!ok(e.quality)) missing.push('quality');
  if (!ok(e.management)) missing.push('management');
  if (!ok(e.surveyed) || !ok(e.satisfied) || e.surveyed <= 0 || e.satisfied < 0 || e.satisfied > e.surveyed) missing.push('satisfaction');
  else if (e.surveyed < rule.minSurveyed) missing.push('survey_small');
  else satisfaction = (e.satisfied / e.surveyed) * 100;
  const w = rule.weights;
  const wsum = w.quality + w.management + w.satisfaction;
  if (missing.length > 0 || checkRule(rule).length > 0 || satisfaction === null) return { score: null, satisfaction, cls: 'incomplete', missing };
  const score = (w.quality * e.quality! + w.management * e.management! + w.satisfaction * satisfaction) / wsum;
  const t = rule.thresholds;
  // compare at 1e-9 so a score equal to a threshold on paper is not lost to floating point
  const cls: RewardClass = score >= t.excellent - 1e-9 ? 'excellent' : score >= t.good - 1e-9 ? 'good' : score >= t.pass - 1e-9 ? 'pass' : 'fail';
  return { score, satisfaction, cls, missing };
}

const HANDED_OVER = STAGES.indexOf('HANDED_OVER');
const ACCEPTED = STAGES.indexOf('ACCEPTED');

/** Only communities past handover (移交维护, 归档, 后评估) can be evaluated; not while deferred/suspended/rejected. */
export function canEvaluate(r: { stage: Stage; side_state: SideState | null }): boolean {
  return STAGES.indexOf(r.stage) >= HANDED_OVER && !r.side_state;
}

/** Renovated = accepted (竣工验收) or later. */
export function isRenovated(r: { stage: Stage }): boolean {
  return STAGES.indexOf(r.stage) >= ACCEPTED;
}

export interface ShareFigure {
  /** communities with the property */
  count: number;
  /** communities whose value is known */
  known: number;
  /** communities whose value is unknown */
  unknown: number;
  /** count / known; null when nothing is known */
  share: number | null;
}

export interface ManagementFigures {
  renovated: number;
  professional: { before: ShareFigure; after: ShareFigure };
  /** before: maintenance fund established (已建立); after: fund coverage ≥ `fundThreshold` */
  fund: { before: ShareFigure; after: ShareFigure };
  /** mean fund coverage after renovation over the known ones (0..1), null when none known */
  meanFundCoverage: number | null;
  /** public income per year over the communities that report it */
  publicIncome: { totalCny: number; known: number; unknown: number };
}

const share = (count: number, known: number, unknown: number): ShareFigure => ({ count, known, unknown, share: known > 0 ? count / known : null });

export interface ManagementInput {
  id: string;
  stage: Stage;
  property_mgmt: PropertyManagement | null;
  maintenance_fund: MaintenanceFund | null;
}

/** District figures before → after renovation (see header). `fundThreshold`: coverage that counts as "has a fund". */
export function managementFigures(records: readonly ManagementInput[], after: Readonly<Record<string, ManagementRecord>>, fundThreshold = 0.5): ManagementFigures {
  const ren = records.filter(isRenovated);
  const tally = (vals: (boolean | null)[]) => {
    const known = vals.filter((v) => v !== null);
    return share(known.filter(Boolean).length, known.length, vals.length - known.length);
  };
  const a = ren.map((r) => after[r.id]);
  const cov = a.map((m) => (m && ok(m.fundCoverage) ? m.fundCoverage : null));
  const knownCov = cov.filter((c): c is number => c !== null);
  const income = a.map((m) => (m && ok(m.publicIncomeCny) ? m.publicIncomeCny : null));
  return {
    renovated: ren.length,
    professional: {
      before: tally(ren.map((r) => (r.property_mgmt ? r.property_mgmt === 'professional' : null))),
      after: tally(a.map((m) => (m?.property ? m.property === 'professional' : null))),
    },
    fund: {
      before: tally(ren.map((r) => (r.maintenance_fund ? r.maintenance_fund === 'established' : null))),
      after: tally(cov.map((c) => (c === null ? null : c >= fundThreshold))),
    },
    meanFundCoverage: knownCov.length > 0 ? knownCov.reduce((s, x) => s + x, 0) / knownCov.length : null,
    publicIncome: { totalCny: income.reduce<number>((s, x) => s + (x ?? 0), 0), known: income.filter((x) => x !== null).length, unknown: income.filter((x) => x === null).length },
  };
}

/** Counts of evaluated communities per class (incomplete ones apart). */
export function classCounts(results: readonly EvaluationResult[]): Record<RewardClass | 'incomplete', number> {
  const c = { excellent: 0, good: 0, pass: 0, fail: 0, incomplete: 0 };
  for (const r of results) c[r.cls] += 1;
  return c;
}
