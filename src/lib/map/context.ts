/**
 * How map layer components reach the map. Layer components can live anywhere in the component tree
 * (inside a mode's panel, for example), so this reads the map from the app state rather than from
 * Svelte context. Use inside `$effect`: it is reactive and re-runs when the map appears.
 */
import type { Map as MLMap } from 'maplibre-gl';
import { app } from '../state/app.svelte';

export function getMapContext(): { readonly map: MLMap | undefined } {
  return {
    get map() {
      return app.map;
    },
  };
}
