/**
 * The one list of map layer ids, bottom to top. Adding a layer whose id is not here throws, so every
 * new layer forces a decision about where it draws (habit borrowed from A/B Street's zorder).
 */
import type { Map as MLMap, AddLayerObject } from 'maplibre-gl';

export const ZORDER = [
  'background',
  'online-basemap',
  'districts-fill',
  'districts-line',
  'barriers-water-fill',
  'barriers-water-line',
  'roads-footway',
  'roads-minor',
  'roads-major',
  'barriers-rail',
  'barriers-expressway',
  'access-surface',
  'access-surface-extra',
  'isochrones-fill',
  'isochrones-line',
  'bundles-fill',
  'communities-fill',
  'communities-line',
  'bundles-line',
  'communities-hover',
  'communities-selected',
  'works-fill',
  'works-line',
  'works-point',
  'works-draft',
  'lasso',
  'routes-casing',
  'routes',
  'network-closures',
  'network-links-casing',
  'network-links',
  'network-joins',
  'network-drawing',
  'gates',
  'facilities',
  'facilities-highlight',
  'metro',
  'communities-symbol',
  'communities-symbol-selected',
  'spare-sites',
  'spare-sites-selected',
  'proposals',
  'proposals-label',
  'suggested-sites',
  'suggested-sites-label',
  'import-preview',
  'works-label',
  'netcheck-points',
  'districts-label',
  'facilities-label',
  'metro-label',
  // later = placed first in label collisions: community and bundle labels win over facility labels
  'communities-label',
  'bundles-label',
] as const;
export type LayerId = (typeof ZORDER)[number];

export function zIndexOf(id: string): number {
  const i = (ZORDER as readonly string[]).indexOf(id);
  if (i < 0) throw new Error(`map layer "${id}" is not in zorder.ts: decide where it draws`);
  return i;
}

/** Add a layer at its place in ZORDER (before the first existing layer that should draw above it). */
export function addOrderedLayer(map: MLMap, layer: AddLayerObject & { id: LayerId }): void {
  const z = zIndexOf(layer.id);
  // the ids alone: getStyle() would serialise the whole style (every source's data) for each layer added
  const existing = map.getLayersOrder();
  let beforeId: string | undefined;
  for (const id of existing) {
    const zi = (ZORDER as readonly string[]).indexOf(id);
    if (zi > z) {
      beforeId = id;
      break;
    }
  }
  map.addLayer(layer, beforeId);
}

/** Remove layers (if present) and then their source. Safe to call after the map was destroyed. */
export function removeLayersAndSource(map: MLMap, layerIds: LayerId[], sourceId: string): void {
  try {
    if (!map.getStyle()) return;
  } catch {
    return;
  }
  for (const id of layerIds) if (map.getLayer(id)) map.removeLayer(id);
  if (map.getSource(sourceId)) map.removeSource(sourceId);
}
