/**
 * `npm run bench`: runs every bench/*.bench.ts in turn. Each exports `run(): Promise<void>` and prints
 * its own figures and ratios. Benchmarks are measured here, never asserted in tests.
 * Pass names to run a subset: `npm run bench -- coverage`; `--json FILE` also writes the recorded figures
 * (bench/figures.ts) as a JSON array [{ name, runs, median_ms, min_ms, max_ms, baseline?, ratio? }].
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { figures, machine } from './figures.ts';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const j = args.indexOf('--json');
const jsonFile = j >= 0 ? args[j + 1] : null;
if (j >= 0 && !jsonFile) throw new Error('bench: --json needs a file name');
const only = args.filter((_, i) => j < 0 || (i !== j && i !== j + 1));
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
console.log(machine());
for (const f of files) {
  console.log(`\n=== ${f}`);
  const mod = (await import(join(here, f))) as { run: () => Promise<void> };
  await mod.run();
}
if (jsonFile) {
  writeFileSync(jsonFile, JSON.stringify(figures, null, 1) + '\n');
  console.log(`\n${figures.length} figures written to ${jsonFile}`);
}
console.log(`\nend: ${machine()}`);
