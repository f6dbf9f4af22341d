/**
 * The residents' double two-thirds rule (双2/3).
 *
 * What it computes: whether a vote passes both tests of 《民法典》 art. 278 as the Jiangbei action plan
 * applies them to the application (居民申请) and the scheme vote (方案确认): owners whose exclusive floor
 * area is at least 2/3 of the total AND owners who are at least 2/3 of all owners are in favour.
 * "2/3以上" includes exactly 2/3: under the Civil Code, art. 1259, "以上" includes the number itself.
 *
 * Exactness: headcounts are integers, so `3 × inFavour ≥ 2 × total` is exact. Floor areas are decimal
 * square metres; they are scaled to integer hundredths of a square metre (0.01 m², the precision of a
 * property register) before the same comparison, so no tolerance is involved. The threshold itself is
 * a fraction of integers (num/den), never a float.
 *
 * Complexity: O(1). Source: workflow.yaml (stages APPLIED and SCHEME_VOTED), Civil Code arts. 278, 1259.
 */

/** A recorded owners' vote. Areas in m² (exclusive floor area, 专有部分面积), counts in owners. */
export interface VoteRecord {
  /** which gate the vote is for: the application (APPLIED) or the scheme vote (SCHEME_VOTED) */
  kind: 'application' | 'scheme';
  /** ISO date of the vote, YYYY-MM-DD */
  date: string;
  areaInFavour: number;
  areaTotal: number;
  ownersInFavour: number;
  ownersTotal: number;
  /** the content plan version (analysis/content.ts) the owners approved, when the plan existed */
  content_version?: number;
}

/** The threshold as a fraction of integers; default 2/3. */
export interface Fraction {
  num: number;
  den: number;
}
export const TWO_THIRDS: Fraction = Object.freeze({ num: 2, den: 3 });

export interface ConsentPart {
  pass: boolean;
  /** the share in favour, for display only (never used for the decision) */
  share: number;
}

export interface ConsentResult {
  pass: boolean;
  area: ConsentPart;
  headcount: ConsentPart;
  /** why the vote fails (empty when it passes), in both languages */
  reasons: { zh: string; en: string }[];
}

/** Scale m² to integer hundredths of a m²; refuses values that cannot be represented exactly. */
export function toCentiSquareMetres(m2: number): number {
  const c = Math.round(m2 * 100);
  if (!Number.isSafeInteger(c)) throw new Error(`floor area ${m2} m² is out of range`);
  return c;
}

/** a/b ≥ num/den, exact for non-negative integers a, b (b > 0). */
export function atLeastFraction(a: number, b: number, f: Fraction = TWO_THIRDS): boolean {
  return a * f.den >= b * f.num;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

/**
 * Validate a vote record: returns a list of problems (empty if valid). Inputs come from a form,
 * so every problem names the field.
 */
export function validateVote(v: VoteRecord): { zh: string; en: string }[] {
  const out: { zh: string; en: string }[] = [];
  const num = (x: number) => typeof x === 'number' && Number.isFinite(x);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v.date) || Number.isNaN(Date.parse(v.date)))
    out.push({ zh: `表决日期无效: "${v.date}"`, en: `invalid vote date "${v.date}"` });
  if (!num(v.areaTotal) || v.areaTotal <= 0)
    out.push({ zh: '专有部分总面积必须大于 0', en: 'total exclusive floor area must be greater than 0' });
  if (!num(v.areaInFavour) || v.areaInFavour < 0)
    out.push({ zh: '同意业主的专有面积不能为负', en: 'area in favour cannot be negative' });
  else if (num(v.areaTotal) && toCentiSquareMetres(v.areaInFavour) > toCentiSquareMetres(v.areaTotal))
    out.push({ zh: '同意面积超过总面积', en: 'area in favour exceeds the total area' });
  if (!Number.isInteger(v.ownersTotal) || v.ownersTotal <= 0)
    out.push({ zh: '业主总人数必须是正整数', en: 'total number of owners must be a positive whole number' });
  if (!Number.isInteger(v.ownersInFavour) || v.ownersInFavour < 0)
    out.push({ zh: '同意业主人数必须是非负整数', en: 'owners in favour must be a whole number ≥ 0' });
  else if (Number.isInteger(v.ownersTotal) && v.ownersInFavour > v.ownersTotal)
    out.push({ zh: '同意人数超过业主总人数', en: 'owners in favour exceed the total number of owners' });
  return out;
}

/** Check a recorded vote against the double threshold (default 2/3, inclusive). Invalid votes fail. */
export function checkVote(v: VoteRecord, f: Fraction = TWO_THIRDS): ConsentResult {
  const problems = validateVote(v);
  if (problems.length > 0) {
    return {
      pass: false,
      area: { pass: false, share: NaN },
      headcount: { pass: false, share: NaN },
      reasons: problems,
    };
  }
  const aIn = toCentiSquareMetres(v.areaInFavour);
  const aTot = toCentiSquareMetres(v.areaTotal);
  const areaPass = atLeastFraction(aIn, aTot, f);
  const headPass = atLeastFraction(v.ownersInFavour, v.ownersTotal, f);
  const area = { pass: areaPass, share: aIn / aTot };
  const headcount = { pass: headPass, share: v.ownersInFavour / v.ownersTotal };
  const reasons: { zh: string; en: string }[] = [];
  const frac = `${f.num}/${f.den}`;
  if (!areaPass)
    reasons.push({
      zh: `同意业主专有面积 ${pct(area.share)} 未达 ${frac} (${v.areaInFavour} / ${v.areaTotal} m²)`,
      en: `owners' exclusive floor area in favour ${pct(area.share)} is below ${frac} (${v.areaInFavour} / ${v.areaTotal} m²)`,
    });
  if (!headPass) {
    // the smallest number of owners that would pass, so the message says how far the vote is
    const need = Math.ceil((v.ownersTotal * f.num) / f.den);
    reasons.push({
      zh: `同意业主人数 ${v.ownersInFavour} / ${v.ownersTotal} 未达 ${frac} (至少需 ${need} 人)`,
      en: `owners in favour ${v.ownersInFavour} / ${v.ownersTotal} is below ${frac} (at least ${need} needed)`,
    });
  }
  return { pass: areaPass && headPass, area, headcount, reasons };
}

/**
 * The same rule over shares (0..1) as stored on a community record, when no vote has been recorded.
 * `3·s ≥ 2` holds for the double nearest to 2/3 (2/3 computed in floating point), so a share recorded as
 * exactly two thirds passes; shares are display-rounded data, so this is the best the record allows.
 */
export function sharesPass(areaShare: number | null, headcountShare: number | null, f: Fraction = TWO_THIRDS): boolean {
  // an unknown share never passes: eligibility is not granted on missing evidence
  if (areaShare === null || headcountShare === null) return false;
  return areaShare * f.den >= f.num && headcountShare * f.den >= f.num;
}

/**
 * A share as a percentage with just enough decimals to tell it from the threshold: 0.6666 against 2/3 reads
 * "66.66%" (threshold "66.67%"), never "66.7%" beside a failing verdict. At least two decimals, at most six.
 */
export function pctAgainst(share: number, f: Fraction = TWO_THIRDS): { share: string; threshold: string } {
  const t = (f.num / f.den) * 100;
  const x = share * 100;
  let d = 2;
  while (d < 6 && x.toFixed(d) === t.toFixed(d)) d++;
  return { share: `${x.toFixed(d)}%`, threshold: `${t.toFixed(d)}%` };
}

/**
 * Why recorded shares (no vote yet) fail the double threshold: one part per test that fails (area,
 * headcount), with the share and the threshold at a precision that shows the difference; an unknown share
 * says "no data" (无数据), never 0.0 %. Empty when both pass.
 */
export function sharesFailures(area: number | null, head: number | null, f: Fraction = TWO_THIRDS): { zh: string; en: string }[] {
  const out: { zh: string; en: string }[] = [];
  const part = (s: number | null, zh: string, en: string) => {
    if (s === null || !Number.isFinite(s)) {
      out.push({ zh: `${zh}: 无数据`, en: `${en}: no data` });
      return;
    }
    if (s * f.den >= f.num) return;
    const p = pctAgainst(s, f);
    out.push({ zh: `${zh} ${p.share} 未达 ${p.threshold}`, en: `${en} ${p.share} is below ${p.threshold}` });
  };
  part(area, '按面积', 'by area');
  part(head, '按人数', 'by headcount');
  return out;
}
