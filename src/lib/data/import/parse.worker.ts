/**
 * The app reads and checks untrusted files here, off the main thread (issue 16): readSource() runs in this
 * worker and reports its progress; the parsed Source stays here, and each stage request (the user's mapping,
 * coordinate system and row decisions) is validated here too, so neither a hostile file nor a 100,000-row
 * sheet freezes the page. Replies are plain data (structured-cloned). Stopping terminates the worker, the
 * one way to end a synchronous parser mid-way. One worker per file (parse-client.ts).
 */
import { readSource } from './read';
import { stageSheet, type StageOptions, type Staged } from './stage';
import { ImportError, type ColumnMapping, type Message, type Source } from './types';
import { stageWorks, type WorksStageOptions, type WorksStaged } from './works';

export type WorkerRequest =
  | { type: 'parse'; file: string; bytes: ArrayBuffer }
  | { type: 'stage'; seq: number; sheet: number; mapping: ColumnMapping; opts: StageOptions }
  | { type: 'stage-works'; seq: number; sheet: number; opts: WorksStageOptions };
export type WorkerReply =
  | { type: 'progress'; phase: Message; fraction: number | null }
  | { type: 'done'; source: Source }
  | { type: 'error'; en: string; zh: string }
  | { type: 'staged'; seq: number; staged: Staged }
  | { type: 'staged-works'; seq: number; staged: WorksStaged }
  | { type: 'stage-error'; seq: number; en: string; zh: string };

const post = (m: WorkerReply) => (self as unknown as Worker).postMessage(m);
let source: Source | null = null;

function messages(err: unknown, file: string): { en: string; zh: string } {
  if (err instanceof ImportError) return { en: err.message, zh: err.zh };
  const m = err instanceof Error ? err.message : String(err);
  return { en: `${file}: ${m}`, zh: `${file}: ${m}` };
}

self.onmessage = async (e: MessageEvent<WorkerRequest>) => {
  const req = e.data;
  if (req.type === 'stage-works') {
    const sheet = source?.sheets[req.sheet];
    if (!source || !sheet) return post({ type: 'stage-error', seq: req.seq, en: 'no such sheet', zh: '没有该工作表' });
    try {
      post({ type: 'staged-works', seq: req.seq, staged: stageWorks(source.file, sheet, req.opts) });
    } catch (err) {
      post({ type: 'stage-error', seq: req.seq, ...messages(err, source.file) });
    }
    return;
  }
  if (req.type === 'stage') {
    const sheet = source?.sheets[req.sheet];
    if (!source || !sheet) return post({ type: 'stage-error', seq: req.seq, en: 'no such sheet', zh: '没有该工作表' });
    try {
      post({ type: 'staged', seq: req.seq, staged: stageSheet(source.file, sheet, req.mapping, req.opts) });
    } catch (err) {
      post({ type: 'stage-error', seq: req.seq, ...messages(err, source.file) });
    }
    return;
  }
  let last = 0;
  try {
    source = await readSource(req.file, new Uint8Array(req.bytes), (phase, fraction) => {
      // at most ~10 progress messages a second
      const now = performance.now();
      if (now - last < 100 && fraction !== null && fraction < 1) return;
      last = now;
      post({ type: 'progress', phase, fraction });
    });
    post({ type: 'done', source });
  } catch (err) {
    post({ type: 'error', ...messages(err, req.file) });
  }
};
