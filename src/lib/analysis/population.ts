/**
 * Missing population is estimated, never zero (issue 10).
 *
 * An imported register (清册) often has households but no residents column; the importer then leaves
 * residents at 0. Residents ≤ 0 in a residential community means "unknown". Where households are known, the
 * estimate is households × household size; the default household size is the district's own ratio (residents ÷
 * households over the communities that have both), else FALLBACK_HOUSEHOLD_SIZE. Either way it is an
 * assumption and is labelled as one. A community with neither figure has no population data: it is flagged,
 * and population-weighted figures leave it out instead of counting it as 0.
 */
import type { CommunityProps } from '../domain/types';

/** our assumption when no community has both figures (Zhejiang 7th census: 2.4 persons per household, rounded up for old estates) */
export const FALLBACK_HOUSEHOLD_SIZE = 2.5;

export type PopulationKind = 'recorded' | 'estimated' | 'none';

export function hasResidents(p: Pick<CommunityProps, 'residents'>): boolean {
  return Number.isFinite(p.residents) && p.residents > 0;
}

/** The district's own persons per household, 2 decimals; null when no community has both figures. */
export function districtHouseholdSize(records: readonly Pick<CommunityProps, 'residents' | 'households'>[]): number | null {
  let r = 0;
  let h = 0;
  for (const p of records)
    if (hasResidents(p) && p.households > 0) {
      r += p.residents;
      h += p.households;
    }
  return h > 0 ? Math.round((r / h) * 100) / 100 : null;
}

export function populationOf(p: Pick<CommunityProps, 'residents' | 'households'>, householdSize: number): { residents: number | null; kind: PopulationKind } {
  if (hasResidents(p)) return { residents: p.residents, kind: 'recorded' };
  if (p.households > 0 && householdSize > 0) return { residents: Math.round(p.households * householdSize), kind: 'estimated' };
  return { residents: null, kind: 'none' };
}

export function populationStatus(records: readonly CommunityProps[], householdSize: number): { estimated: string[]; missing: string[] } {
  const estimated: string[] = [];
  const missing: string[] = [];
  for (const p of records) {
    const k = populationOf(p, householdSize).kind;
    if (k === 'estimated') estimated.push(p.id);
    else if (k === 'none') missing.push(p.id);
  }
  return { estimated, missing };
}

/** Records with estimated residents filled in (missing stays 0 and is reported by populationStatus). New objects only where changed. */
export function withEstimatedResidents<T extends Pick<CommunityProps, 'residents' | 'households'>>(records: readonly T[], householdSize: number): T[] {
  return records.map((p) => {
    const e = populationOf(p, householdSize);
    return e.kind === 'estimated' ? { ...p, residents: e.residents! } : p;
  });
}
