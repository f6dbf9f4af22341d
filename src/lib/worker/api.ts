/**
 * Main-thread facade of the analysis worker, fully typed through Comlink:
 *   const r = await analysis().coverage(req, progress((done, total) => …));
 * The worker is created lazily on first use and shared by every feature (coverage, isochrones, siting,
 * bundles). Where Worker does not exist (unit tests in Node) the same functions (engine.ts createApi) run in
 * this thread behind the same asynchronous interface; the engine is imported lazily so that browser builds
 * do not carry it on the main thread.
 */
import * as Comlink from 'comlink';
import type { Api } from './analysis.worker';

export type AnalysisApi = Comlink.Remote<Api>;

let remote: AnalysisApi | null = null;
let worker: Worker | null = null;

export function analysis(): AnalysisApi {
  if (!remote) {
    if (typeof Worker === 'undefined') remote = inThread();
    else {
      worker = new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module', name: 'analysis' });
      remote = Comlink.wrap<Api>(worker);
    }
  }
  return remote;
}

/** The engine's functions in this thread, each answering with a promise (calls run in the order made). */
function inThread(): AnalysisApi {
  let local: Promise<Api> | null = null;
  const load = () => (local ??= import('./engine').then((m) => m.createApi()));
  return new Proxy({} as AnalysisApi, {
    get(_, name) {
      if (typeof name !== 'string' || name === 'then') return undefined; // not a thenable
      return async (...args: unknown[]) => {
        const api = await load();
        const fn = (api as unknown as Record<string, (...a: unknown[]) => unknown>)[name];
        if (typeof fn !== 'function') throw new Error(`analysis: no function "${name}"`);
        return fn(...args);
      };
    },
  });
}

/** Wrap a progress callback so the worker can call it across the thread boundary. */
export function progress(fn: (done: number, total: number, label: string) => void) {
  return Comlink.proxy(fn);
}

/** Stop the worker (tests, hot reload); the next analysis() call starts a fresh one. */
export function terminateAnalysis(): void {
  worker?.terminate();
  worker = null;
  remote = null;
}

export type {
  CoverageRequest,
  CoverageTablesRequest,
  CoverageTablesReply,
  RouteRequest,
  IsochroneRequest,
  SuggestRequest,
  SuggestResponse,
  IsochroneResponse,
  LoadSummary,
  EngineData,
  BundleData,
  BundleLoadSummary,
  AdjacencyRequest,
  GenerateRequest,
  GenerateResponse,
  HullRequest,
  HullReply,
} from './engine';
