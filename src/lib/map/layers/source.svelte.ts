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

/** The properties symbol layers draw as text (`'text-field': ['get', prop]`). */
export function labelProperties(layers: readonly AddLayerObject[]): string[] {
  const out: string[] = [];
  for (const l of layers) {
    const field = l.type === 'symbol' ? (l.layout as Record<string, unknown> | undefined)?.['text-field'] : undefined;
    if (Array.isArray(field) && field[0] === 'get' && typeof field[1] === 'string') out.push(field[1]);
  }
  return out;
}

/** The label texts of these features (for the glyph ranges: glyphs/protocol.ts). */
export function* labelTexts(fc: FeatureCollection, props: readonly string[]): Generator<string> {
  for (const f of fc.features) {
    for (const p of props) {
      const v = f.properties?.[p];
      if (typeof v === 'string') yield v;
      else if (typeof v === 'number') yield String(v);
    }
  }
}

export function useGeoJsonLayers(
  sourceId: string,
  data: () => FeatureCollection,
  layers: OrderedLayer[],
  sourceOptions: { promoteId?: string } = {},
): void {
  const ctx = getMapContext();
  $effect(() => {
    const map = ctx.map;
    if (!map) return;
    untrack(() => {
      map.addSource(sourceId, { type: 'geojson', data: EMPTY_FC, ...sourceOptions });
      for (const l of layers) addOrderedLayer(map, l);
    });
    return () =>
      removeLayersAndSource(
        map,
        layers.map((l) => l.id),
        sourceId,
      );
  });
  const labelled = labelProperties(layers);
  $effect(() => {
    const map = ctx.map;
    const d = data();
    if (!map) return;
    // characters the built glyph ranges lack are drawn before MapLibre asks for them
    if (labelled.length) labelGlyphs.use(labelTexts(d, labelled));
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
