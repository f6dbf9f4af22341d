/**
 * The 'bundles' slice: the constraints the user set, the current bundle plan (generated, then edited by
 * hand), unit costs, and saved scenarios. Everything else — adjacency, metrics, warnings, colours,
 * outlines — is derived from the dataset (with the pool's attribute edits), the plan and the options.
 *
 * Every user edit goes through a method here, which replaces the plan immutably and calls
 * `edited(label)`; global undo/redo, autosave and the project file work over `snapshot()`/`restore()`
 * (state/persisted.ts, undo.ts). Outlines are computed off the click path in small chunks and cached by
 * membership, so an edit only recomputes the bundles it touched.
 */
import type { Feature, Point, Polygon, MultiPolygon } from 'geojson';
import { app } from './app.svelte';
import { pool } from './pool.svelte';
import { coverage } from './coverage.svelte';
import { edited, registerSlice } from './persisted';
import { t } from '../i18n';
import * as Comlink from 'comlink';
import type { CommunityFeature, Dataset } from '../domain/types';
import type { BundleWorkerApi } from '../worker/bundle.worker';
import { buildAdjacency, DEFAULT_MAX_GAP_M, type Adjacency } from '../analysis/adjacency';
import { generateBundles, resolveBundleOptions, BUNDLE_METHOD, type Bundle, type BundleOptions, type SizeMeasure } from '../analysis/bundle';
import { bundleMetrics, colourBundles, metricsContext, summarisePlan, type BundleMetrics, type PlanSummary } from '../analysis/bundle-metrics';
import { dissolveBundle, formBundle, mergeBundles, moveCommunity, splitBundle } from '../analysis/bundle-edit';
import { BarrierIndex, projectionFor, type LocalProjection } from '../analysis/bundle-geom';
import { walkGapMeasure } from '../analysis/bundle-walk';
import { buildWalkGraph, type RoadLike } from '../analysis/walkgraph';
import { DEFAULT_COST_PARAMS, type CostParams } from '../analysis/funding';
import { BUNDLE_COLORS, UNBUNDLED_COLOR } from '../map/colors';
import type { Theme } from '../map/theme';

export type GapMeasureChoice = 'walking' | 'straight';

/** The constraint form (all plain JSON). */
export interface BundleUiOptions {
  maxGapM: number;
  measure: GapMeasureChoice;
  sameStreet: boolean;
  sameBatchYear: boolean;
  sizeMeasure: SizeMeasure;
  maxSize: number | null;
  minSize: number | null;
  maxCommunities: number;
  maxSpanM: number;
  useGaps: boolean;
}

export const DEFAULT_UI_OPTIONS: BundleUiOptions = {
  maxGapM: DEFAULT_MAX_GAP_M,
  measure: 'walking',
  sameStreet: true,
  sameBatchYear: false,
  sizeMeasure: 'households',
  maxSize: 3000,
  minSize: null,
  maxCommunities: 6,
  maxSpanM: 1000,
  useGaps: true,
};

export interface SavedPlan {
  bundles: Bundle[];
  unbundled: string[];
  /** the options the plan was generated with (warnings after edits are judged against these) */
  options: BundleUiOptions;
  /** adjacency measure actually used ('walking' falls back to straight-line without roads) */
  measure: Adjacency['measure'];
  /** whether coverage gaps were available and used */
  usedGaps: boolean;
  /** hand edits since generation */
  edits: number;
}

export interface Scenario {
  id: string;
  name: string;
  plan: SavedPlan;
  costParams: CostParams;
  savedAt: string;
}

export interface BundleSliceData {
  version: 1;
  options: BundleUiOptions;
  costParams: CostParams;
  plan: SavedPlan | null;
  scenarios: Scenario[];
}

export interface HullEntry {
  geometry: Polygon | MultiPolygon;
  polsbyPopper: number;
  label: [number, number];
}

const membersKey = (members: readonly string[]) => members.join(',');

function toBundleOptions(o: BundleUiOptions, costParams: CostParams, gaps?: Record<string, string[]>): BundleOptions {
  return {
    sameStreet: o.sameStreet,
    sameBatchYear: o.sameBatchYear,
    sizeMeasure: o.sizeMeasure,
    maxSize: o.maxSize ?? undefined,
    minSize: o.minSize ?? undefined,
    maxCommunities: o.maxCommunities,
    maxSpanM: o.maxSpanM,
    costParams,
    ...(gaps ? { gaps } : {}),
  };
}

class BundleState {
  // ---- persisted
  options = $state.raw<BundleUiOptions>(DEFAULT_UI_OPTIONS);
  costParams = $state.raw<CostParams>({ ...DEFAULT_COST_PARAMS });
  plan = $state.raw<SavedPlan | null>(null);
  scenarios = $state.raw<Scenario[]>([]);

  // ---- session only
  tool = $state<'select' | 'lasso'>('select');
  selectedBundle = $state<string | null>(null);
  hulls = $state.raw<Map<string, HullEntry>>(new Map());
  error = $state<string | null>(null);

  /** communities as the user sees them (dataset + the pool's attribute edits) */
  features = $derived<CommunityFeature[]>(
    app.dataset.communities.map((f) => {
      const p = pool.recordById.get(f.properties.id);
      return p && p !== f.properties ? { ...f, properties: p } : f;
    }),
  );
  proj = $derived<LocalProjection>(projectionFor(app.dataset.communities.map((c) => c.geometry)));
  hasRoads = $derived(app.dataset.roads.length > 0);
  /** options in force: those of the plan, else the form */
  applied = $derived<BundleUiOptions>(this.plan?.options ?? this.options);
  /** the walking graph of the loaded roads (built once per dataset, only when a walking measure is asked for) */
  private roadGraph = $derived(this.hasRoads ? buildWalkGraph(app.dataset.roads as unknown as RoadLike[]) : null);
  private walkGraph = $derived(this.applied.measure === 'walking' ? this.roadGraph : null);
  /** neighbours depend on geometry only (not on the pool's attribute edits), so this is keyed on the dataset */
  adjacency = $derived<Adjacency>(
    buildAdjacency(app.dataset.communities, {
      maxGapM: this.applied.maxGapM,
      barriers: app.dataset.barriers,
      ...(this.walkGraph ? { walk: walkGapMeasure(this.walkGraph) } : {}),
    }),
  );
  /** missing mandatory categories per community from the coverage analysis, when it has run */
  gaps = $derived<Record<string, string[]> | null>(
    coverage.result ? Object.fromEntries(coverage.result.communities.map((c) => [c.id, [...c.lacking]])) : null,
  );
  ctx = $derived(
    metricsContext(this.features, this.adjacency, resolveBundleOptions(toBundleOptions(this.applied, this.costParams)), {
      costParams: this.costParams,
      ...(this.gaps ? { gaps: this.gaps } : {}),
    }),
  );
  /**
   * Whether every community the plan names is in the loaded dataset. Not so while the dataset is still
   * loading after a reload, or after importing another dataset: then nothing is computed or drawn.
   */
  planFits = $derived<boolean>(!!this.plan && this.fits(this.plan));
  metrics = $derived<BundleMetrics[]>(
    this.plan && this.planFits
      ? this.plan.bundles.map((b) => bundleMetrics(b, this.ctx, this.hulls.get(membersKey(b.members))?.polsbyPopper ?? null))
      : [],
  );
  summary = $derived<PlanSummary | null>(this.plan && this.planFits ? summarisePlan(this.metrics, this.features.length) : null);

  fits(p: SavedPlan): boolean {
    const known = app.communityById;
    return known.size > 0 && p.bundles.every((b) => b.members.every((m) => known.has(m)));
  }
  colourIndex = $derived<Record<string, number>>(this.plan && this.planFits ? colourBundles(this.plan.bundles, this.adjacency, BUNDLE_COLORS.length) : {});
  bundleOf = $derived<Map<string, string>>(new Map((this.plan?.bundles ?? []).flatMap((b) => b.members.map((m) => [m, b.id] as const))));

  colourOf(bundleId: string): string {
    return BUNDLE_COLORS[this.colourIndex[bundleId] ?? 0];
  }

  nameOf(id: string): string {
    return app.communityById.get(id)?.properties.name ?? id;
  }

  // ---- edits (each records an undo step)
  generate() {
    try {
      const gaps = this.options.useGaps && this.gaps ? this.gaps : undefined;
      // the adjacency must be the one of the form's options, not of the previous plan
      const graph = this.options.measure === 'walking' ? this.roadGraph : null;
      const adj = buildAdjacency(app.dataset.communities, {
        maxGapM: this.options.maxGapM,
        barriers: app.dataset.barriers,
        ...(graph ? { walk: walkGapMeasure(graph) } : {}),
      });
      const p = generateBundles(this.features, adj, toBundleOptions(this.options, this.costParams, gaps));
      const prev = this.plan?.options;
      // outlines are cached by membership; bridges depend on the neighbour relation, so drop them when it changes
      if (!prev || prev.maxGapM !== this.options.maxGapM || prev.measure !== this.options.measure) this.resetHulls();
      this.plan = { bundles: p.bundles, unbundled: p.unbundled, options: { ...this.options }, measure: adj.measure, usedGaps: !!gaps, edits: 0 };
      this.selectedBundle = null;
      this.error = null;
      edited(t('bundle.edit.generate', { n: p.bundles.length }));
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  private apply(next: Pick<SavedPlan, 'bundles' | 'unbundled'>, label: string) {
    if (!this.plan) return;
    this.plan = { ...this.plan, bundles: next.bundles, unbundled: next.unbundled, edits: this.plan.edits + 1 };
    edited(label);
  }

  /** target: a bundle id, null = out of any bundle, 'new' = a new bundle of its own */
  move(id: string, target: string | null | 'new') {
    if (!this.plan) return;
    const next = moveCommunity(this.plan, id, target);
    const name = this.nameOf(id);
    const newId = target === 'new' ? next.bundles.find((b) => b.members.includes(id))?.id : target;
    this.apply(next, target === null ? t('bundle.edit.moveOut', { name }) : t('bundle.edit.move', { name, target: newId ?? '' }));
  }

  form(ids: readonly string[]) {
    if (!this.plan || ids.length === 0) return;
    const next = formBundle(this.plan, ids);
    const id = next.bundles.find((b) => b.members.includes(ids[0]))?.id ?? '';
    this.apply(next, t('bundle.edit.form', { id, n: ids.length }));
    this.selectedBundle = id;
  }

  merge(a: string, b: string) {
    if (!this.plan || a === b) return;
    this.apply(mergeBundles(this.plan, a, b), t('bundle.edit.merge', { a, b }));
    this.selectedBundle = a;
  }

  split(id: string) {
    if (!this.plan) return;
    try {
      this.apply(
        splitBundle(this.plan, id, this.adjacency, (m) => this.ctx.centroid.get(m)!),
        t('bundle.edit.split', { id }),
      );
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  dissolve(id: string) {
    if (!this.plan) return;
    this.apply(dissolveBundle(this.plan, id), t('bundle.edit.dissolve', { id }));
    if (this.selectedBundle === id) this.selectedBundle = null;
  }

  setCostParams(p: CostParams) {
    this.costParams = p;
    edited(t('bundle.edit.costs'));
  }

  saveScenario(name: string) {
    if (!this.plan) return;
    const n = this.scenarios.reduce((m, s) => Math.max(m, Number(s.id.replace(/^S/, '')) || 0), 0) + 1;
    const nm = name.trim() || t('bundle.scenarioDefault', { n });
    this.scenarios = [...this.scenarios, { id: `S${n}`, name: nm, plan: this.plan, costParams: this.costParams, savedAt: new Date().toISOString() }];
    edited(t('bundle.edit.saveScenario', { name: nm }));
  }

  deleteScenario(id: string) {
    const s = this.scenarios.find((x) => x.id === id);
    if (!s) return;
    this.scenarios = this.scenarios.filter((x) => x.id !== id);
    edited(t('bundle.edit.deleteScenario', { name: s.name }));
  }

  loadScenario(id: string) {
    const s = this.scenarios.find((x) => x.id === id);
    if (!s) return;
    this.plan = s.plan;
    this.options = s.plan.options;
    this.costParams = s.costParams;
    edited(t('bundle.edit.loadScenario', { name: s.name }));
  }

  /** Figures of a saved scenario, judged by its own options and costs (null when it does not fit the data). */
  scenarioSummary(s: Scenario): PlanSummary | null {
    if (!this.fits(s.plan)) return null;
    const ctx = metricsContext(this.features, this.adjacency, resolveBundleOptions(toBundleOptions(s.plan.options, s.costParams)), {
      costParams: s.costParams,
      ...(this.gaps ? { gaps: this.gaps } : {}),
    });
    const ms = s.plan.bundles.map((b) => bundleMetrics(b, ctx, this.hulls.get(membersKey(b.members))?.polsbyPopper ?? null));
    return summarisePlan(ms, this.features.length);
  }

  // ---- outlines
  /** outline generation: bumped when cached outlines become invalid (other data, other neighbour relation) */
  private hullGen = 0;
  private hullPending = new Set<string>();
  private hullFeaturesSeen: readonly CommunityFeature[] | null = null;
  private resetHulls() {
    this.hullGen++;
    this.hullPending = new Set();
    this.hulls = new Map();
  }
  /**
   * Compute missing outlines for the plan and the saved scenarios. In the browser they come from a worker
   * (worker/bundle.worker.ts: the polygon union is the slow part); without workers (Node tests) they are
   * computed here a few at a time between frames. Cached by membership, so an edit only recomputes the
   * bundles it touched.
   */
  ensureHulls() {
    // outlines depend on geometry only: a new dataset invalidates them, attribute edits (pool) do not
    const geo = app.dataset.communities;
    if (this.hullFeaturesSeen !== geo) {
      if (this.hullFeaturesSeen !== null) this.resetHulls();
      this.hullFeaturesSeen = geo;
    }
    const plans = [this.plan, ...this.scenarios.map((s) => s.plan)].filter((p): p is SavedPlan => !!p && this.fits(p));
    const want = new Map<string, string[]>();
    for (const p of plans)
      for (const b of p.bundles) {
        const k = membersKey(b.members);
        if (!this.hulls.has(k) && !this.hullPending.has(k)) want.set(k, b.members);
      }
    if (want.size === 0) return;
    for (const k of want.keys()) this.hullPending.add(k);
    const gen = this.hullGen;
    const adj = this.adjacency;
    const edgesOf = (members: string[]) => {
      const set = new Set(members);
      return adj.edges.filter((e) => set.has(e.a) && set.has(e.b));
    };
    const reqs = [...want].map(([key, members]) => ({ key, members, edges: edgesOf(members) }));
    const centroid = this.ctx.centroid;
    const proj = this.proj;
    const store = (replies: { key: string; geometry: Polygon | MultiPolygon | null; polsbyPopper: number }[]) => {
      if (gen !== this.hullGen) return;
      for (const r of replies) this.hullPending.delete(r.key);
      const next = new Map(this.hulls);
      for (const r of replies)
        if (r.geometry) next.set(r.key, { geometry: r.geometry, polsbyPopper: r.polsbyPopper, label: labelPoint(want.get(r.key)!, centroid, proj) });
      this.hulls = next;
    };
    const remote = hullWorker(geo, app.dataset.barriers, proj);
    if (remote) {
      // a few bundles per message, so outlines appear progressively
      for (let i = 0; i < reqs.length; i += 6) {
        const batch = reqs.slice(i, i + 6);
        remote.hulls(batch).then(store, () => {
          // a failed batch may be asked for again
          if (gen === this.hullGen) for (const r of batch) this.hullPending.delete(r.key);
        });
      }
      return;
    }
    const queue = [...reqs];
    const bidx = new BarrierIndex(
      app.dataset.barriers.map((b) => b.geometry),
      proj,
    );
    const byId = new Map(geo.map((f) => [f.properties.id, f] as const));
    import('../analysis/hull').then(({ bundleHull }) => {
      const step = () => {
        if (gen !== this.hullGen) return;
        const t0 = performance.now();
        const out: { key: string; geometry: Polygon | MultiPolygon | null; polsbyPopper: number }[] = [];
        while (queue.length && performance.now() - t0 < 30) {
          const r = queue.shift()!;
          const fs = r.members.map((m) => byId.get(m)).filter((f): f is CommunityFeature => !!f);
          if (fs.length === 0) continue;
          try {
            const h = bundleHull(fs, r.edges, proj, { barrierIndex: bidx });
            out.push({ key: r.key, geometry: h.geometry, polsbyPopper: h.polsbyPopper });
          } catch {
            // a failed outline leaves the bundle drawn by its members' colours only
          }
        }
        store(out);
        if (queue.length) setTimeout(step, 0);
      };
      setTimeout(step, 0);
    });
  }

  hullFeatures(): Feature<Polygon | MultiPolygon, { id: string; color: string }>[] {
    if (!this.planFits) return [];
    return (this.plan?.bundles ?? []).flatMap((b) => {
      const h = this.hulls.get(membersKey(b.members));
      return h ? [{ type: 'Feature' as const, geometry: h.geometry, properties: { id: b.id, color: this.colourOf(b.id) } }] : [];
    });
  }

  labelFeatures(): Feature<Point, { id: string; label: string; color: string }>[] {
    if (!this.planFits) return [];
    return (this.plan?.bundles ?? []).flatMap((b) => {
      const h = this.hulls.get(membersKey(b.members));
      const at = h?.label ?? labelPoint(b.members, this.ctx.centroid, this.proj);
      return [{ type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: at }, properties: { id: b.id, label: `${b.id} · ${b.members.length}`, color: this.colourOf(b.id) } }];
    });
  }

  // ---- persistence
  snapshot(): BundleSliceData {
    return { version: 1, options: this.options, costParams: this.costParams, plan: this.plan, scenarios: this.scenarios };
  }

  restore(d: BundleSliceData | undefined) {
    if (!d) {
      this.options = DEFAULT_UI_OPTIONS;
      this.costParams = { ...DEFAULT_COST_PARAMS };
      this.plan = null;
      this.scenarios = [];
      return;
    }
    if (d.version !== 1) throw new Error(`bundles: unknown slice version ${String(d.version)}`);
    this.options = { ...DEFAULT_UI_OPTIONS, ...d.options };
    this.costParams = { ...DEFAULT_COST_PARAMS, ...d.costParams };
    // kept even when the loaded dataset lacks its communities (the dataset may still be loading):
    // `planFits` then hides it until data that fits is there
    this.plan = d.plan ? { ...d.plan, options: { ...DEFAULT_UI_OPTIONS, ...d.plan.options } } : null;
    this.scenarios = d.scenarios ?? [];
    if (this.selectedBundle && !this.plan?.bundles.some((b) => b.id === this.selectedBundle)) this.selectedBundle = null;
  }
}

/** The outline worker, fed with the current communities and barriers; null where workers do not exist. */
let worker: { remote: Comlink.Remote<BundleWorkerApi>; communities: readonly CommunityFeature[] | null } | null = null;
function hullWorker(communities: readonly CommunityFeature[], barriers: Dataset['barriers'], proj: LocalProjection): Comlink.Remote<BundleWorkerApi> | null {
  if (typeof Worker === 'undefined') return null;
  if (!worker) {
    const w = new Worker(new URL('../worker/bundle.worker.ts', import.meta.url), { type: 'module', name: 'bundles' });
    worker = { remote: Comlink.wrap<BundleWorkerApi>(w), communities: null };
  }
  if (worker.communities !== communities) {
    // messages are handled in order, so this arrives before any request that follows it
    void worker.remote.setData($state.snapshot(communities) as CommunityFeature[], $state.snapshot(barriers) as Dataset['barriers'], [proj.lon0, proj.lat0]);
    worker.communities = communities;
  }
  return worker.remote;
}

/** Label position: the centroid of the member nearest the members' mean centre (inside the bundle). */
function labelPoint(members: readonly string[], centroid: Map<string, [number, number]>, proj: LocalProjection): [number, number] {
  const cs = members.map((m) => centroid.get(m)).filter((c): c is [number, number] => !!c);
  if (cs.length === 0) return [proj.lon0, proj.lat0];
  const mx = cs.reduce((s, c) => s + c[0], 0) / cs.length;
  const my = cs.reduce((s, c) => s + c[1], 0) / cs.length;
  let best = cs[0];
  for (const c of cs) if (Math.hypot(c[0] - mx, c[1] - my) < Math.hypot(best[0] - mx, best[1] - my)) best = c;
  return proj.inv(best);
}

export const bundles = new BundleState();
registerSlice<BundleSliceData>({ key: 'bundles', snapshot: () => bundles.snapshot(), restore: (d) => bundles.restore(d) });

/** The bundle mode's theme: communities coloured by bundle, unbundled grey. */
export function bundleTheme(): Theme | null {
  const plan = bundles.plan;
  const colorOf: Record<string, string> = {};
  for (const c of app.dataset.communities) colorOf[c.properties.id] = UNBUNDLED_COLOR;
  if (!plan || !bundles.planFits) return { key: 'bundle:none', title: t('bundle.theme.title'), note: t('bundle.none'), entries: [{ label: t('bundle.theme.unbundled'), color: UNBUNDLED_COLOR }], colorOf };
  for (const b of plan.bundles) for (const m of b.members) colorOf[m] = bundles.colourOf(b.id);
  const shown = plan.bundles.slice(0, 12);
  const entries = shown.map((b) => ({ label: t('bundle.theme.bundle', { id: b.id, n: b.members.length }), color: bundles.colourOf(b.id) }));
  if (plan.bundles.length > shown.length) entries.push({ label: t('bundle.theme.more', { n: plan.bundles.length - shown.length }), color: '#ffffff' });
  entries.push({ label: t('bundle.theme.unbundled'), color: UNBUNDLED_COLOR });
  return { key: `bundle:${plan.bundles.length}:${plan.edits}`, title: t('bundle.theme.title'), note: t('bundle.theme.note'), entries, colorOf };
}

export { BUNDLE_METHOD };
