/**
 * Keeps the app's persisted slices in step with a shared project on the server (server mode only).
 * No DOM, no Svelte: it works over `PersistedSlice`s and a `fetch`, so it is tested against the real server.
 *
 * Records: the pool slice's per-community edits are `community` records (one per community, so two 街道 never
 * collide); slices listed in state/parts.ts (content plans and surveys, special works) are split into `part`
 * records (one per community or work) plus their district settings; the rubric and every other slice are `slice`
 * records (district only). A local edit becomes an operation
 * `{ opId, kind, key, base, value }` in an outbox, `base` being the record version the edit was made on. The outbox
 * is sent in order, one at a time, and kept in storage until acknowledged, so edits made offline are sent when the
 * server is back; a retried operation is applied once (the server remembers operation ids).
 * A refused operation is never lost silently: a conflict (someone changed the record first) keeps the user's value
 * beside the winner's for the user to look at and reapply; a permission refusal puts the record back and says why.
 * Changes by others arrive as events and are applied at once unless the user has an edit of that record in flight.
 */
import type { PersistedSlice } from '../state/persisted';
import type { CommunityEdit, PoolSliceData } from '../analysis/pool';
import { PARTS, parsePartKey, partKey } from '../state/parts';

export type Kind = 'community' | 'slice' | 'part';

export interface RemoteRecord {
  kind: Kind;
  key: string;
  value: unknown;
  version: number;
  updated_by?: string | null;
  updated_at?: string;
}

export interface Op {
  opId: string;
  kind: Kind;
  key: string;
  base: number;
  value: unknown;
  label: string;
}

export interface Conflict {
  kind: Kind;
  key: string;
  mine: unknown;
  theirs: unknown;
  version: number;
  by: string | null;
  at: string | null;
  label: string;
}

export interface OutboxStore {
  load(): Promise<Op[]>;
  save(ops: Op[]): Promise<void>;
}

export interface SyncOptions {
  fetch: (path: string, init?: RequestInit) => Promise<Response>;
  projectId: number;
  csrf: string;
  slices: () => PersistedSlice[];
  outbox: OutboxStore;
  /** may this user send slice records (the district only) */
  canWriteSlices: boolean;
  onChange?: () => void;
  newId?: () => string;
}

const recKey = (kind: Kind, key: string) => `${kind}\u0000${key}`;
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export class SharedSync {
  /** the server's value and version of every record, as last heard */
  private server = new Map<string, { value: unknown; version: number }>();
  /** what the local slices held when last compared (the value of each record) */
  private local = new Map<string, unknown>();
  outbox: Op[] = [];
  conflicts: Conflict[] = [];
  refusals: { key: string; why: string }[] = [];
  online = true;
  seq = 0;
  private sending = false;
  private flushing: Promise<void> | undefined;
  private mySeqs = new Set<number>();

  constructor(private o: SyncOptions) {}

  private slice(key: string) {
    return this.o.slices().find((s) => s.key === key);
  }

  /** Records as the local slices hold them now. */
  localRecords(): Map<string, { kind: Kind; key: string; value: unknown }> {
    const out = new Map<string, { kind: Kind; key: string; value: unknown }>();
    for (const s of this.o.slices()) {
      const snap = s.snapshot();
      if (s.key === 'pool') {
        const pool = snap as PoolSliceData;
        for (const [id, e] of Object.entries(pool.overlay)) out.set(recKey('community', id), { kind: 'community', key: id, value: e });
        if (pool.rubric) out.set(recKey('slice', 'rubric'), { kind: 'slice', key: 'rubric', value: pool.rubric });
      } else if (PARTS[s.key] && snap !== undefined) {
        const { rest, parts } = PARTS[s.key]!.split(JSON.parse(JSON.stringify(snap)));
        if (rest !== null) out.set(recKey('slice', s.key), { kind: 'slice', key: s.key, value: rest });
        for (const [id, value] of Object.entries(parts)) out.set(recKey('part', partKey(s.key, id)), { kind: 'part', key: partKey(s.key, id), value });
      } else if (snap !== undefined) out.set(recKey('slice', s.key), { kind: 'slice', key: s.key, value: JSON.parse(JSON.stringify(snap)) });
    }
    return out;
  }

  /** Load the server's snapshot into the slices (the server is the truth), then re-send what was queued offline. */
  async start(): Promise<void> {
    const r = await this.o.fetch(`api/projects/${this.o.projectId}`);
    if (!r.ok) throw new Error(`project ${this.o.projectId}: ${r.status}`);
    const snap = (await r.json()) as { records: RemoteRecord[]; seq: number };
    this.seq = snap.seq;
    for (const rec of snap.records) this.server.set(recKey(rec.kind, rec.key), { value: rec.value, version: rec.version });
    this.outbox = await this.o.outbox.load();
    this.reapply();
    await this.flush();
  }

  /** The server's values with the user's queued edits laid over, written into the slices. */
  private applyToSlices(): void {
    const view = new Map<string, unknown>();
    for (const [k, v] of this.server) view.set(k, v.value);
    for (const op of this.outbox) view.set(recKey(op.kind, op.key), op.value);
    const overlay: Record<string, CommunityEdit> = {};
    let rubric: unknown = null;
    const slices: Record<string, unknown> = {};
    const parts: Record<string, Record<string, unknown>> = {};
    for (const [k, value] of view) {
      const [kind, key] = k.split('\u0000') as [Kind, string];
      if (value === null || value === undefined) continue;
      if (kind === 'community') overlay[key] = value as CommunityEdit;
      else if (kind === 'part') {
        const p = parsePartKey(key);
        if (p) (parts[p.slice] ??= {})[p.id] = value;
      } else if (key === 'rubric') rubric = value;
      else slices[key] = value;
    }
    // a slice kept in parts is always the server's (its settings + its parts), even when it has none yet
    for (const key of Object.keys(PARTS)) {
      const s = this.slice(key);
      if (s) slices[key] = PARTS[key]!.join(slices[key] ?? null, parts[key] ?? {});
    }
    const pool = this.slice('pool');
    const current = pool?.snapshot() as PoolSliceData | undefined;
    if (pool && (!same(current?.overlay ?? {}, overlay) || !same(current?.rubric ?? null, rubric)))
      pool.restore({ version: 1, overlay, rubric: rubric as PoolSliceData['rubric'] } satisfies PoolSliceData);
    for (const [key, value] of Object.entries(slices)) {
      const s = this.slice(key);
      if (s && !same(s.snapshot(), value)) s.restore(value);
    }
  }

  /** After a local edit (or undo/redo): queue an operation for every record that changed. */
  noteLocalChange(label: string): void {
    const now = this.localRecords();
    const keys = new Set([...now.keys(), ...this.local.keys()]);
    for (const k of keys) {
      const value = now.get(k)?.value ?? null;
      if (same(value, this.local.get(k))) continue;
      const [kind, key] = k.split('\u0000') as [Kind, string];
      if (kind === 'slice' && !this.o.canWriteSlices) continue; // a view setting of this user only
      this.enqueue({ kind, key, value, label });
    }
    this.local = new Map([...now].map(([k, v]) => [k, v.value]));
    this.o.onChange?.();
    void this.flush();
  }

  private enqueue(e: { kind: Kind; key: string; value: unknown; label: string }): void {
    // an unsent edit of the same record is replaced (its base stays: the version the user started from)
    const i = this.outbox.findIndex((op, j) => op.kind === e.kind && op.key === e.key && !(this.sending && j === 0));
    const base = this.pendingBase(e.kind, e.key);
    const op: Op = { opId: this.o.newId?.() ?? crypto.randomUUID(), kind: e.kind, key: e.key, base, value: e.value, label: e.label };
    if (i >= 0) this.outbox[i] = { ...op, base: this.outbox[i]!.base };
    else this.outbox.push(op);
    void this.o.outbox.save(this.outbox);
  }

  /** The version an edit is made on: the server's, or -1 while an earlier edit of it is in flight (set on its reply). */
  private pendingBase(kind: Kind, key: string): number {
    if (this.sending && this.outbox[0]?.kind === kind && this.outbox[0]?.key === key) return -1;
    return this.server.get(recKey(kind, key))?.version ?? 0;
  }

  /** Send the outbox in order; stops (keeping it) when the server cannot be reached. */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async drain(): Promise<void> {
    this.sending = true;
    try {
      while (this.outbox.length) {
        const op = this.outbox[0]!;
        let res: Response;
        try {
          res = await this.o.fetch(`api/projects/${this.o.projectId}/records/${op.kind}/${encodeURIComponent(op.key)}`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json', 'x-csrf-token': this.o.csrf },
            body: JSON.stringify({ opId: op.opId, baseVersion: op.base, value: op.value, label: op.label }),
          });
        } catch {
          this.online = false;
          this.o.onChange?.();
          return;
        }
        if (res.status >= 500 || res.status === 401) {
          this.online = res.status !== 401 ? false : this.online;
          this.o.onChange?.();
          return;
        }
        this.online = true;
        await this.settle(op, res);
        await this.o.outbox.save(this.outbox);
        this.o.onChange?.();
      }
    } finally {
      this.sending = false;
    }
  }

  /** Take the reply to the first operation of the outbox, and remove it from the outbox. */
  private async settle(op: Op, res: Response): Promise<void> {
    const body = await res.json().catch(() => ({}));
    const k = recKey(op.kind, op.key);
    const rest = this.outbox.slice(1);
    if (res.status === 200) {
      this.server.set(k, { value: op.value, version: body.version });
      if (typeof body.seq === 'number') this.mySeqs.add(body.seq);
      // a later edit of the same record was made on top of this one
      for (const later of rest) if (later.kind === op.kind && later.key === op.key && later.base === -1) later.base = body.version;
      this.outbox = rest;
      return;
    }
    // refused: the record shows the server's value; the user's latest value is kept in the conflict to reapply
    const mine = rest.filter((x) => x.kind === op.kind && x.key === op.key).at(-1)?.value ?? op.value;
    this.outbox = rest.filter((x) => !(x.kind === op.kind && x.key === op.key));
    if (res.status === 409) {
      const cur = body.current as { value: unknown; version: number; by: string | null; at: string | null };
      this.server.set(k, { value: cur.value, version: cur.version });
      this.conflicts.push({ kind: op.kind, key: op.key, mine, theirs: cur.value, version: cur.version, by: cur.by, at: cur.at, label: op.label });
    } else this.refusals.push({ key: op.key, why: String(body.why ?? body.error ?? res.status) });
    this.reapply();
  }

  /**
   * A slice registered after the start (a lazily loaded feature, restored from this browser's autosave): it gets
   * the server's values, and what it held locally is not taken for the user's new edits (never sent).
   */
  sliceRegistered(): void {
    this.reapply();
    this.o.onChange?.();
  }

  /** Write server values + queued edits into the slices and take that as the compared local state. */
  private reapply(): void {
    this.applyToSlices();
    this.local = new Map([...this.localRecords()].map(([k2, v]) => [k2, v.value]));
  }

  /** Resolve a conflict: keep the other person's value, or put mine on top of theirs (a new edit on their version). */
  resolve(c: Conflict, choice: 'theirs' | 'mine'): void {
    this.conflicts = this.conflicts.filter((x) => x !== c);
    if (choice === 'mine') {
      this.outbox.push({ opId: this.o.newId?.() ?? crypto.randomUUID(), kind: c.kind, key: c.key, base: c.version, value: c.mine, label: c.label });
      void this.o.outbox.save(this.outbox);
      this.reapply();
      void this.flush();
    }
    this.o.onChange?.();
  }

  /** A change from the server's event stream. */
  receive(e: { seq: number; kind: Kind; key: string; version: number; value: unknown }): void {
    if (e.seq <= this.seq) return;
    this.seq = e.seq;
    if (this.mySeqs.has(e.seq)) return;
    const k = recKey(e.kind, e.key);
    const known = this.server.get(k);
    if (known && known.version >= e.version) return;
    this.server.set(k, { value: e.value, version: e.version });
    // with an edit of this record queued, the user's value stays; sending it will meet the conflict
    if (this.outbox.some((op) => op.kind === e.kind && op.key === e.key)) return;
    this.reapply();
    this.o.onChange?.();
  }

  versionOf(kind: Kind, key: string): number {
    return this.server.get(recKey(kind, key))?.version ?? 0;
  }
}
