/**
 * Small vector maps for the tender and community sheets: the focus polygons (a bundle's members, or one
 * community), the other communities and the barriers around them, as SVG path data in a box in mm. Drawn
 * from the dataset itself (crisp at any print resolution, no map render per page). Equirectangular at
 * the focus's mean latitude; with the frame's true ground size so a scale bar can be drawn. Pure.
 */
import type { Feature, LineString, MultiLineString, MultiPolygon, Polygon, Position } from 'geojson';

type Geom = Polygon | MultiPolygon | LineString | MultiLineString;

export interface SheetMapInput {
  focus: readonly Feature<Polygon | MultiPolygon, { id: string; name: string }>[];
  context: readonly Feature<Polygon | MultiPolygon, { id: string; name: string }>[];
  barriers: readonly Feature<Geom, { kind: string }>[];
  /** box in mm */
  w: number;
  h: number;
  /** share of the focus extent added around it */
  pad?: number;
}

export interface SheetMap {
  focus: { id: string; d: string; label: string; x: number; y: number }[];
  context: { id: string; d: string }[];
  /** water as filled areas or lines, rail and expressways as lines */
  barriers: { d: string; kind: string; area: boolean }[];
  w: number;
  h: number;
  /** ground metres per mm of the drawing */
  metresPerMm: number;
}

const M_PER_DEG_LAT = 111_320;

function linesOf(g: Geom): Position[][] {
  switch (g.type) {
    case 'Polygon':
    case 'MultiLineString':
      return g.coordinates;
    case 'MultiPolygon':
      return g.coordinates.flat();
    case 'LineString':
      return [g.coordinates];
  }
}

function bboxOf(fs: readonly { geometry: Geom }[]): [number, number, number, number] {
  let a = Infinity, b = Infinity, c = -Infinity, d = -Infinity;
  for (const f of fs) for (const l of linesOf(f.geometry)) for (const [x, y] of l) {
    a = Math.min(a, x); b = Math.min(b, y); c = Math.max(c, x); d = Math.max(d, y);
  }
  return [a, b, c, d];
}

const overlaps = (p: [number, number, number, number], q: [number, number, number, number]) => p[0] <= q[2] && q[0] <= p[2] && p[1] <= q[3] && q[1] <= p[3];

export function sheetMap(input: SheetMapInput): SheetMap | null {
  if (!input.focus.length) return null;
  const { w, h } = input;
  const [x0, y0, x1, y1] = bboxOf(input.focus);
  const k = Math.cos((((y0 + y1) / 2) * Math.PI) / 180);
  const pad = input.pad ?? 0.15;
  // ground size of the focus (degrees of longitude shrunk by cos(lat)), padded, then fitted to the box
  const gw = Math.max((x1 - x0) * k, 1e-5) * (1 + 2 * pad);
  const gh = Math.max(y1 - y0, 1e-5) * (1 + 2 * pad);
  const s = Math.min(w / gw, h / gh);
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const px = (x: number) => +(w / 2 + (x - cx) * k * s).toFixed(2);
  const py = (y: number) => +(h / 2 - (y - cy) * s).toFixed(2);
  const frame: [number, number, number, number] = [cx - w / 2 / s / k, cy - h / 2 / s, cx + w / 2 / s / k, cy + h / 2 / s];
  const path = (g: Geom, closed: boolean) =>
    linesOf(g)
      .map((l) => l.map(([x, y], i) => `${i ? 'L' : 'M'}${px(x)} ${py(y)}`).join('') + (closed ? 'Z' : ''))
      .join('');
  const inFrame = (f: { geometry: Geom }) => overlaps(bboxOf([f]), frame);
  const focusIds = new Set(input.focus.map((f) => f.properties.id));
  return {
    focus: input.focus.map((f) => {
      const [a, b, c, d] = bboxOf([f]);
      return { id: f.properties.id, d: path(f.geometry, true), label: f.properties.name, x: px((a + c) / 2), y: py((b + d) / 2) };
    }),
    context: input.context.filter((f) => !focusIds.has(f.properties.id) && inFrame(f)).map((f) => ({ id: f.properties.id, d: path(f.geometry, true) })),
    barriers: input.barriers.filter(inFrame).map((f) => {
      const area = f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon';
      return { d: path(f.geometry, area), kind: f.properties.kind, area };
    }),
    w,
    h,
    metresPerMm: M_PER_DEG_LAT / s,
  };
}
