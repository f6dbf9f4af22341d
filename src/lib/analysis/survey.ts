/**
 * Residents' demand (意愿征询): per community and item, households in favour and households asked.
 *
 * An item is 群众需求集中 (the residents' priority, proposed for the scheme) when the households in favour
 * are at least 2/3 of the households asked. The test is exact integer arithmetic, 3 × in favour ≥ 2 × asked,
 * so exactly 2/3 passes and no rounding of a share decides a boundary case (as consent.ts does for votes).
 *
 * surveyFromRows reads an imported table (CSV/XLSX rows through data/import's reader) with Chinese or
 * English headers; every problem names the file, the row and the column, and a table with any problem is
 * refused whole (nothing half-imported). Pure; O(rows × catalogue items).
 */
import type { Catalogue } from './content';

export interface SurveyRow {
  /** catalogue item code */
  code: string;
  inFavour: number;
  asked: number;
}

export interface Survey {
  /** where the answers come from: the imported file's name, or null when entered by hand */
  source: string | null;
  rows: SurveyRow[];
}

/** 群众需求集中: in favour ≥ 2/3 of the households asked, exactly (3 × in favour ≥ 2 × asked). */
export function isConcentrated(r: Pick<SurveyRow, 'inFavour' | 'asked'>): boolean {
  return r.asked > 0 && 3 * r.inFavour >= 2 * r.asked;
}

type ErrorClass = new (m: string) => Error;

/** Check one untrusted survey row; throws `${at}: field "…": why`. */
export function checkSurveyRow(v: unknown, at: string, E: ErrorClass = Error): SurveyRow {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new E(`${at}: expected { code, inFavour, asked }`);
  const o = v as Record<string, unknown>;
  if (typeof o.code !== 'string' || !o.code) throw new E(`${at}: field "code": expected an item code`);
  for (const k of ['inFavour', 'asked'])
    if (!Number.isInteger(o[k]) || (o[k] as number) < 0) throw new E(`${at}: field "${k}": expected a whole number of households ≥ 0, got ${JSON.stringify(o[k])}`);
  if ((o.inFavour as number) > (o.asked as number)) throw new E(`${at}: field "inFavour": ${o.inFavour} in favour is more than the ${o.asked} households asked`);
  return { code: o.code, inFavour: o.inFavour as number, asked: o.asked as number };
}

/** Header words recognised for each column (normalised: lower case, no spaces). */
export const SURVEY_HEADERS = {
  community: ['community', 'community_id', 'id', '小区', '小区名称', '小区编号'],
  item: ['item', 'code', 'item_code', '项目', '改造内容', '改造项目', '内容', '项目编号'],
  inFavour: ['in_favour', 'in_favor', 'infavour', 'favour', 'yes', '同意户数', '赞成户数', '同意', '赞成'],
  asked: ['asked', 'households_asked', 'surveyed', '征询户数', '调查户数', '参与户数', '户数'],
} as const;

const norm = (h: string) => h.trim().toLowerCase().replace(/\s+/g, '');

export class SurveyError extends Error {}

export interface SurveyTable {
  /** surveys per community key (the community column's text; '' when the table has no such column) */
  byCommunity: Map<string, SurveyRow[]>;
  /** the file row where each community key first appears (for messages) */
  firstRow: Map<string, number>;
}

/**
 * Read a survey table. `headers` and `rows` are the sheet's (cells as text or numbers); `rowNumbers[i]` is
 * the file row of data row i. Items are matched by catalogue code or by the exact Chinese or English name.
 */
export function surveyFromRows(
  file: string,
  headers: readonly string[],
  rows: readonly (readonly unknown[])[],
  rowNumbers: readonly number[],
  catalogue: Catalogue,
): SurveyTable {
  const col = (k: keyof typeof SURVEY_HEADERS) => headers.findIndex((h) => (SURVEY_HEADERS[k] as readonly string[]).includes(norm(h)));
  const ci = { community: col('community'), item: col('item'), inFavour: col('inFavour'), asked: col('asked') };
  for (const k of ['item', 'inFavour', 'asked'] as const)
    if (ci[k] < 0) throw new SurveyError(`${file}: no column for "${k}" (expected one of: ${SURVEY_HEADERS[k].join(', ')})`);
  const byName = new Map<string, string>();
  for (const it of catalogue.items) for (const n of [it.code, it.zh, it.en.toLowerCase()]) byName.set(n, it.code);
  const byCommunity = new Map<string, SurveyRow[]>();
  const firstRow = new Map<string, number>();
  rows.forEach((r, i) => {
    const at = `${file}: row ${rowNumbers[i] ?? i + 2}`;
    const text = (c: number) => (c < 0 ? '' : String(r[c] ?? '').trim());
    if (r.every((c) => String(c ?? '').trim() === '')) return;
    const itemText = text(ci.item);
    const code = byName.get(itemText) ?? byName.get(itemText.toLowerCase());
    if (!code) throw new SurveyError(`${at}: column "${headers[ci.item]}": unknown item ${JSON.stringify(itemText)} (use a catalogue code or item name)`);
    const num = (c: number) => {
      const s = text(c);
      const n = s === '' ? NaN : Number(s);
      if (!Number.isInteger(n) || n < 0) throw new SurveyError(`${at}: column "${headers[c]}": expected a whole number of households ≥ 0, got ${JSON.stringify(s)}`);
      return n;
    };
    const row = { code, inFavour: num(ci.inFavour), asked: num(ci.asked) };
    if (row.inFavour > row.asked) throw new SurveyError(`${at}: column "${headers[ci.inFavour]}": ${row.inFavour} in favour is more than the ${row.asked} households asked`);
    const key = text(ci.community);
    const list = byCommunity.get(key) ?? [];
    if (list.some((x) => x.code === code)) throw new SurveyError(`${at}: column "${headers[ci.item]}": item ${itemText} appears twice for the same community`);
    list.push(row);
    byCommunity.set(key, list);
    if (!firstRow.has(key)) firstRow.set(key, rowNumbers[i] ?? i + 2);
  });
  if (byCommunity.size === 0) throw new SurveyError(`${file}: no survey rows`);
  return { byCommunity, firstRow };
}

/** Is a plan line asked for by the residents (a 群众需求集中 survey item) or added by the office? */
export function lineSource(code: string, survey: Survey | null): 'residents' | 'office' {
  return survey?.rows.some((r) => r.code === code && isConcentrated(r)) ? 'residents' : 'office';
}
