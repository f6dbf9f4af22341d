/**
 * Server mode (共享项目): when the app is served by `npm run server`, it works on the shared project there.
 * Without a server (the default: `npm start`, a static copy) nothing here runs and the app works as before,
 * on the browser's own storage.
 *
 * Detection: `api/health` answers with the database engine only when the server serves the app. Then the user
 * signs in; the project's records are loaded into the slices (./sync.ts), every local edit is sent as a versioned
 * operation, and others' edits arrive live (server-sent events). The rules shown here (who may edit what) only
 * mirror the server, which enforces them.
 */
import { createStore, del, get, keys, set } from 'idb-keyval';
import { app } from '../state/app.svelte';
import { allSlices, onEdited, onRegistered } from '../state/persisted';
import { letServerArbitrate, onSlicesRestored } from '../state/session.svelte';
import { SharedSync, type Conflict, type Op } from './sync';
import type { AuditEntry } from './recorders';

export interface SharedUser {
  id: number;
  username: string;
  display: string;
  role: 'admin' | 'street' | 'department' | 'viewer';
  street: string | null;
  department: string | null;
}

class SharedState {
  mode = $state<'detecting' | 'single' | 'server'>('detecting');
  needLogin = $state(false);
  loginError = $state<string | null>(null);
  user = $state.raw<SharedUser | null>(null);
  csrf = '';
  projectId = $state(0);
  online = $state(true);
  pending = $state(0);
  conflicts = $state.raw<Conflict[]>([]);
  refusals = $state.raw<{ key: string; why: string }[]>([]);
  /** the selected community's audit entries, oldest first (loaded by SharedCommunity; read by the workflow panel) */
  history = $state.raw<{ id: string; entries: (AuditEntry & { seq: number; at: string; label: string })[] }>({ id: '', entries: [] });
  /** bumps on every change that arrives from the server (progress reports, records) */
  tick = $state(0);
  sync: SharedSync | undefined;

  /** May the signed-in user change this community's record (mirror of server/rules.ts)? */
  canEdit(street: string | undefined): boolean {
    if (this.mode !== 'server') return true;
    const u = this.user;
    if (!u) return false;
    return u.role === 'admin' || (u.role === 'street' && street === u.street);
  }
  /** May the user add special works at all (the district, or a department editor for their own department)? */
  get canAddWorks(): boolean {
    return this.mode !== 'server' || this.user?.role === 'admin' || this.user?.role === 'department';
  }
  /** May the user change or remove a work of this department (mirror of server/rules.ts mayEditPart)? */
  canEditWork(department: string): boolean {
    if (this.mode !== 'server') return true;
    const u = this.user;
    return !!u && (u.role === 'admin' || (u.role === 'department' && u.department === department));
  }
  /** a department editor's department: their works are recorded under it */
  get myDepartment(): string | null {
    return this.mode === 'server' && this.user?.role === 'department' ? this.user.department : null;
  }
  get isDistrict(): boolean {
    return this.mode !== 'server' || this.user?.role === 'admin';
  }
}

export const shared = new SharedState();

async function api(path: string, init: RequestInit = {}): Promise<Response> {
  const headers: Record<string, string> = { ...((init.headers as Record<string, string>) ?? {}) };
  if (init.method && init.method !== 'GET') headers['x-csrf-token'] = shared.csrf;
  return fetch(path, { ...init, headers, credentials: 'same-origin', cache: 'no-store' });
}

export { api as sharedFetch };

/** Is the app served by the planner's server? (A static server answers 404, or index.html.) */
export async function detectServer(): Promise<boolean> {
  try {
    const r = await fetch('api/health', { cache: 'no-store' });
    if (!r.ok || !(r.headers.get('content-type') ?? '').includes('json')) return false;
    const body = await r.json();
    return body?.ok === true && typeof body.engine === 'string';
  } catch {
    return false;
  }
}

/**
 * Called once at start, after the local session is restored. `server` is the answer of `detectServer()`, asked
 * for at the very start (main.ts), so the health request is not one more wait before the UI.
 */
export async function startShared(server: Promise<boolean> = detectServer()): Promise<void> {
  if (!(await server)) {
    shared.mode = 'single';
    return;
  }
  shared.mode = 'server';
  const r = await api('api/session');
  if (r.status === 200) {
    const s = await r.json();
    await connect(s.user, s.csrf);
  } else shared.needLogin = true;
}

export async function login(username: string, password: string): Promise<void> {
  shared.loginError = null;
  const r = await fetch('api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }), credentials: 'same-origin' });
  if (r.status === 200) {
    const s = await r.json();
    shared.needLogin = false;
    await connect(s.user, s.csrf);
  } else shared.loginError = r.status === 429 ? 'tooMany' : 'wrong';
}

export async function logout(): Promise<void> {
  await api('api/logout', { method: 'POST' });
  location.reload();
}

const outboxStore = () => createStore('jiangbei-planner-shared', 'outbox');

/**
 * The outbox of this tab. Each tab keeps its own (two tabs never overwrite each other's queued edits) and holds a
 * Web Lock on it while open; a tab that starts takes over the outboxes of tabs that are gone (lock free), so an
 * edit queued offline in a tab that was then closed is sent by the next tab. The take-over happens under the gone
 * tab's lock, so two starting tabs never both take the same edits. Retried operations are applied once (op ids).
 */
function tabOutbox(prefix: string) {
  const store = outboxStore();
  const me = `${prefix}.${crypto.randomUUID()}`;
  const lockName = (k: string) => `jiangbei-planner-outbox:${k}`;
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  void locks?.request(lockName(me), () => new Promise<void>(() => undefined)); // held while this tab lives
  return {
    async load(): Promise<Op[]> {
      const ops: Op[] = [];
      const all = (await keys(store)).map(String).filter((k) => k !== me && (k === prefix || k.startsWith(`${prefix}.`)));
      for (const k of all) {
        const take = async () => {
          const theirs = (await get<Op[]>(k, store)) ?? [];
          await set(me, [...ops, ...theirs], store); // kept under this tab's key before theirs is removed
          await del(k, store);
          ops.push(...theirs);
        };
        if (!locks) await take();
        else await locks.request(lockName(k), { ifAvailable: true }, async (lock) => (lock ? take() : undefined));
      }
      return ops;
    },
    save: (ops: Op[]) => set(me, ops, store),
  };
}

let events: EventSource | undefined;

async function connect(user: SharedUser, csrf: string): Promise<void> {
  shared.user = user;
  shared.csrf = csrf;
  const projects = (await (await api('api/projects')).json()) as { id: number }[];
  shared.projectId = projects[0]?.id ?? 0;
  if (!shared.projectId) throw new Error('the server has no project');
  letServerArbitrate();
  const sync = new SharedSync({
    fetch: api,
    projectId: shared.projectId,
    csrf,
    slices: allSlices,
    outbox: tabOutbox(`outbox.${shared.projectId}.${user.username}`),
    canWriteSlices: user.role === 'admin',
    onChange: () => mirror(sync),
  });
  shared.sync = sync;
  await sync.start();
  mirror(sync);
  onEdited((label) => sync.noteLocalChange(label));
  onSlicesRestored((label) => sync.noteLocalChange(label));
  // a feature loaded later (its slice restored from the local autosave) takes the server's values instead
  onRegistered(() => sync.sliceRegistered());
  listen(sync);
  // retry what is queued: every few seconds while something waits, and when the browser is back online
  setInterval(() => sync.outbox.length && void sync.flush(), 5000);
  addEventListener('online', () => void sync.flush());
}

function listen(sync: SharedSync): void {
  events?.close();
  events = new EventSource(`api/projects/${shared.projectId}/events?since=${sync.seq}`);
  events.addEventListener('record', (e) => {
    sync.receive(JSON.parse((e as MessageEvent).data));
    shared.tick++;
  });
  events.addEventListener('progress', () => shared.tick++);
  events.onopen = () => {
    shared.online = true;
    void sync.flush();
  };
  events.onerror = () => (shared.online = false);
}

function mirror(sync: SharedSync): void {
  shared.online = sync.online;
  shared.pending = sync.outbox.length;
  shared.conflicts = [...sync.conflicts];
  shared.refusals = [...sync.refusals];
  shared.tick++;
}

export function resolveConflict(c: Conflict, choice: 'theirs' | 'mine'): void {
  shared.sync?.resolve(c, choice);
}

export function dismissRefusal(i: number): void {
  if (!shared.sync) return;
  shared.sync.refusals.splice(i, 1);
  shared.refusals = [...shared.sync.refusals];
}

/** the community's name for messages (the server speaks in ids) */
export function communityName(id: string): string {
  return app.communityById.get(id)?.properties.name ?? id;
}
