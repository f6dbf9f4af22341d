/**
 * Label glyphs built at `npm run geodata` time: deterministic, committed public/glyphs == a fresh build, every
 * character a label of the embedded data can show has a glyph, and the glyphs are real distance fields.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDataset, buildLabelGlyphs, labelCodePoints } from './build.ts';
import { GlyphSource } from './lib/glyphs.ts';
import { decodeGlyphRanges } from '../src/lib/map/glyphs/pbf.ts';
import { LABEL_STACKS, rangeName, rangeStart } from '../src/lib/map/glyphs/ranges.ts';

const PUBLIC = join(import.meta.dirname, '..', 'public', 'glyphs');

describe('label glyphs (npm run geodata)', () => {
  const dataset = buildDataset();
  const cps = labelCodePoints(dataset);
  const a = buildLabelGlyphs(dataset);
  const stackOf = Object.fromEntries(Object.entries(LABEL_STACKS).map(([g, s]) => [s, g as keyof typeof LABEL_STACKS]));

  it('covers every name, 街道 and the bundle label words in both languages, each in its stack', () => {
    const has = (group: keyof typeof LABEL_STACKS, texts: string[]) => {
      for (const text of texts) for (const ch of text) expect(cps[group].has(ch.codePointAt(0)!), `${group}: ${ch} of ${text}`).toBe(true);
    };
    has('base', ['P12', 'S3', ...dataset.layers.metro.map((m) => m.properties.name), ...dataset.layers.districts.map((d) => d.properties.name)]);
    has('communities', ['孔浦街道', '·片区', ' · area', 'Kongpu', ...dataset.layers.communities.map((c) => c.properties.name)]);
    has('facilities', dataset.layers.facilities.map((f) => f.properties.name));
    has('works', dataset.works.map((w) => String(w.properties?.['name'])));
    // the first map's stack holds only its own labels' characters: no facility-only character
    const facilityOnly = [...cps.facilities].filter((c) => !cps.base.has(c));
    expect(facilityOnly.length).toBeGreaterThan(100);
    expect(a.missing).toEqual([]);
  });

  it('the committed public/glyphs files equal a fresh build and a rebuild gives the same bytes (run `npm run geodata` after changing labels)', () => {
    const b = buildLabelGlyphs(dataset);
    expect(Object.keys(a.files).sort()).toEqual(Object.keys(b.files).sort());
    for (const [name, bytes] of Object.entries(a.files)) expect(Buffer.from(bytes).equals(Buffer.from(b.files[name]!)), name).toBe(true);
    const committed = readdirSync(PUBLIC, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => join(d.parentPath, d.name).slice(PUBLIC.length + 1))
      .sort();
    expect(committed).toEqual(Object.keys(a.files).sort());
    for (const [name, bytes] of Object.entries(a.files)) {
      expect(readFileSync(join(PUBLIC, name)).equals(Buffer.from(bytes)), `public/glyphs/${name} is stale`).toBe(true);
    }
  });

  it('each range file holds exactly the characters its stack uses in its range', () => {
    for (const [name, bytes] of Object.entries(a.files)) {
      const [r] = decodeGlyphRanges(bytes);
      const start = rangeStart(r!.glyphs[0]!.id);
      expect(name).toBe(`${r!.name}/${rangeName(start)}.pbf`);
      expect(r!.glyphs.map((g) => g.id)).toEqual([...cps[stackOf[r!.name]!]].filter((cp) => rangeStart(cp) === start).sort((x, y) => x - y));
    }
  });

  it('glyphs are signed distance fields at 24 px: 0.75·255 on the edge, full inside a stroke, falling off outside', () => {
    const src = new GlyphSource();
    const one = src.glyph('一'.codePointAt(0)!)!; // one horizontal stroke
    expect(one.advance).toBe(24);
    const w = one.width + 6;
    const h = one.height + 6;
    const mid = Math.floor(h / 2) * w + Math.floor(w / 2);
    expect(one.bitmap[mid]).toBeGreaterThan(200); // inside the stroke
    expect(one.bitmap[Math.floor(w / 2)]).toBeLessThan(191); // the buffer row above it
    const dot = src.glyph('.'.codePointAt(0)!)!;
    expect(Math.max(...dot.bitmap)).toBeGreaterThan(191);
    expect(Math.min(...dot.bitmap)).toBeLessThan(64); // the buffer's corners, ~5 px away
    const space = src.glyph(32)!;
    expect([space.width, space.bitmap.length, space.advance > 0]).toEqual([0, 0, true]);
    expect(src.glyph(0x10ffff)).toBeNull(); // not in Noto Sans SC: left to the app's fallback
  });
});
