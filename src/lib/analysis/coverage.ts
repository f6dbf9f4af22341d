/**
 * 15-minute life-circle coverage.
 *
 * What it computes: for every community and every facility category of the chosen standard, the walking
 * distance to the nearest facility of that category, the standard's threshold for it, whether it is met, and
 * which facility is nearest; then district figures — the share of communities and of residents (population
 * weighted) whose life circle is complete (all mandatory categories met), overall and per category.
 *
 * Distance modes:
 *  - 'network' (default): along the walking graph (walkgraph.ts). Residents leave through the community's
 *    gates (小区出入口), so a community's distance is the best over its gates; a community without gates
 *    uses its centroid. Gates and facilities are snapped to the nearest edge and the snap distances are
 *    added (snap.ts). ONE multi-source search per category (reach.ts), never one per community.
 *  - 'straight': straight-line distance × detour factor (default 1.3). Used automatically, with
 *    `fallback: true`, when there is no road layer.
 *  - 'buffer': plain straight-line radius, as in reports that draw 300/500/1000 m circles; offered side by
 *    side with the network result so planners can compare.
 *
 * Standards: src/lib/domain/standards.ts (GB 50180-2018 App. B/C; 完整居住社区建设标准 2020).
 * Complexity (network): O(C · (V + E)) for C categories (bucket queue, reach.ts), plus O(G) per category to
 * read G gates. CoverageCache keeps what does not depend on thresholds (snaps, per-category distance fields,
 * per-community evaluations), so threshold changes search nothing and a what-if facility costs one
 * improve-only search in its category. Results are typed tables (coverageTables) assembled into objects
 * (assembleCoverage) where they are read — on the main thread in the app.
 * Straight/buffer: O(F log F + G log F) per category with a Flatbush nearest-neighbour query.
 */
import Flatbush from 'flatbush';
import type { Feature, LineString, MultiPolygon, Point, Polygon, Position } from 'geojson';
import type { FacilityCategoryCode } from '../domain/types';
import { thresholdOf, type CoverageParams, type Standard, type StandardId, type StandardRule, type Tier } from '../domain/standards';
import { emptyBBox, extendBBox, projectionForBBox, toLonLat, toXY, type LocalProjection } from './localproj';
import { EdgeSources, improveByEdges, improveReach, multiSourceReach, routeXY, sourceSeeds, type ReachField } from './reach';
import { gatherEnds, sortSeeds, type AtEnds, type Seeds } from './fieldsearch';
import { closureAffects, type EditedNetwork } from './netedit';
import { DEFAULT_MAX_SNAP_M, SnapTable, snapXY, type Snap } from './snap';
import type { WalkGraph } from './walkgraph';
import { csvRows } from '../data/export/cells';

export type CoverageMode = 'network' | 'straight' | 'buffer';

/** Communities are polygons; a point (e.g. a CSV row with lon/lat) stands for its own centroid. */
export type CommunityInput = Feature<Polygon | MultiPolygon | Point, { id: string; residents: number; name?: string; street?: string; [k: string]: unknown }>;
export type GateInput = Feature<Point, { id: string; community_id: string; [k: string]: unknown }>;
export type FacilityInput = Feature<Point, { id: string; category: string; name?: string; proposed?: boolean; [k: string]: unknown }>;

export interface Origin {
  /** gate id, or `<community id>#centroid` */
  id: string;
  kind: 'gate' | 'centroid';
  lon: number;
  lat: number;
  x: number;
  y: number;
  /** null when no walkable edge lies within the snap limit (or there is no graph) */
  snap: Snap | null;
}

/**
 * A structured note about the input or the method (the UI translates it: messages/coverage.ts
 * `coverage.notice.<code>`); `warnings` carries the same in English for the CLI.
 */
export interface Notice {
  code: 'duplicate-community' | 'orphan-gates' | 'off-network' | 'no-roads' | 'ignored-categories' | 'empty-category';
  params: Record<string, string | number>;
}

export interface PreparedCommunity {
  id: string;
  name: string;
  street: string;
  residents: number;
  origins: Origin[];
  originKind: 'gates' | 'centroid';
}

export interface CoverageContext {
  graph: WalkGraph | null;
  proj: LocalProjection;
  communities: PreparedCommunity[];
  index: Map<string, number>;
  warnings: string[];
  notices: Notice[];
  maxSnapM: number;
  /** how points are snapped to `graph` (default snapXY); an edited network carries the base snaps over */
  snapper?: (x: number, y: number) => Snap | null;
}

export interface PrepareOptions {
  maxSnapM?: number;
  /** snap points with this instead of snapXY on the graph (network edits: netedit.ts remapSnap) */
  snapper?: (x: number, y: number) => Snap | null;
}

/** Snap every community's gates (or centroid) once; reused by every category and every what-if. */
export function prepareCoverage(
  communities: readonly CommunityInput[],
  gates: readonly GateInput[],
  graph: WalkGraph | null,
  opts: PrepareOptions = {},
): CoverageContext {
  const maxSnapM = opts.maxSnapM ?? DEFAULT_MAX_SNAP_M;
  const warnings: string[] = [];
  const notices: Notice[] = [];
  let proj: LocalProjection;
  if (graph && graph.edgeCount > 0) proj = graph.proj;
  else {
    const b = emptyBBox();
    for (const c of communities) extendBBox(b, c.geometry.coordinates);
    proj = projectionForBBox(b);
  }
  const useGraph = graph && graph.edgeCount > 0 ? graph : null;
  const index = new Map<string, number>();
  communities.forEach((c, i) => {
    if (index.has(c.properties.id)) {
      warnings.push(`community id "${c.properties.id}" appears more than once; the first is used`);
      notices.push({ code: 'duplicate-community', params: { id: c.properties.id } });
    } else index.set(c.properties.id, i);
  });
  const gatesOf = new Map<string, GateInput[]>();
  let orphanGates = 0;
  for (const g of gates) {
    if (!index.has(g.properties.community_id)) {
      orphanGates++;
      continue;
    }
    const list = gatesOf.get(g.properties.community_id);
    if (list) list.push(g);
    else gatesOf.set(g.properties.community_id, [g]);
  }
  if (orphanGates > 0) {
    warnings.push(`${orphanGates} gate(s) name a community that is not loaded; they are ignored`);
    notices.push({ code: 'orphan-gates', params: { n: orphanGates } });
  }

  const mk = (id: string, kind: Origin['kind'], lon: number, lat: number): Origin => {
    const [x, y] = toXY(proj, lon, lat);
    return { id, kind, lon, lat, x, y, snap: useGraph ? (opts.snapper ? opts.snapper(x, y) : snapXY(useGraph, x, y, maxSnapM)) : null };
  };
  const prepared: PreparedCommunity[] = communities.map((c) => {
    const gs = gatesOf.get(c.properties.id) ?? [];
    let origins: Origin[];
    let originKind: PreparedCommunity['originKind'];
    if (gs.length > 0) {
      origins = gs.map((g) => mk(g.properties.id, 'gate', g.geometry.coordinates[0], g.geometry.coordinates[1]));
      originKind = 'gates';
    } else {
      const [lon, lat] = c.geometry.type === 'Point' ? [c.geometry.coordinates[0], c.geometry.coordinates[1]] : polygonCentroid(c.geometry, proj);
      origins = [mk(`${c.properties.id}#centroid`, 'centroid', lon, lat)];
      originKind = 'centroid';
    }
    const residents = Number(c.properties.residents);
    return {
      id: c.properties.id,
      name: c.properties.name ?? c.properties.id,
      street: c.properties.street ?? '',
      residents: Number.isFinite(residents) && residents > 0 ? residents : 0,
      origins,
      originKind,
    };
  });
  if (useGraph) {
    const off = prepared.filter((p) => p.origins.every((o) => o.snap === null));
    if (off.length > 0) {
      // named for people (the notice is shown on screen); the id only when a record has no name
      const ids = `${off.slice(0, 5).map((p) => p.name || p.id).join(', ')}${off.length > 5 ? ' …' : ''}`;
      warnings.push(`${off.length} community(ies) have no walkable road within ${maxSnapM} m of any gate: ${ids}`);
      notices.push({ code: 'off-network', params: { n: off.length, m: maxSnapM, ids } });
    }
  }
  // `index` keeps the first of duplicated ids, as the warning says
  return { graph: useGraph, proj, communities: prepared, index, warnings, notices, maxSnapM, ...(opts.snapper ? { snapper: opts.snapper } : {}) };
}

/** Area-weighted centroid of the largest ring set (projected), returned as lon/lat. */
export function polygonCentroid(g: Polygon | MultiPolygon, proj: LocalProjection): [number, number] {
  const polys: Position[][][] = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  let A = 0;
  let cx = 0;
  let cy = 0;
  for (const poly of polys) {
    poly.forEach((ring, ri) => {
      const sign = ri === 0 ? 1 : -1;
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [x0, y0] = toXY(proj, ring[j][0], ring[j][1]);
        const [x1, y1] = toXY(proj, ring[i][0], ring[i][1]);
        const cross = x0 * y1 - x1 * y0;
        A += (sign * cross) / 2;
        cx += (sign * (x0 + x1) * cross) / 6;
        cy += (sign * (y0 + y1) * cross) / 6;
      }
    });
  }
  if (Math.abs(A) < 1e-9) {
    const p = polys[0][0][0];
    return [p[0], p[1]];
  }
  return toLonLat(proj, cx / A, cy / A);
}

export interface CategoryCoverage {
  category: FacilityCategoryCode;
  /** walking (or straight-line) distance in metres; null when unreachable or the category has no facility */
  distance: number | null;
  threshold: number;
  met: boolean;
  facilityId: string | null;
  /** gate (or centroid) the best distance starts from */
  originId: string | null;
}

export interface CommunityCoverage {
  id: string;
  name: string;
  street: string;
  residents: number;
  originKind: 'gates' | 'centroid';
  /** aligned with CoverageResult.rules */
  byCategory: CategoryCoverage[];
  /** mandatory categories not met */
  lacking: FacilityCategoryCode[];
  complete: boolean;
}

export interface CategoryFigure {
  category: FacilityCategoryCode;
  tier: Tier;
  mandatory: boolean;
  threshold: number;
  facilities: number;
  communitiesMet: number;
  communityShare: number;
  residentsMet: number;
  residentShare: number;
}

export interface DistrictFigures {
  communities: number;
  residents: number;
  completeCommunities: number;
  completeShare: number;
  residentsComplete: number;
  residentShare: number;
  perCategory: CategoryFigure[];
}

export interface RuleInForce extends StandardRule {
  threshold: number;
}

export interface CoverageResult {
  standardId: StandardId;
  requestedMode: CoverageMode;
  /** the mode actually used */
  mode: CoverageMode;
  /** true when network distance was requested but no road layer exists: straight line × detour factor */
  fallback: boolean;
  params: CoverageParams;
  rules: RuleInForce[];
  communities: CommunityCoverage[];
  figures: DistrictFigures;
  warnings: string[];
  notices: Notice[];
}

export type Progress = (done: number, total: number, label: string) => void;

/** Facilities grouped by category, keeping input order (so ties resolve the same way every run). */
export function groupFacilities(facilities: readonly FacilityInput[]): Map<string, FacilityInput[]> {
  const m = new Map<string, FacilityInput[]>();
  for (const f of facilities) {
    const list = m.get(f.properties.category);
    if (list) list.push(f);
    else m.set(f.properties.category, [f]);
  }
  return m;
}

/** Nearest facility per community for one category: distance, facility (index into the full facility list), origin. */
export interface CategoryEval {
  dist: Float64Array;
  facility: Int32Array;
  origin: Int32Array;
}

function emptyEval(n: number): CategoryEval {
  return { dist: new Float64Array(n).fill(Infinity), facility: new Int32Array(n).fill(-1), origin: new Int32Array(n).fill(-1) };
}

/** Indices (into `facilities`) of each category's facilities, in input order (ties resolve the same way every run). */
export function groupIndices(facilities: readonly FacilityInput[]): Map<string, number[]> {
  const m = new Map<string, number[]>();
  facilities.forEach((f, i) => {
    const list = m.get(f.properties.category);
    if (list) list.push(i);
    else m.set(f.properties.category, [i]);
  });
  return m;
}

/** A facility snapped to the walk graph (null: no walkable edge within the snap limit, or no graph). */
export function snapFacility(ctx: CoverageContext, f: FacilityInput): Snap | null {
  if (!ctx.graph) return null;
  const [x, y] = toXY(ctx.proj, f.geometry.coordinates[0], f.geometry.coordinates[1]);
  return ctx.snapper ? ctx.snapper(x, y) : snapXY(ctx.graph, x, y, ctx.maxSnapM);
}

/** Network: one multi-source search with every facility of the category as a source. */
export function categoryField(ctx: CoverageContext, facs: readonly FacilityInput[], opts: { pred?: boolean } = {}): { field: ReachField; sourceFacility: number[] } | null {
  const g = ctx.graph;
  if (!g) return null;
  const { snaps, sourceFacility } = snapAll(ctx, facs);
  return { field: multiSourceReach(g, snaps, { pred: opts.pred }), sourceFacility };
}

function snapAll(ctx: CoverageContext, facs: readonly FacilityInput[], snapOf: (f: FacilityInput, i: number) => Snap | null = (f) => snapFacility(ctx, f)) {
  const snaps: Snap[] = [];
  const sourceFacility: number[] = [];
  facs.forEach((f, i) => {
    const s = snapOf(f, i);
    if (s) {
      snaps.push(s);
      sourceFacility.push(i);
    }
  });
  return { snaps, sourceFacility };
}

/**
 * The snapped origins of every community as flat arrays (built once per context), in the order of their
 * edge's first node: reading a field there sweeps its node array forward instead of jumping across the city
 * (at city scale a random read costs about ten sequential ones). Entry j is one snapped origin.
 */
interface OriginTable {
  /** the ends of the origin's edge, and the distances along it from them */
  a: Int32Array;
  b: Int32Array;
  toA: Float64Array;
  toB: Float64Array;
  snapDist: Float64Array;
  /** the origin's community, and its index among that community's origins */
  comm: Int32Array;
  local: Int32Array;
  /** the entries on each edge that has any (a source on the same edge is reached along it) */
  onEdge: Map<number, number[]>;
}
const originTables = new WeakMap<CoverageContext, OriginTable>();

function originTable(ctx: CoverageContext): OriginTable {
  let t = originTables.get(ctx);
  if (t) return t;
  const g = ctx.graph;
  const list: { o: Origin; i: number; oi: number; key: number }[] = [];
  ctx.communities.forEach((c, i) =>
    c.origins.forEach((o, oi) => {
      if (o.snap && g) list.push({ o, i, oi, key: Math.min(g.edgeA[o.snap.edge], g.edgeB[o.snap.edge]) });
    }),
  );
  list.sort((p, q) => p.key - q.key || p.i - q.i || p.oi - q.oi);
  const n = list.length;
  t = { a: new Int32Array(n), b: new Int32Array(n), toA: new Float64Array(n), toB: new Float64Array(n), snapDist: new Float64Array(n), comm: new Int32Array(n), local: new Int32Array(n), onEdge: new Map() };
  list.forEach(({ o, i, oi }, j) => {
    const sn = o.snap!;
    t!.a[j] = g!.edgeA[sn.edge];
    t!.b[j] = g!.edgeB[sn.edge];
    t!.toA[j] = sn.toA;
    t!.toB[j] = sn.toB;
    t!.snapDist[j] = sn.snapDist;
    t!.comm[j] = i;
    t!.local[j] = oi;
    const l = t!.onEdge.get(sn.edge);
    if (l) l.push(j);
    else t!.onEdge.set(sn.edge, [j]);
  });
  originTables.set(ctx, t);
  return t;
}

/**
 * Walking distance along the edge from the nearest source on an origin's own edge, for the origins that have
 * one (few: kept per category, so sparse), with that source (the lower index among equals), in origin order.
 * Visits the sources once, not the origins.
 */
interface Along {
  /** the origins (entries of the origin table), ascending */
  j: Int32Array;
  d: Float64Array;
  s: Int32Array;
}

function alongEdges(t: OriginTable, sources: readonly Snap[]): Along {
  const d = new Float64Array(t.a.length).fill(Infinity);
  const s = new Int32Array(t.a.length).fill(-1);
  let n = 0;
  for (let si = 0; si < sources.length; si++) {
    const sn = sources[si];
    const list = t.onEdge.get(sn.edge);
    if (!list) continue;
    for (const j of list) {
      const x = sn.snapDist + Math.abs(sn.toA - t.toA[j]);
      if (x < d[j] || (x === d[j] && si < s[j])) {
        if (s[j] < 0) n++;
        d[j] = x;
        s[j] = si;
      }
    }
  }
  const out: Along = { j: new Int32Array(n), d: new Float64Array(n), s: new Int32Array(n) };
  for (let j = 0, k = 0; k < n; j++)
    if (s[j] >= 0) {
      out.j[k] = j;
      out.d[k] = d[j];
      out.s[k++] = s[j];
    }
  return out;
}

/** The nodes a category's field is read at (the ends of every origin's edge, as in AtEnds), per context. */
export function endNodes(ctx: CoverageContext): Int32Array {
  const t = originTable(ctx);
  const out = new Int32Array(2 * t.a.length);
  for (let j = 0; j < t.a.length; j++) {
    out[2 * j] = t.a[j];
    out[2 * j + 1] = t.b[j];
  }
  return out;
}

/**
 * Read a category's field at every community origin: the same rule as reachAt (either end of the origin's
 * edge, or along the edge from a source on it; equal distances → the lower source index) without allocating
 * per origin, from the field gathered at the origins' edge ends. `facilityOf` maps a source index to the
 * facility index reported.
 */
function evalField(ctx: CoverageContext, ends: AtEnds, along: Along, facilityOf: readonly number[]): CategoryEval {
  const t = originTable(ctx);
  const out = emptyEval(ctx.communities.length);
  const { toA, toB, snapDist, comm, local } = t;
  const { dist: outDist, facility: outFacility, origin: outOrigin } = out;
  const ed = ends.dist;
  const es = ends.src;
  const { j: aj, d: ad, s: as } = along;
  // the next origin with a source on its own edge
  let p = 0;
  let nextJ = aj.length > 0 ? aj[0] : -1;
  for (let j = 0; j < toA.length; j++) {
    const dA = ed[2 * j] + toA[j];
    const dB = ed[2 * j + 1] + toB[j];
    // the nearer end (A on a tie: its source is the one reported)
    let best = dB < dA ? dB : dA;
    let source = dB < dA ? es[2 * j + 1] : es[2 * j];
    if (j === nextJ) {
      const dE = ad[p];
      if (dE < best || (dE === best && dE < Infinity && as[p] < source)) {
        best = dE;
        source = as[p];
      }
      p++;
      nextJ = p < aj.length ? aj[p] : -1;
    }
    if (!(best < Infinity)) continue;
    const d = best + snapDist[j];
    // per community the nearest origin; among equals the first (origins are visited out of their order)
    const i = comm[j];
    if (d < outDist[i] || (d === outDist[i] && local[j] < outOrigin[i])) {
      outDist[i] = d;
      outFacility[i] = facilityOf[source];
      outOrigin[i] = local[j];
    }
  }
  return out;
}

function evalStraight(ctx: CoverageContext, facilities: readonly FacilityInput[], idx: readonly number[], factor: number): CategoryEval {
  const n = ctx.communities.length;
  const out = emptyEval(n);
  if (idx.length === 0) return out;
  const xs = new Float64Array(idx.length);
  const ys = new Float64Array(idx.length);
  const tree = new Flatbush(idx.length);
  idx.forEach((fi, i) => {
    const f = facilities[fi];
    const [x, y] = toXY(ctx.proj, f.geometry.coordinates[0], f.geometry.coordinates[1]);
    xs[i] = x;
    ys[i] = y;
    tree.add(x, y, x, y);
  });
  tree.finish();
  ctx.communities.forEach((c, i) => {
    c.origins.forEach((o, oi) => {
      const [j] = tree.neighbors(o.x, o.y, 1);
      const d = Math.hypot(xs[j] - o.x, ys[j] - o.y) * factor;
      if (d < out.dist[i] || (d === out.dist[i] && idx[j] < out.facility[i])) {
        out.dist[i] = d;
        out.facility[i] = idx[j];
        out.origin[i] = oi;
      }
    });
  });
  return out;
}

/** `extra` wins over `base` only where strictly nearer (its facilities come later in the list). */
function mergeEvals(base: CategoryEval, extra: CategoryEval): CategoryEval {
  const out: CategoryEval = { dist: base.dist.slice(), facility: base.facility.slice(), origin: base.origin.slice() };
  for (let i = 0; i < out.dist.length; i++)
    if (extra.dist[i] < out.dist[i]) {
      out.dist[i] = extra.dist[i];
      out.facility[i] = extra.facility[i];
      out.origin[i] = extra.origin[i];
    }
  return out;
}

/**
 * What does not depend on thresholds, kept between calls for one context and one list of loaded facilities:
 * per category the network field (distances and nearest source per node) and the per-community evaluation,
 * per straight-line factor the nearest-facility evaluation. A threshold change then costs no search; a what-if
 * facility costs one improve-only search in its category (reach.ts improveReach) from the cached field.
 */
/** A category's field as the cache keeps it: the field, its sources' facility indices, the field at the origins' ends. */
export interface CachedField {
  /** the field without its per-node sources (`src` empty) */
  field: ReachField;
  sourceFacility: number[];
  /**
   * Its values at the ends of the origins' edges (CoverageCache.ends), for the category's evaluation. Where the
   * per-node sources are kept, dropped once the category is evaluated (1 MB per category for a city of 40,000
   * gates) and read again from the field if ever needed.
   */
  ends: AtEnds | null;
  /**
   * Its per-node sources where the cache keeps them (network edits derive new fields from them), packed: 16-bit
   * while the category has fewer than 2¹⁵ sources (2 bytes per node instead of 4), else 32-bit; -1 where none.
   */
  kept: Int16Array | Int32Array | null;
}

/** An empty per-node source array: a field kept without its sources. */
const NO_SOURCES = new Int32Array(0);

export class CoverageCache {
  readonly groups: Map<string, number[]>;
  /** per category: the field (its per-node sources packed apart, if kept), and its values at every origin's edge ends */
  private fields = new Map<string, CachedField>();
  /** per category: its snapped facilities (sources) and their indices in the facility list, and its seeds */
  private sources = new Map<string, { snaps: Snap[]; sourceFacility: number[]; seeds?: Seeds }>();
  private evals = new Map<string, CategoryEval>();
  /** per list of sources (a field's): the nearest of them along each origin's own edge (no search: kept with the sources) */
  private alongs = new WeakMap<readonly Snap[], Along>();
  /**
   * Arrays of cleared fields for the next searches (no garbage of the graph's size per category): distances,
   * searches' per-node sources (kept packed, so they are scratch), packed sources
   */
  private spare: Float64Array[] = [];
  private spareSrc: Int32Array[] = [];
  private spareKept: (Int16Array | Int32Array)[] = [];
  /** snap of each loaded facility (by index), taken once (typed arrays: 60 bytes per facility) */
  private snaps: SnapTable;
  /** network searches run (tests and benchmarks read it) */
  searches = 0;
  /** fields derived incrementally from another cache's (network edits: `derive`) */
  derived = 0;
  /** categories whose field must be derived from a base cache's field on first use (see `derive`) */
  private pending = new Map<string, () => ReachField>();
  constructor(
    readonly ctx: CoverageContext,
    readonly facilities: readonly FacilityInput[],
    /** keep each field's per-node sources (network edits derive new fields from them; 2 bytes per node, packed) */
    readonly opts: { keepSources?: boolean } = {},
  ) {
    this.groups = groupIndices(facilities);
    this.snaps = new SnapTable(facilities.length);
  }

  private snapOf(i: number): Snap | null {
    if (!this.snaps.snapped(i)) this.snaps.set(i, snapFacility(this.ctx, this.facilities[i]));
    return this.snaps.at(i);
  }

  /** Forget the fields and evaluations (keep the snaps): the next coverage searches every category again. */
  clearFields(): void {
    // their distance arrays are used again by the next searches (no garbage of the graph's size per category)
    const n = this.ctx.graph?.nodeCount;
    for (const f of this.fields.values()) {
      if (f.field.dist.length === n) this.spare.push(f.field.dist);
      if (f.kept && f.kept.length === n) this.spareKept.push(f.kept);
    }
    this.fields.clear();
    this.evals.clear();
  }

  /** Snap every loaded facility now (at load, like the gates), so the first coverage only searches. */
  prepare(): this {
    for (let i = 0; i < this.facilities.length; i++) this.snapOf(i);
    return this;
  }

  /** the category's network field over the loaded facilities (sources = their snaps; sourceFacility → list index) */
  field(category: string): CachedField | null {
    const g = this.ctx.graph;
    if (!g) return null;
    const f = this.fields.get(category);
    if (f) return f;
    const { snaps, sourceFacility } = this.sourcesOf(category);
    const derive = this.pending.get(category);
    this.pending.delete(category);
    const into = () => ({ dist: this.spare.pop() ?? new Float64Array(g.nodeCount), src: this.spareSrc.pop() ?? new Int32Array(g.nodeCount) });
    const field = derive ? derive() : multiSourceReach(g, snaps, { pred: false, into: into(), seeds: this.seedsOf(category) });
    if (derive) this.derived++;
    else this.searches++;
    return this.store(category, field, sourceFacility, gatherEnds(this.ends(), field.dist, field.src));
  }

  /** the snapped facilities of a category (sources) and their indices in the facility list (once per category) */
  private sourcesOf(category: string): { snaps: Snap[]; sourceFacility: number[]; seeds?: Seeds } {
    let got = this.sources.get(category);
    if (!got) {
      const idx = this.groups.get(category) ?? [];
      const { snaps, sourceFacility } = snapAll(this.ctx, idx.map((i) => this.facilities[i]), (_, j) => this.snapOf(idx[j]));
      got = { snaps, sourceFacility: sourceFacility.map((j) => idx[j]) };
      this.sources.set(category, got);
    }
    return got;
  }

  private endList: Int32Array | null = null;
  /** the nodes every field is read at (endNodes) */
  ends(): Int32Array {
    return (this.endList ??= endNodes(this.ctx));
  }

  private store(category: string, field: ReachField, sourceFacility: number[], ends: AtEnds): CachedField {
    // the nearest source is read at the ends of the origins' edges (`ends`); the distances are needed everywhere
    // (what-ifs improve on them), the per-node sources only by network edits (kept packed, if asked); the
    // search's own source array is scratch for the next search
    const f = { field: { ...field, src: NO_SOURCES }, sourceFacility, ends, kept: this.opts.keepSources ? this.pack(field.src, field.sources.length) : null };
    if (field.src.length === this.ctx.graph?.nodeCount) this.spareSrc.push(field.src);
    this.fields.set(category, f);
    return f;
  }

  /** Per-node sources packed (CachedField.kept): a cleared field's array of the right kind reused, else a new one. */
  private pack(src: Int32Array, sources: number): Int16Array | Int32Array {
    const narrow = sources < 2 ** 15;
    const i = this.spareKept.findIndex((a) => a instanceof Int16Array === narrow && a.length === src.length);
    const out = i >= 0 ? this.spareKept.splice(i, 1)[0] : narrow ? new Int16Array(src.length) : new Int32Array(src.length);
    out.set(src); // -1 stays -1 in 16 bits; source indices below 2¹⁵ are unchanged
    return out;
  }

  /**
   * The categories among these whose field would need a full search now (not held, not derivable from a
   * base cache): what a pool of search workers can compute in parallel (worker/fieldpool.ts).
   */
  toSearch(categories: readonly string[]): string[] {
    if (!this.ctx.graph) return [];
    return [...new Set(categories)].filter((c) => !this.fields.has(c) && !this.pending.has(c));
  }

  /**
   * Arrays of fields cleared since (clearFields), for a search elsewhere to fill (a search worker, which
   * gets them transferred and sends them back filled): no new arrays of the graph's size per search.
   */
  takeSpare(): { dist?: Float64Array; src?: Int32Array } {
    return { dist: this.spare.pop(), src: this.spareSrc.pop() };
  }

  /** The seeds of a category's full search (both ends of each facility's edge), as typed arrays (read-only). */
  seedsOf(category: string): Seeds {
    const s = this.sourcesOf(category);
    return (s.seeds ??= sortSeeds(sourceSeeds(this.ctx.graph!, s.snaps)));
  }

  /**
   * A category's field searched elsewhere (a search worker) from seedsOf(category): kept as if searched here.
   * `ends`: the field already gathered at ends() by the searcher (else gathered here).
   */
  adopt(category: string, dist: Float64Array, src: Int32Array, ends?: AtEnds): void {
    const g = this.ctx.graph;
    if (!g || dist.length !== g.nodeCount || src.length !== g.nodeCount) throw new Error(`coverage: a field for "${category}" of the wrong size`);
    const n = this.ends().length;
    if (ends && (ends.dist.length !== n || ends.src.length !== n)) throw new Error(`coverage: a field for "${category}" read at the wrong nodes`);
    if (this.fields.has(category)) return; // searched here meanwhile
    const { snaps, sourceFacility } = this.sourcesOf(category);
    this.pending.delete(category);
    this.searches++;
    this.store(category, { dist, src, pred: null, sources: snaps, byEdge: new EdgeSources(snaps), cutoff: Infinity }, sourceFacility, ends ?? gatherEnds(this.ends(), dist, src));
  }

  /**
   * The cache of the same facilities on an edited network (netedit.ts), fields carried over instead of
   * searched again: a category whose field this cache holds is derived on first use — by one improve-only
   * search seeded at the added edges (reach.ts improveByEdges) when no closed segment lay on one of its
   * shortest paths (netedit.ts closureAffects), else searched afresh on the edited graph. Categories this
   * cache never searched are searched on the edited graph when asked. Needs `keepSources` here. The
   * straight-line and buffer evaluations are the same on any network (same origins, same facilities): they
   * are carried over whole, so an edit's "straight line vs walking" comparison is not computed again.
   */
  derive(ctx: CoverageContext, edited: EditedNetwork, remap?: (s: Snap) => Snap | null): CoverageCache {
    const out = new CoverageCache(ctx, this.facilities, this.opts);
    // the facilities' snaps carried over (same street points), not searched again
    if (remap)
      for (let i = 0; i < this.facilities.length; i++) {
        if (!this.snaps.snapped(i)) continue;
        const s = this.snaps.at(i);
        out.snaps.set(i, s && remap(s));
      }
    // straight-line and buffer evaluations read the origins and the facilities, not the network: kept as they are
    for (const [key, e] of this.evals) if (!key.startsWith('network|')) out.evals.set(key, e);
    const base = this.ctx.graph;
    if (!base || !ctx.graph || !this.opts.keepSources) return out;
    for (const [category, cf] of this.fields) {
      if (closureAffects(base, cf.field.dist, cf.field.sources, edited.delta.closed)) continue;
      const graph = ctx.graph;
      const kept = cf.kept;
      out.pending.set(category, () => {
        const idx = out.groups.get(category) ?? [];
        const { snaps } = snapAll(ctx, idx.map((i) => out.facilities[i]), (_, j) => out.snapOf(idx[j]));
        return improveByEdges(graph, { ...cf.field, src: Int32Array.from(kept!) }, snaps, edited.delta.added);
      });
    }
    return out;
  }

  /**
   * Walking distance, metres, from each graph node to the nearest loaded facility of the category (Infinity
   * where none is reachable); node ids as in ctx.graph. Read-only: shared with the cache.
   */
  nodeDistances(category: string): Float64Array | null {
    return this.field(category)?.field.dist ?? null;
  }

  /** Per-community nearest facility of a category in a mode, with `extra` facilities (indices ≥ facilities.length). */
  evaluate(category: string, mode: CoverageMode, factor: number, extra: readonly FacilityInput[] = []): CategoryEval {
    const key = `${mode}|${mode === 'network' ? '' : factor}|${category}`;
    let base = this.evals.get(key);
    if (!base) {
      base = this.evalBase(category, mode, factor);
      this.evals.set(key, base);
    }
    const own = extra.map((f, i) => [f, this.facilities.length + i] as const).filter(([f]) => f.properties.category === category);
    if (own.length === 0) return base;
    if (mode !== 'network') {
      const all = [...this.facilities, ...extra];
      return mergeEvals(base, evalStraight(this.ctx, all, own.map(([, i]) => i), factor));
    }
    const cf = this.field(category)!;
    const { snaps, sourceFacility } = snapAll(this.ctx, own.map(([f]) => f));
    const field = improveReach(this.ctx.graph!, cf.field, snaps);
    const along = alongEdges(originTable(this.ctx), field.sources);
    return evalField(this.ctx, gatherEnds(this.ends(), field.dist, field.src, this.endsOf(cf).src), along, [...cf.sourceFacility, ...sourceFacility.map((j) => own[j][1])]);
  }

  private evalBase(category: string, mode: CoverageMode, factor: number): CategoryEval {
    const idx = this.groups.get(category) ?? [];
    if (mode !== 'network') return evalStraight(this.ctx, this.facilities, idx, factor);
    const cf = this.field(category);
    if (!cf || cf.sourceFacility.length === 0) return emptyEval(this.ctx.communities.length);
    const sources = cf.field.sources;
    let along = this.alongs.get(sources);
    if (!along) this.alongs.set(sources, (along = alongEdges(originTable(this.ctx), sources)));
    const e = evalField(this.ctx, this.endsOf(cf), along, cf.sourceFacility);
    // the evaluation is kept (its key has no threshold); what-ifs read the sources from the kept ones
    if (cf.kept) cf.ends = null;
    return e;
  }

  /** A field's values at the origins' edge ends: as gathered after its search, or read again from the field. */
  private endsOf(cf: CachedField): AtEnds {
    return cf.ends ?? gatherEnds(this.ends(), cf.field.dist, cf.kept ?? NO_SOURCES);
  }
}

/** Distances are compared after rounding to 0.01 m so that "exactly at the threshold" counts as met. */
export function meets(distance: number, threshold: number): boolean {
  return Math.round(distance * 100) <= Math.round(threshold * 100);
}

export function rulesInForce(standard: Standard, params: CoverageParams): RuleInForce[] {
  return standard.rules.map((r) => ({ ...r, threshold: thresholdOf(r, params) }));
}

export interface ComputeOptions {
  mode?: CoverageMode;
  onProgress?: Progress;
  /**
   * Cached fields and evaluations for this context; its facility list must be the first facilities of the
   * list passed (the rest are what-if additions). Default: a fresh cache (nothing reused).
   */
  cache?: CoverageCache;
}

/**
 * Coverage as typed tables, community-major: entry i·R + k is community i, rule k (R rules). This is what
 * crosses the worker boundary (the arrays are transferred, not copied); assembleCoverage() turns it into
 * the CoverageResult the panels read.
 */
export interface CoverageTables {
  standardId: StandardId;
  requestedMode: CoverageMode;
  mode: CoverageMode;
  fallback: boolean;
  params: CoverageParams;
  rules: RuleInForce[];
  /** facilities loaded per rule's category (for the district figures) */
  facilityCounts: number[];
  /** metres, Infinity when unreachable */
  dist: Float64Array;
  /** index into the facility list (loaded facilities, then what-if ones), -1 when unreachable */
  facility: Int32Array;
  /** index of the origin (gate or centroid) within its community, -1 when unreachable */
  origin: Int32Array;
  warnings: string[];
  notices: Notice[];
}

export function coverageTables(
  ctx: CoverageContext,
  facilities: readonly FacilityInput[],
  standard: Standard,
  params: CoverageParams,
  opts: ComputeOptions = {},
): CoverageTables {
  const requestedMode = opts.mode ?? 'network';
  const fallback = requestedMode === 'network' && !ctx.graph;
  const mode: CoverageMode = fallback ? 'straight' : requestedMode;
  const rules = rulesInForce(standard, params);
  const cache = opts.cache ?? new CoverageCache(ctx, facilities);
  const base = cache.facilities;
  if (cache.ctx !== ctx || facilities.length < base.length || base.some((f, i) => facilities[i] !== f))
    throw new Error('coverage: the cache belongs to another context or facility list');
  const extra = facilities.slice(base.length);
  const groups = extra.length === 0 ? cache.groups : groupIndices(facilities);
  const warnings = [...ctx.warnings];
  const notices = [...ctx.notices];
  if (fallback) {
    warnings.push(`no road network: straight-line distance × ${params.detourFactor} is used instead of walking distance`);
    notices.push({ code: 'no-roads', params: { factor: params.detourFactor } });
  }
  const known = new Set(rules.map((r) => r.category as string));
  const unknown = [...groups.keys()].filter((k) => !known.has(k));
  if (unknown.length > 0) {
    warnings.push(`facility categories not in this standard are ignored: ${unknown.join(', ')}`);
    notices.push({ code: 'ignored-categories', params: { list: unknown.join(', ') } });
  }
  const n = ctx.communities.length;
  const R = rules.length;
  const dist = new Float64Array(n * R);
  const facility = new Int32Array(n * R);
  const origin = new Int32Array(n * R);
  const factor = mode === 'straight' ? params.detourFactor : 1;
  rules.forEach((r, k) => {
    opts.onProgress?.(k, R, r.category);
    if (!groups.has(r.category)) {
      warnings.push(`no facility of category "${r.category}" is loaded: every community lacks it`);
      notices.push({ code: 'empty-category', params: { category: r.category } });
    }
    const e = cache.evaluate(r.category, mode, factor, extra);
    for (let i = 0; i < n; i++) {
      dist[i * R + k] = e.dist[i];
      facility[i * R + k] = e.facility[i];
      origin[i * R + k] = e.origin[i];
    }
  });
  opts.onProgress?.(R, R, 'done');
  const facilityCounts = rules.map((r) => groups.get(r.category)?.length ?? 0);
  return { standardId: standard.id, requestedMode, mode, fallback, params, rules, facilityCounts, dist, facility, origin, warnings, notices };
}

/** What assembleCoverage needs of the communities (the worker sends it once per load). */
export interface CoverageLayout {
  communities: { id: string; name: string; street: string; residents: number; originKind: 'gates' | 'centroid'; origins: string[] }[];
}

export function coverageLayout(ctx: CoverageContext): CoverageLayout {
  return { communities: ctx.communities.map((c) => ({ id: c.id, name: c.name, street: c.street, residents: c.residents, originKind: c.originKind, origins: c.origins.map((o) => o.id) })) };
}

/**
 * The result objects the panels, exports and CLI read, from the tables; `facilityId(i)` names facility i.
 * With `prev` (the result this one replaces, over the same layout), every community and every category entry
 * whose values are all the same is `prev`'s very object: an edit changes the few communities near it, and a
 * panel keyed by identity (the matrix: ~1,300 cells on the default dataset) then redraws only those.
 */
export function assembleCoverage(layout: CoverageLayout, t: CoverageTables, facilityId: (i: number) => string, prev?: CoverageResult | null): CoverageResult {
  const R = t.rules.length;
  const reuse = prev && sameRules(prev.rules, t.rules) && prev.communities.length === layout.communities.length ? prev.communities : null;
  const communities: CommunityCoverage[] = layout.communities.map((c, i) => {
    const p = reuse && sameCommunity(reuse[i], c) ? reuse[i] : null;
    let same = p !== null;
    const byCategory: CategoryCoverage[] = new Array(R);
    const lacking: FacilityCategoryCode[] = [];
    for (let k = 0; k < R; k++) {
      const r = t.rules[k];
      const d = t.dist[i * R + k];
      const reachable = Number.isFinite(d);
      const met = reachable && meets(d, r.threshold);
      const distance = reachable ? round2(d) : null;
      const fid = reachable ? facilityId(t.facility[i * R + k]) : null;
      const oid = reachable ? c.origins[t.origin[i * R + k]] : null;
      const pk = p?.byCategory[k];
      if (pk && pk.distance === distance && pk.met === met && pk.facilityId === fid && pk.originId === oid) byCategory[k] = pk;
      else {
        same = false;
        byCategory[k] = { category: r.category, distance, threshold: r.threshold, met, facilityId: fid, originId: oid };
      }
      if (r.mandatory && !met) lacking.push(r.category);
    }
    if (same) return p!;
    return { id: c.id, name: c.name, street: c.street, residents: c.residents, originKind: c.originKind, byCategory, lacking, complete: lacking.length === 0 };
  });
  return {
    standardId: t.standardId,
    requestedMode: t.requestedMode,
    mode: t.mode,
    fallback: t.fallback,
    params: t.params,
    rules: t.rules,
    communities,
    figures: districtFigures(communities, t.rules, t.facilityCounts),
    warnings: t.warnings,
    notices: t.notices,
  };
}

export function computeCoverage(
  ctx: CoverageContext,
  facilities: readonly FacilityInput[],
  standard: Standard,
  params: CoverageParams,
  opts: ComputeOptions = {},
): CoverageResult {
  const t = coverageTables(ctx, facilities, standard, params, opts);
  return assembleCoverage(coverageLayout(ctx), t, (i) => facilities[i].properties.id);
}

/** the same categories with the same thresholds and flags, in the same order */
function sameRules(a: readonly RuleInForce[], b: readonly RuleInForce[]): boolean {
  return a.length === b.length && a.every((r, k) => r.category === b[k].category && r.threshold === b[k].threshold && r.mandatory === b[k].mandatory);
}

function sameCommunity(p: CommunityCoverage, c: CoverageLayout['communities'][number]): boolean {
  return p.id === c.id && p.name === c.name && p.street === c.street && p.residents === c.residents && p.originKind === c.originKind;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

export function districtFigures(
  communities: readonly CommunityCoverage[],
  rules: readonly RuleInForce[],
  /** facilities per rule (or per category), for the figures' facility column */
  facilityCounts?: readonly number[] | Map<string, FacilityInput[]>,
): DistrictFigures {
  const residents = communities.reduce((s, c) => s + c.residents, 0);
  const share = (a: number, b: number) => (b > 0 ? a / b : 0);
  const perCategory: CategoryFigure[] = rules.map((r, k) => {
    let cm = 0;
    let rm = 0;
    for (const c of communities) {
      if (c.byCategory[k].met) {
        cm++;
        rm += c.residents;
      }
    }
    return {
      category: r.category,
      tier: r.tier,
      mandatory: r.mandatory,
      threshold: r.threshold,
      facilities: Array.isArray(facilityCounts) ? facilityCounts[k] : ((facilityCounts as Map<string, FacilityInput[]> | undefined)?.get(r.category)?.length ?? 0),
      communitiesMet: cm,
      communityShare: share(cm, communities.length),
      residentsMet: rm,
      residentShare: share(rm, residents),
    };
  });
  const complete = communities.filter((c) => c.complete);
  const residentsComplete = complete.reduce((s, c) => s + c.residents, 0);
  return {
    communities: communities.length,
    residents,
    completeCommunities: complete.length,
    completeShare: share(complete.length, communities.length),
    residentsComplete,
    residentShare: share(residentsComplete, residents),
    perCategory,
  };
}

export interface FiguresDiff {
  completeCommunities: number;
  residentsComplete: number;
  perCategory: { category: FacilityCategoryCode; communitiesMet: number; residentsMet: number }[];
  /** communities whose status changed for some category: [community id, category, now met?] */
  changed: { id: string; category: FacilityCategoryCode; met: boolean; before: number | null; after: number | null }[];
}

/** Before → after difference of two results over the same communities and standard (what-if proposals). */
export function diffCoverage(before: CoverageResult, after: CoverageResult): FiguresDiff {
  const changed: FiguresDiff['changed'] = [];
  const idx = new Map(before.communities.map((c, i) => [c.id, i]));
  for (const a of after.communities) {
    const i = idx.get(a.id);
    if (i === undefined) continue;
    const b = before.communities[i];
    a.byCategory.forEach((ac, k) => {
      const bc = b.byCategory[k];
      if (bc && bc.category === ac.category && (bc.met !== ac.met || bc.distance !== ac.distance))
        changed.push({ id: a.id, category: ac.category, met: ac.met, before: bc.distance, after: ac.distance });
    });
  }
  return {
    completeCommunities: after.figures.completeCommunities - before.figures.completeCommunities,
    residentsComplete: after.figures.residentsComplete - before.figures.residentsComplete,
    perCategory: after.figures.perCategory.map((a, k) => ({
      category: a.category,
      communitiesMet: a.communitiesMet - (before.figures.perCategory[k]?.communitiesMet ?? 0),
      residentsMet: a.residentsMet - (before.figures.perCategory[k]?.residentsMet ?? 0),
    })),
    changed,
  };
}

export interface RouteProps {
  community_id: string;
  category: string;
  facility_id: string;
  origin_id: string;
  distance_m: number;
  mode: CoverageMode;
}

/**
 * The walking path from a community (its best gate) to the nearest facility of a category, as a lon/lat
 * LineString. In straight/buffer mode (or without a network) the path is the straight segment.
 * null when the category has no reachable facility.
 */
export function coverageRoute(
  ctx: CoverageContext,
  facilities: readonly FacilityInput[],
  communityId: string,
  category: string,
  mode: CoverageMode = 'network',
  detourFactor = 1.3,
): Feature<LineString, RouteProps> | null {
  const ci = ctx.index.get(communityId);
  if (ci === undefined) throw new Error(`unknown community "${communityId}"`);
  const c = ctx.communities[ci];
  const facs = facilities.filter((f) => f.properties.category === category);
  if (facs.length === 0) return null;
  const effective: CoverageMode = mode === 'network' && !ctx.graph ? 'straight' : mode;
  if (effective !== 'network') {
    const e = evalStraight({ ...ctx, communities: [c] }, facs, facs.map((_, i) => i), effective === 'straight' ? detourFactor : 1);
    if (e.facility[0] < 0) return null;
    const o = c.origins[e.origin[0]];
    const f = facs[e.facility[0]];
    return {
      type: 'Feature',
      geometry: { type: 'LineString', coordinates: [[o.lon, o.lat], f.geometry.coordinates.slice(0, 2)] },
      properties: { community_id: c.id, category, facility_id: f.properties.id, origin_id: o.id, distance_m: round2(e.dist[0]), mode: effective },
    };
  }
  const cf = categoryField(ctx, facs)!;
  let best: { coords: [number, number][]; dist: number; source: number } | null = null;
  let bestOrigin: Origin | null = null;
  for (const o of c.origins) {
    if (!o.snap) continue;
    const r = routeXY(ctx.graph!, cf.field, o.snap);
    if (r && (!best || r.dist < best.dist)) {
      best = r;
      bestOrigin = o;
    }
  }
  if (!best || !bestOrigin) return null;
  const f = facs[cf.sourceFacility[best.source]];
  const coords = best.coords.map(([x, y]) => toLonLat(ctx.proj, x, y));
  // the first and last points are the original gate and facility coordinates, kept exact
  coords[0] = [bestOrigin.lon, bestOrigin.lat];
  coords[coords.length - 1] = [f.geometry.coordinates[0], f.geometry.coordinates[1]];
  return {
    type: 'Feature',
    geometry: { type: 'LineString', coordinates: coords },
    properties: { community_id: c.id, category, facility_id: f.properties.id, origin_id: bestOrigin.id, distance_m: round2(best.dist), mode: 'network' },
  };
}

/** CSV rows as documented for the CLI: community id, category code, network distance m, threshold, met, nearest facility id. */
export function coverageCsv(result: CoverageResult): string {
  const rows: Record<string, unknown>[] = [];
  for (const c of result.communities)
    for (const b of c.byCategory)
      rows.push({ community_id: c.id, category: b.category, distance_m: b.distance === null ? '' : b.distance.toFixed(1), threshold_m: String(b.threshold), met: String(b.met), nearest_facility_id: b.facilityId ?? '' });
  return csvRows(['community_id', 'category', 'distance_m', 'threshold_m', 'met', 'nearest_facility_id'], rows, '\n') + '\n';
}

