import { describe, expect, it } from 'vitest';
import { UndoManager } from './undo';
import type { PersistedSlice } from './persisted';

/** Plain slices with restore counters: undo must restore only what changed, and never record while restoring. */
function slice(key: string, initial: number, onRestore?: () => void) {
  let v = initial;
  let restores = 0;
  const s: PersistedSlice<number> = {
    key,
    snapshot: () => v,
    restore: (d) => {
      restores++;
      v = d ?? initial;
      onRestore?.();
    },
  };
  return { s: s as PersistedSlice, set: (x: number) => (v = x), get: () => v, restores: () => restores };
}

describe('UndoManager', () => {
  it('restores only the slices an edit changed', () => {
    const a = slice('a', 1);
    const b = slice('b', 10);
    const u = new UndoManager(() => [a.s, b.s]);
    u.reset();
    a.set(2);
    u.record('a=2');
    b.set(20);
    u.record('b=20');
    expect(u.undo()).toBe('b=20');
    expect([a.get(), b.get()]).toEqual([2, 10]);
    expect([a.restores(), b.restores()]).toEqual([0, 1]);
    expect(u.undo()).toBe('a=2');
    expect(a.get()).toBe(1);
    expect(u.undo()).toBeNull();
    expect(u.redo()).toBe('a=2');
    expect(u.redo()).toBe('b=20');
    expect(u.redo()).toBeNull();
    expect([a.get(), b.get()]).toEqual([2, 20]);
  });

  it('a restore that reports an edit does not create history', () => {
    let u!: UndoManager;
    const a = slice('a', 1, () => u.record('echo'));
    u = new UndoManager(() => [a.s]);
    u.reset();
    a.set(5);
    u.record('a=5');
    u.undo();
    expect(u.status()).toMatchObject({ canUndo: false, canRedo: true, depth: 0 });
  });

  it('keeps at most `limit` steps', () => {
    const a = slice('a', 0);
    const u = new UndoManager(() => [a.s], 3);
    u.reset();
    for (let i = 1; i <= 5; i++) {
      a.set(i);
      u.record(`a=${i}`);
    }
    expect(u.status().depth).toBe(3);
    u.undo();
    u.undo();
    u.undo();
    expect(a.get()).toBe(2);
    expect(u.status().canUndo).toBe(false);
  });

  it('notifies listeners with the status', () => {
    const a = slice('a', 0);
    const u = new UndoManager(() => [a.s]);
    const seen: (string | null)[] = [];
    u.onChange((s) => seen.push(s.undoLabel));
    u.reset();
    a.set(1);
    u.record('one');
    u.undo();
    expect(seen).toEqual([null, 'one', null]);
  });
});
