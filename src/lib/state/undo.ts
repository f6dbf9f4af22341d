/**
 * Global undo/redo over every registered persisted slice (./persisted.ts).
 *
 * How: the manager keeps the JSON text of every slice's snapshot as of the last edit. On `edited(label)`
 * it snapshots all slices again and pushes the previous texts (the state before the edit) with the label.
 * Undo restores those texts into the slices whose text differs (untouched slices are not restored, so an
 * undo of a stage change does not reset the map view or a bundle run) and moves the current state onto
 * the redo stack. Any new edit clears the redo stack. JSON text is both the deep copy and the equality test.
 *
 * Costs: one snapshot of all slices per edit (the slices are small: edits and parameters, not datasets);
 * the stack is capped (default 200 steps) so memory stays bounded.
 */
import { allSlices, onEdited, type PersistedSlice } from './persisted';

export interface UndoEntry {
  label: string;
  /** slice key → JSON text of its snapshot (undefined snapshots are stored as null) */
  state: Record<string, string>;
}

export interface UndoStatus {
  canUndo: boolean;
  canRedo: boolean;
  /** label of the edit an undo would take back */
  undoLabel: string | null;
  redoLabel: string | null;
  depth: number;
}

function capture(slices: PersistedSlice[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of slices) out[s.key] = JSON.stringify(s.snapshot() ?? null);
  return out;
}

export class UndoManager {
  private current: Record<string, string> = {};
  private undoStack: UndoEntry[] = [];
  private redoStack: UndoEntry[] = [];
  private restoring = false;
  private listeners = new Set<(s: UndoStatus) => void>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private slices: () => PersistedSlice[] = allSlices,
    private limit = 200,
  ) {}

  /** Take the baseline (after restore on start) and listen to edits. */
  start(): this {
    this.reset();
    this.unsubscribe ??= onEdited((label) => this.record(label));
    return this;
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Forget history and take the present state as the baseline (after a project import or restore). */
  reset(): void {
    this.current = capture(this.slices());
    this.undoStack = [];
    this.redoStack = [];
    this.emit();
  }

  /**
   * A slice registered after start (a lazily loaded feature): take its present state as its baseline,
   * so the first edit to it can be undone.
   */
  noteSlice(slice: PersistedSlice): void {
    if (!(slice.key in this.current)) this.current = { ...this.current, [slice.key]: JSON.stringify(slice.snapshot() ?? null) };
  }

  /** Record an edit that has just happened. Called through `edited(label)`. */
  record(label: string): void {
    if (this.restoring) return; // a slice's restore() must not create history
    const next = capture(this.slices());
    const changed = Object.keys(next).some((k) => next[k] !== this.current[k]) || Object.keys(this.current).some((k) => !(k in next));
    if (!changed) return; // a no-op edit (e.g. the same value typed again) leaves no undo step
    this.undoStack.push({ label, state: this.current });
    if (this.undoStack.length > this.limit) this.undoStack.shift();
    this.redoStack = [];
    this.current = next;
    this.emit();
  }

  undo(): string | null {
    const e = this.undoStack.pop();
    if (!e) return null;
    this.redoStack.push({ label: e.label, state: this.current });
    this.apply(e.state);
    this.emit();
    return e.label;
  }

  redo(): string | null {
    const e = this.redoStack.pop();
    if (!e) return null;
    this.undoStack.push({ label: e.label, state: this.current });
    this.apply(e.state);
    this.emit();
    return e.label;
  }

  status(): UndoStatus {
    return {
      canUndo: this.undoStack.length > 0,
      canRedo: this.redoStack.length > 0,
      undoLabel: this.undoStack.at(-1)?.label ?? null,
      redoLabel: this.redoStack.at(-1)?.label ?? null,
      depth: this.undoStack.length,
    };
  }

  /** Listen to status changes (for buttons) and to applied undos/redos (for autosave). */
  onChange(l: (s: UndoStatus) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private apply(state: Record<string, string>): void {
    this.restoring = true;
    try {
      for (const s of this.slices()) {
        const text = state[s.key];
        if (text === undefined || text === this.current[s.key]) continue;
        const data = JSON.parse(text);
        s.restore(data === null ? undefined : data);
      }
      this.current = state;
    } finally {
      this.restoring = false;
    }
  }

  private emit(): void {
    const s = this.status();
    for (const l of this.listeners) l(s);
  }
}
