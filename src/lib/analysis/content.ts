/**
 * What gets renovated (改造内容): the item catalogue, a community's content plan (改造内容清单), the
 * suggested starting plan, residents' demand (意愿征询) and the item-based investment.
 *
 * Sources: the three classes and their items from 国办发〔2020〕23号 二、(二) and Ningbo practice
 * (geodata/standards/renovation-items-*.csv); units and unit costs are our assumptions (INF, see
 * domain/catalogue-default.ts); base vs separately funded items from funding.yaml (via ./funding.ts).
 *
 *  - Suggestions (suggestPlan) are derived from the record and the life-circle analysis; each line says why
 *    and how its quantity was computed (the rule), so the user can accept, edit or remove it.
 *  - Survey (意愿征询): an item is 群众需求集中 when households in favour ≥ 2/3 of households asked, in exact
 *    integer arithmetic (3 × in favour ≥ 2 × asked); exactly 2/3 passes.
 *  - Cost: Σ quantity × unit cost in integer fen, split into base / lifts / dangerous-building repair.
 *  - A plan carries a content version that grows with every change; a vote records the version it approved
 *    (VoteRecord.content_version), so a scheme changed after its vote is flagged (schemeStatus).
 *
 * Pure: plain data in, plain data out; nothing here mutates its inputs. O(lines) per plan, O(plans × lines)
 * for the district views.
 */
import type { CommunityProps, FacilityCategoryCode } from '../domain/types';
import type { Message } from '../data/import/types';
import { isConcentrated, checkSurveyRow, type Survey } from './survey';
import { communityInvestment, DEFAULT_COST_PARAMS, type CostParams, type InvestmentEstimate, type OwnerSources, OWNER_SOURCE_KEYS } from './funding';

export const ITEM_CLASSES = ['basic', 'improve', 'upgrade'] as const;
export type ItemClass = (typeof ITEM_CLASSES)[number];
export const CLASS_INFO: Record<ItemClass, Message & { csv: string; short: Message }> = {
  basic: { zh: '基础类', en: 'basic (safety & basic needs)', csv: '基础类', short: { zh: '基础', en: 'basic' } },
  improve: { zh: '完善类', en: 'improvement (convenience)', csv: '完善类', short: { zh: '完善', en: 'improve' } },
  upgrade: { zh: '提升类', en: 'upgrading (services)', csv: '提升类', short: { zh: '提升', en: 'upgrade' } },
};

export const UNITS = ['m²', 'm', '幢', '台', '处', '户', '项'] as const;
export type Unit = (typeof UNITS)[number];
export const UNIT_INFO: Record<Unit, Message> = {
  'm²': { zh: 'm²', en: 'm²' },
  m: { zh: 'm', en: 'm' },
  幢: { zh: '幢', en: 'buildings' },
  台: { zh: '台', en: 'lifts' },
  处: { zh: '处', en: 'sites' },
  户: { zh: '户', en: 'households' },
  项: { zh: '项', en: 'lots' },
};

/** Where an item is paid from: inside the city:district base, or one of funding.yaml's `base_excludes`. */
export const FUNDING_LINES = ['base', 'lift_installation', 'lift_renewal', 'dangerous_building_repair'] as const;
export type FundingLine = (typeof FUNDING_LINES)[number];
export const FUNDING_LINE_INFO: Record<FundingLine, Message> = {
  base: { zh: '基数内 (市区 4:6)', en: 'in the base (city:district 4:6)' },
  lift_installation: { zh: '专项: 加装电梯', en: 'separate: lift retrofit' },
  lift_renewal: { zh: '专项: 电梯更新', en: 'separate: lift renewal' },
  dangerous_building_repair: { zh: '专项: 危房解危', en: 'separate: dangerous-building repair' },
};

export interface CatalogueItem {
  code: string;
  cls: ItemClass;
  zh: string;
  en: string;
  unit: Unit;
  /** CNY per unit */
  unitCostCny: number;
  /** where the cost comes from; null = our assumption (INF), shown as such */
  costSource: string | null;
  funding: FundingLine;
  /** lead department of a separately funded (专项) item */
  department: Message | null;
  /** rows of the national / Ningbo item lists (or funding.yaml) this item stands for */
  refs: string[];
}

export interface Catalogue {
  format: 'jiangbei-renovation-catalogue';
  version: 1;
  items: CatalogueItem[];
}

export type LineOrigin = 'suggested' | 'survey' | 'office';

export interface PlanLine {
  code: string;
  qty: number;
  origin: LineOrigin;
  /** why the line is there (suggestions and survey lines); null for lines the office added by hand */
  reason: Message | null;
  /** how the quantity was derived from the record; null once the user typed a quantity */
  rule: Message | null;
}

export interface ContentPlan {
  /** content version: grows by one with every change; votes record the version they approved */
  version: number;
  lines: PlanLine[];
  /** owners' contribution by source (CNY); null = the record's owner_contribution_share of the total */
  owners: OwnerSources | null;
}

export class ContentError extends Error {}

// ---------------------------------------------------------------- catalogue validation and files

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isMsg = (v: unknown): v is Message => isObj(v) && typeof v.zh === 'string' && typeof v.en === 'string';

function checkItem(v: unknown, at: string): CatalogueItem {
  const fail = (f: string, why: string): never => {
    throw new ContentError(`${at}: field "${f}": ${why}`);
  };
  if (!isObj(v)) return fail('(item)', 'expected an object');
  if (typeof v.code !== 'string' || !/^[A-Za-z0-9_-]{1,24}$/.test(v.code)) fail('code', `expected a short code of letters and digits, got ${JSON.stringify(v.code)}`);
  if (!(ITEM_CLASSES as readonly unknown[]).includes(v.cls)) fail('cls', `expected one of ${ITEM_CLASSES.join(', ')}, got ${JSON.stringify(v.cls)}`);
  for (const k of ['zh', 'en']) if (typeof v[k] !== 'string' || !(v[k] as string).trim()) fail(k, 'the item needs a name');
  if (!(UNITS as readonly unknown[]).includes(v.unit)) fail('unit', `expected one of ${UNITS.join(' ')}, got ${JSON.stringify(v.unit)}`);
  if (typeof v.unitCostCny !== 'number' || !Number.isFinite(v.unitCostCny) || v.unitCostCny < 0)
    fail('unitCostCny', `expected a cost ≥ 0 CNY, got ${JSON.stringify(v.unitCostCny)}`);
  if (v.costSource !== null && typeof v.costSource !== 'string') fail('costSource', 'expected text or null');
  if (!(FUNDING_LINES as readonly unknown[]).includes(v.funding)) fail('funding', `expected one of ${FUNDING_LINES.join(', ')}, got ${JSON.stringify(v.funding)}`);
  if (v.department !== null && !isMsg(v.department)) fail('department', 'expected { zh, en } or null');
  if (!Array.isArray(v.refs) || !v.refs.every((r) => typeof r === 'string')) fail('refs', 'expected a list of codes');
  return {
    code: v.code as string,
    cls: v.cls as ItemClass,
    zh: v.zh as string,
    en: v.en as string,
    unit: v.unit as Unit,
    unitCostCny: v.unitCostCny as number,
    costSource: (v.costSource as string | null) ?? null,
    funding: v.funding as FundingLine,
    department: v.department === null ? null : { zh: (v.department as Message).zh, en: (v.department as Message).en },
    refs: [...(v.refs as string[])],
  };
}

/** Strict check of an untrusted catalogue (project file, autosave, loaded file); throws naming the field. */
export function validateCatalogue(x: unknown): Catalogue {
  if (!isObj(x)) throw new ContentError('catalogue: expected an object');
  if (x.format !== 'jiangbei-renovation-catalogue') throw new ContentError(`catalogue: field "format": expected "jiangbei-renovation-catalogue", got ${JSON.stringify(x.format)}`);
  if (x.version !== 1) throw new ContentError(`catalogue: field "version": unsupported version ${JSON.stringify(x.version)}`);
  if (!Array.isArray(x.items) || x.items.length === 0) throw new ContentError('catalogue: field "items": expected a non-empty list');
  const seen = new Set<string>();
  const items = x.items.map((it, i) => {
    const item = checkItem(it, `catalogue: items[${i}]`);
    if (seen.has(item.code)) throw new ContentError(`catalogue: items[${i}]: field "code": duplicate code ${item.code}`);
    seen.add(item.code);
    return item;
  });
  return { format: 'jiangbei-renovation-catalogue', version: 1, items };
}

/** The CSV columns of a catalogue file (the same as geodata/standards/renovation-catalogue.csv). */
export const CATALOGUE_COLUMNS = ['code', 'class', 'item_zh', 'item_en', 'unit', 'unit_cost_cny', 'cost_source', 'funding', 'department_zh', 'department_en', 'refs'] as const;

const CLASS_BY_CSV: Record<string, ItemClass> = { 基础类: 'basic', 完善类: 'improve', 提升类: 'upgrade', basic: 'basic', improve: 'improve', upgrade: 'upgrade' };

/**
 * Read a catalogue from parsed CSV/XLSX rows (header → cell text). `rowNumber(i)` gives the file's row of
 * data row i for messages. A broken file is refused as a whole: "file: row 7: field "unit_cost_cny": …".
 */
export function catalogueFromRows(rows: readonly Record<string, string>[], file: string, rowNumber: (i: number) => number = (i) => i + 2): Catalogue {
  if (rows.length === 0) throw new ContentError(`${file}: no items`);
  const missing = CATALOGUE_COLUMNS.filter((c) => !(c in rows[0]));
  if (missing.length) throw new ContentError(`${file}: missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}`);
  const items = rows.map((r, i) => {
    const at = `${file}: row ${rowNumber(i)}`;
    const cls = CLASS_BY_CSV[(r.class ?? '').trim()];
    if (!cls) throw new ContentError(`${at}: field "class": expected 基础类, 完善类 or 提升类, got ${JSON.stringify(r.class)}`);
    const costText = (r.unit_cost_cny ?? '').trim();
    const cost = costText === '' ? NaN : Number(costText);
    if (!Number.isFinite(cost) || cost < 0) throw new ContentError(`${at}: field "unit_cost_cny": expected a cost ≥ 0 CNY, got ${JSON.stringify(r.unit_cost_cny)}`);
    const dz = (r.department_zh ?? '').trim();
    const de = (r.department_en ?? '').trim();
    const item = {
      code: (r.code ?? '').trim(),
      cls,
      zh: (r.item_zh ?? '').trim(),
      en: (r.item_en ?? '').trim(),
      unit: (r.unit ?? '').trim(),
      unitCostCny: cost,
      costSource: (r.cost_source ?? '').trim() || null,
      funding: (r.funding ?? '').trim(),
      department: dz || de ? { zh: dz || de, en: de || dz } : null,
      refs: (r.refs ?? '').split(';').map((s) => s.trim()).filter(Boolean),
    };
    try {
      return checkItem(item, at);
    } catch (e) {
      // name the CSV column, not the internal field
      const m = (e as Error).message.replace(/field "(\w+)"/, (_, f: string) => `field "${CSV_FIELD[f] ?? f}"`);
      throw new ContentError(m);
    }
  });
  try {
    return validateCatalogue({ format: 'jiangbei-renovation-catalogue', version: 1, items });
  } catch (e) {
    throw new ContentError(`${file}: ${(e as Error).message.replace(/^catalogue: /, '')}`);
  }
}

const CSV_FIELD: Record<string, string> = { zh: 'item_zh', en: 'item_en', unitCostCny: 'unit_cost_cny', costSource: 'cost_source', cls: 'class' };

/** The catalogue as CSV rows (header first), for export; loadable again with catalogueFromRows. */
export function catalogueToRows(c: Catalogue): string[][] {
  return [
    [...CATALOGUE_COLUMNS],
    ...c.items.map((it) => [
      it.code,
      CLASS_INFO[it.cls].csv,
      it.zh,
      it.en,
      it.unit,
      String(it.unitCostCny),
      it.costSource ?? '',
      it.funding,
      it.department?.zh ?? '',
      it.department?.en ?? '',
      it.refs.join(';'),
    ]),
  ];
}

export function itemOf(c: Catalogue, code: string): CatalogueItem | undefined {
  return c.items.find((i) => i.code === code);
}

// ---------------------------------------------------------------- suggestions

/** A suggested line: an item with a quantity, why it is suggested and how the quantity was derived. */
export interface Suggestion {
  code: string;
  qty: number;
  origin: 'suggested' | 'survey';
  reason: Message;
  rule: Message;
}

type Rec = Pick<
  CommunityProps,
  'build_year' | 'housing_type' | 'households' | 'buildings' | 'floor_area_m2' | 'dangerous_buildings' | 'lift_demand' | 'property_mgmt' | 'illegal_cleared_share' | 'safety_hazard'
>;

/** Quantity rules of the basic package, each shown to the user beside the quantity. */
const QTY: Record<string, { f: (r: Rec) => number; zh: string; en: string }> = {
  RB01: { f: (r) => Math.round(r.floor_area_m2 / 6), zh: '建筑面积 ÷ 6 (按 6 层计屋面)', en: 'floor area ÷ 6 (roof of 6-storey blocks)' },
  RB02: { f: (r) => Math.round(r.floor_area_m2 * 0.5), zh: '建筑面积 × 0.5 (外墙面积)', en: 'floor area × 0.5 (facade area)' },
  RB03: { f: (r) => r.buildings * 50, zh: '幢数 × 50 m', en: 'buildings × 50 m' },
  RB04: { f: (r) => r.households, zh: '户数', en: 'households' },
  RB05: { f: (r) => r.households, zh: '户数', en: 'households' },
  RB06: { f: (r) => r.households, zh: '户数', en: 'households' },
  RB07: { f: (r) => Math.round(r.floor_area_m2 * 0.2), zh: '建筑面积 × 0.2 (道路面积)', en: 'floor area × 0.2 (road area)' },
  RB08: { f: (r) => r.buildings, zh: '幢数', en: 'buildings' },
  RB09: { f: () => 1, zh: '每小区 1 项', en: '1 per community' },
  RI01: { f: (r) => r.buildings, zh: '幢数', en: 'buildings' },
  RI02: { f: (r) => Math.round(r.floor_area_m2 * 0.1), zh: '建筑面积 × 0.1 (绿地面积)', en: 'floor area × 0.1 (green area)' },
  RI03: { f: (r) => r.buildings, zh: '幢数', en: 'buildings' },
  RI04: { f: (r) => Math.ceil(r.households / 20), zh: '每 20 户 1 处', en: '1 per 20 households' },
};

const ALWAYS = ['RB01', 'RB02', 'RB03', 'RB04', 'RB07', 'RB08', 'RB09', 'RI01', 'RI02', 'RI03', 'RI04'];
/** before 1990 the pipes are past their service life (gas and water renewal join the package) */
export const OLD_PIPES_BEFORE = 1990;

/** Facilities the life-circle analysis may find missing → the catalogue item that provides one on site. */
export const FACILITY_ITEM: Partial<Record<FacilityCategoryCode, string>> = {
  community_service: 'RU01',
  health_station: 'RU02',
  health_center: 'RU02',
  nursery: 'RU03',
  kindergarten: 'RU03',
  elderly_daycare: 'RU04',
  wet_market: 'RU05',
  convenience: 'RU05',
  culture_station: 'RU06',
  sports_ground: 'RI08',
  fitness: 'RI08',
  park: 'RI09',
};

const HOUSING: Record<CommunityProps['housing_type'], Message> = {
  commodity: { zh: '商品房', en: 'commodity housing' },
  danwei: { zh: '单位房', en: 'work-unit housing' },
  resettlement: { zh: '安置房', en: 'resettlement housing' },
};

function basicPackage(r: Rec): Suggestion[] {
  const year = r.build_year; // null = unknown: the old-pipe items are suggested for checking, and the reason says so
  const why: Message = {
    zh: year === null ? `基础包: 建成年代未知的${HOUSING[r.housing_type].zh}小区` : `基础包: ${year} 年建成的${HOUSING[r.housing_type].zh}小区`,
    en: year === null ? `basic package: ${HOUSING[r.housing_type].en}, build year unknown` : `basic package: ${HOUSING[r.housing_type].en} built in ${year}`,
  };
  const codes = [...ALWAYS];
  if (year === null || year < OLD_PIPES_BEFORE) codes.splice(4, 0, 'RB05', 'RB06');
  const out: Suggestion[] = codes.map((code) => {
    const q = QTY[code];
    const pipes =
      year === null
        ? { zh: `建成年代未知: 管网是否超使用年限需核实`, en: `build year unknown: check whether the pipes are past their service life` }
        : { zh: `${year} 年建成, ${OLD_PIPES_BEFORE} 年前的管网已超使用年限`, en: `built ${year}: pipes before ${OLD_PIPES_BEFORE} are past their service life` };
    const reason = code === 'RB05' || code === 'RB06' ? pipes : why;
    return { code, qty: q.f(r), origin: 'suggested', reason, rule: { zh: q.zh, en: q.en } };
  });
  if (r.housing_type !== 'commodity')
    out.push({ code: 'RI07', qty: 1, origin: 'suggested', reason: { zh: `${HOUSING[r.housing_type].zh}小区多为开放式, 需封闭管理`, en: `${HOUSING[r.housing_type].en} estates are often open: gates and walls for managed access` }, rule: { zh: '每小区 1 项', en: '1 per community' } });
  return out;
}

/**
 * The suggested starting plan of one community. `lacking` = the categories the life-circle analysis finds
 * missing (null when it has not run); `survey` adds the items residents want (群众需求集中).
 * Returns the lines and the missing categories no catalogue item provides (→ a what-if proposal instead).
 */
export function suggestPlan(
  r: Rec,
  catalogue: Catalogue,
  lacking: readonly FacilityCategoryCode[] | null,
  survey: Survey | null = null,
): { lines: Suggestion[]; unmatched: FacilityCategoryCode[] } {
  const lines = basicPackage(r);
  if (r.safety_hazard === 'confirmed')
    lines.push({ code: 'RB10', qty: 1, origin: 'suggested', reason: { zh: '安全隐患已确认', en: 'safety hazard confirmed' }, rule: { zh: '先按 1 幢列入, 按鉴定报告修改', en: '1 building to start; set from the survey report' } });
  if (r.dangerous_buildings > 0)
    lines.push({ code: 'RB11', qty: r.dangerous_buildings, origin: 'suggested', reason: { zh: `危房 ${r.dangerous_buildings} 幢`, en: `${r.dangerous_buildings} dangerous buildings` }, rule: { zh: '危房幢数', en: 'dangerous buildings' } });
  if (r.lift_demand > 0)
    lines.push({ code: 'RI10', qty: r.lift_demand, origin: 'suggested', reason: { zh: `${r.lift_demand} 幢有加装电梯意愿`, en: `${r.lift_demand} buildings want a lift` }, rule: { zh: '每幢有意愿的楼栋 1 台', en: '1 per building that wants one' } });
  const cleared = r.illegal_cleared_share; // null = unknown: suggested for checking, never taken as all cleared
  if (cleared === null || cleared < 1)
    lines.push({
      code: 'RI06',
      qty: 1,
      origin: 'suggested',
      reason:
        cleared === null
          ? { zh: '违建清零情况未知, 需核实', en: 'illegal structures: share cleared unknown, to be checked' }
          : { zh: `违建清零 ${(cleared * 100).toFixed(0)}%`, en: `illegal structures ${(cleared * 100).toFixed(0)}% cleared` },
      rule: { zh: '每小区 1 项', en: '1 per community' },
    });
  if (r.property_mgmt !== 'professional')
    lines.push({ code: 'RI13', qty: 1, origin: 'suggested', reason: r.property_mgmt === 'none' ? { zh: '无物业管理: 长效管理需引入物业', en: 'no property management: long-term management needs one' } : { zh: '自管小区: 长效管理需引入专业物业', en: 'self-managed: long-term management needs a professional firm' }, rule: { zh: '每小区 1 项', en: '1 per community' } });
  const unmatched: FacilityCategoryCode[] = [];
  const byItem = new Map<string, FacilityCategoryCode[]>();
  for (const cat of lacking ?? []) {
    const code = FACILITY_ITEM[cat];
    if (!code) unmatched.push(cat);
    else byItem.set(code, [...(byItem.get(code) ?? []), cat]);
  }
  for (const [code, cats] of byItem)
    lines.push({ code, qty: 1, origin: 'suggested', reason: { zh: `15 分钟生活圈缺: ${cats.join('、')}`, en: `missing in the 15-minute life circle: ${cats.join(', ')}` }, rule: { zh: '补 1 处', en: '1 site' } });
  for (const row of survey?.rows ?? []) {
    if (!isConcentrated(row)) continue;
    const reason = { zh: `群众需求集中: ${row.inFavour}/${row.asked} 户`, en: `residents' priority: ${row.inFavour} of ${row.asked} households` };
    const i = lines.findIndex((l) => l.code === row.code);
    if (i >= 0) lines[i] = { ...lines[i], origin: 'survey', reason: { zh: `${lines[i].reason.zh}; ${reason.zh}`, en: `${lines[i].reason.en}; ${reason.en}` } };
    else lines.push({ code: row.code, qty: 1, origin: 'survey', reason, rule: { zh: '居民提出, 数量请核定', en: 'asked by residents; set the quantity' } });
  }
  const known = lines.filter((l) => itemOf(catalogue, l.code));
  return { lines: known, unmatched };
}

// ---------------------------------------------------------------- cost

export interface LineCost {
  code: string;
  cls: ItemClass;
  qty: number;
  unitCostCny: number;
  costCny: number;
  funding: FundingLine;
}

export interface PlanCost {
  lines: LineCost[];
  byClass: Record<ItemClass, number>;
  baseCny: number;
  liftCny: number;
  dangerousCny: number;
  totalCny: number;
}

const fen = (cny: number) => Math.round(cny * 100);

/** Σ quantity × unit cost per line, class and funding line, exact to the fen. Unknown codes throw. */
export function costPlan(lines: readonly Pick<PlanLine, 'code' | 'qty'>[], catalogue: Catalogue): PlanCost {
  const byClass: Record<ItemClass, number> = { basic: 0, improve: 0, upgrade: 0 };
  let base = 0,
    lift = 0,
    danger = 0;
  const out: LineCost[] = lines.map((l) => {
    const it = itemOf(catalogue, l.code);
    if (!it) throw new ContentError(`content plan: item ${l.code} is not in the catalogue`);
    if (!Number.isFinite(l.qty) || l.qty < 0) throw new ContentError(`content plan: item ${l.code}: quantity must be ≥ 0, got ${l.qty}`);
    const f = fen(l.qty * it.unitCostCny);
    byClass[it.cls] += f;
    if (it.funding === 'base') base += f;
    else if (it.funding === 'dangerous_building_repair') danger += f;
    else lift += f;
    return { code: it.code, cls: it.cls, qty: l.qty, unitCostCny: it.unitCostCny, costCny: f / 100, funding: it.funding };
  });
  const c = (x: number) => x / 100;
  return {
    lines: out,
    byClass: { basic: c(byClass.basic), improve: c(byClass.improve), upgrade: c(byClass.upgrade) },
    baseCny: c(base),
    liftCny: c(lift),
    dangerousCny: c(danger),
    totalCny: c(base + lift + danger),
  };
}

/** Owners' funds of a plan: the sources entered, else the record's share of the total. */
export function ownerFundsOf(plan: ContentPlan, totalCny: number, share: number): number {
  if (plan.owners) return OWNER_SOURCE_KEYS.reduce((s, k) => s + fen(plan.owners![k]), 0) / 100;
  return Math.round(fen(totalCny) * share) / 100;
}

/** Investment of a community: item-based when it has a content plan with lines, else the floor-area estimate. */
export interface InvestmentFigure extends InvestmentEstimate {
  kind: 'items' | 'estimate';
  ownerFundsCny: number;
  byClass: Record<ItemClass, number> | null;
}

/**
 * THE investment of one community, for every view (bundles, pool, batches, charts, exports, sheets): the
 * item-based figure when a content plan exists, else the floor-area estimate (funding.ts), labelled
 * `kind: 'estimate'`.
 */
export function investmentOf(
  r: Pick<CommunityProps, 'floor_area_m2' | 'lift_demand' | 'dangerous_buildings' | 'owner_contribution_share'>,
  plan: ContentPlan | undefined,
  catalogue: Catalogue,
  params: CostParams = DEFAULT_COST_PARAMS,
): InvestmentFigure {
  if (plan && plan.lines.length > 0) {
    const c = costPlan(plan.lines, catalogue);
    return { kind: 'items', baseCny: c.baseCny, liftCny: c.liftCny, dangerousCny: c.dangerousCny, totalCny: c.totalCny, ownerFundsCny: ownerFundsOf(plan, c.totalCny, r.owner_contribution_share), byClass: c.byClass };
  }
  const e = communityInvestment(r, params);
  return { kind: 'estimate', ...e, ownerFundsCny: Math.round(fen(e.totalCny) * r.owner_contribution_share) / 100, byClass: null };
}

// ---------------------------------------------------------------- votes and versions

export type SchemeStatus = 'no-vote' | 'approved' | 'changed' | 'unlinked';

/**
 * Does the content still match what the owners approved? `votedVersion` is the content version recorded
 * with the latest vote of the kind (undefined when the vote recorded none; null when there is no vote).
 */
export function schemeStatus(planVersion: number, votedVersion: number | undefined | null): SchemeStatus {
  if (votedVersion === null) return 'no-vote';
  if (votedVersion === undefined) return 'unlinked';
  return votedVersion === planVersion ? 'approved' : 'changed';
}

// ---------------------------------------------------------------- district views

export interface ItemTotal {
  code: string;
  cls: ItemClass;
  qty: number;
  costCny: number;
  communities: number;
}

export interface ContentTotals {
  items: ItemTotal[];
  byClass: Record<ItemClass, { costCny: number; share: number }>;
  totalCny: number;
  /** communities with a content plan / without (their investment is the estimate, not counted here) */
  planned: number;
  unplanned: number;
}

/** Counts and costs per item and class over a set of communities (district, batch, bundle). */
export function contentTotals(ids: readonly string[], plans: Readonly<Record<string, ContentPlan>>, catalogue: Catalogue): ContentTotals {
  const items = new Map<string, ItemTotal>();
  const cls: Record<ItemClass, number> = { basic: 0, improve: 0, upgrade: 0 };
  let planned = 0;
  for (const id of ids) {
    const p = plans[id];
    if (!p || p.lines.length === 0) continue;
    planned++;
    for (const l of costPlan(p.lines, catalogue).lines) {
      const t = items.get(l.code) ?? { code: l.code, cls: l.cls, qty: 0, costCny: 0, communities: 0 };
      t.qty += l.qty;
      t.costCny = (fen(t.costCny) + fen(l.costCny)) / 100;
      t.communities += 1;
      items.set(l.code, t);
      cls[l.cls] += fen(l.costCny);
    }
  }
  const total = cls.basic + cls.improve + cls.upgrade;
  const share = (x: number) => (total === 0 ? 0 : x / total);
  const order = new Map(catalogue.items.map((it, i) => [it.code, i]));
  return {
    items: [...items.values()].sort((a, b) => order.get(a.code)! - order.get(b.code)!),
    byClass: {
      basic: { costCny: cls.basic / 100, share: share(cls.basic) },
      improve: { costCny: cls.improve / 100, share: share(cls.improve) },
      upgrade: { costCny: cls.upgrade / 100, share: share(cls.upgrade) },
    },
    totalCny: total / 100,
    planned,
    unplanned: ids.length - planned,
  };
}

/** A department's 专项 items: every planned line of the items it leads, per community. */
export function departmentItems(
  department: string,
  plans: Readonly<Record<string, ContentPlan>>,
  catalogue: Catalogue,
): { id: string; code: string; qty: number; costCny: number }[] {
  const codes = new Set(catalogue.items.filter((i) => i.department?.zh === department).map((i) => i.code));
  const out: { id: string; code: string; qty: number; costCny: number }[] = [];
  for (const [id, p] of Object.entries(plans))
    for (const l of costPlan(p.lines.filter((x) => codes.has(x.code)), catalogue).lines) out.push({ id, code: l.code, qty: l.qty, costCny: l.costCny });
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.code < b.code ? -1 : 1));
}

/** The departments leading separately funded items, in catalogue order. */
export function departments(catalogue: Catalogue): Message[] {
  const seen = new Map<string, Message>();
  for (const it of catalogue.items) if (it.department && !seen.has(it.department.zh)) seen.set(it.department.zh, it.department);
  return [...seen.values()];
}

// ---------------------------------------------------------------- the persisted slice

export interface ContentSliceData {
  version: 1;
  /** null = the default catalogue */
  catalogue: Catalogue | null;
  plans: Record<string, ContentPlan>;
  surveys: Record<string, Survey>;
}

function checkPlan(v: unknown, at: string): ContentPlan {
  if (!isObj(v)) throw new ContentError(`${at}: expected a content plan`);
  if (!Number.isInteger(v.version) || (v.version as number) < 1) throw new ContentError(`${at}.version: expected a whole number ≥ 1, got ${JSON.stringify(v.version)}`);
  if (!Array.isArray(v.lines)) throw new ContentError(`${at}.lines: expected a list`);
  const lines = v.lines.map((l, i): PlanLine => {
    const lp = `${at}.lines[${i}]`;
    if (!isObj(l)) throw new ContentError(`${lp}: expected a plan line`);
    if (typeof l.code !== 'string' || !l.code) throw new ContentError(`${lp}.code: expected an item code`);
    if (typeof l.qty !== 'number' || !Number.isFinite(l.qty) || l.qty < 0) throw new ContentError(`${lp}.qty: expected a quantity ≥ 0, got ${JSON.stringify(l.qty)}`);
    if (l.origin !== 'suggested' && l.origin !== 'survey' && l.origin !== 'office') throw new ContentError(`${lp}.origin: expected suggested, survey or office, got ${JSON.stringify(l.origin)}`);
    for (const k of ['reason', 'rule'] as const) if (l[k] !== null && !isMsg(l[k])) throw new ContentError(`${lp}.${k}: expected { zh, en } or null`);
    const m = (x: unknown) => (x === null ? null : { zh: (x as Message).zh, en: (x as Message).en });
    return { code: l.code, qty: l.qty, origin: l.origin, reason: m(l.reason), rule: m(l.rule) };
  });
  let owners: OwnerSources | null = null;
  if (v.owners !== null) {
    if (!isObj(v.owners)) throw new ContentError(`${at}.owners: expected the owners' sources or null`);
    const o = v.owners;
    for (const k of OWNER_SOURCE_KEYS)
      if (typeof o[k] !== 'number' || !Number.isFinite(o[k]) || (o[k] as number) < 0) throw new ContentError(`${at}.owners.${k}: expected an amount ≥ 0 CNY, got ${JSON.stringify(o[k])}`);
    owners = Object.fromEntries(OWNER_SOURCE_KEYS.map((k) => [k, o[k] as number])) as unknown as OwnerSources;
  }
  return { version: v.version as number, lines, owners };
}

/**
 * Strict validator of the persisted 'content' slice (autosave, project file). Throws naming the exact path
 * of the first problem, e.g. `content.plans["C07"].lines[2].qty: expected a quantity ≥ 0, got -1`;
 * lines must name items of the slice's catalogue.
 */
export function validateContentSlice(x: unknown): ContentSliceData {
  const wrap = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      throw new ContentError(`content.${(e as Error).message}`);
    }
  };
  if (!isObj(x)) throw new ContentError('content: expected an object');
  if (x.version !== 1) throw new ContentError(`content.version: unsupported content data version ${JSON.stringify(x.version)}`);
  const catalogue = x.catalogue === null || x.catalogue === undefined ? null : wrap(() => validateCatalogue(x.catalogue));
  if (!isObj(x.plans)) throw new ContentError('content.plans: expected an object keyed by community id');
  if (!isObj(x.surveys)) throw new ContentError('content.surveys: expected an object keyed by community id');
  const plans: Record<string, ContentPlan> = {};
  for (const [id, p] of Object.entries(x.plans)) plans[id] = wrap(() => checkPlan(p, `plans[${JSON.stringify(id)}]`));
  const surveys: Record<string, Survey> = {};
  for (const [id, s] of Object.entries(x.surveys)) {
    const at = `surveys[${JSON.stringify(id)}]`;
    if (!isObj(s) || !Array.isArray(s.rows)) throw new ContentError(`content.${at}: expected { source, rows }`);
    if (s.source !== null && typeof s.source !== 'string') throw new ContentError(`content.${at}.source: expected text or null`);
    surveys[id] = { source: s.source as string | null, rows: s.rows.map((r, i) => wrap(() => checkSurveyRow(r, `${at}.rows[${i}]`, ContentError))) };
  }
  return { version: 1, catalogue, plans, surveys };
}

/** Check that every line of every plan names an item of the catalogue (after a catalogue change). */
export function unknownItems(plans: Readonly<Record<string, ContentPlan>>, catalogue: Catalogue): { id: string; code: string }[] {
  const codes = new Set(catalogue.items.map((i) => i.code));
  return Object.entries(plans).flatMap(([id, p]) => p.lines.filter((l) => !codes.has(l.code)).map((l) => ({ id, code: l.code })));
}
