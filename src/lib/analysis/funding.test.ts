import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { deepFreeze, expectedOutput } from '../../../test/fixtures/bundle/harness';
import {
  DEFAULT_COST_PARAMS,
  estimateInvestment,
  FUNDING_RULES,
  fundProject,
  fundItems,
  NINGBO_2022_CNY_PER_M2,
  splitFunding,
  sumSplits,
  type FundableCommunity,
} from './funding';

const root = join(import.meta.dirname, '../../..');

describe('funding rules match geodata/standards/funding.yaml', () => {
  const y = load(readFileSync(join(root, 'geodata/standards/funding.yaml'), 'utf8')) as any;
  it('city:district 4:6 on the base, owners ≥ 5% of the total, exclusions', () => {
    expect(FUNDING_RULES.cityShareOfBase).toBe(y.funding.government_split.city);
    expect(FUNDING_RULES.districtShareOfBase).toBe(y.funding.government_split.district);
    expect(FUNDING_RULES.ownersMinShareOfTotal).toBe(y.funding.owners.min_share_of_total_investment);
    expect([...FUNDING_RULES.baseExcludes]).toEqual(y.funding.base_excludes);
    expect(FUNDING_RULES.ownersFirstShareGoesTo).toBe(y.funding.owners.first_5_percent_goes_to);
    expect(FUNDING_RULES.ownersExcessGoesTo).toBe(y.funding.owners.excess_goes_to);
  });
  it('default unit cost is the Ningbo 2022 benchmark', () => {
    expect(NINGBO_2022_CNY_PER_M2).toBe(y.benchmarks.derived.cny_per_m2_2022);
    expect(y.benchmarks.ningbo_2022.invest_cny / y.benchmarks.ningbo_2022.floor_area_m2).toBeCloseTo(NINGBO_2022_CNY_PER_M2, 1);
    expect(DEFAULT_COST_PARAMS.unitCostCnyPerM2).toBe(NINGBO_2022_CNY_PER_M2);
  });
});

describe('funding fixtures', () => {
  const dir = join(root, 'test/fixtures/funding/in');
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
    it(f, () => {
      const input = deepFreeze(JSON.parse(readFileSync(join(dir, f), 'utf8'))) as { properties: any; communities: FundableCommunity[] };
      const { why: _why, ...params } = input.properties;
      const split = fundProject(input.communities, { ...DEFAULT_COST_PARAMS, ...params });
      const out = JSON.parse(JSON.stringify({ properties: input.properties, split }));
      expect(out).toEqual(expectedOutput('funding', f, out));
    });
  }
});

describe('splitFunding', () => {
  const base = { baseCny: 10_000_000, liftCny: 0, dangerousCny: 0 };

  it('exactly 5% of the total complies; 1 fen less does not', () => {
    const ok = splitFunding({ ...base, ownerFundsCny: 500_000 });
    expect(ok.owners).toMatchObject({ requiredMinCny: 500_000, meetsMinimum: true, shortfallCny: 0, toMaintenanceFundCny: 0 });
    const short = splitFunding({ ...base, ownerFundsCny: 499_999.99 });
    expect(short.owners.meetsMinimum).toBe(false);
    expect(short.owners.shortfallCny).toBe(0.01);
  });

  it('splits the base 4:6 between city and district, the owners’ 5% counted inside the district share', () => {
    const s = splitFunding({ ...base, ownerFundsCny: 500_000 });
    expect(s.cityCny).toBe(4_000_000);
    expect(s.district).toEqual({ shareCny: 6_000_000, fromOwnersCny: 500_000, fiscalCny: 5_500_000 });
    expect(s.cityCny + s.district.fiscalCny + s.district.fromOwnersCny).toBe(s.baseCny);
  });

  it('sends owners’ money above 5% to the maintenance fund account', () => {
    const s = splitFunding({ ...base, ownerFundsCny: 800_000 });
    expect(s.district.fromOwnersCny).toBe(500_000);
    expect(s.owners.toMaintenanceFundCny).toBe(300_000);
    expect(s.district.fiscalCny).toBe(5_500_000);
  });

  it('keeps lifts and dangerous-building repair outside the base but inside the total', () => {
    const s = splitFunding({ baseCny: 10_000_000, liftCny: 1_800_000, dangerousCny: 500_000, ownerFundsCny: 0 });
    expect(s.totalCny).toBe(12_300_000);
    expect(s.cityCny).toBe(4_000_000); // 40% of the base only
    expect(s.outsideBase).toEqual({ liftCny: 1_800_000, dangerousCny: 500_000, totalCny: 2_300_000 });
    expect(s.owners.requiredMinCny).toBe(615_000); // 5% of the total, lifts included
  });

  it('shares add up to the fen for awkward amounts', () => {
    const s = splitFunding({ baseCny: 1234.57, liftCny: 0, dangerousCny: 0, ownerFundsCny: 0 });
    expect(Math.round((s.cityCny + s.district.shareCny) * 100)).toBe(123457);
  });

  it('rejects negative or non-numeric amounts with the field named', () => {
    expect(() => splitFunding({ ...base, ownerFundsCny: -1 })).toThrow(/owner funds/);
    expect(() => estimateInvestment({ floorAreaM2: NaN, lifts: 0, dangerousBuildings: 0 })).toThrow(/floor area/);
    expect(() => fundProject([{ floor_area_m2: 1, lift_demand: 0, dangerous_buildings: 0, owner_contribution_share: 1.5 }])).toThrow(/owner_contribution_share/);
  });
});

describe('estimates and sums', () => {
  it('estimates the base from floor area × unit cost', () => {
    expect(estimateInvestment({ floorAreaM2: 10_000, lifts: 0, dangerousBuildings: 0 }).baseCny).toBe(3_245_000);
    expect(estimateInvestment({ floorAreaM2: 10_000, lifts: 0, dangerousBuildings: 0 }, { ...DEFAULT_COST_PARAMS, unitCostCnyPerM2: 500 }).totalCny).toBe(5_000_000);
  });

  it('sums a plan’s projects and recomputes the owners’ share', () => {
    const a = splitFunding({ baseCny: 1_000_000, liftCny: 0, dangerousCny: 0, ownerFundsCny: 50_000 });
    const b = splitFunding({ baseCny: 3_000_000, liftCny: 0, dangerousCny: 0, ownerFundsCny: 100_000 });
    const s = sumSplits([a, b]);
    expect(s.totalCny).toBe(4_000_000);
    expect(s.owners.shareOfTotal).toBeCloseTo(0.0375, 6);
    expect(s.owners.meetsMinimum).toBe(false);
    expect(s.owners.shortfallCny).toBe(50_000);
  });
});

describe('fundItems: item-based funding with owners’ sources', () => {
  const cost = { baseCny: 8_000_000, liftCny: 1_200_000, dangerousCny: 800_000 }; // total 10,000,000
  const owners = (direct: number) => ({ maintenance_fund: 300_000, public_income: 100_000, direct, social: 0 });
  it('exactly 5% of the total passes; nothing to the maintenance fund', () => {
    const s = fundItems(cost, owners(100_000));
    expect(s.totalCny).toBe(10_000_000);
    expect(s.owners).toMatchObject({ fundsCny: 500_000, requiredMinCny: 500_000, meetsMinimum: true, toMaintenanceFundCny: 0 });
    expect(s.sources.maintenance_fund).toBe(300_000);
  });
  it('4.99% fails with the shortfall to the fen', () => {
    const s = fundItems(cost, owners(99_000));
    expect(s.owners.shareOfTotal).toBeCloseTo(0.0499, 10);
    expect(s.owners).toMatchObject({ meetsMinimum: false, shortfallCny: 1_000 });
  });
  it('city 40% / district 60% of the base only; the first 5% in the district share, the excess to the maintenance fund', () => {
    const s = fundItems(cost, owners(400_000)); // 800,000 = 8%
    expect(s.cityCny).toBe(3_200_000);
    expect(s.district).toEqual({ shareCny: 4_800_000, fromOwnersCny: 500_000, fiscalCny: 4_300_000 });
    expect(s.outsideBase.totalCny).toBe(2_000_000);
    expect(s.owners.toMaintenanceFundCny).toBe(300_000);
  });
  it('refuses a negative source naming it', () => {
    expect(() => fundItems(cost, owners(-1))).toThrow(/owners' direct/);
  });
});
