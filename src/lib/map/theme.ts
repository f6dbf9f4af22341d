/**
 * A "theme" colours the community polygons and fills the legend. The active mode supplies it
 * (panels/modes.ts); the explore mode's theme colours by a chosen attribute.
 */
export interface Theme {
  key: string;
  title: string;
  /** a line under the legend title: what the colours mean / where the numbers come from */
  note?: string;
  entries: { label: string; color: string }[];
  /** community id → CSS colour; communities not listed are drawn grey */
  colorOf: Record<string, string>;
  /**
   * What the community symbols' area stands for at district zoom (default: households). E.g. coverage sizes
   * them by residents lacking the category, so the biggest holes are the biggest circles.
   */
  size?: { title: string; of: Record<string, number> };
}

/** Symbol radius (px at zoom 13) by a sqrt scale, so the circle's area is proportional to the value. */
export const SYMBOL_R_MIN = 2.5;
export const SYMBOL_R_MAX = 14;
export function symbolRadius(value: number, max: number): number {
  if (!(value > 0) || !(max > 0)) return SYMBOL_R_MIN;
  return SYMBOL_R_MIN + (SYMBOL_R_MAX - SYMBOL_R_MIN) * Math.sqrt(Math.min(1, value / max));
}

/** Below this zoom communities are drawn as symbols; polygons take over above it (fading in between). */
export const SYMBOL_MAX_ZOOM = 13.6;
