// The parts of maplibre-gl the app uses, imported dynamically by library.ts: a dynamic import of the package itself
// would keep all of it (no tree-shaking of a module namespace).
export { AttributionControl, Map, NavigationControl, ScaleControl, addProtocol, setWorkerUrl } from 'maplibre-gl';
