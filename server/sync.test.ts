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

  async function client(username: string, opts: { down?: () => boolean } = {}) {
    const r = await app.request('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
    const cookie = r.headers.get('set-cookie')!.split(';')[0]!;
    expect(cookie.startsWith(COOKIE)).toBe(true);
    const { csrf, user } = await r.json();
    const pool = new PoolSlice();
    let stored: Op[] = [];
    const sync = new SharedSync({
      fetch: async (path, init) => {
        if (opts.down?.()) throw new TypeError('Failed to fetch');
        return app.request('/' + path, { ...init, headers: { ...(init?.headers as Record<string, string>), cookie } });
      },
      projectId: pid,
      csrf,
      slices: () => [pool],
      outbox: { load: async () => structuredClone(stored), save: async (ops) => void (stored = structuredClone(ops)) },
      canWriteSlices: user.role === 'admin',
    });
    await sync.start();
    const live = (e: ChangeEvent) => sync.receive(e);
    bus.on(`p${pid}`, live);
    return { sync, pool, stored: () => stored, stop: () => bus.off(`p${pid}`, live) };
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
});
