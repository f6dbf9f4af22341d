/**
 * The registry of persistent state. Every feature that holds user work (attribute edits, stages, votes,
 * rubric, pools, bundles, proposals, saved views, parameters) registers one slice here. The persistence
 * layer (persist.ts: IndexedDB autosave + project file) and undo/redo (undo.ts) work over all slices,
 * so no feature writes its own storage code.
 *
 * A slice's snapshot must be plain JSON (no Maps, no class instances, no functions).
 */
export interface PersistedSlice<T = unknown> {
  /** stable key in the project file, e.g. "pool", "bundles", "coverage.proposals" */
  key: string;
  snapshot(): T;
  /** restore from a snapshot (from undo/redo, autosave or a project file); `undefined` = reset to default */
  restore(data: T | undefined): void;
}

const slices = new Map<string, PersistedSlice>();
const listeners = new Set<(label: string) => void>();

export function registerSlice<T>(slice: PersistedSlice<T>): void {
  if (slices.has(slice.key)) throw new Error(`persisted slice "${slice.key}" registered twice`);
  slices.set(slice.key, slice as PersistedSlice);
  for (const l of registrationListeners) l(slice as PersistedSlice);
}

const registrationListeners = new Set<(slice: PersistedSlice) => void>();

/**
 * persist.ts and undo.ts listen here so a slice registered late (a lazily loaded panel's state module)
 * still gets its autosaved data and an undo baseline. Returns an unsubscribe function.
 */
export function onRegistered(listener: (slice: PersistedSlice) => void): () => void {
  registrationListeners.add(listener);
  return () => registrationListeners.delete(listener);
}

export function allSlices(): PersistedSlice[] {
  return [...slices.values()];
}

/** Call after every user edit, with a short label for the undo list ("阶段: 孔浦一村 → APPLIED"). */
export function edited(label: string): void {
  for (const l of listeners) l(label);
}

/** persist.ts and undo.ts subscribe here. Returns an unsubscribe function. */
export function onEdited(listener: (label: string) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
