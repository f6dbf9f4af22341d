/**
 * The app's sync engine (src/lib/shared/sync.ts) against the real server (in process, embedded PostgreSQL):
 * live changes, conflicts kept and reapplied, edits queued while the server is unreachable, refusals reverted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, migrate, type Db } from './db';
import { createUser } from './auth';
import { createApp, COOKIE } from './app';
import { createProject, type ChangeEvent } from './store';
import { SharedSync, type Op } from '../src/lib/shared/sync';
import type { PersistedSlice } from '../src/lib/state/persisted';
import type { PoolSliceData } from '../src/lib/analysis/pool';
import type { ContentSliceData, ContentPlan } from '../src/lib/analysis/content';
import { DEFAULT_CATALOGUE } from '../src/lib/domain/catalogue-default';

const PASSWORD = 'correct-horse-9';

class PoolSlice implements PersistedSlice<PoolSliceData> {
  key = 'pool';
  data: PoolSliceData = { version: 1, overlay: {}, rubric: null };
  snapshot() {
    return structuredClone(this.data);
  }
  restore(d: PoolSliceData | undefined) {
    this.data = structuredClone(d ?? { version: 1, overlay: {}, rubric: null });
  }
}

const EMPTY_CONTENT: ContentSliceData = { version: 1, catalogue: null, plans: {}, surveys: {} };
class ContentSlice implements PersistedSlice<ContentSliceData> {
  key = 'content';
  data: ContentSliceData = structuredClone(EMPTY_CONTENT);
  snapshot() {
    return structuredClone(this.data);
  }
  restore(d: ContentSliceData | undefined) {
    this.data = structuredClone(d ?? EMPTY_CONTENT);
  }
}
const planOf = (qty: number): ContentPlan => ({ version: qty, lines: [{ code: DEFAULT_CATALOGUE.items[0]!.code, qty, origin: 'office', reason: null, rule: null }], owners: null });

describe('sync engine against the server', () => {
  let db: Db;
  let dir = '';
  let app: ReturnType<typeof createApp>['app'];
  let bus: ReturnType<typeof createApp>['bus'];
  let pid = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'planner-sync-'));
    db = await openDb({ dataDir: dir });
    await migrate(db);
    await createUser(db, { username: 'admin', display: '住建局', role: 'admin', password: PASSWORD });
    await createUser(db, { username: 'kp', display: '孔浦街道', role: 'street', street: '孔浦街道', password: PASSWORD });
    pid = await createProject(db, 'p', [
      { id: 'C001', name: '孔浦一村', street: '孔浦街道' },
      { id: 'C050', name: '庄桥小区', street: '庄桥街道' },
    ]);
    ({ app, bus } = createApp({ db, version: 't' }));
  }, 120_000);
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function client(username: string, opts: { down?: () => boolean; late?: boolean } = {}) {
    const r = await app.request('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
    const cookie = r.headers.get('set-cookie')!.split(';')[0]!;
    expect(cookie.startsWith(COOKIE)).toBe(true);
    const { csrf, user } = await r.json();
    const pool = new PoolSlice();
    const content = new ContentSlice();
    let lateRegistered = false;
    let stored: Op[] = [];
    const sync = new SharedSync({
      fetch: async (path, init) => {
        if (opts.down?.()) throw new TypeError('Failed to fetch');
        return app.request('/' + path, { ...init, headers: { ...(init?.headers as Record<string, string>), cookie } });
      },
      projectId: pid,
      csrf,
      slices: () => (opts.late && !lateRegistered ? [pool] : [pool, content]),
      outbox: { load: async () => structuredClone(stored), save: async (ops) => void (stored = structuredClone(ops)) },
      canWriteSlices: user.role === 'admin',
    });
    await sync.start();
    const live = (e: ChangeEvent) => sync.receive(e);
    bus.on(`p${pid}`, live);
    const register = (local: ContentSliceData) => {
      content.data = structuredClone(local); // what this browser's autosave held
      lateRegistered = true;
      sync.sliceRegistered();
    };
    return { sync, pool, content, register, stored: () => stored, stop: () => bus.off(`p${pid}`, live) };
  }

  const edit = async (c: Awaited<ReturnType<typeof client>>, id: string, households: number) => {
    c.pool.data = { ...c.pool.data, overlay: { ...c.pool.data.overlay, [id]: { ...(c.pool.data.overlay[id] ?? {}), attrs: { households } } } };
    c.sync.noteLocalChange(`户数 ${households}`);
    await c.sync.flush();
  };

  it('an edit reaches the other client live', async () => {
    const a = await client('admin');
    const k = await client('kp');
    await edit(k, 'C001', 410);
    expect(a.pool.data.overlay.C001?.attrs?.households).toBe(410);
    expect(k.sync.outbox).toEqual([]);
    a.stop();
    k.stop();
  });

  it('a conflict keeps both values; reapplying mine puts it on top of theirs, nothing lost', async () => {
    const a = await client('admin');
    const k = await client('kp');
    a.stop(); // a does not hear k's change: both edit from the same version
    await edit(k, 'C001', 500);
    await edit(a, 'C001', 600);
    expect(a.sync.conflicts).toHaveLength(1);
    const c = a.sync.conflicts[0]!;
    expect(c.theirs).toMatchObject({ attrs: { households: 500 } });
    expect(c.mine).toMatchObject({ attrs: { households: 600 } });
    expect(c.by).toBe('孔浦街道');
    expect(a.pool.data.overlay.C001?.attrs?.households).toBe(500); // shows the server's value until decided
    a.sync.resolve(c, 'mine');
    await a.sync.flush();
    expect(a.sync.conflicts).toEqual([]);
    expect(k.pool.data.overlay.C001?.attrs?.households).toBe(600);
    const hist = await db.query<{ after: { attrs: { households: number } } }>("SELECT after FROM audit WHERE key = 'C001' ORDER BY seq");
    expect(hist.rows.map((h) => h.after.attrs.households).slice(-2)).toEqual([500, 600]);
    k.stop();
  });

  it('edits made while the server is unreachable are queued, kept, and sent when it is back', async () => {
    let down = false;
    const k = await client('kp', { down: () => down });
    down = true;
    await edit(k, 'C001', 701);
    await edit(k, 'C001', 702);
    expect(k.sync.online).toBe(false);
    expect(k.stored()).toHaveLength(1); // coalesced: the latest value, on the version the user started from
    expect(k.pool.data.overlay.C001?.attrs?.households).toBe(702);
    down = false;
    await k.sync.flush();
    expect(k.sync.outbox).toEqual([]);
    const row = await db.query<{ value: { attrs: { households: number } } }>("SELECT value FROM records WHERE key = 'C001'");
    expect(row.rows[0]!.value.attrs.households).toBe(702);
    k.stop();
  });

  it('a refused edit (another street) is put back and the reason is kept', async () => {
    const k = await client('kp');
    await edit(k, 'C050', 99);
    expect(k.sync.refusals.at(-1)?.why).toContain('庄桥街道');
    expect(k.pool.data.overlay.C050).toBeUndefined();
    const row = await db.query("SELECT 1 FROM records WHERE key = 'C050'");
    expect(row.rows).toEqual([]);
    k.stop();
  });

  const plan = async (c: Awaited<ReturnType<typeof client>>, id: string, qty: number) => {
    c.content.data = { ...c.content.data, plans: { ...c.content.data.plans, [id]: planOf(qty) } };
    c.sync.noteLocalChange(`改造内容 ${id}`);
    await c.sync.flush();
  };

  it('a 街道 edits the content plans of its own communities: one record per community, live to the district', async () => {
    const a = await client('admin');
    const k = await client('kp');
    await plan(k, 'C001', 3);
    expect(k.sync.refusals).toEqual([]);
    expect(a.content.data.plans.C001?.lines[0]?.qty).toBe(3);
    const rows = await db.query<{ kind: string; key: string }>("SELECT kind, key FROM records WHERE key LIKE 'content%' ORDER BY key");
    expect(rows.rows).toEqual([{ kind: 'part', key: 'content:C001' }]);
    // the district edits another community's plan at the same time: different records, no conflict
    await plan(a, 'C050', 7);
    await plan(k, 'C001', 4);
    expect(a.sync.conflicts).toEqual([]);
    expect(k.sync.conflicts).toEqual([]);
    expect(k.content.data.plans.C050?.lines[0]?.qty).toBe(7);
    expect(a.content.data.plans.C001?.lines[0]?.qty).toBe(4);
    a.stop();
    k.stop();
  });

  it('a 街道 cannot change another street’s content plan or the district’s catalogue; its view is put back', async () => {
    const k = await client('kp');
    const before = k.content.snapshot();
    await plan(k, 'C050', 99);
    expect(k.sync.refusals.at(-1)?.why).toContain('庄桥街道');
    expect(k.content.data.plans.C050).toEqual(before.plans.C050);
    const row = await db.query<{ value: ContentPlan }>("SELECT value FROM records WHERE key = 'content:C050'");
    expect(JSON.stringify(row.rows[0]?.value ?? null)).not.toContain('99');
    // a catalogue change by a 街道 is its own view only: never sent
    const n = (await db.query("SELECT 1 FROM audit WHERE key = 'content'")).rows.length;
    k.content.data = { ...k.content.data, catalogue: { ...DEFAULT_CATALOGUE, items: DEFAULT_CATALOGUE.items.map((i) => ({ ...i, unitCostCny: 1 })) } };
    k.sync.noteLocalChange('单价');
    await k.sync.flush();
    expect((await db.query("SELECT 1 FROM audit WHERE key = 'content'")).rows.length).toBe(n);
    k.stop();
  });

  it('the district’s catalogue is one record; the plans stay per community', async () => {
    const a = await client('admin');
    const k = await client('kp');
    const cheap = { ...DEFAULT_CATALOGUE, items: DEFAULT_CATALOGUE.items.map((i) => ({ ...i, unitCostCny: 2 })) };
    a.content.data = { ...a.content.data, catalogue: cheap };
    a.sync.noteLocalChange('单价');
    await a.sync.flush();
    const rec = await db.query<{ value: { catalogue: unknown } }>("SELECT value FROM records WHERE kind = 'slice' AND key = 'content'");
    expect(Object.keys(rec.rows[0]!.value)).toEqual(['catalogue']);
    expect(k.content.data.catalogue?.items[0]?.unitCostCny).toBe(2);
    expect(k.content.data.plans.C001).toBeDefined(); // the street's plan is untouched by the district's catalogue
    a.stop();
    k.stop();
  });

  it('a slice registered late (restored from the local autosave) shows the server’s values and sends nothing', async () => {
    const a = await client('admin');
    await plan(a, 'C001', 11);
    const k = await client('kp', { late: true });
    const before = (await db.query('SELECT count(*)::int AS n FROM audit')).rows[0];
    // this browser's stale autosave: an old plan of C001 and a plan of C050 the server never had
    k.register({ version: 1, catalogue: null, plans: { C001: planOf(1), C050: planOf(5) }, surveys: {} });
    k.sync.noteLocalChange('another edit elsewhere');
    await k.sync.flush();
    expect(k.content.data.plans.C001?.lines[0]?.qty).toBe(11);
    expect(k.content.data.plans.C050?.lines[0]?.qty).not.toBe(5);
    expect(k.sync.outbox).toEqual([]);
    expect((await db.query('SELECT count(*)::int AS n FROM audit')).rows[0]).toEqual(before);
    a.stop();
    k.stop();
  });
});
