/**
 * The 'coverage' slice: the user's life-circle settings (standard, tier distances, walking speed, distance
 * mode) and what-if proposals, persisted through the slice registry; plus the analysis results from the
 * worker (not persisted: recomputed from the dataset and the settings).
 *
 * Every user edit goes through a method here that replaces state immutably and calls `edited(label)`.
 * Results: `result` (with proposals), `baseline` (without proposals, for before → after), `buffer` (the
 * straight-line buffer result, side by side with the network result).
 */
import { LACKING_CLASSES, MET_COLORS, classOf } from '../map/colors';
import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import { app } from './app.svelte';
import { edited, registerSlice } from './persisted';
import { t } from '../i18n';
import { DEFAULT_PARAMS, STANDARDS, checkParams, isStandardId, type CoverageParams, type StandardId } from '../domain/standards';
import { FACILITY_CATEGORIES, FACILITY_CATEGORY_INFO, type Dataset, type FacilityCategoryCode } from '../domain/types';
import type { CoverageMode, CoverageResult, FacilityInput, FiguresDiff, RouteProps } from '../analysis/coverage';
import { assembleCoverage, diffCoverage, type CoverageTables } from '../analysis/coverage';
import { withEstimatedResidents } from '../analysis/population';
import type { Theme } from '../map/theme';
import type { SpareSiteFeature, SpareSiteKind } from '../domain/spare-sites';
import { fitSites, type FitResult } from '../analysis/sitefit';
import { minutesAt } from '../map/tiers';
import type { IsochroneResponse, LoadSummary, SuggestResponse } from '../worker/engine';
import { analysis, progress as proxyProgress } from '../worker/api';
import { effectiveRoads, network } from './network.svelte';

export interface Proposal {
  id: string;
  category: FacilityCategoryCode;
  lon: number;
  lat: number;
  /** 'point': a new facility placed on the map; 'conversion': an idle room of a community converted */
  kind: 'point' | 'conversion' | 'suggested';
  communityId?: string;
  label: string;
  /** a what-if made from a spare site (存量资源): the site and its area (floor or land by kind; null = unknown) */
  site?: { id: string; name: string; kind: SpareSiteKind; area_m2: number | null };
}

export interface CoverageSliceData {
  version: 1;
  standardId: StandardId;
  params: CoverageParams;
  mode: CoverageMode;
  proposals: Proposal[];
}

export { MET_COLORS } from '../map/colors';

export function categoryLabel(c: string): string {
  const info = FACILITY_CATEGORY_INFO[c as FacilityCategoryCode];
  if (!info) return c;
  return app.lang === 'zh' ? info.zh : info.en;
}

/** Facilities as the engine sees them: the facility layer plus metro stations as category "metro". */
export function engineFacilities(ds: Dataset): FacilityInput[] {
  return [
    ...(ds.facilities as unknown as FacilityInput[]),
    ...ds.metro.map((m) => ({ type: 'Feature' as const, geometry: m.geometry, properties: { id: m.properties.id, name: m.properties.name, category: 'metro' } })),
  ];
}

export function proposalFacilities(ps: readonly Proposal[]): FacilityInput[] {
  return ps.map((p) => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
    properties: { id: p.id, category: p.category, name: p.label, proposed: true },
  }));
}

class CoverageState {
  standardId = $state<StandardId>('gb50180');
  params = $state.raw<CoverageParams>(DEFAULT_PARAMS);
  mode = $state<CoverageMode>('network');
  proposals = $state.raw<Proposal[]>([]);

  /** theme: 'lacking' or one category code */
  colorBy = $state<string>('lacking');

  // results (not persisted)
  summary = $state.raw<LoadSummary | null>(null);
  result = $state.raw<CoverageResult | null>(null);
  baseline = $state.raw<CoverageResult | null>(null);
  /** the same scenario on the network without the user's links and closures (慢行系统 before → after) */
  networkBaseline = $state.raw<CoverageResult | null>(null);
  buffer = $state.raw<CoverageResult | null>(null);
  running = $state(false);
  progress = $state<{ done: number; total: number } | null>(null);
  error = $state<string | null>(null);

  routeCategory = $state<string | null>(null);
  route = $state.raw<Feature<LineString, RouteProps> | null>(null);
  isochrone = $state.raw<IsochroneResponse | null>(null);
  isoOrigin = $state.raw<{ communityId?: string; lonLat?: [number, number] } | null>(null);
  suggestion = $state.raw<SuggestResponse | null>(null);
  /** the area check of the spare sites behind the last suggestion limited to them (null: not limited) */
  suggestionFit = $state.raw<FitResult | null>(null);
  /** what a map click does right now: place a proposal of this category, pick an isochrone origin, or nothing */
  clickAction = $state<{ kind: 'place'; category: FacilityCategoryCode } | { kind: 'isochrone' } | null>(null);
  /** a what-if opened from a community's missing facility (panels/whatIf.ts): whom it is for and where to put it first */
  whatIf = $state.raw<{ communityId: string; category: FacilityCategoryCode; at: [number, number] } | null>(null);

  standard = $derived(STANDARDS[this.standardId]);
  paramProblems = $derived(checkParams(this.params));
  diff = $derived<FiguresDiff | null>(this.result && this.baseline && this.proposals.length > 0 ? diffCoverage(this.baseline, this.result) : null);
  networkDiff = $derived<FiguresDiff | null>(this.result && this.networkBaseline ? diffCoverage(this.networkBaseline, this.result) : null);
  byId = $derived(new Map((this.result?.communities ?? []).map((c) => [c.id, c])));

  // ---- edits (each records an undo step)
  setStandard(id: StandardId) {
    if (id === this.standardId) return;
    this.standardId = id;
    if (this.colorBy !== 'lacking' && !STANDARDS[id].rules.some((r) => r.category === this.colorBy)) this.colorBy = 'lacking';
    edited(t('coverage.proposals.edit.standard', { name: app.lang === 'zh' ? STANDARDS[id].zh : STANDARDS[id].en }));
  }
  setParams(p: CoverageParams) {
    this.params = p;
    edited(t('coverage.proposals.edit.params'));
  }
  setMode(m: CoverageMode) {
    if (m === this.mode) return;
    this.mode = m;
    edited(t('coverage.proposals.edit.mode', { mode: t(`coverage.mode.${m}`) }));
  }
  addProposal(p: Omit<Proposal, 'id'>) {
    const n = this.proposals.reduce((m, x) => Math.max(m, Number(x.id.replace(/^P/, '')) || 0), 0) + 1;
    this.proposals = [...this.proposals, { ...p, id: `P${n}` }];
    edited(t('coverage.proposals.edit.add', { label: p.label }));
  }
  addProposals(ps: Omit<Proposal, 'id'>[]) {
    let n = this.proposals.reduce((m, x) => Math.max(m, Number(x.id.replace(/^P/, '')) || 0), 0);
    this.proposals = [...this.proposals, ...ps.map((p) => ({ ...p, id: `P${++n}` }))];
    edited(t('coverage.proposals.edit.add', { label: ps.map((p) => p.label).join(', ') }));
  }
  removeProposal(id: string) {
    const p = this.proposals.find((x) => x.id === id);
    if (!p) return;
    this.proposals = this.proposals.filter((x) => x.id !== id);
    edited(t('coverage.proposals.edit.remove', { label: p.label }));
  }
  clearProposals() {
    if (this.proposals.length === 0) return;
    this.proposals = [];
    edited(t('coverage.proposals.edit.clear'));
  }

  // ---- persistence
  snapshot(): CoverageSliceData {
    return { version: 1, standardId: this.standardId, params: this.params, mode: this.mode, proposals: this.proposals };
  }
  restore(d: CoverageSliceData | undefined) {
    if (!d) {
      this.standardId = 'gb50180';
      this.params = DEFAULT_PARAMS;
      this.mode = 'network';
      this.proposals = [];
      return;
    }
    if (d.version !== 1) throw new Error(`coverage: unknown slice version ${String(d.version)}`);
    this.standardId = isStandardId(d.standardId) ? d.standardId : 'gb50180';
    this.params = { ...DEFAULT_PARAMS, ...d.params, tierDistanceM: { ...DEFAULT_PARAMS.tierDistanceM, ...d.params?.tierDistanceM } };
    this.mode = d.mode === 'straight' || d.mode === 'buffer' ? d.mode : 'network';
    this.proposals = (d.proposals ?? []).filter((p) => (FACILITY_CATEGORIES as readonly string[]).includes(p.category) && Number.isFinite(p.lon) && Number.isFinite(p.lat));
  }
}

export const coverage = new CoverageState();
registerSlice<CoverageSliceData>({ key: 'coverage', snapshot: () => coverage.snapshot(), restore: (d) => coverage.restore(d) });

/** The coverage mode's theme: communities by number of mandatory categories lacking, or met/unmet for one category. */
export function coverageTheme(): Theme | null {
  const r = coverage.result;
  if (!r) return null;
  const note = t('coverage.theme.note', { standard: app.lang === 'zh' ? coverage.standard.zh : coverage.standard.en, mode: t(`coverage.mode.${r.mode}`) });
  const colorOf: Record<string, string> = {};
  if (coverage.colorBy === 'lacking') {
    for (const c of r.communities) colorOf[c.id] = LACKING_CLASSES.colors[classOf(c.lacking.length, LACKING_CLASSES)];
    const b = LACKING_CLASSES.breaks;
    const labels = [t('coverage.theme.none'), `1–${b[1]}`, `${b[1] + 1}–${b[2]}`, `${b[2] + 1}–${b[3]}`, `≥ ${b[3] + 1}`];
    return {
      key: `coverage:lacking:${coverage.standardId}:${r.mode}`,
      title: t('coverage.theme.lacking'),
      note,
      entries: labels.map((label, i) => ({ label, color: LACKING_CLASSES.colors[i] })),
      colorOf,
      size: { title: t('surface.unservedAny'), of: Object.fromEntries(r.communities.map((c) => [c.id, c.lacking.length > 0 ? c.residents : 0])) },
    };
  }
  const k = r.rules.findIndex((x) => x.category === coverage.colorBy);
  if (k < 0) return null;
  for (const c of r.communities) {
    const b = c.byCategory[k];
    colorOf[c.id] = b.met ? MET_COLORS.met : b.distance === null ? MET_COLORS.unreachable : MET_COLORS.unmet;
  }
  const threshold = r.rules[k].threshold;
  return {
    key: `coverage:${coverage.colorBy}:${coverage.standardId}:${r.mode}`,
    title: `${categoryLabel(coverage.colorBy)} ≤ ${threshold} m (${minutesAt(threshold, coverage.params.walkSpeedMPerMin)} min)`,
    size: { title: t('surface.unserved', { category: categoryLabel(coverage.colorBy) }), of: Object.fromEntries(r.communities.map((c) => [c.id, c.byCategory[k].met ? 0 : c.residents])) },
    note,
    entries: [
      { label: t('coverage.theme.met'), color: MET_COLORS.met },
      { label: t('coverage.theme.unmet'), color: MET_COLORS.unmet },
      { label: t('coverage.theme.unreachable'), color: MET_COLORS.unreachable },
    ],
    colorOf,
  };
}

/** Proposals as GeoJSON for export (and for the map layer). */
export function proposalsGeoJSON(ps: readonly Proposal[], standardId: StandardId): FeatureCollection<Point> {
  return {
    type: 'FeatureCollection',
    features: ps.map((p) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
      properties: {
        id: p.id,
        category: p.category,
        kind: p.kind,
        label: p.label,
        community_id: p.communityId ?? null,
        standard: standardId,
        proposed: true,
        ...(p.site ? { site_id: p.site.id, site_name: p.site.name, site_kind: p.site.kind, site_area_m2: p.site.area_m2 } : {}),
      },
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Talking to the analysis worker. Each call carries a sequence number so that a slow, stale answer never
// overwrites a newer one.


let loadedFor: Dataset | null = null;
let loadedSize = 0;
let loadedRoads: readonly unknown[] | null = null;
/** the network edits the worker holds (their JSON), and the last send in flight */
let sentEdits = '';
let sending: Promise<void> | null = null;
let loading: Promise<void> | null = null;
let seq = 0;
/** the baseline (no proposals) as last assembled, and the settings it was computed with */
let baselineFor: { ds: Dataset; key: string; result: CoverageResult } | null = null;

/**
 * Ask the analysis worker, once the dataset is loaded into it (once per dataset, household size and road fixes)
 * and the network edits are posted. The request does not wait for the edits' reply: the worker handles messages
 * in order and applies edits synchronously (setNetworkEdits), so a request posted after them sees them — one
 * round trip less per network edit (when that reply comes, the main thread is often still painting the edit).
 * The reply is awaited with the request's, so a failed edit fails the request too.
 */
export async function withEngine<T>(ds: Dataset, request: () => Promise<T>): Promise<T> {
  await loadData(ds);
  const edits = $state.snapshot(network.edits);
  const key = JSON.stringify(edits);
  if (key !== sentEdits) {
    sentEdits = key;
    sending = (async () => {
      const summary = await analysis().setNetworkEdits(edits);
      if (sentEdits === key) network.summary = summary;
    })();
  }
  const [, reply] = await Promise.all([sending, request()]);
  return reply;
}

/** The dataset loaded into the worker and the network edits applied there (withEngine with nothing to ask). */
export function ensureLoaded(ds: Dataset): Promise<void> {
  return withEngine(ds, async () => undefined);
}

async function loadData(ds: Dataset): Promise<void> {
  const size = app.householdSize;
  const roads = effectiveRoads(ds);
  if (loadedFor === ds && loadedSize === size && loadedRoads === roads && loading) return loading;
  loadedFor = ds;
  loadedSize = size;
  loadedRoads = roads;
  sentEdits = ''; // a new load drops nothing in the engine, but send the edits again so their summary follows the roads
  // missing residents are estimated (households × household size, an assumption), never counted as 0
  const props = withEstimatedResidents(
    ds.communities.map((c) => c.properties),
    size,
  );
  const communities = ds.communities.map((c, i) => (props[i] === c.properties ? c : { ...c, properties: props[i] }));
  loading = (async () => {
    coverage.summary = await analysis().loadCoverageData({
      communities: communities as never,
      gates: ds.gates as never,
      facilities: engineFacilities(ds),
      roads: roads as never,
    });
  })();
  return loading;
}

/** Recompute coverage (with proposals), the baseline (without) and the straight-line buffer comparison. */
export async function recompute(ds: Dataset): Promise<void> {
  const my = ++seq;
  if (coverage.paramProblems.length > 0) return;
  coverage.running = true;
  coverage.error = null;
  // show progress only for work that takes longer than half a second
  const timer = setTimeout(() => {
    if (my === seq && coverage.running) coverage.progress = { done: 0, total: coverage.standard.rules.length };
  }, 500);
  try {
    const onProgress = proxyProgress((done, total) => {
      if (my === seq && coverage.progress) coverage.progress = { done, total };
    });
    const { reply, extra, key, cachedBaseline } = await withEngine(ds, async () => {
      const base = { standardId: coverage.standardId, params: $state.snapshot(coverage.params) as CoverageParams, mode: coverage.mode };
      const extra = proposalFacilities(coverage.proposals);
      // the baseline changes only with the settings: reuse the one assembled before when they are the same
      // … and with the network as planned (links, closures, road fixes)
      const key = JSON.stringify(base) + sentEdits + network.fixes.length;
      const cachedBaseline = baselineFor && baselineFor.ds === ds && baselineFor.key === key ? baselineFor.result : null;
      const withNetworkBaseline = network.hasEdits && base.mode !== 'straight';
      const reply = await analysis().coverageTables({ ...base, extraFacilities: extra, withBuffer: base.mode !== 'buffer', withBaseline: extra.length > 0 && !cachedBaseline, withNetworkBaseline }, onProgress);
      return { reply, extra, key, cachedBaseline };
    });
    if (my !== seq) return;
    const summary = coverage.summary!;
    const facilityId = (i: number) => (i < summary.facilityIds.length ? summary.facilityIds[i] : extra[i - summary.facilityIds.length].properties.id);
    // each from the result it replaces: what did not change keeps its objects, and the panels their DOM
    const assemble = (t: CoverageTables, prev: CoverageResult | null) => assembleCoverage(summary.layout, t, facilityId, prev);
    const result = assemble(reply.result, coverage.result);
    const baseline = extra.length === 0 ? result : reply.baseline ? assemble(reply.baseline, coverage.baseline) : cachedBaseline!;
    baselineFor = { ds, key, result: baseline };
    coverage.result = result;
    coverage.networkBaseline = reply.networkBaseline ? assemble(reply.networkBaseline, coverage.networkBaseline) : null;
    if (network.editedAt !== null) {
      network.recolourMs = performance.now() - network.editedAt;
      network.editedAt = null;
    }
    // in buffer mode the result is the buffer comparison itself
    coverage.buffer = reply.buffer ? assemble(reply.buffer, coverage.buffer) : result;
    coverage.baseline = baseline;
  } catch (e) {
    if (my === seq) coverage.error = e instanceof Error ? e.message : String(e);
  } finally {
    clearTimeout(timer);
    if (my === seq) {
      coverage.running = false;
      coverage.progress = null;
    }
  }
}

let routeSeq = 0;
export async function loadRoute(ds: Dataset, communityId: string | null, category: string | null): Promise<void> {
  const my = ++routeSeq;
  if (!communityId || !category) {
    coverage.route = null;
    return;
  }
  const r = await withEngine(ds, () =>
    analysis().route({
      standardId: coverage.standardId,
      params: $state.snapshot(coverage.params) as CoverageParams,
      mode: coverage.mode,
      extraFacilities: proposalFacilities(coverage.proposals),
      communityId,
      category,
    }),
  );
  if (my === routeSeq) coverage.route = r;
}

let isoSeq = 0;
export async function loadIsochrone(ds: Dataset, origin: { communityId?: string; lonLat?: [number, number] } | null): Promise<void> {
  const my = ++isoSeq;
  coverage.isoOrigin = origin;
  if (!origin) {
    coverage.isochrone = null;
    return;
  }
  const r = await withEngine(ds, () => analysis().isochrone({ ...origin, params: $state.snapshot(coverage.params) as CoverageParams, extraFacilities: proposalFacilities(coverage.proposals) }));
  if (my === isoSeq) coverage.isochrone = r;
}

/** Where suggested sites may go: thinned network nodes, the what-if proposals, or spare sites that fit the minimum size. */
export type CandidateSource = 'nodes' | 'proposals' | 'spare';

/** Spare sites as MCLP candidates: only those whose area fits the category's minimum size (sitefit.ts). */
export function spareCandidates(all: readonly SpareSiteFeature[], category: string): { fit: FitResult; candidates: { id: string; label: string; lon: number; lat: number }[] } {
  const fit = fitSites(
    all.map((s) => s.properties),
    category,
  );
  const kept = new Set(fit.kept);
  const candidates = all
    .filter((s) => kept.has(s.properties.id))
    .map((s) => ({ id: s.properties.id, label: s.properties.name, lon: s.geometry.coordinates[0], lat: s.geometry.coordinates[1] }));
  return { fit, candidates };
}

export async function runSuggest(ds: Dataset, category: string, k: number, source: CandidateSource, spare: readonly SpareSiteFeature[] = []): Promise<void> {
  await ensureLoaded(ds);
  coverage.error = null;
  const useProposalsAsCandidates = source === 'proposals';
  try {
    const limited = source === 'spare' ? spareCandidates(spare, category) : null;
    coverage.suggestionFit = limited?.fit ?? null;
    const candidates = limited ? limited.candidates : useProposalsAsCandidates ? coverage.proposals.map((p) => ({ id: p.id, label: p.label, lon: p.lon, lat: p.lat })) : undefined;
    // proposals used as candidates are not also counted as existing facilities
    const extra = useProposalsAsCandidates ? [] : proposalFacilities(coverage.proposals);
    // progress shows only when the search takes longer than half a second
    let shown = false;
    const timer = setTimeout(() => {
      shown = true;
      coverage.progress ??= { done: 0, total: 3 };
    }, 500);
    try {
      coverage.suggestion = await analysis().suggestSites(
        {
          standardId: coverage.standardId,
          params: $state.snapshot(coverage.params) as CoverageParams,
          mode: 'network',
          extraFacilities: extra,
          category,
          k,
          candidates,
        },
        proxyProgress((done, total) => {
          if (shown) coverage.progress = { done, total };
        }),
      );
    } finally {
      clearTimeout(timer);
      if (shown) coverage.progress = null;
    }
  } catch (e) {
    coverage.error = e instanceof Error ? e.message : String(e);
  }
}
