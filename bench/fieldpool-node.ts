/** The field pool over Node worker threads (bench only; the app's pool runs on Web Workers). */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { FieldPool, type FieldPort, type FieldReply } from '../src/lib/worker/fieldpool.ts';

export function nodePool(size = Math.min(3, Math.max(0, availableParallelism() - 1))): FieldPool {
  return new FieldPool((): FieldPort => {
    // the worker loads TypeScript through tsx's loader, registered inside it (Node 20 ignores --import there)
    const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(new URL('./fieldworker.ts', import.meta.url).href)}); });`;
    const w = new Worker(boot, { eval: true });
    return {
      post: (msg, transfer) => w.postMessage(msg, transfer),
      listen: (fn, fail) => {
        w.on('message', (m: FieldReply) => fn(m));
        w.on('error', fail);
      },
      close: () => void w.terminate(),
    };
  }, size);
}
