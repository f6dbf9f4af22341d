/**
 * Main-thread side of the import worker (parse.worker.ts). parseInWorker(file, bytes, onProgress) starts a
 * worker for one file: `parsed` resolves with the Source; stage() then validates a sheet under a mapping in
 * the same worker (it keeps the Source); close() terminates the worker at once (even inside a synchronous
 * parser) and rejects whatever is pending with ParseCancelled. Errors arrive as Error objects with the English
 * message and a `zh` property, as ImportError has.
 */
import type { ColumnMapping, Message, Source } from './types';
import type { StageOptions, Staged } from './stage';
import type { WorksStageOptions, WorksStaged } from './works';
import type { WorkerReply, WorkerRequest } from './parse.worker';

export class ParseCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'ParseCancelled';
  }
}

export interface ParseJob {
  parsed: Promise<Source>;
  stage(sheet: number, mapping: ColumnMapping, opts: StageOptions): Promise<Staged>;
  /** stage a sheet as special works (data/import/works.ts), in the same worker */
  stageWorks(sheet: number, opts: WorksStageOptions): Promise<WorksStaged>;
  close(): void;
}

type Pending<T> = { resolve: (v: T) => void; reject: (e: Error) => void };

export function parseInWorker(file: string, bytes: ArrayBuffer, onProgress: (phase: Message, fraction: number | null) => void): ParseJob {
  const worker = new Worker(new URL('./parse.worker.ts', import.meta.url), { type: 'module' });
  let parse: Pending<Source> | null = null;
  const parsed = new Promise<Source>((resolve, reject) => (parse = { resolve, reject }));
  const stages = new Map<number, Pending<Staged>>();
  const workStages = new Map<number, Pending<WorksStaged>>();
  let seq = 0;
  let closed = false;
  const failAll = (e: Error) => {
    parse?.reject(e);
    parse = null;
    for (const p of stages.values()) p.reject(e);
    stages.clear();
    for (const p of workStages.values()) p.reject(e);
    workStages.clear();
  };
  const close = (e: Error = new ParseCancelled()) => {
    if (closed) return;
    closed = true;
    worker.terminate();
    failAll(e);
  };
  const err = (m: { en: string; zh: string }) => Object.assign(new Error(m.en), { zh: m.zh });
  worker.onmessage = (e: MessageEvent<WorkerReply>) => {
    const m = e.data;
    if (m.type === 'progress') {
      if (parse) onProgress(m.phase, m.fraction);
    } else if (m.type === 'done') {
      parse?.resolve(m.source);
      parse = null;
    } else if (m.type === 'error') close(err(m));
    else if (m.type === 'staged-works' || (m.type === 'stage-error' && workStages.has(m.seq))) {
      const p = workStages.get(m.seq);
      workStages.delete(m.seq);
      if (m.type === 'staged-works') p?.resolve(m.staged);
      else p?.reject(err(m));
    } else {
      const p = stages.get(m.seq);
      stages.delete(m.seq);
      if (m.type === 'staged') p?.resolve(m.staged);
      else p?.reject(err(m));
    }
  };
  worker.onerror = (e) => close(new Error(`${file}: ${e.message || 'the import worker failed'}`));
  const req: WorkerRequest = { type: 'parse', file, bytes };
  worker.postMessage(req, [bytes]);
  return {
    parsed,
    stage(sheet, mapping, opts) {
      if (closed) return Promise.reject(new ParseCancelled());
      const n = ++seq;
      const r: WorkerRequest = { type: 'stage', seq: n, sheet, mapping, opts };
      const p = new Promise<Staged>((resolve, reject) => stages.set(n, { resolve, reject }));
      worker.postMessage(r);
      return p;
    },
    stageWorks(sheet, opts) {
      if (closed) return Promise.reject(new ParseCancelled());
      const n = ++seq;
      const r: WorkerRequest = { type: 'stage-works', seq: n, sheet, opts };
      const p = new Promise<WorksStaged>((resolve, reject) => workStages.set(n, { resolve, reject }));
      worker.postMessage(r);
      return p;
    },
    close: () => close(),
  };
}
