/**
 * The inset ("locator") map of a printed sheet: the district outline and the printed map's extent as a
 * rectangle, as SVG path data in a box of the given size. Drawn from the dataset's district polygons, so
 * it costs no second map render. Equirectangular at the district's mean latitude (an inset shows where,
 * not how far). Pure.
 */
import type { DistrictFeature } from '../domain/types';

export interface Inset {
  /** one path per district; `focus` marks Jiangbei itself */
  districts: { d: string; focus: boolean; name: string }[];
  /** the printed map's extent */
  extent: string;
  width: number;
  height: number;
}

type Ring = number[][];

function rings(f: DistrictFeature): Ring[] {
  const g = f.geometry;
  return g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
}

/** Fit the focus districts (or all when none is marked) into w × h with a margin; return paths. */
export function insetPaths(districts: readonly DistrictFeature[], extent: [number, number, number, number], w: number, h: number, margin = 2): Inset | null {
  const focus = districts.filter((d) => d.properties.focus);
  const frame = focus.length ? focus : districts;
  if (!frame.length) return null;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const grow = (x: number, y: number) => {
    minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
  };
  for (const f of frame) for (const r of rings(f)) for (const [x, y] of r) grow(x, y);
  // the printed extent must show even when it reaches beyond the district
  grow(extent[0], extent[1]);
  grow(extent[2], extent[3]);
  const k = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  const s = Math.min((w - 2 * margin) / ((maxX - minX) * k || 1), (h - 2 * margin) / (maxY - minY || 1));
  const ox = margin + (w - 2 * margin - (maxX - minX) * k * s) / 2;
  const oy = margin + (h - 2 * margin - (maxY - minY) * s) / 2;
  const px = (x: number) => +(ox + (x - minX) * k * s).toFixed(2);
  const py = (y: number) => +(oy + (maxY - y) * s).toFixed(2);
  const path = (r: Ring) => r.map(([x, y], i) => `${i ? 'L' : 'M'}${px(x)} ${py(y)}`).join('') + 'Z';
  const [w0, s0, e0, n0] = extent;
  return {
    districts: frame.map((f) => ({ d: rings(f).map(path).join(''), focus: f.properties.focus, name: f.properties.name })),
    extent: path([[w0, s0], [e0, s0], [e0, n0], [w0, n0]]),
    width: w,
    height: h,
  };
}
