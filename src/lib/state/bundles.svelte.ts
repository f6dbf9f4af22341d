/**
 * The 'bundles' slice: the constraints the user set, the current bundle plan (generated, then edited by
 * hand), unit costs, and saved scenarios. Everything else — adjacency, metrics, warnings, colours,
 * outlines — is derived from the dataset (with the pool's attribute edits), the plan and the options.
 *
 * The heavy parts run in the analysis worker (worker/api.ts → engine.ts), on the walk graph the worker
 * already holds for the loaded roads (the one coverage uses): the neighbour relation, Generate, and the
 * outlines. Their results are caches keyed by what they were computed from (the dataset's geometry, the
 * gap and measure; the members), never persisted. Cheap work stays here: hand edits (move, lasso, merge,
 * split, dissolve) on the adjacency the worker returned, metrics, warnings, economics and colours.
 *
 * Every user edit goes through a method here, which replaces the plan immutably and calls
 * `edited(label)`; global undo/redo, autosave and the project file work over `snapshot()`/`restore()`
 * (state/persisted.ts, undo.ts). After a restore (reload, undo to other options, a scenario) the adjacency
 * of the plan's options is fetched again (`ensureAdjacency`, run by an effect in the browser); outlines are
 * cached by membership, so an edit only recomputes the bundles it touched.
 */
import type { Feature, Point, Polygon, MultiPolygon } from 'geojson';
import { app } from './app.svelte';
import { pool } from './pool.svelte';
import { coverage } from './coverage.svelte';
import { edited, registerSlice } from './persisted';
import { t } from '../i18n';
import type { CommunityFeature, CommunityProps, Dataset } from '../domain/types';
import { analysis, type AnalysisApi, type HullReply } from '../worker/api';
import { DEFAULT_MAX_GAP_M, type Adjacency } from '../analysis/adjacency';
import { resolveBundleOptions, BUNDLE_METHOD, DEFAULT_MAX_HOUSEHOLDS, type Bundle, type BundleObjective, type PlanQuality, type SizeMeasure } from '../analysis/bundle';
import type { OptimiseOptions } from '../analysis/bundle-opt';
import { bundleMetrics, colourBundles, metricsContext, summarisePlan, type BundleMetrics, type PlanSummary } from '../analysis/bundle-metrics';
import { dissolveBundle, formBundle, mergeBundles, moveCommunity, splitBundle } from '../analysis/bundle-edit';
import { projectionFor, type LocalProjection } from '../analysis/bundle-geom';
import type { RoadLike } from '../analysis/walkgraph';
import { DEFAULT_COST_PARAMS, type CostContext, type CostParams } from '../analysis/funding';
import { costContext } from './content.svelte';
import { BUNDLE_COLORS, UNBUNDLED_COLOR } from '../map/colors';
import type { Theme } from '../map/theme';
import { bundleNames, shortStreetName } from '../analysis/bundle-names';
import { unbundledReasons, type UnbundledReason } from '../analysis/unbundled';
import { STREETS } from '../domain/types';

/** bundles with members this close (centroids, metres) count as neighbours for colouring: they read as one patch at district zoom */
const BUNDLE_NEAR_M = 600;

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
  /** what the optimiser counts first (absent in plans saved before it existed: communities) */
  objective?: BundleObjective;
}

export const DEFAULT_UI_OPTIONS: BundleUiOptions = {
  maxGapM: DEFAULT_MAX_GAP_M,
  measure: 'walking',
  sameStreet: true,
  sameBatchYear: false,
  sizeMeasure: 'households',
  maxSize: DEFAULT_MAX_HOUSEHOLDS,
  minSize: null,
  maxCommunities: 6,
  maxSpanM: 1000,
  useGaps: true,
  objective: 'communities',
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
  /** what the optimiser proved about the generated plan (bundle-opt.ts); absent in plans saved before it */
  quality?: PlanQuality;
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
/** what an adjacency depends on besides the geometry */
const adjKey = (o: Pick<BundleUiOptions, 'maxGapM' | 'measure'>) => `${o.maxGapM}|${o.measure}`;

/** The geometry bundling works on: a new dataset (any of these replaced) invalidates adjacency and outlines. */
interface Geo {
  communities: readonly CommunityFeature[];
  barriers: Dataset['barriers'];
  roads: Dataset['roads'];
}
const sameGeo = (a: Geo | null, b: Geo) => !!a && a.communities === b.communities && a.barriers === b.barriers && a.roads === b.roads;
/** neighbours unknown yet (the worker has not answered): metrics are not computed against it */
const NO_ADJACENCY: Adjacency = Object.freeze({ ids: [], neighbours: [], edges: [], blocked: [], maxGapM: 0, measure: 'straight-line' }) as Adjacency;

function toBundleOptions(o: BundleUiOptions, costParams: CostContext, gaps?: Record<string, string[]>): OptimiseOptions {
  return {
    objective: o.objective ?? 'communities',
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
  /** a Generate is running in the worker */
  generating = $state(false);
  /** adjacencies the worker returned, for the geometry they were computed on, by gap and measure */
  private adjStore = $state.raw<{ geo: Geo | null; byKey: ReadonlyMap<string, Adjacency> }>({ geo: null, byKey: new Map() });

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
  /**
   * Neighbours under the options in force, as computed by the worker; null until it has answered for the
   * loaded geometry. They depend on geometry only (not on the pool's attribute edits).
   */
  adjacency = $derived<Adjacency | null>(this.adjacencyFor(this.applied));
  /** missing mandatory categories per community from the coverage analysis, when it has run */
  gaps = $derived<Record<string, string[]> | null>(
    coverage.result ? Object.fromEntries(coverage.result.communities.map((c) => [c.id, [...c.lacking]])) : null,
  );
  /** figures and checks; its adjacency is empty while the worker has not answered (metrics wait for it) */
  ctx = $derived(
    metricsContext(this.features, this.adjacency ?? NO_ADJACENCY, resolveBundleOptions(toBundleOptions(this.applied, costContext(this.costParams))), {
      costParams: costContext(this.costParams),
      ...(this.gaps ? { gaps: this.gaps } : {}),
    }),
  );
  /**
   * Whether every community the plan names is in the loaded dataset. Not so while the dataset is still
   * loading after a reload, or after importing another dataset: then nothing is computed or drawn.
   */
  planFits = $derived<boolean>(!!this.plan && this.fits(this.plan));
  metrics = $derived<BundleMetrics[]>(
    this.plan && this.planFits && this.adjacency
      ? this.plan.bundles.map((b) => bundleMetrics(b, this.ctx, this.hulls.get(membersKey(b.members))?.polsbyPopper ?? null))
      : [],
  );
  summary = $derived<PlanSummary | null>(this.plan && this.planFits ? summarisePlan(this.metrics, this.features.length) : null);

  fits(p: SavedPlan): boolean {
    const known = app.communityById;
    return known.size > 0 && p.bundles.every((b) => b.members.every((m) => known.has(m)));
  }
  colourIndex = $derived<Record<string, number>>(
    this.plan && this.planFits ? colourBundles(this.plan.bundles, this.adjacency ?? NO_ADJACENCY, BUNDLE_COLORS.length, { centroid: this.ctx.centroid, withinM: BUNDLE_NEAR_M }) : {},
  );
  bundleOf = $derived<Map<string, string>>(new Map((this.plan?.bundles ?? []).flatMap((b) => b.members.map((m) => [m, b.id] as const))));

  /** bundles as people call them ("孔浦·怡江片区"), by id: ids (B01…) are never shown */
  names = $derived<Record<string, string>>(
    bundleNames(this.plan?.bundles ?? [], (id) => app.recordById.get(id), {
      street: (s) => (app.lang === 'zh' ? shortStreetName(s) : (STREETS.find((x) => x.zh === s)?.en ?? s)),
      format: (street, main) => t('bundle.name', { street, main }),
    }),
  );
  /** why each unbundled community is in no bundle (analysis/unbundled.ts); empty until the neighbours are known */
  reasons = $derived<Record<string, UnbundledReason>>(this.plan && this.planFits && this.adjacency ? unbundledReasons(this.plan, this.ctx) : {});

  bundleName(bundleId: string): string {
    return this.names[bundleId] ?? t('bundle.unnamed');
  }

  colourOf(bundleId: string): string {
    return BUNDLE_COLORS[this.colourIndex[bundleId] ?? 0];
  }

  nameOf(id: string): string {
    return app.communityById.get(id)?.properties.name ?? id;
  }

  // ---- the worker
  private geo(): Geo {
    const d = app.dataset;
    return { communities: d.communities, barriers: d.barriers, roads: d.roads };
  }

  private adjacencyFor(o: Pick<BundleUiOptions, 'maxGapM' | 'measure'>): Adjacency | null {
    const s = this.adjStore;
    return sameGeo(s.geo, this.geo()) ? (s.byKey.get(adjKey(o)) ?? null) : null;
  }

  private storeAdjacency(geo: Geo, o: Pick<BundleUiOptions, 'maxGapM' | 'measure'>, adj: Adjacency) {
    const s = this.adjStore;
    const byKey = new Map(sameGeo(s.geo, geo) ? s.byKey : []);
    byKey.set(adjKey(o), adj);
    this.adjStore = { geo, byKey };
  }

  /** the geometry last sent to the worker (sent again when the dataset changes) */
  private sentGeo: Geo | null = null;
  /** The analysis worker with the current geometry loaded (messages are handled in order). */
  private worker(): AnalysisApi {
    const api = analysis();
    const geo = this.geo();
    if (!sameGeo(this.sentGeo, geo)) {
      this.sentGeo = geo;
      // the dataset is $state.raw (plain objects, no proxies): posted as it is, no copy on this thread
      api
        .loadBundleData({ communities: geo.communities, barriers: geo.barriers, roads: geo.roads as unknown as readonly RoadLike[] })
        .catch((e: unknown) => {
          if (this.sentGeo === geo) this.sentGeo = null; // try again with the next request
          this.error = e instanceof Error ? e.message : String(e);
        });
    }
    return api;
  }

  private adjPending = new Map<string, { geo: Geo; done: Promise<void> }>();
  /**
   * Fetch the adjacency of the plan's options when it is not there (after a reload, an undo, a scenario, a
   * new dataset). Run by an effect in the browser; resolves when the adjacency is stored.
   */
  ensureAdjacency(): Promise<void> {
    if (!this.plan || !this.planFits) return Promise.resolve();
    const o = { maxGapM: this.applied.maxGapM, measure: this.applied.measure };
    if (this.adjacencyFor(o)) return Promise.resolve();
    const geo = this.geo();
    const key = adjKey(o);
    const pending = this.adjPending.get(key);
    if (pending && sameGeo(pending.geo, geo)) return pending.done;
    const done = this.worker()
      .bundleAdjacency(o)
      .then(
        (adj) => {
          if (sameGeo(geo, this.geo())) this.storeAdjacency(geo, o, adj);
        },
        (e: unknown) => {
          this.error = e instanceof Error ? e.message : String(e);
        },
      )
      .finally(() => {
        if (this.adjPending.get(key)?.done === done) this.adjPending.delete(key);
      });
    this.adjPending.set(key, { geo, done });
    return done;
  }

  // ---- edits (each records an undo step)
  private generation = 0;
  /** Generate a plan with the form's options, in the worker; the plan and its adjacency arrive together. */
  async generate(): Promise<void> {
    const my = ++this.generation;
    const options = { ...this.options };
    const costParams = costContext(this.costParams);
    const gaps = options.useGaps && this.gaps ? this.gaps : undefined;
    const geo = this.geo();
    this.generating = true;
    this.error = null;
    try {
      const { plan: p, adjacency } = await this.worker().generateBundles({
        maxGapM: options.maxGapM,
        measure: options.measure,
        properties: $state.snapshot(this.features.map((f) => f.properties)) as CommunityProps[],
        options: $state.snapshot(toBundleOptions(options, costParams, gaps)),
      });
      // a newer Generate, or another dataset, makes this answer stale
      if (my !== this.generation || !sameGeo(geo, this.geo())) return;
      this.storeAdjacency(geo, options, adjacency);
      const prev = this.plan?.options;
      // outlines are cached by membership; bridges depend on the neighbour relation, so drop them when it changes
      if (!prev || prev.maxGapM !== options.maxGapM || prev.measure !== options.measure) this.resetHulls();
      this.plan = { bundles: p.bundles, unbundled: p.unbundled, options, measure: adjacency.measure, usedGaps: !!gaps, edits: 0, ...(p.quality ? { quality: p.quality } : {}) };
      this.selectedBundle = null;
      edited(t('bundle.edit.generate', { n: p.bundles.length }));
    } catch (e) {
      if (my === this.generation) this.error = e instanceof Error ? e.message : String(e);
    } finally {
      if (my === this.generation) this.generating = false;
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
    // the split follows the neighbour relation; it is there once the plan is shown (metrics wait for it too)
    if (!this.plan || !this.adjacency) return;
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
    if (!this.fits(s.plan) || !this.adjacency) return null;
    const ctx = metricsContext(this.features, this.adjacency, resolveBundleOptions(toBundleOptions(s.plan.options, costContext(s.costParams))), {
      costParams: costContext(s.costParams),
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
   * Compute missing outlines for the plan and the saved scenarios in the analysis worker (the polygon union
   * is the slow part), a few bundles per message so they appear progressively. Cached by membership, so an
   * edit only recomputes the bundles it touched. Resolves when every batch asked for here has answered.
   */
  ensureHulls(): Promise<void> {
    // outlines depend on geometry only: a new dataset invalidates them, attribute edits (pool) do not
    const geo = app.dataset.communities;
    if (this.hullFeaturesSeen !== geo) {
      if (this.hullFeaturesSeen !== null) this.resetHulls();
      this.hullFeaturesSeen = geo;
    }
    // bridges follow the neighbour relation: wait for it
    const adj = this.adjacency;
    if (!adj) return Promise.resolve();
    const plans = [this.plan, ...this.scenarios.map((s) => s.plan)].filter((p): p is SavedPlan => !!p && this.fits(p));
    const want = new Map<string, string[]>();
    for (const p of plans)
      for (const b of p.bundles) {
        const k = membersKey(b.members);
        if (!this.hulls.has(k) && !this.hullPending.has(k)) want.set(k, b.members);
      }
    if (want.size === 0) return Promise.resolve();
    for (const k of want.keys()) this.hullPending.add(k);
    const gen = this.hullGen;
    const edgesOf = (members: string[]) => {
      const set = new Set(members);
      return adj.edges.filter((e) => set.has(e.a) && set.has(e.b));
    };
    const reqs = [...want].map(([key, members]) => ({ key, members, edges: edgesOf(members) }));
    const centroid = this.ctx.centroid;
    const proj = this.proj;
    const store = (replies: HullReply[]) => {
      if (gen !== this.hullGen) return;
      for (const r of replies) this.hullPending.delete(r.key);
      // a failed outline leaves the bundle drawn by its members' colours only
      const next = new Map(this.hulls);
      for (const r of replies)
        if (r.geometry) next.set(r.key, { geometry: r.geometry, polsbyPopper: r.polsbyPopper, label: labelPoint(want.get(r.key)!, centroid, proj) });
      this.hulls = next;
    };
    const remote = this.worker();
    const batches: Promise<void>[] = [];
    for (let i = 0; i < reqs.length; i += 6) {
      const batch = reqs.slice(i, i + 6);
      batches.push(
        remote.bundleHulls($state.snapshot(batch)).then(store, () => {
          // a failed batch may be asked for again
          if (gen === this.hullGen) for (const r of batch) this.hullPending.delete(r.key);
        }),
      );
    }
    return Promise.all(batches).then(() => undefined);
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
      return [{ type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: at }, properties: { id: b.id, label: `${this.bundleName(b.id)} · ${b.members.length}`, color: this.colourOf(b.id) } }];
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

// the plan's neighbour relation, fetched from the worker whenever the plan's options or the dataset change
// (reload, undo, a scenario, an import), whichever panel is open: metrics, report and export need it
if (typeof window !== 'undefined')
  $effect.root(() => {
    $effect(() => {
      void bundles.ensureAdjacency();
    });
  });

/** The bundle mode's theme: communities coloured by bundle, unbundled grey. */
export function bundleTheme(): Theme | null {
  const plan = bundles.plan;
  const colorOf: Record<string, string> = {};
  for (const c of app.dataset.communities) colorOf[c.properties.id] = UNBUNDLED_COLOR;
  if (!plan || !bundles.planFits) return { key: 'bundle:none', title: t('bundle.theme.title'), note: t('bundle.none'), entries: [{ label: t('bundle.theme.unbundled'), color: UNBUNDLED_COLOR }], colorOf };
  for (const b of plan.bundles) for (const m of b.members) colorOf[m] = bundles.colourOf(b.id);
  const shown = plan.bundles.slice(0, 8);
  const entries = shown.map((b) => ({ label: t('bundle.theme.bundle', { id: bundles.bundleName(b.id), n: b.members.length }), color: bundles.colourOf(b.id) }));
  if (plan.bundles.length > shown.length) entries.push({ label: t('bundle.theme.more', { n: plan.bundles.length - shown.length }), color: '#ffffff' });
  entries.push({ label: t('bundle.theme.unbundled'), color: UNBUNDLED_COLOR });
  return { key: `bundle:${plan.bundles.length}:${plan.edits}`, title: t('bundle.theme.title'), note: t('bundle.theme.note'), entries, colorOf };
}

export { BUNDLE_METHOD };
