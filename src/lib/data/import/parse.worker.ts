/**
 * The app parses untrusted files here, off the main thread (issue 16): readSource() runs in this worker,
 * reports its progress, and posts the Source back (plain data, structured-cloned). The page never freezes
 * on a hostile or huge file, and cancelling terminates this worker, the one way to stop a synchronous
 * parser mid-way. One worker per file (parse-client.ts).
 */
import { readSource } from './read';
import { ImportError, type Message } from './types';

export type ParseRequest = { file: string; bytes: ArrayBuffer };
export type ParseReply =
  | { type: 'progress'; phase: Message; fraction: number | null }
  | { type: 'done'; source: Awaited<ReturnType<typeof readSource>> }
  | { type: 'error'; en: string; zh: string };

const post = (m: ParseReply) => (self as unknown as Worker).postMessage(m);

self.onmessage = async (e: MessageEvent<ParseRequest>) => {
  const { file, bytes } = e.data;
  let last = 0;
  try {
    const source = await readSource(file, new Uint8Array(bytes), (phase, fraction) => {
      // at most ~10 progress messages a second
      const now = performance.now();
      if (now - last < 100 && fraction !== null && fraction < 1) return;
      last = now;
      post({ type: 'progress', phase, fraction });
    });
    post({ type: 'done', source });
  } catch (err) {
    if (err instanceof ImportError) post({ type: 'error', en: err.message, zh: err.zh });
    else {
      const m = err instanceof Error ? err.message : String(err);
      post({ type: 'error', en: `${file}: ${m}`, zh: `${file}: ${m}` });
    }
  }
};
