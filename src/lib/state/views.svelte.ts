/**
 * Saved views ("slides") as a persisted slice: they are part of the project file, autosaved and
 * undoable like every other piece of user work (see persisted.ts). Editing logic is in
 * src/lib/present/views.ts; this module only holds the list and records each edit.
 */
import { registerSlice, edited } from './persisted';
import { app } from './app.svelte';
import {
  deleteView,
  makeView,
  moveView,
  nextViewId,
  renameView,
  updateCapture,
  validateViews,
  validateDeck,
  setViewPanel,
  chooseFigures,
  chooseCharts,
  DEFAULT_DECK,
  type DeckSettings,
  type SlidePanel,
  type SavedView,
  type ViewCapture,
  type ViewsSnapshot,
} from '../present/views';
import { viewParamsProvider } from '../present/viewParams';
import { t } from '../i18n';

/** The side-panel mode that manages views; a view saved from it records the analysis mode used before. */
export const VIEWS_MODE = 'views';

class ViewsState {
  list = $state.raw<SavedView[]>([]);
  /** which key figures and charts the deck shows (saved with the deck) */
  deck = $state.raw<DeckSettings>(DEFAULT_DECK);
  /** the last analysis mode shown (anything but the views panel itself) */
  lastMode = $state('explore');

  /** What the app shows right now, as a view would record it. */
  capture(): ViewCapture | null {
    const map = app.map;
    if (!map) return null;
    const c = map.getCenter();
    const mode = app.mode === VIEWS_MODE ? this.lastMode : app.mode;
    const provider = viewParamsProvider(mode);
    return {
      camera: { center: [c.lng, c.lat], zoom: map.getZoom(), bearing: map.getBearing(), pitch: map.getPitch() },
      mode,
      colorBy: app.colorBy,
      selectedId: app.selectedId,
      hiddenCategories: app.hiddenCategories,
      params: provider ? provider.capture() : null,
    };
  }

  add(title: string, note = ''): SavedView | null {
    const cap = this.capture();
    if (!cap || !title.trim()) return null;
    const v = makeView(nextViewId(this.list), title, note, cap, new Date());
    this.list = [...this.list, v];
    edited(`视图: + ${v.title}`);
    return v;
  }

  recapture(id: string) {
    const cap = this.capture();
    if (!cap) return;
    this.list = updateCapture(this.list, id, cap, new Date());
    edited(`视图: ↻ ${this.list.find((v) => v.id === id)?.title ?? id}`);
  }

  rename(id: string, title: string, note?: string) {
    this.list = renameView(this.list, id, title, note);
    edited(`视图: ✎ ${title.trim()}`);
  }

  move(id: string, delta: number) {
    this.list = moveView(this.list, id, delta);
    edited(`视图: ⇅ ${this.list.find((v) => v.id === id)?.title ?? id}`);
  }

  setFigures(ids: readonly string[]) {
    this.deck = { ...this.deck, figures: chooseFigures(ids) };
    edited(t('present.deck.edit.figures', { n: this.deck.figures.length }));
  }

  setCharts(ids: readonly string[]) {
    this.deck = { ...this.deck, charts: chooseCharts(ids) };
    edited(t('present.deck.edit.charts', { n: this.deck.charts.length }));
  }

  setPanel(id: string, panel: SlidePanel | null) {
    this.list = setViewPanel(this.list, id, panel);
    edited(t('present.deck.edit.panel', { title: this.list.find((v) => v.id === id)?.title ?? '' }));
  }

  remove(id: string) {
    const title = this.list.find((v) => v.id === id)?.title ?? id;
    this.list = deleteView(this.list, id);
    edited(`视图: − ${title}`);
  }
}

export const views = new ViewsState();

$effect.root(() => {
  $effect(() => {
    if (app.mode !== VIEWS_MODE) views.lastMode = app.mode;
  });
});

registerSlice<ViewsSnapshot>({
  key: 'views',
  snapshot: () => ({ version: 1, views: views.list, deck: views.deck }),
  restore: (data) => {
    views.list = validateViews(data);
    views.deck = validateDeck(data);
  },
});
