/**
 * Layout of a horizontal (stacked) bar chart as plain numbers, so the SVG component only draws and the
 * geometry is unit-tested. One layout serves all four presentation charts: coverage by category (one
 * segment per row), progress by street (stacked by stage group), funding split (stacked by payer) and
 * score distribution (one row per score band). Horizontal bars keep long Chinese labels readable on a
 * projector. O(rows × segments).
 */
export interface BarSegment {
  key: string;
  label: string;
  value: number;
  color: string;
}
export interface BarRow {
  label: string;
  segments: BarSegment[];
}
export interface ChartSpec {
  rows: BarRow[];
  width: number;
  /** height of one bar row including its gap */
  rowHeight: number;
  labelWidth: number;
  /** fixed axis maximum (e.g. 1 for shares); default: the largest row total, rounded up to a nice tick */
  max?: number;
  format?: (n: number) => string;
  /** space at the right for the total label */
  totalWidth?: number;
}

export interface LaidSegment extends BarSegment {
  x: number;
  w: number;
}
export interface LaidRow {
  label: string;
  y: number;
  h: number;
  total: number;
  totalLabel: string;
  totalX: number;
  segments: LaidSegment[];
}
export interface ChartLayout {
  width: number;
  height: number;
  plotX: number;
  plotW: number;
  axisY: number;
  ticks: { x: number; label: string }[];
  rows: LaidRow[];
  /** distinct segment keys in first-seen order, for the legend */
  legend: { key: string; label: string; color: string }[];
}

/** Tick step 1, 2 or 5 × 10ⁿ giving about `target` ticks from 0 to at least `max`. */
export function niceTicks(max: number, target = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / target;
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  const step = (f > 5 ? 10 : f > 2 ? 5 : f > 1 ? 2 : 1) * p;
  const n = Math.ceil(max / step - 1e-9);
  const out: number[] = [];
  for (let i = 0; i <= n; i++) out.push(Math.round(i * step * 1e9) / 1e9);
  return out;
}

const AXIS_H = 22;

export function layoutBars(spec: ChartSpec): ChartLayout {
  const fmt = spec.format ?? ((n: number) => String(n));
  const totalWidth = spec.totalWidth ?? 70;
  const plotX = spec.labelWidth;
  const plotW = Math.max(10, spec.width - spec.labelWidth - totalWidth);
  const totals = spec.rows.map((r) => r.segments.reduce((s, g) => s + Math.max(0, g.value), 0));
  const ticks = spec.max !== undefined ? niceTicks(spec.max).filter((t) => t <= spec.max! + 1e-9) : niceTicks(Math.max(0, ...totals));
  const axisMax = spec.max ?? ticks[ticks.length - 1];
  const scale = (v: number) => (axisMax > 0 ? (v / axisMax) * plotW : 0);
  const barH = spec.rowHeight * 0.72;
  const legend: ChartLayout['legend'] = [];
  const seen = new Set<string>();
  const rows: LaidRow[] = spec.rows.map((r, i) => {
    let x = plotX;
    const segments = r.segments.map((g) => {
      if (!seen.has(g.key)) {
        seen.add(g.key);
        legend.push({ key: g.key, label: g.label, color: g.color });
      }
      const w = scale(Math.max(0, g.value));
      const s = { ...g, x, w };
      x += w;
      return s;
    });
    return {
      label: r.label,
      y: i * spec.rowHeight + (spec.rowHeight - barH) / 2,
      h: barH,
      total: totals[i],
      totalLabel: fmt(totals[i]),
      totalX: x + 6,
      segments,
    };
  });
  const axisY = spec.rows.length * spec.rowHeight;
  return {
    width: spec.width,
    height: axisY + AXIS_H,
    plotX,
    plotW,
    axisY,
    ticks: ticks.map((t) => ({ x: plotX + scale(t), label: fmt(t) })),
    rows,
    legend,
  };
}

/**
 * Bands for a score distribution: [lo, lo+width) from the lowest to the highest score, labelled "60–69"
 * for integer widths. Empty input gives no bands.
 */
export function histogram(values: readonly number[], width: number): { lo: number; hi: number; count: number }[] {
  if (values.length === 0 || !(width > 0)) return [];
  const min = Math.floor(Math.min(...values) / width) * width;
  const max = Math.max(...values);
  const bins: { lo: number; hi: number; count: number }[] = [];
  for (let lo = min; lo <= max; lo += width) bins.push({ lo, hi: lo + width, count: 0 });
  for (const v of values) bins[Math.min(bins.length - 1, Math.floor((v - min) / width))].count++;
  return bins;
}
