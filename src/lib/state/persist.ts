/**
 * Never lose work: autosave of every registered slice (./persisted.ts) to IndexedDB, and restore on start.
 *
 * - Every `edited(label)` (and every undo/redo, via `schedule()`) schedules a save; saves are debounced
 *   (default 300 ms) so typing in a field does not write on every keystroke, and are flushed at once when the
 *   page is hidden or unloaded (`pagehide`, `visibilitychange`), which is the last moment a browser
 *   reliably runs script. Writes are chained, so an older save can never land after a newer one.
 * - What is saved is a whole project file (./project.ts), so restore, import and migration share one path.
 * - Restore runs before the UI accepts edits. A stored project that cannot be read (corrupt, or written by a
 *   newer version) is NOT discarded: it is copied aside under `project.unreadable.<time>` and the app starts
 *   from the defaults with a visible message, so nothing is silently lost.
 * Storage: idb-keyval in database "jiangbei-planner", store "autosave", key "project".
 */
import { createStore, get, set, type UseStore } from 'idb-keyval';
import { allSlices, onEdited, type PersistedSlice } from './persisted';
import { applyProject, buildProject, parseProject, projectToText, ProjectError, type ApplyResult, type ProjectFile } from './project';

export const AUTOSAVE_DB = 'jiangbei-planner';
export const AUTOSAVE_STORE = 'autosave';
export const AUTOSAVE_KEY = 'project';

let defaultStore: UseStore | undefined;
export function autosaveStore(): UseStore {
  defaultStore ??= createStore(AUTOSAVE_DB, AUTOSAVE_STORE);
  return defaultStore;
}

export type RestoreResult =
  | { status: 'empty' }
  | { status: 'restored'; savedAt: string; project: ProjectFile; result: ApplyResult }
  | { status: 'failed'; zh: string; en: string; keptAs: string };

/** Read the autosaved project and restore every slice from it. */
export async function restoreAutosave(store: UseStore = autosaveStore(), slices: PersistedSlice[] = allSlices()): Promise<RestoreResult> {
  return restoreFromText(await readAutosaveText(store), store, slices);
}

/** The stored text (phase 1 of a restore; the caller may give up waiting without anything being applied). */
export function readAutosaveText(store: UseStore = autosaveStore()): Promise<string | undefined> {
  return get<string>(AUTOSAVE_KEY, store);
}

/** Phase 2 of a restore: parse, migrate and apply (all or nothing); an unreadable text is kept aside. */
export async function restoreFromText(
  text: string | undefined,
  store: UseStore = autosaveStore(),
  slices: PersistedSlice[] = allSlices(),
): Promise<RestoreResult> {
  if (text === undefined) return { status: 'empty' };
  try {
    const project = parseProject(text);
    const result = applyProject(project, slices);
    return { status: 'restored', savedAt: project.saved_at, project, result };
  } catch (err) {
    const keptAs = `${AUTOSAVE_KEY}.unreadable.${new Date().toISOString()}`;
    await set(keptAs, text, store);
    const e = err instanceof ProjectError ? err : new ProjectError(String((err as Error).message), String((err as Error).message));
    return {
      status: 'failed',
      zh: `无法恢复上次自动保存的工作 (${e.zh}); 原数据已另存为 "${keptAs}"`,
      en: `could not restore the last autosave (${e.en}); the stored data was kept as "${keptAs}"`,
      keptAs,
    };
  }
}

export interface AutosaveOptions {
  store?: UseStore;
  debounceMs?: number;
  slices?: () => PersistedSlice[];
  /** extra project fields saved along (dataset info, view) */
  extras?: () => { dataset?: ProjectFile['dataset']; view?: ProjectFile['view'] };
  /**
   * slices from the restored project whose feature has not registered in this session yet (its module was
   * never loaded): saved along verbatim so work in a feature the user did not open is never dropped
   */
  carry?: () => Record<string, unknown>;
  onSaved?: (savedAt: string) => void;
  onError?: (err: Error) => void;
  /** where to listen for pagehide/visibilitychange; defaults to globalThis when it is a window */
  target?: { addEventListener: Window['addEventListener']; removeEventListener: Window['removeEventListener'] };
}

export class Autosave {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private chain: Promise<void> = Promise.resolve();
  private dirty = false;
  private unsubscribe: () => void;
  private readonly onHide = () => void this.flush();
  private readonly onVisibility = () => {
    if (typeof document !== 'undefined' && document.visibilityState === 'hidden') void this.flush();
  };

  constructor(private o: AutosaveOptions = {}) {
    this.unsubscribe = onEdited(() => this.schedule());
    const t = o.target ?? (typeof window !== 'undefined' ? window : undefined);
    t?.addEventListener('pagehide', this.onHide);
    t?.addEventListener('visibilitychange', this.onVisibility);
  }

  /** Ask for a save soon (debounced). */
  schedule(): void {
    this.dirty = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.o.debounceMs ?? 300);
  }

  /** Save now if anything is pending; resolves when the write has landed. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (!this.dirty) return this.chain;
    this.dirty = false;
    // snapshot synchronously, so the saved state is the state at flush time even if the write is slow
    const project = buildProject(this.o.extras?.() ?? {}, (this.o.slices ?? allSlices)());
    for (const [k, v] of Object.entries(this.o.carry?.() ?? {})) if (!(k in project.slices)) project.slices[k] = v;
    const text = projectToText(project);
    this.chain = this.chain
      .then(() => set(AUTOSAVE_KEY, text, this.o.store ?? autosaveStore()))
      .then(
        () => this.o.onSaved?.(project.saved_at),
        (err: unknown) => {
          this.dirty = true; // try again with the next edit or flush
          this.o.onError?.(err instanceof Error ? err : new Error(String(err)));
        },
      );
    return this.chain;
  }

  stop(): void {
    this.unsubscribe();
    const t = this.o.target ?? (typeof window !== 'undefined' ? window : undefined);
    t?.removeEventListener('pagehide', this.onHide);
    t?.removeEventListener('visibilitychange', this.onVisibility);
    if (this.timer) clearTimeout(this.timer);
  }
}

/** Read what the autosave holds, as a project (for export of the last saved state, and for tests). */
export async function readAutosave(store: UseStore = autosaveStore()): Promise<ProjectFile | null> {
  const text = await get<string>(AUTOSAVE_KEY, store);
  return text === undefined ? null : parseProject(text);
}

/**
 * Slices of a restored or imported project whose feature has not registered in this session (its module is
 * loaded lazily, or not at all). They are carried through every save verbatim, and restored into the slice
 * the moment it registers, so work in a feature the user did not open is never dropped.
 */
export class PendingSlices {
  private data: Record<string, unknown> = {};

  /** Keep the given slices (keys of a project not registered now); replaces what was pending. */
  replace(slices: Record<string, unknown>, keys: readonly string[]): void {
    this.data = {};
    for (const k of keys) if (k in slices) this.data[k] = slices[k];
  }

  /** What saves must carry along. */
  carry(): Record<string, unknown> {
    return this.data;
  }

  /** A slice has just registered: give it its pending data. Throws (with the slice named) if it refuses it. */
  adopt(slice: PersistedSlice): boolean {
    if (!(slice.key in this.data)) return false;
    const d = this.data[slice.key];
    delete this.data[slice.key];
    try {
      slice.restore(structuredClone(d));
    } catch (e) {
      // keep carrying it: a later build may read it
      this.data[slice.key] = d;
      throw new Error(`slice "${slice.key}": ${(e as Error).message}`);
    }
    return true;
  }
}
