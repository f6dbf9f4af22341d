/**
 * Main-thread side of the import worker: parseInWorker(file, bytes, onProgress) starts a worker for one
 * file and returns the parse as a promise plus cancel(), which terminates the worker at once (even inside
 * a synchronous parser) and rejects the promise with ParseCancelled. Errors arrive as Error objects with
 * the English message and a `zh` property, as ImportError has.
 */
import type { Message, Source } from './types';
import type { ParseReply, ParseRequest } from './parse.worker';

export class ParseCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'ParseCancelled';
  }
}

export interface ParseJob {
  promise: Promise<Source>;
  cancel(): void;
}

export function parseInWorker(file: string, bytes: ArrayBuffer, onProgress: (phase: Message, fraction: number | null) => void): ParseJob {
  const worker = new Worker(new URL('./parse.worker.ts', import.meta.url), { type: 'module' });
  let settle: { resolve: (s: Source) => void; reject: (e: Error) => void } | null = null;
  const promise = new Promise<Source>((resolve, reject) => (settle = { resolve, reject }));
  const finish = (f: (s: NonNullable<typeof settle>) => void) => {
    const s = settle;
    settle = null;
    worker.terminate();
    if (s) f(s);
  };
  worker.onmessage = (e: MessageEvent<ParseReply>) => {
    const m = e.data;
    if (m.type === 'progress') {
      if (settle) onProgress(m.phase, m.fraction);
    } else if (m.type === 'done') finish((s) => s.resolve(m.source));
    else finish((s) => s.reject(Object.assign(new Error(m.en), { zh: m.zh })));
  };
  worker.onerror = (e) => finish((s) => s.reject(new Error(`${file}: ${e.message || 'the import worker failed'}`)));
  const req: ParseRequest = { file, bytes };
  worker.postMessage(req, [bytes]);
  return { promise, cancel: () => finish((s) => s.reject(new ParseCancelled())) };
}
