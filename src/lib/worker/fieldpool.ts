/**
 * A pool of search workers for the cold coverage: the distance fields of many categories are independent
 * searches on the same graph, so they run side by side, one per core (the analysis worker computes its own
 * share while the pool computes the rest). Each pool worker holds a copy of the graph's search arrays (sent
 * once per graph) and answers "search from these seeds" with the field's distances and sources, and both read
 * at the nodes the coverage reads (gathered right after the search), transferred (moved, not copied) back; the
 * caller sends arrays of cleared fields along for it to fill. Pure messaging over a port: the browser's Worker
 * (field.worker.ts) and Node's worker_threads (bench) both fit it. A failed worker never fails the coverage:
 * its categories are searched here (warmFields).
 */
import { gatherEnds, searchField, type SearchGraph, type Seeds } from '../analysis/fieldsearch';
import type { CoverageCache } from '../analysis/coverage';

/** The graph's search arrays (copies: the engine keeps its own). */
export interface GraphArrays {
  nodeCount: number;
  edgeCount: number;
  edgeLen: Float64Array;
  adjStart: Uint32Array;
  adjTo: Uint32Array;
  adjLen: Float64Array;
}

export type FieldRequest =
  | { kind: 'graph'; graph: GraphArrays }
  | {
      kind: 'search';
      id: number;
      node: Int32Array;
      dist: Float64Array;
      src: Int32Array;
      cutoff: number;
      ends: Int32Array;
      /** arrays to fill with the field, when the caller has spare ones of the graph's size */
      into: { dist?: Float64Array; src?: Int32Array };
    };

/** A field: its distances and sources at every node, and both at the nodes asked for (`ends`, gathered while hot). */
export interface FieldResult {
  dist: Float64Array;
  src: Int32Array;
  endDist: Float64Array;
  endSrc: Int32Array;
}

export type FieldReply = ({ id: number } & FieldResult) | { id: number; error: string };

/** One end of a message channel to a search worker. */
export interface FieldPort {
  post(msg: FieldRequest, transfer: ArrayBuffer[]): void;
  listen(fn: (msg: FieldReply) => void, fail: (err: unknown) => void): void;
  close(): void;
}

/** The worker side: answers search requests on the last graph received. */
export function serveFields(post: (msg: FieldReply, transfer: ArrayBuffer[]) => void): (msg: FieldRequest) => void {
  let graph: SearchGraph | null = null;
  return (msg) => {
    if (msg.kind === 'graph') {
      graph = msg.graph;
      return;
    }
    try {
      if (!graph) throw new Error('no graph');
      const n = graph.nodeCount;
      const dist = msg.into.dist?.length === n ? msg.into.dist : new Float64Array(n);
      const src = msg.into.src?.length === n ? msg.into.src : new Int32Array(n);
      searchField(graph, dist, src, { node: msg.node, dist: msg.dist, src: msg.src }, { cutoff: msg.cutoff, fresh: true });
      const at = gatherEnds(msg.ends, dist, src);
      post({ id: msg.id, dist, src, endDist: at.dist, endSrc: at.src }, [dist.buffer, src.buffer, at.dist.buffer, at.src.buffer] as ArrayBuffer[]);
    } catch (err) {
      post({ id: msg.id, error: String(err) }, []);
    }
  };
}

interface Slot {
  port: FieldPort;
  graph: SearchGraph | null;
  waiting: Map<number, { resolve: (r: FieldResult) => void; reject: (e: unknown) => void }>;
  broken: boolean;
}

export class FieldPool {
  private slots: Slot[] = [];
  private nextId = 1;
  constructor(
    private readonly spawn: () => FieldPort,
    /** search workers besides the caller's own thread */
    readonly size: number,
  ) {}

  private slot(i: number): Slot {
    let s = this.slots[i];
    if (!s || s.broken) {
      s?.port.close(); // a failed worker is replaced, not left running
      const slot: Slot = { port: this.spawn(), graph: null, waiting: new Map(), broken: false };
      slot.port.listen(
        (msg) => {
          const w = slot.waiting.get(msg.id);
          if (!w) return;
          slot.waiting.delete(msg.id);
          if ('error' in msg) w.reject(new Error(msg.error));
          else w.resolve(msg);
        },
        (err) => {
          slot.broken = true;
          for (const w of slot.waiting.values()) w.reject(err);
          slot.waiting.clear();
        },
      );
      s = this.slots[i] = slot;
    }
    return s;
  }

  /** Search `seeds` on worker i (sending it the graph first when it holds another); the field is also read at `ends`. */
  search(i: number, g: SearchGraph, seeds: Seeds, ends: Int32Array, cutoff = Infinity, into: { dist?: Float64Array; src?: Int32Array } = {}): Promise<FieldResult> {
    const s = this.slot(i);
    if (s.graph !== g) {
      const graph: GraphArrays = { nodeCount: g.nodeCount, edgeCount: g.edgeCount, edgeLen: g.edgeLen.slice(), adjStart: g.adjStart.slice(), adjTo: g.adjTo.slice(), adjLen: g.adjLen.slice() };
      s.port.post({ kind: 'graph', graph }, [graph.edgeLen.buffer, graph.adjStart.buffer, graph.adjTo.buffer, graph.adjLen.buffer] as ArrayBuffer[]);
      s.graph = g;
    }
    const id = this.nextId++;
    const node = Int32Array.from(seeds.node);
    const dist = Float64Array.from(seeds.dist);
    const src = Int32Array.from(seeds.src);
    const at = ends.slice();
    return new Promise((resolve, reject) => {
      s.waiting.set(id, { resolve, reject });
      const spare = [into.dist?.buffer, into.src?.buffer].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
      s.port.post({ kind: 'search', id, node, dist, src, cutoff, ends: at, into }, [node.buffer, dist.buffer, src.buffer, at.buffer, ...spare] as ArrayBuffer[]);
    });
  }

  close(): void {
    for (const s of this.slots) s?.port.close();
    this.slots = [];
  }
}

/**
 * Below this many nodes a search takes well under a millisecond and messages would cost more than they save
 * (the default dataset's network has about 2,800): the engine searches alone.
 */
export const POOL_MIN_NODES = 20_000;

/** Searches kept waiting at each worker: the next one is there when it finishes one (this thread answers between its own). */
const PIPELINE = 2;

/** Let the event loop deliver what has arrived (finished fields), without a timer's clamped delay. */
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}

/**
 * Compute the fields these categories still need, in parallel, dealt as the threads come free: each worker
 * keeps PIPELINE searches waiting (taken from the front of the list), and this thread searches from the back,
 * one category at a time, taking in the workers' finished fields between its own. Every field is evaluated at
 * the communities as soon as it is here. So a worker on a busy core simply delivers fewer fields: the pool is
 * never much slower than this thread alone. A failed worker's categories go back to the list (searched here).
 * Returns how many fields the workers delivered.
 */
export async function warmFields(cache: CoverageCache, categories: readonly string[], pool: FieldPool | null, minNodes = POOL_MIN_NODES): Promise<number> {
  const g = cache.ctx.graph;
  const todo = cache.toSearch(categories);
  if (!g || !pool || pool.size === 0 || todo.length < 2 || g.nodeCount < minNodes) return 0;
  const ends = cache.ends();
  const queue = [...todo];
  const waiting = new Array<number>(pool.size).fill(0);
  const broken = new Array<boolean>(pool.size).fill(false);
  let got = 0;
  let wake: (() => void) | null = null;
  const send = (w: number) => {
    const c = queue.shift()!;
    waiting[w]++;
    pool
      .search(w, g, cache.seedsOf(c), ends, Infinity, cache.takeSpare())
      .then((r) => {
        cache.adopt(c, r.dist, r.src, { dist: r.endDist, src: r.endSrc });
        cache.evaluate(c, 'network', 1);
        got++;
      })
      .catch(() => {
        broken[w] = true;
        if (cache.toSearch([c]).length > 0) queue.push(c); // searched here
      })
      .finally(() => {
        waiting[w]--;
        wake?.();
      });
  };
  const topUp = () => {
    for (let w = 0; w < pool.size; w++) while (!broken[w] && waiting[w] < PIPELINE && queue.length > 0) send(w);
  };
  topUp();
  while (queue.length > 0 || waiting.some((n) => n > 0)) {
    if (queue.length > 0) {
      const c = queue.pop()!;
      cache.field(c);
      cache.evaluate(c, 'network', 1);
      await yieldToEvents();
    } else {
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
    topUp();
  }
  return got;
}
