/**
 * `npm run bench`: runs every bench/*.bench.ts in turn. Each exports `run(): Promise<void>` and prints
 * its own figures and ratios. Benchmarks are measured here, never asserted in tests.
 * Pass names to run a subset: `npm run bench -- coverage`.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
for (const f of files) {
  console.log(`\n=== ${f}`);
  const mod = (await import(join(here, f))) as { run: () => Promise<void> };
  await mod.run();
}
