/**
 * Users, passwords and sessions.
 * - Passwords: scrypt (node:crypto; memory-hard, N=2^15, r=8, p=1 → 32 MiB per hash), random 16-byte salt,
 *   constant-time comparison. There is no default password: the first administrator is created by the CLI.
 * - Sessions: a random 32-byte token in an httpOnly, SameSite=Strict cookie; only its SHA-256 is stored.
 *   Each session has a CSRF token that every state-changing request must send back in `X-CSRF-Token`.
 * - Logins are rate-limited per client address and per user name (see LoginLimiter).
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Db, Queryable } from './db';

export type Role = 'admin' | 'street' | 'department' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'street', 'department', 'viewer'];

export interface User {
  id: number;
  username: string;
  display: string;
  role: Role;
  street: string | null;
  department: string | null;
}

const SCRYPT = { N: 1 << 15, r: 8, p: 1, keylen: 32, maxmem: 64 * 1024 * 1024 };

function scrypt(password: string, salt: Buffer, o: typeof SCRYPT): Promise<Buffer> {
  const opts: ScryptOptions = { N: o.N, r: o.r, p: o.p, maxmem: o.maxmem };
  return new Promise((res, rej) => scryptCb(password.normalize('NFC'), salt, o.keylen, opts, (e, k) => (e ? rej(e) : res(k))));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, hash] = stored.split('$');
  if (alg !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), { ...SCRYPT, N: Number(n), r: Number(r), p: Number(p), keylen: expected.length });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A password good enough for an office tool: long enough, not all one kind of character. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < 10) return 'at least 10 characters';
  if (password.length > 200) return 'at most 200 characters';
  if (/^\d+$/.test(password) || /^[a-z]+$/i.test(password)) return 'mix letters with digits or symbols';
  return undefined;
}

export interface NewUser {
  username: string;
  display?: string;
  role: Role;
  street?: string | null;
  department?: string | null;
  password: string;
}

export async function createUser(db: Queryable, u: NewUser): Promise<User> {
  if (!ROLES.includes(u.role)) throw new Error(`unknown role "${u.role}" (one of ${ROLES.join(', ')})`);
  if (!/^[\p{L}\p{N}_.-]{1,64}$/u.test(u.username)) throw new Error('user name: 1–64 letters, digits, _ . -');
  const problem = passwordProblem(u.password);
  if (problem) throw new Error(`password: ${problem}`);
  if (u.role === 'street' && !u.street) throw new Error('a street editor needs --street (the 街道 they work for)');
  if (u.role === 'department' && !u.department) throw new Error('a department editor needs --department');
  const r = await db.query<User>(
    `INSERT INTO users (username, display, role, street, department, pw_hash) VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING id, username, display, role, street, department`,
    [u.username, u.display ?? u.username, u.role, u.role === 'street' ? u.street : null, u.role === 'department' ? u.department : null, await hashPassword(u.password)],
  );
  return r.rows[0]!;
}

export const SESSION_HOURS = 12;

export async function login(db: Db, username: string, password: string): Promise<{ user: User; token: string; csrf: string } | undefined> {
  const r = await db.query<User & { pw_hash: string }>('SELECT id, username, display, role, street, department, pw_hash FROM users WHERE username = $1', [username]);
  const row = r.rows[0];
  // hash anyway when the user does not exist, so timing does not tell which names exist
  const ok = await verifyPassword(password, row?.pw_hash ?? 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
  if (!row || !ok) return undefined;
  await db.query('DELETE FROM sessions WHERE expires_at < now()');
  const token = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  await db.query(`INSERT INTO sessions (token_hash, user_id, csrf, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4))`, [
    sha256(token),
    row.id,
    csrf,
    SESSION_HOURS,
  ]);
  const { pw_hash: _, ...user } = row;
  return { user, token, csrf };
}

export async function sessionUser(db: Queryable, token: string | undefined): Promise<(User & { csrf: string }) | undefined> {
  if (!token || token.length > 100) return undefined;
  const r = await db.query<User & { csrf: string }>(
    `SELECT u.id, u.username, u.display, u.role, u.street, u.department, s.csrf
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_hash = $1 AND s.expires_at > now()`,
    [sha256(token)],
  );
  return r.rows[0];
}

export async function logout(db: Queryable, token: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE token_hash = $1', [sha256(token)]);
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** Failed logins per key (client address, and user name) in a sliding window. */
export interface Limiter {
  /** milliseconds to wait, or 0 when a try is allowed */
  retryAfter(key: string): number | Promise<number>;
  failed(key: string): void | Promise<void>;
  succeeded(key: string): void | Promise<void>;
}

/**
 * In memory: after `max` failures within `windowMs` the key is refused until the window has passed. Counts in this
 * process only (tests; the server uses DbLoginLimiter so that several server processes share one count).
 */
export class LoginLimiter implements Limiter {
  private fails = new Map<string, number[]>();
  constructor(
    private max = 5,
    private windowMs = 60_000,
    private now: () => number = Date.now,
  ) {}
  /** milliseconds to wait, or 0 when a try is allowed */
  retryAfter(key: string): number {
    const t = this.now();
    const recent = (this.fails.get(key) ?? []).filter((x) => t - x < this.windowMs);
    this.fails.set(key, recent);
    return recent.length >= this.max ? this.windowMs - (t - recent[0]!) : 0;
  }
  failed(key: string): void {
    const list = this.fails.get(key) ?? [];
    list.push(this.now());
    this.fails.set(key, list);
    if (this.fails.size > 10_000) this.fails.delete(this.fails.keys().next().value!);
  }
  succeeded(key: string): void {
    this.fails.delete(key);
  }
}

/**
 * The same rule with the failures kept in the database (table login_failures, migration 003), so every server
 * process on one database counts the same failures. Old rows are removed as new failures arrive.
 */
export class DbLoginLimiter implements Limiter {
  constructor(
    private db: Queryable,
    private max = 5,
    private windowMs = 60_000,
  ) {}
  async retryAfter(key: string): Promise<number> {
    const r = await this.db.query<{ n: number; first_ms: number | null }>(
      `SELECT count(*)::int AS n, (extract(epoch FROM (now() - min(at))) * 1000)::float8 AS first_ms
         FROM (SELECT at FROM login_failures WHERE key = $1 AND at > now() - make_interval(secs => $2::float8 / 1000)
               ORDER BY at DESC LIMIT $3) recent`,
      [key, this.windowMs, this.max],
    );
    const { n, first_ms } = r.rows[0] ?? { n: 0, first_ms: null };
    return n >= this.max && first_ms !== null ? Math.max(1, Math.ceil(this.windowMs - first_ms)) : 0;
  }
  async failed(key: string): Promise<void> {
    await this.db.query('INSERT INTO login_failures (key) VALUES ($1)', [key]);
    await this.db.query('DELETE FROM login_failures WHERE at < now() - make_interval(secs => $1::float8 / 1000)', [this.windowMs]);
  }
  async succeeded(key: string): Promise<void> {
    await this.db.query('DELETE FROM login_failures WHERE key = $1', [key]);
  }
}
