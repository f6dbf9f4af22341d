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
}
