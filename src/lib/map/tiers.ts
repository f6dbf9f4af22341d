/**
 * One distance definition for the map: the life-circle tiers in force (GB 50180: 300/500/1000 m, or the user's
 * edited tiers) as metres, with minutes derived from the one walking speed. The accessibility surface, the
 * isochrone bands and the coverage tiers all use these rows, so their legends print the same numbers.
 */
import type { CoverageParams } from '../domain/standards';

export interface TierRow {
  m: number;
  /** minutes at the walking speed, one decimal */
  min: number;
  beyond: boolean;
}

export function tierDistances(p: CoverageParams): number[] {
  return [p.tierDistanceM[5], p.tierDistanceM[10], p.tierDistanceM[15]];
}

export function minutesAt(m: number, speedMPerMin: number): number {
  return Math.round((m / speedMPerMin) * 10) / 10;
}

export function tierRows(p: CoverageParams): TierRow[] {
  const d = tierDistances(p);
  return [...d.map((m) => ({ m, min: minutesAt(m, p.walkSpeedMPerMin), beyond: false })), { m: d[d.length - 1], min: minutesAt(d[d.length - 1], p.walkSpeedMPerMin), beyond: true }];
}
