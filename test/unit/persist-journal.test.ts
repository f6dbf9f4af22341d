/**
 * Issue 16 items 4 and 5 at unit level: an edit is written ahead to the journal in the same task (durable
 * before "saved"), the journal wins over an older database copy at start, and two tabs never overwrite each
 * other silently (revisions; the database refuses a revision it has not seen). Browser tests do the same in
 * real Chromium (test/e2e/persist.spec.ts).
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStore, get } from 'idb-keyval';
import { app } from '../../src/lib/state/app.svelte';
import { pool } from '../../src/lib/state/pool.svelte';
import { allSlices } from '../../src/lib/state/persisted';
import { Autosave, AUTOSAVE_KEY, JOURNAL_KEY, readAutosaveStored, readJournal, restoreFromStored, writeJournal, REVISION_KEY, type Rev } from '../../src/lib/state/persist';
import { judge, type TabEdit } from '../../src/lib/state/tabs';
import { datasetOf } from '../fixtures/project/dataset';

/** localStorage stand-in (synchronous, like the real one) */
class MemoryStorage implements Storage {
  private m = new Map<string, string>();
  full = false;
  get length() {
    return this.m.size;
  }
  clear() {
    this.m.clear();
  }
  getItem(k: string) {
    return this.m.get(k) ?? null;
  }
  key(i: number) {
    return [...this.m.keys()][i] ?? null;
  }
  removeItem(k: string) {
    this.m.delete(k);
  }
  setItem(k: string, v: string) {
    if (this.full) throw new DOMException('quota', 'QuotaExceededError');
    this.m.set(k, v);
  }
}

let n = 0;
let store: ReturnType<typeof createStore>;
let journal: MemoryStorage;
const running: Autosave[] = [];
const autosave = (o: ConstructorParameters<typeof Autosave>[0]) => {
  const a = new Autosave({ store, journal, debounceMs: 60_000, ...o });
  running.push(a);
  return a;
};

beforeEach(() => {
  store = createStore(`journal-test-${n++}`, 'autosave');
  journal = new MemoryStorage();
  app.setDataset(datasetOf(['C01', 'C02', 'C03']), { synthetic: true, source: 'test' });
  pool.restore(undefined);
});
afterEach(() => {
  for (const a of running.splice(0)) a.stop();
});

describe('4. the last edit is durable before the UI says "saved"', () => {
  it('an edit is in the journal synchronously, and "saved" is reported only then', () => {
    const events: string[] = [];
    autosave({ tab: 'A', onSaved: (_t, where) => events.push(where) });
    pool.setAttr('C01', 'households', 321);
    // no await: the reload could come right now
    const j = readJournal(journal)!;
    expect(j.rev).toEqual({ n: 1, tab: 'A' });
    expect(JSON.parse(j.text).slices.pool.overlay.C01.attrs.households).toBe(321);
    expect(events).toEqual(['journal']);
  });

  it('a reload right after the edit (database not written yet) restores it from the journal', async () => {
    autosave({ tab: 'A' });
    pool.setAttr('C01', 'households', 322);
    expect(await get(AUTOSAVE_KEY, store)).toBeUndefined();
    pool.restore(undefined); // the reload
    const r = await restoreFromStored(await readAutosaveStored(store), store, allSlices(), readJournal(journal));
    expect(r.status).toBe('restored');
    expect(r.status === 'restored' && r.fromJournal).toBe(true);
    expect(pool.recordById.get('C01')!.households).toBe(322);
  });

  it('once the database holds the revision the journal is cleared; an older journal never wins over a newer database', async () => {
    const a = autosave({ tab: 'A' });
    pool.setAttr('C01', 'households', 400);
    await a.flush();
    expect(journal.getItem(JOURNAL_KEY)).toBeNull();
    expect(await get(REVISION_KEY, store)).toEqual({ n: 1, tab: 'A' });
    // a stale journal from an earlier revision
    writeJournal(journal, { rev: { n: 0, tab: 'A' }, base: null, text: '{}' });
    pool.restore(undefined);
    const r = await restoreFromStored(await readAutosaveStored(store), store, allSlices(), readJournal(journal));
    expect(r.status === 'restored' && r.fromJournal).toBe(false);
    expect(pool.recordById.get('C01')!.households).toBe(400);
  });

  it('a journal that cannot be written (storage full) keeps the status at "saving…" until the database lands', async () => {
    journal.full = true;
    const events: string[] = [];
    const a = autosave({ tab: 'A', onSaved: (_t, where) => events.push(where), onPending: () => events.push('pending') });
    pool.setAttr('C01', 'households', 401);
    expect(events).toEqual(['pending']);
    await a.flush();
    expect(events).toEqual(['pending', 'db']);
  });
});

describe('5. two tabs never overwrite each other silently', () => {
  const edit = (rev: Rev, base: Rev | null, force = false): TabEdit => ({ type: 'edit', rev, base, text: '{}', force });

  it('a tab follows an edit made on what it holds; anything else is a conflict', () => {
    const r5: Rev = { n: 5, tab: 'A' };
    expect(judge(r5, edit({ n: 6, tab: 'B' }, r5))?.kind).toBe('follow');
    expect(judge(null, edit({ n: 1, tab: 'B' }, null))?.kind).toBe('follow');
    expect(judge({ n: 6, tab: 'A' }, edit({ n: 6, tab: 'B' }, r5))?.kind).toBe('conflict');
    expect(judge({ n: 6, tab: 'A' }, edit({ n: 7, tab: 'B' }, { n: 6, tab: 'B' }))?.kind).toBe('conflict');
    expect(judge({ n: 6, tab: 'A' }, edit({ n: 7, tab: 'B' }, { n: 6, tab: 'B' }, true))?.kind).toBe('follow');
    expect(judge({ n: 6, tab: 'A' }, edit({ n: 6, tab: 'A' }, r5))).toBeNull();
  });

  it('the database refuses a save from a tab that has not seen the stored revision, and says so', async () => {
    const conflicts: Rev[] = [];
    const a = autosave({ tab: 'A', journal: null });
    const b = autosave({ tab: 'B', journal: null, onConflict: (r) => conflicts.push(r) });
    pool.setAttr('C01', 'households', 500); // both tabs see this edit in this test's one state; revisions differ
    await a.flush();
    await b.flush();
    expect(conflicts).toEqual([{ n: 1, tab: 'A' }]);
    expect(await get(REVISION_KEY, store)).toEqual({ n: 1, tab: 'A' });
    // B settles it ("keep mine"): numbered after A's, so the database takes it
    b.edit({ force: true, after: conflicts[0] });
    await b.flush();
    expect(await get(REVISION_KEY, store)).toEqual({ n: 2, tab: 'B' });
  });
});
