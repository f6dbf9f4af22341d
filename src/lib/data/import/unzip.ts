/**
 * Bounded unzip for untrusted archives (zipped shapefiles, XLSX workbooks): zip bombs are refused before
 * anything is inflated, from the sizes the archive declares, and a lying header cannot get past the limit
 * either, because every entry is inflated as a stream (JSZip's internalStream, 16 KB of compressed input per
 * step) that stops as soon as the inflated bytes pass the entry's limit or the archive's total.
 * Memory: at most the limit plus one step's output (≤ ~16 MB at deflate's maximum ratio). O(inflated bytes).
 */
import JSZip from 'jszip';
import { LIMITS, MB, MBzh } from './limits';
import { ImportError, type Message, type Progress } from './types';

const msg = (zh: string, en: string): Message => ({ zh, en });

/** the size an entry declares in the archive (JSZip keeps it in a private field) */
export function declaredSize(e: JSZip.JSZipObject): number {
  const n = (e as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : 0;
}

export async function openZip(file: string, bytes: Uint8Array): Promise<JSZip> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch (e) {
    throw new ImportError(file, msg(`不是有效的 zip 压缩包: ${(e as Error).message}`, `not a valid zip archive: ${(e as Error).message}`));
  }
  const n = Object.keys(zip.files).length;
  if (n > LIMITS.zipEntries) throw new ImportError(file, msg(`压缩包含 ${n} 个文件，超过上限 ${LIMITS.zipEntries}`, `the archive holds ${n} entries, more than the limit of ${LIMITS.zipEntries}`));
  return zip;
}

/** Refuse entries whose declared inflated size passes the limits, before inflating anything. */
export function checkDeclared(file: string, entries: readonly JSZip.JSZipObject[], limitOf: (e: JSZip.JSZipObject) => number = () => LIMITS.zipEntryBytes): void {
  let total = 0;
  for (const e of entries) {
    const size = declaredSize(e);
    const limit = limitOf(e);
    if (size > limit)
      throw new ImportError(file, msg(`压缩包中的 ${e.name} 解压后为 ${MBzh(size)}，超过单个文件上限 ${MBzh(limit)} (疑似压缩炸弹)`, `${e.name} in the archive inflates to ${MB(size)}, more than the limit of ${MB(limit)} per file (a zip bomb?)`));
    total += size;
  }
  if (total > LIMITS.zipTotalBytes)
    throw new ImportError(file, msg(`压缩包解压后共 ${MBzh(total)}，超过上限 ${MBzh(LIMITS.zipTotalBytes)} (疑似压缩炸弹)`, `the archive inflates to ${MB(total)} in all, more than the limit of ${MB(LIMITS.zipTotalBytes)} (a zip bomb?)`));
}

interface StreamHelper {
  on(event: 'data', cb: (chunk: Uint8Array) => void): StreamHelper;
  on(event: 'error', cb: (e: Error) => void): StreamHelper;
  on(event: 'end', cb: () => void): StreamHelper;
  resume(): StreamHelper;
  pause(): StreamHelper;
}

export interface InflateOptions {
  limit?: number;
  /** shared running total for all entries of one archive */
  budget?: { used: number };
  /** keep the bytes (false: only verify the size, e.g. before SheetJS reads the workbook itself) */
  keep?: boolean;
  /** sees every inflated chunk (e.g. to count sheet rows); may throw an ImportError to stop */
  inspect?: (chunk: Uint8Array) => void;
  progress?: Progress;
}

/** Inflate one entry, stopping with an ImportError as soon as it passes its limit or the archive's total. */
export function inflateEntry(file: string, entry: JSZip.JSZipObject, opts: InflateOptions = {}): Promise<Uint8Array> {
  const limit = opts.limit ?? LIMITS.zipEntryBytes;
  const budget = opts.budget ?? { used: 0 };
  const keep = opts.keep ?? true;
  const declared = declaredSize(entry);
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let n = 0;
    let done = false;
    const stream = (entry as unknown as { internalStream(t: 'uint8array'): StreamHelper }).internalStream('uint8array');
    const fail = (e: unknown) => {
      if (done) return;
      done = true;
      stream.pause();
      chunks.length = 0;
      reject(e instanceof ImportError ? e : new ImportError(file, msg(`${entry.name} 无法解压: ${(e as Error)?.message ?? e}`, `${entry.name} cannot be inflated: ${(e as Error)?.message ?? e}`)));
    };
    stream
      .on('data', (chunk: Uint8Array) => {
        if (done) return;
        n += chunk.length;
        budget.used += chunk.length;
        if (n > limit)
          return fail(new ImportError(file, msg(`压缩包中的 ${entry.name} 解压超过 ${MBzh(limit)} (文件头声明 ${MBzh(declared)}；疑似压缩炸弹)，已停止`, `${entry.name} in the archive inflates past ${MB(limit)} (its header says ${MB(declared)}; a zip bomb?): stopped`)));
        if (budget.used > LIMITS.zipTotalBytes)
          return fail(new ImportError(file, msg(`压缩包解压超过 ${MBzh(LIMITS.zipTotalBytes)} (疑似压缩炸弹)，已停止`, `the archive inflates past ${MB(LIMITS.zipTotalBytes)} in all (a zip bomb?): stopped`)));
        try {
          opts.inspect?.(chunk);
        } catch (e) {
          return fail(e);
        }
        if (keep) chunks.push(chunk);
        if (declared > 0) opts.progress?.(msg(`正在解压 ${entry.name}`, `inflating ${entry.name}`), Math.min(1, n / declared));
      })
      .on('error', fail)
      .on('end', () => {
        if (done) return;
        done = true;
        const out = new Uint8Array(keep ? n : 0);
        if (keep) {
          let o = 0;
          for (const c of chunks) {
            out.set(c, o);
            o += c.length;
          }
        }
        resolve(out);
      })
      .resume();
  });
}

/** Inflate a small text entry (.prj, .cpg) with its own small limit. */
export async function inflateText(file: string, entry: JSZip.JSZipObject, budget: { used: number }): Promise<string> {
  const bytes = await inflateEntry(file, entry, { limit: LIMITS.zipSideFileBytes, budget });
  return new TextDecoder('utf-8').decode(bytes);
}
