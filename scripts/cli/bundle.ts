/**
 * `npm run planner -- bundle --communities <file> [--roads <file>] [--barriers <file>] [--max-gap 300]
 *    [--same-street | --any-street] [--max-households N] [--min-households N] [--out <file.csv|file.geojson>]`
 *
 * Groups neighbouring communities into contiguous renovation areas (连片改造) with the same modules the
 * app uses: adjacency.ts (neighbours: boundary gap ≤ max gap, no barrier between; walking gap with
 * --roads), bundle.ts (REDCAP-style constrained clustering), hull.ts and bundle-metrics.ts (GeoJSON out).
 * CSV output: community_id, bundle_id (empty when the community is in no bundle), one row per community.
 * GeoJSON output: one outline per bundle with its figures and funding split, plus the communities with
 * their bundle id. Without --out the CSV goes to stdout. A summary goes to stderr.
 */
import { writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import Papa from 'papaparse';
import type { Feature } from 'geojson';
import { readLayer } from './io.ts';
import { parseArgs } from './args.ts';
import type { BarrierFeature, BarrierKind, CommunityFeature, CommunityProps } from '../../src/lib/domain/types.ts';
import { buildAdjacency, DEFAULT_MAX_GAP_M } from '../../src/lib/analysis/adjacency.ts';
import { assignmentOf, DEFAULT_MAX_HOUSEHOLDS, generateBundles, type BundleObjective, type SizeMeasure } from '../../src/lib/analysis/bundle.ts';
import { optimiseBundles, type OptimiseOptions } from '../../src/lib/analysis/bundle-opt.ts';
import { loadSolver } from '../../src/lib/analysis/solver.ts';
import { bundleMetrics, metricsContext, summarisePlan } from '../../src/lib/analysis/bundle-metrics.ts';
import { bundleHull } from '../../src/lib/analysis/hull.ts';
import { BarrierIndex, projectionFor } from '../../src/lib/analysis/bundle-geom.ts';
import { walkGapMeasure } from '../../src/lib/analysis/bundle-walk.ts';
import { buildWalkGraph, type RoadLike } from '../../src/lib/analysis/walkgraph.ts';
import { DEFAULT_COST_PARAMS } from '../../src/lib/analysis/funding.ts';
import { STANDARDS, type StandardId } from '../../src/lib/domain/standards.ts';

export const usage = `  bundle --communities <file> [--roads <file>] [--barriers <file>] [--crs wgs84|cgcs2000|gcj02|bd09|EPSG:nnnn] [--max-gap 300] [--same-street | --any-street]
         [--max-households N] [--min-households N] [--size-by households|floor-area|investment --max-size N --min-size N]
         [--max-communities 6] [--max-span 1000] [--same-batch] [--coverage <coverage.csv> [--standard gb50180]] [--unit-cost 324.5]
         [--objective communities|households] [--method optimal|heuristic] [--out <file.csv|file.geojson>]
      group neighbouring communities into contiguous renovation bundles (连片改造); CSV: community_id,bundle_id.
      Default: the plan that bundles the most communities (or households) within the limits, proved optimal by
      the HiGHS solver where the instance allows (the summary says exact, or the gap to a bound); then the
      most compact bundles lacking the same facilities. --max-households defaults to 3000 as in the app
      ("none" lifts it).
      Neighbours: boundary gap ≤ --max-gap m (walking along --roads if given, else straight-line) and no
      barrier (--barriers: rivers, canals, rail, expressways) between them. Bundles stay in one 街道 unless
      --any-street. --coverage takes the coverage command's CSV to prefer bundles with the same gaps
      (unmet mandatory categories of --standard, as the app).`;

const BARRIER_KINDS: readonly BarrierKind[] = ['river', 'canal', 'rail', 'expressway'];

function num(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
}

/**
 * Turn read community features into what the bundler needs; each problem names the file, row and field.
 * Fields only used for figures (buildings, residents, lifts, dangerous buildings, owners' share) may be
 * absent: they count as 0 and a note says so.
 */
export function toBundleCommunities(features: Feature[], file: string, needStreet: boolean, notes: string[], sizeBy: SizeMeasure = 'households'): CommunityFeature[] {
  const missing = new Map<string, number>();
  // the size measure's field is required; the rest only feed the figures
  const required = sizeBy === 'households' ? ['households'] : ['floor_area_m2'];
  const optional = ['households', 'floor_area_m2', 'buildings', 'residents', 'lift_demand', 'dangerous_buildings', 'owner_contribution_share'].filter(
    (k) => !required.includes(k),
  );
  const out = features.map((f, i) => {
    const raw = (f.properties ?? {}) as Record<string, unknown>;
    const where = (field: string) => `${file}: row ${i + 1}${raw.id !== undefined ? ` (id ${String(raw.id)})` : ''}: field "${field}"`;
    if (!f.geometry || (f.geometry.type !== 'Polygon' && f.geometry.type !== 'MultiPolygon'))
      throw new Error(`${file}: row ${i + 1}: a community must be a Polygon or MultiPolygon, got ${f.geometry?.type ?? 'no geometry'}`);
    if (raw.id === undefined || raw.id === null || String(raw.id).trim() === '') throw new Error(`${where('id')}: missing`);
    const p: Record<string, unknown> = { ...raw, id: String(raw.id), name: raw.name === undefined ? String(raw.id) : String(raw.name) };
    for (const k of required) {
      const n = num(raw[k]);
      if (!Number.isFinite(n) || n < 0) throw new Error(`${where(k)}: expected a number ≥ 0, got ${JSON.stringify(raw[k])}`);
      p[k] = n;
    }
    for (const k of optional) {
      if (raw[k] === undefined || raw[k] === null || raw[k] === '') {
        missing.set(k, (missing.get(k) ?? 0) + 1);
        p[k] = 0;
        continue;
      }
      const n = num(raw[k]);
      if (!Number.isFinite(n) || n < 0) throw new Error(`${where(k)}: expected a number ≥ 0, got ${JSON.stringify(raw[k])}`);
      if (k === 'owner_contribution_share' && n > 1) throw new Error(`${where(k)}: a share must be between 0 and 1, got ${n}`);
      p[k] = n;
    }
    if (needStreet && (typeof raw.street !== 'string' || raw.street.trim() === ''))
      throw new Error(`${where('street')}: missing (needed to keep bundles within one 街道; pass --any-street to ignore streets)`);
    p.street = typeof raw.street === 'string' ? raw.street : '';
    const by = num(raw.batch_year);
    p.batch_year = Number.isFinite(by) ? by : null;
    return { type: 'Feature', geometry: f.geometry, properties: p as unknown as CommunityProps } as CommunityFeature;
  });
  for (const [k, n] of missing) notes.push(`${file}: "${k}" missing in ${n} row(s): counted as 0 (affects figures only)`);
  return out;
}

export function toBarriers(features: Feature[], file: string): BarrierFeature[] {
  return features.map((f, i) => {
    const raw = (f.properties ?? {}) as Record<string, unknown>;
    const t = f.geometry?.type;
    if (t !== 'Polygon' && t !== 'MultiPolygon' && t !== 'LineString' && t !== 'MultiLineString')
      throw new Error(`${file}: row ${i + 1}: a barrier must be a line or polygon, got ${t ?? 'no geometry'}`);
    const kind = (raw.kind ?? (t === 'Polygon' || t === 'MultiPolygon' ? 'river' : undefined)) as BarrierKind | undefined;
    if (!kind || !BARRIER_KINDS.includes(kind))
      throw new Error(`${file}: row ${i + 1}: field "kind": expected one of ${BARRIER_KINDS.join(', ')}, got ${JSON.stringify(raw.kind)}`);
    return {
      type: 'Feature',
      geometry: f.geometry,
      properties: { synthetic: raw.synthetic === true, source: String(raw.source ?? file), id: String(raw.id ?? `barrier-${i + 1}`), name: (raw.name as string) ?? null, kind },
    } as BarrierFeature;
  });
}

/**
 * Gaps per community from the coverage command's CSV: rows whose `met` is false, restricted to the
 * categories in `only` when given (the standard's mandatory ones, as the app's `lacking`).
 */
export function gapsFromCoverageCsv(text: string, file: string, only?: ReadonlySet<string>): Record<string, string[]> {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true });
  const h = parsed.meta.fields ?? [];
  const idKey = h.find((x) => /^(community_id|community)$/i.test(x.trim()));
  const catKey = h.find((x) => /^(category|category_code)$/i.test(x.trim()));
  const metKey = h.find((x) => /^met$/i.test(x.trim()));
  if (!idKey || !catKey || !metKey) throw new Error(`${file}: expected columns community_id, category, met (the coverage command's CSV); found ${h.join(', ')}`);
  const gaps: Record<string, string[]> = {};
  parsed.data.forEach((r, i) => {
    const met = String(r[metKey]).trim().toLowerCase();
    if (met !== 'true' && met !== 'false') throw new Error(`${file}: row ${i + 2}: field "met": expected true or false, got ${JSON.stringify(r[metKey])}`);
    const id = String(r[idKey]);
    gaps[id] ??= [];
    if (met === 'false' && (!only || only.has(String(r[catKey])))) gaps[id].push(String(r[catKey]));
  });
  return gaps;
}

function positive(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name}: expected a number ≥ 0, got "${v}"`);
  return n;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    values: [
      'communities',
      'roads',
      'barriers',
      'max-gap',
      'max-households',
      'min-households',
      'size-by',
      'max-size',
      'min-size',
      'max-communities',
      'max-span',
      'coverage',
      'unit-cost',
      'standard',
      'out',
      'crs',
      'objective',
      'method',
    ],
    flags: ['same-street', 'any-street', 'same-batch'],
  });
  const file = args.values.communities;
  if (!file) {
    console.error(`bundle: --communities <file> is required\n${usage}`);
    return 2;
  }
  if (args.flags.has('same-street') && args.flags.has('any-street')) throw new Error('--same-street and --any-street contradict each other');
  const sameStreet = !args.flags.has('any-street');
  const sizeBy = (args.values['size-by'] ?? 'households').replace('floor-area', 'floor_area_m2') as SizeMeasure;
  if (!['households', 'floor_area_m2', 'investment'].includes(sizeBy))
    throw new Error(`--size-by: expected households, floor-area or investment, got "${args.values['size-by']}"`);
  if (sizeBy !== 'households' && (args.values['max-households'] || args.values['min-households']))
    throw new Error('--max-households/--min-households need --size-by households (use --max-size/--min-size)');
  const notes: string[] = [];
  const communities = toBundleCommunities(await readLayer(file, { crs: args.values.crs }), basename(file), sameStreet, notes, sizeBy);
  if (communities.length === 0) throw new Error(`${file}: no communities with a geometry`);
  const barriers = args.values.barriers ? toBarriers(await readLayer(args.values.barriers, { crs: args.values.crs }), basename(args.values.barriers)) : [];
  let walk;
  if (args.values.roads) {
    const roads = await readLayer(args.values.roads, { kind: 'roads', crs: args.values.crs });
    const g = buildWalkGraph(roads as unknown as RoadLike[]); // RoadProps has no index signature; shapes match
    if (g.edgeCount === 0) throw new Error(`${args.values.roads}: no walkable road lines`);
    walk = walkGapMeasure(g, `walking network (${basename(args.values.roads)})`);
  }
  const maxGapM = positive('max-gap', args.values['max-gap']) ?? DEFAULT_MAX_GAP_M;
  const unitCost = positive('unit-cost', args.values['unit-cost']);
  const standardId = (args.values.standard ?? 'gb50180') as StandardId;
  if (!(standardId in STANDARDS)) throw new Error(`--standard: expected ${Object.keys(STANDARDS).join(' or ')}, got "${args.values.standard}"`);
  const mandatory = new Set(STANDARDS[standardId].rules.filter((r) => r.mandatory).map((r) => r.category as string));
  const gaps = args.values.coverage ? gapsFromCoverageCsv(readFileSync(args.values.coverage, 'utf8'), basename(args.values.coverage), mandatory) : undefined;
  const objective = (args.values.objective ?? 'communities') as BundleObjective;
  if (objective !== 'communities' && objective !== 'households') throw new Error(`--objective: expected communities or households, got "${args.values.objective}"`);
  const method = args.values.method ?? 'optimal';
  if (method !== 'optimal' && method !== 'heuristic') throw new Error(`--method: expected optimal or heuristic, got "${args.values.method}"`);
  // the app's household cap unless the user sets one, lifts it ("none") or bounds another measure
  const maxHh = args.values['max-households'];
  const maxSize =
    maxHh === 'none'
      ? undefined
      : (positive('max-households', maxHh) ?? positive('max-size', args.values['max-size']) ?? (sizeBy === 'households' ? DEFAULT_MAX_HOUSEHOLDS : undefined));
  const options: OptimiseOptions = {
    objective,
    sameStreet,
    sameBatchYear: args.flags.has('same-batch'),
    sizeMeasure: sizeBy,
    maxSize,
    minSize: positive('min-households', args.values['min-households']) ?? positive('min-size', args.values['min-size']),
    maxCommunities: positive('max-communities', args.values['max-communities']),
    maxSpanM: positive('max-span', args.values['max-span']),
    gaps,
    costParams: { ...DEFAULT_COST_PARAMS, ...(unitCost !== undefined ? { unitCostCnyPerM2: unitCost } : {}) },
  };

  const adj = buildAdjacency(communities, { maxGapM, barriers, walk });
  const plan = method === 'heuristic' ? generateBundles(communities, adj, options) : optimiseBundles(communities, adj, options, await loadSolver());
  const asg = assignmentOf(plan);
  const out = args.values.out;
  if (out && out.toLowerCase().endsWith('.geojson')) {
    const proj = projectionFor(communities.map((c) => c.geometry));
    const bidx = new BarrierIndex(
      barriers.map((b) => b.geometry),
      proj,
    );
    const byId = new Map(communities.map((c) => [c.properties.id, c] as const));
    const ctx = metricsContext(communities, adj, plan.options, { gaps });
    const feats: Feature[] = [];
    const metrics = plan.bundles.map((b) => {
      const h = bundleHull(
        b.members.map((id) => byId.get(id)!),
        adj.edges,
        proj,
        { barrierIndex: bidx },
      );
      const m = bundleMetrics(b, ctx, h.polsbyPopper);
      feats.push({
        type: 'Feature',
        geometry: h.geometry,
        properties: {
          kind: 'bundle',
          bundle_id: b.id,
          members: b.members.join(';'),
          communities: m.communities,
          households: m.households,
          buildings: m.buildings,
          floor_area_m2: m.floorAreaM2,
          investment_cny: m.funding.totalCny,
          city_cny: m.funding.cityCny,
          district_fiscal_cny: m.funding.district.fiscalCny,
          owners_cny: m.funding.owners.fundsCny,
          outside_base_cny: m.funding.outsideBase.totalCny,
          lacking_all: m.lackingAll.join(';'),
          compactness: m.compactness,
          violations: m.violations.map((v) => v.kind).join(';'),
        },
      });
      return m;
    });
    for (const c of communities)
      feats.push({ type: 'Feature', geometry: c.geometry, properties: { kind: 'community', community_id: c.properties.id, name: c.properties.name, bundle_id: asg[c.properties.id] } });
    const summary = summarisePlan(metrics, communities.length);
    await writeFile(
      out,
      JSON.stringify({
        type: 'FeatureCollection',
        properties: { method: plan.method, quality: plan.quality ?? null, adjacency: adj.measure, maxGapM, options: { ...plan.options, gaps: undefined }, summary },
        features: feats,
      }) + '\n',
    );
  } else {
    const rows = communities.map((c) => ({ community_id: c.properties.id, bundle_id: asg[c.properties.id] ?? '' }));
    const csv = Papa.unparse(rows, { columns: ['community_id', 'bundle_id'], newline: '\n' }) + '\n';
    if (out) await writeFile(out, csv);
    else process.stdout.write(csv);
  }
  for (const n of notes) console.error(`note: ${n}`);
  console.error(
    `bundle: ${plan.bundles.length} bundles of ${communities.length - plan.unbundled.length} communities, ${plan.unbundled.length} unbundled; ` +
      `neighbours by ${adj.measure === 'walking' ? adj.walkName : 'straight-line'} gap ≤ ${maxGapM} m (${adj.edges.length} pairs, ${adj.blocked.length} blocked); ` +
      `${plan.method}${out ? ` → ${out}` : ''}`,
  );
  const q = plan.quality;
  if (q) {
    const what = q.objective === 'households' ? 'households' : 'communities';
    console.error(
      q.status === 'exact'
        ? `bundle: exact — ${q.value} ${what} in bundles, proved optimal (no valid bundling includes more; REDCAP alone: ${q.heuristicValue})`
        : `bundle: gap — ${q.value} ${what} in bundles, at most ${q.bound} possible (gap ${q.bound - q.value}; ${q.exactComponents} of ${q.components} parts solved exactly; REDCAP alone: ${q.heuristicValue})`,
    );
  }
  return 0;
}
