/**
 * The shared-project API against both engines: the embedded PostgreSQL (PGlite, in a temporary folder) and a real
 * PostgreSQL started in a temporary folder on a free port. The real one is skipped, with the reason, only where the
 * PostgreSQL server binaries are missing (`.ci/run` installs them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, migrate, migrationFiles, type Db } from './db';
import { DEFAULT_CATALOGUE } from '../src/lib/domain/catalogue-default';
import { createUser, DbLoginLimiter, LoginLimiter } from './auth';
import { createApp } from './app';
import { createProject } from './store';
import { startCluster, type Cluster } from './testing/pg-cluster';

const PASSWORD = 'correct-horse-9';
const XSS = '<img src=x onerror=alert(1)>';
const SQLI = "'); DROP TABLE records; --";

type Engine = { name: string; open: () => Promise<{ db: Db; cleanup: () => void; url?: string } | { skip: string }> };

const engines: Engine[] = [
  {
    name: 'embedded PostgreSQL (PGlite)',
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'planner-pglite-'));
      return { db: await openDb({ dataDir: dir }), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'PostgreSQL server',
    open: async () => {
      const c = await startCluster();
      if ('missing' in c) return { skip: c.missing };
      return { db: await openDb({ url: (c as Cluster).url }), cleanup: () => (c as Cluster).stop(), url: (c as Cluster).url };
    },
  },
];

/** A browser-like client of the in-process app: keeps the session cookie and sends the CSRF token. */
class Client {
  cookie = '';
  csrf = '';
  constructor(private app: { request: (path: string, init?: RequestInit) => Response | Promise<Response> }) {}
  async login(username: string, password = PASSWORD) {
    const r = await this.app.request('/api/login', { method: 'POST', body: JSON.stringify({ username, password }), headers: { 'content-type': 'application/json' } });
    if (r.status === 200) {
      this.cookie = (r.headers.get('set-cookie') ?? '').split(';')[0]!;
      this.csrf = (await r.clone().json()).csrf;
    }
    return r;
  }
  req(path: string, init: RequestInit & { json?: unknown } = {}) {
    const headers: Record<string, string> = { cookie: this.cookie, 'x-csrf-token': this.csrf, host: 'planner.local', ...((init.headers as Record<string, string>) ?? {}) };
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    return this.app.request(path, { ...init, headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body });
  }
  put(pid: number, kind: string, key: string, baseVersion: number, value: unknown, opId: string = crypto.randomUUID(), label = '') {
    return this.req(`/api/projects/${pid}/records/${kind}/${encodeURIComponent(key)}`, { method: 'PUT', json: { opId, baseVersion, value, label } });
  }
}

const vote = { kind: 'application', date: '2021-03-01', areaInFavour: 2, areaTotal: 3, ownersInFavour: 2, ownersTotal: 3 };

for (const engine of engines) {
  describe(`shared project on ${engine.name}`, () => {
    let db: Db;
    let cleanup = () => {};
    let url: string | undefined;
    let skip = '';
    let app: ReturnType<typeof createApp>['app'];
    let bus: ReturnType<typeof createApp>['bus'];
    let pid = 0;

    beforeAll(async () => {
      const o = await engine.open();
      if ('skip' in o) {
        skip = o.skip;
        console.warn(`skipped: ${engine.name}: ${o.skip}`);
        return;
      }
      ({ db, cleanup, url } = o);
      await migrate(db);
      await createUser(db, { username: 'admin', display: '住建局', role: 'admin', password: PASSWORD });
      await createUser(db, { username: 'kongpu', display: '孔浦街道', role: 'street', street: '孔浦街道', password: PASSWORD });
      await createUser(db, { username: 'zhuangqiao', display: '庄桥街道', role: 'street', street: '庄桥街道', password: PASSWORD });
      await createUser(db, { username: 'leader', display: '领导小组', role: 'viewer', password: PASSWORD });
      await createUser(db, { username: 'water', display: '水务集团', role: 'department', department: '水务集团', password: PASSWORD });
      await createUser(db, { username: 'gas', display: '燃气公司', role: 'department', department: '燃气公司', password: PASSWORD });
      pid = await createProject(db, '测试项目', [
        { id: 'C001', name: '孔浦一村', street: '孔浦街道' },
        { id: 'C002', name: XSS, street: '孔浦街道' },
        { id: 'C050', name: '庄桥小区', street: '庄桥街道' },
      ]);
      ({ app, bus } = createApp({ db, version: 'test', limiter: new LoginLimiter(5, 60_000) }));
    }, 120_000);
    afterAll(async () => {
      await db?.close();
      cleanup();
    });

    it('migrations are versioned and applied once', async ({ skip: s }) => {
      if (skip) return s(skip);
      expect(await migrate(db)).toEqual([]);
      const r = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(r.rows.map((x) => x.version)).toEqual(migrationFiles().map((m) => m.version));
      expect(migrationFiles().length).toBeGreaterThanOrEqual(2);
    });

    it('authorization: no session 401, viewer 403, other street 403 with nothing changed, own street 200', async ({ skip: s }) => {
      if (skip) return s(skip);
      const anon = new Client(app);
      expect((await anon.put(pid, 'community', 'C001', 0, { attrs: { households: 10 } })).status).toBe(401);
      const viewer = new Client(app);
      expect((await viewer.login('leader')).status).toBe(200);
      expect((await viewer.put(pid, 'community', 'C001', 0, { attrs: { households: 10 } })).status).toBe(403);
      const kp = new Client(app);
      await kp.login('kongpu');
      const other = await kp.put(pid, 'community', 'C050', 0, { attrs: { households: 10 } });
      expect(other.status).toBe(403);
      expect((await other.json()).why).toContain('庄桥街道');
      const snap = await (await kp.req(`/api/projects/${pid}`)).json();
      expect(snap.records.filter((r: { key: string }) => r.key === 'C050')).toEqual([]);
      expect((await kp.put(pid, 'community', 'C001', 0, { attrs: { households: 412 } })).status).toBe(200);
      // a street editor may not set the pool or batch year (the district does), even on its own community
      expect((await kp.put(pid, 'community', 'C001', 1, { attrs: { households: 412 }, pool: '实施' })).status).toBe(403);
      expect((await kp.put(pid, 'slice', 'rubric', 0, { version: 1 })).status).toBe(403);
    });

    it('content plans and surveys are per community: its 街道 edits them, nobody else; the catalogue is the district’s', async ({ skip: s }) => {
      if (skip) return s(skip);
      const code = DEFAULT_CATALOGUE.items[0]!.code;
      const part = { plan: { version: 1, lines: [{ code, qty: 2, origin: 'office', reason: null, rule: null }], owners: null } };
      const kp = new Client(app);
      await kp.login('kongpu');
      const own = await kp.put(pid, 'part', 'content:C001', 0, part, undefined, '改造内容');
      expect(own.status, await own.clone().text()).toBe(200);
      const other = await kp.put(pid, 'part', 'content:C050', 0, part);
      expect(other.status).toBe(403);
      expect((await other.json()).why).toContain('庄桥街道');
      const viewer = new Client(app);
      await viewer.login('leader');
      expect((await viewer.put(pid, 'part', 'content:C001', 1, part)).status).toBe(403);
      // a broken plan is refused naming the field; an unknown slice or community is refused
      const bad = await kp.put(pid, 'part', 'content:C001', 1, { plan: { ...part.plan, lines: [{ code, qty: -1, origin: 'office', reason: null, rule: null }] } });
      expect(bad.status).toBe(400);
      expect((await bad.json()).why).toMatch(/qty/);
      expect((await kp.put(pid, 'part', 'nosuch:C001', 0, part)).status).toBe(400);
      expect((await kp.put(pid, 'part', 'content:C999', 0, part)).status).toBe(400);
      expect((await kp.put(pid, 'slice', 'content', 0, { catalogue: null })).status).toBe(403);
      const snap = await (await kp.req(`/api/projects/${pid}`)).json();
      expect(snap.records.filter((r: { key: string }) => r.key.startsWith('content')).map((r: { key: string }) => r.key)).toEqual(['content:C001']);
      // the community's history (档案) includes its content plan, with who recorded it
      const hist = await (await kp.req(`/api/projects/${pid}/history/C001`)).json();
      expect(hist.some((h: { key: string; username: string }) => h.key === 'content:C001' && h.username === '孔浦街道')).toBe(true);
    });

    it('special works are per work: its department edits them, not another department, a 街道 or a viewer', async ({ skip: s }) => {
      if (skip) return s(skip);
      const work = { id: 'imp-w-1', name: '孔浦路给水管网改造', department: '水务集团', type: 'pipeline', start: '2023', end: '2023', status: 'planned', budgetWan: 120, geometry: null, communities: ['C001'], synthetic: false, source: 'plan.csv' };
      const water = new Client(app);
      await water.login('water');
      const own = await water.put(pid, 'part', 'works:imp-w-1', 0, work, undefined, '专项工程');
      expect(own.status, await own.clone().text()).toBe(200);
      // another department, a 街道 and a viewer may not change it; nor may its department give it away
      const gas = new Client(app);
      await gas.login('gas');
      const other = await gas.put(pid, 'part', 'works:imp-w-1', 1, { ...work, budgetWan: 1 });
      expect(other.status).toBe(403);
      expect((await other.json()).why).toContain('水务集团');
      const kp = new Client(app);
      await kp.login('kongpu');
      expect((await kp.put(pid, 'part', 'works:imp-w-1', 1, { ...work, budgetWan: 1 })).status).toBe(403);
      expect((await water.put(pid, 'part', 'works:imp-w-1', 1, { ...work, department: '燃气公司' })).status).toBe(403);
      // a department cannot create a work in another department's name, nor change the coordination settings
      expect((await water.put(pid, 'part', 'works:imp-w-2', 0, { ...work, id: 'imp-w-2', department: '燃气公司' })).status).toBe(403);
      expect((await water.put(pid, 'slice', 'works', 0, { settings: { distanceM: 10 } })).status).toBe(403);
      // a broken work is refused naming the field; the id in the key and the record must agree
      const bad = await water.put(pid, 'part', 'works:imp-w-1', 1, { ...work, type: 'dig' });
      expect(bad.status).toBe(400);
      expect((await bad.json()).why).toMatch(/type/);
      expect((await water.put(pid, 'part', 'works:imp-w-3', 0, work)).status).toBe(400);
      expect((await water.put(pid, 'part', 'works:imp-w-1', 1, { ...work, budgetWan: 150 })).status).toBe(200);
    });

    it('a forged cross-site request is refused (foreign Origin, or no CSRF token)', async ({ skip: s }) => {
      if (skip) return s(skip);
      const admin = new Client(app);
      await admin.login('admin');
      const foreign = await admin.req(`/api/projects/${pid}/records/community/C002`, {
        method: 'PUT',
        json: { opId: 'x1', baseVersion: 0, value: { pool: '储备' } },
        headers: { origin: 'https://evil.example' },
      });
      expect(foreign.status).toBe(403);
      const nullOrigin = await admin.req(`/api/projects/${pid}/records/community/C002`, {
        method: 'PUT',
        json: { opId: 'x2', baseVersion: 0, value: { pool: '储备' } },
        headers: { origin: 'null' },
      });
      expect(nullOrigin.status).toBe(403);
      const login = await app.request('/api/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://evil.example', host: 'planner.local' },
        body: JSON.stringify({ username: 'admin', password: PASSWORD }),
      });
      expect(login.status).toBe(403);
      const noToken = new Client(app);
      await noToken.login('admin');
      noToken.csrf = '';
      expect((await noToken.put(pid, 'community', 'C002', 0, { pool: '储备' })).status).toBe(403);
      const snap = await (await admin.req(`/api/projects/${pid}`)).json();
      expect(snap.records.filter((r: { key: string }) => r.key === 'C002')).toEqual([]);
    });

    it('SQL metacharacters and markup round-trip as text', async ({ skip: s }) => {
      if (skip) return s(skip);
      const admin = new Client(app);
      await admin.login('admin');
      const wf = { stage: 'APPLIED', side: null, history: [{ from: 'POOL', to: 'APPLIED', date: '2021-03-01', note: `${SQLI} ${XSS}`, vote }] };
      const r = await admin.put(pid, 'community', 'C002', 0, { workflow: wf }, undefined, SQLI + XSS);
      expect(r.status, await r.clone().text()).toBe(200);
      const snap = await (await admin.req(`/api/projects/${pid}`)).json();
      expect(snap.communities.find((c: { id: string }) => c.id === 'C002').name).toBe(XSS);
      expect(snap.records.find((x: { key: string }) => x.key === 'C002').value.workflow.history[0].note).toBe(`${SQLI} ${XSS}`);
      const hist = await (await admin.req(`/api/projects/${pid}/history/C002`)).json();
      expect(hist.at(-1).label).toBe(SQLI + XSS);
      const csv = await (await admin.req(`/api/projects/${pid}/audit?format=csv`)).text();
      expect(csv).toContain(XSS);
      expect(csv).not.toMatch(/(^|,)=/m);
    });

    it('concurrency: two edits from one version — one wins, the other gets the winner’s value; the audit has one entry', async ({ skip: s }) => {
      if (skip) return s(skip);
      const a = new Client(app);
      const b = new Client(app);
      await a.login('admin');
      await b.login('kongpu');
      const [ra, rb] = await Promise.all([a.put(pid, 'community', 'C001', 1, { attrs: { households: 500 } }), b.put(pid, 'community', 'C001', 1, { attrs: { households: 600 } })]);
      const statuses = [ra.status, rb.status].sort();
      expect(statuses).toEqual([200, 409]);
      const loser = ra.status === 409 ? await ra.json() : await rb.json();
      const winnerValue = ra.status === 200 ? 500 : 600;
      expect(loser.current.value.attrs.households).toBe(winnerValue);
      expect(loser.current.version).toBe(2);
      expect(loser.current.by).toBe(ra.status === 200 ? '住建局' : '孔浦街道');
      const hist = (await (await a.req(`/api/projects/${pid}/history/C001`)).json()).filter((h: { kind: string }) => h.kind === 'community');
      expect(hist.map((h: { version: number }) => h.version)).toEqual([1, 2]);
      expect(hist[1].after.attrs.households).toBe(winnerValue);
    });

    it('a retried edit (same operation id) is applied once', async ({ skip: s }) => {
      if (skip) return s(skip);
      const a = new Client(app);
      await a.login('admin');
      const first = await (await a.put(pid, 'community', 'C050', 0, { pool: '储备' }, 'op-retry')).json();
      const again = await (await a.put(pid, 'community', 'C050', 0, { pool: '储备' }, 'op-retry')).json();
      expect(first).toMatchObject({ status: 'applied', version: 1 });
      expect(again).toMatchObject({ status: 'applied', version: 1, duplicate: true });
      expect((await (await a.req(`/api/projects/${pid}/history/C050`)).json()).length).toBe(1);
    });

    it('undo works on one’s own last edit, never on someone else’s', async ({ skip: s }) => {
      if (skip) return s(skip);
      const a = new Client(app);
      const k = new Client(app);
      await a.login('admin');
      await k.login('kongpu');
      const snap = await (await a.req(`/api/projects/${pid}`)).json();
      const v = snap.records.find((r: { key: string }) => r.key === 'C001').version;
      expect((await k.put(pid, 'community', 'C001', v, { attrs: { households: 777 } })).status).toBe(200);
      expect((await a.req(`/api/projects/${pid}/undo/community/C001`, { method: 'POST', json: { opId: 'u1' } })).status).toBe(403);
      const undo = await k.req(`/api/projects/${pid}/undo/community/C001`, { method: 'POST', json: { opId: 'u2' } });
      expect(undo.status).toBe(200);
      const after = await (await a.req(`/api/projects/${pid}`)).json();
      expect(after.records.find((r: { key: string }) => r.key === 'C001').value.attrs.households).not.toBe(777);
    });

    it('other clients see changes live (server-sent events), resumable by sequence', async ({ skip: s }) => {
      if (skip) return s(skip);
      const a = new Client(app);
      await a.login('admin');
      const before = (await (await a.req(`/api/projects/${pid}`)).json()).seq;
      const res = await a.req(`/api/projects/${pid}/events?since=${before}`);
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      const reader = res.body!.getReader();
      const k = new Client(app);
      await k.login('kongpu');
      const snap = await (await k.req(`/api/projects/${pid}`)).json();
      const v = snap.records.find((r: { key: string }) => r.key === 'C001').version;
      await k.put(pid, 'community', 'C001', v, { attrs: { households: 321 } }, undefined, '户数');
      let text = '';
      while (!text.includes('"households":321')) text += new TextDecoder().decode((await reader.read()).value);
      await reader.cancel();
      expect(text).toContain('event: record');
      expect(text).toContain('孔浦街道');
      expect(bus.listenerCount(`p${pid}`)).toBeLessThanOrEqual(1);
    });

    it('progress: a 街道 reports its own communities; the district sees who has not reported this month', async ({ skip: s }) => {
      if (skip) return s(skip);
      const k = new Client(app);
      await k.login('kongpu');
      const ok = await k.req(`/api/projects/${pid}/progress`, { method: 'POST', json: { community: 'C001', month: '2021-05', stage: 'CONSTRUCTION', percent: 40, note: XSS } });
      expect(ok.status).toBe(201);
      const denied = await k.req(`/api/projects/${pid}/progress`, { method: 'POST', json: { community: 'C050', month: '2021-05', stage: 'CONSTRUCTION', percent: 40 } });
      expect(denied.status).toBe(403);
      const bad = await k.req(`/api/projects/${pid}/progress`, { method: 'POST', json: { community: 'C001', month: '2021-13', stage: 'X', percent: 140 } });
      expect(bad.status).toBe(400);
      const admin = new Client(app);
      await admin.login('admin');
      const month = await (await admin.req(`/api/projects/${pid}/progress?month=2021-05`)).json();
      expect(month.reports).toHaveLength(1);
      expect(month.reports[0]).toMatchObject({ community_name: '孔浦一村', percent: 40, note: XSS, reported_by: '孔浦街道' });
      expect(month.notReported).toEqual(['庄桥街道']);
    });

    it('a project file seeds a project and comes back out', async ({ skip: s }) => {
      if (skip) return s(skip);
      const admin = new Client(app);
      await admin.login('admin');
      const p2 = await (await admin.req('/api/projects', { method: 'POST', json: { name: '第二个', communities: [{ id: 'C001', name: '孔浦一村', street: '孔浦街道' }] } })).json();
      const file = {
        format: 'jiangbei-renewal-project',
        schema_version: 2,
        saved_at: '2026-12-01T00:00:00.000Z',
        slices: {
          pool: { version: 1, overlay: { C001: { pool: '生成', batch_year: 2021 } }, rubric: null },
          views: { version: 1, views: [] },
          content: { version: 1, catalogue: null, plans: { C001: { version: 2, lines: [{ code: DEFAULT_CATALOGUE.items[0]!.code, qty: 5, origin: 'office', reason: null, rule: null }], owners: null } }, surveys: {} },
        },
      };
      const up = await admin.req(`/api/projects/${p2.id}/file`, { method: 'POST', body: JSON.stringify(file) });
      expect(up.status, await up.clone().text()).toBe(200);
      const down = await (await admin.req(`/api/projects/${p2.id}/file`)).json();
      expect(down.slices.pool.overlay).toEqual({ C001: { pool: '生成', batch_year: 2021 } });
      expect(down.slices.views).toEqual({ version: 1, views: [] });
      expect(down.slices.content).toEqual(file.slices.content);
      const recs = await db.query<{ kind: string; key: string }>('SELECT kind, key FROM records WHERE project_id = $1 AND key LIKE $2', [p2.id, 'content%']);
      expect(recs.rows).toEqual([{ kind: 'part', key: 'content:C001' }]);
      const k = new Client(app);
      await k.login('kongpu');
      expect((await k.req(`/api/projects/${p2.id}/file`, { method: 'POST', body: JSON.stringify(file) })).status).toBe(403);
    });

    it('logins are rate-limited', async ({ skip: s }) => {
      if (skip) return s(skip);
      const c = new Client(app);
      for (let i = 0; i < 5; i++) expect((await c.login('zhuangqiao', 'wrong-password-1')).status).toBe(401);
      expect((await c.login('zhuangqiao')).status).toBe(429);
    });

    it('several server processes on one database: changes reach every process’s clients live; one sign-in limit', async ({ skip: s }) => {
      if (skip) return s(skip);
      if (!url) return s('the embedded engine runs in one process by design');
      // a second server process: its own connections, its own app, its own event bus
      const db2 = await openDb({ url });
      try {
        const two = createApp({ db: db2, version: 'test', limiter: new DbLoginLimiter(db2, 3, 60_000) });
        const one = createApp({ db, version: 'test', limiter: new DbLoginLimiter(db, 3, 60_000) });
        const heard: { type: string; key?: string; community?: string }[] = [];
        two.bus.on(`p${pid}`, (e) => heard.push(e));
        await Promise.all([one.ready, two.ready]); // both LISTEN connections are up
        const kp = new Client(one.app);
        await kp.login('kongpu');
        const cur = await (await kp.req(`/api/projects/${pid}`)).json();
        const v = cur.records.find((r: { kind: string; key: string }) => r.kind === 'community' && r.key === 'C002')?.version ?? 0;
        expect((await kp.put(pid, 'community', 'C002', v, { attrs: { households: 77 } })).status).toBe(200);
        expect((await kp.req(`/api/projects/${pid}/progress`, { method: 'POST', json: { community: 'C002', month: '2026-11', stage: 'CONSTRUCTION', percent: 40 } })).status).toBe(201);
        for (let i = 0; i < 600 && heard.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
        expect(heard.map((e) => e.type)).toEqual(['record', 'progress']);
        expect(heard[0]!.key).toBe('C002');
        expect(heard[1]!.community).toBe('C002');
        // failed sign-ins count across processes: 2 on one + 1 on the other = the limit of 3
        const x = new Client(one.app);
        const y = new Client(two.app);
        expect((await x.login('leader', 'nope-nope-1')).status).toBe(401);
        expect((await x.login('leader', 'nope-nope-2')).status).toBe(401);
        expect((await y.login('leader', 'nope-nope-3')).status).toBe(401);
        expect((await y.login('leader')).status).toBe(429);
        expect((await x.login('leader')).status).toBe(429);
      } finally {
        await db2.close();
      }
    });

    it('the audit log cannot be rewritten', async ({ skip: s }) => {
      if (skip) return s(skip);
      await expect(db.query('DELETE FROM audit')).rejects.toThrow(/append-only/);
      await expect(db.query("UPDATE audit SET username = 'x'")).rejects.toThrow(/append-only/);
    });
  });
}
