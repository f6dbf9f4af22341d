/**
 * Label glyphs for MapLibre through a protocol of our own (`planner-glyphs://v<n>/{fontstack}/{range}`): each
 * range is the file built at `npm run geodata` time (public/glyphs/<fontstack>/<range>.pbf) merged with glyphs
 * drawn on the fly for characters that the labels on the map use and the built file lacks (a name from an
 * import, a name typed by the user, a character Noto Sans SC lacks). Drawing uses TinySDF (the same rasteriser
 * MapLibre uses for local glyphs) with Noto Sans SC loaded then, lazily (only the unicode-range subsets those
 * characters need), system CJK fonts behind it. Nothing here runs for the embedded data: all its characters
 * are built.
 *
 * Label layers report their texts and font stack (`use`, called by layers/source.svelte.ts before each setData). When new
 * characters fall in a range MapLibre already fetched, the URL's version goes up and MapLibre is told
 * (`onStale` → map.setGlyphs), so it fetches the ranges again; built files are fetched only once.
 */
import { decodeGlyphRanges, encodeGlyphRange, type Glyph } from './pbf';
import { codePointsOf, GLYPH_DIR, LABEL_ASCENDER_PX, mergeGlyphs, missingInRange, parseRangeName, rangeName, rangeStart } from './ranges';

export const GLYPH_PROTOCOL = 'planner-glyphs';
const URL_RE = new RegExp(`^${GLYPH_PROTOCOL}://v(\\d+)/(.+)/(\\d+-\\d+)$`);

export type DrawGlyphs = (codePoints: number[]) => Promise<Glyph[]>;

export class LabelGlyphs {
  /** code points the map's labels use, per font stack */
  private readonly needed = new Map<string, Set<number>>();
  /** built glyphs per "<fontstack>|<range start>", fetched once, with the file's bytes */
  private readonly built = new Map<string, Promise<{ glyphs: Glyph[]; bytes: Uint8Array | null }>>();
  /** code points each range served MapLibre (built or drawn), per "<fontstack>|<range start>" */
  private readonly served = new Map<string, Set<number>>();
  private readonly drawn = new Map<number, Promise<Glyph | null>>();
  private version = 0;
  /** called with the new glyphs URL when a fetched range lacks characters the labels now use */
  onStale: ((url: string) => void) | null = null;

  constructor(
    /** folder holding GLYPH_DIR (the app's base URL) */
    private readonly baseUrl: string,
    private readonly draw: DrawGlyphs,
    private readonly fetchFn: typeof fetch = (...a) => globalThis.fetch(...a),
    /**
     * stacks whose built ranges are fetched as soon as their labels are known (the first map's labels), while
     * MapLibre's worker is still tiling the data, so its glyph requests find them ready
     */
    private readonly prefetch: ReadonlySet<string> = new Set(),
  ) {}

  /** the style's `glyphs` URL */
  url(): string {
    return `${GLYPH_PROTOCOL}://v${this.version}/{fontstack}/{range}`;
  }

  /** Label texts about to be drawn with `fontstack`. Returns true when MapLibre was asked to fetch glyph ranges again. */
  use(fontstack: string, texts: Iterable<string>): boolean {
    let needed = this.needed.get(fontstack);
    if (!needed) this.needed.set(fontstack, (needed = new Set()));
    const fresh: number[] = [];
    for (const cp of codePointsOf(texts)) if (!needed.has(cp)) fresh.push(cp);
    if (!fresh.length) return false;
    for (const cp of fresh) needed.add(cp);
    if (this.prefetch.has(fontstack)) for (const cp of fresh) this.builtRange(fontstack, rangeStart(cp));
    const stale = fresh.some((cp) => {
      const served = this.served.get(`${fontstack}|${rangeStart(cp)}`);
      return served !== undefined && !served.has(cp);
    });
    if (!stale) return false;
    this.version++;
    this.onStale?.(this.url());
    return true;
  }

  /** The protocol's answer for one range URL: the built range plus drawn glyphs, encoded. */
  async load(url: string): Promise<Uint8Array> {
    const m = URL_RE.exec(url);
    const start = m ? parseRangeName(m[3]!) : null;
    if (!m || start === null) throw new Error(`not a glyph range address: ${url}`);
    const fontstack = safeDecode(m[2]!);
    const key = `${fontstack}|${start}`;
    const { glyphs, bytes } = await this.builtRange(fontstack, start);
    const missing = missingInRange(this.needed.get(fontstack) ?? [], start, new Set(glyphs.map((g) => g.id)));
    // recorded before drawing: a character that arrives while we draw makes the range stale (use())
    this.served.set(key, new Set([...glyphs.map((g) => g.id), ...missing]));
    // the usual case (nothing missing): the built file as it is
    if (!missing.length && bytes) return bytes;
    const drawn = missing.length ? await this.drawOnce(missing) : [];
    return encodeGlyphRange({ name: fontstack, range: m[3]!, glyphs: mergeGlyphs(glyphs, drawn) });
  }

  private builtRange(fontstack: string, start: number): Promise<{ glyphs: Glyph[]; bytes: Uint8Array | null }> {
    const key = `${fontstack}|${start}`;
    let built = this.built.get(key);
    if (!built) this.built.set(key, (built = this.fetchBuilt(fontstack, rangeName(start))));
    return built;
  }

  private async fetchBuilt(fontstack: string, range: string): Promise<{ glyphs: Glyph[]; bytes: Uint8Array | null }> {
    // a range no built label uses has no file (and a file that cannot be read is as good as none): every glyph
    // of it is drawn
    try {
      const res = await this.fetchFn(new URL(`${GLYPH_DIR}/${encodeURIComponent(fontstack)}/${range}.pbf`, this.baseUrl).href);
      if (!res.ok) return { glyphs: [], bytes: null };
      const bytes = new Uint8Array(await res.arrayBuffer());
      return { glyphs: decodeGlyphRanges(bytes).flatMap((r) => r.glyphs), bytes };
    } catch {
      return { glyphs: [], bytes: null };
    }
  }

  private async drawOnce(codePoints: number[]): Promise<Glyph[]> {
    const todo = codePoints.filter((cp) => !this.drawn.has(cp));
    if (todo.length) {
      const batch = this.draw(todo);
      todo.forEach((cp) => this.drawn.set(cp, batch.then((gs) => gs.find((g) => g.id === cp) ?? null)));
    }
    const out = await Promise.all(codePoints.map((cp) => this.drawn.get(cp)!));
    return out.filter((g): g is Glyph => g !== null);
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** the CSS font stack the fallback draws with: the label font first, then the usual system CJK fonts */
export const FALLBACK_FONT_FAMILY = "'Noto Sans SC', 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Zen Hei', sans-serif";

/**
 * Draw glyphs in the browser the way MapLibre's glyph files are made (24 px, buffer 3, radius 8, cutoff 0.25),
 * after loading Noto Sans SC's subsets for these characters (the @font-face rules are imported only now).
 */
export const drawWithTinySdf: DrawGlyphs = async (codePoints) => {
  const [{ default: TinySDF }] = await Promise.all([import('@mapbox/tiny-sdf'), import('@fontsource/noto-sans-sc/400.css')]);
  const text = String.fromCodePoint(...codePoints);
  await document.fonts.load(`24px 'Noto Sans SC'`, text).catch(() => []);
  const sdf = new TinySDF({ fontSize: 24, buffer: 3, radius: 8, cutoff: 0.25, fontFamily: FALLBACK_FONT_FAMILY });
  return codePoints.map((cp): Glyph => {
    const c = sdf.draw(String.fromCodePoint(cp));
    const advance = Math.round(c.glyphAdvance);
    if (!c.glyphWidth || !c.glyphHeight) return { id: cp, bitmap: new Uint8Array(0), width: 0, height: 0, left: 0, top: -LABEL_ASCENDER_PX, advance };
    return { id: cp, bitmap: Uint8Array.from(c.data), width: c.glyphWidth, height: c.glyphHeight, left: c.glyphLeft, top: c.glyphTop - LABEL_ASCENDER_PX, advance };
  });
};
