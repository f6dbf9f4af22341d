/**
 * Who may change what (属地管理): pure rules, enforced by the server on every request; the app only mirrors them.
 *
 * - admin (区住建局): everything.
 * - street editor (街道): the records of the communities of their own 街道 — attributes, workflow stages and votes —
 *   and the monthly progress reports of those communities. Not the pool or the batch year (the district scores
 *   and sets the annual plan), not project-wide slices (rubric, bundles, views).
 * - street editor, also: the per-community pieces of other slices (state/parts.ts: content plans and residents'
 *   surveys) of their own communities — not the district's settings of those slices (the item catalogue).
 * - department editor: the special works of their own department (before and after the edit); nothing else.
 * - viewer (领导小组): read-only.
 */
import type { User } from './auth';
import type { CommunityEdit } from '../src/lib/analysis/pool';

export type Kind = 'community' | 'slice' | 'part';

export type Decision = { ok: true } | { ok: false; why: string };

const DISTRICT_FIELDS: (keyof CommunityEdit)[] = ['pool', 'batch_year'];

export function mayEdit(
  user: Pick<User, 'role' | 'street'>,
  kind: Kind,
  communityStreet: string | undefined,
  before: CommunityEdit | null,
  after: CommunityEdit | null,
): Decision {
  if (user.role === 'admin') return { ok: true };
  if (user.role === 'viewer') return { ok: false, why: 'viewers cannot change anything' };
  if (user.role === 'department') return { ok: false, why: 'department editors can change only their own special works' };
  // street editor
  if (kind !== 'community') return { ok: false, why: 'only the district can change project-wide settings' };
  if (communityStreet === undefined) return { ok: false, why: 'unknown community' };
  if (communityStreet !== user.street) return { ok: false, why: `this community belongs to ${communityStreet}, not ${user.street}` };
  for (const f of DISTRICT_FIELDS) {
    if (JSON.stringify(before?.[f] ?? null) !== JSON.stringify(after?.[f] ?? null))
      return { ok: false, why: `only the district sets ${f === 'pool' ? 'the project pool' : 'the batch year'}` };
  }
  return { ok: true };
}

/**
 * A piece of a slice (kind 'part'): a community's piece goes by the community's 街道; a special work's piece by the
 * work's department, before the edit (whose work it was) and after it (whose work it becomes).
 */
export function mayEditPart(
  user: Pick<User, 'role' | 'street' | 'department'>,
  owner: { scope: 'community'; street: string | undefined } | { scope: 'work'; before: string | null; after: string | null },
): Decision {
  if (user.role === 'admin') return { ok: true };
  if (user.role === 'viewer') return { ok: false, why: 'viewers cannot change anything' };
  if (owner.scope === 'community') {
    if (user.role !== 'street') return { ok: false, why: 'only the community’s 街道 (or the district) can change this' };
    if (owner.street === undefined) return { ok: false, why: 'unknown community' };
    if (owner.street !== user.street) return { ok: false, why: `this community belongs to ${owner.street}, not ${user.street}` };
    return { ok: true };
  }
  if (user.role !== 'department') return { ok: false, why: 'only the work’s department (or the district) can change a special work' };
  for (const d of [owner.before, owner.after])
    if (d !== null && d !== user.department) return { ok: false, why: `this work belongs to ${d}, not ${user.department}` };
  return { ok: true };
}

export function mayReport(user: Pick<User, 'role' | 'street'>, communityStreet: string | undefined): Decision {
  if (communityStreet === undefined) return { ok: false, why: 'unknown community' };
  if (user.role === 'admin') return { ok: true };
  if (user.role === 'street' && user.street === communityStreet) return { ok: true };
  return { ok: false, why: 'only the community’s 街道 (or the district) reports its progress' };
}

export function mayAdminister(user: Pick<User, 'role'>): Decision {
  return user.role === 'admin' ? { ok: true } : { ok: false, why: 'only a district administrator can do this' };
}
