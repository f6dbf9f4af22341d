import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { load } from 'js-yaml';
import { deepFreeze, expectedOutput } from '../../../test/fixtures/bundle/harness';
import { DEFAULT_CATALOGUE, defaultCatalogue } from '../domain/catalogue-default';
import {
  CLASS_INFO,
  catalogueFromRows,
  catalogueToRows,
  contentTotals,
  costPlan,
  departmentItems,
  investmentOf,

  schemeStatus,
  suggestPlan,
  unknownItems,
  validateCatalogue,
  validateContentSlice,
  type ContentPlan,
} from './content';
import { communityInvestment, fundProject } from './funding';
import { lineSource } from './survey';
import type { CommunityProps } from '../domain/types';

type Rec = Pick<CommunityProps, 'id' | 'build_year' | 'housing_type' | 'households' | 'buildings' | 'floor_area_m2' | 'dangerous_buildings' | 'lift_demand' | 'property_mgmt' | 'illegal_cleared_share' | 'safety_hazard' | 'owner_contribution_share'>;

const root = join(import.meta.dirname, '../../..');
const readCsv = (f: string) => Papa.parse<Record<string, string>>(readFileSync(join(root, f), 'utf8'), { header: true, skipEmptyLines: true }).data;

describe('default catalogue vs geodata/standards/renovation-catalogue.csv', () => {
  const csv = readCsv('geodata/standards/renovation-catalogue.csv');
  it('is the CSV read by the loader (codes, classes, names, units, costs, funding, departments, refs)', () => {
    expect(catalogueFromRows(csv, 'renovation-catalogue.csv')).toEqual(DEFAULT_CATALOGUE);
  });
  it('every referenced row exists in the national / Ningbo item lists (or is funding.yaml), in the same class', () => {
    const lists = [...readCsv('geodata/standards/renovation-items-national.csv'), ...readCsv('geodata/standards/renovation-items-ningbo.csv')];
    const classOf = new Map(lists.map((r) => [r.code, r.class.slice(0, 3)]));
    for (const it of DEFAULT_CATALOGUE.items)
      for (const ref of it.refs) {
        if (ref === 'funding.yaml') continue;
        expect(classOf.has(ref), `${it.code} refers to ${ref}`).toBe(true);
      }
    // an item's class is the class of its first (main) reference
    for (const it of DEFAULT_CATALOGUE.items) if (it.refs[0] !== 'funding.yaml') expect(classOf.get(it.refs[0]), it.code).toBe(CLASS_INFO[it.cls].csv);
  });
  it('the separately funded items are exactly funding.yaml base_excludes, each with a lead department', () => {
    const y = load(readFileSync(join(root, 'geodata/standards/funding.yaml'), 'utf8')) as { funding: { base_excludes: string[] } };
    const sep = DEFAULT_CATALOGUE.items.filter((i) => i.funding !== 'base');
    expect(new Set(sep.map((i) => i.funding))).toEqual(new Set(y.funding.base_excludes));
    for (const i of sep) expect(i.department, i.code).not.toBeNull();
  });
  it('every default cost is labelled as our assumption', () => {
    expect(DEFAULT_CATALOGUE.items.every((i) => i.costSource === null)).toBe(true);
  });
});

describe('catalogue files', () => {
  const rows = (c = defaultCatalogue()) => {
    const [h, ...body] = catalogueToRows(c);
    return body.map((r) => Object.fromEntries(h.map((k, i) => [k, r[i]])));
  };
  it('export → load gives the same catalogue, edits included', () => {
    const c = defaultCatalogue();
    c.items[0].unitCostCny = 175;
    c.items[0].costSource = '2021 tender, 孔浦';
    expect(catalogueFromRows(rows(c), 'x.csv')).toEqual(c);
  });
  it('a broken file is refused naming the file, row and field', () => {
    const r = rows();
    r[4].unit_cost_cny = 'abc';
    expect(() => catalogueFromRows(r, 'items.csv')).toThrow('items.csv: row 6: field "unit_cost_cny": expected a cost ≥ 0 CNY, got "abc"');
    const r2 = rows();
    r2[0].unit = 'km';
    expect(() => catalogueFromRows(r2, 'items.csv')).toThrow(/items.csv: row 2: field "unit": expected one of/);
    const r3 = rows();
    r3[1].class = '其他类';
    expect(() => catalogueFromRows(r3, 'items.csv')).toThrow(/row 3: field "class"/);
    const r4 = rows();
    r4[2].code = r4[1].code;
    expect(() => catalogueFromRows(r4, 'items.csv')).toThrow(/items\[2\]: field "code": duplicate code RB02/);
    const r5 = rows().map(({ funding: _f, ...rest }) => rest);
    expect(() => catalogueFromRows(r5 as Record<string, string>[], 'items.csv')).toThrow('items.csv: missing column "funding"');
  });
  it('validateCatalogue refuses a JSON catalogue naming the field', () => {
    const c = defaultCatalogue() as unknown as { items: Record<string, unknown>[] };
    c.items[3].funding = 'city';
    expect(() => validateCatalogue(c)).toThrow('catalogue: items[3]: field "funding": expected one of base, lift_installation, lift_renewal, dangerous_building_repair, got "city"');
  });
});

describe('suggestion fixtures (test/fixtures/content)', () => {
  const dir = join(root, 'test/fixtures/content/in');
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
    it(f, () => {
      const input = deepFreeze(JSON.parse(readFileSync(join(dir, f), 'utf8')));
      const s = suggestPlan(input.record, DEFAULT_CATALOGUE, input.lacking, input.survey);
      const cost = costPlan(s.lines, DEFAULT_CATALOGUE);
      const out = JSON.parse(JSON.stringify({ properties: input.properties, suggested: s, cost: { byClass: cost.byClass, baseCny: cost.baseCny, liftCny: cost.liftCny, dangerousCny: cost.dangerousCny, totalCny: cost.totalCny } }));
      expect(out).toEqual(expectedOutput('content', f, out));
    });
  }
});

const rec: Rec = deepFreeze({
  id: 'T1',
  build_year: 1995,
  housing_type: 'commodity',
  households: 600,
  buildings: 20,
  floor_area_m2: 48000,
  dangerous_buildings: 0,
  lift_demand: 0,
  property_mgmt: 'professional',
  illegal_cleared_share: 1,
  safety_hazard: 'none',
  owner_contribution_share: 0.05,
});

describe('suggestion rules, one at a time', () => {
  const codes = (r: Partial<typeof rec>, lacking: string[] | null = null) =>
    suggestPlan({ ...rec, ...r }, DEFAULT_CATALOGUE, lacking as never).lines.map((l) => l.code);
  const line = (r: Partial<typeof rec>, code: string) => suggestPlan({ ...rec, ...r }, DEFAULT_CATALOGUE, null).lines.find((l) => l.code === code);
  it('危房 count → dangerous-building repair, one per building', () => {
    expect(codes({})).not.toContain('RB11');
    expect(line({ dangerous_buildings: 2 }, 'RB11')).toMatchObject({ qty: 2, reason: { zh: '危房 2 幢' } });
  });
  it('lift demand → one lift per building that wants one', () => {
    expect(codes({})).not.toContain('RI10');
    expect(line({ lift_demand: 5 }, 'RI10')).toMatchObject({ qty: 5, rule: { zh: '每幢有意愿的楼栋 1 台' } });
  });
  it('no professional property management → 引入物业', () => {
    expect(codes({})).not.toContain('RI13');
    expect(codes({ property_mgmt: 'self' })).toContain('RI13');
    expect(codes({ property_mgmt: 'none' })).toContain('RI13');
  });
  it('a missing facility → its item; a category without an item is reported', () => {
    const s = suggestPlan(rec, DEFAULT_CATALOGUE, ['health_station', 'metro']);
    expect(s.lines.map((l) => l.code)).toContain('RU02');
    expect(s.unmatched).toEqual(['metro']);
  });
  it('build year: gas and water renewal only before 1990', () => {
    expect(codes({ build_year: 1989 })).toEqual(expect.arrayContaining(['RB05', 'RB06']));
    expect(codes({ build_year: 1990 })).not.toContain('RB05');
  });
  it('housing type: gates and walls for work-unit and resettlement estates', () => {
    expect(codes({ housing_type: 'resettlement' })).toContain('RI07');
    expect(codes({})).not.toContain('RI07');
  });
  it('quantities follow the record with the rule shown', () => {
    expect(line({}, 'RB01')).toMatchObject({ qty: 8000, rule: { zh: '建筑面积 ÷ 6 (按 6 层计屋面)' } });
    expect(line({}, 'RI04')).toMatchObject({ qty: 30 });
  });
});

describe('cost and investment', () => {
  const plan: ContentPlan = deepFreeze({
    version: 3,
    owners: null,
    lines: [
      { code: 'RB07', qty: 1000, origin: 'office', reason: null, rule: null },
      { code: 'RI10', qty: 2, origin: 'suggested', reason: null, rule: null },
      { code: 'RB11', qty: 1, origin: 'suggested', reason: null, rule: null },
      { code: 'RU01', qty: 1, origin: 'survey', reason: null, rule: null },
    ],
  });
  it('total = Σ qty × unit cost; lifts and dangerous-building repair outside the base', () => {
    const c = costPlan(plan.lines, DEFAULT_CATALOGUE);
    expect(c.baseCny).toBe(1000 * 200 + 800_000);
    expect(c.liftCny).toBe(1_200_000);
    expect(c.dangerousCny).toBe(500_000);
    expect(c.totalCny).toBe(c.lines.reduce((s, l) => s + l.costCny, 0));
    expect(c.byClass).toEqual({ basic: 700_000, improve: 1_200_000, upgrade: 800_000 });
  });
  it('an unknown item is refused naming it', () => {
    expect(() => costPlan([{ code: 'ZZ9', qty: 1 }], DEFAULT_CATALOGUE)).toThrow('item ZZ9 is not in the catalogue');
  });
  it('investmentOf: item-based with a plan, the labelled estimate without one', () => {
    expect(investmentOf(rec, plan, DEFAULT_CATALOGUE)).toMatchObject({ kind: 'items', totalCny: 2_700_000, ownerFundsCny: 135_000 });
    const est = investmentOf(rec, undefined, DEFAULT_CATALOGUE);
    expect(est.kind).toBe('estimate');
    expect(est.totalCny).toBe(communityInvestment(rec).totalCny);
    expect(investmentOf(rec, { ...plan, lines: [] }, DEFAULT_CATALOGUE).kind).toBe('estimate');
  });
  it('owners’ sources replace the record share', () => {
    const withOwners = { ...plan, owners: { maintenance_fund: 100_000, public_income: 20_000, direct: 15_000, social: 0 } };
    expect(investmentOf(rec, withOwners, DEFAULT_CATALOGUE).ownerFundsCny).toBe(135_000);
  });
  it('a bundle uses the item-based figure of a planned member and the estimate of the other', () => {
    const inv = investmentOf(rec, plan, DEFAULT_CATALOGUE);
    const other = { ...rec, id: 'T2' };
    const split = fundProject([rec, other], { ...investmentParams(), planned: { T1: inv } });
    expect(split.totalCny).toBe(inv.totalCny + communityInvestment(other).totalCny);
    expect(split.outsideBase.liftCny).toBe(1_200_000 + communityInvestment(other).liftCny);
  });
});

function investmentParams() {
  return { unitCostCnyPerM2: 324.5, liftCostCnyEach: 600_000, dangerousRepairCnyEach: 500_000 };
}

describe('votes reference the content version', () => {
  it('flags a scheme changed after its vote', () => {
    expect(schemeStatus(4, null)).toBe('no-vote');
    expect(schemeStatus(4, 4)).toBe('approved');
    expect(schemeStatus(5, 4)).toBe('changed');
    expect(schemeStatus(4, undefined)).toBe('unlinked');
  });
  it('residents asked vs office added', () => {
    const survey = { source: null, rows: [{ code: 'RI14', inFavour: 2, asked: 3 }, { code: 'RI01', inFavour: 1, asked: 3 }] };
    expect(lineSource('RI14', survey)).toBe('residents');
    expect(lineSource('RI01', survey)).toBe('office');
    expect(lineSource('RI14', null)).toBe('office');
  });
});

describe('district views', () => {
  const p = (lines: [string, number][]): ContentPlan => ({ version: 1, owners: null, lines: lines.map(([code, qty]) => ({ code, qty, origin: 'office', reason: null, rule: null })) });
  const plans = deepFreeze({ A: p([['RI10', 3], ['RB07', 100]]), B: p([['RI10', 2]]), C: p([]) });
  it('counts and costs per item and class, shares of the total', () => {
    const t = contentTotals(['A', 'B', 'C', 'D'], plans, DEFAULT_CATALOGUE);
    expect(t.items.find((i) => i.code === 'RI10')).toEqual({ code: 'RI10', cls: 'improve', qty: 5, costCny: 3_000_000, communities: 2 });
    expect(t.byClass.basic.costCny).toBe(20_000);
    expect(t.byClass.improve.share + t.byClass.basic.share + t.byClass.upgrade.share).toBeCloseTo(1, 12);
    expect(t).toMatchObject({ planned: 2, unplanned: 2, totalCny: 3_020_000 });
    expect(contentTotals(['B'], plans, DEFAULT_CATALOGUE).totalCny).toBe(1_200_000);
  });
  it("a department sees its 专项 items only", () => {
    const rows = departmentItems('区住房和城乡建设局', plans, DEFAULT_CATALOGUE);
    expect(rows).toEqual([
      { id: 'A', code: 'RI10', qty: 3, costCny: 1_800_000 },
      { id: 'B', code: 'RI10', qty: 2, costCny: 1_200_000 },
    ]);
  });
});

describe('content slice validation', () => {
  const good = { version: 1, catalogue: null, plans: { C1: { version: 2, owners: null, lines: [{ code: 'RB01', qty: 10, origin: 'office', reason: null, rule: null }] } }, surveys: { C1: { source: 'a.csv', rows: [{ code: 'RB01', inFavour: 2, asked: 3 }] } } };
  it('accepts a good slice and returns an equal copy', () => {
    expect(validateContentSlice(good)).toEqual(good);
  });
  it('refuses bad data naming the path', () => {
    const bad = structuredClone(good) as any;
    bad.plans.C1.lines[0].qty = -1;
    expect(() => validateContentSlice(bad)).toThrow('content.plans["C1"].lines[0].qty: expected a quantity ≥ 0, got -1');
    const bad2 = structuredClone(good) as any;
    bad2.surveys.C1.rows[0].inFavour = 4;
    expect(() => validateContentSlice(bad2)).toThrow(/content.surveys\["C1"\].rows\[0\]: field "inFavour": 4 in favour is more than the 3/);
    const bad3 = structuredClone(good) as any;
    bad3.plans.C1.owners = { maintenance_fund: 1, public_income: 0, direct: 'x', social: 0 };
    expect(() => validateContentSlice(bad3)).toThrow(/owners.direct: expected an amount/);
  });
  it('unknownItems lists lines whose item left the catalogue', () => {
    const c = defaultCatalogue();
    c.items = c.items.filter((i) => i.code !== 'RB01');
    expect(unknownItems(good.plans as never, c)).toEqual([{ id: 'C1', code: 'RB01' }]);
  });
});
