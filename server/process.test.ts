/**
 * The server as a process, on both engines: the CLI (help, first administrator, no default password), a hard kill
 * (SIGKILL) in the middle of a stream of edits (every acknowledged edit survives, nothing is half-applied), and a
 * backup that restores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startCluster, type Cluster } from './testing/pg-cluster';

// node itself with tsx's loader (not the tsx wrapper, which would survive a SIGKILL of its child's parent)
const NODE = [process.execPath, '--import', 'tsx'];
const PASSWORD = 'correct-horse-9';

function cli(args: string[], env: Record<string, string>, input = '') {
  return spawnSync(NODE[0]!, [...NODE.slice(1), 'server/main.ts', ...args], { env: { ...process.env, ...env }, input, encoding: 'utf8', timeout: 120_000 });
}


async function startServerProcess(env: Record<string, string>): Promise<{ proc: ChildProcess; base: string }> {
  const port = await freePort();
  const proc = spawn(NODE[0]!, [...NODE.slice(1), 'server/main.ts', 'serve', '--api-only', '--port', String(port)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const base = `http://127.0.0.1:${port}`;
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  for (let i = 0; i < 600; i++) {
    if (proc.exitCode !== null) throw new Error(`server exited: ${err}`);
    const ok = await fetch(`${base}/api/health`).then((r) => r.ok, () => false);
    if (ok) return { proc, base };
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill('SIGKILL');
  throw new Error(`server did not start: ${err}`);
}

async function loginTo(base: string, username: string) {
  const r = await fetch(`${base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  expect(r.status).toBe(200);
  return { cookie: r.headers.get('set-cookie')!.split(';')[0]!, csrf: (await r.json()).csrf as string };
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGKILL');
  await exited;
}

type Setup = { env: Record<string, string>; cleanup: () => void } | { skip: string };

const engines: { name: string; setup: () => Promise<Setup> }[] = [
  {
    name: 'embedded PostgreSQL',
    setup: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'planner-proc-'));
      return { env: { PLANNER_DATA_DIR: join(dir, 'db'), DATABASE_URL: '' }, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'PostgreSQL server',
    setup: async () => {
      const c = await startCluster();
      if ('missing' in c) return { skip: c.missing };
      return { env: { DATABASE_URL: (c as Cluster).url, PATH: `${(c as Cluster).bin}:${process.env.PATH}` }, cleanup: () => (c as Cluster).stop() };
    },
  },
];

for (const engine of engines) {
  describe(`server process on ${engine.name}`, () => {
    let env: Record<string, string> = {};
    let cleanup = () => {};
    let skip = '';
    beforeAll(async () => {
      const s = await engine.setup();
      if ('skip' in s) {
        skip = s.skip;
        console.warn(`skipped: ${engine.name}: ${s.skip}`);
        return;
      }
      ({ env, cleanup } = s);
    }, 120_000);
    afterAll(() => cleanup());

    it('--help lists the commands and the environment', ({ skip: s }) => {
      if (skip) return s(skip);
      const r = cli(['--help'], env);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('create-admin');
      expect(r.stdout).toContain('DATABASE_URL');
    });

    it('the first administrator is created by the CLI; there is no default password', async ({ skip: s }) => {
      if (skip) return s(skip);
      const weak = cli(['create-admin', '--username', 'admin'], { ...env, PLANNER_PASSWORD: '123456' });
      expect(weak.status).toBe(1);
      expect(weak.stderr).toContain('password');
      const ok = cli(['create-admin', '--username', 'admin', '--display', '住建局'], env, `${PASSWORD}\n`);
      expect(ok.status, ok.stderr).toBe(0);
      expect(cli(['create-user', '--username', 'kp', '--role', 'street'], { ...env, PLANNER_PASSWORD: PASSWORD }).status).toBe(1);
    }, 120_000);

    it('SIGKILL in a stream of edits: every acknowledged edit survives, none is half-applied', async ({ skip: s }) => {
      if (skip) return s(skip);
      let { proc, base } = await startServerProcess(env);
      const { cookie, csrf } = await loginTo(base, 'admin');
      const snap = await (await fetch(`${base}/api/projects/1`, { headers: { cookie } })).json();
      const ids: string[] = snap.communities.slice(0, 8).map((c: { id: string }) => c.id);
      const acked = new Map<string, { version: number; households: number }>();
      const versions = new Map<string, number>(ids.map((id) => [id, 0]));
      let n = 0;
      let killed = false;
      const edit = async (id: string) => {
        const households = 100 + n++;
        const r = await fetch(`${base}/api/projects/1/records/community/${id}`, {
          method: 'PUT',
          headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
          body: JSON.stringify({ opId: crypto.randomUUID(), baseVersion: versions.get(id), value: { attrs: { households } } }),
        });
        if (r.status !== 200) throw new Error(`edit refused ${r.status}`);
        const body = await r.json();
        versions.set(id, body.version);
        acked.set(id, { version: body.version, households });
      };
      // four writers in parallel, each on its own records; the kill lands while requests are in flight
      const writers = [0, 1, 2, 3].map(async (w) => {
        for (let i = 0; !killed; i++) await edit(ids[(w + 4 * (i % 2)) % ids.length]!).catch(() => undefined);
      });
      while (n < 60) await new Promise((r) => setTimeout(r, 20));
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      killed = true;
      await Promise.all(writers);
      await exited;
      ({ proc, base } = await startServerProcess(env));
      try {
        const after = await (await fetch(`${base}/api/projects/1`, { headers: { cookie: (await loginTo(base, 'admin')).cookie } })).json();
        expect(acked.size).toBeGreaterThan(0);
        for (const [id, a] of acked) {
          const rec = after.records.find((r: { key: string }) => r.key === id);
          // the acknowledged edit is there, or a later one that was committed but whose reply was lost in the kill
          expect(rec.version).toBeGreaterThanOrEqual(a.version);
          if (rec.version === a.version) expect(rec.value.attrs.households).toBe(a.households);
        }
        const { cookie: c2 } = await loginTo(base, 'admin');
        for (const id of ids) {
          const rec = after.records.find((r: { key: string }) => r.key === id);
          if (!rec) continue;
          const hist = await (await fetch(`${base}/api/projects/1/history/${id}`, { headers: { cookie: c2 } })).json();
          // record and log agree: one log entry per version, the last one's "after" is the record's value
          expect(hist.map((h: { version: number }) => h.version)).toEqual(Array.from({ length: rec.version }, (_, i) => i + 1));
          expect(hist.at(-1).after).toEqual(rec.value);
        }
      } finally {
        await stop(proc);
      }
    }, 240_000);

    it('a backup restores', async ({ skip: s }) => {
      if (skip) return s(skip);
      const dir = mkdtempSync(join(tmpdir(), 'planner-backup-'));
      try {
        const file = join(dir, 'backup.dump');
        const b = cli(['backup', '--out', file], env);
        expect(b.status, b.stderr).toBe(0);
        expect(existsSync(file)).toBe(true);
        const restoredEnv = env.DATABASE_URL ? env : { ...env, PLANNER_DATA_DIR: join(dir, 'restored') };
        if (env.DATABASE_URL) {
          // damage the live database, then restore over it
          const { openDb } = await import('./db');
          const db = await openDb({ url: env.DATABASE_URL });
          await db.query('DROP TABLE progress_reports');
          await db.close();
        }
        const r = cli(['restore', '--from', file], restoredEnv);
        expect(r.status, r.stderr).toBe(0);
        const { proc, base } = await startServerProcess(restoredEnv);
        try {
          const { cookie } = await loginTo(base, 'admin');
          const snap = await (await fetch(`${base}/api/projects/1`, { headers: { cookie } })).json();
          expect(snap.records.length).toBeGreaterThan(0);
          expect((await fetch(`${base}/api/projects/1/progress?month=2021-05`, { headers: { cookie } })).status).toBe(200);
        } finally {
          await stop(proc);
        }
        if (!env.DATABASE_URL) expect(cli(['restore', '--from', file], restoredEnv).status).toBe(1);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 240_000);
  });
}
