/**
 * Column mapping: guess which source column holds which model field from its header text
 * (common Chinese and English spellings, see fields.ts), guess the layer kind, and check the unit of the
 * floor-area column (m² vs 万m²) from the header text and the magnitude of the values.
 * The result is a plain ColumnMapping the user can correct and the UI/CLI can store as JSON.
 * O(headers × aliases).
 */
import { fieldsOf, IMPORT_KINDS, type FieldDef, type ImportKind } from './fields';
import type { AreaUnit, Cell, ColumnMapping, Message, Sheet } from './types';

const OPEN_RE = /[(（【\[]/g;
const CLOSE_RE = /[)）】\]]/g;

/**
 * Remove bracketed remarks "(…)", "（…）", "【…】", "[…]" (not nested, any bracket closes any), replacing
 * each with `by`: from an opening bracket to the first closing one after it, as before. Each search starts
 * where the last one ended, so the whole is O(n): the regular expression this replaces rescanned the rest of
 * the header from every unclosed bracket (quadratic: a header of 40,000 "(" took minutes).
 */
export function stripBrackets(h: string, by = ''): string {
  let out = '';
  let from = 0;
  for (;;) {
    OPEN_RE.lastIndex = from;
    const o = OPEN_RE.exec(h);
    if (!o) break;
    CLOSE_RE.lastIndex = o.index + 1;
    const c = CLOSE_RE.exec(h);
    if (!c) break; // no closing bracket after this one, hence none after any later one
    out += h.slice(from, o.index) + by;
    from = c.index + 1;
  }
  return from === 0 ? h : out + h.slice(from);
}

const UNIT_SUFFIXES = ['万m²', 'm²', '万m2', 'm2', '万㎡', '㎡', '万平方米', '平方米', '平米'];
const SPACES = [' ', '\t', '\n', '\r', '\u3000', '\u00a0', '\f', '\v'];

/** Drop one trailing unit ("万m²", "㎡", "平方米", "单位：…" without spaces), the earliest that reaches the end. O(n). */
function stripUnit(h: string): string {
  let cut = h.length;
  for (const u of UNIT_SUFFIXES) if (h.endsWith(u)) cut = Math.min(cut, h.length - u.length);
  if (h.includes('单位')) {
    // "单位…" up to the end without whitespace: the first 单位 after the last whitespace
    const w = Math.max(...SPACES.map((c) => h.lastIndexOf(c)));
    const i = h.indexOf('单位', w + 1);
    if (i >= 0) cut = Math.min(cut, i);
  }
  return cut === h.length ? h : h.slice(0, cut);
}

/** lower-case, drop spaces, units and bracketed remarks: "建筑面积（万m²）" → "建筑面积". Linear time. */
export function normaliseHeader(h: string): string {
  return stripUnit(stripBrackets(h.toLowerCase()))
    .replace(/[\s:：\-/]+/g, '')
    .trim();
}

function tokens(h: string): string[] {
  return stripBrackets(h.toLowerCase(), ' ')
    .split(/[^a-z0-9\u4e00-\u9fff]+/)
    .filter(Boolean);
}

/** score of a header for one alias: 3 exact, 2 whole token / Chinese suffix, 1 Chinese substring, 0 none */
interface PreparedHeader {
  n: string;
  t: string[];
}
const prepare = (header: string): PreparedHeader => ({ n: normaliseHeader(header), t: tokens(header) });

function aliasScore(header: PreparedHeader, alias: string): number {
  const n = header.n;
  const a = alias.toLowerCase();
  if (n === a) return 3;
  const chinese = /[\u4e00-\u9fff]/.test(a);
  if (chinese) {
    if (a.length < 2) return 0;
    if (n.endsWith(a)) return 2;
    if (n.includes(a)) return 1;
    return 0;
  }
  if (a.length < 2) return 0;
  const t = header.t;
  const at = a.split('_');
  for (let i = 0; i + at.length <= t.length; i++) if (at.every((x, j) => t[i + j] === x)) return at.length === t.length ? 3 : 1.5;
  return 0;
}

export interface MappingGuess {
  mapping: ColumnMapping;
  /** per mapped field: how the header matched */
  how: Record<string, { header: string; score: number }>;
  unit: { unit: AreaUnit; reason: Message } | null;
}

export function guessKind(sheet: Sheet): ImportKind {
  if (sheet.kindHint && sheet.kindHint !== 'barriers') return sheet.kindHint;
  const g = sheet.geometries?.find((x) => x);
  if (g && /LineString/.test(g.type)) return 'roads';
  let best: ImportKind = 'communities';
  let bestScore = -1;
  for (const kind of IMPORT_KINDS) {
    const { how } = matchFields(sheet.headers, fieldsOf(kind));
    let score = Object.values(how).reduce((s, x) => s + x.score, 0);
    if (kind === 'communities' && g && /Point/.test(g.type)) score -= 1;
    if (kind === 'facilities' && g && /Polygon/.test(g.type)) score -= 2;
    if (kind === 'roads' && !(g && /LineString/.test(g.type))) score -= 100;
    // spare sites share 名称/类型/面积 with other tables: only a table naming an owner (权属) or a site kind is one
    if (kind === 'spare_sites' && !how.owner && !sheet.rows.some((r) => r.some((c) => typeof c === 'string' && /闲置|空地|边角/.test(c)))) score -= 100;
    if (score > bestScore) {
      best = kind;
      bestScore = score;
    }
  }
  return best;
}

function matchFields(headers: string[], fields: FieldDef[]): { columns: Record<string, string | null>; how: MappingGuess['how'] } {
  const cands: { field: string; header: string; score: number; alen: number }[] = [];
  const prepared = headers.map(prepare);
  for (const f of fields)
    for (const [k, h] of headers.entries()) {
      let best = 0;
      let alen = 0;
      for (const a of [f.key, ...f.aliases]) {
        const s = aliasScore(prepared[k], a);
        if (s > best || (s === best && s > 0 && a.length > alen)) {
          best = s;
          alen = a.length;
        }
      }
      if (best > 0) cands.push({ field: f.key, header: h, score: best, alen });
    }
  cands.sort((a, b) => b.score - a.score || b.alen - a.alen || headers.indexOf(a.header) - headers.indexOf(b.header));
  const columns: Record<string, string | null> = {};
  const how: MappingGuess['how'] = {};
  const used = new Set<string>();
  for (const c of cands) {
    if (c.field in columns || used.has(c.header)) continue;
    columns[c.field] = c.header;
    how[c.field] = { header: c.header, score: c.score };
    used.add(c.header);
  }
  for (const f of fields) if (!(f.key in columns)) columns[f.key] = null;
  return { columns, how };
}

function numeric(c: Cell): number | null {
  if (typeof c === 'number') return Number.isFinite(c) ? c : null;
  if (typeof c === 'string') {
    const n = Number(c.replace(/[,，\s]/g, '').replace(/(万?m²|万?㎡|平方米)$/, ''));
    return Number.isFinite(n) && c.trim() !== '' ? n : null;
  }
  return null;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length ? s[s.length >> 1] : NaN;
}

/** Decide m² vs 万m² for the floor-area column: header text first, then magnitude against households. */
export function guessAreaUnit(sheet: Sheet, areaHeader: string, householdsHeader: string | null): { unit: AreaUnit; reason: Message } {
  if (/万\s*(m²|m2|㎡|平方米|平米)|10\s*[k⁴]|万$/i.test(areaHeader))
    return { unit: 'wan_m2', reason: { zh: `列名 "${areaHeader}" 标明单位为万平方米`, en: `the header "${areaHeader}" says 万m² (10,000 m²)` } };
  const ai = sheet.headers.indexOf(areaHeader);
  const hi = householdsHeader ? sheet.headers.indexOf(householdsHeader) : -1;
  const area = sheet.rows.map((r) => numeric(r[ai])).filter((x): x is number => x !== null && x > 0);
  const perHh = hi >= 0 ? sheet.rows.map((r) => { const a = numeric(r[ai]); const h = numeric(r[hi]); return a && h && h > 0 ? a / h : null; }).filter((x): x is number => x !== null) : [];
  const m = median(area);
  if (perHh.length >= 3) {
    const p = median(perHh);
    if (p < 1)
      return { unit: 'wan_m2', reason: { zh: `每户面积中位数仅 ${p.toFixed(3)}，数值应为万平方米`, en: `median area per household is only ${p.toFixed(3)}: values must be in 万m²` } };
    return { unit: 'm2', reason: { zh: `每户面积中位数 ${Math.round(p)} m²，单位为平方米`, en: `median area per household ${Math.round(p)} m²: values are in m²` } };
  }
  if (Number.isFinite(m) && m < 100)
    return { unit: 'wan_m2', reason: { zh: `面积中位数仅 ${m}，按万平方米处理`, en: `median area is only ${m}: taken as 万m²` } };
  return { unit: 'm2', reason: { zh: '列名未注明万平方米，数值量级为平方米', en: 'the header does not say 万m² and the magnitudes are m²' } };
}

export function guessMapping(sheet: Sheet, kind: ImportKind = guessKind(sheet)): MappingGuess {
  const { columns, how } = matchFields(sheet.headers, fieldsOf(kind));
  // a vector layer carries its geometry; a lon/lat pair without both halves is not a pair
  if (!columns.lon || !columns.lat) {
    delete how.lon;
    delete how.lat;
    columns.lon = null;
    columns.lat = null;
  }
  const mapping: ColumnMapping = { kind, columns };
  let unit: MappingGuess['unit'] = null;
  if (kind === 'communities' && columns.floor_area_m2) {
    unit = guessAreaUnit(sheet, columns.floor_area_m2, columns.households ?? null);
    mapping.areaUnit = unit.unit;
  }
  return { mapping, how, unit };
}

/** Check a stored/CLI mapping against a sheet: every named header must exist. Returns problems. */
export function checkMapping(sheet: Sheet, mapping: ColumnMapping): Message[] {
  const out: Message[] = [];
  const known = new Set(fieldsOf(mapping.kind).map((f) => f.key));
  for (const [field, header] of Object.entries(mapping.columns)) {
    if (!known.has(field)) out.push({ zh: `映射中的字段 "${field}" 不存在`, en: `mapping names an unknown field "${field}"` });
    else if (header && !sheet.headers.includes(header))
      out.push({ zh: `映射的列 "${header}" (字段 ${field}) 不在文件中`, en: `mapped column "${header}" (field ${field}) is not in the file` });
  }
  return out;
}

/** Parse a mapping JSON (from --mapping or localStorage); throws with a specific message. */
export function parseMapping(json: string): ColumnMapping {
  const o = JSON.parse(json) as Partial<ColumnMapping>;
  if (!o || typeof o !== 'object') throw new Error('mapping must be a JSON object');
  if (!o.kind || !IMPORT_KINDS.includes(o.kind)) throw new Error(`mapping.kind must be one of ${IMPORT_KINDS.join(', ')}`);
  if (!o.columns || typeof o.columns !== 'object') throw new Error('mapping.columns must be an object { field: "column header" }');
  for (const [k, v] of Object.entries(o.columns)) if (v !== null && typeof v !== 'string') throw new Error(`mapping.columns.${k} must be a string or null`);
  if (o.areaUnit && o.areaUnit !== 'm2' && o.areaUnit !== 'wan_m2') throw new Error('mapping.areaUnit must be "m2" or "wan_m2"');
  return { kind: o.kind, columns: o.columns, areaUnit: o.areaUnit, crs: o.crs };
}
