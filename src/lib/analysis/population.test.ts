import { describe, expect, it } from 'vitest';
import { districtHouseholdSize, FALLBACK_HOUSEHOLD_SIZE, populationOf, populationStatus, withEstimatedResidents } from './population';
import type { CommunityProps } from '../domain/types';

const rec = (id: string, households: number, residents: number) => Object.freeze({ id, households, residents }) as unknown as CommunityProps;

describe('population estimate', () => {
  // an imported register: two communities with residents, one with households only, one with neither
  const recs = Object.freeze([rec('A', 400, 1000), rec('B', 600, 1400), rec('C', 300, 0), rec('D', 0, 0)]);

  it("takes the default household size from the district's own figures (residents ÷ households where both exist)", () => {
    expect(districtHouseholdSize(recs)).toBe(2.4);
    expect(districtHouseholdSize([rec('C', 300, 0)])).toBeNull();
    expect(FALLBACK_HOUSEHOLD_SIZE).toBeGreaterThan(0);
  });

  it('a missing residents column gives households × household size, labelled as an estimate', () => {
    expect(populationOf(recs[2], 2.4)).toEqual({ residents: 720, kind: 'estimated' });
    expect(populationOf(recs[0], 2.4)).toEqual({ residents: 1000, kind: 'recorded' });
    const out = withEstimatedResidents(recs, 2.4);
    expect(out.map((p) => p.residents)).toEqual([1000, 1400, 720, 0]);
    expect(out[0]).toBe(recs[0]); // unchanged records are not copied
  });

  it('a community with neither figure is "no population data", never an estimate of 0', () => {
    expect(populationOf(recs[3], 2.4)).toEqual({ residents: null, kind: 'none' });
    expect(populationStatus(recs, 2.4)).toEqual({ estimated: ['C'], missing: ['D'] });
  });

  it('the household size is editable: the estimate follows it', () => {
    expect(populationOf(recs[2], 3).residents).toBe(900);
  });
});
