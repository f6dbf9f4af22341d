/**
 * `npm run planner -- score --communities <file> [--rubric <file>] [--out <file.csv>]`
 * Scores and ranks communities with the same modules the app uses (src/lib/analysis/score.ts, rank.ts).
 * Output CSV: id, name, points per criterion, total, eligible, reason, rank (sorted by rank).
 * Without --rubric the default rubric is used (默认评分标准, not the official 附件4, which is not public).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { csvRows } from '../../src/lib/data/export/cells.ts';
import { readLayer } from './io.ts';
import { parseArgs } from './args.ts';
import type { CommunityProps } from '../../src/lib/domain/types.ts';
import { defaultRubric } from '../../src/lib/domain/rubric-default.ts';
import { parseRubric } from '../../src/lib/analysis/rubric.ts';
import { scoreAll } from '../../src/lib/analysis/score.ts';
import { rank, TIE_BREAK_RULE } from '../../src/lib/analysis/rank.ts';

export const usage = `  score --communities <file> [--rubric <rubric.json>] [--out <file.csv>] [--crs wgs84|cgcs2000|gcj02|bd09|EPSG:nnnn]
      score and rank communities (GeoJSON/FGB/CSV); default rubric = geodata/standards/scoring-default.csv (not the official 附件4)`;

const NUMBERS = [
  'build_year',
  'households',
  'buildings',
  'floor_area_m2',
  'residents',
  'dangerous_buildings',
  'lift_demand',
  'consent_area_share',
  'consent_headcount_share',
  'owner_contribution_share',
  'illegal_cleared_share',
] as const;
const ENUMS = {
  property_mgmt: ['professional', 'self', 'none'],
  maintenance_fund: ['established', 'committed', 'none'],
  safety_hazard: ['confirmed', 'partial', 'none'],
  housing_type: ['commodity', 'danwei', 'resettlement'],
} as const;
const SHARES = new Set(['consent_area_share', 'consent_headcount_share', 'owner_contribution_share', 'illegal_cleared_share']);

/**
 * Turn a read feature's properties into a CommunityProps the scorer can trust; CSV cells are text, so
 * numbers and booleans are parsed here. Every problem names the file, the row and the field.
 */
export function toCommunityProps(raw: Record<string, unknown>, file: string, row: number): CommunityProps {
  const where = (field: string) => `${file}: row ${row}${raw.id ? ` (id ${String(raw.id)})` : ''}: field "${field}"`;
  const p: Record<string, unknown> = { ...raw };
  for (const k of NUMBERS) {
    const v = raw[k];
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (!Number.isFinite(n)) throw new Error(`${where(k)}: expected a number, got ${JSON.stringify(v)}`);
    if (SHARES.has(k) && (n < 0 || n > 1)) throw new Error(`${where(k)}: a share must be between 0 and 1, got ${n}`);
    p[k] = n;
  }
  for (const [k, allowed] of Object.entries(ENUMS)) {
    const v = raw[k];
    if (!(allowed as readonly unknown[]).includes(v)) throw new Error(`${where(k)}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  }
  const tp = raw.third_party_funding;
  if (tp === true || tp === 'true' || tp === '1' || tp === 1) p.third_party_funding = true;
  else if (tp === false || tp === 'false' || tp === '0' || tp === 0 || tp === '' || tp === undefined || tp === null) p.third_party_funding = false;
  else throw new Error(`${where('third_party_funding')}: expected true or false, got ${JSON.stringify(tp)}`);
  if (typeof raw.id !== 'string' && typeof raw.id !== 'number') throw new Error(`${where('id')}: missing`);
  p.id = String(raw.id);
  p.name = raw.name === undefined ? p.id : String(raw.name);
  return p as unknown as CommunityProps;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['communities', 'rubric', 'out', 'crs'] });
  const file = args.values.communities;
  if (!file) {
    console.error(`score: --communities <file> is required\n${usage}`);
    return 2;
  }
  const rubric = args.values.rubric ? parseRubricFile(args.values.rubric, await readFile(args.values.rubric, 'utf8')) : defaultRubric();
  const features = await readLayer(file, { kind: 'communities', crs: args.values.crs });
  if (features.length === 0) throw new Error(`${file}: no communities with a geometry`);
  const records = features.map((f, i) => toCommunityProps(f.properties as unknown as Record<string, unknown>, basename(file), i + 1));
  const seen = new Set<string>();
  for (const r of records) {
    if (seen.has(r.id)) throw new Error(`${basename(file)}: duplicate community id "${r.id}"`);
    seen.add(r.id);
  }
  const byId = new Map(records.map((p) => [p.id, p]));
  const ranked = rank(scoreAll(records, rubric), (id) => byId.get(id)!);
  const codes = rubric.criteria.filter((c) => c.enabled).map((c) => c.code);
  const rows = ranked.map((r) => {
    const row: Record<string, string | number> = { id: r.id, name: byId.get(r.id)!.name };
    for (const c of codes) row[c] = r.points[c];
    row.total = r.total;
    row.eligible = r.eligible ? 'yes' : 'no';
    row.reason = r.reasons.map((x) => `${x.code}: ${x.en}`).join(' | ');
    row.rank = r.rank;
    return row;
  });
  const csv = csvRows(['id', 'name', ...codes, 'total', 'eligible', 'reason', 'rank'], rows, '\n') + '\n';
  if (args.values.out) await writeFile(args.values.out, csv);
  else process.stdout.write(csv);
  const eligible = ranked.filter((r) => r.eligible).length;
  const missing = [...new Set(ranked.flatMap((r) => r.missing))];
  console.error(
    `score: ${ranked.length} communities, ${eligible} eligible; rubric "${rubric.name.en}"${rubric.official ? '' : ' [not official]'}` +
      (missing.length ? `; scored without analysis data: ${missing.join(', ')}` : '') +
      `\n${TIE_BREAK_RULE.en}` +
      (args.values.out ? `\nwrote ${args.values.out}` : ''),
  );
  return 0;
}

function parseRubricFile(path: string, text: string) {
  try {
    return parseRubric(text);
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
}
