/**
 * `npm run planner -- score --communities <file> [--rubric <file>] [--out <file.csv>]`
 * Scores and ranks communities with the same modules the app uses (src/lib/analysis/score.ts, rank.ts).
 * Output CSV: id, name, points per criterion, total, eligible, reason, incomplete, rank (sorted by rank).
 * Without --rubric the default rubric is used (默认评分标准, not the official 附件4, which is not public).
 * Rows are read and checked by the import pipeline (io.ts); any rejected row: nothing written, exit 1;
 * with --keep-going the valid rows are scored and written, still exit 1. Fields the file does not give
 * (建成年代, 违建, consent) are unknown: their criteria score 0 and the row says "incomplete data: …".
 */
import { readFile, writeFile } from 'node:fs/promises';
import { csvRows } from '../../src/lib/data/export/cells.ts';
import { newRowReport, readLayer } from './io.ts';
import { parseArgs } from './args.ts';
import { defaultRubric } from '../../src/lib/domain/rubric-default.ts';
import { FACTS, parseRubric } from '../../src/lib/analysis/rubric.ts';
import { scoreAll, type RecordFact } from '../../src/lib/analysis/score.ts';
import { rank, TIE_BREAK_RULE } from '../../src/lib/analysis/rank.ts';

export const usage = `  score --communities <file> [--rubric <rubric.json>] [--out <file.csv>] [--crs wgs84|cgcs2000|gcj02|bd09|EPSG:nnnn] [--keep-going]
      score and rank communities (GeoJSON/FGB/CSV/XLSX…); default rubric = geodata/standards/scoring-default.csv (not the official 附件4);
      a rejected row: nothing written, exit 1 (--keep-going: the valid rows, exit 1)`;

export async function run(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs(argv, { values: ['communities', 'rubric', 'out', 'crs'], flags: ['keep-going'] });
  } catch (e) {
    console.error(`score: ${(e as Error).message}\n${usage}`);
    return 2;
  }
  const file = args.values.communities;
  if (!file) {
    console.error(`score: --communities <file> is required\n${usage}`);
    return 2;
  }
  const rubric = args.values.rubric ? parseRubricFile(args.values.rubric, await readFile(args.values.rubric, 'utf8')) : defaultRubric();
  // the import pipeline types and checks every row (as `import` and the app do); rows with an error are
  // reported there, once, and never scored
  const report = newRowReport();
  const features = await readLayer(file, { kind: 'communities', crs: args.values.crs, rows: report });
  if (report.rejected && !args.flags.has('keep-going')) {
    console.error(`score: ${report.rejected} row(s) rejected: nothing written (fix the file, or pass --keep-going to score the valid rows)`);
    return 1;
  }
  if (features.length === 0) throw new Error(`${file}: no communities with a geometry`);
  const records = features.map((f) => f.properties);
  const byId = new Map(records.map((p) => [p.id, p]));
  const ranked = rank(scoreAll(records, rubric), (id) => byId.get(id)!);
  const codes = rubric.criteria.filter((c) => c.enabled).map((c) => c.code);
  const rows = ranked.map((r) => {
    const row: Record<string, string | number> = { id: r.id, name: byId.get(r.id)!.name };
    for (const c of codes) row[c] = r.points[c];
    row.total = r.total;
    row.eligible = r.eligible ? 'yes' : 'no';
    row.reason = r.reasons.map((x) => `${x.code}: ${x.en}`).join(' | ');
    row.incomplete = incompleteText(r.incomplete);
    row.rank = r.rank;
    return row;
  });
  const csv = csvRows(['id', 'name', ...codes, 'total', 'eligible', 'reason', 'incomplete', 'rank'], rows, '\n') + '\n';
  if (args.values.out) await writeFile(args.values.out, csv);
  else process.stdout.write(csv);
  const eligible = ranked.filter((r) => r.eligible).length;
  const analysis = new Set(['SC07', 'SC08']);
  const missing = [...new Set(ranked.flatMap((r) => r.missing.filter((c) => analysis.has(c))))];
  const incomplete = ranked.filter((r) => r.incomplete.length);
  console.error(
    `score: ${ranked.length} communities, ${eligible} eligible; rubric "${rubric.name.en}"${rubric.official ? '' : ' [not official]'}` +
      (missing.length ? `; scored without analysis data: ${missing.join(', ')}` : '') +
      (incomplete.length
        ? `\nscore: ${incomplete.length} with incomplete data (criteria needing the missing fields score 0): ` +
          incomplete.map((r) => `${byId.get(r.id)!.name} (${r.id}): ${r.incomplete.map((k) => FACTS[k].en).join(', ')}`).join('; ')
        : '') +
      `\n${TIE_BREAK_RULE.en}` +
      (report.rejected ? `\nscore: ${report.rejected} row(s) rejected and left out (--keep-going)` : '') +
      (args.values.out ? `\nwrote ${args.values.out}` : ''),
  );
  return report.rejected ? 1 : 0;
}

/** "incomplete data: build year; illegal structures cleared" for the CSV column; empty when complete. */
function incompleteText(fields: readonly RecordFact[]): string {
  return fields.length ? `incomplete data: ${fields.map((k) => FACTS[k].en).join('; ')}` : '';
}

function parseRubricFile(path: string, text: string) {
  try {
    return parseRubric(text);
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
}
