import { describe, expect, it } from 'vitest';
import { decodeGlyphRanges, encodeGlyphRange, GlyphPbfError, type Glyph } from './pbf';
import { codePointsOf, mergeGlyphs, missingInRange, parseRangeName, rangeName, rangeStart } from './ranges';
import { LabelGlyphs } from './protocol';

const glyph = (id: number, fill = 200, w = 2, h = 3): Glyph =>
  Object.freeze({ id, bitmap: new Uint8Array((w + 6) * (h + 6)).fill(fill), width: w, height: h, left: -1, top: -12, advance: 24 });

describe('glyph range files (MapLibre PBF)', () => {
  it('round-trips glyphs, negative metrics and an empty (space) glyph, sorted by code point', () => {
    const space: Glyph = { id: 32, bitmap: new Uint8Array(0), width: 0, height: 0, left: 0, top: -28, advance: 5 };
    const bytes = encodeGlyphRange({ name: 'Noto Sans SC Regular', range: '0-255', glyphs: [glyph(65), space] });
    const [r] = decodeGlyphRanges(bytes);
    expect(r!.name).toBe('Noto Sans SC Regular');
    expect(r!.range).toBe('0-255');
    expect(r!.glyphs.map((g) => g.id)).toEqual([32, 65]);
    expect(r!.glyphs[1]).toEqual({ ...glyph(65) });
    expect(r!.glyphs[0]).toEqual(space);
  });

  it('the same glyphs give the same bytes whatever their order', () => {
    const a = encodeGlyphRange({ name: 'x', range: '19968-20223', glyphs: [glyph(19968), glyph(20000)] });
    const b = encodeGlyphRange({ name: 'x', range: '19968-20223', glyphs: [glyph(20000), glyph(19968)] });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('rejects an HTML page and a bitmap of the wrong size', () => {
    expect(() => decodeGlyphRanges(new TextEncoder().encode('<!doctype html><html>'))).toThrow(GlyphPbfError);
    const bad = encodeGlyphRange({ name: 'x', range: '0-255', glyphs: [{ ...glyph(65), bitmap: new Uint8Array(10) }] });
    expect(() => decodeGlyphRanges(bad)).toThrow(/bitmap of 10 bytes, expected 72/);
  });
});

describe('which glyphs labels need', () => {
  it('ranges of 256 code points', () => {
    expect(rangeStart('江'.codePointAt(0)!)).toBe(27648);
    expect(rangeName(27648)).toBe('27648-27903');
    expect(parseRangeName('27648-27903')).toBe(27648);
    expect(parseRangeName('27904-28000')).toBeNull();
    expect(parseRangeName('../x')).toBeNull();
  });

  it('code points of label texts, without line breaks and control characters, astral characters whole', () => {
    expect([...codePointsOf(['江北\n1', '𠀋'])].sort((a, b) => a - b)).toEqual([0x31, 0x5317, 0x6c5f, 0x2000b]);
  });

  it('missing code points of one range, and the merge keeps the built glyph', () => {
    const needed = codePointsOf(['鬯江A']);
    const start = rangeStart(0x9b2f); // 鬯
    expect(missingInRange(needed, start, new Set())).toEqual([0x9b2f]);
    expect(missingInRange(needed, start, new Set([0x9b2f]))).toEqual([]);
    const merged = mergeGlyphs([glyph(0x9b00, 200)], [glyph(0x9b2f, 100), glyph(0x9b00, 1)]);
    expect(merged.map((g) => [g.id, g.bitmap[0]])).toEqual([
      [0x9b00, 200],
      [0x9b2f, 100],
    ]);
  });
});

describe('LabelGlyphs (the planner-glyphs protocol)', () => {
  const built = new Map<string, Uint8Array>([['glyphs/Noto%20Sans%20SC%20Regular/39680-39935.pbf', encodeGlyphRange({ name: 'Noto Sans SC Regular', range: '39680-39935', glyphs: [glyph(0x9b00)] })]]);
  const fetched: string[] = [];
  const fakeFetch = (async (u: string) => {
    const path = new URL(u).pathname.slice(1);
    fetched.push(path);
    const b = built.get(path);
    return b ? new Response(b as BodyInit) : new Response('not found', { status: 404 });
  }) as typeof fetch;

  it('serves the built range plus drawn glyphs for characters in use that it lacks; refetch only when a served range goes stale', async () => {
    const drawnCalls: number[][] = [];
    const lg = new LabelGlyphs('http://x/', async (cps) => (drawnCalls.push(cps), cps.map((cp) => glyph(cp, 50))), fakeFetch);
    const urls: string[] = [];
    lg.onStale = (u) => urls.push(u);
    lg.use('Noto Sans SC Regular', ['\u9b00']);
    const url = (range: string) => lg.url().replace('{fontstack}', 'Noto Sans SC Regular').replace('{range}', range);
    let r = decodeGlyphRanges(await lg.load(url('39680-39935')))[0]!;
    expect(r.glyphs.map((g) => g.id)).toEqual([0x9b00]);
    expect(drawnCalls).toEqual([]);
    // an imported name brings 鬯 (U+9B2F) into the range already served: MapLibre must fetch again
    expect(lg.use('Noto Sans SC Regular', ['鬯村'])).toBe(true);
    expect(urls).toEqual(['planner-glyphs://v1/{fontstack}/{range}']);
    r = decodeGlyphRanges(await lg.load(url('39680-39935')))[0]!;
    expect(r.glyphs.map((g) => [g.id, g.bitmap[0]])).toEqual([
      [0x9b00, 200],
      [0x9b2f, 50],
    ]);
    expect(drawnCalls).toEqual([[0x9b2f]]);
    // nothing new: no refetch; a range with no built file is drawn whole; the built file was fetched once
    expect(lg.use('Noto Sans SC Regular', ['鬯'])).toBe(false);
    // another stack's labels: its own needs, no refetch of this stack's ranges
    expect(lg.use('Noto Sans SC Regular Works', ['\u9b01'])).toBe(false);
    r = decodeGlyphRanges(await lg.load(url(rangeName(rangeStart('村'.codePointAt(0)!)))))[0]!;
    expect(r.glyphs.map((g) => g.id)).toEqual(['村'.codePointAt(0)]);
    expect(fetched.filter((f) => f.includes('39680'))).toHaveLength(1);
  });

  it('prefetches the built ranges of a prefetch stack when its labels are known, and fetches each once', async () => {
    fetched.length = 0;
    const lg = new LabelGlyphs('http://x/', async () => [], fakeFetch, new Set(['Noto Sans SC Regular']));
    lg.use('Noto Sans SC Regular', ['\u9b00']);
    lg.use('Noto Sans SC Regular Works', ['\u9b00']);
    expect(fetched).toEqual(['glyphs/Noto%20Sans%20SC%20Regular/39680-39935.pbf']);
    await lg.load(lg.url().replace('{fontstack}', 'Noto Sans SC Regular').replace('{range}', '39680-39935'));
    expect(fetched).toHaveLength(1);
  });

  it('refuses an address that is not a range', async () => {
    const lg = new LabelGlyphs('http://x/', async () => [], fakeFetch);
    await expect(lg.load('planner-glyphs://v0/x/1-2')).rejects.toThrow(/not a glyph range address/);
  });
});
