/**
 * Main-thread facade of the analysis worker, fully typed through Comlink:
 *   const r = await analysis().coverage(req, progress((done, total) => …));
 * The worker is created lazily on first use and shared by every feature.
 */
import * as Comlink from 'comlink';
import type { Api } from './analysis.worker';

export type AnalysisApi = Comlink.Remote<Api>;

let remote: AnalysisApi | null = null;
let worker: Worker | null = null;

export function analysis(): AnalysisApi {
  if (!remote) {
    worker = new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module', name: 'analysis' });
    remote = Comlink.wrap<Api>(worker);
  }
  return remote;
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

export type { CoverageRequest, RouteRequest, IsochroneRequest, SuggestRequest, SuggestResponse, IsochroneResponse, LoadSummary, EngineData } from './engine';
