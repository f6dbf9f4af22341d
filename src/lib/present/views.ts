/**
 * Saved views ("slides"): what a view captures, how a list of views is edited, and how a view read
 * back from a project file is checked. Pure: no DOM, no map, no Svelte; the state slice
 * (src/lib/state/views.svelte.ts) and the presentation mode call these.
 */

/** The map camera, exactly what MapLibre's flyTo/easeTo take back. */
export interface Camera {
  center: [number, number];
  zoom: number;
  bearing: number;
  pitch: number;
}

export interface SavedView {
  id: string;
  title: string;
  note: string;
  camera: Camera;
  /** active side-panel mode id when the view was saved (panels/modes.ts) */
  mode: string;
  /** explore mode's colour-by attribute */
  colorBy: string;
  /** selected community id */
  selectedId: string | null;
  /** facility categories switched off in the legend */
  hiddenCategories: string[];
  /**
   * Analysis parameters the active mode exposed when the view was saved (see viewParams.ts), plain JSON;
   * null when the mode exposes none.
   */
  params: unknown;
  /** ISO timestamp of creation, shown on the slide for traceability */
  createdAt: string;
  /** a chart or table shown beside the map on this slide (absent/null: the map alone) */
  panel?: SlidePanel | null;
}

/** The presentation's key figures (figures.ts FigureId) and charts (Charts.svelte), in display order. */
export const DECK_FIGURES = ['communities', 'households', 'floorArea', 'lifeCircle', 'bundles', 'progress'] as const;
export const DECK_CHARTS = ['coverage', 'progress', 'funding', 'scores'] as const;
export const SLIDE_TABLES = ['bundles', 'ranking', 'gaps'] as const;
export type DeckFigure = (typeof DECK_FIGURES)[number];
export type DeckChart = (typeof DECK_CHARTS)[number];
export type SlideTable = (typeof SLIDE_TABLES)[number];
/** what a slide shows beside the map: one chart or one table */
export type SlidePanel = `chart:${DeckChart}` | `table:${SlideTable}`;
export const SLIDE_PANELS: readonly SlidePanel[] = [...DECK_CHARTS.map((c) => `chart:${c}` as const), ...SLIDE_TABLES.map((x) => `table:${x}` as const)];

/** What the whole deck shows: which key figures in the header, which charts the charts overlay pages through. */
export interface DeckSettings {
  figures: DeckFigure[];
  charts: DeckChart[];
}
export const DEFAULT_DECK: DeckSettings = { figures: [...DECK_FIGURES], charts: [...DECK_CHARTS] };

export interface ViewsSnapshot {
  version: 1;
  views: SavedView[];
  /** absent in decks saved before figures could be chosen: every figure and chart */
  deck?: DeckSettings;
}

/** Keep only known ids, in the canonical order (so the header never depends on click order). */
export function chooseFigures(chosen: readonly string[]): DeckFigure[] {
  return DECK_FIGURES.filter((f) => chosen.includes(f));
}
export function chooseCharts(chosen: readonly string[]): DeckChart[] {
  return DECK_CHARTS.filter((c) => chosen.includes(c));
}

/** Set (or with null, clear) the chart/table a slide shows beside the map. Returns a new list. */
export function setViewPanel(views: readonly SavedView[], id: string, panel: SlidePanel | null): SavedView[] {
  const i = indexOrThrow(views, id);
  if (panel !== null && !SLIDE_PANELS.includes(panel)) throw new ViewsError(`unknown slide panel "${String(panel)}"`);
  const out = [...views];
  out[i] = { ...out[i], panel };
  return out;
}

/** Check a deck's settings read from a project file: lists of known ids. Absent → every figure and chart. */
export function validateDeck(x: unknown): DeckSettings {
  const d = isObj(x) && 'deck' in x ? x.deck : undefined;
  if (d === undefined || d === null) return { figures: [...DEFAULT_DECK.figures], charts: [...DEFAULT_DECK.charts] };
  if (!isObj(d)) throw new ViewsError('saved views: field "deck" must be an object with "figures" and "charts"');
  const list = (k: 'figures' | 'charts', known: readonly string[]) => {
    const v = d[k];
    if (v === undefined) return [...known];
    if (!Array.isArray(v) || v.some((e) => typeof e !== 'string' || !known.includes(e)))
      throw new ViewsError(`saved views: field "deck.${k}" must list some of: ${known.join(', ')}`);
    return v as string[];
  };
  return { figures: chooseFigures(list('figures', DECK_FIGURES)), charts: chooseCharts(list('charts', DECK_CHARTS)) };
}

export class ViewsError extends Error {}

/** Everything a view records from the app at the moment it is saved. */
export interface ViewCapture {
  camera: Camera;
  mode: string;
  colorBy: string;
  selectedId: string | null;
  hiddenCategories: readonly string[];
  params: unknown;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Build a view. Camera values are rounded (1e-6° ≈ 0.1 m, zoom to 1/1000) so project files stay small and stable. */
export function makeView(id: string, title: string, note: string, cap: ViewCapture, now: Date): SavedView {
  return {
    id,
    title: title.trim(),
    note: note.trim(),
    camera: {
      center: [round(cap.camera.center[0], 6), round(cap.camera.center[1], 6)],
      zoom: round(cap.camera.zoom, 3),
      bearing: round(cap.camera.bearing, 1),
      pitch: round(cap.camera.pitch, 1),
    },
    mode: cap.mode,
    colorBy: cap.colorBy,
    selectedId: cap.selectedId,
    hiddenCategories: [...cap.hiddenCategories].sort(),
    params: cap.params === undefined ? null : JSON.parse(JSON.stringify(cap.params)),
    createdAt: now.toISOString(),
  };
}

/** A fresh id that is not used yet: v1, v2, … (short, readable in the project file). */
export function nextViewId(views: readonly SavedView[]): string {
  let n = views.length + 1;
  const used = new Set(views.map((v) => v.id));
  while (used.has(`v${n}`)) n++;
  return `v${n}`;
}

function indexOrThrow(views: readonly SavedView[], id: string): number {
  const i = views.findIndex((v) => v.id === id);
  if (i < 0) throw new ViewsError(`no saved view with id "${id}"`);
  return i;
}

/** Move a view `delta` places up (negative) or down (positive), clamped to the list. Returns a new list. */
export function moveView(views: readonly SavedView[], id: string, delta: number): SavedView[] {
  const i = indexOrThrow(views, id);
  const j = Math.max(0, Math.min(views.length - 1, i + delta));
  const out = [...views];
  const [v] = out.splice(i, 1);
  out.splice(j, 0, v);
  return out;
}

/** Rename (and optionally re-annotate) a view. An empty title is refused: a slide needs a title. */
export function renameView(views: readonly SavedView[], id: string, title: string, note?: string): SavedView[] {
  const i = indexOrThrow(views, id);
  const t = title.trim();
  if (!t) throw new ViewsError('a saved view needs a title');
  const out = [...views];
  out[i] = { ...out[i], title: t, note: note === undefined ? out[i].note : note.trim() };
  return out;
}

export function deleteView(views: readonly SavedView[], id: string): SavedView[] {
  indexOrThrow(views, id);
  return views.filter((v) => v.id !== id);
}

/** Replace a view's captured state (camera, layers, mode, params) but keep its id, title and note. */
export function updateCapture(views: readonly SavedView[], id: string, cap: ViewCapture, now: Date): SavedView[] {
  const i = indexOrThrow(views, id);
  const out = [...views];
  const fresh = makeView(id, out[i].title, out[i].note, cap, now);
  out[i] = out[i].panel ? { ...fresh, panel: out[i].panel } : fresh;
  return out;
}

/** Step through slides: clamped at both ends (a clicker pressed once too often stays on the last slide). */
export function stepIndex(current: number, delta: number, length: number): number {
  if (length <= 0) return -1;
  return Math.max(0, Math.min(length - 1, current + delta));
}

export type SlideAction = 'next' | 'prev' | 'first' | 'last' | 'exit';

/**
 * Keys of a keyboard and of presentation clickers (which send PageDown/PageUp, sometimes arrows,
 * "b"/"." for blank screen and F5/Escape for start/stop).
 */
export function keyAction(key: string, shiftKey = false): SlideAction | null {
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
    case 'PageDown':
    case 'Enter':
    case 'n':
      return 'next';
    case ' ':
    case 'Spacebar':
      return shiftKey ? 'prev' : 'next';
    case 'ArrowLeft':
    case 'ArrowUp':
    case 'PageUp':
    case 'Backspace':
    case 'p':
      return 'prev';
    case 'Home':
      return 'first';
    case 'End':
      return 'last';
    case 'Escape':
    case 'Esc':
      return 'exit';
    default:
      return null;
  }
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * Check views read from a project file or autosave. Each problem names the view (position and title)
 * and the field, so a hand-edited project file can be fixed.
 */
export function validateViews(x: unknown): SavedView[] {
  if (x === undefined || x === null) return [];
  const list = isObj(x) && 'views' in x ? x.views : x;
  if (isObj(x) && 'version' in x && x.version !== 1)
    throw new ViewsError(`saved views: version ${String(x.version)} is not supported (this planner reads version 1)`);
  if (!Array.isArray(list)) throw new ViewsError('saved views: expected a list of views');
  const ids = new Set<string>();
  return list.map((v, i) => {
    const where = `saved view #${i + 1}${isObj(v) && typeof v.title === 'string' ? ` ("${v.title}")` : ''}`;
    if (!isObj(v)) throw new ViewsError(`${where}: not an object`);
    if (typeof v.id !== 'string' || !v.id) throw new ViewsError(`${where}: field "id" must be a non-empty string`);
    if (ids.has(v.id)) throw new ViewsError(`${where}: id "${v.id}" is used twice`);
    ids.add(v.id);
    if (typeof v.title !== 'string' || !v.title.trim()) throw new ViewsError(`${where}: field "title" must be a non-empty string`);
    const cam = v.camera;
    if (!isObj(cam)) throw new ViewsError(`${where}: field "camera" is missing`);
    const c = cam.center;
    if (!Array.isArray(c) || c.length !== 2 || !isNum(c[0]) || !isNum(c[1]))
      throw new ViewsError(`${where}: field "camera.center" must be [longitude, latitude]`);
    if (c[0] < -180 || c[0] > 180 || c[1] < -90 || c[1] > 90)
      throw new ViewsError(`${where}: camera.center [${c[0]}, ${c[1]}] is not a longitude/latitude pair`);
    if (!isNum(cam.zoom) || cam.zoom < 0 || cam.zoom > 24) throw new ViewsError(`${where}: field "camera.zoom" must be a number from 0 to 24`);
    const bearing = cam.bearing === undefined ? 0 : cam.bearing;
    const pitch = cam.pitch === undefined ? 0 : cam.pitch;
    if (!isNum(bearing)) throw new ViewsError(`${where}: field "camera.bearing" must be a number`);
    if (!isNum(pitch) || pitch < 0 || pitch > 85) throw new ViewsError(`${where}: field "camera.pitch" must be a number from 0 to 85`);
    const hidden = v.hiddenCategories ?? [];
    if (!Array.isArray(hidden) || hidden.some((h) => typeof h !== 'string'))
      throw new ViewsError(`${where}: field "hiddenCategories" must be a list of category codes`);
    if (v.selectedId !== undefined && v.selectedId !== null && typeof v.selectedId !== 'string')
      throw new ViewsError(`${where}: field "selectedId" must be a community id or null`);
    if (v.panel !== undefined && v.panel !== null && !SLIDE_PANELS.includes(v.panel as SlidePanel))
      throw new ViewsError(`${where}: field "panel" must be one of ${SLIDE_PANELS.join(', ')} or null`);
    return {
      id: v.id,
      title: v.title.trim(),
      note: typeof v.note === 'string' ? v.note : '',
      camera: { center: [c[0], c[1]], zoom: cam.zoom, bearing, pitch },
      mode: typeof v.mode === 'string' ? v.mode : 'explore',
      colorBy: typeof v.colorBy === 'string' ? v.colorBy : 'street',
      selectedId: (v.selectedId as string | null | undefined) ?? null,
      hiddenCategories: [...(hidden as string[])],
      params: v.params === undefined ? null : v.params,
      createdAt: typeof v.createdAt === 'string' ? v.createdAt : '',
      ...(v.panel ? { panel: v.panel as SlidePanel } : {}),
    };
  });
}

/** Distance between two cameras' centres in metres (equirectangular; fine at city scale), for "did the map move". */
export function cameraDistanceM(a: Camera, b: Camera): number {
  const R = 6371008.8;
  const lat = ((a.center[1] + b.center[1]) / 2) * (Math.PI / 180);
  const dx = (b.center[0] - a.center[0]) * (Math.PI / 180) * Math.cos(lat) * R;
  const dy = (b.center[1] - a.center[1]) * (Math.PI / 180) * R;
  return Math.hypot(dx, dy);
}
