/**
 * The project repository: versioned records, the append-only audit log and progress reports, over `Db`.
 *
 * An edit names the record (kind + key) and the version it was made on (0 for a record that does not exist yet).
 * In one transaction the record row is locked (SELECT … FOR UPDATE); if its version is not the edit's base version
 * the edit is refused with the current value, who changed it and when — never a silent overwrite. Otherwise the new
 * value is written with version + 1 and the change is appended to the audit log with before and after. The edit's
 * client-chosen `opId` is unique per project, so an edit that is retried after a lost reply is applied once.
 */
import type { Db, Queryable } from './db';
import type { User } from './auth';
import { mayEdit, mayEditPart, mayReport, type Decision, type Kind } from './rules';
import { PARTS, parsePartKey, partKey } from '../src/lib/state/parts';
import { validatePoolSlice, type CommunityEdit } from '../src/lib/analysis/pool';
import { PROJECT_FORMAT, PROJECT_SCHEMA_VERSION, parseProject, type ProjectFile } from '../src/lib/state/project';

export interface RecordRow {
  kind: Kind;
  key: string;
  value: unknown;
  version: number;
  updated_by: string | null;
  updated_at: string;
}

export interface EditOp {
  opId: string;
  kind: Kind;
  key: string;
  baseVersion: number;
  /** null = remove the record (back to the dataset's values) */
  value: unknown;
  label?: string;
}

export type EditResult =
  | { status: 'applied'; version: number; seq: number; duplicate?: boolean }
  | { status: 'conflict'; current: { value: unknown; version: number; by: string | null; at: string | null } }
  | { status: 'forbidden'; why: string }
  | { status: 'invalid'; why: string };

export interface ChangeEvent {
  type: 'record';
  seq: number;
  kind: Kind;
  key: string;
  version: number;
  value: unknown;
  username: string;
  at: string;
  label: string;
}

const MAX_VALUE_BYTES = 1_000_000;

/** Validate a record's value: community edits with the app's own validator; slices must be plain JSON. */
export function validateValue(kind: Kind, key: string, value: unknown): string | undefined {
  if (value === null) return undefined;
  const text = JSON.stringify(value);
  if (text === undefined) return 'not JSON';
  if (text.length > MAX_VALUE_BYTES) return `larger than ${MAX_VALUE_BYTES} bytes`;
  try {
    if (kind === 'community') validatePoolSlice({ version: 1, overlay: { [key]: value }, rubric: null });
    else if (kind === 'part') {
      const p = parsePartKey(key);
      if (!p) return `unknown record ${key}`;
      p.def.validatePart(p.id, value);
    } else if (!/^[a-z][a-z0-9_.-]{0,63}$/.test(key)) return 'unknown slice';
    else if (Object.hasOwn(PARTS, key)) PARTS[key]!.validateRest(value);
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

/** Who may make this edit (server/rules.ts), with the facts the rules need read from the database. */
async function permission(q: Queryable, db: Db, user: User, projectId: number, op: EditOp, before: unknown): Promise<Decision | 'unknown-community'> {
  if (op.kind === 'part') {
    const p = parsePartKey(op.key)!;
    if (p.def.scope === 'community') {
      const street = await communityStreet(q, projectId, p.id, db);
      return street === undefined ? 'unknown-community' : mayEditPart(user, { scope: 'community', street });
    }
    const owner = (v: unknown) => (v === null || v === undefined ? null : (p.def.ownerOf?.(v) ?? null));
    return mayEditPart(user, { scope: 'work', before: owner(before), after: owner(op.value) });
  }
  const street = op.kind === 'community' ? await communityStreet(q, projectId, op.key, db) : undefined;
  if (op.kind === 'community' && street === undefined) return 'unknown-community';
  return mayEdit(user, op.kind, street, before as CommunityEdit | null, op.value as CommunityEdit | null);
}

/** A community's 街道 never changes once its project exists: remembered per process (communities are only inserted). */
const streets = new WeakMap<object, Map<string, string>>();
export async function communityStreet(q: Queryable, projectId: number, id: string, cacheOwner?: object): Promise<string | undefined> {
  const cache = cacheOwner ? (streets.get(cacheOwner) ?? streets.set(cacheOwner, new Map()).get(cacheOwner)!) : undefined;
  const k = `${projectId}\u0000${id}`;
  const hit = cache?.get(k);
  if (hit !== undefined) return hit;
  const r = await q.query<{ street: string }>('SELECT street FROM communities WHERE project_id = $1 AND id = $2', [projectId, id]);
  const street = r.rows[0]?.street;
  if (street !== undefined) cache?.set(k, street);
  return street;
}

export async function applyEdit(db: Db, user: User, projectId: number, op: EditOp): Promise<{ result: EditResult; event?: ChangeEvent }> {
  const invalid = validateValue(op.kind, op.key, op.value);
  if (invalid) return { result: { status: 'invalid', why: invalid } };
  return db.tx(async (q) => {
    const dup = await q.query<{ seq: number; version: number }>('SELECT seq, version FROM audit WHERE project_id = $1 AND op_id = $2', [projectId, op.opId]);
    if (dup.rows[0]) return { result: { status: 'applied', version: dup.rows[0].version, seq: dup.rows[0].seq, duplicate: true } };
    // lock the record row alone (a join under FOR UPDATE would be re-checked against the old user row after a wait)
    const cur = await q.query<{ value: unknown; version: number; updated_at: string; updated_by: number | null }>(
      `SELECT value, version, updated_at::text AS updated_at, updated_by FROM records
        WHERE project_id = $1 AND kind = $2 AND key = $3 FOR UPDATE`,
      [projectId, op.kind, op.key],
    );
    const row = cur.rows[0];
    const version = row?.version ?? 0;
    const before = row?.value ?? null;
    const allowed = await permission(q, db, user, projectId, op, before);
    if (allowed === 'unknown-community') return { result: { status: 'invalid', why: `unknown community ${op.key}` } };
    if (!allowed.ok) return { result: { status: 'forbidden', why: allowed.why } };
    if (version !== op.baseVersion) {
      const by = row?.updated_by ? (await q.query<{ display: string }>('SELECT display FROM users WHERE id = $1', [row.updated_by])).rows[0]?.display : undefined;
      return { result: { status: 'conflict', current: { value: before, version, by: by ?? null, at: row?.updated_at ?? null } } };
    }
    const next = version + 1;
    await q.query(
      `INSERT INTO records (project_id, kind, key, value, version, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, now())
       ON CONFLICT (project_id, kind, key) DO UPDATE SET value = EXCLUDED.value, version = EXCLUDED.version,
         updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
      [projectId, op.kind, op.key, json(op.value), next, user.id],
    );
    const label = (op.label ?? '').slice(0, 300);
    const a = await q.query<{ seq: number; at: string }>(
      `INSERT INTO audit (project_id, kind, key, version, user_id, username, op_id, label, before, after)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING seq, at::text AS at`,
      [projectId, op.kind, op.key, next, user.id, user.display, op.opId, label, json(before), json(op.value)],
    );
    const { seq, at } = a.rows[0]!;
    const event: ChangeEvent = { type: 'record', seq, kind: op.kind, key: op.key, version: next, value: op.value, username: user.display, at, label };
    return { result: { status: 'applied', version: next, seq }, event };
  });
}

/** jsonb parameters are passed as text so both drivers store the same thing (null stays SQL NULL). */
function json(v: unknown): string | null {
  return v === null || v === undefined ? null : JSON.stringify(v);
}

/**
 * Undo the user's own last change to a record: a new edit back to the value before it, on the current version.
 * Refused when the record changed since (someone else's later edit is never undone).
 */
export async function undoOwn(db: Db, user: User, projectId: number, kind: Kind, key: string, opId: string): Promise<{ result: EditResult; event?: ChangeEvent }> {
  const last = await db.query<{ user_id: number; version: number; before: unknown }>(
    'SELECT user_id, version, before FROM audit WHERE project_id = $1 AND kind = $2 AND key = $3 ORDER BY seq DESC LIMIT 1',
    [projectId, kind, key],
  );
  const a = last.rows[0];
  if (!a || a.user_id !== user.id) return { result: { status: 'forbidden', why: 'the last change to this record is not yours' } };
  return applyEdit(db, user, projectId, { opId, kind, key, baseVersion: a.version, value: a.before ?? null, label: 'undo' });
}

export async function snapshot(q: Queryable, projectId: number) {
  const p = await q.query<{ id: number; name: string }>('SELECT id, name FROM projects WHERE id = $1', [projectId]);
  if (!p.rows[0]) return undefined;
  const communities = await q.query<{ id: string; name: string; street: string }>('SELECT id, name, street FROM communities WHERE project_id = $1 ORDER BY id', [projectId]);
  const records = await q.query<RecordRow>(
    `SELECT r.kind, r.key, r.value, r.version, u.display AS updated_by, r.updated_at::text AS updated_at
       FROM records r LEFT JOIN users u ON u.id = r.updated_by WHERE r.project_id = $1 ORDER BY r.kind, r.key`,
    [projectId],
  );
  const seq = await q.query<{ seq: number | null }>('SELECT max(seq) AS seq FROM audit WHERE project_id = $1', [projectId]);
  return { project: p.rows[0], communities: communities.rows, records: records.rows, seq: Number(seq.rows[0]?.seq ?? 0) };
}

export async function eventsSince(q: Queryable, projectId: number, since: number, limit = 1000): Promise<ChangeEvent[]> {
  const r = await q.query<Omit<ChangeEvent, 'type' | 'value'> & { after: unknown }>(
    `SELECT seq, kind, key, version, after, username, at::text AS at, label FROM audit WHERE project_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
    [projectId, since, limit],
  );
  return r.rows.map(({ after, ...e }) => ({ type: 'record', ...e, value: after }));
}

/** A record's history; a community's includes its pieces of other slices (content plan, survey …), each named. */
export async function history(q: Queryable, projectId: number, kind: Kind, key: string) {
  const pieces = kind === 'community' ? Object.keys(PARTS).filter((k) => PARTS[k]!.scope === 'community').map((k) => partKey(k, key)) : [];
  const r = await q.query(
    `SELECT seq, kind, key, version, username, at::text AS at, label, before, after FROM audit
      WHERE project_id = $1 AND ((kind = $2 AND key = $3) OR (kind = 'part' AND key = ANY($4::text[]))) ORDER BY seq`,
    [projectId, kind, key, pieces],
  );
  return r.rows;
}

export async function createProject(db: Db, name: string, communities: { id: string; name: string; street: string }[]): Promise<number> {
  return db.tx(async (q) => {
    const r = await q.query<{ id: number }>('INSERT INTO projects (name) VALUES ($1) RETURNING id', [name]);
    const id = r.rows[0]!.id;
    for (const c of communities)
      await q.query('INSERT INTO communities (project_id, id, name, street) VALUES ($1, $2, $3, $4)', [id, String(c.id), String(c.name), String(c.street)]);
    return id;
  });
}

/**
 * Seed a project from a project file (all or nothing): the pool slice's per-community edits become community
 * records, its rubric the 'rubric' slice record, every other slice a slice record. Each seeded record is audited.
 */
export async function seedFromProjectFile(db: Db, user: User, projectId: number, text: string): Promise<number> {
  const file = parseProject(text);
  const ops: EditOp[] = [];
  const stamp = Date.now().toString(36);
  for (const [key, value] of Object.entries(file.slices)) {
    if (key === 'pool') {
      const pool = validatePoolSlice(value);
      for (const [id, edit] of Object.entries(pool.overlay)) ops.push({ opId: `seed-${stamp}-c-${id}`, kind: 'community', key: id, baseVersion: 0, value: edit, label: 'seed' });
      if (pool.rubric) ops.push({ opId: `seed-${stamp}-rubric`, kind: 'slice', key: 'rubric', baseVersion: 0, value: pool.rubric, label: 'seed' });
    } else if (Object.hasOwn(PARTS, key)) {
      const { rest, parts } = PARTS[key]!.split(value);
      if (rest !== null) ops.push({ opId: `seed-${stamp}-s-${key}`, kind: 'slice', key, baseVersion: 0, value: rest, label: 'seed' });
      for (const [id, part] of Object.entries(parts))
        ops.push({ opId: `seed-${stamp}-p-${key}-${id}`, kind: 'part', key: partKey(key, id), baseVersion: 0, value: part, label: 'seed' });
    } else ops.push({ opId: `seed-${stamp}-s-${key}`, kind: 'slice', key, baseVersion: 0, value, label: 'seed' });
  }
  for (const op of ops) {
    const problem = validateValue(op.kind, op.key, op.value);
    if (problem) throw new Error(`${op.kind} ${op.key}: ${problem}`);
  }
  let n = 0;
  for (const op of ops) {
    const cur = await db.query<{ version: number }>('SELECT version FROM records WHERE project_id = $1 AND kind = $2 AND key = $3', [projectId, op.kind, op.key]);
    const { result } = await applyEdit(db, user, projectId, { ...op, baseVersion: cur.rows[0]?.version ?? 0 });
    if (result.status !== 'applied') throw new Error(`${op.kind} ${op.key}: ${result.status}`);
    n++;
  }
  return n;
}

/** The project as a project file the single-user app can open. */
export async function toProjectFile(q: Queryable, projectId: number): Promise<ProjectFile | undefined> {
  const snap = await snapshot(q, projectId);
  if (!snap) return undefined;
  const overlay: Record<string, unknown> = {};
  const slices: Record<string, unknown> = {};
  const parts: Record<string, Record<string, unknown>> = {};
  let rubric: unknown = null;
  for (const r of snap.records) {
    if (r.value === null) continue;
    if (r.kind === 'community') overlay[r.key] = r.value;
    else if (r.kind === 'part') {
      const p = parsePartKey(r.key);
      if (p) (parts[p.slice] ??= {})[p.id] = r.value;
    } else if (r.key === 'rubric') rubric = r.value;
    else slices[r.key] = r.value;
  }
  for (const key of Object.keys(PARTS))
    if (slices[key] !== undefined || parts[key]) slices[key] = PARTS[key]!.join(slices[key] ?? null, parts[key] ?? {});
  slices.pool = { version: 1, overlay, rubric };
  return { format: PROJECT_FORMAT, schema_version: PROJECT_SCHEMA_VERSION, saved_at: new Date().toISOString(), slices };
}

export interface ProgressReport {
  community: string;
  month: string;
  stage: string;
  percent: number;
  note?: string;
  links?: string[];
}

export function progressProblem(r: ProgressReport): string | undefined {
  if (typeof r.community !== 'string') return 'community: expected an id';
  if (typeof r.month !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(r.month)) return 'month: expected YYYY-MM';
  if (typeof r.stage !== 'string' || r.stage.length > 40) return 'stage: expected a stage name';
  if (!Number.isInteger(r.percent) || r.percent < 0 || r.percent > 100) return 'percent: expected a whole number 0–100';
  if (r.note !== undefined && (typeof r.note !== 'string' || r.note.length > 4000)) return 'note: text up to 4,000 characters';
  if (r.links !== undefined && (!Array.isArray(r.links) || r.links.length > 20 || r.links.some((l) => typeof l !== 'string' || !/^https?:\/\//.test(l) || l.length > 1000)))
    return 'links: up to 20 http(s) addresses';
  return undefined;
}

export async function addProgress(db: Db, user: User, projectId: number, r: ProgressReport) {
  const problem = progressProblem(r);
  if (problem) return { status: 'invalid' as const, why: problem };
  const street = await communityStreet(db, projectId, r.community);
  const allowed = mayReport(user, street);
  if (!allowed.ok) return { status: 'forbidden' as const, why: allowed.why };
  const row = await db.query<{ id: number; at: string }>(
    `INSERT INTO progress_reports (project_id, community, street, month, stage, percent, note, links, user_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id, at::text AS at`,
    [projectId, r.community, street, r.month, r.stage, r.percent, r.note ?? '', JSON.stringify(r.links ?? []), user.id],
  );
  return { status: 'applied' as const, id: row.rows[0]!.id, at: row.rows[0]!.at, street: street! };
}

export interface ProgressEvent {
  type: 'progress';
  id: number;
  community: string;
  street: string;
  month: string;
  stage: string;
  percent: number;
  note: string;
  links: string[];
  username: string;
  at: string;
}

/** One report as the live event that announces it. */
export async function progressEvent(q: Queryable, projectId: number, id: number): Promise<ProgressEvent | undefined> {
  const r = await q.query<Omit<ProgressEvent, 'type'>>(
    `SELECT p.id, p.community, p.street, p.month, p.stage, p.percent, p.note, p.links, coalesce(u.display, '') AS username, p.at::text AS at
       FROM progress_reports p LEFT JOIN users u ON u.id = p.user_id WHERE p.project_id = $1 AND p.id = $2`,
    [projectId, id],
  );
  return r.rows[0] ? { type: 'progress', ...r.rows[0] } : undefined;
}

/** The month's reports and the 街道 that have not reported yet. */
export async function progressOfMonth(q: Queryable, projectId: number, month: string) {
  const reports = await q.query(
    `SELECT p.id, p.community, c.name AS community_name, p.street, p.month, p.stage, p.percent, p.note, p.links, u.display AS reported_by, p.at::text AS at
       FROM progress_reports p JOIN communities c ON c.project_id = p.project_id AND c.id = p.community
       LEFT JOIN users u ON u.id = p.user_id
      WHERE p.project_id = $1 AND p.month = $2 ORDER BY p.at`,
    [projectId, month],
  );
  const streets = await q.query<{ street: string; reported: boolean }>(
    `SELECT c.street, bool_or(p.id IS NOT NULL) AS reported
       FROM communities c LEFT JOIN progress_reports p ON p.project_id = c.project_id AND p.street = c.street AND p.month = $2
      WHERE c.project_id = $1 GROUP BY c.street ORDER BY c.street`,
    [projectId, month],
  );
  return { reports: reports.rows, notReported: streets.rows.filter((s) => !s.reported).map((s) => s.street) };
}
