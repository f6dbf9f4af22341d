/**
 * A search worker of the field pool in Node (worker_threads), for the benchmarks: the same serveFields as the
 * browser's field.worker.ts, over a MessagePort.
 */
import { parentPort } from 'node:worker_threads';
import { serveFields, type FieldRequest } from '../src/lib/worker/fieldpool.ts';

const serve = serveFields((msg, transfer) => parentPort!.postMessage(msg, transfer));
parentPort!.on('message', (msg: FieldRequest) => serve(msg));
