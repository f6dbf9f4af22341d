/**
 * The live map, lent to a print sheet at the paper's shape and resolution. The map's container is moved
 * into the sheet's map frame and sized to the printed box in CSS pixels (96 per inch, so a CSS pixel is
 * the same size on paper), the camera is set so the screen's view fits inside the new shape at a round
 * 1:N scale, and the pixel ratio is raised for print resolution. Nothing is copied or encoded (reading
 * megapixels back from the GPU is what made the old sheet slow); the browser prints the canvas itself.
 * Because it is the same map, every layer and the active mode's theme are on paper exactly as on screen.
 * Selection and hover outlines are hidden unless asked for. `releasePaperMap` puts everything back.
 */
import type { Map as MLMap, LngLatBounds, CameraOptions, PaddingOptions } from 'maplibre-gl';
import { whenIdle } from './present.svelte';
import { paperPixels, roundScaleZoom } from './printLayout';

/** Layers that show what the user is pointing at, not the plan: left out of printed maps unless asked. */
export const SELECTION_LAYERS = ['communities-selected', 'communities-hover', 'facilities-highlight'] as const;

export interface PaperMapInfo {
  /** CSS pixels of the printed map (its box on paper at 96 px per inch) */
  cssW: number;
  cssH: number;
  pixelRatio: number;
  lat: number;
  zoom: number;
  bearing: number;
  /** [west, south, east, north] of the printed map */
  bounds: [number, number, number, number];
  /** the 1:N scale the camera was set to */
  scale: number;
  /** time taken, and where: size and camera (setup), drawing until idle (render) */
  ms: number;
  phases: { setup: number; render: number };
}

export interface PaperMapOptions {
  /** the map box on paper, mm */
  box: { w: number; h: number };
  /** target resolution on paper */
  dpi: number;
  showSelection: boolean;
}

interface Loan {
  map: MLMap;
  parent: Node;
  next: Node | null;
  css: string;
  camera: CameraOptions & { padding: PaddingOptions };
  ratio: number;
  /** what the screen showed when the sheet was opened: the area every paper choice prints */
  view: LngLatBounds;
  hidden: string[];
}
let loan: Loan | null = null;

function borrow(map: MLMap): Loan {
  if (loan && loan.map === map) return loan;
  const c = map.getContainer();
  loan = {
    map,
    parent: c.parentNode!,
    next: c.nextSibling,
    css: c.style.cssText,
    camera: { center: map.getCenter(), zoom: map.getZoom(), bearing: map.getBearing(), pitch: map.getPitch(), padding: map.getPadding() },
    ratio: map.getPixelRatio(),
    view: map.getBounds(),
    hidden: [],
  };
  return loan;
}

function setSelection(l: Loan, show: boolean) {
  const m = l.map;
  if (show) {
    for (const id of l.hidden) if (m.getLayer(id)) m.setLayoutProperty(id, 'visibility', 'visible');
    l.hidden = [];
    return;
  }
  for (const id of SELECTION_LAYERS)
    if (m.getLayer(id) && m.getLayoutProperty(id, 'visibility') !== 'none') {
      m.setLayoutProperty(id, 'visibility', 'none');
      l.hidden.push(id);
    }
}

/** Put the map into `frame` at the paper's size and scale; resolves when it has finished drawing. */
export async function placePaperMap(map: MLMap, frame: HTMLElement, o: PaperMapOptions): Promise<PaperMapInfo> {
  const t0 = performance.now();
  const l = borrow(map);
  const container = map.getContainer();
  const { cssW, cssH, pixelRatio } = paperPixels(o.box, o.dpi);
  if (container.parentNode !== frame) frame.appendChild(container);
  container.classList.add('on-paper');
  container.style.cssText = `position:absolute;left:0;top:0;width:${cssW}px;height:${cssH}px;pointer-events:none;`;
  map.resize();
  map.setPixelRatio(pixelRatio);
  const fit = map.cameraForBounds(l.view, { padding: 0, bearing: l.camera.bearing });
  const center = fit?.center ?? l.camera.center!;
  const lat = Array.isArray(center) ? center[1] : 'lat' in center ? center.lat : (center as { lon: number; lat: number }).lat;
  const rounded = roundScaleZoom(lat, fit?.zoom ?? map.getZoom(), o.box.w / cssW);
  map.jumpTo({ center, zoom: rounded.zoom, bearing: l.camera.bearing, pitch: 0, padding: { top: 0, bottom: 0, left: 0, right: 0 } });
  setSelection(l, o.showSelection);
  const tSet = performance.now();
  await whenIdle(map);
  const b = map.getBounds();
  const c = map.getCenter();
  return {
    cssW,
    cssH,
    pixelRatio,
    lat: c.lat,
    zoom: map.getZoom(),
    bearing: map.getBearing(),
    bounds: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()],
    scale: rounded.scale,
    ms: performance.now() - t0,
    phases: { setup: tSet - t0, render: performance.now() - tSet },
  };
}

/** Give the map back to the screen as it was (place, size, resolution, camera, selection outline). */
export function releasePaperMap(): void {
  const l = loan;
  if (!l) return;
  loan = null;
  const map = l.map;
  const container = map.getContainer();
  setSelection(l, true);
  l.parent.insertBefore(container, l.next);
  container.classList.remove('on-paper');
  container.style.cssText = l.css;
  map.setPixelRatio(l.ratio);
  map.resize();
  map.jumpTo(l.camera);
  map.triggerRepaint();
}
