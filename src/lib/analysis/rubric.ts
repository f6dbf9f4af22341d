/**
 * The rubric as data: types, the facts a rule may read, and validation of rubric files.
 *
 * A rubric is a list of criteria (评分项). Each criterion has a rule that turns facts about a community
 * into points, a weight (multiplier, default 1) and optional gates that make a project ineligible.
 * Rules are plain JSON so a rubric can be edited in the app, saved, loaded and exported as a file;
 * no rule is code. The evaluator is ./score.ts.
 *
 * Rule kinds:
 *  - `steps`: the first step whose conditions hold gives its points (a step holds when ANY of its
 *    conditions holds); `otherwise` when none does. Bands (build year), categories (property management),
 *    booleans (third-party funding) and "either/or" steps (≥3 communities or ≥1000 households) are steps.
 *  - `linear`: points interpolated between (x0, p0) and (x1, p1), clamped to p1 above x1, `below` under x0.
 * Gate kinds:
 *  - `double-majority`: the residents' double num/den rule (exact; see ./consent.ts).
 *  - `cond`: a condition that must hold (e.g. owner contribution share ≥ 5%), with its reason text.
 */

export type Op = '<' | '<=' | '>' | '>=' | '==' | '!=';
export const OPS: readonly Op[] = ['<', '<=', '>', '>=', '==', '!='];

export type FactValue = number | string | boolean;

export interface Cond {
  fact: FactKey;
  op: Op;
  value: FactValue;
}

export interface Step {
  /** the step holds when ANY of these conditions holds */
  when: Cond[];
  points: number;
}

export type Rule =
  | { kind: 'steps'; steps: Step[]; otherwise: number }
  | { kind: 'linear'; fact: FactKey; x0: number; p0: number; x1: number; p1: number; below: number };

export type Gate =
  | { kind: 'double-majority'; num: number; den: number }
  | { kind: 'cond'; cond: Cond; zh: string; en: string };

export interface Criterion {
  code: string;
  zh: string;
  en: string;
  /** multiplier on the rule's points; the criterion's maximum is weight × the rule's best points */
  weight: number;
  /** bonus criteria (加分项) add on top of the base maximum */
  bonus: boolean;
  enabled: boolean;
  /** where the rule comes from (e.g. "national pre-2000 rule (S18)") */
  basis: string;
  rule: Rule;
  gates: Gate[];
}

export interface Rubric {
  format: 'jiangbei-rubric';
  version: 1;
  name: { zh: string; en: string };
  /** false for the default: the official 附件4 is not public */
  official: boolean;
  note: { zh: string; en: string };
  criteria: Criterion[];
}

/**
 * Facts a rule may read. Most are community attributes (CommunityProps); the last three come from
 * analyses (bundling, life-circle coverage) and are undefined until those have run.
 */
export const FACTS = {
  build_year: { type: 'number', zh: '建成年份', en: 'build year' },
  households: { type: 'number', zh: '户数', en: 'households' },
  buildings: { type: 'number', zh: '楼栋数', en: 'buildings' },
  floor_area_m2: { type: 'number', zh: '建筑面积 (m²)', en: 'floor area (m²)' },
  residents: { type: 'number', zh: '居民数', en: 'residents' },
  dangerous_buildings: { type: 'number', zh: '危房栋数', en: 'dangerous buildings' },
  lift_demand: { type: 'number', zh: '有加梯意愿楼栋数', en: 'buildings wanting a lift' },
  consent_area_share: { type: 'number', zh: '同意面积比例', en: 'consent share by area' },
  consent_headcount_share: { type: 'number', zh: '同意人数比例', en: 'consent share by headcount' },
  consent_min_share: { type: 'number', zh: '同意率(两者较低)', en: 'consent (lower of area/headcount)' },
  owner_contribution_share: { type: 'number', zh: '业主出资比例', en: 'owner contribution share' },
  illegal_cleared_share: { type: 'number', zh: '违建拆除比例', en: 'illegal structures cleared' },
  property_mgmt: { type: 'enum', values: ['professional', 'self', 'none'], zh: '物业管理', en: 'property management' },
  maintenance_fund: { type: 'enum', values: ['established', 'committed', 'none'], zh: '专项维修资金', en: 'maintenance fund' },
  safety_hazard: { type: 'enum', values: ['confirmed', 'partial', 'none'], zh: '安全隐患', en: 'safety hazard' },
  housing_type: { type: 'enum', values: ['commodity', 'danwei', 'resettlement'], zh: '房屋类型', en: 'housing type' },
  third_party_funding: { type: 'boolean', zh: '社会/单位出资', en: 'third-party funding' },
  bundle_size: { type: 'number', zh: '所在连片小区数', en: 'communities in its bundle' },
  bundle_households: { type: 'number', zh: '所在连片户数', en: 'households in its bundle' },
  mandatory_gap_share: { type: 'number', zh: '必配设施缺项比例', en: 'share of mandatory facilities missing' },
} as const satisfies Record<string, { type: 'number' | 'enum' | 'boolean'; zh: string; en: string; values?: readonly string[] }>;

export type FactKey = keyof typeof FACTS;
export const FACT_KEYS = Object.keys(FACTS) as FactKey[];

/** The best points a criterion can give (weight × best rule points). */
export function criterionMax(c: Criterion): number {
  const r = c.rule;
  const best = r.kind === 'steps' ? Math.max(r.otherwise, ...r.steps.map((s) => s.points)) : Math.max(r.p0, r.p1, r.below);
  return c.weight * best;
}

/** Sum of the maxima of enabled non-bonus criteria (the "out of" figure; bonuses add on top). */
export function rubricMax(r: Rubric): { base: number; bonus: number } {
  let base = 0;
  let bonus = 0;
  for (const c of r.criteria) {
    if (!c.enabled) continue;
    if (c.bonus) bonus += criterionMax(c);
    else base += criterionMax(c);
  }
  return { base, bonus };
}

export class RubricError extends Error {}

/**
 * Validate an untrusted value (a loaded rubric file) and return it typed. Throws RubricError naming
 * the exact path of the first problem, e.g. `criteria[2].rule.steps[0].when[0].fact: unknown fact "age"`.
 */
export function validateRubric(x: unknown): Rubric {
  const fail = (path: string, why: string): never => {
    throw new RubricError(`${path}: ${why}`);
  };
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const num = (v: unknown, path: string): number => {
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, `expected a number, got ${JSON.stringify(v)}`);
    return v as number;
  };
  const str = (v: unknown, path: string): string => {
    if (typeof v !== 'string') fail(path, `expected text, got ${JSON.stringify(v)}`);
    return v as string;
  };
  const bool = (v: unknown, path: string): boolean => {
    if (typeof v !== 'boolean') fail(path, `expected true or false, got ${JSON.stringify(v)}`);
    return v as boolean;
  };
  const fact = (v: unknown, path: string): FactKey => {
    if (typeof v !== 'string' || !(v in FACTS)) fail(path, `unknown fact ${JSON.stringify(v)} (known: ${FACT_KEYS.join(', ')})`);
    return v as FactKey;
  };
  const cond = (v: unknown, path: string): Cond => {
    if (!isObj(v)) return fail(path, 'expected a condition object {fact, op, value}');
    const f = fact(v.fact, `${path}.fact`);
    if (typeof v.op !== 'string' || !OPS.includes(v.op as Op)) fail(`${path}.op`, `unknown operator ${JSON.stringify(v.op)} (known: ${OPS.join(' ')})`);
    const def = FACTS[f] as { type: string; values?: readonly string[] };
    const value = v.value;
    if (def.type === 'number') num(value, `${path}.value`);
    else if (def.type === 'boolean') bool(value, `${path}.value`);
    else {
      str(value, `${path}.value`);
      if (!def.values!.includes(value as string)) fail(`${path}.value`, `"${String(value)}" is not one of ${def.values!.join(', ')}`);
    }
    if (def.type !== 'number' && v.op !== '==' && v.op !== '!=') fail(`${path}.op`, `"${String(v.op)}" cannot compare ${def.type} fact ${f}; use == or !=`);
    return { fact: f, op: v.op as Op, value: value as FactValue };
  };
  const rule = (v: unknown, path: string): Rule => {
    if (!isObj(v)) return fail(path, 'expected a rule object');
    if (v.kind === 'steps') {
      if (!Array.isArray(v.steps)) fail(`${path}.steps`, 'expected a list of steps');
      const steps = (v.steps as unknown[]).map((s, i) => {
        const p = `${path}.steps[${i}]`;
        if (!isObj(s)) return fail(p, 'expected a step {when, points}');
        if (!Array.isArray(s.when) || s.when.length === 0) fail(`${p}.when`, 'expected a non-empty list of conditions');
        return { when: (s.when as unknown[]).map((c, j) => cond(c, `${p}.when[${j}]`)), points: num(s.points, `${p}.points`) };
      });
      return { kind: 'steps', steps, otherwise: num(v.otherwise, `${path}.otherwise`) };
    }
    if (v.kind === 'linear') {
      const f = fact(v.fact, `${path}.fact`);
      if ((FACTS[f] as { type: string }).type !== 'number') fail(`${path}.fact`, `linear rules need a numeric fact, ${f} is not`);
      const r = {
        kind: 'linear' as const,
        fact: f,
        x0: num(v.x0, `${path}.x0`),
        p0: num(v.p0, `${path}.p0`),
        x1: num(v.x1, `${path}.x1`),
        p1: num(v.p1, `${path}.p1`),
        below: num(v.below, `${path}.below`),
      };
      if (!(r.x1 > r.x0)) fail(`${path}.x1`, `must be greater than x0 (${r.x0})`);
      return r;
    }
    return fail(`${path}.kind`, `unknown rule kind ${JSON.stringify(v.kind)} (known: steps, linear)`);
  };
  const gate = (v: unknown, path: string): Gate => {
    if (!isObj(v)) return fail(path, 'expected a gate object');
    if (v.kind === 'double-majority') {
      const n = num(v.num, `${path}.num`);
      const d = num(v.den, `${path}.den`);
      if (!Number.isInteger(n) || !Number.isInteger(d) || d <= 0 || n < 0 || n > d) fail(path, `threshold ${n}/${d} must be a fraction of whole numbers between 0 and 1`);
      return { kind: 'double-majority', num: n, den: d };
    }
    if (v.kind === 'cond') return { kind: 'cond', cond: cond(v.cond, `${path}.cond`), zh: str(v.zh, `${path}.zh`), en: str(v.en, `${path}.en`) };
    return fail(`${path}.kind`, `unknown gate kind ${JSON.stringify(v.kind)} (known: double-majority, cond)`);
  };

  if (!isObj(x)) return fail('rubric', 'expected a JSON object');
  if (x.format !== 'jiangbei-rubric') fail('format', `expected "jiangbei-rubric", got ${JSON.stringify(x.format)}`);
  if (x.version !== 1) fail('version', `unsupported rubric version ${JSON.stringify(x.version)} (this build reads version 1)`);
  if (!isObj(x.name)) fail('name', 'expected {zh, en}');
  if (!isObj(x.note)) fail('note', 'expected {zh, en}');
  if (!Array.isArray(x.criteria)) fail('criteria', 'expected a list of criteria');
  const name = x.name as Record<string, unknown>;
  const note = x.note as Record<string, unknown>;
  const codes = new Set<string>();
  const criteria = (x.criteria as unknown[]).map((c, i): Criterion => {
    const p = `criteria[${i}]`;
    if (!isObj(c)) return fail(p, 'expected a criterion object');
    const code = str(c.code, `${p}.code`);
    if (!code) fail(`${p}.code`, 'must not be empty');
    if (codes.has(code)) fail(`${p}.code`, `duplicate criterion code "${code}"`);
    codes.add(code);
    const weight = num(c.weight, `${p}.weight`);
    if (weight < 0) fail(`${p}.weight`, 'must not be negative');
    if (!Array.isArray(c.gates)) fail(`${p}.gates`, 'expected a list (may be empty)');
    return {
      code,
      zh: str(c.zh, `${p}.zh`),
      en: str(c.en, `${p}.en`),
      weight,
      bonus: bool(c.bonus, `${p}.bonus`),
      enabled: bool(c.enabled, `${p}.enabled`),
      basis: str(c.basis, `${p}.basis`),
      rule: rule(c.rule, `${p}.rule`),
      gates: (c.gates as unknown[]).map((g, j) => gate(g, `${p}.gates[${j}]`)),
    };
  });
  return {
    format: 'jiangbei-rubric',
    version: 1,
    name: { zh: str(name.zh, 'name.zh'), en: str(name.en, 'name.en') },
    official: bool(x.official, 'official'),
    note: { zh: str(note.zh, 'note.zh'), en: str(note.en, 'note.en') },
    criteria,
  };
}

/** Parse a rubric file's text; JSON errors become RubricErrors with the file's position. */
export function parseRubric(text: string): Rubric {
  let x: unknown;
  try {
    x = JSON.parse(text);
  } catch (e) {
    throw new RubricError(`not valid JSON: ${(e as Error).message}`);
  }
  return validateRubric(x);
}
