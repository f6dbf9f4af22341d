/**
 * The app's one LabelGlyphs (glyphs/protocol.ts), registered as MapLibre's `planner-glyphs` protocol. The map
 * (MapView) points its style there; label layers (layers/source.svelte.ts) report their texts to it.
 */
import { addProtocol } from 'maplibre-gl';
import { drawWithTinySdf, GLYPH_PROTOCOL, LabelGlyphs } from './protocol';

export const labelGlyphs = new LabelGlyphs(new URL('./', document.baseURI).href, drawWithTinySdf);

addProtocol(GLYPH_PROTOCOL, async (params) => {
  // a copy: MapLibre may transfer the buffer to its worker, and the built file stays cached here
  const bytes = await labelGlyphs.load(params.url);
  return { data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer };
});
