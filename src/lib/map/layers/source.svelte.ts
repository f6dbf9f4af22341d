/**
 * Shared plumbing for *Layer components: one GeoJSON source plus its layers, added at their place in
 * zorder.ts when the map is ready, fed reactively, removed on destroy.
 */
import type { GeoJSONSource, AddLayerObject } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import { untrack } from 'svelte';
import { getMapContext } from '../context';
import { addOrderedLayer, removeLayersAndSource, type LayerId } from '../zorder';
import { labelGlyphs } from '../glyphs/labels';

export type OrderedLayer = AddLayerObject & { id: LayerId };

export const EMPTY_FC: FeatureCollection = { type: 'FeatureCollection', features: [] };

/**
 * A bench-only build (bench/startup.bench.ts defines VITE_BENCH_NO_LABELS=1) leaves out every label layer, to
 * measure what labels cost the first map; in every other build this is false and the filter is dropped.
 */
const NO_LABELS = import.meta.env.VITE_BENCH_NO_LABELS === '1';

/** What symbol layers draw as text: the property (`'text-field': ['get', prop]`) and the font stack. */
export function labelFields(layers: readonly AddLayerObject[]): { prop: string; fontstack: string }[] {
  const out: { prop: string; fontstack: string }[] = [];
  for (const l of layers) {
    const layout = l.type === 'symbol' ? (l.layout as Record<string, unknown> | undefined) : undefined;
    const field = layout?.['text-field'];
    const font = layout?.['text-font'];
    if (Array.isArray(field) && field[0] === 'get' && typeof field[1] === 'string' && Array.isArray(font)) out.push({ prop: field[1], fontstack: font.join(',') });
  }
  return out;
}

/** The label texts of these features (for the glyph ranges: glyphs/protocol.ts). */
export function* labelTexts(fc: FeatureCollection, prop: string): Generator<string> {
  for (const f of fc.features) {
    const v = f.properties?.[prop];
    if (typeof v === 'string') yield v;
    else if (typeof v === 'number') yield String(v);
  }
}

export function useGeoJsonLayers(
  sourceId: string,
  data: () => FeatureCollection,
  layers: OrderedLayer[],
  sourceOptions: { promoteId?: string } = {},
): void {
  const ctx = getMapContext();
  if (NO_LABELS) layers = layers.filter((l) => l.type !== 'symbol');
  const labelled = labelFields(layers);
  let addedWith: FeatureCollection | null = null;
  $effect(() => {
    const map = ctx.map;
    if (!map) return;
    untrack(() => {
      // added with the data it has now (not empty, then filled: MapLibre would tile it twice)
      const d = data();
      for (const { prop, fontstack } of labelled) labelGlyphs.use(fontstack, labelTexts(d, prop));
      map.addSource(sourceId, { type: 'geojson', data: d, ...sourceOptions });
      addedWith = d;
      for (const l of layers) addOrderedLayer(map, l);
    });
    return () =>
      removeLayersAndSource(
        map,
        layers.map((l) => l.id),
        sourceId,
      );
  });
  $effect(() => {
    const map = ctx.map;
    const d = data();
    if (!map) return;
    // the first run after the source was added with these very features: nothing to send again
    const justAdded = addedWith !== null && d.features === addedWith.features;
    addedWith = null;
    if (justAdded) return;
    // characters the built glyph ranges lack are drawn before MapLibre asks for them
    for (const { prop, fontstack } of labelled) labelGlyphs.use(fontstack, labelTexts(d, prop));
    (map.getSource(sourceId) as GeoJSONSource | undefined)?.setData(d);
  });
}

/** Re-apply a paint/layout property whenever its value (computed reactively) changes. */
export function useLayerProperty(
  layerId: LayerId,
  kind: 'paint' | 'layout' | 'filter',
  name: string,
  value: () => unknown,
): void {
  const ctx = getMapContext();
  $effect(() => {
    const map = ctx.map;
    const v = value();
    if (!map || !map.getLayer(layerId)) return;
    if (kind === 'paint') map.setPaintProperty(layerId, name as any, v);
    else if (kind === 'layout') map.setLayoutProperty(layerId, name as any, v);
    else map.setFilter(layerId, v as any);
  });
}
