/**
 * Shared-project server under load, on loopback only: 50 concurrent clients × 200 edits each (each client edits
 * its own community, every edit on the version its previous edit produced), over real HTTP, against the embedded
 * PostgreSQL (PGlite) and a real PostgreSQL started in a temporary folder (skipped with a message where missing).
 * Prints edits per second (median and min–max over the runs), p50/p95 latency, and the check that nothing was lost
 * or duplicated (every record at version 200, exactly 10,000 log entries per run).
 *   npm run bench -- server            (BENCH_SERVER_RUNS=3 by default)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, migrate, type Db } from '../server/db';
import { createUser } from '../server/auth';
import { createProject } from '../server/store';
import { startServer } from '../server/http';
import { startCluster, type Cluster } from '../server/testing/pg-cluster';

const CLIENTS = 50;
const EDITS = 200;
const RUNS = Number(process.env.BENCH_SERVER_RUNS ?? 3);
const PASSWORD = 'bench-password-1';

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

async function oneRun(db: Db, run: number): Promise<{ perSec: number; lat: number[]; lost: number; dup: number }> {
  const ids = Array.from({ length: CLIENTS }, (_, i) => `R${run}C${String(i).padStart(3, '0')}`);
  const pid = await createProject(db, `bench ${run}`, ids.map((id) => ({ id, name: id, street: 'S' })));
  const s = await startServer({ db, port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${s.port}`;
  const r = await fetch(`${base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench', password: PASSWORD }) });
  const cookie = r.headers.get('set-cookie')!.split(';')[0]!;
  const { csrf } = await r.json();
  const lat: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    ids.map(async (id) => {
      let version = 0;
      for (let i = 0; i < EDITS; i++) {
        const a = performance.now();
        const res = await fetch(`${base}/api/projects/${pid}/records/community/${id}`, {
          method: 'PUT',
          headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
          body: JSON.stringify({ opId: `${id}-${i}`, baseVersion: version, value: { attrs: { households: i + 1 } }, label: 'bench' }),
        });
        const body = await res.json();
        if (res.status !== 200) throw new Error(`edit ${id}#${i}: ${res.status} ${JSON.stringify(body)}`);
        version = body.version;
        lat.push(performance.now() - a);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  await s.close();
  const recs = await db.query<{ version: number; h: number }>("SELECT version, (value->'attrs'->>'households')::int AS h FROM records WHERE project_id = $1", [pid]);
  const lost = recs.rows.filter((x) => x.version !== EDITS || x.h !== EDITS).length + (CLIENTS - recs.rows.length);
  const log = await db.query<{ n: number; d: number }>('SELECT count(*)::int AS n, count(DISTINCT op_id)::int AS d FROM audit WHERE project_id = $1', [pid]);
  const dup = log.rows[0]!.n - log.rows[0]!.d + Math.abs(log.rows[0]!.n - CLIENTS * EDITS);
  return { perSec: (CLIENTS * EDITS) / secs, lat, lost, dup };
}

async function measure(name: string, db: Db): Promise<void> {
  await migrate(db);
  await createUser(db, { username: 'bench', role: 'admin', password: PASSWORD });
  const rates: number[] = [];
  const lat: number[] = [];
  let lost = 0;
  let dup = 0;
  for (let run = 0; run < RUNS; run++) {
    const r = await oneRun(db, run);
    rates.push(r.perSec);
    lat.push(...r.lat);
    lost += r.lost;
    dup += r.dup;
  }
  const sorted = [...rates].sort((a, b) => a - b);
  console.log(
    `${name}: ${CLIENTS} clients × ${EDITS} edits, ${RUNS} runs: ${sorted[Math.floor(RUNS / 2)]!.toFixed(0)} edits/s median (${sorted[0]!.toFixed(0)}–${sorted.at(-1)!.toFixed(0)}); ` +
      `latency p50 ${quantile(lat, 0.5).toFixed(1)} ms, p95 ${quantile(lat, 0.95).toFixed(1)} ms; lost ${lost}, duplicated ${dup}`,
  );
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'planner-bench-'));
  try {
    const db = await openDb({ dataDir: dir });
    await measure('embedded PostgreSQL (PGlite)', db);
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const c = await startCluster();
  if ('missing' in c) {
    console.log(`PostgreSQL server: skipped (${c.missing})`);
    return;
  }
  try {
    const db = await openDb({ url: (c as Cluster).url });
    await measure('PostgreSQL 15 server', db);
    await db.close();
  } finally {
    (c as Cluster).stop();
  }
}
