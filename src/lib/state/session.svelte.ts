/**
 * Wires persistence into the running app (called once from main.ts before the UI mounts):
 *  1. restore the autosaved project into every registered slice (before anything can be edited);
 *  2. restore slices that register later (lazily loaded features) from the same autosave;
 *  3. start global undo/redo and the debounced autosave (also after each undo/redo);
 *  4. open the view from the URL (or, without one, the autosaved view) and keep the URL in step with the
 *     selected community, the active mode and the map position, so a link reopens the same view;
 *  5. keyboard: Ctrl/⌘+Z undo, Ctrl/⌘+Shift+Z or Ctrl+Y redo (not inside text fields, which keep their own undo).
 */
import { app } from './app.svelte';
import './pool.svelte'; // the pool slice registers eagerly: its edits colour the map in every mode
import './settings.svelte'; // the household size estimates residents in every mode
import './content.svelte'; // so does the content slice: its item-based investments feed pool, bundles and charts
import './sites.svelte'; // spare sites (user-added/imported) and
import './stewardship.svelte'; // management/post-evaluations: the workflow theme reads them
import { allSlices, onRegistered } from './persisted';
import { Autosave, PendingSlices, readAutosaveStored, readJournal, restoreFromStored, revId, type Rev } from './persist';
import { UndoManager, type UndoStatus } from './undo';
import { formatViewHash, parseViewHash, type ViewState } from './url';
import { applyProject, buildProject, droppedNote, importProjectText, parseProject, projectToText, ProjectError } from './project';
import { TabChannel, judge, type TabEdit } from './tabs';

export interface SessionMessage {
  kind: 'info' | 'error';
  zh: string;
  en: string;
}

/** Another tab changed the project while this one held other work: the user decides which version to keep. */
export interface TabConflict {
  /** the other tab's edit, when it came over the channel */
  edit?: TabEdit;
  /** the revision the database holds, when the save found it */
  stored?: Rev;
}

class SessionState {
  undo = $state<UndoStatus>({ canUndo: false, canRedo: false, undoLabel: null, redoLabel: null, depth: 0 });
  savedAt = $state<string | null>(null);
  /** an edit is not durable yet (shown as "saving…") */
  unsaved = $state(false);
  saveError = $state<string | null>(null);
  message = $state<SessionMessage | null>(null);
  /** the text of an autosave that could not be restored (kept aside; offered for download) */
  keptAside = $state.raw<string | null>(null);
  conflict = $state.raw<TabConflict | null>(null);
  /** when this tab last took over another tab's edit */
  followedAt = $state<string | null>(null);
  started = $state(false);
}

export const session = new SessionState();

let undoManager: UndoManager | undefined;
let autosave: Autosave | undefined;
let tabs: TabChannel | undefined;
/** slices of the restored project whose feature has not registered yet */
const pending = new PendingSlices();

function currentView(): ViewState {
  const v: ViewState = { mode: app.mode };
  if (app.selectedId) v.selected = app.selectedId;
  const map = app.map;
  if (map) {
    const c = map.getCenter();
    // never save a position the map itself could not take back (NaN would make the file unreadable)
    if (Number.isFinite(c.lng) && Number.isFinite(c.lat)) v.center = [c.lng, c.lat];
    const z = map.getZoom();
    if (Number.isFinite(z)) v.zoom = z;
  }
  return v;
}

let cameraFromView = false;
/** Whether the link or the autosave gave a map position (then the map does not open on the communities' extent). */
export function cameraRestored(): boolean {
  return cameraFromView;
}

function applyView(v: ViewState): void {
  if (v.mode) app.mode = v.mode;
  if (v.selected !== undefined) app.selectedId = v.selected;
  if (v.center || v.zoom !== undefined) {
    cameraFromView = true;
    const camera = { ...(v.center ? { center: v.center } : {}), ...(v.zoom !== undefined ? { zoom: v.zoom } : {}) };
    if (app.map) app.map.jumpTo(camera);
    else pendingCamera = camera;
  }
}
let pendingCamera: { center?: [number, number]; zoom?: number } | null = null;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms))]);
}

/** Phase 1 at start: read the journal and the database, check and apply (all or nothing), or keep aside. */
async function restoreAtStart(): Promise<{ savedView?: ViewState; rev: Rev | null; canAutosave: boolean; fromJournal: boolean }> {
  try {
    // only the read may time out; applying happens here or never, so a late read cannot clobber new edits
    const stored = await withTimeout(readAutosaveStored(), 5000, 'reading the autosave (IndexedDB)');
    const r = await restoreFromStored(stored, undefined, undefined, readJournal());
    if (r.status === 'restored') {
      session.savedAt = r.savedAt;
      pending.replace(r.project.slices, r.result.notLoaded);
      const d = droppedNote(r.project);
      if (d.en) session.message = { kind: 'info', zh: `自动保存${d.zh}`, en: `autosave${d.en}` };
      return { savedView: r.project.view, rev: r.rev, canAutosave: true, fromJournal: r.fromJournal };
    }
    if (r.status === 'failed') {
      session.message = { kind: 'error', zh: r.zh, en: r.en };
      session.keptAside = r.keptText;
    }
    return { rev: r.rev, canAutosave: true, fromJournal: false };
  } catch (e) {
    session.saveError = (e as Error).message;
    session.message = {
      kind: 'error',
      zh: `无法读取本地自动保存 (${(e as Error).message}); 为免覆盖已保存的工作, 本次不自动保存, 请用“项目 → 导出项目”保存`,
      en: `cannot read the local autosave (${(e as Error).message}); to avoid overwriting saved work, autosave is off this session: use "Project → Export project"`,
    };
    // if the stored work cannot be read, autosave stays off this session so it can never be overwritten
    return { rev: null, canAutosave: false, fromJournal: false };
  }
}

function startAutosave(rev: Rev | null): Autosave {
  const a = new Autosave({
    rev,
    extras: () => ({ dataset: { ...app.datasetInfo }, view: currentView() }),
    carry: () => pending.carry(),
    onSaved: (t) => {
      session.savedAt = t;
      session.saveError = null;
      session.unsaved = false;
    },
    onPending: () => (session.unsaved = true),
    onError: (e) => (session.saveError = e.message),
    onEdit: (entry) => tabs?.send(entry),
    onConflict: (stored) => {
      if (serverArbitrates) {
        a.adopt(stored);
        return a.schedule();
      }
      // a view-only save that raced another tab's edit this tab has since taken over is no conflict
      if (revId(stored) === revId(a.rev)) return a.schedule();
      session.conflict = { ...(session.conflict ?? {}), stored };
    },
  });
  return a;
}

export async function startSession(): Promise<void> {
  if (session.started) return;
  const start = await restoreAtStart();
  const savedView = start.savedView;

  undoManager = new UndoManager().start();
  if (start.canAutosave) {
    autosave = startAutosave(start.rev);
    tabs = new TabChannel(onTabEdit);
    // the journal held an edit the database had not received yet: write it now
    if (start.fromJournal) autosave.schedule();
  }
  undoManager.onChange((s) => {
    session.undo = s;
  });

  onRegistered((slice) => {
    try {
      pending.adopt(slice);
    } catch (e) {
      session.message = {
        kind: 'error',
        zh: `自动保存中的「${slice.key}」无法恢复 (数据仍被保留): ${(e as Error).message}`,
        en: `the autosaved "${slice.key}" could not be restored (its data is kept): ${(e as Error).message}`,
      };
    }
    undoManager?.noteSlice(slice);
  });

  // the URL wins over the autosaved view: a shared link must open what it shows
  const fromUrl = parseViewHash(location.hash);
  applyView(Object.keys(fromUrl).length > 0 ? fromUrl : (savedView ?? {}));

  $effect.root(() => {
    // camera from the URL/autosave once the map exists; then keep the URL in step with the map
    $effect(() => {
      const map = app.map;
      if (!map) return;
      if (pendingCamera) {
        map.jumpTo(pendingCamera);
        pendingCamera = null;
      }
      const onMove = () => writeUrl();
      map.on('moveend', onMove);
      return () => map.off('moveend', onMove);
    });
    $effect(() => {
      // read the tracked view fields, then write
      void app.selectedId;
      void app.mode;
      writeUrl();
    });
  });

  window.addEventListener('hashchange', () => {
    const v = parseViewHash(location.hash);
    if (formatViewHash(v) !== formatViewHash(currentView())) applyView(v);
  });
  window.addEventListener('keydown', onKey);
  session.started = true;
}

function writeUrl(): void {
  const hash = formatViewHash(currentView());
  if (hash === location.hash) return;
  history.replaceState(history.state, '', `${location.pathname}${location.search}${hash}`);
  // the autosave carries the view too, so reopening the app without a link returns to it
  autosave?.schedule();
}

function onKey(e: KeyboardEvent): void {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
  const el = e.target as HTMLElement | null;
  if (el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName))) return;
  const k = e.key.toLowerCase();
  if (k === 'z' && !e.shiftKey) {
    e.preventDefault();
    undo();
  } else if ((k === 'z' && e.shiftKey) || k === 'y') {
    e.preventDefault();
    redo();
  }
}

const restoredListeners = new Set<(label: string) => void>();
/** Server mode listens here: undo, redo and an imported project change slices without an `edited()` call. */
export function onSlicesRestored(listener: (label: string) => void): void {
  restoredListeners.add(listener);
}
const restored = (label: string) => restoredListeners.forEach((l) => l(label));

export function undo(): void {
  undoManager?.undo();
  autosave?.edit();
  restored('undo');
}

export function redo(): void {
  undoManager?.redo();
  autosave?.edit();
  restored('redo');
}

/** Apply a checked project text from another tab (or the one the user chose); nothing changes if it is refused. */
function applyText(text: string): boolean {
  try {
    const project = parseProject(text);
    const result = applyProject(project);
    pending.replace(project.slices, result.notLoaded);
    undoManager?.reset();
    return true;
  } catch (e) {
    const err = e instanceof ProjectError ? e : new ProjectError((e as Error).message, (e as Error).message);
    session.message = { kind: 'error', zh: `另一个标签页的修改无法载入: ${err.zh}`, en: `the other tab's change could not be loaded: ${err.en}` };
    return false;
  }
}

/**
 * Server mode (shared/shared.svelte.ts): the shared project's server decides between versions, and every tab
 * follows it (live events), so tabs stop following or questioning each other through this browser's storage;
 * the local autosave is then only a cache of the last state this tab saw.
 */
let serverArbitrates = false;
export function letServerArbitrate(): void {
  serverArbitrates = true;
  session.conflict = null;
}

/** Another tab made an edit: follow it when it was made on what this tab holds, else ask the user. */
function onTabEdit(edit: TabEdit): void {
  if (!autosave || serverArbitrates) return;
  const j = judge(autosave.rev, edit);
  if (!j) return;
  if (j.kind === 'conflict') {
    session.conflict = { ...(session.conflict ?? {}), edit };
    return;
  }
  if (applyText(edit.text)) {
    autosave.adopt(edit.rev);
    session.conflict = null;
    session.followedAt = new Date().toISOString();
  }
}

/**
 * The user settles a conflict between tabs: keep this tab's version, or take the other's. Either way the
 * result gets a revision after both, is saved, and the other tabs take it over.
 */
export function resolveConflict(keep: 'mine' | 'theirs'): void {
  const c = session.conflict;
  if (!c || !autosave) return;
  if (keep === 'theirs' && !c.edit) {
    // only the database knows the other version: reopening the app reads it
    location.reload();
    return;
  }
  if (keep === 'theirs' && c.edit && !applyText(c.edit.text)) return;
  const after = [c.edit?.rev, c.stored].reduce<Rev | null>((m, r) => (r && (!m || r.n > m.n) ? r : m), null);
  session.conflict = null;
  autosave.edit({ force: true, after });
}

/** Wait for pending autosave writes (tests, and before a deliberate reload). */
export function flushAutosave(): Promise<void> {
  return autosave?.flush() ?? Promise.resolve();
}

/** The whole project as a file's text (all slices, including carried ones, and the view). */
export function exportProjectText(): string {
  const p = buildProject({ dataset: { ...app.datasetInfo }, view: currentView() }, allSlices());
  for (const [k, v] of Object.entries(pending.carry())) if (!(k in p.slices)) p.slices[k] = v;
  return projectToText(p);
}

/** Import a project file; all or nothing. Returns the message shown to the user. */
export function importProject(text: string, fileName: string): SessionMessage {
  try {
    const { project, result } = importProjectText(text);
    pending.replace(project.slices, result.notLoaded);
    undoManager?.reset();
    autosave?.edit();
    restored(`import ${fileName}`);
    if (project.view) applyView(project.view);
    const saved = project.saved_at.slice(0, 16).replace('T', ' ');
    // edits are keyed by community id: say so when the project was made on other data
    const other = project.dataset && project.dataset.source !== app.datasetInfo.source ? project.dataset.source : null;
    const d = droppedNote(project);
    session.message = {
      kind: 'info',
      zh: `已导入项目 ${fileName} (保存于 ${saved})` + (other ? `; 注意: 该项目基于数据「${other}」, 当前为「${app.datasetInfo.source}」, 按小区编号对应` : '') + d.zh,
      en: `imported project ${fileName} (saved ${saved})` + (other ? `; note: it was made on "${other}", the data now loaded is "${app.datasetInfo.source}"; edits apply by community id` : '') + d.en,
    };
  } catch (e) {
    const err = e instanceof ProjectError ? e : new ProjectError((e as Error).message, (e as Error).message);
    session.message = { kind: 'error', zh: `${fileName}: ${err.zh}`, en: `${fileName}: ${err.en}` };
  }
  return session.message;
}
