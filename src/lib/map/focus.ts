/**
 * What the facility layer shows in each mode. Explore, import and presentation views show every category;
 * analysis modes make facilities recede so the community theme reads: coverage by one category shows only
 * that category (emphasised), coverage by "categories lacking" mutes them all, scoring / pool / workflow /
 * bundling (and the coordination of special works) hide them. One click in the legend shows them all again (for the current mode).
 */
export type FacilityFocus =
  | { kind: 'all' }
  | { kind: 'focus'; category: string }
  | { kind: 'muted' }
  | { kind: 'hidden' };

export const ANALYSIS_MODES: ReadonlySet<string> = new Set(['coverage', 'scoring', 'pool', 'workflow', 'bundle', 'coordination']);

export function facilityFocus(mode: string, coverageColorBy: string, showAll: boolean): FacilityFocus {
  if (showAll || !ANALYSIS_MODES.has(mode)) return { kind: 'all' };
  if (mode === 'coverage') return coverageColorBy === 'lacking' ? { kind: 'muted' } : { kind: 'focus', category: coverageColorBy };
  return { kind: 'hidden' };
}
