/**
 * MapLibre's glyph range format (the `glyphs.proto` of node-fontnik / sdf-glyph-foundry): one protobuf message
 * `glyphs { repeated fontstack stacks = 1 }`, `fontstack { name = 1; range = 2; repeated glyph glyphs = 3 }`,
 * `glyph { id = 1; bytes bitmap = 2; width = 3; height = 4; sint32 left = 5; sint32 top = 6; advance = 7 }`.
 * The bitmap is a signed distance field of (width + 2·3) × (height + 2·3) bytes (3 px buffer at 24 px).
 *
 * Encoded and decoded by hand (varints, zig-zag, length-delimited fields: ~80 lines), so the same module serves
 * the build (geodata/lib/glyphs.ts) and the browser's fallback (map/glyphs/protocol.ts) with no dependency.
 * Pure: no DOM, no map.
 */

/** the SDF border MapLibre assumes around every glyph bitmap */
export const GLYPH_BUFFER = 3;

export interface Glyph {
  /** Unicode code point */
  id: number;
  /** (width + 6) × (height + 6) SDF bytes; empty for a glyph with no ink (space) */
  bitmap: Uint8Array;
  width: number;
  height: number;
  left: number;
  top: number;
  advance: number;
}

export interface GlyphRange {
  /** font stack name, e.g. "Noto Sans SC Regular" */
  name: string;
  /** "0-255", "19968-20223", … */
  range: string;
  glyphs: Glyph[];
}

class Writer {
  private buf = new Uint8Array(1024);
  len = 0;
  private ensure(n: number) {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  varint(v: number) {
    this.ensure(10);
    // values here are < 2^32: plain arithmetic keeps it exact
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
  }
  tag(field: number, wire: number) {
    this.varint(field * 8 + wire);
  }
  bytes(field: number, b: Uint8Array) {
    this.tag(field, 2);
    this.varint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  uint(field: number, v: number) {
    this.tag(field, 0);
    this.varint(v);
  }
  sint(field: number, v: number) {
    this.uint(field, v >= 0 ? v * 2 : -v * 2 - 1);
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

function encodeGlyph(g: Glyph): Uint8Array {
  const w = new Writer();
  w.uint(1, g.id);
  if (g.bitmap.length) w.bytes(2, g.bitmap);
  w.uint(3, g.width);
  w.uint(4, g.height);
  w.sint(5, g.left);
  w.sint(6, g.top);
  w.uint(7, g.advance);
  return w.result();
}

/** One range file: glyphs sorted by code point, so the same glyphs always give the same bytes. */
export function encodeGlyphRange(r: GlyphRange): Uint8Array {
  const stack = new Writer();
  stack.bytes(1, new TextEncoder().encode(r.name));
  stack.bytes(2, new TextEncoder().encode(r.range));
  for (const g of [...r.glyphs].sort((a, b) => a.id - b.id)) stack.bytes(3, encodeGlyph(g));
  const out = new Writer();
  out.bytes(1, stack.result());
  return out.result();
}

export class GlyphPbfError extends Error {}

class Reader {
  pos = 0;
  constructor(
    readonly buf: Uint8Array,
    readonly end = buf.length,
  ) {}
  varint(): number {
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new GlyphPbfError('truncated varint');
      const b = this.buf[this.pos++];
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 0x80;
    }
    throw new GlyphPbfError('varint too long');
  }
  sub(): Reader {
    const n = this.varint();
    if (this.pos + n > this.end) throw new GlyphPbfError('field runs past the end');
    const r = new Reader(this.buf, this.pos + n);
    r.pos = this.pos;
    this.pos += n;
    return r;
  }
  skip(wire: number) {
    if (wire === 0) this.varint();
    else if (wire === 2) this.sub();
    else if (wire === 1) this.pos += 8;
    else if (wire === 5) this.pos += 4;
    else throw new GlyphPbfError(`unsupported wire type ${wire}`);
  }
  fields(each: (field: number, wire: number) => void) {
    while (this.pos < this.end) {
      const key = this.varint();
      each(Math.floor(key / 8), key % 8);
    }
  }
}

const unzig = (v: number) => (v % 2 ? -(v + 1) / 2 : v / 2);

/** Decode a range file (every font stack in it). Throws GlyphPbfError on bytes that are not one. */
export function decodeGlyphRanges(bytes: Uint8Array): GlyphRange[] {
  const out: GlyphRange[] = [];
  const top = new Reader(bytes);
  const text = new TextDecoder();
  top.fields((f, wire) => {
    if (f !== 1 || wire !== 2) return top.skip(wire);
    const s = top.sub();
    const r: GlyphRange = { name: '', range: '', glyphs: [] };
    s.fields((sf, sw) => {
      if (sw !== 2) return s.skip(sw);
      const body = s.sub();
      if (sf === 1) r.name = text.decode(bytes.subarray(body.pos, body.end));
      else if (sf === 2) r.range = text.decode(bytes.subarray(body.pos, body.end));
      else if (sf === 3) r.glyphs.push(decodeGlyph(body));
    });
    out.push(r);
  });
  return out;
}

function decodeGlyph(r: Reader): Glyph {
  const g: Glyph = { id: -1, bitmap: new Uint8Array(0), width: 0, height: 0, left: 0, top: 0, advance: 0 };
  r.fields((f, wire) => {
    if (f === 2 && wire === 2) {
      const b = r.sub();
      g.bitmap = r.buf.slice(b.pos, b.end);
    } else if (wire !== 0) r.skip(wire);
    else {
      const v = r.varint();
      if (f === 1) g.id = v;
      else if (f === 3) g.width = v;
      else if (f === 4) g.height = v;
      else if (f === 5) g.left = unzig(v);
      else if (f === 6) g.top = unzig(v);
      else if (f === 7) g.advance = v;
    }
  });
  if (g.id < 0) throw new GlyphPbfError('glyph without id');
  const expected = g.width && g.height ? (g.width + 2 * GLYPH_BUFFER) * (g.height + 2 * GLYPH_BUFFER) : 0;
  if (g.bitmap.length !== expected) throw new GlyphPbfError(`glyph ${g.id}: bitmap of ${g.bitmap.length} bytes, expected ${expected}`);
  return g;
}
