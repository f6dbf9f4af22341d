/**
 * planner import: the app's import pipeline, headless.
 *   npm run planner -- import --in <file> [--kind communities|facilities|roads|spare_sites] [--sheet <name>]
 *       [--crs wgs84|cgcs2000|gcj02|bd09|EPSG:nnnn] [--mapping <file.json>] [--write-mapping <file.json>]
 *       --out <file.geojson|file.fgb|file.csv>
 * --swap-xy exchanges the X/Y columns (northing given as X); when they look swapped, stderr says so and how to fix it.
 * Problems go to stderr as "severity: file [sheet] row N column "X": why (value: …)"; the exit code is 1
 * when any row is rejected (nothing is written then unless --keep-going), 2 for usage errors.
 */
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from './args.ts';
import { prepareFile, swapAdvice } from './io.ts';
import { exportLayer } from '../../src/lib/data/export/index.ts';
import { allIssues, formatIssue, formatName } from '../../src/lib/data/import/index.ts';
import { IMPORT_KINDS, fieldsOf, type ImportKind } from '../../src/lib/data/import/fields.ts';
import { crsLabel } from '../../src/lib/data/crs.ts';

export const usage = `  import --in <file> --out <file.geojson|file.fgb|file.csv> [--kind communities|facilities|roads|spare_sites] [--sheet <name>]
         [--crs wgs84|cgcs2000|gcj02|bd09|EPSG:nnnn] [--mapping <file.json>] [--write-mapping <file.json>] [--swap-xy] [--keep-going]
      import CSV (UTF-8/GBK), XLSX, GeoJSON, zipped shapefile, FlatGeobuf or OSM XML into the planner's model (WGS84);
      problems on stderr with file, row, column and reason; exit code 1 when any row is rejected`;

export async function run(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs(argv, { values: ['in', 'out', 'kind', 'sheet', 'crs', 'mapping', 'write-mapping'], flags: ['keep-going', 'swap-xy'] });
  } catch (e) {
    console.error(`import: ${(e as Error).message}\n${usage}`);
    return 2;
  }
  const { values } = args;
  if (!values.in || !values.out) {
    console.error(`import: --in and --out are required\n${usage}`);
    return 2;
  }
  if (!/\.(geojson|json|fgb|csv)$/i.test(values.out)) {
    console.error(`import: --out must end in .geojson, .fgb or .csv, got "${values.out}"`);
    return 2;
  }
  if (values.kind && !IMPORT_KINDS.includes(values.kind as ImportKind)) {
    console.error(`import: --kind must be one of ${IMPORT_KINDS.join(', ')}, got "${values.kind}"`);
    return 2;
  }
  let p;
  try {
    p = await prepareFile(values.in, { kind: values.kind as ImportKind | undefined, crs: values.crs, mapping: values.mapping, sheet: values.sheet, swapXY: args.flags.has('swap-xy') });
  } catch (e) {
    console.error(`import: ${(e as Error).message}`);
    return 1;
  }
  const file = basename(values.in);
  const s = p.staged;
  const err = (l: string) => console.error(l);
  err(`import: ${file}: ${formatName(p.source.format)}, ${p.source.sheets.length > 1 ? `sheet/layer "${p.sheet.name}" of ${p.source.sheets.map((x) => `"${x.name}"`).join(', ')}, ` : ''}${p.sheet.rows.length} rows, read as ${s.kind}`);
  for (const n of p.sheet.notes) err(`import: note: ${n.en}`);
  const fields = s.kind === 'barriers' ? [] : fieldsOf(s.kind);
  const mapped = fields.filter((f) => p.mapping.columns[f.key]).map((f) => `${f.key} ← "${p.mapping.columns[f.key]}"`);
  if (mapped.length) err(`import: columns: ${mapped.join(', ')}`);
  if (p.guess.unit) err(`import: floor area unit: ${p.mapping.areaUnit === 'wan_m2' ? '万m² (×10,000)' : 'm²'} (${p.guess.unit.reason.en})`);
  err(`import: coordinates: ${crsLabel(p.crs, 'en')}${values.crs ? ' (--crs)' : ` (${p.crsGuess.reason.en})`}${args.flags.has('swap-xy') ? `, X/Y swapped (--swap-xy): lon ← "${p.mapping.columns.lon}", lat ← "${p.mapping.columns.lat}"` : ''}`);
  if (p.swap) err(`import: ${swapAdvice(p.swap, true)}`);
  const pl = s.placement;
  err(`import: placement: ${pl.total} positions, ${pl.outside} outside Jiangbei, ${pl.farAway} more than 20 km away`);
  if (s.roads)
    err(`import: road network: ${s.roads.ways} ways, ${s.roads.edges} edges, ${s.roads.length_km.toFixed(2)} km (footways ${s.roads.footway_km.toFixed(2)} km), ${s.roads.components} connected component(s), largest ${(s.roads.largest_component_share * 100).toFixed(1)}% of length, ${s.roads.bridges} bridge(s)`);
  const infoCounts = new Map<string, number>();
  for (const i of allIssues(s)) {
    if (i.severity === 'info' && i.code !== 'totals_row') infoCounts.set(i.message.en, (infoCounts.get(i.message.en) ?? 0) + 1);
    else err(formatIssue(i));
  }
  for (const [m, n] of infoCounts) err(`info: ${file}: ${n} row(s): ${m}`);
  err(`import: ${s.counts.ok} ok, ${s.counts.unlocated} unlocated (未定位), ${s.counts.skipped} skipped, ${s.counts.error} rejected`);

  if (values['write-mapping']) {
    await writeFile(values['write-mapping'], JSON.stringify({ ...p.mapping, crs: p.crs }, null, 2) + '\n');
    err(`import: mapping written to ${values['write-mapping']} (edit it and pass it back with --mapping)`);
  }
  const rejected = s.counts.error + s.notes.filter((n) => n.severity === 'error').length;
  if (rejected && !args.flags.has('keep-going')) {
    err(`import: ${rejected} problem(s): nothing written (fix the file, pass --mapping/--crs, or --keep-going to write the accepted rows)`);
    return 1;
  }
  const features = [
    ...s.rows.filter((r) => r.feature).map((r) => r.feature!),
    // unlocated rows keep their record with a null geometry (GeoJSON/CSV); FlatGeobuf cannot hold them
    ...s.rows.filter((r) => r.unlocated).map((r) => ({ type: 'Feature' as const, geometry: null, properties: r.unlocated! })),
  ];
  const format = /\.fgb$/i.test(values.out) ? 'fgb' : /\.csv$/i.test(values.out) ? 'csv' : 'geojson';
  if (format === 'fgb' && s.counts.unlocated) err(`import: note: ${s.counts.unlocated} unlocated row(s) are not in the .fgb (it needs a geometry); use .geojson or .csv to keep them`);
  const out = exportLayer(features, format, { layer: s.kind, attribution: [`${file} (imported ${s.counts.ok + s.counts.unlocated} records)`] });
  await writeFile(values.out, out.bytes);
  err(`import: wrote ${values.out}`);
  return rejected ? 1 : 0;
}
