/**
 * Which glyphs a label needs, by MapLibre's glyph ranges (256 code points per file, `{start}-{end}.pbf`), and the
 * merge of a built range with glyphs drawn later. Shared by the build (geodata/lib/glyphs.ts: the characters the
 * embedded data and the app's map labels use) and the browser fallback (map/glyphs/protocol.ts: characters a
 * later import or a typed name brings). Pure.
 */
import type { Glyph } from './pbf';

/**
 * Label font stacks, all Noto Sans SC Regular, one per group of label layers. MapLibre fetches glyph ranges per
 * stack, and a built range holds exactly the characters its stack's labels use: so the first map (district and
 * metro names, at district zoom) fetches only the glyphs of those names (~150 KB), not the ranges of 571
 * facility names it does not show yet. Community and bundle names (from z 13.2 / bundle mode), facility names
 * (from z 15) and special works (from z 14) fetch theirs when they first show. Ranges live in
 * public/glyphs/<stack>/<start>-<end>.pbf.
 */
export const LABEL_STACKS = {
  /** district and metro names, proposal and suggested-site numbers (P1, S2) */
  base: 'Noto Sans SC Regular',
  /** community names and bundle labels (街道 · community 片区 / area) */
  communities: 'Noto Sans SC Regular Communities',
  facilities: 'Noto Sans SC Regular Facilities',
  works: 'Noto Sans SC Regular Works',
} as const;
export type LabelGroup = keyof typeof LABEL_STACKS;
/** the base stack (kept as a name of its own for the fallback's tests and the minimal bench page) */
export const LABEL_FONTSTACK = LABEL_STACKS.base;
/** folder of the built ranges, relative to the app's base URL */
export const GLYPH_DIR = 'glyphs';
export const RANGE_SIZE = 256;
/**
 * Noto Sans SC's ascender at the 24 px glyph em (1160/1000 em, rounded): glyph `top` is measured from this line,
 * as node-fontnik does. The build checks it against the font; the fallback uses it for glyphs it draws.
 */
export const LABEL_ASCENDER_PX = 28;

/**
 * App strings that end up in map labels, by message key (both languages are built): the bundle label
 * "{street}·{main}片区" / "{street} · {main} area". The proposal and suggested-site labels (P1, S2) are ASCII.
 */
export const LABEL_MESSAGE_KEYS = ['bundle.name'] as const;

export const rangeStart = (cp: number) => cp - (cp % RANGE_SIZE);
export const rangeName = (start: number) => `${start}-${start + RANGE_SIZE - 1}`;

/** "19968-20223" → 19968; null for anything that is not a range name */
export function parseRangeName(name: string): number | null {
  const m = /^(\d+)-(\d+)$/.exec(name);
  if (!m) return null;
  const start = Number(m[1]);
  return start % RANGE_SIZE === 0 && Number(m[2]) === start + RANGE_SIZE - 1 ? start : null;
}

/**
 * The code points MapLibre asks glyphs for when it draws these texts: every character except line breaks and
 * other control characters (which it never draws).
 */
export function codePointsOf(texts: Iterable<string>, into = new Set<number>()): Set<number> {
  for (const t of texts) {
    for (const ch of t) {
      const cp = ch.codePointAt(0)!;
      if (cp >= 0x20 && !(cp >= 0x7f && cp < 0xa0)) into.add(cp);
    }
  }
  return into;
}

/** Code points of `needed` that fall in the range starting at `start` and are not in `present`, ascending. */
export function missingInRange(needed: Iterable<number>, start: number, present: ReadonlySet<number>): number[] {
  const out: number[] = [];
  for (const cp of needed) if (rangeStart(cp) === start && !present.has(cp)) out.push(cp);
  return out.sort((a, b) => a - b);
}

/** Built glyphs plus drawn ones for code points the built file lacks (the built glyph always wins), by code point. */
export function mergeGlyphs(built: readonly Glyph[], drawn: readonly Glyph[]): Glyph[] {
  const byId = new Map<number, Glyph>();
  for (const g of drawn) byId.set(g.id, g);
  for (const g of built) byId.set(g.id, g);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/** The text of a message template without its {placeholders}: "{street}·{main}片区" → "·片区". */
export const templateText = (template: string) => template.replace(/\{\w+\}/g, '');
