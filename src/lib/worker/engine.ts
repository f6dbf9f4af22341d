/**
 * The analysis engine that lives inside the worker (analysis.worker.ts). It holds the loaded layers and ONE
 * walk graph, built once per road set (keyed by a fingerprint of the roads) and shared by every analysis:
 *  - coverage, route, isochrone and siting, over the snapped community gates (prepared once per
 *    community/gate set);
 *  - bundling (连片改造): the neighbour relation with the walking measure (adjacency.ts + bundle-walk.ts
 *    over the same graph), regionalisation (bundle.ts) and the bundle outlines (hull.ts). Adjacencies are
 *    cached per (max gap, measure) until the bundle data or the graph change.
 * Plain TypeScript (no Worker, no DOM, no Comlink) so it is tested directly in Node; `createApi()` is the set
 * of functions the worker exposes, and the main-thread fallback (worker/api.ts, where Worker does not exist)
 * calls the very same functions.
 */
import type { Feature, LineString, MultiPolygon, Polygon } from 'geojson';
import { STANDARDS, type CoverageParams, type StandardId, thresholdOf } from '../domain/standards';
import { buildWalkGraph, type RoadLike, type WalkGraph } from '../analysis/walkgraph';
import {
  assembleCoverage,
  CoverageCache,
  coverageLayout,
  coverageRoute,
  coverageTables,
  prepareCoverage,
  type CoverageLayout,
  type CoverageTables,
  type CommunityInput,
  type CoverageContext,
  type CoverageMode,
  type CoverageResult,
  type FacilityInput,
  type GateInput,
  type Progress,
  type RouteProps,
} from '../analysis/coverage';
import { facilitiesWithin, isochrones, type IsochroneBandProps } from '../analysis/isochrone';
import { snapLonLat, snapXY as snapXYBase, type Snap } from '../analysis/snap';
import { demandFromCoverage, markedCandidates, suggestSites, type SitingResult } from '../analysis/siting';
import { toLonLat, toXY } from '../analysis/localproj';
import type { BarrierFeature, CommunityFeature, CommunityProps } from '../domain/types';
import { buildAdjacency, type Adjacency, type AdjacencyEdge } from '../analysis/adjacency';
import { walkGapMeasure } from '../analysis/bundle-walk';
import { generateBundles, type BundlePlan } from '../analysis/bundle';
import { optimiseBundles, type OptimiseOptions } from '../analysis/bundle-opt';
import { loadSolver, type Solver } from '../analysis/solver';
import { BarrierIndex, projectionFor, type LocalProjection } from '../analysis/bundle-geom';
import { bundleHull } from '../analysis/hull';
import { categoryField, groupFacilities } from '../analysis/coverage';
import { warmFields, type FieldPool } from './fieldpool';
import { accessSurface, surfaceLines, surfaceOnBase, type Surface } from '../analysis/surface';
import { checkNetwork, type NetCheckOptions } from '../analysis/netcheck';
import { applyNetworkEdits, remapSnap, type EditedNetwork, type LinkJoin, type NetworkEdits } from '../analysis/netedit';

export interface EngineData {
  communities: readonly CommunityInput[];
  gates: readonly GateInput[];
  facilities: readonly FacilityInput[];
  roads: readonly RoadLike[];
}

export interface LoadSummary {
  communities: number;
  gates: number;
  facilities: number;
  nodes: number;
  edges: number;
  components: number;
  /** share of nodes in the largest connected component */
  largestComponentShare: number;
  graphRebuilt: boolean;
  graphMs: number;
  warnings: string[];
  /** what the main thread needs to turn coverage tables into results (communities, their origins) */
  layout: CoverageLayout;
  /** ids of the loaded facilities, in the order the tables' facility indices count them */
  facilityIds: string[];
}

export interface CoverageTablesRequest extends CoverageRequest {
  /** also send the straight-line buffer tables (side by side with a network result) */
  withBuffer?: boolean;
  /** also send the tables without the what-if facilities (only when there are some) */
  withBaseline?: boolean;
  /** also send the tables on the network without the user's network edits (only when there are some) */
  withNetworkBaseline?: boolean;
}

/** Coverage as typed tables (transferred across the worker boundary, not copied). */
export interface CoverageTablesReply {
  result: CoverageTables;
  buffer: CoverageTables | null;
  baseline: CoverageTables | null;
  /** the same request on the network without the edits (before → after of the 慢行系统 plan) */
  networkBaseline: CoverageTables | null;
  /** engine time, ms (searches and table fills, not the transfer) */
  engineMs: number;
}

export interface CoverageRequest {
  standardId: StandardId;
  params: CoverageParams;
  mode: CoverageMode;
  /** what-if: proposed facilities added to the loaded ones */
  extraFacilities?: readonly FacilityInput[];
}

export interface RouteRequest extends CoverageRequest {
  communityId: string;
  category: string;
}

export interface IsochroneRequest {
  /** a community (its gates are the origins) or a clicked point */
  communityId?: string;
  lonLat?: [number, number];
  params: CoverageParams;
  minutes?: number[];
  extraFacilities?: readonly FacilityInput[];
}

export interface FacilityInsideInfo {
  id: string;
  name: string;
  category: string;
  proposed: boolean;
  distance_m: number;
  minutes: number;
}

export interface IsochroneResponse {
  bands: Feature<Polygon | MultiPolygon, IsochroneBandProps>[];
  /** facilities within the largest band, nearest first */
  facilities: FacilityInsideInfo[];
  /** true when there is no network and the bands are circles of (distance ÷ detour factor) */
  fallback: boolean;
  /** null when the origin is farther than the snap limit from any street */
  originOnNetwork: boolean;
}

/**
 * A surface, and which graph's edges its classes number (a number per graph the engine has used). On an edited
 * network that is the loaded graph (analysis/surface.ts surfaceOnBase): its closed and split edges HIDDEN, and
 * the edges the edits added in `extra`, with their lines, so that the map keeps the loaded network's lines.
 */
export interface SurfaceReply extends Surface {
  graph: number;
  /** that graph's edges as lines (analysis/surface.ts surfaceLines), unless the request said it has them */
  lines?: Float64Array;
  /** the edges network edits added (split pieces, new links): lines and classes */
  extra?: { lines: Float64Array; cls: Int8Array };
}

/** Accessibility surface: one category, or 'mandatory' (the max over the standard's ▲ categories). */
export interface SurfaceRequest {
  standardId: StandardId;
  params: CoverageParams;
  category: string;
  extraFacilities?: readonly FacilityInput[];
  /** the graph whose lines the caller already has (SurfaceReply.graph): they are not sent again */
  haveLinesOf?: number;
}

export interface SuggestRequest extends CoverageRequest {
  category: string;
  k: number;
  /** user-marked candidates (e.g. idle rooms); default: thinned network nodes */
  candidates?: { id: string; label?: string; lon: number; lat: number }[];
}

export interface SuggestResponse extends Omit<SitingResult, 'sites'> {
  category: string;
  threshold: number;
  sites: { id: string; kind: 'node' | 'marked'; label?: string; lon: number; lat: number; addedResidents: number; addedCommunities: string[] }[];
  /** given candidates too far from the walking network to be snapped (not considered) */
  offNetwork: string[];
}

/** What bundling needs of the dataset: geometry only (attribute edits travel with each generate request). */
export interface BundleData {
  communities: readonly CommunityFeature[];
  barriers: readonly BarrierFeature[];
  roads: readonly RoadLike[];
}

export interface BundleLoadSummary {
  communities: number;
  barriers: number;
  /** whether this call had to build the walk graph (false when coverage already built it for these roads) */
  graphRebuilt: boolean;
}

export interface AdjacencyRequest {
  maxGapM: number;
  /** 'walking' falls back to straight-line gaps when no roads are loaded (the result's `measure` says which) */
  measure: 'walking' | 'straight';
}

export interface GenerateRequest extends AdjacencyRequest {
  /**
   * The communities' attributes as the user sees them (with the pool's edits), in the order of the loaded
   * communities; omitted → the loaded attributes. Only properties travel: the geometry is already here.
   */
  properties?: readonly CommunityProps[];
  /** 'optimal' (default): bundle-opt.ts, exact where the instance allows; 'heuristic': bundle.ts alone */
  options: OptimiseOptions & { method?: 'optimal' | 'heuristic' };
}

export interface GenerateResponse {
  plan: BundlePlan;
  /** the neighbour relation the plan was generated on (the main thread uses it for edits, checks, colours) */
  adjacency: Adjacency;
}

export interface HullRequest {
  key: string;
  members: string[];
  /** adjacency edges between members (the bridges) */
  edges: AdjacencyEdge[];
}
export interface HullReply {
  key: string;
  geometry: Polygon | MultiPolygon | null;
  polsbyPopper: number;
  error?: string;
}

/** What applying network edits did (setNetworkEdits). */
export interface NetworkEditSummary {
  joins: LinkJoin[];
  /** closures that match no road segment of the loaded roads */
  unmatched: string[];
  joined: EditedNetwork['joined'];
  /** engine time to apply the edits to the graph and carry the snaps over, ms (the searches run on the next coverage) */
  applyMs: number;
  nodes: number;
  edges: number;
}

/** The MIP solver, or null when its WebAssembly cannot be loaded (siting and bundling then fall back and say so). */
async function loadSolverOrNull(): Promise<Solver | null> {
  try {
    return await loadSolver();
  } catch {
    return null;
  }
}

function fingerprint(items: readonly { properties: unknown; geometry: unknown }[]): string {
  // FNV-1a over ids and the JSON of geometries: cheap enough for district data, exact enough to detect a change
  let h = 0x811c9dc5;
  const add = (s: string) => {
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  };
  add(String(items.length));
  for (const it of items) add(JSON.stringify(it.geometry) + JSON.stringify((it.properties as { id?: unknown } | null)?.id ?? ''));
  return (h >>> 0).toString(16);
}

export class CoverageEngine {
  private data: EngineData = { communities: [], gates: [], facilities: [], roads: [] };
  private graph: WalkGraph | null = null;
  private roadsKey = '';
  private ctx: CoverageContext | null = null;
  /** distance fields and evaluations of the loaded facilities; reset when the data change */
  private cache: CoverageCache | null = null;
  /** how many times a walk graph was built (tests: once per road set, whoever asks first) */
  graphBuilds = 0;
  private bundle: { data: BundleData; byId: Map<string, CommunityFeature>; proj: LocalProjection; barriers: BarrierIndex | null } | null = null;
  /** adjacency per "maxGap|measure" for the current bundle data and graph */
  private adjCache = new Map<string, Adjacency>();
  /** the user's network edits (慢行系统) and the graph, context and cache they make; null when there are none */
  private edits: NetworkEdits = { links: [], closures: [] };
  private edited: { net: EditedNetwork; ctx: CoverageContext; cache: CoverageCache; summary: NetworkEditSummary } | null = null;
  /** search workers for cold coverage (none: every search runs in this thread) */
  private readonly pool: FieldPool | null;

  constructor(opts: { pool?: FieldPool | null } = {}) {
    this.pool = opts.pool ?? null;
  }

  /** The walk graph of these roads: reused when the road set is the one already loaded. */
  private useRoads(roads: readonly RoadLike[]): boolean {
    const key = fingerprint(roads);
    const rebuild = key !== this.roadsKey || (!this.graph && roads.length > 0);
    if (rebuild) {
      // renumbered for locality: node ids never leave the engine
      this.graph = roads.length > 0 ? buildWalkGraph(roads, { reorder: true }) : null;
      if (this.graph) this.graphBuilds++;
      this.roadsKey = key;
      this.adjCache.clear(); // walking gaps were measured on the old graph
    }
    return rebuild;
  }

  load(data: EngineData): LoadSummary {
    const t0 = now();
    const rebuild = this.useRoads(data.roads);
    const graphMs = now() - t0;
    // the road features are not kept: the graph is all the engine needs of them (at a million edges they
    // are a fifth of the worker's memory); a new load compares their fingerprint
    this.data = { ...data, roads: [] };
    this.ctx = prepareCoverage(data.communities, data.gates, this.graph);
    this.cache = new CoverageCache(this.ctx, data.facilities, { keepSources: true }).prepare();
    this.applyEdits();
    const g = this.graph;
    let largest = 0;
    if (g) for (const s of g.componentSize) largest = Math.max(largest, s);
    return {
      communities: data.communities.length,
      gates: data.gates.length,
      facilities: data.facilities.length,
      nodes: g?.nodeCount ?? 0,
      edges: g?.edgeCount ?? 0,
      components: g?.componentSize.length ?? 0,
      largestComponentShare: g && g.nodeCount > 0 ? largest / g.nodeCount : 0,
      graphRebuilt: rebuild,
      graphMs,
      warnings: this.ctx.warnings,
      layout: coverageLayout(this.ctx),
      facilityIds: data.facilities.map((f) => f.properties.id),
    };
  }

  /** Replace only the facilities (cheap: the graph and the snapped gates stay). */
  setFacilities(facilities: readonly FacilityInput[]): void {
    this.data = { ...this.data, facilities };
    if (this.ctx) this.cache = new CoverageCache(this.ctx, facilities, { keepSources: true }).prepare();
    this.applyEdits();
  }

  /**
   * The network as planned: new links and closed segments (netedit.ts) applied to the loaded graph. Coverage,
   * isochrones, routes, the accessibility surface and suggestions then use the edited network; the fields the
   * base cache holds are carried over incrementally (CoverageCache.derive). No edits → the loaded network.
   */
  setNetworkEdits(edits: NetworkEdits): NetworkEditSummary | null {
    this.edits = edits;
    this.applyEdits();
    return this.edited?.summary ?? null;
  }

  private applyEdits(): void {
    this.edited = null;
    const base = this.ctx;
    if (!base?.graph || !this.cache || (this.edits.links.length === 0 && this.edits.closures.length === 0)) return;
    const t0 = now();
    const net = applyNetworkEdits(base.graph, this.edits);
    const baseGraph = base.graph;
    const maxSnapM = base.maxSnapM;
    const remap = (s: Snap) => remapSnap(net, s, maxSnapM);
    // the gates' snaps on the loaded network, carried over rather than searched again
    const known = new Map<string, Snap | null>();
    for (const c of base.communities) for (const o of c.origins) known.set(`${o.x},${o.y}`, o.snap);
    const snapper = (x: number, y: number) => {
      const k = `${x},${y}`;
      const s = known.has(k) ? known.get(k)! : snapXYBase(baseGraph, x, y, maxSnapM);
      return s ? remap(s) : null;
    };
    const ctx = prepareCoverage(this.data.communities, this.data.gates, net.graph, { maxSnapM, snapper });
    const cache = this.cache.derive(ctx, net, remap).prepare();
    const summary: NetworkEditSummary = { joins: net.joins, unmatched: net.unmatched, joined: net.joined, applyMs: now() - t0, nodes: net.graph.nodeCount, edges: net.graph.edgeCount };
    this.edited = { net, ctx, cache, summary };
  }

  /** fields carried over from the loaded network's cache after an edit (tests and benchmarks read it) */
  get derivedCount(): number {
    return this.edited?.cache.derived ?? 0;
  }

  /** full network searches run so far for the loaded facilities (tests: edits must not add any) */
  get searchCount(): number {
    return (this.cache?.searches ?? 0) + (this.edited?.cache.searches ?? 0);
  }

  /** the cache in force: the edited network's when there are network edits (`loaded`: the loaded network's) */
  private coverageCache(loaded = false): CoverageCache {
    if (!this.cache) throw new Error('no data loaded: call load() first');
    return (!loaded && this.edited?.cache) || this.cache;
  }

  private context(loaded = false): CoverageContext {
    if (!this.ctx) throw new Error('no data loaded: call load() first');
    return (!loaded && this.edited?.ctx) || this.ctx;
  }

  private facilities(extra?: readonly FacilityInput[]): readonly FacilityInput[] {
    return extra && extra.length > 0 ? [...this.data.facilities, ...extra] : this.data.facilities;
  }

  private tables(req: CoverageRequest, onProgress?: Progress, loaded = false): CoverageTables {
    const standard = STANDARDS[req.standardId];
    if (!standard) throw new Error(`unknown standard "${req.standardId}"`);
    return coverageTables(this.context(loaded), this.facilities(req.extraFacilities), standard, req.params, { mode: req.mode, onProgress, cache: this.coverageCache(loaded) });
  }

  coverage(req: CoverageRequest, onProgress?: Progress): CoverageResult {
    const facs = this.facilities(req.extraFacilities);
    return assembleCoverage(coverageLayout(this.context()), this.tables(req, onProgress), (i) => facs[i].properties.id);
  }

  /**
   * Before a coverage: the fields it will need and no cache holds yet, searched side by side on the pool's
   * workers and this thread (fieldpool.ts). Without a pool, or with fields held, nothing happens here and
   * coverageTables searches what it needs itself. Returns the number of fields the workers delivered.
   */
  async warm(req: CoverageTablesRequest): Promise<number> {
    const standard = STANDARDS[req.standardId];
    if (!standard || !this.pool || req.mode !== 'network') return 0;
    const cats = standard.rules.map((r) => r.category as string);
    let got = await warmFields(this.coverageCache(), cats, this.pool);
    if (req.withNetworkBaseline && this.edited) got += await warmFields(this.coverageCache(true), cats, this.pool);
    return got;
  }

  /**
   * Coverage as typed tables: with what-if facilities (one improve-only search per proposal's category from
   * the cached fields), optionally the buffer comparison and the baseline without them. Distances do not
   * depend on thresholds, so a threshold change only refills the tables.
   */
  coverageTables(req: CoverageTablesRequest, onProgress?: Progress): CoverageTablesReply {
    const t0 = now();
    const result = this.tables(req, onProgress);
    const buffer = req.withBuffer ? this.tables({ ...req, mode: 'buffer' }) : null;
    const baseline = req.withBaseline && req.extraFacilities && req.extraFacilities.length > 0 ? this.tables({ ...req, extraFacilities: [] }) : null;
    const networkBaseline = req.withNetworkBaseline && this.edited ? this.tables(req, undefined, true) : null;
    return { result, buffer, baseline, networkBaseline, engineMs: now() - t0 };
  }

  /**
   * Walking distance, metres, from every node of the walk graph to the nearest loaded facility of a category
   * (Infinity where none is reachable), with the node coordinates (projected metres, graph.proj) — for maps
   * of accessibility. Cached; the arrays are the engine's: copy before transferring them.
   */
  nodeDistances(category: string): { dist: Float64Array; nodeX: Float64Array; nodeY: Float64Array } | null {
    const dist = this.coverageCache().nodeDistances(category);
    const g = this.context().graph;
    return dist && g ? { dist, nodeX: g.nodeX, nodeY: g.nodeY } : null;
  }

  route(req: RouteRequest): Feature<LineString, RouteProps> | null {
    return coverageRoute(this.context(), this.facilities(req.extraFacilities), req.communityId, req.category, req.mode, req.params.detourFactor);
  }

  isochrone(req: IsochroneRequest): IsochroneResponse {
    const ctx = this.context();
    const speed = req.params.walkSpeedMPerMin;
    // one distance definition: the bands are the life-circle tiers in force (300/500/1000 m by default), as
    // minutes at the one walking speed, so isochrones and coverage agree (issue 10)
    const tiers = req.params.tierDistanceM;
    const minutes = req.minutes ?? [tiers[5] / speed, tiers[10] / speed, tiers[15] / speed];
    const maxD = Math.max(...minutes) * speed;
    const facs = this.facilities(req.extraFacilities);
    const info = (f: FacilityInput, d: number): FacilityInsideInfo => ({
      id: f.properties.id,
      name: f.properties.name ?? f.properties.id,
      category: f.properties.category,
      proposed: f.properties.proposed === true,
      distance_m: Math.round(d * 10) / 10,
      minutes: Math.round((d / speed) * 10) / 10,
    });
    let originsLL: [number, number][] = [];
    let snaps: Snap[] = [];
    if (req.communityId) {
      const i = ctx.index.get(req.communityId);
      if (i === undefined) throw new Error(`unknown community "${req.communityId}"`);
      const c = ctx.communities[i];
      originsLL = c.origins.map((o) => [o.lon, o.lat]);
      snaps = c.origins.map((o) => o.snap).filter((s): s is Snap => s !== null);
    } else if (req.lonLat) {
      originsLL = [req.lonLat];
      const s = ctx.graph ? snapLonLat(ctx.graph, req.lonLat[0], req.lonLat[1], ctx.maxSnapM) : null;
      if (s) snaps = [s];
    } else throw new Error('isochrone needs a communityId or a lonLat');

    if (!ctx.graph) {
      // no network: circles of distance ÷ detour factor, labelled as such
      const bands = [...minutes].sort((a, b) => b - a).map((m) => circleBand(ctx, originsLL, m, (m * speed) / req.params.detourFactor));
      const inside: FacilityInsideInfo[] = [];
      for (const f of facs) {
        const [fx, fy] = toXY(ctx.proj, f.geometry.coordinates[0], f.geometry.coordinates[1]);
        let best = Infinity;
        for (const [lon, lat] of originsLL) {
          const [ox, oy] = toXY(ctx.proj, lon, lat);
          best = Math.min(best, Math.hypot(fx - ox, fy - oy) * req.params.detourFactor);
        }
        if (best <= maxD) inside.push(info(f, best));
      }
      return { bands, facilities: inside.sort((a, b) => a.distance_m - b.distance_m), fallback: true, originOnNetwork: false };
    }
    const res = isochrones(ctx.graph, snaps, { walkSpeedMPerMin: speed, minutes });
    const inside = facilitiesWithin(ctx.graph, res.field, facs, maxD, speed, ctx.maxSnapM).map((x) => info(x.facility, x.distance_m));
    return { bands: res.bands, facilities: inside, fallback: false, originOnNetwork: snaps.length > 0 };
  }

  async suggest(req: SuggestRequest, onProgress?: Progress): Promise<SuggestResponse> {
    const solver = await loadSolverOrNull();
    const ctx = this.context();
    if (!ctx.graph) throw new Error('suggested sites need a road network (walking distances); load a road layer first');
    onProgress?.(0, 3, 'coverage');
    const cov = this.coverage({ ...req, mode: 'network' });
    const rule = cov.rules.find((r) => r.category === req.category);
    if (!rule) throw new Error(`category "${req.category}" is not part of the standard in force`);
    const threshold = thresholdOf(rule, req.params);
    onProgress?.(1, 3, 'demand');
    const demand = demandFromCoverage(ctx, cov, req.category);
    const candidates = req.candidates ? markedCandidates(ctx.graph, req.candidates, ctx.maxSnapM) : undefined;
    const snapped = new Set(candidates?.map((c) => c.id));
    const offNetwork = req.candidates ? req.candidates.filter((c) => !snapped.has(c.id)).map((c) => c.id) : [];
    onProgress?.(2, 3, 'solve');
    const r = suggestSites(ctx.graph, demand, { k: req.k, threshold }, candidates, solver);
    onProgress?.(3, 3, 'done');
    return {
      ...r,
      category: req.category,
      threshold,
      offNetwork,
      sites: r.sites.map((s) => ({
        id: s.candidate.id,
        kind: s.candidate.kind,
        label: s.candidate.label,
        lon: s.candidate.lon,
        lat: s.candidate.lat,
        addedResidents: s.addedResidents,
        addedCommunities: s.addedCommunities,
      })),
    };
  }

  // ---- accessibility surface (separate from coverage: reads the same per-category distance field)

  /**
   * The walking network classed by distance to the nearest facility of the category (or the farthest of the
   * mandatory ones), in the tiers in force. Null when no walking network is loaded.
   */
  surface(req: SurfaceRequest): SurfaceReply | null {
    const ctx = this.context();
    if (!ctx.graph) return null;
    const standard = STANDARDS[req.standardId];
    if (!standard) throw new Error(`unknown standard "${req.standardId}"`);
    const cats = req.category === 'mandatory' ? [...new Set(standard.rules.filter((r) => r.mandatory).map((r) => r.category as string))] : [req.category];
    const groups = groupFacilities(this.facilities(req.extraFacilities));
    // without proposals the cached fields serve (on an edited network: carried over, not searched again)
    const cached = !req.extraFacilities?.length;
    const fields = cats.map((c) => (cached ? this.coverageCache().nodeDistances(c) : categoryField(ctx, groups.get(c) ?? [])?.field.dist) ?? new Float64Array(ctx.graph!.nodeCount).fill(Infinity));
    const t = req.params.tierDistanceM;
    const s = accessSurface(ctx.graph, fields, [t[5], t[10], t[15]]);
    // on the edited network: in the loaded graph's numbering, whose lines the map keeps across edits
    const edited = this.edited && ctx === this.edited.ctx ? this.edited.net : null;
    const lined = edited ? this.ctx!.graph! : ctx.graph;
    const graph = this.graphId(lined);
    const reply: SurfaceReply = edited ? { ...s, ...surfaceOnBase(edited, s), graph } : { ...s, graph };
    return graph === req.haveLinesOf ? reply : { ...reply, lines: surfaceLines(lined) };
  }

  private readonly graphIds = new WeakMap<WalkGraph, number>();
  private graphCount = 0;
  /** a number per walk graph (loaded or edited) this engine has used: the numbering of its edges */
  private graphId(g: WalkGraph): number {
    let id = this.graphIds.get(g);
    if (id === undefined) this.graphIds.set(g, (id = ++this.graphCount));
    return id;
  }

  // ---- bundling (连片改造)

  /** Load (or replace) what bundling needs; the walk graph is rebuilt only when the roads changed. */
  loadBundleData(data: BundleData): BundleLoadSummary {
    const graphRebuilt = this.useRoads(data.roads);
    const proj = projectionFor(data.communities.map((c) => c.geometry));
    this.bundle = {
      data,
      byId: new Map(data.communities.map((c) => [c.properties.id, c] as const)),
      proj,
      barriers: data.barriers.length > 0 ? new BarrierIndex(data.barriers.map((b) => b.geometry), proj) : null,
    };
    this.adjCache.clear();
    return { communities: data.communities.length, barriers: data.barriers.length, graphRebuilt };
  }

  private bundleData() {
    if (!this.bundle) throw new Error('no bundle data loaded: call loadBundleData() first');
    return this.bundle;
  }

  /** Neighbour relation of the loaded communities (adjacency.ts), walking gaps on the shared graph. */
  bundleAdjacency(req: AdjacencyRequest): Adjacency {
    const b = this.bundleData();
    const key = `${req.maxGapM}|${req.measure}`;
    const hit = this.adjCache.get(key);
    if (hit) return hit;
    const graph = req.measure === 'walking' ? this.graph : null;
    const adj = buildAdjacency(b.data.communities, {
      maxGapM: req.maxGapM,
      barriers: b.data.barriers,
      ...(graph ? { walk: walkGapMeasure(graph) } : {}),
    });
    this.adjCache.set(key, adj);
    return adj;
  }

  /** A bundle plan (bundle.ts) on the adjacency of the request's gap and measure. */
  async generateBundles(req: GenerateRequest): Promise<GenerateResponse> {
    const solver = req.options.method === 'heuristic' ? null : await loadSolverOrNull();
    const b = this.bundleData();
    const adjacency = this.bundleAdjacency(req);
    let communities = b.data.communities;
    if (req.properties) {
      const props = req.properties;
      if (props.length !== communities.length)
        throw new Error(`bundles: ${props.length} attribute records for ${communities.length} loaded communities; reload the bundle data`);
      communities = communities.map((c, i) => {
        if (props[i].id !== c.properties.id) throw new Error(`bundles: attribute record ${i} is "${props[i].id}", the loaded community is "${c.properties.id}"`);
        return props[i] === c.properties ? c : { ...c, properties: props[i] };
      });
    }
    const plan = req.options.method === 'heuristic' ? generateBundles(communities, adjacency, req.options) : optimiseBundles(communities, adjacency, req.options, solver);
    return { plan, adjacency };
  }

  /** Outlines of bundles (hull.ts): the polygon union is the slow part, tens of ms per bundle. */
  bundleHulls(reqs: readonly HullRequest[]): HullReply[] {
    const b = this.bundleData();
    return reqs.map((r) => {
      const fs = r.members.map((m) => b.byId.get(m)).filter((f): f is CommunityFeature => !!f);
      if (fs.length === 0) return { key: r.key, geometry: null, polsbyPopper: 0, error: 'no member in the loaded data' };
      try {
        const h = bundleHull(fs, r.edges, b.proj, b.barriers ? { barrierIndex: b.barriers } : {});
        return { key: r.key, geometry: h.geometry, polsbyPopper: h.polsbyPopper };
      } catch (e) {
        return { key: r.key, geometry: null, polsbyPopper: 0, error: e instanceof Error ? e.message : String(e) };
      }
    });
  }
}

/**
 * A progress callback that lets through at most one call per `everyMs`, none in the first `afterMs`: the app
 * shows progress only for work that takes longer than half a second, and across threads every call is a message
 * and a reply the main thread handles (a coverage request reports once per category: 19 round trips per edit,
 * each competing with the edit's own repaint).
 */
export function throttleProgress(fn: Progress | undefined, afterMs = 200, everyMs = 100, now: () => number = () => performance.now()): Progress | undefined {
  if (!fn) return undefined;
  const start = now();
  let last = -Infinity;
  return (done, total, label) => {
    const t = now();
    if (t - start < afterMs || t - last < everyMs) return;
    last = t;
    fn(done, total, label);
  };
}

/**
 * The functions the analysis worker exposes (analysis.worker.ts), over one engine. Kept here, free of
 * Comlink, so that the main-thread fallback (worker/api.ts, where Worker does not exist) runs the same code.
 */
export function createApi(engine = new CoverageEngine()) {
  return {
    /** Load (or replace) the layers; rebuilds the walk graph only when the roads changed. */
    loadCoverageData(data: EngineData) {
      return engine.load(data);
    },
    coverage(req: CoverageRequest, onProgress?: Progress) {
      return engine.coverage(req, throttleProgress(onProgress));
    },
    /** Network result and straight-line buffer result side by side, as objects (the app uses coverageTables). */
    coverageWithBuffer(req: CoverageRequest, onProgress?: Progress) {
      return { result: engine.coverage(req, throttleProgress(onProgress)), buffer: engine.coverage({ ...req, mode: 'buffer' }) };
    },
    /** Typed coverage tables (with the buffer comparison and the baseline on request), in one round trip. */
    async coverageTables(req: CoverageTablesRequest, onProgress?: Progress) {
      await engine.warm(req);
      return engine.coverageTables(req, throttleProgress(onProgress));
    },
    /** Network check of a road layer (netcheck.ts), off the main thread: a city layer takes a while. */
    checkNetwork(roads: readonly RoadLike[], opts: NetCheckOptions) {
      return checkNetwork(roads, opts);
    },
    /** The 慢行系统 plan: new links and closed segments; every later analysis uses the edited network. */
    setNetworkEdits(edits: NetworkEdits) {
      return engine.setNetworkEdits(edits);
    },
    route(req: RouteRequest) {
      return engine.route(req);
    },
    isochrone(req: IsochroneRequest) {
      return engine.isochrone(req);
    },
    accessSurface(req: SurfaceRequest) {
      return engine.surface(req);
    },
    suggestSites(req: SuggestRequest, onProgress?: Progress) {
      return engine.suggest(req, throttleProgress(onProgress));
    },
    /** Bundling: communities, barriers and roads once per dataset (the walk graph is shared with coverage). */
    loadBundleData(data: BundleData) {
      return engine.loadBundleData(data);
    },
    bundleAdjacency(req: AdjacencyRequest) {
      return engine.bundleAdjacency(req);
    },
    generateBundles(req: GenerateRequest) {
      return engine.generateBundles(req);
    },
    bundleHulls(reqs: HullRequest[]) {
      return engine.bundleHulls(reqs);
    },
  };
}

function circleBand(ctx: CoverageContext, origins: [number, number][], minutes: number, r: number): Feature<Polygon | MultiPolygon, IsochroneBandProps> {
  const polys = origins.map(([lon, lat]) => {
    const [ox, oy] = toXY(ctx.proj, lon, lat);
    const ring = Array.from({ length: 65 }, (_, i) => toLonLat(ctx.proj, ox + r * Math.cos((i % 64) * (Math.PI / 32)), oy + r * Math.sin((i % 64) * (Math.PI / 32))));
    return [ring];
  });
  return {
    type: 'Feature',
    properties: { minutes, distance_m: r, area_m2: Math.round(Math.PI * r * r), fill: '#9ecae1', 'fill-opacity': 0.3, stroke: '#08306b' },
    geometry: polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys },
  };
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
