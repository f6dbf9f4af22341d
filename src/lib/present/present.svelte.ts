/**
 * Presentation-mode state: whether the deck is playing, which slide is shown, whether the print preview
 * is open. Playing a slide restores what the view captured (mode, colour-by, selection, hidden facility
 * categories, the mode's own parameters) and flies the map there.
 */
import type { Map as MLMap } from 'maplibre-gl';
import { app, type ColorBy } from '../state/app.svelte';
import { views } from '../state/views.svelte';
import { MODES } from '../panels/modes';
import { stepIndex, type SavedView, type SlideAction } from './views';
import { viewParamsProvider } from './viewParams';
import type { FacilityCategoryCode } from '../domain/types';

export type Paper = 'A3' | 'A4';
export type Orientation = 'landscape' | 'portrait';

export interface PrintSettings {
  paper: Paper;
  orientation: Orientation;
  subtitle: string;
  /** an inset map of the whole district */
  inset: boolean;
  /** draw the selected community's outline (off unless asked) */
  selection: boolean;
  /** 'print': open the browser's print dialogue as soon as the sheet is ready (Ctrl+P) */
  then: 'print' | null;
}

/** Space the presentation chrome takes over the map (CSS px); the map keeps the slide's centre in the clear part. */
export const PRESENT_PADDING = { top: 120, bottom: 110, left: 90, right: 90 };

/** Width (CSS px) of the chart/table docked beside the map on a slide that has one. */
export function slidePanelWidth(winW: number): number {
  return Math.round(Math.min(520, Math.max(300, winW * 0.34)));
}

/** The map's padding while presenting this slide: the docked chart/table is kept clear of the slide's centre. */
export function presentPadding(v: SavedView | null): typeof PRESENT_PADDING {
  if (!v?.panel || typeof window === 'undefined') return PRESENT_PADDING;
  return { ...PRESENT_PADDING, right: PRESENT_PADDING.right + slidePanelWidth(window.innerWidth) + 10 };
}

class PresentState {
  active = $state(false);
  index = $state(0);
  chartsOpen = $state(false);
  /** the print sheet, when open, with its settings */
  print = $state<PrintSettings | null>(null);
  /** the tender sheets (one page per bundle) or the community sheet, when open */
  sheet = $state<{ kind: 'tender' } | { kind: 'community'; id: string } | { kind: 'coordination' } | null>(null);
  /** the last paper and options used, offered again next time */
  lastPrint: Omit<PrintSettings, 'then'> = { paper: 'A3', orientation: 'landscape', subtitle: '', inset: true, selection: false };

  openPrint(then: PrintSettings['then'] = null) {
    this.sheet = null;
    this.print = { ...this.lastPrint, then };
  }
  /** a view's mode params that could not be restored (the mode exposes none) */
  warning = $state<string | null>(null);

  current = $derived(views.list.length ? views.list[Math.min(this.index, views.list.length - 1)] : null);

  start(from = 0) {
    this.index = Math.max(0, Math.min(from, views.list.length - 1));
    // PresentMode applies the first slide once the chrome is laid out (the map's size changes first)
    this.active = true;
  }

  stop() {
    this.active = false;
    this.chartsOpen = false;
  }

  act(a: SlideAction) {
    if (a === 'exit') return this.stop();
    const n = views.list.length;
    const next = a === 'next' ? stepIndex(this.index, 1, n) : a === 'prev' ? stepIndex(this.index, -1, n) : a === 'first' ? 0 : n - 1;
    if (next < 0 || next === this.index) return;
    this.index = next;
    applyView(views.list[next], true);
  }
}

export const present = new PresentState();

/** Restore a saved view: app state first (so the right layers and colours are in place), then the camera. */
export function applyView(v: SavedView, presenting: boolean): void {
  if (MODES.some((m) => m.id === v.mode)) app.mode = v.mode;
  if (v.colorBy === 'street' || v.colorBy === 'build_year' || v.colorBy === 'households') app.colorBy = v.colorBy as ColorBy;
  app.selectedId = v.selectedId && app.communityById.has(v.selectedId) ? v.selectedId : null;
  app.hiddenCategories = [...v.hiddenCategories] as FacilityCategoryCode[];
  const provider = viewParamsProvider(v.mode);
  if (provider && v.params !== null) provider.apply(v.params);
  present.warning = !provider && v.params !== null ? v.mode : null;
  const map = app.map;
  if (!map) return;
  map.flyTo({
    center: v.camera.center,
    zoom: v.camera.zoom,
    bearing: v.camera.bearing,
    pitch: v.camera.pitch,
    padding: presenting ? presentPadding(v) : { top: 0, bottom: 0, left: 0, right: 0 },
    // long enough to follow on a projector, short enough not to wait for it
    duration: 1800,
    essential: true,
  });
}

/** Resolve once the map has rendered everything (after style or camera changes). */
export function whenIdle(map: MLMap, timeoutMs = 15000): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      map.off('idle', finish);
      resolve();
    };
    const timer = setTimeout(finish, timeoutMs);
    map.once('idle', finish);
    map.triggerRepaint();
  });
}
