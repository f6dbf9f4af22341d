/**
 * The analysis worker: heavy analysis runs here so the map never freezes. The engine keeps the walk graph
 * and the snapped gates between calls (built once per road set). Other features may add functions to `api`.
 * Progress for long calls arrives through a callback proxied with Comlink.proxy on the main thread.
 */
import * as Comlink from 'comlink';
import { CoverageEngine, type CoverageRequest, type EngineData, type IsochroneRequest, type RouteRequest, type SuggestRequest } from './engine';
import type { Progress } from '../analysis/coverage';

const engine = new CoverageEngine();

const api = {
  /** Load (or replace) the layers; rebuilds the walk graph only when the roads changed. */
  loadCoverageData(data: EngineData) {
    return engine.load(data);
  },
  coverage(req: CoverageRequest, onProgress?: Progress) {
    return engine.coverage(req, onProgress);
  },
  /** Network result and straight-line buffer result side by side, in one round trip. */
  coverageWithBuffer(req: CoverageRequest, onProgress?: Progress) {
    return { result: engine.coverage(req, onProgress), buffer: engine.coverage({ ...req, mode: 'buffer' }) };
  },
  route(req: RouteRequest) {
    return engine.route(req);
  },
  isochrone(req: IsochroneRequest) {
    return engine.isochrone(req);
  },
  suggestSites(req: SuggestRequest, onProgress?: Progress) {
    return engine.suggest(req, onProgress);
  },
};

export type Api = typeof api;
Comlink.expose(api);
