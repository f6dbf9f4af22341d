/**
 * One database interface over two PostgreSQL engines, so the same SQL and migrations run on both:
 * - a real PostgreSQL server when DATABASE_URL is set (node-postgres pool);
 * - otherwise an embedded PostgreSQL in this process (PGlite, PostgreSQL compiled to WASM) with its data in a folder.
 *
 * Queries are always parameterised ($1, $2 …); no SQL is built from user text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[]; rowCount: number }>;
  /** several statements without parameters (migration files) */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly engine: 'postgresql' | 'pglite';
  /** run fn in one transaction (SERIALIZABLE is not needed: row locks + versions decide conflicts) */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /**
   * PostgreSQL server only: LISTEN on a channel over a dedicated connection (NOTIFY from any process reaches every
   * listener). When the connection is lost `onLost` is called and it reconnects (a notification sent meanwhile is
   * missed: the listener must catch up from the database). Absent on the embedded engine (one process by design).
   */
  listen?(channel: string, onPayload: (payload: string) => void, onLost: () => void): Promise<void>;
  close(): Promise<void>;
}

export interface DbOptions {
  /** postgres://… ; when absent the embedded engine is used */
  url?: string;
  /** folder of the embedded engine's data (created when missing) */
  dataDir?: string;
}

export async function openDb(opts: DbOptions): Promise<Db> {
  return opts.url ? openPg(opts.url) : openPglite(opts.dataDir ?? 'server-data');
}

async function openPg(url: string): Promise<Db> {
  const pg = await import('pg');
  // bigint (bigserial) as JS number: our sequences stay far below 2^53
  pg.default.types.setTypeParser(20, (v: string) => Number(v));
  const pool = new pg.default.Pool({ connectionString: url, max: 10 });
  // fail at start, not on the first request, when the server is unreachable
  const c = await pool.connect();
  c.release();
  let closed = false;
  const listeners = new Set<InstanceType<typeof pg.default.Client>>();
  async function listen(channel: string, onPayload: (payload: string) => void, onLost: () => void): Promise<void> {
    if (!/^[a-z_]{1,63}$/.test(channel)) throw new Error(`bad channel name ${channel}`);
    const client = new pg.default.Client({ connectionString: url });
    client.on('notification', (m) => m.channel === channel && m.payload !== undefined && onPayload(m.payload));
    client.on('error', () => undefined); // 'end' follows
    client.on('end', () => {
      listeners.delete(client);
      if (closed) return;
      onLost();
      const retry = (wait: number) => setTimeout(() => void listen(channel, onPayload, onLost).catch(() => retry(Math.min(wait * 2, 30_000))), wait);
      retry(500);
    });
    await client.connect();
    await client.query(`LISTEN ${channel}`);
    listeners.add(client);
    if (closed) await client.end();
  }
  const run = async <T>(q: { query: typeof pool.query }, sql: string, params?: unknown[]) => {
    const r = await q.query(sql, params as unknown[]);
    return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
  };
  return {
    engine: 'postgresql',
    query: (sql, params) => run(pool, sql, params),
    exec: async (sql) => void (await pool.query(sql)),
    async tx(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn({
          query: (sql, params) => run(client as never, sql, params),
          exec: async (sql) => void (await client.query(sql)),
        });
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    listen,
    async close() {
      closed = true;
      await Promise.all([...listeners].map((l) => l.end().catch(() => undefined)));
      await pool.end();
    },
  };
}

async function openPglite(dataDir: string): Promise<Db> {
  const { PGlite, types } = await import('@electric-sql/pglite');
  const db = await PGlite.create(dataDir, { parsers: { [types.INT8]: (v: string) => Number(v) } });
  // PGlite runs one statement at a time; transactions are serialised by its own queue
  const run = async <T>(q: { query: (s: string, p?: unknown[]) => Promise<{ rows: unknown[]; affectedRows?: number }> }, sql: string, params?: unknown[]) => {
    const r = await q.query(sql, params);
    return { rows: r.rows as T[], rowCount: r.affectedRows ?? r.rows.length };
  };
  return {
    engine: 'pglite',
    query: (sql, params) => run(db, sql, params),
    exec: async (sql) => void (await db.exec(sql)),
    tx: (fn) => db.transaction((t) => fn({ query: (sql, params) => run(t, sql, params), exec: async (sql) => void (await t.exec(sql)) })),
    close: () => db.close(),
  };
}

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Versioned migration files `NNN_name.sql`, applied in order, each once, each in its own transaction. */
export function migrationFiles(dir = MIGRATIONS_DIR): { version: number; name: string; sql: string }[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(join(dir, f), 'utf8') }));
}

export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<string[]> {
  await db.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
  const applied: string[] = [];
  for (const m of migrationFiles(dir)) {
    const done = await db.tx(async (q) => {
      // one migrator at a time on a shared server (the lock is released at commit)
      if (db.engine === 'postgresql') await q.query('SELECT pg_advisory_xact_lock(424242)');
      const have = await q.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
      if (have.rows.length) return false;
      await q.exec(m.sql);
      await q.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      return true;
    });
    if (done) applied.push(m.name);
  }
  return applied;
}
