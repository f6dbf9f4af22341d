/**
 * A search worker of the field pool (fieldpool.ts): started by the analysis worker, one per spare core; it
 * holds a copy of the walk graph's search arrays and answers "search from these seeds".
 */
import { serveFields, type FieldRequest } from './fieldpool';

const serve = serveFields((msg, transfer) => self.postMessage(msg, { transfer }));
self.onmessage = (e: MessageEvent<FieldRequest>) => serve(e.data);
