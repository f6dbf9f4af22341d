/**
 * Scoring: evaluate a rubric (./rubric.ts, rules as data) for one community.
 *
 * What it computes: points per criterion (weight × rule points, rounded to 0.01), the total, and
 * eligibility with every failed gate's reason (zh + en). Facts come from the community record
 * (CommunityProps) plus analysis results passed in a context (bundle size/households from bundling,
 * mandatory-facility gap share from life-circle coverage, the latest recorded owners' vote).
 * A criterion whose facts are all unknown scores 0 (never its `otherwise`/`below` class, which could be a
 * good one) and is listed in `missing`, so the UI can say "no data" instead of pretending a value was
 * measured. Record fields the source did not give (build year, consent shares, illegal structures: null
 * in CommunityProps) and that an enabled criterion reads are listed in `incomplete`: the ranking marks
 * such a community "incomplete data" with the fields named (issue #16 item 8).
 * A gate over an unknown fact fails: eligibility is never granted on missing evidence.
 *
 * Complexity: O(criteria × conditions) per community.
 * Source: the rubric in use (default: geodata/standards/scoring-default.csv; official 附件4 not public).
 */
import type { CommunityProps } from '../domain/types';
import { checkVote, sharesFailures, type VoteRecord } from './consent';
import { FACTS, type Cond, type Criterion, type FactKey, type FactValue, type Gate, type Rubric, type Rule } from './rubric';

export interface ScoreContext {
  /** number of communities in the contiguous bundle this community belongs to (1 = alone) */
  inBundleOfSize?: number;
  /** households of that bundle */
  bundleHouseholds?: number;
  /** share (0..1) of mandatory (▲) life-circle facilities missing within the walking threshold */
  mandatoryGapShare?: number;
  /** the latest recorded owners' vote; when present it replaces the record's consent shares */
  vote?: VoteRecord;
}

export interface Reason {
  code: string;
  zh: string;
  en: string;
}

export interface CommunityScore {
  id: string;
  /** points per criterion code (enabled criteria only) */
  points: Record<string, number>;
  /** codes of criteria scored without data (analysis not run, or the record's fields unknown): 0 points */
  missing: string[];
  /** record fields an enabled criterion needs that the source did not give (incomplete data), in rubric order */
  incomplete: RecordFact[];
  total: number;
  eligible: boolean;
  /** why not eligible (empty when eligible) */
  reasons: Reason[];
}

export type Facts = Partial<Record<FactKey, FactValue>>;

/** Record fields that may be unknown (null) in CommunityProps. */
export const NULLABLE_FACTS = ['build_year', 'consent_area_share', 'consent_headcount_share', 'illegal_cleared_share'] as const;
export type RecordFact = (typeof NULLABLE_FACTS)[number];

const known = (x: number | null) => (x === null || !Number.isFinite(x) ? undefined : x);

/** The facts a rule can read, from the record and the analysis context. */
export function factsOf(p: CommunityProps, ctx: ScoreContext = {}): Facts {
  let area = known(p.consent_area_share);
  let head = known(p.consent_headcount_share);
  if (ctx.vote && ctx.vote.areaTotal > 0 && ctx.vote.ownersTotal > 0) {
    area = ctx.vote.areaInFavour / ctx.vote.areaTotal;
    head = ctx.vote.ownersInFavour / ctx.vote.ownersTotal;
  }
  const f: Facts = {
    build_year: known(p.build_year),
    households: p.households,
    buildings: p.buildings,
    floor_area_m2: p.floor_area_m2,
    residents: p.residents,
    dangerous_buildings: p.dangerous_buildings,
    lift_demand: p.lift_demand,
    consent_area_share: area,
    consent_headcount_share: head,
    consent_min_share: area === undefined || head === undefined ? undefined : Math.min(area, head),
    owner_contribution_share: p.owner_contribution_share,
    illegal_cleared_share: known(p.illegal_cleared_share),
    property_mgmt: p.property_mgmt,
    maintenance_fund: p.maintenance_fund,
    safety_hazard: p.safety_hazard,
    housing_type: p.housing_type,
    third_party_funding: p.third_party_funding,
  };
  if (ctx.inBundleOfSize !== undefined) {
    f.bundle_size = ctx.inBundleOfSize;
    // a lone community is not a bundle, whatever its own size
    if (ctx.inBundleOfSize >= 2 && ctx.bundleHouseholds !== undefined) f.bundle_households = ctx.bundleHouseholds;
    else f.bundle_households = 0;
  }
  if (ctx.mandatoryGapShare !== undefined) f.mandatory_gap_share = ctx.mandatoryGapShare;
  return f;
}

/** Does the condition hold? Unknown facts never hold. */
export function holds(c: Cond, facts: Facts): boolean {
  const v = facts[c.fact];
  if (v === undefined) return false;
  switch (c.op) {
    case '==':
      return v === c.value;
    case '!=':
      return v !== c.value;
    case '<':
      return (v as number) < (c.value as number);
    case '<=':
      return (v as number) <= (c.value as number);
    case '>':
      return (v as number) > (c.value as number);
    case '>=':
      return (v as number) >= (c.value as number);
  }
}

function factsOfRule(r: Rule): FactKey[] {
  return r.kind === 'linear' ? [r.fact] : r.steps.flatMap((s) => s.when.map((c) => c.fact));
}

/** Points of a rule (before weight); `missing` (and 0 points) when none of its facts is known. */
export function rulePoints(r: Rule, facts: Facts): { points: number; missing: boolean } {
  const missing = factsOfRule(r).every((k) => facts[k] === undefined);
  if (missing) return { points: 0, missing };
  if (r.kind === 'steps') {
    for (const s of r.steps) if (s.when.some((c) => holds(c, facts))) return { points: s.points, missing };
    return { points: r.otherwise, missing };
  }
  const x = facts[r.fact];
  if (typeof x !== 'number') return { points: r.below, missing };
  if (x < r.x0) return { points: r.below, missing };
  if (x >= r.x1) return { points: r.p1, missing };
  return { points: r.p0 + ((x - r.x0) / (r.x1 - r.x0)) * (r.p1 - r.p0), missing };
}

const OP_TEXT: Record<string, string> = { '<': '<', '<=': '≤', '>': '>', '>=': '≥', '==': '=', '!=': '≠' };

/** Does a gate pass? Returns the failure reason, or null. */
export function gateFailure(g: Gate, c: Criterion, p: CommunityProps, facts: Facts, ctx: ScoreContext): Reason | null {
  if (g.kind === 'double-majority') {
    const f = { num: g.num, den: g.den };
    if (ctx.vote) {
      const r = checkVote(ctx.vote, f);
      if (r.pass) return null;
      return {
        code: c.code,
        zh: `未达双${g.num}/${g.den}: ${r.reasons.map((x) => x.zh).join('; ')}`,
        en: `below the double ${g.num}/${g.den}: ${r.reasons.map((x) => x.en).join('; ')}`,
      };
    }
    const failed = sharesFailures(p.consent_area_share, p.consent_headcount_share, f);
    if (failed.length === 0) return null;
    return {
      code: c.code,
      zh: `同意率未达双${g.num}/${g.den} (${failed.map((x) => x.zh).join('; ')})`,
      en: `consent below the double ${g.num}/${g.den} (${failed.map((x) => x.en).join('; ')})`,
    };
  }
  if (holds(g.cond, facts)) return null;
  const def = FACTS[g.cond.fact];
  const known = facts[g.cond.fact] !== undefined;
  const rule = `${def.en} ${OP_TEXT[g.cond.op]} ${String(g.cond.value)}`;
  return {
    code: c.code,
    zh: known ? g.zh : `${g.zh} (无数据: ${def.zh})`,
    en: known ? `${g.en} (${rule})` : `${g.en} (no data: ${def.en})`,
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The record fields a criterion reads (its rule and gates); consent_min_share and the double 2/3 read both shares. */
function recordFactsOf(c: Criterion): Set<RecordFact> {
  const keys = new Set<string>(factsOfRule(c.rule));
  for (const g of c.gates) {
    if (g.kind === 'double-majority') keys.add('consent_min_share');
    else keys.add(g.cond.fact);
  }
  if (keys.has('consent_min_share')) keys.add('consent_area_share').add('consent_headcount_share');
  return new Set(NULLABLE_FACTS.filter((k) => keys.has(k)));
}

/** Unknown record fields that the enabled criteria read; consent shares count as known once a vote is recorded. */
export function incompleteFields(p: CommunityProps, rubric: Rubric, ctx: ScoreContext = {}): RecordFact[] {
  const needed = new Set<RecordFact>();
  for (const c of rubric.criteria) if (c.enabled) for (const k of recordFactsOf(c)) needed.add(k);
  const voted = ctx.vote !== undefined && ctx.vote.areaTotal > 0 && ctx.vote.ownersTotal > 0;
  return NULLABLE_FACTS.filter((k) => needed.has(k) && known(p[k]) === undefined && !(voted && k.startsWith('consent_')));
}

export function scoreCommunity(p: CommunityProps, rubric: Rubric, ctx: ScoreContext = {}): CommunityScore {
  const facts = factsOf(p, ctx);
  const points: Record<string, number> = {};
  const missing: string[] = [];
  const reasons: Reason[] = [];
  let total = 0;
  for (const c of rubric.criteria) {
    if (!c.enabled) continue;
    const r = rulePoints(c.rule, facts);
    const pts = round2(c.weight * r.points);
    points[c.code] = pts;
    total += pts;
    if (r.missing) missing.push(c.code);
    for (const g of c.gates) {
      const why = gateFailure(g, c, p, facts, ctx);
      if (why) reasons.push(why);
    }
  }
  return { id: p.id, points, missing, incomplete: incompleteFields(p, rubric, ctx), total: round2(total), eligible: reasons.length === 0, reasons };
}

/** Score many communities; `contextOf` supplies each one's analysis context. */
export function scoreAll(
  communities: readonly CommunityProps[],
  rubric: Rubric,
  contextOf: (id: string) => ScoreContext | undefined = () => undefined,
): CommunityScore[] {
  return communities.map((p) => scoreCommunity(p, rubric, contextOf(p.id) ?? {}));
}
