/**
 * Never lose work: every registered slice (./persisted.ts) is saved, durably, before the UI says "saved".
 *
 * - Write-ahead journal: every edit (`edited(label)`, undo/redo) writes the whole project text, synchronously,
 *   to localStorage (`JOURNAL_KEY`) in the same task as the edit. A reload or a browser close right after
 *   the edit (0 ms) finds it there; this is the moment the status turns to "saved". If the journal cannot
 *   be written (storage full), the status stays "saving…" until the database write below has landed.
 * - Autosave to IndexedDB, debounced (default 300 ms) and flushed on `pagehide`/`visibilitychange`; writes
 *   are chained, so an older save never lands after a newer one. What is saved is a whole project file
 *   (./project.ts), so restore, import and migration share one path. Once the database holds the journal's
 *   revision, the journal is removed.
 * - Revisions: every edit gets a revision `{ n, tab }` (n counts up across tabs). The database keeps the
 *   revision of the text it holds; a save runs under a Web Lock and refuses to replace a revision it has not
 *   seen (another tab saved other work meanwhile): that is reported as a conflict, never written over.
 * - Restore at start: the journal wins over the database when it is newer. Everything read is checked
 *   (./schemas.ts) before anything is applied. A stored text that cannot be read (corrupt, newer version,
 *   invalid data) is NOT discarded: it is copied aside under `project.unreadable.<time>`, the user is told and
 *   can download it, and the app starts from the defaults.
 * Storage: idb-keyval in database "jiangbei-planner", store "autosave", keys "project" and "revision".
 */
import { createStore, get, set, setMany, type UseStore } from 'idb-keyval';
import { allSlices, onEdited, type PersistedSlice } from './persisted';
import { applyProject, parseProject, PROJECT_FORMAT, PROJECT_SCHEMA_VERSION, ProjectError, type ApplyResult, type ProjectFile } from './project';
import { validateSlice, validateView } from './schemas';

export const AUTOSAVE_DB = 'jiangbei-planner';
export const AUTOSAVE_STORE = 'autosave';
export const AUTOSAVE_KEY = 'project';
export const REVISION_KEY = 'revision';
export const JOURNAL_KEY = 'jiangbei-planner.journal';
const LOCK_NAME = 'jiangbei-planner.autosave';

let defaultStore: UseStore | undefined;
export function autosaveStore(): UseStore {
  defaultStore ??= createStore(AUTOSAVE_DB, AUTOSAVE_STORE);
  return defaultStore;
}

/** A revision of the project: `n` counts edits across tabs, `tab` says which tab made it. */
export interface Rev {
  n: number;
  tab: string;
}
export const revId = (r: Rev | null | undefined): string => (r ? `${r.n}:${r.tab}` : '0:');
const isRev = (x: unknown): x is Rev =>
  typeof x === 'object' && x !== null && Number.isInteger((x as Rev).n) && (x as Rev).n >= 0 && typeof (x as Rev).tab === 'string';

/** What the journal holds: the project text of one edit, its revision and the revision it was made on. */
export interface JournalEntry {
  rev: Rev;
  base: Rev | null;
  text: string;
  /** made by "keep this tab's version" in a conflict: other tabs take it over */
  force?: boolean;
}

export function defaultJournal(): Storage | null {
  try {
    return typeof localStorage !== 'undefined' ? localStorage : null;
  } catch {
    return null; // storage disabled by the browser
  }
}

/** The journal is one localStorage item: a line of JSON `{ rev, base }`, then the project text (not re-escaped). */
export function writeJournal(journal: Storage, e: JournalEntry): void {
  journal.setItem(JOURNAL_KEY, JSON.stringify({ rev: e.rev, base: e.base }) + '\n' + e.text);
}

export function readJournal(journal: Storage | null = defaultJournal()): JournalEntry | null {
  try {
    const raw = journal?.getItem(JOURNAL_KEY);
    if (!raw) return null;
    const nl = raw.indexOf('\n');
    if (nl < 0) return null;
    const meta = JSON.parse(raw.slice(0, nl)) as Partial<JournalEntry>;
    return isRev(meta.rev) ? { rev: meta.rev, base: isRev(meta.base) ? meta.base : null, text: raw.slice(nl + 1) } : null;
  } catch {
    return null;
  }
}

/**
 * The project text of the present state, built fast enough to run on every edit: each slice is turned into
 * JSON once, and a slice whose snapshot holds the very same values as last time (state is replaced, never
 * mutated, so identity means "unchanged": e.g. an imported layer of thousands of features) reuses its text.
 */
export class ProjectWriter {
  private cache = new Map<string, { vals: unknown[]; text: string }>();
  /** slice texts already checked against their schema (a save checks only what changed) */
  private checked = new Map<string, string>();

  private sliceText(key: string, snap: unknown): string {
    const vals = typeof snap === 'object' && snap !== null && !Array.isArray(snap) ? Object.values(snap) : null;
    const hit = this.cache.get(key);
    if (vals && hit && hit.vals.length === vals.length && hit.vals.every((v, i) => v === vals[i])) return hit.text;
    const text = JSON.stringify(snap);
    if (vals) this.cache.set(key, { vals, text });
    return text;
  }

  /** Build the text; `parts` are the slices' texts (for the check at save). */
  build(extras: { dataset?: ProjectFile['dataset']; view?: ProjectFile['view'] }, slices: PersistedSlice[], carry: Record<string, unknown>, now = new Date()) {
    const parts: [string, string][] = [];
    for (const sl of slices) {
      const snap = sl.snapshot();
      if (snap !== undefined) parts.push([sl.key, this.sliceText(sl.key, snap)]);
    }
    for (const [k, v] of Object.entries(carry)) if (!parts.some(([key]) => key === k)) parts.push([k, this.sliceText(k, v)]);
    const savedAt = now.toISOString();
    const head: Record<string, unknown> = { format: PROJECT_FORMAT, schema_version: PROJECT_SCHEMA_VERSION, saved_at: savedAt };
    if (extras.dataset) head.dataset = extras.dataset;
    if (extras.view) head.view = extras.view;
    const slicesText = parts.map(([k, t]) => `${JSON.stringify(k)}:${t}`).join(',');
    const text = JSON.stringify(head).slice(0, -1) + `,"slices":{${slicesText}}}`;
    return { savedAt, text, parts, view: extras.view };
  }

  /** Check what a restore would check, for the slices that changed since the last check. Throws SliceDataError. */
  check(parts: [string, string][], view: unknown): void {
    validateView(view);
    for (const [k, t] of parts) {
      if (this.checked.get(k) === t) continue;
      validateSlice(k, JSON.parse(t));
      this.checked.set(k, t);
    }
  }
}

export type RestoreResult =
  | { status: 'empty'; rev: Rev | null }
  | { status: 'restored'; savedAt: string; project: ProjectFile; result: ApplyResult; rev: Rev | null; fromJournal: boolean }
  | { status: 'failed'; zh: string; en: string; keptAs: string; keptText: string; rev: Rev | null };

/** Read the autosaved project (journal first when newer) and restore every slice from it. */
export async function restoreAutosave(
  store: UseStore = autosaveStore(),
  slices: PersistedSlice[] = allSlices(),
  journal: Storage | null = defaultJournal(),
): Promise<RestoreResult> {
  return restoreFromStored(await readAutosaveStored(store), store, slices, readJournal(journal));
}

/** Phase 1 of a restore: the stored text and revision (the caller may give up waiting; nothing is applied). */
export async function readAutosaveStored(store: UseStore = autosaveStore()): Promise<{ text?: string; rev: Rev | null }> {
  const [text, rev] = await Promise.all([get<string>(AUTOSAVE_KEY, store), get<unknown>(REVISION_KEY, store)]);
  return { text, rev: isRev(rev) ? rev : null };
}

/** Phase 2: pick the newest of database and journal, check it, apply it (all or nothing) or keep it aside. */
export async function restoreFromStored(
  stored: { text?: string; rev: Rev | null },
  store: UseStore = autosaveStore(),
  slices: PersistedSlice[] = allSlices(),
  journal: JournalEntry | null = null,
): Promise<RestoreResult> {
  const useJournal = journal !== null && (stored.text === undefined || journal.rev.n > (stored.rev?.n ?? -1));
  const text = useJournal ? journal.text : stored.text;
  const rev = useJournal ? journal.rev : stored.rev;
  if (text === undefined) return { status: 'empty', rev };
  try {
    const project = parseProject(text);
    const result = applyProject(project, slices);
    return { status: 'restored', savedAt: project.saved_at, project, result, rev, fromJournal: useJournal };
  } catch (err) {
    const keptAs = `${AUTOSAVE_KEY}.unreadable.${new Date().toISOString()}`;
    await set(keptAs, text, store);
    const e = err instanceof ProjectError ? err : new ProjectError(String((err as Error).message), String((err as Error).message));
    return {
      status: 'failed',
      zh: `无法恢复上次自动保存的工作 (${e.zh})。原数据已完整保留, 可下载后检查; 本次从默认状态开始`,
      en: `could not restore the last autosave (${e.en}). The stored data was kept, untouched, and can be downloaded; this session starts from the defaults`,
      keptAs,
      keptText: text,
      rev,
    };
  }
}

/** The database holds a revision this tab has not seen: another tab saved other work. */
export class AutosaveConflict extends Error {
  constructor(readonly stored: Rev) {
    super(`another tab saved other work (revision ${stored.n})`);
  }
}

export interface AutosaveOptions {
  store?: UseStore;
  debounceMs?: number;
  slices?: () => PersistedSlice[];
  /** extra project fields saved along (dataset info, view) */
  extras?: () => { dataset?: ProjectFile['dataset']; view?: ProjectFile['view'] };
  /**
   * checked slices from the restored project whose feature has not registered in this session yet (its
   * module was never loaded): saved along so work in a feature the user did not open is never dropped
   */
  carry?: () => Record<string, unknown>;
  /** the write-ahead journal (default: localStorage; null: none) */
  journal?: Storage | null;
  /** this tab's id in revisions */
  tab?: string;
  /** the revision restored at start */
  rev?: Rev | null;
  /** an edit was journalled (`'journal'`) or the database write landed (`'db'`): the work is durable */
  onSaved?: (savedAt: string, where: 'journal' | 'db') => void;
  /** an edit is not durable yet (the journal could not be written): "saving…" */
  onPending?: () => void;
  onError?: (err: Error) => void;
  /** every edit, after it is journalled: for other tabs (./tabs.ts) */
  onEdit?: (entry: JournalEntry) => void;
  onConflict?: (stored: Rev) => void;
  /** where to listen for pagehide/visibilitychange; defaults to globalThis when it is a window */
  target?: { addEventListener: Window['addEventListener']; removeEventListener: Window['removeEventListener'] };
}

type Locks = { request(name: string, cb: () => Promise<void>): Promise<void> };
const webLocks = (): Locks | undefined => (typeof navigator !== 'undefined' ? (navigator as unknown as { locks?: Locks }).locks : undefined);

export class Autosave {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private chain: Promise<void> = Promise.resolve();
  private dirty = false;
  private unsubscribe: () => void;
  private readonly journal: Storage | null;
  readonly tab: string;
  /** the revision of the state this tab holds */
  rev: Rev | null;
  private readonly onHide = () => void this.flush();
  private readonly onVisibility = () => {
    if (typeof document !== 'undefined' && document.visibilityState === 'hidden') void this.flush();
  };

  constructor(private o: AutosaveOptions = {}) {
    this.journal = o.journal === undefined ? defaultJournal() : o.journal;
    this.tab = o.tab ?? Math.random().toString(36).slice(2, 10);
    this.rev = o.rev ?? null;
    this.unsubscribe = onEdited(() => this.edit());
    const t = o.target ?? (typeof window !== 'undefined' ? window : undefined);
    t?.addEventListener('pagehide', this.onHide);
    t?.addEventListener('visibilitychange', this.onVisibility);
  }

  private readonly writer = new ProjectWriter();

  private projectText() {
    return this.writer.build(this.o.extras?.() ?? {}, (this.o.slices ?? allSlices)(), this.o.carry?.() ?? {});
  }

  /**
   * A user edit has just happened (state already changed): give it a new revision, write it ahead to the
   * journal now (synchronously), tell other tabs, and save to the database soon.
   */
  edit(opts: { force?: boolean; after?: Rev | null } = {}): void {
    const { force = false, after = null } = opts;
    const base = this.rev;
    // a resolved conflict numbers its revision after the other tab's, so the database takes it
    this.rev = { n: Math.max(base?.n ?? 0, after?.n ?? 0) + 1, tab: this.tab };
    let entry: JournalEntry;
    try {
      const { savedAt, text } = this.projectText();
      entry = { rev: this.rev, base, text, ...(force ? { force } : {}) };
      this.o.onEdit?.(entry);
      try {
        if (this.journal) writeJournal(this.journal, entry);
        if (this.journal) this.o.onSaved?.(savedAt, 'journal');
        else this.o.onPending?.();
      } catch {
        this.o.onPending?.(); // storage full or off: durable only once the database write lands
      }
    } catch (err) {
      this.o.onError?.(err instanceof Error ? err : new Error(String(err)));
    }
    this.schedule();
  }

  /** Another tab's state was applied here: this tab now holds that revision (and has nothing of its own to save). */
  adopt(rev: Rev): void {
    this.rev = rev;
    this.dirty = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Ask for a database save soon (debounced); used for view changes, which are not edits. */
  schedule(): void {
    this.dirty = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.o.debounceMs ?? 300);
  }

  /** Save now if anything is pending; resolves when the write has landed (or failed, which is reported). */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (!this.dirty) return this.chain;
    this.dirty = false;
    const fail = (err: unknown) => {
      this.dirty = !(err instanceof AutosaveConflict); // try again with the next edit or flush
      if (err instanceof AutosaveConflict) this.o.onConflict?.(err.stored);
      else this.o.onError?.(err instanceof Error ? err : new Error(String(err)));
    };
    let saved: ReturnType<ProjectWriter['build']>;
    try {
      // snapshot synchronously, so the saved state is the state at flush time even if the write is slow;
      // and check it as a restore would, so a save that could not be read back says so now
      saved = this.projectText();
      this.writer.check(saved.parts, saved.view);
    } catch (err) {
      fail(err);
      return this.chain;
    }
    const rev = this.rev;
    this.chain = this.chain.then(() => this.write(saved.text, rev)).then(() => this.o.onSaved?.(saved.savedAt, 'db'), fail);
    return this.chain;
  }

  /** One database write under the tabs' lock: refused (conflict) when the stored revision is one this tab has not seen. */
  private write(text: string, rev: Rev | null): Promise<void> {
    const store = this.o.store ?? autosaveStore();
    const run = async () => {
      const stored = await get<unknown>(REVISION_KEY, store);
      if (isRev(stored) && revId(stored) !== revId(rev) && stored.n >= (rev?.n ?? 0)) throw new AutosaveConflict(stored);
      await setMany(rev ? [[AUTOSAVE_KEY, text], [REVISION_KEY, rev]] : [[AUTOSAVE_KEY, text]], store);
      const j = readJournal(this.journal);
      if (j && revId(j.rev) === revId(rev)) this.journal?.removeItem(JOURNAL_KEY);
    };
    const locks = webLocks();
    return locks ? locks.request(LOCK_NAME, run) : run();
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
 * Checked slices of a restored or imported project whose feature has not registered in this session (its
 * module is loaded lazily, or not at all). They are carried through every save, and restored into the slice
 * the moment it registers, so work in a feature the user did not open is never dropped. Slices this build
 * does not know are never here: project.ts drops them when the file is read.
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
