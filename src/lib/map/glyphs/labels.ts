/**
 * The app's one LabelGlyphs (glyphs/protocol.ts), registered as MapLibre's `planner-glyphs` protocol when the library
 * loads (map/library.ts). The map (MapView) points its style there; label layers (layers/source.svelte.ts) report
 * their texts to it.
 */
import type { addProtocol } from 'maplibre-gl';
import { drawWithTinySdf, GLYPH_PROTOCOL, LabelGlyphs } from './protocol';
import { LABEL_STACKS } from './ranges';

// the base stack's ranges (district and metro names: the first map's labels) are fetched as soon as known
export const labelGlyphs = new LabelGlyphs(new URL('./', document.baseURI).href, drawWithTinySdf, undefined, new Set([LABEL_STACKS.base]));

/** Answers MapLibre's requests for `planner-glyphs://` addresses from labelGlyphs. */
export function registerGlyphProtocol(add: typeof addProtocol): void {
  add(GLYPH_PROTOCOL, async (params) => {
    // a copy: MapLibre may transfer the buffer to its worker, and the built file stays cached here
    const bytes = await labelGlyphs.load(params.url);
    return { data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer };
  });
}
