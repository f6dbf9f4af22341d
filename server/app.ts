/**
 * The HTTP API (Hono). Every rule is enforced here, whatever the app shows:
 * - no session → 401; a session without the right → 403 and nothing changed;
 * - every state-changing request must carry the session's CSRF token in `X-CSRF-Token` and, when the browser
 *   sends an Origin, come from this server's own origin; the session cookie is httpOnly and SameSite=Strict;
 * - logins are rate-limited per client address and per user name;
 * - request bodies are size-limited; every value is validated with the app's own validators.
 * Live changes go to open clients as server-sent events (GET /api/projects/:id/events, resumable by sequence).
 * On a PostgreSQL server every change is also announced with NOTIFY, and each server process LISTENs, so clients
 * of several server processes on one database (behind a load balancer) see each other's changes live.
 */
import { Hono, type Context } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { streamSSE } from 'hono/streaming';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { Db } from './db';
import { LoginLimiter, login, logout, sessionUser, type Limiter, type User } from './auth';
import { mayAdminister } from './rules';
import {
  addProgress,
  applyEdit,
  createProject,
  eventsSince,
  history,
  progressEvent,
  progressOfMonth,
  seedFromProjectFile,
  snapshot,
  toProjectFile,
  undoOwn,
  type ChangeEvent,
  type ProgressEvent,
  type EditOp,
  type EditResult,
} from './store';
import { auditToCsv } from './audit-export';

export const COOKIE = 'planner_session';

type Env = { Variables: { user: User & { csrf: string }; token: string } };

export interface AppOptions {
  db: Db;
  version: string;
  /** true behind HTTPS: the cookie gets `Secure` */
  secureCookies?: boolean;
  limiter?: Limiter;
  /** client address for rate limiting (the Node adapter's socket address) */
  clientAddress?: (c: Context) => string;
}

export function createApp(o: AppOptions) {
  const { db } = o;
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  const limiter = o.limiter ?? new LoginLimiter();
  const addr = o.clientAddress ?? (() => 'local');
  const app = new Hono<Env>();

  // changes reach this process's clients at once, and other processes' clients through NOTIFY (PostgreSQL server)
  const CHANNEL = 'planner_events';
  const origin = randomUUID();
  function publish(pid: number, e: ChangeEvent | ProgressEvent): void {
    bus.emit(`p${pid}`, e);
    if (!db.listen) return;
    const note = e.type === 'record' ? { o: origin, p: pid, seq: e.seq } : { o: origin, p: pid, progress: e.id };
    db.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(note)]).catch((err) => console.error(`notify: ${(err as Error).message}`));
  }
  async function fromOtherProcess(payload: string): Promise<void> {
    const n = JSON.parse(payload) as { o: string; p: number; seq?: number; progress?: number };
    if (n.o === origin || !Number.isInteger(n.p)) return;
    if (typeof n.seq === 'number') {
      const [e] = await eventsSince(db, n.p, n.seq - 1, 1);
      if (e?.seq === n.seq) bus.emit(`p${n.p}`, e);
    } else if (typeof n.progress === 'number') {
      const e = await progressEvent(db, n.p, n.progress);
      if (e) bus.emit(`p${n.p}`, e);
    }
  }
  const listening = db.listen?.(CHANNEL, (p) => void fromOtherProcess(p).catch(() => undefined), () => bus.emit('reset'));
  listening?.catch((err) => console.error(`live events from other server processes are off: ${(err as Error).message}`));

  // a session looked up in the last 5 s is not looked up again (logout on this server forgets it at once)
  const sessions = new Map<string, { user: User & { csrf: string }; until: number }>();
  async function cachedSession(token: string | undefined) {
    if (!token) return undefined;
    const hit = sessions.get(token);
    if (hit && hit.until > Date.now()) return hit.user;
    const user = await sessionUser(db, token);
    if (sessions.size > 5000) sessions.clear();
    if (user) sessions.set(token, { user, until: Date.now() + 5000 });
    else sessions.delete(token);
    return user;
  }

  app.use('*', secureHeaders());
  // a change (POST/PUT/DELETE, sign-in included) from a page of another origin is refused before anything else
  app.use('/api/*', async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !sameOrigin(c.req.header('origin'), c.req.header('host')))
      return c.json({ error: 'cross-site request refused' }, 403);
    await next();
  });
  app.use('/api/*', bodyLimit({ maxSize: 25 * 1024 * 1024, onError: (c) => c.json({ error: 'request too large (25 MB at most)' }, 413) }));

  app.get('/api/health', async (c) => {
    await db.query('SELECT 1');
    return c.json({ ok: true, engine: db.engine, version: o.version });
  });

  app.post('/api/login', async (c) => {
    const body = await c.req.json().catch(() => ({}));
    const username = typeof body.username === 'string' ? body.username.slice(0, 64) : '';
    const password = typeof body.password === 'string' ? body.password.slice(0, 200) : '';
    const keys = [`ip:${addr(c)}`, `user:${username}`];
    const wait = Math.max(...(await Promise.all(keys.map((k) => limiter.retryAfter(k)))));
    if (wait > 0) {
      c.header('Retry-After', String(Math.ceil(wait / 1000)));
      return c.json({ error: 'too many failed logins; try again later' }, 429);
    }
    const s = await login(db, username, password);
    if (!s) {
      for (const k of keys) await limiter.failed(k);
      return c.json({ error: 'wrong user name or password' }, 401);
    }
    for (const k of keys) await limiter.succeeded(k);
    setCookie(c, COOKIE, s.token, { httpOnly: true, sameSite: 'Strict', path: '/', secure: !!o.secureCookies, maxAge: 12 * 3600 });
    return c.json({ user: s.user, csrf: s.csrf });
  });

  // everything else under /api needs a session; changes need the CSRF token and a same-origin request
  app.use('/api/*', async (c, next) => {
    const token = getCookie(c, COOKIE);
    const user = await cachedSession(token);
    if (!user || !token) return c.json({ error: 'not signed in' }, 401);
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.req.header('x-csrf-token') !== user.csrf)
      return c.json({ error: 'missing or wrong CSRF token' }, 403);
    c.set('user', user);
    c.set('token', token);
    await next();
  });

  app.get('/api/session', (c) => {
    const { csrf, ...user } = c.get('user');
    return c.json({ user, csrf });
  });

  app.post('/api/logout', async (c) => {
    await logout(db, c.get('token'));
    sessions.delete(c.get('token'));
    deleteCookie(c, COOKIE, { path: '/' });
    return c.json({ ok: true });
  });

  app.get('/api/projects', async (c) => c.json((await db.query('SELECT id, name, created_at::text AS created_at FROM projects ORDER BY id')).rows));

  app.post('/api/projects', async (c) => {
    const denied = mayAdminister(c.get('user'));
    if (!denied.ok) return c.json({ error: denied.why }, 403);
    const body = await c.req.json().catch(() => null);
    const list = body?.communities;
    if (typeof body?.name !== 'string' || !Array.isArray(list) || list.some((x: unknown) => !isCommunity(x)))
      return c.json({ error: 'expected { name, communities: [{ id, name, street }] }' }, 400);
    return c.json({ id: await createProject(db, body.name, list) }, 201);
  });

  const projectId = (c: Context) => {
    const id = Number(c.req.param('id'));
    return Number.isInteger(id) && id > 0 ? id : -1;
  };

  app.get('/api/projects/:id', async (c) => {
    const s = await snapshot(db, projectId(c));
    return s ? c.json(s) : c.json({ error: 'no such project' }, 404);
  });

  app.put('/api/projects/:id/records/:kind/:key', async (c) => {
    const body = await c.req.json().catch(() => null);
    const kind = c.req.param('kind');
    if (kind !== 'community' && kind !== 'slice' && kind !== 'part') return c.json({ error: 'unknown record kind' }, 400);
    if (!body || typeof body.opId !== 'string' || body.opId.length > 100 || !Number.isInteger(body.baseVersion) || !('value' in body))
      return c.json({ error: 'expected { opId, baseVersion, value, label? }' }, 400);
    const op: EditOp = { opId: body.opId, kind, key: c.req.param('key'), baseVersion: body.baseVersion, value: body.value, label: typeof body.label === 'string' ? body.label : '' };
    return reply(c, await applyEdit(db, c.get('user'), projectId(c), op));
  });

  app.post('/api/projects/:id/undo/:kind/:key', async (c) => {
    const body = await c.req.json().catch(() => null);
    const kind = c.req.param('kind');
    if ((kind !== 'community' && kind !== 'slice' && kind !== 'part') || typeof body?.opId !== 'string') return c.json({ error: 'expected { opId }' }, 400);
    return reply(c, await undoOwn(db, c.get('user'), projectId(c), kind, c.req.param('key'), body.opId));
  });

  function reply(c: Context, r: { result: EditResult; event?: ChangeEvent }) {
    if (r.event) publish(projectId(c), r.event);
    const status = { applied: 200, conflict: 409, forbidden: 403, invalid: 400 }[r.result.status] as 200 | 409 | 403 | 400;
    return c.json(r.result, status);
  }

  app.get('/api/projects/:id/events', (c) => {
    const pid = projectId(c);
    let since = Number(c.req.query('since') ?? c.req.header('last-event-id') ?? 0);
    if (!Number.isFinite(since) || since < 0) since = 0;
    return streamSSE(c, async (stream) => {
      const queue: (ChangeEvent | ProgressEvent)[] = [];
      let wake: (() => void) | undefined;
      const onEvent = (e: ChangeEvent | ProgressEvent) => {
        queue.push(e);
        wake?.();
      };
      bus.on(`p${pid}`, onEvent);
      let open = true;
      // the stream ends when the client goes, or when this process may have missed other processes' changes
      // (its LISTEN connection was lost): the browser reconnects with Last-Event-ID and catches up from the log
      const end = () => {
        open = false;
        wake?.();
      };
      stream.onAbort(end);
      bus.on('reset', end);
      try {
        // catch up from the log first, then live; the sequence number removes duplicates between the two
        for (const e of await eventsSince(db, pid, since)) {
          await stream.writeSSE({ id: String(e.seq), event: e.type, data: JSON.stringify(e) });
          since = e.seq;
        }
        while (open) {
          if (!queue.length) await new Promise<void>((res) => ((wake = res), setTimeout(res, 15_000)));
          wake = undefined;
          if (!queue.length) await stream.writeSSE({ event: 'ping', data: '{}' });
          while (queue.length) {
            const e = queue.shift()!;
            if (e.type === 'record' && e.seq <= since) continue;
            await stream.writeSSE({ id: e.type === 'record' ? String(e.seq) : undefined, event: e.type, data: JSON.stringify(e) });
            if (e.type === 'record') since = e.seq;
          }
        }
      } finally {
        bus.off(`p${pid}`, onEvent);
        bus.off('reset', end);
      }
    });
  });

  app.get('/api/projects/:id/history/:key', async (c) => c.json(await history(db, projectId(c), 'community', c.req.param('key'))));

  app.get('/api/projects/:id/audit', async (c) => {
    const rows = (
      await db.query(
        'SELECT seq, kind, key, version, username, at::text AS at, label, before, after FROM audit WHERE project_id = $1 ORDER BY seq',
        [projectId(c)],
      )
    ).rows;
    if (c.req.query('format') === 'csv') {
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', 'attachment; filename="audit.csv"');
      return c.body(auditToCsv(rows));
    }
    return c.json(rows);
  });

  app.post('/api/projects/:id/progress', async (c) => {
    const body = await c.req.json().catch(() => null);
    if (!body) return c.json({ error: 'expected a progress report' }, 400);
    const r = await addProgress(db, c.get('user'), projectId(c), body);
    if (r.status === 'applied') {
      const e = await progressEvent(db, projectId(c), r.id);
      if (e) publish(projectId(c), e);
    }
    return c.json(r, r.status === 'applied' ? 201 : r.status === 'forbidden' ? 403 : 400);
  });

  app.get('/api/projects/:id/progress', async (c) => {
    const month = c.req.query('month') ?? new Date().toISOString().slice(0, 7);
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) return c.json({ error: 'month: expected YYYY-MM' }, 400);
    return c.json(await progressOfMonth(db, projectId(c), month));
  });

  app.post('/api/projects/:id/file', async (c) => {
    const denied = mayAdminister(c.get('user'));
    if (!denied.ok) return c.json({ error: denied.why }, 403);
    try {
      const n = await seedFromProjectFile(db, c.get('user'), projectId(c), await c.req.text());
      return c.json({ records: n });
    } catch (e) {
      return c.json({ error: (e as Error).message }, 400);
    }
  });

  app.get('/api/projects/:id/file', async (c) => {
    const f = await toProjectFile(db, projectId(c));
    if (!f) return c.json({ error: 'no such project' }, 404);
    c.header('Content-Disposition', 'attachment; filename="project.jiangbei.json"');
    return c.json(f);
  });

  /** resolves once this process hears other processes' changes (at once on the embedded engine) */
  const ready: Promise<void> = listening ? listening.catch(() => undefined) : Promise.resolve();
  return { app, bus, ready };
}

/** No Origin header (same-origin navigation, non-browser clients) passes; otherwise it must name this host. */
function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  try {
    return !!host && new URL(origin).host === host;
  } catch {
    return false; // "null" (sandboxed frames, file pages) and anything unparsable
  }
}

function isCommunity(x: unknown): x is { id: string; name: string; street: string } {
  const o = x as Record<string, unknown>;
  return !!o && typeof o.id === 'string' && typeof o.name === 'string' && typeof o.street === 'string' && o.id.length <= 64;
}
