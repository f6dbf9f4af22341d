/**
 * Working arrays reused from one call to the next in the same thread (a worker, the CLI, the server).
 *
 * Why: a walk graph's build at city scale needs about 11 MB of temporary typed arrays (the vertex hash, the
 * coordinates before renumbering, counting arrays). Allocated anew at every build, they are memory outside
 * V8's heap that only a full garbage collection gives back, and V8 starts one for every 64 MB of it: at
 * 250,000 edges that was a 50–75 ms mark-compact of the whole heap every second build. Reused, a build
 * allocates only what it returns.
 *
 * Only arrays up to 4 MB are kept (graphs up to a few hundred thousand edges). A larger graph's working arrays
 * are left to the collector as before: kept, they stayed alive through the coverage that follows the build and
 * raised its peak (at 1M edges, 546 → 577 MiB measured).
 *
 * Rules for callers: the contents are whatever the last user left (initialise what you read); an array is
 * valid until the next call with the same name, so never keep one, and never return one from an exported
 * function. Nothing here is asynchronous, so two builds cannot share a name at the same time.
 */
type Typed = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array;
interface TypedCtor<T extends Typed> {
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

const buffers = new Map<string, ArrayBuffer>();
/** the largest array kept for reuse, bytes */
const KEEP_MAX = 4 * 1024 * 1024;

/**
 * A view of `length` elements on the reused buffer called `name` (grown when too small; contents stale), or
 * a new array when it is larger than KEEP_MAX.
 */
export function scratch<T extends Typed>(name: string, Type: TypedCtor<T>, length: number): T {
  const bytes = length * Type.BYTES_PER_ELEMENT;
  if (bytes > KEEP_MAX) return new Type(new ArrayBuffer(bytes), 0, length);
  let buffer = buffers.get(name);
  if (!buffer || buffer.byteLength < bytes) {
    // a sixteenth more than asked: a graph a few edges larger than the last (an edited network) reuses it
    buffer = new ArrayBuffer(Math.ceil((bytes * 1.0625) / 8) * 8);
    buffers.set(name, buffer);
  }
  return new Type(buffer, 0, length);
}
