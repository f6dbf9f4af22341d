/**
 * The import mode's state: the file being imported and the user's choices at each step (sheet, kind,
 * column mapping, CRS, per-row decisions). The file is parsed, and the staged result computed from those
 * choices, in the import worker (data/import/parse.worker.ts), so every correction re-validates without
 * freezing the page; nothing touches
 * app.dataset until confirm(), which swaps in a NEW dataset via app.setDataset (cancel = forget it all).
 *
 * Also: drag-and-drop anywhere on the window (listened for from the start by drop.ts, which loads this
 * module on the first drag), column mappings remembered per header set in localStorage, the 未定位 list
 * with click-to-place, and the import mode's theme (communities coloured by provenance).
 */
import { untrack } from 'svelte';
import { app } from './app.svelte';
import { edited, registerSlice } from './persisted';
import { t } from '../i18n';
import type { Theme } from '../map/theme';
import type { CommunityFeature, Dataset, FacilityFeature } from '../domain/types';
import type { SpareSiteFeature } from '../domain/spare-sites';
import { sites } from './sites.svelte';
import type { Polygon, MultiPolygon } from 'geojson';
import type { CrsGuess, CrsId } from '../data/crs';
import type { CommitMode, ColumnMapping, ImportKind, MappingGuess, RowDecision, Source, Staged, UnlocatedRecord } from '../data/import';
import { parseInWorker, ParseCancelled, type ParseJob } from '../data/import/parse-client';

type ImportModule = typeof import('../data/import');
let mod: ImportModule | null = null;
/** the pipeline (xlsx, shpjs, …) is loaded only when a file is imported */
async function pipeline(): Promise<ImportModule> {
  return (mod ??= await import('../data/import'));
}

export type Step = 'file' | 'sheet' | 'mapping' | 'crs' | 'validate' | 'done';
const MAPPING_KEY = 'planner.import.mapping.v1:';

function storageKey(kind: ImportKind, headers: string[]): string {
  return `${MAPPING_KEY}${kind}:${headers.join('\u0001')}`;
}

class ImportState {
  step = $state<Step>('file');
  busy = $state<string | null>(null);
  /** while a file is parsed in the import worker: what it is doing and how far (null = unknown) */
  progress = $state<{ phase: string; fraction: number | null } | null>(null);
  #job: ParseJob | null = null;
  /** which openFile() call is current (a newer file or stopReading() makes older ones drop their result) */
  #gen = 0;
  error = $state<string | null>(null);
  message = $state<string | null>(null);
  source = $state.raw<Source | null>(null);
  sheetIndex = $state(0);
  kind = $state<ImportKind>('communities');
  mapping = $state.raw<ColumnMapping | null>(null);
  guess = $state.raw<MappingGuess | null>(null);
  remembered = $state(false);
  crs = $state<CrsId>('EPSG:4326');
  crsGuess = $state.raw<CrsGuess | null>(null);
  decisions = $state.raw<Record<number, RowDecision>>({});
  commitMode = $state<CommitMode>('replace');
  /** records imported without coordinates, waiting to be placed on the map */
  unlocated = $state.raw<UnlocatedRecord[]>([]);
  placing = $state.raw<UnlocatedRecord | null>(null);
  /** drawing the boundary of an unlocated community: the vertices clicked so far */
  drawing = $state.raw<{ rec: UnlocatedRecord; points: [number, number][] } | null>(null);
  /** set while a file is dragged over the window */
  dragging = $state<string | null>(null);

  sheet = $derived(this.source ? (this.source.sheets[this.sheetIndex] ?? null) : null);

  /** district outline and water polygons for the placement check */
  area = $derived.by(() => {
    const d = app.dataset.districts.find((x) => x.properties.focus)?.geometry ?? null;
    const water = app.dataset.barriers
      .filter((b) => (b.properties.kind === 'river' || b.properties.kind === 'canal') && (b.geometry.type === 'Polygon' || b.geometry.type === 'MultiPolygon'))
      .map((b) => b.geometry as Polygon | MultiPolygon);
    return { district: d, water };
  });

  /**
   * The staged (validated) result of the current choices. It is computed in the import worker, which holds
   * the parsed file, so a large sheet never freezes the page: `stageInput` changes → restage() (an effect at
   * the end of this module) → `staged` when the worker answers; `checking` is true while an answer is due.
   */
  staged = $state.raw<Staged | null>(null);
  checking = $state(false);
  #stageSeq = 0;

  stageInput = $derived.by(() => {
    if (!this.source || !this.sheet || !this.mapping) return null;
    return {
      sheet: this.sheetIndex,
      mapping: this.mapping,
      opts: { crs: this.crs, decisions: this.decisions, district: this.area.district, water: this.area.water },
    };
  });

  restage(input: typeof this.stageInput): void {
    const seq = ++this.#stageSeq;
    if (!input || !this.#job) {
      this.staged = null;
      this.checking = false;
      return;
    }
    this.checking = true;
    let pending: Promise<Staged>;
    try {
      pending = this.#job.stage(input.sheet, input.mapping, input.opts);
    } catch (e) {
      pending = Promise.reject(e);
    }
    pending.then(
      (staged) => {
        if (seq !== this.#stageSeq) return;
        this.staged = staged;
        this.checking = false;
      },
      (e) => {
        if (seq !== this.#stageSeq || e instanceof ParseCancelled) return;
        this.checking = false;
        const zh = (e as { zh?: unknown } | null)?.zh;
        this.error = typeof zh === 'string' && app.lang === 'zh' ? zh : e instanceof Error ? e.message : String(e);
      },
    );
  }

  /** the mapped X/Y columns look swapped (northing as X): the offer shown with a one-click swap */
  swap = $derived.by(() => (mod && this.sheet && this.mapping ? mod.detectSwappedColumns(this.sheet, this.mapping, this.crs) : null));

  /** Accept the swap: exchange the lon/lat columns and read them in the system the swapped values fit. */
  swapXY(): void {
    const hint = this.swap;
    if (!mod || !hint || !this.mapping || !this.sheet || !this.source) return;
    this.mapping = mod.swapColumns(this.mapping);
    this.crsGuess = mod.guessCrs(this.source.file, this.sheet, this.mapping);
    this.crs = hint.crs;
  }

  async openFile(file: File): Promise<void> {
    this.reset();
    app.mode = 'import';
    this.busy = t('import.reading', { file: file.name });
    this.progress = { phase: t('import.progress.reading'), fraction: null };
    const gen = ++this.#gen;
    try {
      const m = await pipeline();
      const bytes = await file.arrayBuffer();
      if (gen !== this.#gen) return; // stopped, or another file chosen, while the file was being read
      const job = (this.#job = parseInWorker(file.name, bytes, (phase, fraction) => {
        if (gen === this.#gen) this.progress = { phase: phase[app.lang], fraction };
      }));
      const source = await job.parsed;
      if (gen !== this.#gen) return;
      this.source = source;
      this.selectSheet(m.defaultSheetIndex(source));
      this.step = source.sheets.length > 1 ? 'sheet' : 'mapping';
    } catch (e) {
      if (e instanceof ParseCancelled || gen !== this.#gen) return;
      const zh = (e as { zh?: unknown } | null)?.zh;
      this.error = typeof zh === 'string' && app.lang === 'zh' ? zh : e instanceof Error ? e.message : String(e);
      this.source = null;
      this.#closeJob();
    } finally {
      if (gen === this.#gen) {
        this.busy = null;
        this.progress = null;
      }
    }
  }

  /** Stop reading the file: the worker is terminated, nothing was changed. */
  stopReading(): void {
    if (this.busy === null) return;
    this.#gen++;
    this.#closeJob();
    this.busy = null;
    this.progress = null;
    this.message = t('import.cancelled');
  }

  /** end the import worker (and whatever it was doing); the staged result goes with it */
  #closeJob(): void {
    this.#job?.close();
    this.#job = null;
    this.#stageSeq++;
    this.staged = null;
    this.checking = false;
  }

  selectSheet(i: number): void {
    if (!mod || !this.source) return;
    this.sheetIndex = i;
    const sheet = this.source.sheets[i];
    const kind = mod.guessKind(sheet);
    this.setKind(kind);
  }

  setKind(kind: ImportKind): void {
    if (!mod || !this.sheet) return;
    this.kind = kind;
    this.guess = mod.guessMapping(this.sheet, kind);
    let mapping = this.guess.mapping;
    this.remembered = false;
    try {
      const stored = globalThis.localStorage?.getItem(storageKey(kind, this.sheet.headers));
      if (stored) {
        const m = mod.parseMapping(stored);
        if (!mod.checkMapping(this.sheet, m).length) {
          mapping = m;
          this.remembered = true;
        }
      }
    } catch {
      // a stored mapping that no longer parses is ignored; the guess stands
    }
    this.mapping = mapping;
    this.crsGuess = mod.guessCrs(this.source!.file, this.sheet, mapping);
    this.crs = mapping.crs ?? this.crsGuess.crs;
    this.decisions = {};
  }

  setColumn(field: string, header: string | null): void {
    if (!this.mapping) return;
    this.mapping = { ...this.mapping, columns: { ...this.mapping.columns, [field]: header } };
    if ((field === 'lon' || field === 'lat') && mod && this.sheet && this.source) this.crsGuess = mod.guessCrs(this.source.file, this.sheet, this.mapping);
  }

  setAreaUnit(unit: 'm2' | 'wan_m2'): void {
    if (this.mapping) this.mapping = { ...this.mapping, areaUnit: unit };
  }

  decide(row: number, d: RowDecision | null): void {
    const next = { ...this.decisions };
    if (d) next[row] = d;
    else delete next[row];
    this.decisions = next;
  }

  skipAllErrors(): void {
    const next = { ...this.decisions };
    for (const r of this.staged?.rows ?? []) if (r.status === 'error') next[r.row] = { action: 'skip' };
    this.decisions = next;
  }

  /** Spare sites go to the sites slice (not a Dataset layer); errors must be fixed or skipped first, as for layers. */
  private confirmSpareSites(): boolean {
    const st = this.staged!;
    const errors = st.rows.filter((r) => r.status === 'error').length + st.notes.filter((n) => n.severity === 'error').length;
    const features = st.rows.filter((r) => r.status === 'ok' && r.feature).map((r) => r.feature as SpareSiteFeature);
    if (errors || features.length === 0) {
      this.error = errors ? t('import.sitesUnresolved', { n: errors }) : t('import.sitesNone');
      return false;
    }
    sites.importSites(features, this.commitMode === 'extend' ? 'extend' : 'replace', st.file);
    this.message = t('import.done', { added: features.length, removed: 0, kind: t('import.kind.spare_sites'), file: st.file });
    this.step = 'done';
    this.source = null;
    this.mapping = null;
    this.#closeJob();
    return true;
  }

  confirm(): boolean {
    if (!mod || !this.staged || this.checking || !this.mapping || !this.sheet) return false;
    if (this.staged.kind === 'spare_sites') return this.confirmSpareSites();
    const r = mod.commitImport(app.dataset, this.staged, this.commitMode);
    if (!r.ok) {
      this.error = r.error[app.lang];
      return false;
    }
    const file = this.staged.file;
    this.unlocated = [...this.unlocated, ...r.unlocated];
    applyDataset(r.dataset, file, `${t('mode.import')}: ${file}`);
    try {
      globalThis.localStorage?.setItem(storageKey(this.mapping.kind, this.sheet.headers), JSON.stringify({ ...this.mapping, crs: this.crs }));
    } catch {
      // storage full or disabled: the mapping is simply not remembered
    }
    this.message = t('import.done', { added: r.added, removed: r.removed, kind: t(`import.kind.${this.staged.kind}`), file });
    // show where the imported records are
    const pos = this.staged.rows.filter((x) => x.status === 'ok' && x.position).map((x) => x.position!);
    if (app.map && pos.length) {
      let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const [x, y] of pos) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
      app.map.fitBounds([x0, y0, x1, y1], { padding: 80, maxZoom: 15, duration: 0 });
    }
    this.step = 'done';
    this.source = null;
    this.mapping = null;
    this.#closeJob();
    return true;
  }

  cancel(): void {
    const had = this.source !== null;
    this.reset();
    if (had) this.message = t('import.cancelled');
  }

  reset(): void {
    this.#gen++;
    this.#closeJob();
    this.busy = null;
    this.progress = null;
    this.step = 'file';
    this.error = null;
    this.message = null;
    this.source = null;
    this.mapping = null;
    this.guess = null;
    this.crsGuess = null;
    this.decisions = {};
    this.sheetIndex = 0;
    this.commitMode = 'replace';
    // the drawing layer and the preview share a map layer id: never both
    this.drawing = null;
    this.placing = null;
  }

  /** Put an unlocated record where the user clicked (communities: a circle of the estimated site area). */
  async place(rec: UnlocatedRecord, lngLat: [number, number]): Promise<void> {
    const m = await pipeline();
    const props = rec.props as { floor_area_m2?: number; name: string };
    const geometry =
      rec.kind === 'communities'
        ? m.circlePolygon(lngLat, Math.min(Math.max((props.floor_area_m2 || 30_000) / 1.5, Math.PI * 40 * 40), Math.PI * 250 * 250))
        : ({ type: 'Point', coordinates: lngLat } as const);
    const next = m.placeUnlocated(app.dataset, rec, geometry);
    this.unlocated = this.unlocated.filter((u) => u !== rec);
    applyDataset(next, (rec.props as { source: string }).source, `${t('import.unlocated.place')}: ${props.name}`);
    this.placing = null;
    this.message = t('import.unlocated.placed', { name: props.name });
  }

  /** Finish a drawn boundary: at least 3 vertices, not self-intersecting; returns false (with a message) otherwise. */
  async finishDrawing(): Promise<boolean> {
    const d = this.drawing;
    if (!d) return false;
    const name = (d.rec.props as { name: string }).name;
    if (d.points.length < 3) {
      this.error = t('import.draw.tooFew');
      return false;
    }
    const m = await pipeline();
    const ring = [...d.points, d.points[0]];
    const polygon = { type: 'Polygon' as const, coordinates: [ring] };
    const { kinks } = await import('@turf/turf');
    if (kinks(polygon).features.length) {
      this.error = t('import.draw.selfIntersects');
      return false;
    }
    const next = m.placeUnlocated(app.dataset, d.rec, polygon);
    this.unlocated = this.unlocated.filter((u) => u !== d.rec);
    this.drawing = null;
    this.error = null;
    applyDataset(next, (d.rec.props as { source: string }).source, `${t('import.draw.button')}: ${name}`);
    this.message = t('import.unlocated.placed', { name });
    return true;
  }
}

/**
 * Persistence: imported communities/facilities and the 未定位 list are a persisted slice, so they survive a
 * reload and an import can be undone. The slice holds the imported layers whole; restore lays them over the
 * dataset as loaded from public/data (captured when loading finishes), so undoing an import brings the
 * demonstration layer back. Road/water imports are large and stay in this session only.
 */
interface ImportSnapshot {
  communities?: CommunityFeature[];
  facilities?: FacilityFeature[];
  source: string;
  unlocated: UnlocatedRecord[];
}
let base: Dataset | null = null;
let baseSource = '';
let pending: ImportSnapshot | undefined | null = null; // null = nothing waiting
const imported = new Set<'communities' | 'facilities'>();

function layOver(snap: ImportSnapshot | undefined): void {
  if (!base) return;
  const ds: Dataset = { ...base };
  imported.clear();
  if (snap?.communities) {
    ds.communities = snap.communities;
    const keep = new Set(snap.communities.map((c) => c.properties.id));
    ds.gates = base.gates.filter((g) => keep.has(g.properties.community_id));
    imported.add('communities');
  }
  if (snap?.facilities) {
    ds.facilities = snap.facilities;
    imported.add('facilities');
  }
  importState.unlocated = snap?.unlocated ?? [];
  const synthetic = ds.communities.some((c) => c.properties.synthetic);
  app.setDataset(ds, { synthetic, source: synthetic ? baseSource : (snap?.source ?? baseSource) });
}

function applyDataset(ds: Dataset, source: string, label: string): void {
  base ??= app.dataset;
  const synthetic = ds.communities.some((c) => c.properties.synthetic);
  for (const k of ['communities', 'facilities'] as const) if (ds[k] !== app.dataset[k]) imported.add(k);
  app.setDataset(ds, { synthetic, source: synthetic ? app.datasetInfo.source : source });
  lastSource = source;
  edited(label);
}
let lastSource = '';

export const importState = new ImportState();

registerSlice<ImportSnapshot | undefined>({
  key: 'import',
  snapshot: () => {
    if (!imported.size && !importState.unlocated.length) return undefined;
    return {
      communities: imported.has('communities') ? app.dataset.communities : undefined,
      facilities: imported.has('facilities') ? app.dataset.facilities : undefined,
      source: lastSource || app.datasetInfo.source,
      unlocated: importState.unlocated,
    };
  },
  restore: (data) => {
    if (data) lastSource = data.source;
    if (base) layOver(data);
    else pending = data; // the default dataset is still loading: apply once it is in
  },
});

// re-check in the import worker whenever a choice changes (see ImportState.staged)
if (typeof window !== 'undefined')
  $effect.root(() => {
    $effect(() => {
      const input = importState.stageInput;
      untrack(() => importState.restage(input));
    });
  });

// capture the dataset as loaded (the base that imports are laid over) and apply a restore that came early
if (typeof window !== 'undefined')
  $effect.root(() => {
    $effect(() => {
      if (app.loading || base || app.dataset.communities.length === 0) return;
      base = app.dataset;
      baseSource = app.datasetInfo.source;
      if (pending !== null) {
        const p = pending;
        pending = null;
        layOver(p);
      }
    });
  });

/** The import mode's theme: communities coloured by where each record comes from. */
export function importTheme(): Theme {
  const colorOf: Record<string, string> = {};
  let real = 0;
  let demo = 0;
  for (const c of app.dataset.communities) {
    if (c.properties.synthetic) demo++;
    else real++;
    colorOf[c.properties.id] = c.properties.synthetic ? '#c084fc' : '#15803d';
  }
  const entries = [];
  if (real) entries.push({ label: `${t('import.theme.imported')} (${real})`, color: '#15803d' });
  if (demo) entries.push({ label: `${t('import.theme.demo')} (${demo})`, color: '#c084fc' });
  return { key: 'import:provenance', title: t('import.theme.title'), note: t('import.theme.note'), entries, colorOf };
}
