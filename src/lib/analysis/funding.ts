/**
 * Investment estimate and funding split of a renovation project (one community or one bundle tendered
 * as a package), following section 三 资金筹措 of
 * 《江北区城镇老旧小区改造三年行动方案(2020-2022年)》(北区政办发〔2020〕11号), encoded in
 * geodata/standards/funding.yaml (funding.test.ts checks these constants against that file):
 *
 *  - Base (资金基数): the approved final accounts, EXCLUDING lift renewal, lift installation and
 *    dangerous-building repair (电梯更新、加装电梯、危房解危), which follow their own subsidy rules
 *    (按原政策执行) and are reported here as separate lines outside the base.
 *  - City and district finance share the base 4:6 (市、区两级财政按资金基数 4:6 承担).
 *  - Owners and social capital together contribute at least 5% of the TOTAL investment
 *    (业主和社会力量共同出资总额应不小于总投的5%); exactly 5% complies.
 *  - The owners' money up to 5% of the total counts inside the district's 60% (纳入区级财政出资范围);
 *    anything above goes to the property's special maintenance fund account (划转至物业专项维修资金账户).
 *
 * Estimated cost before accounts exist: floor area × unit cost. The default unit cost, 324.5 CNY/m², is
 * the Ningbo 2022 benchmark (3.43 bn CNY over 10.57 million m², funding.yaml `benchmarks`). Lift and
 * dangerous-building costs per item are NOT in the plan: their defaults below are our assumptions (INF),
 * editable, and labelled as such wherever shown.
 *
 * With a content plan (analysis/content.ts) a community's investment is item-based instead: Σ quantity ×
 * unit cost, base and separately funded items apart, owners' funds by source; `CostContext.planned`
 * carries those figures into every computation here (bundles, pool, batches, charts).
 *
 * All money is computed in integer fen (0.01 CNY) so shares add up exactly and the 5% boundary is exact;
 * results are returned in CNY. Pure; O(1) per project, O(n) over a list.
 */
import type { CommunityProps } from '../domain/types';

export const FUNDING_SOURCE = '《江北区城镇老旧小区改造三年行动方案(2020-2022年)》(北区政办发〔2020〕11号) 三、资金筹措';

/** The plan's rules as numbers (mirrors geodata/standards/funding.yaml). */
export const FUNDING_RULES = Object.freeze({
  cityShareOfBase: 0.4,
  districtShareOfBase: 0.6,
  ownersMinShareOfTotal: 0.05,
  /** owners' money up to the minimum counts inside the district share */
  ownersFirstShareGoesTo: 'district_share' as const,
  ownersExcessGoesTo: 'maintenance_fund_account' as const,
  baseExcludes: Object.freeze(['lift_renewal', 'lift_installation', 'dangerous_building_repair'] as const),
});

/** Ningbo 2022 benchmark: 3.43e9 CNY / 10,570,000 m² = 324.5 CNY/m² (funding.yaml benchmarks.derived). */
export const NINGBO_2022_CNY_PER_M2 = 324.5;

export interface CostParams {
  /** renovation cost per m² of floor area (base items) */
  unitCostCnyPerM2: number;
  /** cost of one lift retrofit (加装电梯), outside the base */
  liftCostCnyEach: number;
  /** cost of making one dangerous building safe (危房解危), outside the base */
  dangerousRepairCnyEach: number;
}

export const DEFAULT_COST_PARAMS: Readonly<CostParams> = Object.freeze({
  unitCostCnyPerM2: NINGBO_2022_CNY_PER_M2,
  // INF (our assumption, not from the plan): a typical reported cost of one retrofitted lift in Zhejiang
  // old estates is 0.5–0.8 million CNY; 0.6 million is used as an editable default.
  liftCostCnyEach: 600_000,
  // INF (our assumption): a lump sum per dangerous building for 解危 works, editable.
  dangerousRepairCnyEach: 500_000,
});

/** Which cost parameters are normative (from a cited source) and which are our editable assumptions. */
export const COST_PARAM_SOURCES: Record<keyof CostParams, { assumption: boolean; source: string }> = {
  unitCostCnyPerM2: { assumption: false, source: 'Ningbo 2022 benchmark (funding.yaml benchmarks.ningbo_2022)' },
  liftCostCnyEach: { assumption: true, source: 'INF: editable assumption' },
  dangerousRepairCnyEach: { assumption: true, source: 'INF: editable assumption' },
};

export interface CostInput {
  floorAreaM2: number;
  /** number of lift retrofits wanted (CommunityProps.lift_demand) */
  lifts: number;
  /** number of dangerous buildings to repair (CommunityProps.dangerous_buildings) */
  dangerousBuildings: number;
}

export interface InvestmentEstimate {
  baseCny: number;
  liftCny: number;
  dangerousCny: number;
  totalCny: number;
}

export interface FundingInput {
  /** cost of base items (the 资金基数), CNY */
  baseCny: number;
  /** lift renewal/installation, outside the base, CNY */
  liftCny: number;
  /** dangerous-building repair, outside the base, CNY */
  dangerousCny: number;
  /** owners' and social capital's contribution, CNY */
  ownerFundsCny: number;
}

export interface FundingSplit {
  totalCny: number;
  baseCny: number;
  outsideBase: { liftCny: number; dangerousCny: number; totalCny: number };
  /** city finance: 40% of the base */
  cityCny: number;
  /** the district's 60% of the base, of which `fromOwnersCny` is the owners' money counted in it */
  district: { shareCny: number; fromOwnersCny: number; fiscalCny: number };
  owners: {
    fundsCny: number;
    /** 5% of the total investment */
    requiredMinCny: number;
    /** owners' funds as a share of the total (0 when the total is 0) */
    shareOfTotal: number;
    meetsMinimum: boolean;
    shortfallCny: number;
    /** the part above the minimum, transferred to the maintenance fund account */
    toMaintenanceFundCny: number;
  };
}

function checkMoney(name: string, v: number): void {
  if (!Number.isFinite(v) || v < 0) throw new Error(`funding: ${name} must be a finite amount ≥ 0 CNY, got ${v}`);
}

const fen = (cny: number) => Math.round(cny * 100);
const cny = (f: number) => f / 100;

export function estimateInvestment(input: CostInput, params: CostParams = DEFAULT_COST_PARAMS): InvestmentEstimate {
  checkMoney('floor area', input.floorAreaM2);
  checkMoney('lifts', input.lifts);
  checkMoney('dangerous buildings', input.dangerousBuildings);
  checkMoney('unit cost', params.unitCostCnyPerM2);
  checkMoney('lift cost', params.liftCostCnyEach);
  checkMoney('dangerous-building repair cost', params.dangerousRepairCnyEach);
  const base = fen(input.floorAreaM2 * params.unitCostCnyPerM2);
  const lift = fen(input.lifts * params.liftCostCnyEach);
  const danger = fen(input.dangerousBuildings * params.dangerousRepairCnyEach);
  return { baseCny: cny(base), liftCny: cny(lift), dangerousCny: cny(danger), totalCny: cny(base + lift + danger) };
}

/** Split one project's investment between city, district and owners, by the plan's rules. */
export function splitFunding(input: FundingInput): FundingSplit {
  checkMoney('base', input.baseCny);
  checkMoney('lift cost', input.liftCny);
  checkMoney('dangerous-building cost', input.dangerousCny);
  checkMoney('owner funds', input.ownerFundsCny);
  const base = fen(input.baseCny);
  const lift = fen(input.liftCny);
  const danger = fen(input.dangerousCny);
  const owners = fen(input.ownerFundsCny);
  const total = base + lift + danger;
  const required = Math.round(total * FUNDING_RULES.ownersMinShareOfTotal);
  const districtShare = Math.round(base * FUNDING_RULES.districtShareOfBase);
  const city = base - districtShare; // the remainder, so city + district = base to the fen
  // owners' money counts inside the district share up to 5% of the total (and never beyond that share)
  const fromOwners = Math.min(owners, required, districtShare);
  const toMaintenance = owners - fromOwners;
  return {
    totalCny: cny(total),
    baseCny: cny(base),
    outsideBase: { liftCny: cny(lift), dangerousCny: cny(danger), totalCny: cny(lift + danger) },
    cityCny: cny(city),
    district: { shareCny: cny(districtShare), fromOwnersCny: cny(fromOwners), fiscalCny: cny(districtShare - fromOwners) },
    owners: {
      fundsCny: cny(owners),
      requiredMinCny: cny(required),
      shareOfTotal: total === 0 ? 0 : owners / total,
      meetsMinimum: owners >= required,
      shortfallCny: cny(Math.max(0, required - owners)),
      toMaintenanceFundCny: cny(toMaintenance),
    },
  };
}

/** The cost drivers of one community record. */
export function communityCostInput(c: Pick<CommunityProps, 'floor_area_m2' | 'lift_demand' | 'dangerous_buildings'>): CostInput {
  return { floorAreaM2: c.floor_area_m2, lifts: c.lift_demand, dangerousBuildings: c.dangerous_buildings };
}

export type FundableCommunity = Pick<CommunityProps, 'floor_area_m2' | 'lift_demand' | 'dangerous_buildings' | 'owner_contribution_share'> & { id?: string };

/** Item-based investment of a community with a content plan (analysis/content.ts), with its owners' funds. */
export interface PlannedInvestment extends InvestmentEstimate {
  ownerFundsCny: number;
}

/**
 * Cost parameters plus, optionally, the item-based investment of the communities that have a content plan
 * (keyed by community id): those replace the floor-area estimate wherever investment is computed.
 */
export type CostContext = CostParams & { planned?: Readonly<Record<string, PlannedInvestment>> };

/**
 * Investment of one community: its item-based figure when `params.planned` has one for its id, else the
 * estimate (floor area × unit cost, plus lifts and repairs outside the base).
 */
export function communityInvestment(c: FundableCommunity, params: CostContext = DEFAULT_COST_PARAMS): InvestmentEstimate {
  const p = c.id !== undefined ? params.planned?.[c.id] : undefined;
  if (p) return { baseCny: p.baseCny, liftCny: p.liftCny, dangerousCny: p.dangerousCny, totalCny: p.totalCny };
  return estimateInvestment(communityCostInput(c), params);
}

// ---- owners' contribution by source (item-based plans)

/** Sources that count as owners' funds (funding.yaml owners.counts_as_owner_funds, grouped for entry). */
export const OWNER_SOURCE_KEYS = ['maintenance_fund', 'public_income', 'direct', 'social'] as const;
export type OwnerSourceKey = (typeof OWNER_SOURCE_KEYS)[number];
export type OwnerSources = Record<OwnerSourceKey, number>;
export const OWNER_SOURCE_INFO: Record<OwnerSourceKey, { zh: string; en: string }> = {
  maintenance_fund: { zh: '住宅专项维修资金', en: 'maintenance fund' },
  public_income: { zh: '小区公共收益', en: 'community public income' },
  direct: { zh: '业主直接出资', en: 'direct contribution' },
  social: { zh: '社会力量/企业捐资', en: 'social capital / donations' },
};

/**
 * Funding of an item-based plan: the base (items inside it), the separately funded items, and the owners'
 * sources summed, through the plan's rules (splitFunding: 4:6 on the base, owners ≥ 5% of the total, the
 * first 5% credited to the district share, the excess to the maintenance fund account).
 */
export function fundItems(cost: { baseCny: number; liftCny: number; dangerousCny: number }, owners: OwnerSources): FundingSplit & { sources: OwnerSources } {
  for (const k of OWNER_SOURCE_KEYS) checkMoney(`owners' ${k}`, owners[k]);
  const funds = OWNER_SOURCE_KEYS.reduce((s, k) => s + fen(owners[k]), 0);
  return { ...splitFunding({ ...cost, ownerFundsCny: cny(funds) }), sources: { ...owners } };
}

/**
 * Funding of several communities tendered as ONE project (a bundle): costs and owners' contributions are
 * summed first (each community's owners pay `owner_contribution_share` of that community's own total),
 * then the plan's rules apply to the package as a whole.
 */
export function fundProject(communities: readonly FundableCommunity[], params: CostContext = DEFAULT_COST_PARAMS): FundingSplit {
  let base = 0,
    lift = 0,
    danger = 0,
    owners = 0;
  for (const c of communities) {
    const e = communityInvestment(c, params);
    const share = c.owner_contribution_share;
    if (!(share >= 0 && share <= 1)) throw new Error(`funding: owner_contribution_share must be within 0..1, got ${share}`);
    base += fen(e.baseCny);
    lift += fen(e.liftCny);
    danger += fen(e.dangerousCny);
    // a content plan's owners' funds (its sources) replace the record's share
    const planned = c.id !== undefined ? params.planned?.[c.id] : undefined;
    owners += planned ? fen(planned.ownerFundsCny) : Math.round(fen(e.totalCny) * share);
  }
  return splitFunding({ baseCny: cny(base), liftCny: cny(lift), dangerousCny: cny(danger), ownerFundsCny: cny(owners) });
}

/** Sum of several projects' splits (the overall figures of a bundle plan). Shares are recomputed. */
export function sumSplits(splits: readonly FundingSplit[]): FundingSplit {
  const s = (f: (x: FundingSplit) => number) => cny(splits.reduce((a, x) => a + fen(f(x)), 0));
  const total = s((x) => x.totalCny);
  const funds = s((x) => x.owners.fundsCny);
  return {
    totalCny: total,
    baseCny: s((x) => x.baseCny),
    outsideBase: { liftCny: s((x) => x.outsideBase.liftCny), dangerousCny: s((x) => x.outsideBase.dangerousCny), totalCny: s((x) => x.outsideBase.totalCny) },
    cityCny: s((x) => x.cityCny),
    district: { shareCny: s((x) => x.district.shareCny), fromOwnersCny: s((x) => x.district.fromOwnersCny), fiscalCny: s((x) => x.district.fiscalCny) },
    owners: {
      fundsCny: funds,
      requiredMinCny: s((x) => x.owners.requiredMinCny),
      shareOfTotal: total === 0 ? 0 : funds / total,
      meetsMinimum: splits.every((x) => x.owners.meetsMinimum),
      shortfallCny: s((x) => x.owners.shortfallCny),
      toMaintenanceFundCny: s((x) => x.owners.toMaintenanceFundCny),
    },
  };
}
