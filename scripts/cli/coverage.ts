/**
 * `npm run planner -- coverage --communities <file> --facilities <file> [--roads <file>] [--gates <file>] [--metro <file>]
 *    [--standard gb50180|complete-community] [--mode network|straight|buffer] [--strict]
 *    [--walk-speed <m/min>] [--detour <factor>] [--out <file.csv|file.geojson>]`
 *
 * 15-minute life-circle coverage with the same modules the app uses (src/lib/analysis/coverage.ts).
 * CSV output (default, to stdout without --out): one row per community and category:
 *   community_id, category, distance_m (empty if unreachable), threshold_m, met (true/false), nearest_facility_id
 * GeoJSON output: the communities with, per category, `<category>_m`, `<category>_met`, `<category>_facility`,
 * plus `lacking` (mandatory categories not met) and `complete`.
 * Without --roads the distance is the straight line × detour factor (default 1.3), and the command says so.
 */
import { writeFile } from 'node:fs/promises';
import type { Feature, FeatureCollection } from 'geojson';
import { newRowReport, readLayer } from './io.ts';
import { parseArgs } from './args.ts';
import { DEFAULT_PARAMS, STANDARDS, STRICT_15_MIN_M, checkParams, isStandardId, type CoverageParams } from '../../src/lib/domain/standards.ts';
import { FACILITY_CATEGORIES } from '../../src/lib/domain/types.ts';
import { buildWalkGraph, type RoadLike } from '../../src/lib/analysis/walkgraph.ts';
import {
  computeCoverage,
  coverageCsv,
  prepareCoverage,
  type CommunityInput,
  type CoverageMode,
  type CoverageResult,
  type FacilityInput,
  type GateInput,
} from '../../src/lib/analysis/coverage.ts';

export const usage = `  coverage --communities <file> --facilities <file> [--roads <file>] [--gates <file>] [--metro <file>] [--crs wgs84|cgcs2000|gcj02|bd09|EPSG:nnnn]
           [--standard gb50180|complete-community] [--mode network|straight|buffer] [--strict]
           [--walk-speed <m/min>] [--detour <factor>] [--out <file.csv|file.geojson>] [--keep-going]
      15-minute life-circle coverage per community and category (GeoJSON/FGB/CSV with lon/lat).
      CSV: community_id,category,distance_m (empty if unreachable),threshold_m,met,nearest_facility_id.
      Gates (community_id column) are where residents leave; without them the centroid is used.
      --metro adds metro stations as category "metro"; --strict uses 800 m for the 15-minute tier.
      Without --roads: straight line × detour factor (default 1.3).
      A rejected row: nothing written, exit 1 (--keep-going: the valid rows, exit 1).`;

const MODES: CoverageMode[] = ['network', 'straight', 'buffer'];

function num(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name}: expected a number, got "${v}"`);
  return n;
}

export async function run(argv: string[]): Promise<number> {
  const a = parseArgs(argv, {
    values: ['communities', 'facilities', 'roads', 'gates', 'metro', 'standard', 'mode', 'out', 'walk-speed', 'detour', 'crs'],
    flags: ['strict', 'help', 'keep-going'],
  });
  if (a.flags.has('help')) {
    console.log(usage);
    return 0;
  }
  const missing = ['communities', 'facilities'].filter((k) => !a.values[k]);
  if (missing.length > 0) {
    console.error(`coverage: missing ${missing.map((m) => `--${m}`).join(' and ')}\n${usage}`);
    return 2;
  }
  const standardId = a.values.standard ?? 'gb50180';
  if (!isStandardId(standardId)) {
    console.error(`coverage: --standard must be gb50180 or complete-community, got "${standardId}"`);
    return 2;
  }
  const mode = (a.values.mode ?? 'network') as CoverageMode;
  if (!MODES.includes(mode)) {
    console.error(`coverage: --mode must be one of ${MODES.join(', ')}, got "${mode}"`);
    return 2;
  }
  const out = a.values.out;
  if (out && !/\.(csv|geojson|json)$/i.test(out)) {
    console.error(`coverage: --out must end in .csv or .geojson, got "${out}"`);
    return 2;
  }
  const params: CoverageParams = {
    ...DEFAULT_PARAMS,
    tierDistanceM: { ...DEFAULT_PARAMS.tierDistanceM, ...(a.flags.has('strict') ? { 15: STRICT_15_MIN_M } : {}) },
    walkSpeedMPerMin: num(a.values['walk-speed'], 'walk-speed') ?? DEFAULT_PARAMS.walkSpeedMPerMin,
    detourFactor: num(a.values.detour, 'detour') ?? DEFAULT_PARAMS.detourFactor,
  };
  const problems = checkParams(params);
  if (problems.length > 0) {
    console.error(`coverage: ${problems.join('; ')}`);
    return 2;
  }

  // rows with an error are reported by the importer and left out; then nothing is written (exit 1) unless --keep-going
  const rows = newRowReport();
  const communities = (await readLayer(a.values.communities, { kind: 'communities', crs: a.values.crs, rows })) as unknown as CommunityInput[];
  const facilities = (await readLayer(a.values.facilities, { kind: 'facilities', crs: a.values.crs, rows })) as unknown as FacilityInput[];
  const roads = a.values.roads ? ((await readLayer(a.values.roads, { kind: 'roads', crs: a.values.crs, rows })) as unknown as RoadLike[]) : [];
  if (rows.rejected && !a.flags.has('keep-going')) {
    console.error(`coverage: ${rows.rejected} row(s) rejected: nothing written (fix the files, or pass --keep-going to measure the valid rows)`);
    return 1;
  }
  if (a.values.metro) {
    // metro stations (their own layer in the default dataset) count as facilities of category "metro"
    const metro = await readLayer(a.values.metro, { crs: a.values.crs });
    for (const m of metro) facilities.push({ ...m, properties: { ...m.properties, id: String(m.properties?.id), category: 'metro' } } as FacilityInput);
  }
  const gates = a.values.gates ? ((await readLayer(a.values.gates, { crs: a.values.crs })) as unknown as GateInput[]) : [];
  checkInputs(communities, facilities, gates, a.values);

  const graph = roads.length > 0 ? buildWalkGraph(roads) : null;
  if (a.values.roads && (!graph || graph.edgeCount === 0)) console.error(`coverage: ${a.values.roads} holds no walkable road lines`);
  const ctx = prepareCoverage(communities, gates, graph);
  const result = computeCoverage(ctx, facilities, STANDARDS[standardId], params, { mode });
  for (const w of result.warnings) console.error(`coverage: note: ${w}`);
  if (gates.length === 0) console.error('coverage: note: no --gates given; distances start at each community centroid');
  console.error(
    `coverage: ${STANDARDS[standardId].zh}; mode ${result.mode}${result.fallback ? ' (fallback: no roads)' : ''}; ` +
      `${result.figures.completeCommunities}/${result.figures.communities} communities complete ` +
      `(${(result.figures.residentShare * 100).toFixed(1)}% of residents)`,
  );

  const text = out && /\.(geojson|json)$/i.test(out) ? JSON.stringify(toGeoJSON(communities, result)) + '\n' : coverageCsv(result);
  if (out) await writeFile(out, text);
  else process.stdout.write(text);
  if (rows.rejected) console.error(`coverage: ${rows.rejected} row(s) rejected and left out (--keep-going)`);
  return rows.rejected ? 1 : 0;
}

/** Specific messages for inputs that would otherwise give silently empty results. */
function checkInputs(communities: CommunityInput[], facilities: FacilityInput[], gates: GateInput[], files: Record<string, string>) {
  communities.forEach((c, i) => {
    const t = c.geometry?.type;
    if (t !== 'Polygon' && t !== 'MultiPolygon' && t !== 'Point')
      throw new Error(`${files.communities}: row ${i + 1} (id ${c.properties.id}): geometry must be a polygon or a lon/lat point, got ${t ?? 'none'}`);
  });
  const known = new Set<string>(FACILITY_CATEGORIES);
  facilities.forEach((f, i) => {
    if (f.geometry?.type !== 'Point') throw new Error(`${files.facilities}: row ${i + 1} (id ${f.properties.id}): facilities must be points (lon/lat)`);
    if (typeof f.properties.category !== 'string' || !known.has(f.properties.category))
      throw new Error(
        `${files.facilities}: row ${i + 1} (id ${f.properties.id}): field "category": "${String(f.properties.category)}" is not a known category (${FACILITY_CATEGORIES.join(', ')})`,
      );
  });
  gates.forEach((g, i) => {
    if (g.geometry?.type !== 'Point') throw new Error(`${files.gates}: row ${i + 1}: gates must be points (lon/lat)`);
    if (!g.properties.community_id) throw new Error(`${files.gates}: row ${i + 1} (id ${g.properties.id}): field "community_id" is empty`);
  });
}

function toGeoJSON(communities: CommunityInput[], r: CoverageResult): FeatureCollection {
  const byId = new Map(r.communities.map((c) => [c.id, c]));
  const features: Feature[] = communities.map((c) => {
    const cc = byId.get(c.properties.id)!;
    const props: Record<string, unknown> = { id: c.properties.id, name: c.properties.name ?? null, lacking: cc.lacking.join(' '), complete: cc.complete };
    for (const b of cc.byCategory) {
      props[`${b.category}_m`] = b.distance;
      props[`${b.category}_met`] = b.met;
      props[`${b.category}_facility`] = b.facilityId;
    }
    return { type: 'Feature', geometry: c.geometry, properties: props };
  });
  return {
    type: 'FeatureCollection',
    features,
    // non-standard member, kept by most tools: what the figures mean
    ...({ properties: { standard: r.standardId, mode: r.mode, fallback: r.fallback, figures: r.figures } } as object),
  } as FeatureCollection;
}
