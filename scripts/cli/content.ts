/**
 * `npm run planner -- content --communities <file> [--items catalogue.csv] [--survey survey.csv]
 *    [--coverage coverage.csv] [--project project.json] --out plan.csv|plan.xlsx`
 *
 * Writes each community's content plan (改造内容清单) with quantities, costs and the funding split: the plan
 * saved in a project file (--project, the app's 项目 export) where there is one, else the suggested starting
 * plan (analysis/content.ts suggestPlan: record rules, life-circle gaps from --coverage, residents' priorities
 * from --survey). One row per item plus a total row per community; the totals are computed by the same
 * modules as the app (costPlan, funding.ts splitFunding/fundItems), in integer fen.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import Papa from 'papaparse';
import { readLayer } from './io.ts';
import { parseArgs } from './args.ts';
import { gapsFromCoverageCsv } from './bundle.ts';
import type { CommunityProps, FacilityCategoryCode } from '../../src/lib/domain/types.ts';
import { defaultCatalogue } from '../../src/lib/domain/catalogue-default.ts';
import { CLASS_INFO, FUNDING_LINE_INFO, catalogueFromRows, costPlan, itemOf, ownerFundsOf, suggestPlan, validateContentSlice, type Catalogue, type ContentPlan } from '../../src/lib/analysis/content.ts';
import { lineSource, surveyFromRows, type Survey } from '../../src/lib/analysis/survey.ts';
import { fundItems, splitFunding } from '../../src/lib/analysis/funding.ts';
import { STANDARDS } from '../../src/lib/domain/standards.ts';
import { readSource } from '../../src/lib/data/import/read.ts';
import { tablesToXlsx } from '../../src/lib/data/export/index.ts';
import { parseProject } from '../../src/lib/state/project.ts';

export const usage = `  content --communities <file> [--items <catalogue.csv|xlsx>] [--survey <survey.csv|xlsx>] [--coverage <coverage.csv>]
      [--project <project.json>] [--crs …] --out <plan.csv|plan.xlsx>
      content plans per community (suggested, or saved in a project file): one row per item + a total row with the funding split`;

export const COLUMNS = [
  'community_id',
  'community_name',
  'row',
  'class',
  'item_code',
  'item',
  'unit',
  'quantity',
  'unit_cost_cny',
  'cost_cny',
  'funding',
  'lead_department',
  'asked_by',
  'reason',
  'quantity_rule',
  'cost_source',
  'plan_source',
  'base_cny',
  'separate_cny',
  'city_cny',
  'district_cny',
  'district_from_owners_cny',
  'owners_cny',
  'owners_share',
  'owners_meet_5pct',
  'to_maintenance_fund_cny',
  'data_source',
] as const;
type Row = Partial<Record<(typeof COLUMNS)[number], string | number>>;

async function readTable(path: string): Promise<{ file: string; headers: string[]; rows: unknown[][]; rowNumbers: number[] }> {
  const file = basename(path);
  const sheet = (await readSource(file, new Uint8Array(await readFile(path)))).sheets[0];
  return { file, headers: sheet.headers, rows: sheet.rows as unknown[][], rowNumbers: sheet.rowNumbers };
}

async function readCatalogue(path: string | undefined): Promise<Catalogue> {
  if (!path) return defaultCatalogue();
  const t = await readTable(path);
  const rows = t.rows.map((r) => Object.fromEntries(t.headers.map((h, i) => [h.trim(), String(r[i] ?? '')])));
  return catalogueFromRows(rows, t.file, (i) => t.rowNumbers[i] ?? i + 2);
}

/** Surveys per community id; the survey's community column may hold ids or names. */
async function readSurveys(path: string | undefined, catalogue: Catalogue, records: readonly CommunityProps[]): Promise<Record<string, Survey>> {
  if (!path) return {};
  const t = await readTable(path);
  const table = surveyFromRows(t.file, t.headers, t.rows, t.rowNumbers, catalogue);
  const byKey = new Map<string, string>();
  for (const r of records) byKey.set(r.id, r.id).set(r.name, r.id);
  const out: Record<string, Survey> = {};
  for (const [key, rows] of table.byCommunity) {
    if (key === '') throw new Error(`${t.file}: no community column (小区 / community_id): a survey for several communities must say whose answers each row holds`);
    const id = byKey.get(key);
    if (!id) throw new Error(`${t.file}: row ${table.firstRow.get(key)}: column "community": no community "${key}" in the inventory`);
    out[id] = { source: t.file, rows };
  }
  return out;
}

function planRows(r: CommunityProps, plan: ContentPlan, planSource: string, survey: Survey | null, catalogue: Catalogue): Row[] {
  const cost = costPlan(plan.lines, catalogue);
  const rows: Row[] = plan.lines.map((l, i) => {
    const it = itemOf(catalogue, l.code)!;
    const c = cost.lines[i];
    return {
      community_id: r.id,
      community_name: r.name,
      row: 'item',
      class: CLASS_INFO[it.cls].csv,
      item_code: it.code,
      item: it.zh,
      unit: it.unit,
      quantity: l.qty,
      unit_cost_cny: it.unitCostCny,
      cost_cny: c.costCny,
      funding: it.funding === 'base' ? 'base' : `separate: ${FUNDING_LINE_INFO[it.funding].en.replace('separate: ', '')}`,
      lead_department: it.department?.zh ?? '',
      asked_by: lineSource(l.code, survey) === 'residents' ? 'residents (≥ 2/3)' : 'office',
      reason: l.reason?.zh ?? '',
      quantity_rule: l.rule?.zh ?? '',
      cost_source: it.costSource ?? 'assumption (INF)',
      plan_source: planSource,
    };
  });
  const owners = ownerFundsOf(plan, cost.totalCny, r.owner_contribution_share);
  const split = plan.owners ? fundItems(cost, plan.owners) : splitFunding({ ...cost, ownerFundsCny: owners });
  rows.push({
    community_id: r.id,
    community_name: r.name,
    row: 'total',
    cost_cny: split.totalCny,
    plan_source: planSource,
    base_cny: split.baseCny,
    separate_cny: split.outsideBase.totalCny,
    city_cny: split.cityCny,
    district_cny: split.district.shareCny,
    district_from_owners_cny: split.district.fromOwnersCny,
    owners_cny: split.owners.fundsCny,
    owners_share: Math.round(split.owners.shareOfTotal * 1e6) / 1e6,
    owners_meet_5pct: split.owners.meetsMinimum ? 'yes' : 'no',
    to_maintenance_fund_cny: split.owners.toMaintenanceFundCny,
    data_source: r.synthetic ? '演示数据 (demonstration data)' : r.source,
  });
  return rows;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['communities', 'items', 'survey', 'coverage', 'project', 'out', 'crs'] });
  const file = args.values.communities;
  const out = args.values.out;
  if (!file || !out) {
    console.error(`content: --communities <file> and --out <plan.csv|plan.xlsx> are required\n${usage}`);
    return 2;
  }
  if (!/\.(csv|xlsx)$/i.test(out)) throw new Error(`--out: expected a .csv or .xlsx file name, got "${out}"`);
  const features = await readLayer(file, { kind: 'communities', crs: args.values.crs });
  // read through the importer (a rejected row makes readLayer throw, naming file, row and field: nothing written)
  const records = features.map((f) => f.properties);
  let catalogue = await readCatalogue(args.values.items);
  let saved: Record<string, ContentPlan> = {};
  let surveys: Record<string, Survey> = {};
  if (args.values.project) {
    const p = parseProject(readFileSync(args.values.project, 'utf8'));
    if (p.slices.content !== undefined) {
      let slice;
      try {
        slice = validateContentSlice(p.slices.content);
      } catch (e) {
        throw new Error(`${basename(args.values.project)}: ${(e as Error).message}`);
      }
      if (slice.catalogue && !args.values.items) catalogue = slice.catalogue;
      saved = slice.plans;
      surveys = slice.surveys;
    }
  }
  surveys = { ...surveys, ...(await readSurveys(args.values.survey, catalogue, records)) };
  const mandatory = new Set(STANDARDS.gb50180.rules.filter((r) => r.mandatory).map((r) => r.category as string));
  const gaps = args.values.coverage ? gapsFromCoverageCsv(readFileSync(args.values.coverage, 'utf8'), basename(args.values.coverage), mandatory) : null;

  const rows: Row[] = [];
  let suggested = 0;
  for (const r of records) {
    const survey = surveys[r.id] ?? null;
    let plan = saved[r.id];
    let source = 'saved plan';
    if (!plan || plan.lines.length === 0) {
      const lacking = gaps ? ((gaps[r.id] ?? []) as FacilityCategoryCode[]) : null;
      plan = { version: 1, owners: null, lines: suggestPlan(r, catalogue, lacking, survey).lines.map((s) => ({ ...s })) };
      source = 'suggested';
      suggested++;
    }
    rows.push(...planRows(r, plan, source, survey, catalogue));
  }
  if (/\.xlsx$/i.test(out)) {
    await writeFile(out, tablesToXlsx([{ name: 'content-plans', rows, columns: [...COLUMNS] }], { layer: 'content-plans', attribution: [] }));
  } else {
    await writeFile(out, '\uFEFF' + Papa.unparse({ fields: [...COLUMNS], data: rows.map((x) => COLUMNS.map((c) => x[c] ?? '')) }, { newline: '\r\n', escapeFormulae: true }) + '\r\n');
  }
  const total = rows.filter((x) => x.row === 'total').reduce((s, x) => s + Math.round(Number(x.cost_cny) * 100), 0) / 100;
  console.error(
    `content: ${records.length} communities (${suggested} suggested, ${records.length - suggested} from the project), ${rows.length - records.length} item rows; ` +
      `total ${(total / 1e8).toFixed(2)} 亿 CNY (unit costs: ${args.values.items ? basename(args.values.items) : 'default catalogue, our assumptions'})\nwrote ${out}`,
  );
  return 0;
}
