/**
 * The one analysis worker: heavy analysis runs here so the map never freezes. Its functions are those of
 * `createApi()` (engine.ts) over one engine, which keeps the walk graph (built once per road set and shared by
 * coverage, isochrones, siting and the bundles' walking adjacency), the snapped gates and the bundle data
 * between calls. Add functions in createApi, not here, so the main-thread fallback (api.ts) gets them too.
 * The MIP solver (HiGHS, analysis/solver.ts) is loaded from the app's own .wasm on first use.
 * Progress for long calls arrives through a callback proxied with Comlink.proxy on the main thread.
 */
import * as Comlink from 'comlink';
import solverWasmUrl from 'highs/runtime?url';
import { CoverageEngine, createApi, type CoverageTablesReply } from './engine';
import { FieldPool, type FieldPort, type FieldReply } from './fieldpool';
import { configureSolver } from '../analysis/solver';

// the MIP solver's WebAssembly is served by the app itself (copied into the build by Vite): offline
configureSolver({ locateFile: () => solverWasmUrl });

/**
 * Search workers for the cold coverage, one per core beyond this one (at most three): the categories' fields
 * are searched side by side (fieldpool.ts). Started on the first coverage that needs them.
 */
const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 1 : 1;
const pool = new FieldPool(() => browserPort(new Worker(new URL('./field.worker.ts', import.meta.url), { type: 'module', name: 'fields' })), Math.min(3, Math.max(0, cores - 1)));

function browserPort(w: Worker): FieldPort {
  return {
    post: (msg, transfer) => w.postMessage(msg, transfer),
    listen: (fn, fail) => {
      w.onmessage = (e: MessageEvent<FieldReply>) => fn(e.data);
      w.onerror = (e) => fail(e);
    },
    close: () => w.terminate(),
  };
}

const engineApi = createApi(new CoverageEngine({ pool }));

/** The typed arrays of coverage tables are transferred (moved), not copied, to the main thread. */
function transferTables(r: CoverageTablesReply): CoverageTablesReply {
  const buffers = [r.result, r.buffer, r.baseline, r.networkBaseline].flatMap((t) => (t ? [t.dist.buffer, t.facility.buffer, t.origin.buffer] : []));
  return Comlink.transfer(r, buffers as ArrayBuffer[]);
}

const api = {
  ...engineApi,
  async coverageTables(...args: Parameters<typeof engineApi.coverageTables>) {
    return transferTables(await engineApi.coverageTables(...args));
  },
  accessSurface(...args: Parameters<typeof engineApi.accessSurface>) {
    const r = engineApi.accessSurface(...args);
    return r ? Comlink.transfer(r, [r.cls.buffer, ...(r.lines ? [r.lines.buffer] : []), ...(r.extra ? [r.extra.lines.buffer, r.extra.cls.buffer] : [])] as ArrayBuffer[]) : r;
  },
};

export type Api = typeof api;
Comlink.expose(api);
