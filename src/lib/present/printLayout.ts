/**
 * Print sheet geometry in millimetres (ISO 216 paper), so the map image, scale bar and legend are laid
 * out exactly for the page the browser prints (@page size is set to the same paper). Pure.
 */
import { metresPerPixel, scaleBar } from './scalebar';

export type Paper = 'A3' | 'A4';
export type Orientation = 'landscape' | 'portrait';

const ISO: Record<Paper, [number, number]> = { A3: [297, 420], A4: [210, 297] };

export interface SheetLayout {
  paper: Paper;
  orientation: Orientation;
  /** page size, mm */
  width: number;
  height: number;
  margin: number;
  headerH: number;
  footerH: number;
  /** the map's box on the page */
  map: { x: number; y: number; w: number; h: number };
  /** the legend/notes box: beside the map in landscape, under it in portrait */
  side: { x: number; y: number; w: number; h: number };
  /** base font size in pt, larger on A3 */
  fontPt: number;
}

export function sheetLayout(paper: Paper, orientation: Orientation): SheetLayout {
  const [short, long] = ISO[paper];
  const width = orientation === 'landscape' ? long : short;
  const height = orientation === 'landscape' ? short : long;
  const margin = paper === 'A3' ? 12 : 9;
  const headerH = paper === 'A3' ? 20 : 15;
  const footerH = paper === 'A3' ? 16 : 14;
  const gap = 5;
  const bodyY = margin + headerH;
  const bodyH = height - 2 * margin - headerH - footerH;
  const bodyW = width - 2 * margin;
  let map, side;
  if (orientation === 'landscape') {
    const sideW = paper === 'A3' ? 88 : 70;
    map = { x: margin, y: bodyY, w: bodyW - sideW - gap, h: bodyH };
    side = { x: margin + bodyW - sideW, y: bodyY, w: sideW, h: bodyH };
  } else {
    const mapH = Math.round(bodyH * 0.6);
    map = { x: margin, y: bodyY, w: bodyW, h: mapH };
    side = { x: margin, y: bodyY + mapH + gap, w: bodyW, h: bodyH - mapH - gap };
  }
  return { paper, orientation, width, height, margin, headerH, footerH, map, side, fontPt: paper === 'A3' ? 11 : 8.5 };
}

/**
 * Fit a map image of cssW × cssH CSS pixels into the map box, keeping its aspect ratio; return the
 * image size on paper and the scale bar (its length on paper in mm) for the map's zoom and latitude.
 */
export function fitMap(box: { w: number; h: number }, cssW: number, cssH: number, lat: number, zoom: number, maxBarMm = 40) {
  const mmPerPx = Math.min(box.w / cssW, box.h / cssH);
  const sb = scaleBar(lat, zoom, maxBarMm / mmPerPx);
  return { w: cssW * mmPerPx, h: cssH * mmPerPx, mmPerPx, bar: { mm: sb.px * mmPerPx, label: sb.label, metres: sb.metres } };
}

/** The representative fraction 1:N of the printed map, rounded to 2 significant digits. */
export function ratioScale(metresPerPx: number, mmPerPx: number): number {
  const n = (metresPerPx * 1000) / mmPerPx;
  const p = 10 ** (Math.floor(Math.log10(n)) - 1);
  return Math.round(n / p) * p;
}

/** CSS pixels per millimetre: CSS fixes 96 px to the inch, so a CSS pixel is the same size on screen and paper. */
export const PX_PER_MM = 96 / 25.4;
/** The most device pixels rendered for one printed map (WebGL canvas and PNG encoding stay fast). */
export const MAX_PRINT_PIXELS = 6_000_000;

/**
 * The map box on paper in CSS pixels and the pixel ratio that gives `dpi` on paper, capped so the canvas
 * holds at most MAX_PRINT_PIXELS device pixels (the cap lowers the resolution, never the shape).
 */
export function paperPixels(box: { w: number; h: number }, dpi: number): { cssW: number; cssH: number; pixelRatio: number; dpi: number } {
  const cssW = Math.round(box.w * PX_PER_MM);
  const cssH = Math.round(box.h * PX_PER_MM);
  const wanted = dpi / 96;
  const cap = Math.sqrt(MAX_PRINT_PIXELS / (cssW * cssH));
  const pixelRatio = Math.max(0.5, Math.min(wanted, cap));
  return { cssW, cssH, pixelRatio, dpi: pixelRatio * 96 };
}

/** Round map scales a planner expects on a sheet (1:N with N = these × 10ⁿ). */
const ROUND_SCALES = [1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5];

/**
 * The zoom at or below `zoomFit` (so the wanted area still fits) whose printed scale is a round 1:N,
 * given the printed size of one CSS pixel of the map. Returns that zoom and N. N grows as the zoom
 * falls: scale N = metresPerPixel(lat, zoom) · 1000 / mmPerPx.
 */
export function roundScaleZoom(lat: number, zoomFit: number, mmPerPx: number): { zoom: number; scale: number } {
  const mppAt0 = metresPerPixel(lat, 0);
  const nFit = (mppAt0 / 2 ** zoomFit) * (1000 / mmPerPx);
  const p = 10 ** Math.floor(Math.log10(nFit));
  let scale = 10 * p;
  for (const f of ROUND_SCALES)
    if (f * p >= nFit - 1e-9) {
      scale = f * p;
      break;
    }
  const zoom = Math.log2((mppAt0 * 1000) / (mmPerPx * scale));
  return { zoom, scale };
}
