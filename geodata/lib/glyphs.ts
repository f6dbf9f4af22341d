/**
 * Map label glyphs, built at `npm run geodata` time: MapLibre SDF glyph ranges (`<fontstack>/<start>-<end>.pbf`,
 * 256 code points a file) for exactly the characters the embedded dataset's labels and the app's map-label
 * strings use (both languages; printable ASCII), one set per label font stack (ranges.ts LABEL_STACKS), from
 * Noto Sans SC Regular as shipped by
 * @fontsource/noto-sans-sc (SIL OFL 1.1; its per-subset WOFF files, read with opentype.js).
 *
 * MapLibre's glyph format: 24 px em, 3 px buffer, SDF radius 8 px with the edge at 0.75·255 (TinySDF's
 * defaults: cutoff 0.25), metrics in whole pixels with `top` measured from the line's top (the baseline minus
 * the font's ascender, 1160/1000 em → 28 px), as node-fontnik does.
 *
 * The distance field is exact, from the outline rather than from a rasterised image: each pixel centre's
 * distance to the nearest outline segment (quadratic and cubic curves flattened into 8 straight pieces each,
 * well under 0.05 px off at 24 px), signed by the nonzero winding rule. That is what sdf-glyph-foundry (behind
 * node-fontnik) computes; TinySDF approximates the same distance from an anti-aliased canvas. Only + − × ÷,
 * Math.sqrt, floor/ceil/round: byte-identical output on every machine (test: geodata/glyphs.test.ts).
 * Cost: O(pixels × segments) per glyph, a few seconds for the ~700 glyphs of the default dataset.
 */
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import opentype, { type Font, type PathCommand } from 'opentype.js';
import { encodeGlyphRange, GLYPH_BUFFER, type Glyph } from '../../src/lib/map/glyphs/pbf.ts';
import { LABEL_ASCENDER_PX, rangeName, rangeStart } from '../../src/lib/map/glyphs/ranges.ts';

export const GLYPH_EM_PX = 24;
export const SDF_RADIUS = 8;
export const SDF_CUTOFF = 0.25;
const CURVE_STEPS = 8;

const require = createRequire(import.meta.url);
const FONT_DIR = dirname(require.resolve('@fontsource/noto-sans-sc/400.css'));

interface Subset {
  file: string;
  ranges: [number, number][];
}

/** The package's @font-face rules for weight 400: which WOFF file holds which code points. */
export function fontSubsets(css = readFileSync(join(FONT_DIR, '400.css'), 'utf8')): Subset[] {
  const out: Subset[] = [];
  for (const block of css.split('@font-face').slice(1)) {
    const file = /url\(\.\/(files\/[\w-]+\.woff)\) format\('woff'\)/.exec(block)?.[1];
    const range = /unicode-range:\s*([^;]+);/.exec(block)?.[1];
    if (!file || !range) throw new Error(`@fontsource/noto-sans-sc/400.css: an @font-face rule without a woff file or unicode-range`);
    const ranges = range.split(',').map((r): [number, number] => {
      const [a, b] = r.trim().replace(/^U\+/i, '').split('-');
      return [parseInt(a!, 16), parseInt(b ?? a!, 16)];
    });
    out.push({ file, ranges });
  }
  return out;
}

/**
 * WOFF 1.0 → the TrueType file inside (zlib per table, node:zlib). opentype.js reads WOFF itself, but its bundled
 * inflater rejects some of these subset files ("Data error"), which zlib reads fine.
 */
export function woffToSfnt(woff: Buffer, file: string): Buffer {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') throw new Error(`${file}: not a WOFF file`);
  const flavor = woff.readUInt32BE(4);
  const numTables = woff.readUInt16BE(12);
  const tables = [];
  for (let i = 0; i < numTables; i++) {
    const o = 44 + i * 20;
    const [offset, compLength, origLength, checksum] = [woff.readUInt32BE(o + 4), woff.readUInt32BE(o + 8), woff.readUInt32BE(o + 12), woff.readUInt32BE(o + 16)];
    const raw = woff.subarray(offset, offset + compLength);
    const data = compLength < origLength ? inflateSync(raw) : raw;
    if (data.length !== origLength) throw new Error(`${file}: table ${woff.toString('latin1', o, o + 4)} inflates to ${data.length} bytes, expected ${origLength}`);
    tables.push({ tag: woff.subarray(o, o + 4), checksum, data });
  }
  const pad4 = (n: number) => (n + 3) & ~3;
  let size = 12 + 16 * numTables;
  for (const t of tables) size += pad4(t.data.length);
  const out = Buffer.alloc(size);
  out.writeUInt32BE(flavor, 0);
  out.writeUInt16BE(numTables, 4);
  let pow = 1;
  while (pow * 2 <= numTables) pow *= 2;
  out.writeUInt16BE(pow * 16, 6);
  out.writeUInt16BE(Math.log2(pow), 8);
  out.writeUInt16BE(numTables * 16 - pow * 16, 10);
  let at = 12 + 16 * numTables;
  tables.forEach((t, i) => {
    const o = 12 + 16 * i;
    t.tag.copy(out, o);
    out.writeUInt32BE(t.checksum, o + 4);
    out.writeUInt32BE(at, o + 8);
    out.writeUInt32BE(t.data.length, o + 12);
    t.data.copy(out, at);
    at += pad4(t.data.length);
  });
  return out;
}

export class GlyphSource {
  private readonly subsets = fontSubsets();
  private readonly fonts = new Map<string, Font>();

  /** the font (subset file) holding this code point, or null when Noto Sans SC has no glyph for it */
  fontFor(cp: number): Font | null {
    const s = this.subsets.find((x) => x.ranges.some(([a, b]) => cp >= a && cp <= b));
    if (!s) return null;
    let font = this.fonts.get(s.file);
    if (!font) {
      const sfnt = woffToSfnt(readFileSync(join(FONT_DIR, s.file)), s.file);
      font = opentype.parse(sfnt.buffer.slice(sfnt.byteOffset, sfnt.byteOffset + sfnt.byteLength) as ArrayBuffer);
      this.fonts.set(s.file, font);
    }
    return font.hasChar(String.fromCodePoint(cp)) ? font : null;
  }

  glyph(cp: number): Glyph | null {
    const font = this.fontFor(cp);
    return font ? sdfGlyph(font, cp) : null;
  }
}

type Seg = [number, number, number, number];

/** The outline at 24 px (y up, baseline 0) as straight segments, curves flattened. */
function outline(commands: readonly PathCommand[], scale: number): Seg[] {
  const segs: Seg[] = [];
  let x = 0;
  let y = 0;
  let sx = 0;
  let sy = 0;
  const lineTo = (nx: number, ny: number) => {
    if (nx !== x || ny !== y) segs.push([x, y, nx, ny]);
    x = nx;
    y = ny;
  };
  for (const c of commands) {
    if (c.type === 'M') {
      if (x !== sx || y !== sy) lineTo(sx, sy);
      x = sx = c.x! * scale;
      y = sy = c.y! * scale;
    } else if (c.type === 'L') lineTo(c.x! * scale, c.y! * scale);
    else if (c.type === 'Q') {
      const [x0, y0, x1, y1, x2, y2] = [x, y, c.x1! * scale, c.y1! * scale, c.x! * scale, c.y! * scale];
      for (let i = 1; i <= CURVE_STEPS; i++) {
        const t = i / CURVE_STEPS;
        const u = 1 - t;
        lineTo(u * u * x0 + 2 * u * t * x1 + t * t * x2, u * u * y0 + 2 * u * t * y1 + t * t * y2);
      }
    } else if (c.type === 'C') {
      const [x0, y0, x1, y1, x2, y2, x3, y3] = [x, y, c.x1! * scale, c.y1! * scale, c.x2! * scale, c.y2! * scale, c.x! * scale, c.y! * scale];
      for (let i = 1; i <= CURVE_STEPS; i++) {
        const t = i / CURVE_STEPS;
        const u = 1 - t;
        lineTo(u * u * u * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t * t * t * x3, u * u * u * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t * t * t * y3);
      }
    } else if (c.type === 'Z') lineTo(sx, sy);
  }
  if (x !== sx || y !== sy) lineTo(sx, sy);
  return segs;
}

/** Signed distance (negative inside) from (px, py) to the outline, nonzero winding. */
function signedDistance(segs: readonly Seg[], px: number, py: number): number {
  let best = Infinity;
  let winding = 0;
  for (const [x0, y0, x1, y1] of segs) {
    const dx = x1 - x0;
    const dy = y1 - y0;
    const len2 = dx * dx + dy * dy;
    let t = len2 > 0 ? ((px - x0) * dx + (py - y0) * dy) / len2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    const ex = x0 + t * dx - px;
    const ey = y0 + t * dy - py;
    const d2 = ex * ex + ey * ey;
    if (d2 < best) best = d2;
    // crossing number of a ray towards +x, by direction
    if (y0 <= py ? y1 > py : y1 <= py) {
      const side = dx * (py - y0) - (px - x0) * dy;
      if (y1 > y0 && side > 0) winding++;
      else if (y1 <= y0 && side < 0) winding--;
    }
  }
  const d = Math.sqrt(best);
  return winding !== 0 ? -d : d;
}

/** One glyph as MapLibre reads it: metrics in px at 24 px and the SDF bitmap with its 3 px buffer. */
export function sdfGlyph(font: Font, cp: number): Glyph {
  const g = font.charToGlyph(String.fromCodePoint(cp));
  const scale = GLYPH_EM_PX / font.unitsPerEm;
  const advance = Math.round((g.advanceWidth ?? 0) * scale);
  const ascender = Math.round(font.ascender * scale);
  if (ascender !== LABEL_ASCENDER_PX) throw new Error(`Noto Sans SC ascender is ${ascender} px at 24 px, LABEL_ASCENDER_PX says ${LABEL_ASCENDER_PX}`);
  const segs = outline(g.path.commands, scale);
  if (segs.length === 0) return { id: cp, bitmap: new Uint8Array(0), width: 0, height: 0, left: 0, top: -ascender, advance };
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [ax, ay, bx, by] of segs) {
    x0 = Math.min(x0, ax, bx);
    x1 = Math.max(x1, ax, bx);
    y0 = Math.min(y0, ay, by);
    y1 = Math.max(y1, ay, by);
  }
  const left = Math.floor(x0);
  const right = Math.ceil(x1);
  const bottom = Math.floor(y0);
  const top = Math.ceil(y1);
  const width = right - left;
  const height = top - bottom;
  const w = width + 2 * GLYPH_BUFFER;
  const h = height + 2 * GLYPH_BUFFER;
  const bitmap = new Uint8Array(w * h);
  const base = 255 * (1 - SDF_CUTOFF);
  const perPx = 255 / SDF_RADIUS;
  for (let j = 0; j < h; j++) {
    const py = top + GLYPH_BUFFER - j - 0.5;
    for (let i = 0; i < w; i++) {
      const px = left - GLYPH_BUFFER + i + 0.5;
      const v = Math.round(base - perPx * signedDistance(segs, px, py));
      bitmap[j * w + i] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return { id: cp, bitmap, width, height, left, top: top - ascender, advance };
}

export interface GlyphBuild {
  /** path under public/glyphs ("Noto Sans SC Regular/0-255.pbf") → bytes */
  files: Record<string, Uint8Array>;
  glyphs: number;
  /** code points asked for that Noto Sans SC has no glyph for (the app's fallback draws them with a system font) */
  missing: number[];
}

/** Every range of `fontstack` that holds at least one of `codePoints`, each with exactly those glyphs. */
export function buildGlyphRanges(codePoints: Iterable<number>, fontstack: string, source = new GlyphSource()): GlyphBuild {
  const byRange = new Map<number, Glyph[]>();
  const missing: number[] = [];
  let count = 0;
  for (const cp of [...new Set(codePoints)].sort((a, b) => a - b)) {
    const g = source.glyph(cp);
    if (!g) {
      missing.push(cp);
      continue;
    }
    const start = rangeStart(cp);
    (byRange.get(start) ?? byRange.set(start, []).get(start)!).push(g);
    count++;
  }
  const files: Record<string, Uint8Array> = {};
  for (const [start, glyphs] of byRange) {
    files[`${fontstack}/${rangeName(start)}.pbf`] = encodeGlyphRange({ name: fontstack, range: rangeName(start), glyphs });
  }
  return { files, glyphs: count, missing };
}
