/**
 * Manual edits of a bundle plan: move a community to another bundle (or out of any), form a bundle from a
 * selection (lasso), merge two bundles, split one in two. Every function returns a NEW plan (inputs are
 * never mutated), so the state layer can keep plans as immutable snapshots for undo/redo. Edits may break
 * constraints on purpose: bundle-metrics.ts reports what they break; nothing is forbidden here.
 *
 * Split uses one SKATER cut (R. M. Assunção, M. C. Neves, G. Câmara, C. da Costa Freitas, 2006,
 * "Efficient regionalization techniques for socio-economic geographical units using minimum spanning
 * trees", IJGIS 20(7):797–811): build the minimum spanning tree of the members under the adjacency
 * relation (edge weight = centroid distance), then remove the tree edge that minimises the summed
 * within-part squared distance to the part centroids — the most compact pair of contiguous halves.
 * When the members are not contiguous, the split returns the largest contiguous part and the rest.
 * Complexity: O(k²) for the tree (Prim on k members) + O(k²) to score the k−1 cuts.
 *
 * Pure: no DOM, no map; callable from a worker.
 */
import { componentsOf, type Adjacency } from './adjacency';
import type { Bundle, BundlePlan } from './bundle';
import type { Pt } from './bundle-geom';

export type EditablePlan = Pick<BundlePlan, 'bundles' | 'unbundled'>;

/** The next free id B01, B02, … (ids of removed bundles are not reused while the plan lives). */
export function nextBundleId(plan: EditablePlan): string {
  let max = 0;
  for (const b of plan.bundles) {
    const n = Number(b.id.replace(/^B/, ''));
    if (Number.isFinite(n)) max = Math.max(max, n);
  }
  return `B${String(max + 1).padStart(2, '0')}`;
}

/** Drop bundles left with no member; keep lists sorted. */
function tidy<P extends EditablePlan>(plan: P, bundles: Bundle[], unbundled: string[]): P {
  return {
    ...plan,
    bundles: bundles.filter((b) => b.members.length > 0).map((b) => ({ ...b, members: [...b.members].sort() })),
    unbundled: [...new Set(unbundled)].sort(),
  };
}

function without<P extends EditablePlan>(plan: P, ids: ReadonlySet<string>): { bundles: Bundle[]; unbundled: string[] } {
  return {
    bundles: plan.bundles.map((b) => ({ ...b, members: b.members.filter((m) => !ids.has(m)) })),
    unbundled: plan.unbundled.filter((m) => !ids.has(m)),
  };
}

/**
 * Move one community into bundle `target`, out of any bundle (`null`), or into a new bundle of its own
 * (`'new'`, a starting point for building one by hand). A bundle left empty disappears; a bundle left with
 * one member stays (and is flagged by the metrics), so the user decides what happens to it.
 */
export function moveCommunity<P extends EditablePlan>(plan: P, id: string, target: string | null | 'new'): P {
  if (target !== null && target !== 'new' && !plan.bundles.some((b) => b.id === target)) throw new Error(`bundle edit: unknown bundle ${target}`);
  const { bundles, unbundled } = without(plan, new Set([id]));
  if (target === null) return tidy(plan, bundles, [...unbundled, id]);
  if (target === 'new') return tidy(plan, [...bundles, { id: nextBundleId(plan), members: [id] }], unbundled);
  return tidy(
    plan,
    bundles.map((b) => (b.id === target ? { ...b, members: [...b.members, id] } : b)),
    unbundled,
  );
}

/** Form a new bundle from a selection (members leave their old bundles). */
export function formBundle<P extends EditablePlan>(plan: P, ids: readonly string[]): P {
  if (ids.length === 0) return plan;
  const set = new Set(ids);
  const { bundles, unbundled } = without(plan, set);
  return tidy(plan, [...bundles, { id: nextBundleId(plan), members: [...set] }], unbundled);
}

/** Merge bundle `b` into bundle `a` (a keeps its id). */
export function mergeBundles<P extends EditablePlan>(plan: P, a: string, b: string): P {
  const A = plan.bundles.find((x) => x.id === a);
  const B = plan.bundles.find((x) => x.id === b);
  if (!A || !B) throw new Error(`bundle edit: unknown bundle ${!A ? a : b}`);
  if (a === b) return plan;
  return tidy(
    plan,
    plan.bundles.filter((x) => x.id !== b).map((x) => (x.id === a ? { ...x, members: [...x.members, ...B.members] } : x)),
    plan.unbundled,
  );
}

/** Dissolve a bundle: its members become unbundled. */
export function dissolveBundle<P extends EditablePlan>(plan: P, id: string): P {
  const B = plan.bundles.find((x) => x.id === id);
  if (!B) throw new Error(`bundle edit: unknown bundle ${id}`);
  return tidy(
    plan,
    plan.bundles.filter((x) => x.id !== id),
    [...plan.unbundled, ...B.members],
  );
}

/** The two parts a SKATER cut makes of `members` (see header); the first part holds the lowest id. */
export function skaterCut(members: readonly string[], adj: Adjacency, centroid: (id: string) => Pt): [string[], string[]] {
  const ms = [...members].sort();
  if (ms.length < 2) throw new Error('bundle edit: a bundle needs at least two communities to split');
  const parts = componentsOf(adj, ms);
  if (parts.length > 1) {
    const first = parts[0];
    const rest = ms.filter((m) => !first.includes(m));
    return first.includes(ms[0]) ? [first, rest] : [rest, first];
  }
  const k = ms.length;
  const pos = new Map(adj.ids.map((id, i) => [id, i] as const));
  const local = new Map(ms.map((id, i) => [id, i] as const));
  const nb: number[][] = ms.map((id) =>
    adj.neighbours[pos.get(id)!].map((j) => local.get(adj.ids[j])).filter((x): x is number => x !== undefined),
  );
  const c = ms.map(centroid);
  const w = (i: number, j: number) => Math.hypot(c[i][0] - c[j][0], c[i][1] - c[j][1]);
  // Prim's minimum spanning tree over the adjacency among members
  const inTree = new Uint8Array(k);
  const best = new Float64Array(k).fill(Infinity);
  const parent = new Int32Array(k).fill(-1);
  best[0] = 0;
  const tree: [number, number][] = [];
  for (let step = 0; step < k; step++) {
    let u = -1;
    for (let i = 0; i < k; i++) if (!inTree[i] && (u < 0 || best[i] < best[u])) u = i;
    inTree[u] = 1;
    if (parent[u] >= 0) tree.push([parent[u], u]);
    for (const v of nb[u])
      if (!inTree[v] && w(u, v) < best[v]) {
        best[v] = w(u, v);
        parent[v] = u;
      }
  }
  const ssd = (idx: number[]) => {
    const mx = idx.reduce((s, i) => s + c[i][0], 0) / idx.length;
    const my = idx.reduce((s, i) => s + c[i][1], 0) / idx.length;
    return idx.reduce((s, i) => s + (c[i][0] - mx) ** 2 + (c[i][1] - my) ** 2, 0);
  };
  let bestCut: { cost: number; side: number[] } | null = null;
  for (let e = 0; e < tree.length; e++) {
    // the side of the tree containing member 0 once edge e is removed
    const adjT: number[][] = Array.from({ length: k }, () => []);
    tree.forEach(([a, b], f) => {
      if (f === e) return;
      adjT[a].push(b);
      adjT[b].push(a);
    });
    const seen = new Uint8Array(k);
    const stack = [0];
    seen[0] = 1;
    while (stack.length) {
      const x = stack.pop()!;
      for (const y of adjT[x])
        if (!seen[y]) {
          seen[y] = 1;
          stack.push(y);
        }
    }
    const A: number[] = [],
      B: number[] = [];
    for (let i = 0; i < k; i++) (seen[i] ? A : B).push(i);
    const cost = ssd(A) + ssd(B);
    if (!bestCut || cost < bestCut.cost - 1e-9) bestCut = { cost, side: A };
  }
  const side = new Set(bestCut!.side.map((i) => ms[i]));
  return [ms.filter((m) => side.has(m)), ms.filter((m) => !side.has(m))];
}

/** Split a bundle in two by a SKATER cut; the part with the lowest member id keeps the bundle's id. */
export function splitBundle<P extends EditablePlan>(plan: P, id: string, adj: Adjacency, centroid: (id: string) => Pt): P {
  const B = plan.bundles.find((x) => x.id === id);
  if (!B) throw new Error(`bundle edit: unknown bundle ${id}`);
  const [a, b] = skaterCut(B.members, adj, centroid);
  const newId = nextBundleId(plan);
  return tidy(
    plan,
    plan.bundles.flatMap((x) => (x.id === id ? [{ ...x, members: a }, { id: newId, members: b }] : [x])),
    plan.unbundled,
  );
}
