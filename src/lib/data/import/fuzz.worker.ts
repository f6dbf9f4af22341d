/**
 * Node worker for the importer fuzz test (fuzz.test.ts): runs each case through importFile() and reports
 * progress before and after, so the test can terminate the worker and name the case if one hangs
 * (a synchronous infinite loop cannot be interrupted from the same thread).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { importFile, prepareSheet, ImportError } from './index';

interface Case {
  name: string;
  bytes: Uint8Array;
}

async function main(): Promise<void> {
  const cases = workerData.cases as Case[];
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i];
    parentPort!.postMessage({ type: 'start', i });
    let outcome: string;
    try {
      const p = await importFile(c.name, c.bytes, { year: 2026 });
      // every sheet under every kind: the stage step must cope with anything a reader produced
      for (const sheet of p.source.sheets)
        for (const kind of ['communities', 'facilities', 'roads'] as const) {
          try {
            prepareSheet(p.source, sheet, { kind });
          } catch (e) {
            if (!(e instanceof ImportError)) throw e;
          }
        }
      outcome = 'result';
    } catch (e) {
      outcome = e instanceof ImportError ? 'import-error' : `ESCAPED ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)}`;
    }
    parentPort!.postMessage({ type: 'done', i, outcome });
  }
}

void main();
