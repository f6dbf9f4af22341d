/**
 * maplibre-gl, imported by the start bundle rather than before it (issue 12 goal 3): index.html modulepreloads its
 * chunk (vite.config.ts), so the library is fetched and compiled beside the start bundle while the start bundle
 * restores the session and parses the data; App.svelte creates the map once both the data and the library are in.
 * Loading it also points it at its worker file and registers the label glyphs' protocol (glyphs/labels.ts).
 */
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { registerGlyphProtocol } from './glyphs/labels';

export type MapLibrary = typeof import('./maplibre-parts');

let loading: Promise<MapLibrary> | null = null;

/** The library, loading from the first call on (main.ts calls it at start). */
export function mapLibrary(): Promise<MapLibrary> {
  loading ??= import('./maplibre-parts').then((ml) => {
    ml.setWorkerUrl(workerUrl);
    registerGlyphProtocol(ml.addProtocol);
    return ml;
  });
  return loading;
}
